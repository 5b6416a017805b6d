"""Label the third sealed corpus (``sentences3.csv``) with label.py's rubric, unchanged.

label.py reads ``sentences.csv`` and writes ``labels.csv`` by default; this script
imports its functions (as label2.py does) and points them at the sealed3 files:

    ELECTCHECK_DATA_DIR=/work/shared/datasets python tests/claims/real/label3.py

Writes ``labels3.csv`` (sentences3.csv + expected_verdict, actual, basis,
interval, reason) and ``sealed3.csv`` (every row of labels3.csv: the whole
third corpus is sealed; no dev half), and prints label.py's summary.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import label  # noqa: E402  (tests/claims/real/label.py)

SENTENCES3 = HERE / "sentences3.csv"
LABELS3 = HERE / "labels3.csv"
SEALED3 = HERE / "sealed3.csv"


def main() -> int:
    rows = label.read_rows(SENTENCES3)
    labelled = label.label_rows(rows)
    fields = list(rows[0].keys()) + label.OUT_COLS
    for path in (LABELS3, SEALED3):
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(labelled)
    print(label.summary(labelled))
    return 0


if __name__ == "__main__":
    sys.exit(main())
