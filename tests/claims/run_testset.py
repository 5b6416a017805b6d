"""Evaluate the claims test set: ``python tests/claims/run_testset.py`` prints mismatches and accuracy."""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent
TESTSET = HERE / "testset.csv"


def rows(path=None):
    with open(path or TESTSET, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def evaluate(row, load):
    """(claim or None) for one row: the claim whose text contains the row's number."""
    from electcheck.claims import check_text

    tallies = [load(n) for n in row["against"].split(";")]
    result = check_text(row["text"], tallies, row["lang"])
    for c in result.claims:
        if row["number"] in c.text:
            return c
    return None


if __name__ == "__main__":  # pragma: no cover
    import os
    import sys

    os.environ.setdefault("ELECTCHECK_DATA_DIR", str(HERE.parents[2] / "shared" / "datasets"))
    from functools import lru_cache

    from electcheck.ingest import ingest

    load = lru_cache(None)(lambda n: ingest(n).tally)
    ok = 0
    rs = rows()
    for r in rs:
        c = evaluate(r, load)
        got = (c.verdict, c.quantity) if c else ("(not found)", "")
        good = c is not None and c.verdict == r["expected_verdict"]
        ok += good
        if not good or "-v" in sys.argv:
            print(f"{'ok ' if good else 'BAD'} {r['id']}: {r['number']!r} expected {r['expected_verdict']}/"
                  f"{r['expected_quantity']} got {got[0]}/{got[1]} {c.subject if c else ''} {c.actual if c else ''} "
                  f"{c.why if c else ''}")
    print(f"accuracy {ok}/{len(rs)} = {ok / len(rs):.1%}")
