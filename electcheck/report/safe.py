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
import re
from typing import Any, Iterable

import numpy as np
import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")

#: text that a spreadsheet reads as a plain number, never as a formula ("-28.49", "+1,234", "-1e5")
_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+(,\d{3})*|\d*)(\.\d+)?([eE][-+]?\d+)?%?$")


class Number(str):
    """A number already formatted as text (``f"{v:.6g}"``): written as is, never guarded as a formula."""


def safe_cell(value: Any) -> Any:
    """A CSV cell safe to open in a spreadsheet.

    Only *text* cells are guarded: a text cell starting with = + - @ (or a tab / carriage return)
    gets a leading apostrophe so that Excel, LibreOffice and Google Sheets show it as text. Numbers
    (int, float, numpy numbers, :class:`Number`) and text that is just a number ("-28.49") stay as
    they are: a negative count is not a formula.
    """
    if value is None:
        return ""
    if isinstance(value, Number):
        return str.__str__(value)
    if isinstance(value, str):
        if value.startswith(FORMULA_PREFIXES) and not (len(value) < 40 and _PLAIN_NUMBER.match(value)
                                                       and any(ch.isdigit() for ch in value)):
            return "'" + value
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, (int, float)):
        return value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        try:
            return safe_cell(value.item())
        except (TypeError, ValueError):
            pass
    if value is pd.NA:
        return ""
    return safe_cell(str(value))


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(str(h)) for h in header])
    for r in rows:
        w.writerow([safe_cell(v) for v in r])
    return buf.getvalue()


def frame_csv(df: pd.DataFrame) -> str:
    """A DataFrame as Datawrapper-ready CSV (UTF-8, comma, '.' decimals, safe cells).

    Floats are formatted here (6 significant digits) and marked as numbers, so that the formula
    guard, which is for text, leaves a negative number alone (it used to write '-28.49).
    """
    rows = []
    for rec in df.itertuples(index=False, name=None):
        out = []
        for v in rec:
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                out.append("")
            elif isinstance(v, (float, np.floating)):
                v = float(v)
                out.append(Number(f"{v:.6g}" if abs(v) < 1e15 else str(v)))
            elif hasattr(v, "item"):
                out.append(v.item())
            else:
                out.append(v)
        rows.append(out)
    return csv_text([str(c) for c in df.columns], rows)
