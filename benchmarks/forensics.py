"""Full forensic battery on Russia 2012 and Indonesia 2019, with wall time and peak memory.

    python benchmarks/forensics.py [--resamples 1000] [--only russia-2012] [--repro]

Targets (issue 5, this 2-core machine): Russia 2012 under 30 s, Indonesia 2019
under 3 minutes, peak memory under 4 GB. ``--repro`` also prints the
integer-percentage excess for every Russian year next to the published figure.
Run with ELECTCHECK_DATA_DIR pointing at the shared datasets.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ELECTCHECK_DATA_DIR", str(ROOT.parent / "shared" / "datasets"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def battery(name: str, resamples: int) -> None:
    from electcheck.forensics import analyze
    from electcheck.ingest import ingest

    t0 = time.perf_counter()
    tally = ingest(name).tally
    t_ingest = time.perf_counter() - t0
    t0 = time.perf_counter()
    rep = analyze(tally, resamples=resamples)
    t_run = time.perf_counter() - t0
    sig = [f"{r.test}:{r.subject}" for r in rep.significant()]
    print(f"{name}: {len(tally.data):,} units; ingest {t_ingest:.1f} s; full battery ({resamples} resamples, "
          f"{rep.parameters['calibration_sims']} calibration sims) {t_run:.1f} s; peak RSS {peak_mb():,.0f} MB")
    print("  steps: " + ", ".join(f"{k} {v:.1f}s" for k, v in rep.timings.items()))
    print(f"  significant after BH (q ≤ 0.05): {', '.join(sig) or 'none'}; flagged units {len(rep.flags):,}")
    sys.stdout.flush()


def repro(resamples: int) -> None:
    from electcheck.forensics import integer_percent
    from electcheck.forensics.units import from_tally
    from electcheck.ingest import ingest

    pub = {}
    path = Path(os.environ["ELECTCHECK_DATA_DIR"]) / "russia-federal-2004-2024" / "published_figures.csv"
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["item"] == "excess_integer_polling_stations" and "printed array" in row["reference"]:
                pub[int(row["year"])] = float(row["value"])
    print(f"| year | tested | observed | expected | excess | MC sd | published | (ours − published) / sd | p |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for y in sorted(pub):
        if y < 2004:
            continue
        u = from_tally(ingest(f"russia-{y}").tally)
        (r,) = integer_percent.run(u, seed=y, resamples=resamples, scoped=False)
        d = r.details
        print(f"| {y} | {d['n_tested']:,} | {d['observed']:,.0f} | {d['expected']:,.1f} | {d['excess']:,.1f} | "
              f"{d['sd']:.1f} | {pub[y]:,.1f} | {(d['excess'] - pub[y]) / d['sd']:+.2f} | {r.p_value:.4f} |")
        sys.stdout.flush()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--only", action="append")
    ap.add_argument("--repro", action="store_true")
    a = ap.parse_args()
    for name in a.only or ["russia-2012", "indonesia-2019/official"]:
        battery(name, a.resamples)
    if a.repro:
        repro(a.resamples)


if __name__ == "__main__":
    main()
