"""Read any supported tabular file into a table of text cells.

Every reader returns a :class:`RawTable`: the header, the cells as strings
(nulls for empty cells), the spreadsheet row number of each row, and the rows
that could not be split into cells (ragged rows), already quarantined.
Numbers are parsed later (``electcheck.numbers``) so that a bad cell can be
reported with its file, row, column and value.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import hashlib
import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .. import limits as _limits
from ..errors import InputError
from ..limits import Limits
from ..model import QuarantinedRow

#: Default limits (the ones in force come from :func:`electcheck.limits.current`).
MAX_DECOMPRESSED = Limits.max_bytes
MAX_LINE = Limits.max_line
DELIMITERS = [",", ";", "\t", "|"]


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


# --- format and encoding detection ---------------------------------------------

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


class _Guard:
    """Watches the bytes of a read go by and refuses as soon as a limit is crossed.

    Counts bytes (after decompression), line breaks (rows) and the length of the
    current line, so that a gzip bomb, a file of millions of rows or a line with no
    end is refused within one chunk of crossing the limit, with flat memory.
    """

    #: lines above the header allowed on top of the row limit before the early refusal
    SLACK = 1000

    def __init__(self, file: str, lim: Limits):
        self.file, self.lim = file, lim
        self.size = 0
        self.newlines = 0
        self.run = 0          # bytes since the last line break
        self.last = b""

    def feed(self, piece: bytes) -> None:
        n = len(piece)
        if not n:
            return
        lim = self.lim
        self.size += n
        if self.size > lim.max_bytes:
            raise _limits.refuse("max_bytes", "the file holds (or expands to) more bytes than the byte limit",
                                 file=self.file, limit=lim.max_bytes)
        k = piece.count(b"\n")
        if k:
            first, last = piece.find(b"\n"), piece.rfind(b"\n")
            longest = self.run + first
            if last - first - 1 > lim.max_line:  # inner lines: only measured when one could be too long
                longest = max(longest, max(len(x) for x in piece[first + 1:last].split(b"\n")))
            if longest > lim.max_line:
                raise self._long_line()
            self.run = n - last - 1
            self.newlines += k
            if self.newlines > lim.max_rows + self.SLACK:
                raise _limits.refuse("max_rows", f"the file has more than {lim.max_rows:,} rows", file=self.file,
                                     limit=lim.max_rows)
        else:
            self.run += n
            if self.run > lim.max_line:
                raise self._long_line()
        self.last = piece[-1:]

    def _long_line(self) -> InputError:
        return _limits.refuse("max_line", "a line is longer than the line limit; this does not look like a "
                              "tally file", file=self.file, row=self.newlines + 1, limit=self.lim.max_line)


def _chunks(path: Path, guard: _Guard | None, sha=None, chunk: int = 1 << 20):
    """The file's bytes in pieces, decompressed when gzip (concatenated members too), each piece
    shown to ``guard`` before it is yielded; ``sha`` is updated with the bytes on disk."""
    with open(path, "rb") as f:
        first = f.read(chunk)
        if sha is not None:
            sha.update(first)
        if first[:2] != b"\x1f\x8b":
            piece = first
            while piece:
                if guard is not None:
                    guard.feed(piece)
                yield piece
                piece = f.read(chunk)
                if sha is not None:
                    sha.update(piece)
            return
        def more() -> bytes:
            piece = f.read(chunk)
            if sha is not None:
                sha.update(piece)
            return piece

        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        buf = first
        while True:
            if not buf:
                buf = more()
                if not buf:
                    raise InputError("damaged gzip file (it ends before the compressed data does)",
                                     file=str(path), hint="Download or copy the file again")
            try:
                out = d.decompress(buf, chunk)
            except zlib.error as e:
                raise InputError(f"damaged gzip file ({e})", file=str(path),
                                 hint="Download or copy the file again") from None
            buf = d.unconsumed_tail
            if out:
                if guard is not None:
                    guard.feed(out)
                yield out
            if d.eof:  # end of a member: another member follows, or zero padding, or the end
                rest = d.unused_data + buf
                while not rest.strip(b"\x00"):
                    rest = more()
                    if not rest:
                        return
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                buf = rest


def _read_bytes(path: Path, lim: Limits | None = None, guard: _Guard | None = None) -> tuple[bytes, str]:
    """The file's bytes (decompressed when gzip) and the SHA-256 of the bytes on disk, within the limits."""
    lim = lim or _limits.current()
    guard = guard or _Guard(str(path), lim)
    sha = hashlib.sha256()
    parts = list(_chunks(path, guard, sha))
    data = parts[0] if len(parts) == 1 else b"".join(parts)
    return data, sha.hexdigest()


