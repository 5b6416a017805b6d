"""Benchmark: reconcile the two Indonesian per-TPS tallies (813,336 × 2) against ingesting them.

    ELECTCHECK_DATA_DIR=../shared/datasets python benchmarks/compare.py [--repeat N] [--ingest-repeat M]

Target (issue 3): the comparison costs less than the ingest of the same file, measured in the same
run. The machine is shared, so each step is timed several times and the *best* run is reported,
both as wall time and as CPU time of the process (``time.process_time``: all its threads, so a
multi-threaded Arrow read counts every core it used; time spent waiting for a busy core does not
count). The verdict uses the best CPU times, the wall-time ratio is printed beside it.

Steps: ingest of the official tally (best of M), ingest of the independent tally (once),
``reconcile`` (best of N; the median too), and ``to_dict()`` of the result (what ``--format json``
and the report serialise; measured apart, the reconciliation itself builds no JSON). Peak memory:
Python/numpy allocations traced by ``tracemalloc`` during one extra, traced run of each step
(Arrow's own buffers are not traced), and the process's resident high-water mark after each step.
"""

from __future__ import annotations

import argparse
import gc
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
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        out = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, peak / 2 ** 20


def timed(fn, repeat: int):
    """Run ``fn`` ``repeat`` times; returns the last result and the (wall, cpu) of every run."""
    runs = []
    out = None
    for _ in range(repeat):
        out = None
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        runs.append((time.perf_counter() - w, time.process_time() - c))
    return out, runs


def fmt_runs(runs) -> str:
    return ", ".join(f"{w:.2f}/{c:.2f}" for w, c in runs)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5, help="reconciliation runs (best is reported)")
    ap.add_argument("--ingest-repeat", type=int, default=3, help="ingest runs of the official tally")
    ap.add_argument("--official", default="indonesia-2019/official")
    ap.add_argument("--independent", default="indonesia-2019/kawalpemilu")
    a = ap.parse_args()
    os.environ.setdefault("ELECTCHECK_DATA_DIR", str(ROOT.parent / "shared" / "datasets"))
    sys.path.insert(0, str(ROOT))
    from electcheck.compare import reconcile
    from electcheck.ingest import ingest

    off_res, ing_runs = timed(lambda: ingest(a.official), max(a.ingest_repeat, 1))
    off = off_res.tally
    del off_res
    rss_ingest1 = rss_mb()
    ind_res, ind_runs = timed(lambda: ingest(a.independent), 1)
    ind = ind_res.tally
    del ind_res
    rss_ingest = rss_mb()

    res, cmp_runs = timed(lambda: reconcile(off, ind), max(a.repeat, 1))
    rss_compare = rss_mb()
    _, json_runs = timed(lambda: reconcile(off, ind).to_dict(), 1)   # reconcile + to_dict, fresh result
    _, dict_runs = timed(lambda: res.to_dict(), max(a.repeat, 1))    # to_dict alone (frames built once)

    _, mem_ingest = traced(lambda: ingest(a.official))
    _, mem_cmp = traced(lambda: reconcile(off, ind))

    def best(runs, i):
        return min(r[i] for r in runs)

    ing_w, ing_c = best(ing_runs, 0), best(ing_runs, 1)
    cmp_w, cmp_c = best(cmp_runs, 0), best(cmp_runs, 1)
    u = res.units
    print(f"units: {len(off.data):,} × 2 rows; matched {u['matched']:,}, differing {u['differing']:,}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (a shared machine inflates wall time)")
    print(f"{'step':<38} {'runs':>4} {'wall s':>7} {'cpu s':>7} {'traced peak MB':>15}   every run (wall/cpu)")
    print(f"{'ingest ' + a.official:<38} {len(ing_runs):4d} {ing_w:7.2f} {ing_c:7.2f} {mem_ingest:15.0f}   "
          f"{fmt_runs(ing_runs)}")
    print(f"{'ingest ' + a.independent:<38} {len(ind_runs):4d} {best(ind_runs, 0):7.2f} {best(ind_runs, 1):7.2f} "
          f"{'':>15}")
    print(f"{'reconcile':<38} {len(cmp_runs):4d} {cmp_w:7.2f} {cmp_c:7.2f} {mem_cmp:15.0f}   {fmt_runs(cmp_runs)}")
    print(f"{'  (median of the reconcile runs)':<38} {'':>4} {statistics.median(r[0] for r in cmp_runs):7.2f} "
          f"{statistics.median(r[1] for r in cmp_runs):7.2f}")
    print(f"{'reconcile + to_dict (JSON-ready)':<38} {len(json_runs):4d} {best(json_runs, 0):7.2f} "
          f"{best(json_runs, 1):7.2f}")
    print(f"{'to_dict alone':<38} {len(dict_runs):4d} {best(dict_runs, 0):7.2f} {best(dict_runs, 1):7.2f}")
    print(f"process RSS high-water: after ingest of one {rss_ingest1:,.0f} MB, of both {rss_ingest:,.0f} MB, "
          f"after reconcile {rss_compare:,.0f} MB")
    r_cpu, r_wall = cmp_c / ing_c, cmp_w / ing_w
    print(f"ratio reconcile / ingest of the same file (best runs): cpu {r_cpu:.2f}, wall {r_wall:.2f}")
    ok = r_cpu < 1
    print(f"target: reconcile < ingest ({cmp_c:.2f} s vs {ing_c:.2f} s CPU): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
