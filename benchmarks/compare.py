"""Benchmark: reconcile the two Indonesian per-TPS tallies (813,336 × 2) against ingesting them.

    ELECTCHECK_DATA_DIR=../shared/datasets python benchmarks/compare.py [--repeat N]

Target (issue 3): the comparison costs less than the ingest of the same file,
measured in the same run. Prints wall time (ingest of each tally once; the
reconciliation's median of N runs) and peak memory: Python/numpy allocations
traced by ``tracemalloc`` during each step (a separate, traced pass), and the
process's resident high-water mark after each step.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def traced(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        out = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, peak / 2 ** 20


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--official", default="indonesia-2019/official")
    ap.add_argument("--independent", default="indonesia-2019/kawalpemilu")
    a = ap.parse_args()
    os.environ.setdefault("ELECTCHECK_DATA_DIR", str(ROOT.parent / "shared" / "datasets"))
    sys.path.insert(0, str(ROOT))
    from electcheck.compare import reconcile
    from electcheck.ingest import ingest

    t0 = time.perf_counter()
    off = ingest(a.official).tally
    t_off = time.perf_counter() - t0
    rss_ingest1 = rss_mb()
    t0 = time.perf_counter()
    ind = ingest(a.independent).tally
    t_ind = time.perf_counter() - t0
    rss_ingest = rss_mb()

    times = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        res = reconcile(off, ind)
        times.append(time.perf_counter() - t0)
    t_cmp = statistics.median(times)
    rss_compare = rss_mb()

    _, mem_ingest = traced(lambda: ingest(a.official))
    _, mem_cmp = traced(lambda: reconcile(off, ind))

    u = res.units
    print(f"units: {len(off.data):,} × 2 rows; matched {u['matched']:,}, differing {u['differing']:,}")
    print(f"{'step':<34} {'wall s':>8} {'traced peak MB':>15}")
    print(f"{'ingest ' + a.official:<34} {t_off:8.2f} {mem_ingest:15.0f}")
    print(f"{'ingest ' + a.independent:<34} {t_ind:8.2f} {'':>15}")
    print(f"{'reconcile (median of %d)' % a.repeat:<34} {t_cmp:8.2f} {mem_cmp:15.0f}")
    print(f"process RSS high-water: after ingest of one {rss_ingest1:,.0f} MB, of both {rss_ingest:,.0f} MB, "
          f"after reconcile {rss_compare:,.0f} MB")
    ok = t_cmp < t_off
    print(f"target: reconcile < ingest of the same file ({t_cmp:.2f} s vs {t_off:.2f} s): "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