def detect_encoding(data: bytes) -> str:
    """utf-8-sig when a BOM is present, utf-8 when it decodes, else cp1252 / latin-1."""
    bom = _bom_encoding(data[:4])
    if bom is not None:
        return bom
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"  # decodes any byte


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    ctrl = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return ctrl / len(sample) > 0.05


def detect_delimiter(text_head: str) -> str:
    lines = [ln for ln in text_head.splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        # most consistent non-zero count per line wins
        best, best_score = ",", -1.0
        for d in DELIMITERS:
            counts = [ln.count(d) for ln in lines]
            if max(counts) == 0:
                continue
            score = counts.count(max(set(counts), key=counts.count)) / len(counts) + min(counts) / 1000
            if score > best_score:
                best, best_score = d, score
        return best


# --- readers ---------------------------------------------------------------------

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
        if fmt == "xlsx":
            raw = _read_xlsx(p, opts)
        elif fmt == "parquet":
            raw = _read_parquet(p, lim)
        elif fmt == "json":
            raw = _read_json(p, lim)
        else:
            raw = _read_csv(p, opts)
    except RecursionError:
        raise InputError("the file is nested too deeply to read", file=str(p),
                         hint="Pass a flat table: CSV, XLSX, JSON records or Parquet") from None
    check_table(raw, lim)
    return raw


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


def _read_parquet(p: Path, lim: Limits) -> RawTable:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(p).metadata
    except Exception as e:  # noqa: BLE001 - any damage: one line
        raise InputError(f"not readable as Parquet ({type(e).__name__})", file=str(p),
                         hint="Write the file again, or pass it as CSV") from None
    if meta.num_columns > lim.max_columns:
        raise _limits.refuse("max_columns", f"the table has {meta.num_columns:,} columns", file=str(p),
                             limit=lim.max_columns)
    if meta.num_rows > lim.max_rows:
        raise _limits.refuse("max_rows", f"the table has {meta.num_rows:,} rows", file=str(p), limit=lim.max_rows)
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if size > lim.max_bytes:
        raise _limits.refuse("max_bytes", f"the table expands to {size:,} bytes", file=str(p),
                             limit=lim.max_bytes)
    try:
        df = pd.read_parquet(p)
    except Exception as e:  # noqa: BLE001
        raise InputError(f"not readable as Parquet ({type(e).__name__})", file=str(p),
                         hint="Write the file again, or pass it as CSV") from None
    return _from_frame(p, df, "parquet")


def _from_frame(p: Path, df: pd.DataFrame, fmt: str, first_row: int = 2) -> RawTable:
    cells = pd.DataFrame({str(c): df[c].map(_cell_text, na_action="ignore").astype("string")
                          for c in df.columns})
    return RawTable(str(p), [str(c) for c in df.columns], cells,
                    np.arange(first_row, first_row + len(df)), format=fmt)


def _cell_text(v) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10 ** 4000:
        return "9" * 4000  # a number too long to be a count (Python would refuse to print it)
    if isinstance(v, (dict, list)):
        return str(v)[:1_000_000]
    return str(v)


def _read_json(p: Path, lim: Limits | None = None) -> RawTable:
    import json

    lim = lim or _limits.current()
    data, digest = _read_bytes(p, lim)
    enc = detect_encoding(data)
    try:
        text = data.decode(enc).lstrip("\ufeff")
    except UnicodeDecodeError:
        raise InputError("not readable as text", file=str(p), hint="Save the JSON as UTF-8") from None
    del data
    bad = InputError("not readable as JSON records", file=str(p),
                     hint="Give a JSON array of objects, or one object per line")
    try:
        stripped = text.lstrip()
        if stripped.startswith("{") and "\n{" in text:  # one object per line
            records = [json.loads(ln) for ln in text.splitlines() if ln.strip()]
        else:
            records = json.loads(text)
            if isinstance(records, dict):  # {"col": [...]} or {"col": {"0": v}} (pandas' orient=columns)
                cols = records
                if not all(isinstance(v, (list, dict)) for v in cols.values()):
                    records = [cols]
                else:
                    records = pd.DataFrame(cols).to_dict("records")
    except (ValueError, TypeError) as e:
        msg = str(e).splitlines()[0][:120] if str(e) else type(e).__name__
        raise InputError(f"{bad.message} ({msg})", file=str(p), hint=bad.hint) from None
    del text
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise bad
    if len(records) > lim.max_rows:
        raise _limits.refuse("max_rows", f"the file has {len(records):,} records", file=str(p),
                             limit=lim.max_rows)
    columns: dict[str, None] = {}
    for r in records:
        for k in r:
            if k not in columns:
                columns[k] = None
                if len(columns) > lim.max_columns:
                    raise _limits.refuse("max_columns", "the records have more distinct fields than the "
                                         "column limit", file=str(p), limit=lim.max_columns)
    df = pd.DataFrame.from_records(records, columns=list(columns)) if records else pd.DataFrame()
    raw = _from_frame(p, df, "json", first_row=1)
    raw.sha256 = digest
    return raw


def _read_xlsx(p: Path, opts: ReadOptions) -> RawTable:
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
    text_rows = [[_cell_text(v) for v in r] for r in rows]
    hdr = opts.header_row or guess_header_row(text_rows) + 1
    return _rows_to_table(p, text_rows, hdr, "xlsx")


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
        if n > lim.max_rows + _Guard.SLACK:
            raise _limits.refuse("max_rows", f"sheet {ws.title!r} has more than {lim.max_rows:,} rows",
                                 file=str(p), limit=lim.max_rows)
        rows.append(r)
    return rows


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


def _rows_to_table(p: Path, rows: list[list[str | None]], header_row: int, fmt: str) -> RawTable:
    if not rows or header_row > len(rows):
        raise InputError("the file is empty" if not rows else f"no row {header_row} to use as the header",
                         file=str(p), hint="Check that this is the file you meant")
    header = _clean_header(rows[header_row - 1])
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


def _clean_header(cells: list[str | None]) -> list[str]:
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


def _read_csv(p: Path, opts: ReadOptions) -> RawTable:
    fast = _read_csv_streaming(p, opts)
    if fast is not None:
        return fast
    return _read_csv_careful(p, opts)


class _Fallback(Exception):
    """The streaming read met something only the careful reader handles."""


_BOM = b"\xef\xbb\xbf"


class _Stream:
    """A CSV file (plain or gzip) handed to Arrow in pieces, read and decompressed once.

    While Arrow parses (on its own threads), this computes what the careful
    reader needs the whole file in memory for: the SHA-256 of the bytes on
    disk, the number of line breaks and the last byte (row numbering), and
    UTF-8 validity (ASCII pieces are checked in one fast scan). Gzip is
    decompressed by Arrow (faster than Python's zlib, without the GIL). Anything
    unusual raises :class:`_Fallback`, which Arrow passes back to the caller.
    """

    RAW_CHUNK = 1 << 20     # bytes read from a plain file at a time
    LIMIT = 1 << 30         # larger decompressed files are left to the careful reader

    def __init__(self, path: Path, lim: Limits | None = None):
        self.guard = _Guard(str(path), lim or _limits.current())
        #: a limit crossed while Arrow was reading (raised again by the caller)
        self.refusal: InputError | None = None
        self.sha = hashlib.sha256()
        with open(path, "rb") as f:
            magic = f.read(2)
        self._f = None
        if magic == b"\x1f\x8b":
            data = path.read_bytes()  # compressed: small next to what it expands to
            self.sha.update(data)
            self._src = pa.CompressedInputStream(pa.BufferReader(data), "gzip")
        else:
            self._f = open(path, "rb")
            self._src = None
        self._pending = b""
        self._eof = False       # the source is exhausted
        self.finished = False   # read() returned b"" (Arrow saw the end)
        self.size = 0
        self.newlines = 0
        self.last = b""
        self.bom = False
        self._decoder = None
        self.closed = False

    def _source_read(self, n: int) -> bytes:
        if self._src is None:
            piece = self._f.read(n)
            self.sha.update(piece)
        else:
            try:
                piece = self._src.read(n)
            except OSError as e:  # damaged or truncated gzip: the careful reader says so
                raise _Fallback(str(e)) from None
        if not piece:
            self._eof = True
            return piece
        try:
            self.guard.feed(piece)
        except InputError as e:
            self.refusal = e
            raise
        self.size += len(piece)
        if self.size > self.LIMIT:
            raise _Fallback("very large file")
        self.newlines += piece.count(b"\n")
        self.last = piece[-1:]
        if self._decoder is not None or not piece.isascii():
            if self._decoder is None:
                self._decoder = codecs.getincrementaldecoder("utf-8")()
            try:
                self._decoder.decode(piece)
            except UnicodeDecodeError:
                raise _Fallback("not UTF-8") from None
        return piece

    def head(self, n: int = 65536) -> tuple[bytes, bytes]:
        """The first ``n`` bytes as stored, and as text bytes (BOM removed); nothing is consumed."""
        buf = self._pending
        while len(buf) < n + 3 and not self._eof:
            buf += self._source_read(max(self.RAW_CHUNK, n + 3 - len(buf)))
        raw_head = buf[:n]
        if buf.startswith(_BOM):
            self.bom = True
            buf = buf[3:]
            self.size -= 3
        self._pending = buf
        return raw_head, buf[:n]

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = 1 << 62
        out, self._pending = self._pending[:n], self._pending[n:]
        while len(out) < n and not self._eof:
            piece = self._source_read(min(n - len(out), 1 << 30))
            out = out + piece if out else piece
        if not out and n:
            self.finished = True
        return out

    def finish(self) -> None:
        """Check that everything was read and was UTF-8 (raises _Fallback otherwise)."""
        if not (self.finished and self._eof and not self._pending):
            raise _Fallback("not read to the end")
        if self._decoder is not None:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise _Fallback("not UTF-8 at the end") from None

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True
        if self._f is not None:
            self._f.close()
        if self._src is not None:
            self._src.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _read_csv_streaming(p: Path, opts: ReadOptions) -> RawTable | None:
    """The common case in one pass, or None to leave the file to the careful reader.

    Arrow reads the file as it is decompressed (multi-threaded parse); the result
    is used only when it is provably what the careful reader gives: UTF-8, every
    row splits into the header's columns, and one line per row after the header
    (no blank lines), so spreadsheet row numbers follow from the count.
    """
    enc = opts.encoding.lower().replace("_", "-")
    if enc not in ("auto", "utf-8", "utf8", "utf-8-sig"):
        return None
    lim = opts.limits or _limits.current()
    try:
        stream = _Stream(p, lim)
    except OSError:
        return None
    with stream:
        try:
            raw_head, head = stream.head()
        except _Fallback:
            return None
        if not head.strip() or _looks_binary(raw_head) or raw_head.startswith((b"\xff\xfe", b"\xfe\xff")) \
                or b"\n" not in head:
            return None
        text_head = head.decode("utf-8", errors="ignore")
        delimiter, header_row = _text_options(text_head, opts)
        if head.count(b"\n") < header_row:
            return None  # the header line is not within the first 64 KB
        _check_header_width(p, head, delimiter, header_row, lim)
        types = _all_strings(head, delimiter, header_row)
        include = _include_columns(types, opts.select_columns)
        lines = head.split(b"\n")
        longest = max(len(x) for x in lines[:-1])
        block = max(1 << 20, 2 * longest + 4096)
        bad: list[int] = []

        def on_invalid(row) -> str:  # a ragged row: stop, the careful reader locates it
            bad.append(row.number or 0)
            return "error"

        try:
            table = _read_arrow(stream, delimiter, header_row, block, types, include, opts.na_values, on_invalid)
            stream.finish()
        except Exception:  # noqa: BLE001 - any trouble: the careful reader explains it
            if stream.refusal is not None:  # a limit crossed: refuse now, do not read again
                raise stream.refusal from None
            return None
        n = table.num_rows
        lines_total = stream.newlines + (1 if stream.size and stream.last not in (b"\n", b"\r") else 0)
        if bad or lines_total != header_row + n:
            return None
        encoding = opts.encoding if enc != "auto" else ("utf-8-sig" if stream.bom else "utf-8")
        header, cells = _to_cells(table)
        numbers = np.arange(header_row + 1, header_row + 1 + n, dtype=np.int64)
        return RawTable(str(p), header, cells, numbers, [], encoding, delimiter, "csv", stream.sha.hexdigest())


def _text_options(text_head: str, opts: ReadOptions) -> tuple[str, int]:
    """Delimiter and header row: given, or sniffed from the first 64 KB of text."""
    delimiter = detect_delimiter(text_head) if opts.delimiter == "auto" else opts.delimiter
    if opts.header_row is None:
        try:
            head_rows = list(csv.reader(io.StringIO("\n".join(text_head.splitlines()[:40])), delimiter=delimiter))
        except csv.Error:  # a stray NUL or carriage return: line by line
            head_rows = [_split_line(ln, delimiter) for ln in text_head.splitlines()[:40]]
        header_row = guess_header_row([[c or None for c in r] for r in head_rows]) + 1
    else:
        header_row = opts.header_row
    return delimiter, header_row


def _to_cells(table: pa.Table) -> tuple[list[str], pd.DataFrame]:
    header = _clean_header(table.column_names)
    string_dtype = pd.StringDtype("pyarrow")
    mapper = {pa.string(): string_dtype, pa.large_string(): string_dtype}.get
    cells = pd.DataFrame({h: table.column(i).to_pandas(types_mapper=mapper) for i, h in enumerate(header)},
                         copy=False)
    return header, cells


def _read_csv_careful(p: Path, opts: ReadOptions) -> RawTable:
    """The whole file in memory: handles every layout, encoding and damage, with row numbers."""
    lim = opts.limits or _limits.current()
    forced = opts.encoding.lower().replace("_", "-") not in ("auto", "")
    # a UTF-16/32 file has NUL bytes in every line: its own line counting, after decoding
    wide = forced and _is_wide(opts.encoding)
    with open(p, "rb") as f:
        start = f.read(4)
    if start[:2] != b"\x1f\x8b" and _bom_encoding(start) in ("utf-16", "utf-32"):
        wide = True
    guard = _Guard(str(p), lim if not wide else dataclasses.replace(lim, max_line=lim.max_bytes))
    data, digest = _read_bytes(p, lim, guard)
    if not data[:65536].strip() and not data.strip():
        raise InputError("the file is empty", file=str(p), hint="Check that this is the file you meant")
    bom = _bom_encoding(data[:4])
    if forced:
        encoding = opts.encoding
    elif bom is not None:
        encoding = bom
    else:
        if _looks_binary(data):
            raise InputError("this is not a text table (it contains binary data)", file=str(p),
                             hint="Pass a CSV, TSV, XLSX, JSON or Parquet file (or give its --encoding, "
                                  "e.g. utf-16)")
        encoding = detect_encoding(data)
    buf, text_head = _as_utf8(p, data, encoding)
    del data
    if wide or forced:
        if b"\x00" in buf[:65536]:
            raise InputError(f"this is not a text table in {encoding} (it contains NUL characters)", file=str(p),
                             hint="Check --encoding, or leave it out to detect it")
        if wide:  # the byte counts above were of the wide encoding: measure lines again as UTF-8
            g = _Guard(str(p), dataclasses.replace(lim, max_bytes=max(lim.max_bytes, len(buf))))
            for i in range(0, len(buf), 1 << 24):
                g.feed(buf[i:i + (1 << 24)])
    longest = max((len(x) for x in buf[: 4 << 20].split(b"\n", 1000)[:1000]), default=0)
    delimiter, header_row = _text_options(text_head, opts)
    _check_header_width(p, buf, delimiter, header_row, lim)
    table, bad = _arrow_parse(p, buf, delimiter, header_row, longest, opts.na_values, opts.select_columns, lim)
    header, cells = _to_cells(table)
    if bad:
        bad = _locate_bad_rows(buf, header_row, bad)
    numbers = _row_numbers(buf, header_row, len(cells), bad)
    quarantine = [QuarantinedRow(str(p), line, "", txt[:200], reason,
                                 "Fix the row so it has one cell per column (check for a stray delimiter "
                                 "or quote)", txt[:2000])
                  for line, txt, reason in bad]
    return RawTable(str(p), header, cells, numbers, quarantine, encoding, delimiter, "csv", digest)


_BOMS = [(b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")]


def _bom_encoding(start: bytes) -> str | None:
    """The encoding a byte-order mark announces (UTF-32 checked before UTF-16: FF FE 00 00)."""
    for bom, enc in _BOMS:
        if start.startswith(bom):
            return enc
    return None


def _is_wide(encoding: str) -> bool:
    e = encoding.lower().replace("_", "-")
    return e.startswith(("utf-16", "utf16", "utf-32", "utf32", "ucs-2", "ucs2", "ucs-4", "ucs4"))


def _header_line(buf: bytes, header_row: int) -> bytes:
    """The raw bytes of line ``header_row`` (1-based), without copying the rest of the file."""
    start = 0
    for _ in range(header_row - 1):
        nxt = buf.find(b"\n", start)
        if nxt < 0:
            return b""
        start = nxt + 1
    end = buf.find(b"\n", start)
    return buf[start:] if end < 0 else buf[start:end]


def _check_header_width(p: Path, buf: bytes, delimiter: str, header_row: int, lim: Limits) -> None:
    """Refuse a header wider than the column limit, on the raw line, before any CSV engine sees it."""
    line = _header_line(buf, header_row)
    d = delimiter.encode("utf-8")
    upper = line.count(d) + 1
    if upper <= lim.max_columns:
        return
    n = upper
    if b'"' in line:  # quoted delimiters are not columns: count exactly
        n = len(_split_line(line.decode("utf-8", errors="replace").rstrip("\r"), delimiter))
    if n > lim.max_columns:
        raise _limits.refuse("max_columns", f"the header has {n:,} columns", file=str(p), row=header_row,
                             limit=lim.max_columns)


def _as_utf8(p: Path, data: bytes, encoding: str) -> tuple[bytes, str]:
    """The file as UTF-8 bytes (no BOM) and its first 64 KB as text.

    UTF-8 input is passed through without a decode/encode round trip (it was
    validated by ``detect_encoding`` or is validated here).
    """
    enc = encoding.lower().replace("_", "-")
    try:
        if enc in ("utf-8", "utf8", "utf-8-sig"):
            buf = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
            buf.decode("utf-8")  # validate (raises with the offset of the first bad byte)
        else:
            buf = data.decode(encoding).lstrip("\ufeff").encode("utf-8")
    except (UnicodeDecodeError, LookupError) as e:
        line = data[: getattr(e, "start", 0)].count(b"\n") + 1
        if isinstance(e, LookupError):
            raise InputError(f"unknown encoding {encoding!r}", file=str(p),
                             hint="Use utf-8, utf-8-sig, latin-1 or cp1252, or leave --encoding out") from None
        raise InputError(f"cannot be read as {encoding}", file=str(p), row=line,
                         hint="Try --encoding latin-1 (or cp1252), or leave --encoding out to detect it") from None
    if b"\r" in buf[:1 << 20] and b"\n" not in buf[:1 << 20] and b"\n" not in buf:
        buf = buf.replace(b"\r", b"\n")  # old Mac line endings (bare CR)
    head = buf[:65536].decode("utf-8", errors="ignore")
    return buf, head


def _include_columns(types: dict[str, pa.DataType], select_columns) -> list[str] | None:
    """The columns to convert (the mapping's), or None for all of them."""
    if select_columns is None or len(types) <= 1:
        return None
    names = list(types)
    wanted = select_columns(names)
    if wanted and len(set(names)) == len(names) and all(n.strip() for n in names) \
            and set(wanted) <= set(names) and len(set(wanted)) < len(names):
        return [n for n in names if n in set(wanted)]
    return None


def _read_arrow(source, delimiter: str, header_row: int, block_size: int, types: dict[str, pa.DataType],
                include: list[str] | None, na_values: tuple[str, ...], on_invalid) -> pa.Table:
    return pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(skip_rows=header_row - 1, block_size=block_size, use_threads=True),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid,
                                          newlines_in_values=False),
        convert_options=pacsv.ConvertOptions(column_types=types, include_columns=include,
                                             strings_can_be_null=True, quoted_strings_can_be_null=True,
                                             null_values=["", *na_values]),
    )


def _arrow_parse(p: Path, buf: bytes, delimiter: str, header_row: int, longest: int,
                 na_values: tuple[str, ...] = (), select_columns=None, lim: Limits | None = None):
    bad: list[tuple[int, str, str]] = []

    def on_invalid(row) -> str:
        bad.append((row.number or 0, row.text or "",
                    f"row has {row.actual_columns} cells, the header has {row.expected_columns}"))
        return "skip"

    types = _all_strings(buf, delimiter, header_row)
    include = _include_columns(types, select_columns)
    # Arrow parses in blocks (1 MB is fastest); a line longer than a block needs a bigger one.
    block = max(1 << 20, 2 * longest + 4096)

    def parse(block_size: int):
        bad.clear()
        return _read_arrow(pa.BufferReader(buf), delimiter, header_row, block_size, types, include,
                           na_values, on_invalid)

    try:
        try:
            table = parse(block)
        except pa.ArrowInvalid as e:
            if "straddling" not in str(e) and "block" not in str(e):
                raise
            lim = lim or _limits.current()
            longest_all = _longest_line(buf)
            if longest_all > lim.max_line:
                raise _limits.refuse("max_line", "a line is longer than the line limit; this does not look "
                                     "like a tally file", file=str(p), limit=lim.max_line) from None
            table = parse(max(block, 2 * longest_all + 4096))
    except pa.ArrowInvalid as e:
        msg = str(e).splitlines()[0]
        raise InputError(f"cannot be parsed as a {delimiter!r}-separated table ({msg})", file=str(p),
                         hint="Check --delimiter and --header-row, or run 'electcheck inspect' on it") from None
    return table, bad


def _split_line(line: str, delimiter: str) -> list[str]:
    """One line's cells as the csv module reads them (a stray carriage return or NUL inside is kept as text)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        cleaned = line.replace("\r", " ").replace("\x00", " ")
        try:
            return next(csv.reader([cleaned], delimiter=delimiter), [])
        except csv.Error:
            return cleaned.split(delimiter)


def _longest_line(buf: bytes) -> int:
    """Length of the longest line, without splitting the whole buffer into a list."""
    longest, start = 0, 0
    while True:
        nxt = buf.find(b"\n", start)
        end = len(buf) if nxt < 0 else nxt
        longest = max(longest, end - start)
        if nxt < 0:
            return longest
        start = nxt + 1


def _all_strings(buf: bytes, delimiter: str, header_row: int) -> dict[str, pa.DataType]:
    end = 0
    for _ in range(header_row):  # only the first lines: never copy the whole file
        nxt = buf.find(b"\n", end)
        end = len(buf) if nxt < 0 else nxt + 1
    lines = buf[:end].split(b"\n", header_row)
    if len(lines) < header_row:
        return {}
    header_line = lines[header_row - 1].decode("utf-8", errors="replace").rstrip("\r")
    names = _split_line(header_line, delimiter)
    return {n: pa.string() for n in names}


def _locate_bad_rows(buf: bytes, header_row: int, bad: list[tuple[int, str, str]]
                     ) -> list[tuple[int, str, str]]:
    """Spreadsheet row of each unsplittable row, found by its text (Arrow does not always know it)."""
    lines = buf.decode("utf-8").splitlines()
    where: dict[str, list[int]] = {}
    for i, ln in enumerate(lines[header_row:], start=header_row + 1):
        where.setdefault(ln, []).append(i)
    out = []
    for number, text, reason in bad:
        hits = where.get(text.rstrip("\r\n"), [])
        out.append((hits.pop(0) if hits else number, text, reason))
    return out


def _row_numbers(buf: bytes, header_row: int, n: int, bad: list[tuple[int, str, str]]) -> np.ndarray:
    """Spreadsheet row of each parsed row: count physical lines, skipping blank and bad ones.

    Fast path: with no blank lines and no bad rows, rows follow the header one per line.
    """
    lines_total = buf.count(b"\n") or buf.count(b"\r")
    if buf and not buf.endswith((b"\n", b"\r")):
        lines_total += 1
    if not bad and lines_total == header_row + n:
        return np.arange(header_row + 1, header_row + 1 + n, dtype=np.int64)
    lines = buf.decode("utf-8").splitlines()
    bad_lines = {b[0] for b in bad}
    out = []
    for i, ln in enumerate(lines[header_row:], start=header_row + 1):
        if not ln.strip() or i in bad_lines:
            continue
        out.append(i)
    out = out[:n] + [0] * max(0, n - len(out))
    return np.array(out, dtype=np.int64)
