"""Acta photos in a batch (chunks as Dask tasks) against a single ``electcheck ingest``, same photos, same run.

    ELECTCHECK_DATA_DIR=../shared/datasets python benchmarks/actas_batch.py [--n 500] [--dir DIR] [--reps 2]

Synthetic acta photos (tests/acta_synth.py) are generated first (not timed; reused when
DIR already holds them). Then, alternately, ``--reps`` times each:

- ``single``: ``electcheck ingest DIR --profile venezuela-2024/acta-qr -o … --errors … --format json``
  (the local process pool over all cores);
- ``batch``: ``electcheck batch`` with one actas job on the same folder (a LocalCluster,
  one worker per core; the photos decoded as chunk tasks).

Both as commands in a child process, so each wall time includes start-up (the batch's
includes starting the cluster). Printed: wall time and photos per second of each, the
batch job's own photos per second (from its start to its tally, without the cluster's
start-up), the load average before and after, and whether the outputs are the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROFILE = "venezuela-2024/acta-qr"


def _photos(folder: Path, n: int) -> None:
    if len(list(folder.glob("*.jpg"))) == n:
        return
    sys.path.insert(0, str(HERE.parent / "tests"))
    import acta_synth as synth

    data = Path(os.environ.get("ELECTCHECK_DATA_DIR", HERE.parent.parent / "shared" / "datasets"))
    csv = data / "venezuela-2024" / "qr_resultados_vzlapi.csv"
    actas = synth.load_actas(csv, n) if csv.exists() else synth.fake_actas(n)
    synth.write_photos(actas, folder, seed=5, workers=synth.default_workers())


def _run(argv: list[str]) -> float:
    t0 = time.perf_counter()
    cmd = [sys.executable, "-c", "import sys; from electcheck.cli import console_main; sys.argv[0] = 'electcheck'; "
           "console_main()", *argv]
    subprocess.run(cmd, check=True, stdout=subprocess.PIPE)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--dir", default=None, help="folder for the photos (default: a temporary one)")
    ap.add_argument("--reps", type=int, default=2)
    a = ap.parse_args()
    root = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix="actas-batch-"))
    photos = (root / "photos").resolve()
    photos.mkdir(parents=True, exist_ok=True)
    _photos(photos, a.n)
    cfg = root / "batch.toml"
    cfg.write_text(f'[[jobs]]\nname = "photos"\ncommand = "actas"\nsource = "{photos}"\nprofile = "{PROFILE}"\n',
                   encoding="utf-8")
    load0 = os.getloadavg()
    times: dict[str, list[float]] = {"single": [], "batch": []}
    inner: list[float] = []
    for _ in range(a.reps):
        single = root / "single"
        single.mkdir(exist_ok=True)
        times["single"].append(_run(["ingest", str(photos), "--profile", PROFILE, "-o", str(single / "tally.parquet"),
                                     "--errors", str(single / "quarantine.csv"), "--format", "json", "-q"]))
        out = root / "out"
        times["batch"].append(_run(["batch", str(cfg), "-o", str(out), "--force", "-q"]))
        row = json.loads((out / "batch.json").read_text(encoding="utf-8"))["jobs"][0]
        assert row["status"] == "ok", row
        inner.append(row["figures"]["photos_per_second"])
    load1 = os.getloadavg()
    same = all((single / f).read_bytes() == (out / "photos" / f).read_bytes()
               for f in ("tally.parquet", "quarantine.csv"))
    print(f"{a.n} photos, {os.cpu_count()} cores, load average {load0[0]:.2f} before, {load1[0]:.2f} after")
    for k, ts in times.items():
        best = min(ts)
        print(f"{k:>6}: wall {', '.join(f'{t:.1f}' for t in ts)} s; best {a.n / best:.1f} photos/s")
    print(f" batch job alone (no cluster start-up): {', '.join(f'{x:.1f}' for x in inner)} photos/s")
    print(f"same bytes (tally.parquet, quarantine.csv): {same}")


if __name__ == "__main__":
    main()
