"""Ingest benchmark: the Indonesia per-TPS file (813,336 rows) against a bare pyarrow read.

    ELECTCHECK_DATA_DIR=../shared/datasets python benchmarks/ingest.py [--repeat N] [--source NAME]

Each measurement runs in its own child process, so the peak memory (maxrss of
the child) belongs to that step alone; wall and CPU time (all threads) are
measured around the work only (imports excluded). The two steps alternate
(baseline, ingest, baseline, ...) so that load from other programs on a shared
machine falls on both alike; the table shows the best of ``--repeat`` runs and
the median of the per-pair ratios. Target: ingest within 3x of the baseline and
under 2 GB peak (the project aims at 2x).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

TARGET_RATIO = 3.0
TARGET_PEAK_MB = 2048


def _child(kind: str, source: str) -> None:
    import resource

    from electcheck.sources import registry

    path = registry.resolve(registry.DATASETS[source].file)

    def cpu() -> float:
        ru = resource.getrusage(resource.RUSAGE_SELF)
        return ru.ru_utime + ru.ru_stime

    if kind == "baseline":
        import pyarrow.csv as pacsv

        c0, t0 = cpu(), time.perf_counter()
        table = pacsv.read_csv(path)
        wall = time.perf_counter() - t0
        rows = table.num_rows
    else:
        from electcheck.ingest import ingest

        c0, t0 = cpu(), time.perf_counter()
        result = ingest(source)
        wall = time.perf_counter() - t0
        rows = result.report.rows_read
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"kind": kind, "wall_s": wall, "peak_mb": ru.ru_maxrss / 1024, "rows": rows,
                      "cpu_s": ru.ru_utime + ru.ru_stime - c0}))


def _measure(kind: str, source: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--source", source],
                         capture_output=True, text=True, env=os.environ.copy())
    if out.returncode != 0:
        sys.exit(f"benchmark child {kind} failed:\n{out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", default="indonesia-2019/official")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", choices=["baseline", "ingest"])
    ap.add_argument("--json", action="store_true", help="also print every run as one JSON line")
    args = ap.parse_args()
    if args.child:
        _child(args.child, args.source)
        return
    runs: dict[str, list[dict]] = {"baseline": [], "ingest": []}
    for _ in range(args.repeat):  # alternate, so both see the same machine load
        for kind in ("baseline", "ingest"):
            runs[kind].append(_measure(kind, args.source))
    res = {kind: {"wall_s": min(r["wall_s"] for r in rs), "peak_mb": max(r["peak_mb"] for r in rs),
                  "cpu_s": min(r["cpu_s"] for r in rs), "rows": rs[0]["rows"]} for kind, rs in runs.items()}
    pairs = list(zip(runs["baseline"], runs["ingest"]))
    med_t = statistics.median(i["wall_s"] / b["wall_s"] for b, i in pairs)
    med_c = statistics.median(i["cpu_s"] / b["cpu_s"] for b, i in pairs)
    ratio_t = res["ingest"]["wall_s"] / res["baseline"]["wall_s"]
    ratio_m = res["ingest"]["peak_mb"] / res["baseline"]["peak_mb"]
    ratio_c = res["ingest"]["cpu_s"] / res["baseline"]["cpu_s"]
    print(f"source: {args.source} ({res['ingest']['rows']:,} rows), best of {args.repeat} alternating runs, "
          "each in a child process")
    print(f"{'step':<34}{'wall time':>12}{'peak memory':>14}{'CPU time':>16}")
    for kind, label in (("baseline", "pyarrow.csv.read_csv (baseline)"), ("ingest", "electcheck ingest")):
        r = res[kind]
        print(f"{label:<34}{r['wall_s']:>11.2f}s{r['peak_mb']:>11.0f} MB{r['cpu_s']:>15.2f}s")
    print(f"{'ratio (best / best)':<34}{ratio_t:>11.2f}x{ratio_m:>12.2f}x{ratio_c:>15.2f}x")
    print(f"{'ratio (median of pairs)':<34}{med_t:>11.2f}x{'':>14}{med_c:>15.2f}x")
    print("(wall and CPU time of the work only, imports excluded; CPU counts all threads.)")
    if args.json:
        print(json.dumps({"runs": runs, "best": res, "ratio_wall": ratio_t, "ratio_cpu": ratio_c,
                          "median_ratio_wall": med_t, "median_ratio_cpu": med_c}))
    ok_t, ok_m = ratio_t <= TARGET_RATIO, res["ingest"]["peak_mb"] <= TARGET_PEAK_MB
    print(f"target: time within {TARGET_RATIO:.0f}x of baseline: {'met' if ok_t else 'NOT met'}; "
          f"peak under {TARGET_PEAK_MB} MB: {'met' if ok_m else 'NOT met'}")


if __name__ == "__main__":
    main()
