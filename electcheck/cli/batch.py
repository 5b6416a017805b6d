"""electcheck batch CONFIG -o DIR: many jobs as Dask tasks."""

from __future__ import annotations

import typer

from ..escape import terminal
from . import app
from .common import QuietOpt, info
from .progress import Bar


@app.command("batch")
def batch(
    config: str = typer.Argument(..., help="Batch config (TOML) listing [[jobs]]."),
    output: str = typer.Option(..., "--output", "-o", help="Folder for the jobs' results, batch.json and batch.csv."),
    scheduler: str = typer.Option("local", "--scheduler", help="local (a LocalCluster, one process per core), "
                                  "processes, threads, or tcp://HOST:PORT of a running Dask scheduler."),
    workers: int = typer.Option(None, "--workers", help="Workers of a local cluster (default: one per core)."),
    force: bool = typer.Option(False, "--force", help="Re-run every job, even those whose inputs are unchanged."),
    quiet: bool = QuietOpt,
) -> None:
    """Run many audits, forensic runs, checks and folders of acta photos; exit 1 if any job failed."""
    from ..batch import load_batch_config, run_batch

    cfg = load_batch_config(config)
    bar = Bar("batch", quiet, total=len(cfg.jobs), lines=True)

    def started(i: dict) -> None:
        info(f"batch: {len(cfg.jobs)} jobs on {i['workers']} worker(s) ({i['scheduler']})", quiet)
        if i.get("dashboard"):
            info(f"Dask dashboard: {i['dashboard']}", quiet)

    with bar:
        summary = run_batch(cfg, output, scheduler=scheduler, workers=workers, force=force,
                            on_start=started, on_done=lambda row: bar.advance(_line(row)))
    failed = [r for r in summary["jobs"] if r["status"] != "ok"]
    skipped = sum(bool(r.get("skipped")) for r in summary["jobs"])
    info(f"{len(summary['jobs']) - len(failed)} ok ({skipped} unchanged, skipped), {len(failed)} failed; "
         f"{summary['wall_seconds']:.1f} s wall; wrote {output}/batch.json and batch.csv", quiet)
    if failed:
        raise SystemExit(1)


def _line(row: dict) -> str:
    what = "unchanged" if row.get("skipped") else row["status"]
    return (f"{terminal(row['name'])}: {what}" + (f" — {terminal(row['reason'])}" if row.get("reason") else "")
            + (f" ({row['seconds']:.1f} s)" if row.get("seconds") and not row.get("skipped") else ""))
