"""Read a Parquet file into a :class:`RawTable` of text cells (sizes checked from its metadata first)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import limits as _limits
from ..errors import InputError
from .raw_table import RawTable, ReadOptions
from .table_rows import frame_to_table


def read_parquet(p: Path, opts: ReadOptions) -> RawTable:
    import pyarrow.parquet as pq

    lim = opts.limits or _limits.current()
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
    return frame_to_table(p, df, "parquet")
