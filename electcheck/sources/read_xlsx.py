"""Read an XLSX workbook: ``--sheet``, else the first sheet that holds a table (openpyxl, read-only)."""

from __future__ import annotations

from pathlib import Path

from .. import limits as _limits
from ..errors import InputError
from ..limits import Limits
from .file_bytes import ByteGuard
from .raw_table import RawTable, ReadOptions
from .table_rows import cell_text, guess_header_row, rows_to_table


def read_xlsx(p: Path, opts: ReadOptions) -> RawTable:
    import zipfile

    import openpyxl

    lim = opts.limits or _limits.current()
    try:
        with zipfile.ZipFile(p) as z:
            expanded = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise InputError(f"not readable as an XLSX workbook ({type(e).__name__})", file=str(p),
                         hint="Open it in a spreadsheet and save it again as .xlsx or CSV") from None
    if expanded > lim.max_bytes:
        raise _limits.refuse("max_bytes", f"the workbook expands to {expanded:,} bytes", file=str(p),
                             limit=lim.max_bytes)
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as e:
        raise InputError(f"not readable as an XLSX workbook ({type(e).__name__})", file=str(p),
                         hint="Open it in a spreadsheet and save it again as .xlsx or CSV") from None
    try:
        names = wb.sheetnames
        if opts.sheet is not None:
            if opts.sheet not in names:
                raise InputError(f"no sheet named {opts.sheet!r}", file=str(p),
                                 hint=f"Sheets in this workbook: {', '.join(names)}")
            ws = wb[opts.sheet]
            rows = _sheet_rows(ws, p, lim)
        else:
            rows, first_with_data = [], None
            for name in names:  # the first sheet that holds a table (else the first with data)
                rows = _sheet_rows(wb[name], p, lim)
                wide = sum(1 for r in rows if sum(v is not None for v in r) >= 2)
                if wide >= 2:
                    break
                if first_with_data is None and any(any(v is not None for v in r) for r in rows):
                    first_with_data = rows
            else:
                rows = first_with_data or []
    finally:
        wb.close()
    text_rows = [[cell_text(v) for v in r] for r in rows]
    hdr = opts.header_row or guess_header_row(text_rows) + 1
    return rows_to_table(p, text_rows, hdr, "xlsx")


def _sheet_rows(ws, p: Path, lim: Limits) -> list[list]:
    """A sheet's rows (trailing empty cells dropped), refused past the row, column or cell limits."""
    rows = []
    for n, r in enumerate(ws.iter_rows(values_only=True), start=1):
        r = list(r)
        while r and r[-1] is None:
            r.pop()
        if len(r) > lim.max_columns:
            raise _limits.refuse("max_columns", f"row {n} of sheet {ws.title!r} has {len(r):,} cells", file=str(p),
                                 row=n, limit=lim.max_columns)
        if n > lim.max_rows + ByteGuard.SLACK:
            raise _limits.refuse("max_rows", f"sheet {ws.title!r} has more than {lim.max_rows:,} rows",
                                 file=str(p), limit=lim.max_rows)
        rows.append(r)
    return rows
