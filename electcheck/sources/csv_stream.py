"""The common CSV in one pass: the file streamed to Arrow, hashed and checked on the way.

Used only when the result is provably what the careful reader
(:mod:`.read_csv`) gives; anything unusual is left to it.
"""

from __future__ import annotations

import codecs
import hashlib
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow as pa

from .. import limits as _limits
from ..errors import InputError
from ..limits import Limits
from .csv_arrow import include_columns, read_arrow, to_cells
from .csv_sniff import check_header_width, string_columns, text_options
from .file_bytes import ByteGuard, looks_binary
from .raw_table import RawTable, ReadOptions


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
        self.guard = ByteGuard(str(path), lim or _limits.current())
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



@contextmanager
def _quiet_row_decoding():
    """Arrow decodes a ragged row's text as UTF-8 before it calls the invalid-row handler; a row cut inside
    a character ("a,b,c\\n\\xe1") makes that decoding fail inside Arrow, which reports it through
    ``sys.unraisablehook`` (a traceback on stderr) and never calls the handler. The row count check after
    the read catches such a row either way (the careful reader then names it), so that report is dropped."""
    previous = sys.unraisablehook

    def hook(unraisable):
        if not isinstance(unraisable.exc_value, UnicodeDecodeError):
            previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous

def read_csv_streaming(p: Path, opts: ReadOptions) -> RawTable | None:
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
        if not head.strip() or looks_binary(raw_head) or raw_head.startswith((b"\xff\xfe", b"\xfe\xff")) \
                or b"\n" not in head:
            return None
        text_head = head.decode("utf-8", errors="ignore")
        delimiter, header_row = text_options(text_head, opts)
        if head.count(b"\n") < header_row:
            return None  # the header line is not within the first 64 KB
        check_header_width(p, head, delimiter, header_row, lim)
        types = string_columns(head, delimiter, header_row)
        include = include_columns(types, opts.select_columns)
        lines = head.split(b"\n")
        longest = max(len(x) for x in lines[:-1])
        block = max(1 << 20, 2 * longest + 4096)
        bad: list[int] = []

        def on_invalid(row) -> str:  # a ragged row: stop, the careful reader locates it
            bad.append(row.number or 0)
            return "error"

        try:
            with _quiet_row_decoding():
                table = read_arrow(stream, delimiter, header_row, block, types, include, opts.na_values, on_invalid)
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
        header, cells = to_cells(table)
        numbers = np.arange(header_row + 1, header_row + 1 + n, dtype=np.int64)
        return RawTable(str(p), header, cells, numbers, [], encoding, delimiter, "csv", stream.sha.hexdigest())
