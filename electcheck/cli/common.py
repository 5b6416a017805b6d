"""Options shared by every command, and rendering helpers (the only place that prints)."""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Iterable

import typer


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


FormatOpt = typer.Option(Format.table, "--format", "-f", help="Output format.")
OutputOpt = typer.Option("-", "--output", "-o", help="Write output here ('-' = stdout).")
QuietOpt = typer.Option(False, "--quiet", "-q", help="No progress or messages on stderr.")
VerboseOpt = typer.Option(False, "--verbose", "-v", help="More detail on stderr.")
SeedOpt = typer.Option(20240728, "--seed", help="Random seed (results are reproducible).")
MapHelp = "Mapping file (TOML) for a file SOURCE (or write FILE::MAP.toml)."
ProfileHelp = "Built-in profile for a file SOURCE (or write FILE::PROFILE)."
DataDirOpt = typer.Option(None, "--data-dir", envvar="ELECTCHECK_DATA_DIR",
                          help="Folder holding the raw datasets (default: $ELECTCHECK_DATA_DIR).")


def load_source(source: str, mapping: str | Path | None = None, profile: str | None = None):
    """The one resolution path every command shares with ``ingest``: name, file + mapping, FILE::MAP, Parquet."""
    from ..ingest import ingest

    return ingest(source, mapping=mapping, profile=profile).tally


def _json_default(o: Any) -> Any:
    import numpy as np

    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return None if math.isnan(o) else float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    if hasattr(o, "to_dict"):
        return o.to_dict()
    if isinstance(o, set):
        return sorted(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def to_json(obj: Any) -> str:
    """Stable JSON: key order as built, UTF-8, NaN -> null."""
    return json.dumps(_nan_to_none(obj), default=_json_default, ensure_ascii=False, indent=2) + "\n"


def _nan_to_none(o: Any) -> Any:
    if isinstance(o, float) and math.isnan(o):
        return None
    if isinstance(o, dict):
        return {k: _nan_to_none(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_nan_to_none(v) for v in o]
    return o


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: text starting with = + - @ gets a leading quote.

    Numbers stay numbers (a negative count is not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_text(header: list[str], rows: Iterable[Iterable[Any]], bom: bool = False) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([safe_cell(h) for h in header])
    for r in rows:
        w.writerow([safe_cell(v) for v in r])
    return ("\ufeff" if bom else "") + buf.getvalue()


def markdown_table(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def emit(text: str, output: str = "-") -> None:
    """Write data to stdout or a file."""
    if output in ("-", ""):
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        Path(output).write_text(text, encoding="utf-8", newline="")


def info(message: str, quiet: bool = False) -> None:
    if not quiet:
        print(message, file=sys.stderr)


def fmt_int(v: Any) -> str:
    return "" if v is None else f"{int(v):,}"
