"""Batches: many audits, forensic runs, article feeds and folders of acta photos as Dask tasks, local
by default.

    from electcheck.batch import run_batch
    summary = run_batch("batch.toml", "out/", scheduler="local")

Each job writes what its single command writes into ``OUT/NAME/``; ``OUT/batch.json``
and ``OUT/batch.csv`` list every job (status, one-line reason, seconds, input hashes,
key figures). A failed job does not stop the others. A re-run skips jobs whose options
and input files are unchanged and whose last run was ``ok``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable

from ..errors import InputError
from .config import BatchConfig, Job, load_batch_config
from .jobs import estimated_cost, job_digest, run_job

__all__ = ["run_batch", "load_batch_config", "Job", "BatchConfig"]

SUMMARY = "batch.json"
TABLE = "batch.csv"


def run_batch(config: str | Path | BatchConfig, out_dir: str | Path, *, scheduler: str = "local",
              workers: int | None = None, force: bool = False,
              on_start: Callable[[dict], None] | None = None,
              on_done: Callable[[dict], None] | None = None) -> dict[str, Any]:
    """Run every job of ``config`` on Dask and write batch.json / batch.csv in ``out_dir``."""
    from . import scheduler as sched

    cfg = config if isinstance(config, BatchConfig) else load_batch_config(config)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("the output must be a folder", file=str(out))
    out.mkdir(parents=True, exist_ok=True)
    digests = {j.name: job_digest(j) for j in cfg.jobs}
    previous = {} if force else _previous(out)
    rows: dict[str, dict] = {}
    todo: list[Job] = []
    for j in cfg.jobs:
        old = previous.get(j.name)
        if old and old.get("status") == "ok" and old.get("inputs_sha256") == digests[j.name] and _written(out, j):
            rows[j.name] = {**old, "skipped": True}
            if on_done:
                on_done(rows[j.name])
        else:
            todo.append(j)
    t0 = time.perf_counter()
    info: dict[str, Any] = {"scheduler": scheduler, "workers": 0, "dashboard": None}
    if todo:
        from distributed import as_completed

        cluster = sched.start(scheduler, workers)
        info.update(workers=cluster.workers, dashboard=cluster.dashboard)
        if on_start:
            on_start(info)
        try:
            # the largest inputs first (higher priority runs first): the last job to finish is a short one
            by_cost = sorted(todo, key=lambda j: (estimated_cost(j), j.name))
            rank = {j.name: i for i, j in enumerate(by_cost)}
            futures = {cluster.client.submit(run_job, j, str(out), digests[j.name], pure=False,
                                             priority=rank[j.name],
                                             key=f"{j.name}-{digests[j.name][:12]}"): j for j in todo}
            for fut in as_completed(list(futures)):
                try:
                    row = fut.result()
                except Exception as e:  # the worker died (memory, a signal): the job failed, the batch goes on
                    j = futures[fut]
                    row = {"name": j.name, "command": j.command, "status": "failed",
                           "reason": f"worker lost ({type(e).__name__})", "seconds": None,
                           "inputs_sha256": digests[j.name]}
                row["skipped"] = False
                rows[row["name"]] = row
                if on_done:
                    on_done(row)
        finally:
            cluster.close()
    ordered = [rows[j.name] for j in cfg.jobs]
    summary = {"config": str(cfg.path), "scheduler": scheduler, "workers": info["workers"],
               "wall_seconds": round(time.perf_counter() - t0, 3),
               "cpu_seconds": round(sum(r.get("cpu_seconds") or 0 for r in ordered if not r.get("skipped")), 3),
               "jobs": ordered}
    (out / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / TABLE).write_text(batch_csv(ordered), encoding="utf-8", newline="")
    return summary


def _previous(out: Path) -> dict[str, dict]:
    try:
        d = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
        return {r["name"]: r for r in d.get("jobs", []) if isinstance(r, dict) and "name" in r}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _written(out: Path, job: Job) -> bool:
    d = out / job.name
    return any((d / f).exists() for f in ("result.json", "result.jsonl", "report/run.json"))


def batch_csv(rows: list[dict]) -> str:
    """One row per job, key figures as columns; text cells through the formula guard, numbers stay numbers."""
    from ..report.safe import csv_text

    keys: list[str] = []
    for r in rows:
        for k in (r.get("figures") or {}):
            if k not in keys:
                keys.append(k)
    header = ["name", "command", "status", "reason", "seconds", "skipped", *keys, "inputs_sha256"]
    body = ([r["name"], r["command"], r["status"], r.get("reason") or "", r.get("seconds"), r.get("skipped", False),
             *[(r.get("figures") or {}).get(k, "") for k in keys], r.get("inputs_sha256")] for r in rows)
    return csv_text(header, body)
