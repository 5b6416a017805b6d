"""Read any supported tabular file into a table of text cells: the format is chosen here.

Every reader returns a :class:`RawTable` (:mod:`.raw_table`): the header, the
cells as strings (nulls for empty cells), the spreadsheet row number of each
row, and the rows that could not be split into cells (ragged rows), already
quarantined. Numbers are parsed later (``electcheck.numbers``) so that a bad
cell can be reported with its file, row, column and value.

One module per format, chosen by the file's content (:func:`sniff_format`):
:mod:`.read_csv` (text tables; with :mod:`.csv_sniff`, :mod:`.csv_arrow` and
:mod:`.csv_stream`), :mod:`.read_xlsx`, :mod:`.read_json`, :mod:`.read_parquet`;
PDFs are read by :mod:`.pdf`. Bounded byte reading and encodings are in
:mod:`.file_bytes`, rows of cells into a table in :mod:`.table_rows`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable

from .. import limits as _limits
from ..errors import InputError
from ..limits import Limits
from .csv_sniff import DELIMITERS, detect_delimiter
from .csv_stream import read_csv_streaming
from .file_bytes import detect_encoding
from .raw_table import RawTable, ReadOptions, check_table, unique_names
from .read_csv import read_csv, read_csv_careful
from .read_json import read_json
from .read_parquet import read_parquet
from .read_xlsx import read_xlsx
from .table_rows import guess_header_row

__all__ = ["DELIMITERS", "MAX_DECOMPRESSED", "MAX_LINE", "READERS", "RawTable", "ReadOptions", "check_table", "detect_delimiter",
           "detect_encoding", "guess_header_row", "read_table", "sniff_format", "unique_names"]

#: Default limits (the ones in force come from :func:`electcheck.limits.current`).
MAX_DECOMPRESSED = Limits.max_bytes
MAX_LINE = Limits.max_line

#: The reader of each format (anything else is read as a text table).
READERS: dict[str, Callable[[Path, ReadOptions], RawTable]] = {
    "csv": read_csv, "xlsx": read_xlsx, "json": read_json, "parquet": read_parquet}

#: The two CSV readers under their former names (tests compare them).
_read_csv_careful = read_csv_careful
_read_csv_streaming = read_csv_streaming


def sniff_format(head: bytes, path: Path) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"PAR1"):
        return "parquet"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"[", b"{") and path.suffix.lower() in (".json", ".jsonl", ".ndjson", ".gz"):
        return "json"
    return "csv"


def read_table(path: str | Path, options: ReadOptions | None = None) -> RawTable:
    """Read ``path`` into a RawTable, detecting what ``options`` leave as auto.

    Every read is bounded by ``options.limits`` (default: :func:`electcheck.limits.current`):
    non-regular files (devices, FIFOs) are refused, ``-`` reads standard input.
    """
    opts = options or ReadOptions()
    lim = opts.limits or _limits.current()
    if str(path) == "-":
        with _limits.using(lim):
            spooled = _limits.spool_stdin()
        try:
            raw = read_table(spooled, dataclasses.replace(opts, limits=lim))
        finally:
            spooled.unlink(missing_ok=True)
        raw.file = "-"
        for q in raw.quarantine:
            q.file = "-"
        return raw
    p = Path(path)
    with _limits.using(lim):
        _limits.check_regular_file(p)
    with open(p, "rb") as f:
        head = f.read(8)
    fmt = opts.format if opts.format != "auto" else None
    if fmt is None:
        if head[:2] == b"\x1f\x8b":
            fmt = "csv" if not p.name.lower().endswith((".json.gz", ".jsonl.gz")) else "json"
        else:
            fmt = sniff_format(head, p)
    if fmt == "xls":
        raise InputError("this is an old Excel .xls workbook, not a CSV or XLSX file", file=str(p),
                         hint="Open it in a spreadsheet and save it as .xlsx or CSV (UTF-8)")
    opts = dataclasses.replace(opts, limits=lim)
    try:
        raw = READERS.get(fmt, read_csv)(p, opts)
    except RecursionError:
        raise InputError("the file is nested too deeply to read", file=str(p),
                         hint="Pass a flat table: CSV, XLSX, JSON records or Parquet") from None
    check_table(raw, lim)
    return raw
