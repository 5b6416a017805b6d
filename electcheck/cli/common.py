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


from ..report.safe import FORMULA_PREFIXES, safe_cell  # noqa: E402,F401 - one formula guard for every CSV


def csv_text(header: list[str], rows: Iterable[Iterable[Any]], bom: bool = False) -> str:
    """CSV for spreadsheets: text cells that could start a formula are neutralised; numbers stay numbers."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([safe_cell(str(h)) for h in header])
    for r in rows:
        w.writerow([safe_cell(v) for v in r])
    return ("\ufeff" if bom else "") + buf.getvalue()


def markdown_table(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """A Markdown table; every cell is escaped (escape.markdown): data can never become a link,
    an image, emphasis or HTML."""
    from ..escape import markdown

    def cell(v: Any) -> str:
        return "" if v is None else markdown(v)

    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def same_file(a: str | Path, b: str | Path) -> bool:
    """Do two paths name the same file (same inode, or the same path once symlinks are resolved)?"""
    import os

    pa_, pb_ = Path(a), Path(b)
    try:
        if pa_.exists() and pb_.exists() and os.path.samefile(pa_, pb_):
            return True
    except OSError:
        pass
    try:
        return pa_.resolve() == pb_.resolve()
    except (OSError, RuntimeError):
        return False


def refuse_overwrite(outputs: dict[str, str | Path | None], inputs: Iterable[str | Path | None]) -> None:
    """Refuse (exit 2) when an output would replace an input, or two outputs are the same file.

    ``outputs`` maps the option that names the file (``-o``, ``--errors``) to its path.
    """
    from ..errors import InputError

    given = [(opt, p) for opt, p in outputs.items() if p is not None and str(p) not in ("-", "")]
    for opt, out in given:
        for inp in inputs:
            if inp is None or str(inp) in ("-", ""):
                continue
            if same_file(out, inp):
                raise InputError(f"{opt} names an input file; electcheck never overwrites its inputs", file=str(out),
                                 hint=f"Choose another file for {opt}")
    for i, (opt_a, a) in enumerate(given):
        for opt_b, b in given[i + 1:]:
            if same_file(a, b):
                raise InputError(f"{opt_a} and {opt_b} name the same file", file=str(a),
                                 hint="Give each output its own file")


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
