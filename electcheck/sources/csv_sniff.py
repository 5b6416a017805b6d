"""What a text table looks like from its first lines: delimiter, header row, header width."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa

from .. import limits as _limits
from ..limits import Limits
from .raw_table import ReadOptions
from .table_rows import guess_header_row

DELIMITERS = [",", ";", "\t", "|"]


def detect_delimiter(text_head: str) -> str:
    """The delimiter among , ; tab | that splits the first lines most consistently (csv.Sniffer first)."""
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


def text_options(text_head: str, opts: ReadOptions) -> tuple[str, int]:
    """Delimiter and header row: given, or sniffed from the first 64 KB of text."""
    delimiter = detect_delimiter(text_head) if opts.delimiter == "auto" else opts.delimiter
    if opts.header_row is None:
        try:
            head_rows = list(csv.reader(io.StringIO("\n".join(text_head.splitlines()[:40])), delimiter=delimiter))
        except csv.Error:  # a stray NUL or carriage return: line by line
            head_rows = [split_line(ln, delimiter) for ln in text_head.splitlines()[:40]]
        header_row = guess_header_row([[c or None for c in r] for r in head_rows]) + 1
    else:
        header_row = opts.header_row
    return delimiter, header_row


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


def check_header_width(p: Path, buf: bytes, delimiter: str, header_row: int, lim: Limits) -> None:
    """Refuse a header wider than the column limit, on the raw line, before any CSV engine sees it."""
    line = _header_line(buf, header_row)
    d = delimiter.encode("utf-8")
    upper = line.count(d) + 1
    if upper <= lim.max_columns:
        return
    n = upper
    if b'"' in line:  # quoted delimiters are not columns: count exactly
        n = len(split_line(line.decode("utf-8", errors="replace").rstrip("\r"), delimiter))
    if n > lim.max_columns:
        raise _limits.refuse("max_columns", f"the header has {n:,} columns", file=str(p), row=header_row,
                             limit=lim.max_columns)


def split_line(line: str, delimiter: str) -> list[str]:
    """One line's cells as the csv module reads them (a stray carriage return or NUL inside is kept as text)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        cleaned = line.replace("\r", " ").replace("\x00", " ")
        try:
            return next(csv.reader([cleaned], delimiter=delimiter), [])
        except csv.Error:
            return cleaned.split(delimiter)


def string_columns(buf: bytes, delimiter: str, header_row: int) -> dict[str, pa.DataType]:
    """Every column of the header line read as text (Arrow's column types for a table of text cells)."""
    header_line = _header_line(buf, header_row).decode("utf-8", errors="replace").rstrip("\r")
    return {n: pa.string() for n in split_line(header_line, delimiter)}
