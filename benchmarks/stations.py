"""The station list on planted fraud: top-K precision, recall and the clean twin's list, per kind.

    python benchmarks/stations.py [--units 40000] [--share 0.01] [--seeds 3] [--shape synthetic|russia-2012|...]

For each shape (``synthetic``: electcheck.forensics.plant.synthetic, a two-level
hierarchy; or a dataset name: clean elections simulated from its unit sizes,
regional turnout and shares) and each seed, a clean election of ``--units``
units is simulated, and a twin receives stuffing (turnout pushed to 90–100 %,
every extra ballot for the leader), rounding (leader share up to the next
whole percentage) and switching (30 % of the other candidates' votes to the
leader), each in ``--share`` of the units (disjoint). Printed per kind: top-K
precision (K = planted units; the list ranked by that kind's own reasons),
recall of the whole list, and the clean twin's list length; CPU seconds and the
load average beside each row. Run with ELECTCHECK_DATA_DIR set for dataset shapes.
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
    from electcheck.forensics import plant
    from electcheck.forensics.units import from_tally

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=40_000)
    ap.add_argument("--share", type=float, default=0.01)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--shape", action="append")
    a = ap.parse_args()
    print("| shape | seed | units | stuffing top-K prec. | stuffing recall | rounding top-K prec. | rounding recall "
          "| switching top-K prec. | switching recall | listed | clean twin listed | CPU s | load |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for shape in a.shape or ["synthetic"]:
        if shape == "synthetic":
            template = plant.synthetic(a.units, seed=0)
        else:
            from electcheck.ingest import ingest

            template = from_tally(ingest(shape).tally)
        for seed in range(a.seeds):
            c0 = time.process_time()
            r = plant.evaluate(template, seed=seed, n_units=a.units, share=a.share)
            k = r["kinds"]
            print(f"| {shape} | {seed} | {r['units']:,} | {k['stuffing']['top_k_precision']:.3f} | "
                  f"{k['stuffing']['recall']:.3f} | {k['rounding']['top_k_precision']:.3f} | "
                  f"{k['rounding']['recall']:.3f} | {k['switching']['top_k_precision']:.3f} | "
                  f"{k['switching']['recall']:.3f} | {r['listed']:,} | {r['clean_twin_listed']:,} "
                  f"({100 * r['clean_twin_share']:.3f} %) | {time.process_time() - c0:.1f} | "
                  f"{os.getloadavg()[0]:.1f} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
