"""Label a whole-sealed corpus (``sentencesN.csv``, N ≥ 2) with label.py's rubric, unchanged.

    ELECTCHECK_DATA_DIR=/work/shared/datasets python tests/claims/real/label_sealed.py 2 [3 4 ...]

For each N, writes ``labelsN.csv`` (sentencesN.csv + expected_verdict, actual, basis, interval,
reason) and ``sealedN.csv`` (every row of labelsN.csv: these corpora have no dev half), and prints
label.py's summary. How each corpus was gathered is in ``SEALEDN.md``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import label  # noqa: E402  (tests/claims/real/label.py)


def label_corpus(n: int) -> list[dict]:
    rows = label.read_rows(HERE / f"sentences{n}.csv")
    labelled = label.label_rows(rows)
    fields = list(rows[0].keys()) + label.OUT_COLS
    for path in (HERE / f"labels{n}.csv", HERE / f"sealed{n}.csv"):
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(labelled)
    return labelled


def main(argv: list[str]) -> int:
    if not argv or not all(a.isdigit() and int(a) >= 2 for a in argv):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    for a in argv:
        print(f"sealed{a}:")
        print(label.summary(label_corpus(int(a))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
