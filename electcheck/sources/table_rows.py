"""Rows of cells (a sheet, JSON records, a Parquet frame) into a :class:`RawTable`.

Shared by the readers of XLSX, JSON and Parquet; :func:`guess_header_row` also
finds the header of a CSV below a title block.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..model import QuarantinedRow
from .raw_table import RawTable, clean_header


def frame_to_table(p: Path, df: pd.DataFrame, fmt: str, first_row: int = 2) -> RawTable:
    """A DataFrame's cells as text, one row per record from spreadsheet row ``first_row``."""
    cells = pd.DataFrame({str(c): df[c].map(cell_text, na_action="ignore").astype("string")
                          for c in df.columns})
    return RawTable(str(p), [str(c) for c in df.columns], cells,
                    np.arange(first_row, first_row + len(df)), format=fmt)


def cell_text(v) -> str | None:
    """One value as the text a spreadsheet shows (whole floats without ".0"; None for empty)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10 ** 4000:
        return "9" * 4000  # a number too long to be a count (Python would refuse to print it)
    if isinstance(v, (dict, list)):
        return str(v)[:1_000_000]
    return str(v)


def guess_header_row(rows: list[list[str | None]], limit: int = 30) -> int:
    """0-based index of the most header-like row among the first ``limit``.

    Title blocks above a table have few filled cells; the header is the first
    row whose filled width matches the table's typical width and holds text.
    """
    widths = [sum(1 for v in r if v not in (None, "")) for r in rows[:200]]
    if not widths:
        return 0
    typical = max(set(widths), key=widths.count) if widths else 0
    for i, r in enumerate(rows[:limit]):
        filled = [v for v in r if v not in (None, "")]
        if len(filled) >= max(2, typical * 0.8) and sum(1 for v in filled if not _is_numberish(v)) >= len(filled) * 0.6:
            return i
    return 0


def _is_numberish(v: str) -> bool:
    s = v.strip().replace(".", "").replace(",", "").replace(" ", "").lstrip("-")
    return s.isdigit()


def rows_to_table(p: Path, rows: list[list[str | None]], header_row: int, fmt: str) -> RawTable:
    if not rows or header_row > len(rows):
        raise InputError("the file is empty" if not rows else f"no row {header_row} to use as the header",
                         file=str(p), hint="Check that this is the file you meant")
    header = clean_header(rows[header_row - 1])
    width = len(header)
    body, numbers, quarantine = [], [], []
    for i, r in enumerate(rows[header_row:], start=header_row + 1):
        r = list(r)
        while len(r) > width and r[-1] in (None, ""):
            r.pop()
        if all(v in (None, "") for v in r):
            continue  # blank spreadsheet rows are layout, not data
        if len(r) > width:
            quarantine.append(QuarantinedRow(str(p), i, "", ",".join(v or "" for v in r)[:200],
                                             f"row has {len(r)} cells, the header has {width}",
                                             "Fix the row so it has one cell per column"))
            continue
        r += [None] * (width - len(r))
        body.append(r)
        numbers.append(i)
    cells = pd.DataFrame(body, columns=header, dtype="string") if body else \
        pd.DataFrame({h: pd.Series([], dtype="string") for h in header})
    return RawTable(str(p), header, cells, np.array(numbers, dtype=np.int64), quarantine, format=fmt)
