"""Spreadsheet-safe CSV (formula neutralisation), shared by the report writer.

Kept outside ``electcheck.cli`` so that the library does not import the CLI.
A text cell starting with = + - @ (or a tab / carriage return) gets a leading
apostrophe so that Excel, LibreOffice and Google Sheets show it as text.
Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any, Iterable

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(str(h)) for h in header])
    for r in rows:
        w.writerow([safe_cell(v) for v in r])
    return buf.getvalue()


def frame_csv(df: pd.DataFrame) -> str:
    """A DataFrame as Datawrapper-ready CSV (UTF-8, comma, '.' decimals, safe cells)."""
    rows = []
    for rec in df.itertuples(index=False, name=None):
        out = []
        for v in rec:
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                out.append("")
            elif isinstance(v, float):
                out.append(f"{v:.6g}" if abs(v) < 1e15 else str(v))
            elif hasattr(v, "item"):
                out.append(v.item())
            else:
                out.append(v)
        rows.append(out)
    return csv_text([str(c) for c in df.columns], rows)
