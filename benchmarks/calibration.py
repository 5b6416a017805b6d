"""Rejection rates at α = 0.05 on clean elections simulated like Venezuela 2024 and Russia 2012.

    python benchmarks/calibration.py [--sims 200] [--resamples 99] [--units N]

For each shape, ``sims`` clean elections are simulated from the real tally's
unit sizes and turnout (electcheck.forensics.calibration), every calibrated
test is run on each with ``resamples`` Monte Carlo draws, and the share of
p-values ≤ 0.05 is printed with its Monte Carlo standard error (clustered by
simulation: the candidates of one election share its draws) and its upper 95 %
bound. A label is "calibrated" only when that bound is ≤ 2α = 0.10. The
textbook nulls of the digit tests are shown beside them. ``--resamples`` is
the digit tests' resamples; integer-percent uses 19 (exact size, see
calibration.DEFAULT_RESAMPLES).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ELECTCHECK_DATA_DIR", str(ROOT.parent / "shared" / "datasets"))


def main() -> None:
    from electcheck.forensics import CALIBRATED, TESTS, calibration
    from electcheck.forensics.units import from_tally
    from electcheck.ingest import ingest

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sims", type=int, default=200)
    ap.add_argument("--resamples", type=int, default=39)
    ap.add_argument("--units", type=int, default=None, help="units per simulated election (default: all)")
    ap.add_argument("--shape", action="append")
    a = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| shape | test | units/sim | sims | p-values | rejection rate | ± 1 MC se | upper 95 % | label | "
          "textbook null |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for name in a.shape or ["venezuela-2024/opposition-v1", "russia-2012"]:
        units = from_tally(ingest(name).tally)
        t0 = time.perf_counter()
        cal = calibration.calibrate_many(units, [TESTS[s] for s in CALIBRATED], sims=a.sims,
                                         resamples=a.resamples, seed=2024, max_units=a.units or units.n)
        for slug, c in cal.items():
            tb = c.get("textbook")
            tbs = f"{tb['label']} ({tb['rejection_rate']:.3f})" if tb else ""
            rate = "" if c["rejection_rate"] is None else f"{c['rejection_rate']:.3f}"
            se = "" if c.get("mc_se") is None else f"{c['mc_se']:.3f}"
            hi = "" if c.get("rate_upper_95") is None else f"{c['rate_upper_95']:.3f}"
            print(f"| {name} | {slug} | {c['units_per_sim']:,} | {c['sims']} | {c['trials']} | {rate} | {se} | "
                  f"{hi} | {c['label']} | {tbs} |")
        print(f"<!-- {name}: {time.perf_counter() - t0:.0f} s wall, load average {os.getloadavg()[0]:.1f} -->")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
