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
import hashlib
import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import InputError
from ..model import QuarantinedRow

#: Largest decompressed size we accept from a gzip file (protects against bombs).
MAX_DECOMPRESSED = 4 << 30
#: Longest line we accept in a text file.
MAX_LINE = 64 << 20
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


def _read_bytes(path: Path) -> tuple[bytes, str]:
    """The file's bytes (decompressed when gzip) and the SHA-256 of the bytes on disk."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if raw[:2] == b"\x1f\x8b":
        parts: list[bytes] = []
        size, rest = 0, raw
        while rest:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                part = d.decompress(rest, MAX_DECOMPRESSED + 1 - size)
            except zlib.error as e:
                raise InputError(f"damaged gzip file ({e})", file=str(path),
                                 hint="Download or copy the file again") from None
            size += len(part)
            parts.append(part)
            if size > MAX_DECOMPRESSED:
                raise InputError("gzip file expands to more than 4 GB", file=str(path),
                                 hint="Decompress it yourself and pass the CSV") from None
            if not d.eof:
                raise InputError("damaged gzip file (it ends before the compressed data does)",
                                 file=str(path), hint="Download or copy the file again") from None
            rest = d.unused_data  # concatenated gzip members
            if not rest.strip(b"\x00"):
                break  # trailing zero padding
        return (parts[0] if len(parts) == 1 else b"".join(parts)), digest
    return raw, digest


def detect_encoding(data: bytes) -> str:
    """utf-8-sig when a BOM is present, utf-8 when it decodes, else cp1252 / latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
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
    """Read ``path`` into a RawTable, detecting what ``options`` leave as auto."""
    opts = options or ReadOptions()
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", file=str(p), hint="Check the path, or use a built-in dataset name "
                         "(electcheck data list)")
    if p.is_dir():
        raise InputError("this is a folder, not a file", file=str(p))
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
    if fmt == "xlsx":
        return _read_xlsx(p, opts)
    if fmt == "parquet":
        return _from_frame(p, pd.read_parquet(p), "parquet")
    if fmt == "json":
        return _read_json(p)
    return _read_csv(p, opts)


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
    return str(v)


def _read_json(p: Path) -> RawTable:
    data, digest = _read_bytes(p)
    text = data.decode(detect_encoding(data))
    try:
        lines = text.lstrip().startswith("{") and "\n{" in text
        df = pd.read_json(io.StringIO(text), lines=lines, dtype=False)
    except ValueError as e:
        raise InputError(f"not readable as JSON records ({str(e).splitlines()[0]})", file=str(p),
                         hint="Give a JSON array of objects, or one object per line") from None
    raw = _from_frame(p, df, "json", first_row=1)
    raw.sha256 = digest
    return raw


def _read_xlsx(p: Path, opts: ReadOptions) -> RawTable:
    import openpyxl

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
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
        else:
            rows, first_with_data = [], None
            for name in names:  # the first sheet that holds a table (else the first with data)
                rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
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
    out, seen = [], {}
    for i, c in enumerate(cells):
        name = (c or "").strip().lstrip("\ufeff") or f"column_{i + 1}"
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

    def __init__(self, path: Path):
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
    try:
        stream = _Stream(p)
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
        head_rows = list(csv.reader(io.StringIO("\n".join(text_head.splitlines()[:40])), delimiter=delimiter))
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
    data, digest = _read_bytes(p)
    if not data[:65536].strip() and not data.strip():
        raise InputError("the file is empty", file=str(p), hint="Check that this is the file you meant")
    if _looks_binary(data):
        raise InputError("this is not a text table (it contains binary data)", file=str(p),
                         hint="Pass a CSV, TSV, XLSX, JSON or Parquet file")
    encoding = detect_encoding(data) if opts.encoding == "auto" else opts.encoding
    buf, text_head = _as_utf8(p, data, encoding)
    longest = max((len(x) for x in buf[: 4 << 20].split(b"\n", 1000)[:1000]), default=0)
    delimiter, header_row = _text_options(text_head, opts)
    table, bad = _arrow_parse(p, buf, delimiter, header_row, longest, opts.na_values, opts.select_columns)
    header, cells = _to_cells(table)
    if bad:
        bad = _locate_bad_rows(buf, header_row, bad)
    numbers = _row_numbers(buf, header_row, len(cells), bad)
    quarantine = [QuarantinedRow(str(p), line, "", txt[:200], reason,
                                 "Fix the row so it has one cell per column (check for a stray delimiter "
                                 "or quote)", txt[:2000])
                  for line, txt, reason in bad]
    return RawTable(str(p), header, cells, numbers, quarantine, encoding, delimiter, "csv", digest)


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
                 na_values: tuple[str, ...] = (), select_columns=None):
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
            longest_all = max(len(x) for x in buf.split(b"\n"))
            if longest_all > MAX_LINE:
                raise InputError(f"a line is longer than {MAX_LINE >> 20} MB", file=str(p),
                                 hint="This does not look like a tally file; check that it is the file you "
                                      "meant") from None
            table = parse(max(block, 2 * longest_all + 4096))
    except pa.ArrowInvalid as e:
        msg = str(e).splitlines()[0]
        raise InputError(f"cannot be parsed as a {delimiter!r}-separated table ({msg})", file=str(p),
                         hint="Check --delimiter and --header-row, or run 'electcheck inspect' on it") from None
    return table, bad


def _all_strings(buf: bytes, delimiter: str, header_row: int) -> dict[str, pa.DataType]:
    end = 0
    for _ in range(header_row):  # only the first lines: never copy the whole file
        nxt = buf.find(b"\n", end)
        end = len(buf) if nxt < 0 else nxt + 1
    lines = buf[:end].split(b"\n", header_row)
    if len(lines) < header_row:
        return {}
    header_line = lines[header_row - 1].decode("utf-8", errors="replace").rstrip("\r")
    names = next(csv.reader([header_line], delimiter=delimiter), [])
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
