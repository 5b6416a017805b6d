"""electcheck ingest / inspect."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from ..escape import terminal
from ..ingest import ingest as run_ingest
from ..model import IngestResult
from . import app
from .common import (Format, FormatOpt, QuietOpt, VerboseOpt, csv_text, emit, fmt_int, info, markdown_table,
                     refuse_overwrite, to_json)

SUMMARY_FIELDS = ("registered", "ballots", "valid", "invalid", "blank")


def ingest_summary(result: IngestResult) -> dict:
    """The JSON document of ``electcheck ingest`` (fields of DESIGN.md, stable order)."""
    t, r = result.tally, result.report
    return {
        "source": t.meta.source,
        "kind": t.meta.kind,
        "election": t.meta.election,
        "unit_level": t.meta.unit_level,
        "rows_read": r.rows_read,
        "rows_accepted": r.rows_accepted,
        "rows_quarantined": r.rows_quarantined,
        "rows_outside_selection": r.rows_outside_selection,
        "rows_set_aside": r.rows_set_aside,
        "units": len(t.data),
        "expected_units": t.meta.expected_units,
        "candidates": [{"id": c.id, "name": c.name, "aliases": list(c.aliases)} for c in t.meta.candidates],
        "totals": t.totals(),
        "inputs": [{"path": i.path, "name": i.name, "sha256": i.sha256, "rows": i.rows} for i in t.meta.inputs],
        "findings": [f.to_dict() for f in r.findings],
        "quarantine": [q.to_dict() for q in r.quarantine[:100]],
    }


def render_table(result: IngestResult) -> str:
    t, r = result.tally, result.report
    lines = [f"{t.meta.source}: {t.meta.election or 'tally'} ({t.meta.unit_level})",
             f"rows read {fmt_int(r.rows_read)} = accepted {fmt_int(r.rows_accepted)} + quarantined "
             f"{fmt_int(r.rows_quarantined)}"]
    if r.rows_set_aside:
        lines.append(f"of the accepted, set aside as later rows of a duplicated key (first row kept): "
                     f"{fmt_int(r.rows_set_aside)}")
    for reason, n in r.rows_outside_selection.items():
        lines.append(f"rows outside the profile's selection ({reason}): {fmt_int(n)}")
    totals = t.totals()
    width = max(len(c.name) for c in t.meta.candidates) if t.meta.candidates else 10
    lines.append("")
    for c in t.meta.candidates:
        lines.append(f"  {c.name:<{width}}  {c.id:<14} {fmt_int(totals.get(c.id)):>14}")
    for f in SUMMARY_FIELDS:
        if totals.get(f) is not None:
            lines.append(f"  {f:<{width}}  {'':<14} {fmt_int(totals[f]):>14}")
    if r.findings:
        lines.append("")
        lines.append("findings:")
        for f in r.findings:
            lines.append(f"  [{f.severity}] {f.code}: {f.message}")
    for i in t.meta.inputs:
        lines.append(f"input {i.name or i.path}  sha256 {i.sha256}")
    return terminal("\n".join(lines) + "\n")


@app.command()
def ingest(
    source: str = typer.Argument(..., help="A built-in dataset name (electcheck data list) or a file."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Read the file with a built-in profile."),
    map_file: Optional[Path] = typer.Option(None, "--map", "-m", help="Mapping file (TOML) for the file."),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the tally: .parquet or .csv."),
    errors: Optional[Path] = typer.Option(None, "--errors", help="Write quarantined rows to this CSV."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding (default: detect)."),
    locale: Optional[str] = typer.Option(None, "--locale", help="Number format: es_VE, en, plain or auto."),
    delimiter: Optional[str] = typer.Option(None, "--delimiter", help="Field delimiter (default: detect)."),
    header_row: Optional[int] = typer.Option(None, "--header-row", help="Row number of the header (1 = first)."),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="XLSX sheet name."),
    add_bom: bool = typer.Option(False, "--add-bom", help="Start CSV outputs with a BOM (for Excel)."),
    contest: Optional[str] = typer.Option(None, "--contest", help="PDF results: the contest to read "
                                          "(default: the mapping's)."),
    allow_path: list[Path] = typer.Option([], "--allow-path", help="Let the mapping read this file or folder "
                                          "(include, codebook) outside its own folder."),
    fmt: Format = FormatOpt,
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> None:
    """Read a tally file into a checked Tally; every row is accepted or quarantined with a reason."""
    if delimiter == "\\t":
        delimiter = "\t"
    outputs = {"-o": out, "--errors": errors}
    file_part = source.split("::", 1)[0] if "::" in source else source
    refuse_overwrite(outputs, [file_part, map_file, source.split("::", 1)[1] if "::" in source else None])
    from .progress import Bar

    with Bar("photos", quiet) as bar:  # only folders of acta photos report progress
        result = run_ingest(source, profile=profile, mapping=map_file, encoding=encoding, locale=locale,
                            delimiter=delimiter, header_row=header_row, sheet=sheet, contest=contest,
                            allow_paths=tuple(allow_path), progress=lambda done, total: bar.update(done, total))
    refuse_overwrite(outputs, [i.path for i in result.tally.meta.inputs])
    if errors is not None:
        errors.write_text(quarantine_csv(result.report, add_bom), encoding="utf-8", newline="")
        info(f"{len(result.report.quarantine)} quarantined rows written to {errors}", quiet)
    if out is not None:
        write_tally(result, out, add_bom)
        info(f"tally written to {out}", quiet)
    if fmt is Format.json:
        emit(to_json(ingest_summary(result)))
    elif fmt is Format.csv:
        totals = result.tally.totals()
        emit(csv_text(["field", "total"], [[k, v] for k, v in totals.items()], add_bom))
    elif fmt is Format.markdown:
        totals = result.tally.totals()
        emit(markdown_table(["field", "total"], [[k, fmt_int(v)] for k, v in totals.items()]))
    else:
        emit(render_table(result))


def quarantine_csv(report, bom: bool = False) -> str:
    """What ``--errors FILE`` holds: one row per quarantined row (or photo), spreadsheet-safe."""
    rows = [[q.file, q.row, q.column, q.value, q.reason, q.hint, q.cells] for q in report.quarantine]
    return csv_text(["file", "row", "column", "value", "reason", "hint", "cells"], rows, bom)


def write_tally(result: IngestResult, out: Path, bom: bool = False) -> None:
    suffix = out.suffix.lower()
    if suffix == ".parquet":
        result.tally.to_parquet(out)
    elif suffix == ".csv":
        df = result.tally.data
        rows = df.astype(object).where(df.notna(), None).itertuples(index=False, name=None)
        out.write_text(csv_text(list(df.columns), rows, bom), encoding="utf-8", newline="")
    else:
        raise InputError("output must end in .parquet or .csv", file=str(out))
