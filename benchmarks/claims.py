"""Benchmark: check the whole seed article against opposition V2 (target < 2 s after data load).

    ELECTCHECK_DATA_DIR=../shared/datasets python benchmarks/claims.py [--repeat N]

Prints the data load time (not counted), the first check (cold: totals and name
patterns computed) and the median of N further checks with a fresh Checker each
time, and the same with a reused Checker.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--source", default="venezuela-2024/opposition-v2")
    ap.add_argument("--text", default=str(ROOT.parent / "shared" / "examples" / "seed-article-en.txt"))
    a = ap.parse_args()
    os.environ.setdefault("ELECTCHECK_DATA_DIR", str(ROOT.parent / "shared" / "datasets"))
    sys.path.insert(0, str(ROOT))
    from electcheck.claims import Checker, check_text
    from electcheck.ingest import ingest

    text = Path(a.text).read_text(encoding="utf-8")
    t0 = time.perf_counter()
    tally = ingest(a.source).tally
    load = time.perf_counter() - t0

    t0 = time.perf_counter()
    r = check_text(text, [tally])
    cold = time.perf_counter() - t0

    fresh = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        check_text(text, [tally])
        fresh.append(time.perf_counter() - t0)
    checker = Checker([tally])
    reused = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        checker.check(text)
        reused.append(time.perf_counter() - t0)
    print(f"text: {len(text):,} characters, {len(r.claims)} numbers checked, {len(r.skipped)} dates skipped")
    print(f"data load ({a.source}, {len(tally.data):,} units): {load:.3f} s (not counted)")
    print(f"first check (cold):                 {cold * 1000:.1f} ms")
    print(f"check, fresh Checker (median of {a.repeat}): {statistics.median(fresh) * 1000:.1f} ms")
    print(f"check, reused Checker (median of {a.repeat}): {statistics.median(reused) * 1000:.1f} ms")
    ok = cold < 2.0
    print(f"target < 2 s after load: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
