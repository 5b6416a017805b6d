"""electcheck data list | data fetch NAME."""

from __future__ import annotations

import typer

from ..sources import registry
from . import app
from .common import Format, FormatOpt, QuietOpt, emit, info, to_json

data_app = typer.Typer(help="Built-in datasets: list them, fetch and verify their files.", no_args_is_help=True)
app.add_typer(data_app, name="data")


def dataset_rows() -> list[dict]:
    rows = []
    for d in registry.DATASETS.values():
        path = registry.local_path(d.file)
        rows.append({"name": d.name, "description": d.description, "file": d.file.name,
                     "sha256": d.file.sha256 or None, "url": d.file.url,
                     "available": path is not None, "path": str(path) if path else None})
    return rows


@data_app.command("list")
def list_(fmt: Format = FormatOpt) -> None:
    """List the built-in dataset names, their files and whether each is available here."""
    rows = dataset_rows()
    if fmt is Format.json:
        emit(to_json(rows))
        return
    width = max(len(r["name"]) for r in rows)
    lines = [f"{r['name']:<{width}}  {'yes' if r['available'] else 'no ':<3}  {r['description']}" for r in rows]
    emit(f"{'name':<{width}}  here  description\n" + "\n".join(lines) + "\n")


@data_app.command("fetch")
def fetch(name: str = typer.Argument(..., help="Dataset name (see 'electcheck data list')."),
          quiet: bool = QuietOpt) -> None:
    """Make a dataset's file available (data dir, cache or download) and verify its SHA-256."""
    ds = registry.get_dataset(name)
    path = registry.resolve(ds.file)
    digest = registry.verify(path, ds.file) if ds.file.sha256 else registry.sha256_file(path)
    info(f"{name}: {path} (sha256 {digest}) verified", quiet)
    emit(f"{path}\n")
