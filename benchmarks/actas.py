"""Acta-photo benchmark: electcheck's reader against bare zxing-cpp on the same photos, same run.

    ELECTCHECK_DATA_DIR=../shared/datasets python benchmarks/actas.py [--n 300] [--dir DIR] [--workers 2]

Synthetic acta photos (tests/acta_synth.py: 1700 × 2800 page, rotated up to 10°,
skewed, blurred, unevenly lit, JPEG quality 50) are generated first (not timed).
Then, each in its own child process so that peak memory belongs to that step:

- ``bare``: zxing-cpp ``read_barcodes`` on each whole photo opened with Pillow, one
  process (what a one-off decoder script does);
- ``electcheck/1``: ``read_actas`` with one process;
- ``electcheck/W``: ``read_actas`` over W worker processes (default: all cores);
- ``electcheck/W ×K``: the same on K times as many photos (hard links under new
  names), to show that memory stays flat as the folder grows.

Printed: photos per second for each, the ratio to bare zxing-cpp, the decode rate,
the 25,000-acta extrapolation on W cores (target: under 15 minutes) and the peak
RSS (main process and largest worker).
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
TARGET_MINUTES = 15
ACTAS_2024 = 25_000


def _child(kind: str, folder: str, workers: int) -> None:
    import resource

    files = sorted(str(p) for p in Path(folder).rglob("*.jpg"))
    t0 = time.perf_counter()
    if kind == "bare":
        import zxingcpp
        from PIL import Image

        ok = 0
        for f in files:
            with Image.open(f) as im:
                ok += bool(zxingcpp.read_barcodes(im))
        decoded = ok
    else:
        from electcheck.sources.acta_images import read_actas

        r = read_actas(folder, workers=workers)
        decoded = r.images_decoded
    wall = time.perf_counter() - t0
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"kind": kind, "photos": len(files), "decoded": decoded, "wall": wall,
                      "peak_mb": round(me, 1), "worker_peak_mb": round(kids, 1)}))


def _run(kind: str, folder: Path, workers: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--dir", str(folder), "--workers", str(workers)],
                         capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def _generate(folder: Path, n: int, workers: int) -> None:
    sys.path.insert(0, str(HERE.parent / "tests"))
    import acta_synth as synth

    data = Path(os.environ.get("ELECTCHECK_DATA_DIR", HERE.parent.parent / "shared" / "datasets"))
    csv_path = data / "venezuela-2024" / "qr_resultados_vzlapi.csv"
    actas = synth.load_actas(csv_path, n) if csv_path.exists() else synth.fake_actas(n)
    t0 = time.perf_counter()
    synth.write_photos(actas, folder, seed=2024, workers=workers)
    print(f"generated {n} photos in {time.perf_counter() - t0:.1f} s -> {folder}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="photos to generate (default 300)")
    ap.add_argument("--dir", help="folder of photos (generated there if empty; default: a temporary folder)")
    ap.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--grow", type=int, default=4, help="the memory check reads this many times the photos")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        _child(a.child, a.dir, a.workers)
        return
    tmp = None
    if a.dir:
        folder = Path(a.dir)
        folder.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="electcheck-actas-")
        folder = Path(tmp.name) / "photos"
        folder.mkdir()
    if not any(folder.glob("*.jpg")):
        _generate(folder, a.n, a.workers)
    big = folder.parent / (folder.name + f"-x{a.grow}")
    if not big.exists():
        big.mkdir()
        for k in range(a.grow):
            for p in sorted(folder.glob("*.jpg")):
                os.link(p, big / f"{k}_{p.name}")
    try:
        rows = [_run("bare", folder, 1), _run("electcheck", folder, 1), _run("electcheck", folder, a.workers),
                _run("electcheck", big, a.workers)]
    finally:
        if tmp is not None:
            tmp.cleanup()
    bare = rows[0]["photos"] / rows[0]["wall"]
    labels = ["bare zxing-cpp (1 process)", "electcheck (1 process)", f"electcheck ({a.workers} processes)",
              f"electcheck ({a.workers} processes, x{a.grow} photos)"]
    print(f"{'':40} {'photos':>7} {'decoded':>8} {'photos/s':>9} {'vs bare':>8} {'peak MB':>8} {'worker MB':>9}")
    for label, r in zip(labels, rows):
        rate = r["photos"] / r["wall"]
        print(f"{label:40} {r['photos']:7d} {r['decoded']:8d} {rate:9.1f} {rate / bare:7.1f}x "
              f"{r['peak_mb']:8.0f} {r['worker_peak_mb']:9.0f}")
    # the longer run amortises the pool's start-up: it is the steady rate of a big folder
    rate_w = max(rows[2]["photos"] / rows[2]["wall"], rows[3]["photos"] / rows[3]["wall"])
    minutes = ACTAS_2024 / rate_w / 60
    print(f"\n{ACTAS_2024:,} actas on {a.workers} cores: {minutes:.1f} min at {rate_w:.1f} photos/s "
          f"(target < {TARGET_MINUTES}); "
          f"bare zxing-cpp on one core: {ACTAS_2024 / bare / 60:.1f} min")
    print(f"decode rate: electcheck {rows[2]['decoded'] / rows[2]['photos']:.2%}, "
          f"bare zxing-cpp {rows[0]['decoded'] / rows[0]['photos']:.2%}")
    print(f"memory: peak {rows[2]['peak_mb']:.0f} MB main / {rows[2]['worker_peak_mb']:.0f} MB worker for "
          f"{rows[2]['photos']} photos; {rows[3]['peak_mb']:.0f} / {rows[3]['worker_peak_mb']:.0f} MB for "
          f"{rows[3]['photos']}")


if __name__ == "__main__":
    main()
