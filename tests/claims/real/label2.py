"""Label the second sealed corpus (``sentences2.csv``) with label.py's rubric, unchanged.

label.py reads ``sentences.csv`` and writes ``labels.csv`` by default; this script
imports its functions and points them at the sealed2 files instead:

    ELECTCHECK_DATA_DIR=/work/shared/datasets python tests/claims/real/label2.py

Writes ``labels2.csv`` (sentences2.csv + expected_verdict, actual, basis,
interval, reason) and ``sealed2.csv`` (every row of labels2.csv: the whole
second corpus is sealed), and prints label.py's summary.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import label  # noqa: E402  (tests/claims/real/label.py)

SENTENCES2 = HERE / "sentences2.csv"
LABELS2 = HERE / "labels2.csv"
SEALED2 = HERE / "sealed2.csv"


def main() -> int:
    rows = label.read_rows(SENTENCES2)
    labelled = label.label_rows(rows)
    fields = list(rows[0].keys()) + label.OUT_COLS
    for path in (LABELS2, SEALED2):
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(labelled)
    print(label.summary(labelled))
    return 0


if __name__ == "__main__":
    sys.exit(main())
