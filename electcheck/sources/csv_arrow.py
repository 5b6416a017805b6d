"""Arrow's multi-threaded CSV parser, set to read every cell as text (nulls for empty cells)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from .. import limits as _limits
from ..errors import InputError
from ..limits import Limits
from .csv_sniff import string_columns
from .raw_table import clean_header


def to_cells(table: pa.Table) -> tuple[list[str], pd.DataFrame]:
    header = clean_header(table.column_names)
    string_dtype = pd.StringDtype("pyarrow")
    mapper = {pa.string(): string_dtype, pa.large_string(): string_dtype}.get
    cells = pd.DataFrame({h: table.column(i).to_pandas(types_mapper=mapper) for i, h in enumerate(header)},
                         copy=False)
    return header, cells


def include_columns(types: dict[str, pa.DataType], select_columns) -> list[str] | None:
    """The columns to convert (the mapping's), or None for all of them."""
    if select_columns is None or len(types) <= 1:
        return None
    names = list(types)
    wanted = select_columns(names)
    if wanted and len(set(names)) == len(names) and all(n.strip() for n in names) \
            and set(wanted) <= set(names) and len(set(wanted)) < len(names):
        return [n for n in names if n in set(wanted)]
    return None


def read_arrow(source, delimiter: str, header_row: int, block_size: int, types: dict[str, pa.DataType],
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


def arrow_parse(p: Path, buf: bytes, delimiter: str, header_row: int, longest: int,
                 na_values: tuple[str, ...] = (), select_columns=None, lim: Limits | None = None):
    bad: list[tuple[int, str, str]] = []

    def on_invalid(row) -> str:
        bad.append((row.number or 0, row.text or "",
                    f"row has {row.actual_columns} cells, the header has {row.expected_columns}"))
        return "skip"

    types = string_columns(buf, delimiter, header_row)
    include = include_columns(types, select_columns)
    # Arrow parses in blocks (1 MB is fastest); a line longer than a block needs a bigger one.
    block = max(1 << 20, 2 * longest + 4096)

    def parse(block_size: int):
        bad.clear()
        return read_arrow(pa.BufferReader(buf), delimiter, header_row, block_size, types, include,
                           na_values, on_invalid)

    try:
        try:
            table = parse(block)
        except pa.ArrowInvalid as e:
            if "straddling" not in str(e) and "block" not in str(e):
                raise
            lim = lim or _limits.current()
            longest_all = longest_line(buf)
            if longest_all > lim.max_line:
                raise _limits.refuse("max_line", "a line is longer than the line limit; this does not look "
                                     "like a tally file", file=str(p), limit=lim.max_line) from None
            table = parse(max(block, 2 * longest_all + 4096))
    except pa.ArrowInvalid as e:
        msg = str(e).splitlines()[0]
        raise InputError(f"cannot be parsed as a {delimiter!r}-separated table ({msg})", file=str(p),
                         hint="Check --delimiter and --header-row, or run 'electcheck inspect' on it") from None
    return table, bad


def longest_line(buf: bytes) -> int:
    """Length of the longest line, without splitting the whole buffer into a list."""
    longest, start = 0, 0
    while True:
        nxt = buf.find(b"\n", start)
        end = len(buf) if nxt < 0 else nxt
        longest = max(longest, end - start)
        if nxt < 0:
            return longest
        start = nxt + 1
