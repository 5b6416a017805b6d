"""electcheck inspect FILE: profile an unknown tally file and draft a mapping."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from ..escape import terminal
from ..sources.inspect import Inspection, draft_mapping, inspect_file
from . import app
from .common import Format, QuietOpt, emit, info, to_json


def _t(text: object) -> str:
    """Data shown on the terminal: control characters replaced, one line."""
    return " ".join(terminal(text).split())


def render_summary(ins: Inspection) -> str:
    lines = [f"{_t(ins.file)}: {ins.format}, encoding {ins.encoding}, delimiter {ins.delimiter!r}, "
             f"header row {ins.header_row}, {ins.rows:,} rows"
             + (f" (+{ins.rows_unsplittable} that do not split into the header's columns)"
                if ins.rows_unsplittable else ""),
             f"numbers: locale {ins.locale}; key: {_t(' + '.join(ins.key)) or 'none found'}"]
    for c in ins.columns:
        role = f"{c.role}:{c.field}" if c.field else c.role
        lines.append(f"  {_t(c.name)[:40]:<32} {role:<18} e.g. {_t(', '.join(c.examples))[:60]}")
    for lv in ins.hierarchy:
        parts = [f"code {_t(lv.code)}" if lv.code else "", f"name {_t(lv.name)}" if lv.name else ""]
        src = f" (from {_t(lv.derive_from)})" if lv.derive_from else ""
        lines.append(f"level {lv.level}: {', '.join(p for p in parts if p)}{src}")
    lines += [f"note: {_t(n)}" for n in ins.notes]
    return "\n".join(lines) + "\n"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or os.path.samefile(a, b)
    except OSError:
        return False


def check_output(out: Path, inputs: list[Path], force: bool) -> None:
    """Refuse to overwrite an input (ever) or an existing file (without --force)."""
    for i in inputs:
        if _same_file(out, i):
            raise InputError("-o names an input file; the draft would replace it", file=str(out),
                             hint="Write the draft to another file, e.g. -o mapping.toml")
    if out.exists() or out.is_symlink():
        if out.is_dir():
            raise InputError("-o names a folder", file=str(out), hint="Give a file name, e.g. -o mapping.toml")
        if not force:
            raise InputError("the file exists", file=str(out), hint="Pass --force to replace it, or choose "
                             "another name")


def _codebook_ref(codebook: Path, out: Optional[Path]) -> str:
    """The codebook's path as the mapping will read it: from the mapping's folder."""
    base = (out.parent if out is not None else Path(".")).resolve()
    try:
        return os.path.relpath(codebook.resolve(), base).replace(os.sep, "/")
    except ValueError:  # another drive (Windows)
        return str(codebook.resolve())


@app.command()
def inspect(
    file: Path = typer.Argument(..., help="The tally file to look at (CSV, TSV, XLSX, JSON, Parquet, .gz)."),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the draft mapping (TOML) here."),
    force: bool = typer.Option(False, "--force", help="Replace the -o file if it exists (never an input)."),
    codebook: Optional[Path] = typer.Option(None, "--codebook",
                                            help="CSV of code,name[,kind] naming coded columns (p_41, 10)."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding (default: detect)."),
    delimiter: Optional[str] = typer.Option(None, "--delimiter", help="Field delimiter (default: detect)."),
    header_row: Optional[int] = typer.Option(None, "--header-row", help="Row number of the header (1 = first)."),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="XLSX sheet name."),
    fmt: Format = typer.Option(Format.table, "--format", "-f",
                               help="table: draft TOML on stdout, summary on stderr; json: the profile."),
    quiet: bool = QuietOpt,
) -> None:
    """Guess encoding, delimiter, header, counts, candidates, codes and key; print a draft mapping to edit."""
    if delimiter == "\\t":
        delimiter = "\t"
    if out is not None:
        check_output(out, [file] + ([codebook] if codebook is not None else []), force)
    from ..sources.pdf import is_pdf

    if is_pdf(file):
        _inspect_pdf(file, out, fmt, quiet)
        return
    ins = inspect_file(file, encoding=encoding, delimiter=delimiter, header_row=header_row, sheet=sheet,
                       codebook=codebook)
    draft = draft_mapping(ins, _codebook_ref(codebook, out) if codebook is not None else None)
    if fmt is Format.json:
        emit(to_json({**ins.to_dict(), "draft_mapping": draft}))
        return
    info(render_summary(ins).rstrip("\n"), quiet)
    if out is not None:
        out.write_text(draft, encoding="utf-8")
        info(f"draft mapping written to {_t(out)}; edit it, then: electcheck ingest {_t(file)} --map {_t(out)}",
             quiet)
    else:
        emit(draft)


def _inspect_pdf(file: Path, out: Optional[Path], fmt: Format, quiet: bool) -> None:
    """A PDF's draft: its layout, contests and columns, and a mapping with a [pdf] table."""
    from ..sources.pdf_draft import draft_pdf

    d = draft_pdf(file)
    if fmt is Format.json:
        emit(to_json({"file": str(file), "layout": d.layout, "contests": [vars(c) for c in d.contests],
                      "columns": d.columns, "notes": d.notes, "draft_mapping": d.text}))
        return
    info("\n".join(_t(x) for x in d.summary()), quiet)
    if out is not None:
        out.write_text(d.text, encoding="utf-8")
        info(f"draft mapping written to {_t(out)}; edit it, then: electcheck ingest {_t(file)} --map {_t(out)}",
             quiet)
    else:
        emit(d.text)
