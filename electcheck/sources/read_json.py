"""Read JSON records (an array of objects, one object per line, or pandas' column orient)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import limits as _limits
from ..errors import InputError
from .file_bytes import detect_encoding, read_bytes
from .raw_table import RawTable, ReadOptions
from .table_rows import frame_to_table


def read_json(p: Path, opts: ReadOptions) -> RawTable:
    import json

    lim = opts.limits or _limits.current()
    data, digest = read_bytes(p, lim)
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
    raw = frame_to_table(p, df, "json", first_row=1)
    raw.sha256 = digest
    return raw
