"""electcheck inspect FILE: profile an unknown tally file and draft a mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..sources.inspect import Inspection, draft_mapping, inspect_file
from . import app
from .common import Format, QuietOpt, emit, info, to_json


def render_summary(ins: Inspection) -> str:
    lines = [f"{ins.file}: {ins.format}, encoding {ins.encoding}, delimiter {ins.delimiter!r}, "
             f"header row {ins.header_row}, {ins.rows:,} rows"
             + (f" (+{ins.rows_unsplittable} that do not split into the header's columns)"
                if ins.rows_unsplittable else ""),
             f"numbers: locale {ins.locale}; key: {' + '.join(ins.key) or 'none found'}"]
    for c in ins.columns:
        role = f"{c.role}:{c.field}" if c.field else c.role
        lines.append(f"  {c.name:<32} {role:<18} e.g. {', '.join(c.examples)[:60]}")
    lines += [f"note: {n}" for n in ins.notes]
    return "\n".join(lines) + "\n"


@app.command()
def inspect(
    file: Path = typer.Argument(..., help="The tally file to look at (CSV, TSV, XLSX, JSON, Parquet, .gz)."),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the draft mapping (TOML) here."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding (default: detect)."),
    delimiter: Optional[str] = typer.Option(None, "--delimiter", help="Field delimiter (default: detect)."),
    header_row: Optional[int] = typer.Option(None, "--header-row", help="Row number of the header (1 = first)."),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="XLSX sheet name."),
    fmt: Format = typer.Option(Format.table, "--format", "-f",
                               help="table: draft TOML on stdout, summary on stderr; json: the profile."),
    quiet: bool = QuietOpt,
) -> None:
    """Guess encoding, delimiter, header, counts, candidates and codes; print a draft mapping to edit."""
    if delimiter == "\\t":
        delimiter = "\t"
    ins = inspect_file(file, encoding=encoding, delimiter=delimiter, header_row=header_row, sheet=sheet)
    draft = draft_mapping(ins)
    if fmt is Format.json:
        emit(to_json({**ins.to_dict(), "draft_mapping": draft}))
        return
    info(render_summary(ins).rstrip("\n"), quiet)
    if out is not None:
        out.write_text(draft, encoding="utf-8")
        info(f"draft mapping written to {out}; edit it, then: electcheck ingest {file} --map {out}", quiet)
    else:
        emit(draft)
