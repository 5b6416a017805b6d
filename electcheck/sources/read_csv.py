"""Read a text table (CSV, TSV, any delimiter, any encoding, plain or gzip).

:func:`read_csv` tries the one-pass streaming read (:mod:`.csv_stream`) and
falls back to :func:`read_csv_careful`, which holds the file in memory and
handles every layout, encoding and damage with spreadsheet row numbers.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from .. import limits as _limits
from ..errors import InputError
from ..model import QuarantinedRow
from .csv_arrow import arrow_parse, to_cells
from .csv_sniff import check_header_width, text_options
from .csv_stream import read_csv_streaming
from .file_bytes import ByteGuard, bom_encoding, detect_encoding, is_wide, looks_binary, read_bytes
from .raw_table import RawTable, ReadOptions


def read_csv(p: Path, opts: ReadOptions) -> RawTable:
    """The streaming read when it is provably the same, else the careful one."""
    fast = read_csv_streaming(p, opts)
    if fast is not None:
        return fast
    return read_csv_careful(p, opts)


def read_csv_careful(p: Path, opts: ReadOptions) -> RawTable:
    """The whole file in memory: handles every layout, encoding and damage, with row numbers."""
    lim = opts.limits or _limits.current()
    forced = opts.encoding.lower().replace("_", "-") not in ("auto", "")
    # a UTF-16/32 file has NUL bytes in every line: its own line counting, after decoding
    wide = forced and is_wide(opts.encoding)
    with open(p, "rb") as f:
        start = f.read(4)
    if start[:2] != b"\x1f\x8b" and bom_encoding(start) in ("utf-16", "utf-32"):
        wide = True
    guard = ByteGuard(str(p), lim if not wide else dataclasses.replace(lim, max_line=lim.max_bytes))
    data, digest = read_bytes(p, lim, guard)
    if not data[:65536].strip() and not data.strip():
        raise InputError("the file is empty", file=str(p), hint="Check that this is the file you meant")
    bom = bom_encoding(data[:4])
    if forced:
        encoding = opts.encoding
    elif bom is not None:
        encoding = bom
    else:
        if looks_binary(data):
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
            g = ByteGuard(str(p), dataclasses.replace(lim, max_bytes=max(lim.max_bytes, len(buf))))
            for i in range(0, len(buf), 1 << 24):
                g.feed(buf[i:i + (1 << 24)])
    longest = max((len(x) for x in buf[: 4 << 20].split(b"\n", 1000)[:1000]), default=0)
    delimiter, header_row = text_options(text_head, opts)
    check_header_width(p, buf, delimiter, header_row, lim)
    table, bad = arrow_parse(p, buf, delimiter, header_row, longest, opts.na_values, opts.select_columns, lim)
    header, cells = to_cells(table)
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
