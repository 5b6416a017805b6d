"""Label the fourth sealed corpus (``sentences4.csv``) with label.py's rubric, unchanged.

label.py reads ``sentences.csv`` and writes ``labels.csv`` by default; this script
imports its functions (as label2.py does) and points them at the sealed4 files:

    ELECTCHECK_DATA_DIR=/work/shared/datasets python tests/claims/real/label4.py

Writes ``labels4.csv`` (sentences4.csv + expected_verdict, actual, basis,
interval, reason) and ``sealed4.csv`` (every row of labels4.csv: the whole
fourth corpus is sealed; no dev half), and prints label.py's summary.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import label  # noqa: E402  (tests/claims/real/label.py)

SENTENCES4 = HERE / "sentences4.csv"
LABELS4 = HERE / "labels4.csv"
SEALED4 = HERE / "sealed4.csv"


def main() -> int:
    rows = label.read_rows(SENTENCES4)
    labelled = label.label_rows(rows)
    fields = list(rows[0].keys()) + label.OUT_COLS
    for path in (LABELS4, SEALED4):
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(labelled)
    print(label.summary(labelled))
    return 0


if __name__ == "__main__":
    sys.exit(main())
