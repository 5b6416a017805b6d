"""A file's bytes, read within the limits: plain or gzip, and their text encoding.

:class:`ByteGuard` watches the bytes go by and refuses a gzip bomb, a file of
too many rows or a line with no end within one chunk of crossing the limit.
"""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

from .. import limits as _limits
from ..errors import InputError
from ..limits import Limits


class ByteGuard:
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


def file_chunks(path: Path, guard: ByteGuard | None, sha=None, chunk: int = 1 << 20):
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


def read_bytes(path: Path, lim: Limits | None = None, guard: ByteGuard | None = None) -> tuple[bytes, str]:
    """The file's bytes (decompressed when gzip) and the SHA-256 of the bytes on disk, within the limits."""
    lim = lim or _limits.current()
    guard = guard or ByteGuard(str(path), lim)
    sha = hashlib.sha256()
    parts = list(file_chunks(path, guard, sha))
    data = parts[0] if len(parts) == 1 else b"".join(parts)
    return data, sha.hexdigest()


def detect_encoding(data: bytes) -> str:
    """utf-8-sig when a BOM is present, utf-8 when it decodes, else cp1252 / latin-1."""
    bom = bom_encoding(data[:4])
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


def looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    ctrl = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return ctrl / len(sample) > 0.05


_BOMS = [(b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")]


def bom_encoding(start: bytes) -> str | None:
    """The encoding a byte-order mark announces (UTF-32 checked before UTF-16: FF FE 00 00)."""
    for bom, enc in _BOMS:
        if start.startswith(bom):
            return enc
    return None


def is_wide(encoding: str) -> bool:
    e = encoding.lower().replace("_", "-")
    return e.startswith(("utf-16", "utf16", "utf-32", "utf32", "ucs-2", "ucs2", "ucs-4", "ucs4"))
