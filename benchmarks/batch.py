"""Benchmark: ten Russian federal elections' forensic batteries as one Dask batch against the single runs.

    ELECTCHECK_DATA_DIR=../shared/datasets python benchmarks/batch.py [--resamples 1000] [--articles 10000]

Target (issue 12): the batch's wall time is within 1.1× of the single runs' total CPU
seconds divided by the cores (both cores busy throughout), and its results are identical
to the single runs, byte for byte. Each single run is a child process
(``electcheck forensics russia-YEAR --resamples N --format json -o …``), timed for wall
and CPU (user + system of the child, from ``resource.RUSAGE_CHILDREN``); the batch runs
as one child process too, so the comparison includes the cluster's start-up.

Then the feed: N short articles (cycled from the English and Spanish sentences of
tests/claims/testset.csv) checked as one job; articles per second and the peak resident
memory of the batch's processes (the largest child, ``ru_maxrss``) at N and at N/5 — a
steady footprint gives about the same peak for both. The load average is printed with
every figure: on a shared machine the ratio is only meaningful when it is near 0 before.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEARS = (2004, 2007, 2008, 2011, 2012, 2016, 2018, 2020, 2021, 2024)


def child(argv: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB of the largest child so far) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def electcheck(*args: str) -> list[str]:
    return [sys.executable, "-c", "import electcheck.cli.batch; from electcheck.cli import main; main()", *args]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resamples", type=int, default=1000)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--skip-feed", action="store_true")
    ap.add_argument("--feed-only", action="store_true", help="only the feed part")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="electcheck-batch-"))
    print(f"cores {os.cpu_count()}, load before {load()}")

    if not a.feed_only:
        forensics_part(a, tmp)
    if not a.skip_feed:
        feed_part(a, tmp)


def forensics_part(a, tmp: Path) -> None:
    singles_cpu = singles_wall = 0.0
    for y in YEARS:
        w, c, _ = child(electcheck("forensics", f"russia-{y}", "--resamples", str(a.resamples), "--seed", "1",
                                   "--format", "json", "-o", str(tmp / f"single-{y}.json"), "-q"))
        singles_cpu += c
        singles_wall += w
        print(f"  single russia-{y}: wall {w:6.1f} s  CPU {c:6.1f} s  (load {load()})")
    cores = os.cpu_count() or 1
    ideal = singles_cpu / cores
    cfg = tmp / "batch.toml"
    cfg.write_text("".join(f'[[jobs]]\nname = "russia-{y}"\ncommand = "forensics"\nsource = "russia-{y}"\n'
                           f"seed = 1\nresamples = {a.resamples}\n\n" for y in YEARS), encoding="utf-8")
    w, c, _ = child(electcheck("batch", str(cfg), "-o", str(tmp / "out"), "-q"))
    same = all((tmp / "out" / f"russia-{y}" / "result.json").read_bytes() == (tmp / f"single-{y}.json").read_bytes()
               for y in YEARS)
    print(f"singles: wall {singles_wall:.1f} s, CPU {singles_cpu:.1f} s; ideal on {cores} cores {ideal:.1f} s")
    print(f"batch:   wall {w:.1f} s, CPU {c:.1f} s (load {load()})")
    print(f"ratio batch wall / (singles CPU / cores) = {w / ideal:.2f} (target ≤ 1.10); "
          f"speed-up over the singles' wall {singles_wall / w:.2f}×; results identical: {same}")



def feed_part(a, tmp: Path) -> None:
    src = ROOT / "tests" / "claims" / "testset.csv"
    with open(src, encoding="utf-8", newline="") as f:
        texts = [r["text"] for r in csv.DictReader(f) if r["against"] == "venezuela-2024/opposition-v2"]
    for n in (a.articles // 5, a.articles):
        feed = tmp / f"feed-{n}.jsonl"
        with open(feed, "w", encoding="utf-8") as f:
            for i in range(n):
                f.write(json.dumps({"id": i, "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n")
        cfg = tmp / f"feed-{n}.toml"
        cfg.write_text(f'[[jobs]]\nname = "feed"\ncommand = "check"\nfeed = "{feed.name}"\n'
                       'against = ["venezuela-2024/opposition-v2"]\n', encoding="utf-8")
        # a fresh process per size so that ru_maxrss is this run's peak
        code = ("import resource, subprocess, sys, json\n"
                f"subprocess.run({electcheck('batch', str(cfg), '-o', str(tmp / f'feed-out-{n}'), '-q')!r}, check=True)\n"
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
        t0 = time.perf_counter()
        peak = float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
                     .stdout.strip().splitlines()[-1])
        wall = time.perf_counter() - t0
        row = json.loads((tmp / f"feed-out-{n}" / "batch.json").read_text())["jobs"][0]
        print(f"feed of {n:,} articles: {row['figures']['articles_per_second']:,.0f} articles/s in the job, "
              f"{wall:.1f} s wall with start-up, peak RSS of the largest process {peak:,.0f} MB (load {load()})")


if __name__ == "__main__":
    main()
