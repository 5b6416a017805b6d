"""The table every reader returns: text cells, spreadsheet row numbers, quarantined rows.

A :class:`RawTable` holds the header, the cells as strings (nulls for empty
cells), the spreadsheet row number of each row, and the rows that could not be
split into cells (ragged rows), already quarantined. :class:`ReadOptions` are
what the caller may fix instead of detecting; :func:`check_table` holds a read
table to the limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import limits as _limits
from ..limits import Limits
from ..model import QuarantinedRow


@dataclass
class ReadOptions:
    encoding: str = "auto"        # auto | utf-8 | utf-8-sig | latin-1 | cp1252 | ...
    delimiter: str = "auto"       # auto | , | ; | \t | |
    header_row: int | None = None  # spreadsheet row number of the header (1 = first line)
    sheet: str | None = None      # XLSX sheet name (default: the first with data)
    na_values: tuple[str, ...] = ()
    format: str = "auto"          # auto | csv | xlsx | json | parquet
    #: optional: given the CSV header, the columns actually needed (None = all). Large
    #: CSV files are then converted only for those columns (ingest passes the mapping's).
    select_columns: Callable[[list[str]], list[str] | None] | None = None
    #: limits on this read (None = :func:`electcheck.limits.current`)
    limits: Limits | None = None


@dataclass
class RawTable:
    file: str
    header: list[str]
    cells: pd.DataFrame            # one string column per header entry
    row_numbers: np.ndarray        # spreadsheet row number of each row of ``cells``
    quarantine: list[QuarantinedRow] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    format: str = ""
    #: SHA-256 of the file's bytes as read (CSV and JSON; "" when not computed while reading)
    sha256: str = ""

    @property
    def rows_read(self) -> int:
        return len(self.cells) + len(self.quarantine)


def check_table(raw: RawTable, lim: Limits | None = None) -> None:
    """Columns, rows and cell length of a table read, against the limits (refuses with the first offender)."""
    lim = lim or _limits.current()
    if len(raw.header) > lim.max_columns:
        raise _limits.refuse("max_columns", f"the table has {len(raw.header):,} columns", file=raw.file,
                             limit=lim.max_columns)
    if raw.rows_read > lim.max_rows:
        raise _limits.refuse("max_rows", f"the table has {raw.rows_read:,} rows", file=raw.file,
                             limit=lim.max_rows)
    for h in raw.header:
        if len(h) > lim.max_cell:
            raise _limits.refuse("max_cell", f"a column name is {len(h):,} characters long", file=raw.file,
                                 row=1, value=h[:40], limit=lim.max_cell)
    for col in raw.cells.columns:
        s = raw.cells[col]
        arr = _arrow_of(s)
        if arr is None:
            try:
                lens = s.str.len()
            except AttributeError:  # not text (an all-empty column): measure it as text
                lens = s.astype("string").str.len()
            longest = lens.max(skipna=True) if len(lens) else None
            if longest is None or pd.isna(longest) or int(longest) <= lim.max_cell:
                continue
            i = int(np.flatnonzero((lens > lim.max_cell).fillna(False).to_numpy(dtype=bool))[0])
        else:
            blen = pc.max(pc.binary_length(arr)).as_py()
            if blen is None or blen <= lim.max_cell:  # bytes >= characters: nothing can be too long
                continue
            ulen = pc.utf8_length(arr)
            too = pc.fill_null(pc.greater(ulen, lim.max_cell), False)
            hits = pc.indices_nonzero(too) if hasattr(pc, "indices_nonzero") else None
            if hits is None or len(hits) == 0:
                continue
            i = hits[0].as_py()
        value = str(s.iat[i])
        row = int(raw.row_numbers[i]) if i < len(raw.row_numbers) else None
        raise _limits.refuse("max_cell", f"a cell is {len(value):,} characters long", file=raw.file, row=row,
                             column=str(col), value=value[:40], limit=lim.max_cell)


def _arrow_of(s: pd.Series):
    """The Arrow array behind a pyarrow-backed string Series (None for others)."""
    dt = s.dtype
    if isinstance(dt, pd.StringDtype) and dt.storage == "pyarrow":
        try:
            return pa.chunked_array(s.array._pa_array) if hasattr(s.array, "_pa_array") else None
        except Exception:  # noqa: BLE001 - pandas internals vary: fall back to the pandas path
            return None
    if isinstance(dt, pd.ArrowDtype):
        return s.array._pa_array if hasattr(s.array, "_pa_array") else None
    return None


def clean_header(cells: list[str | None]) -> list[str]:
    return unique_names([(c or "").strip().lstrip("\ufeff") or f"column_{i + 1}" for i, c in enumerate(cells)])


def unique_names(names: list[str]) -> list[str]:
    """Column names made unique the way pandas does it: a repeated name gets ``.1``, ``.2`` …"""
    out, seen = [], {}
    for name in names:
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out
