"""Rules applied once, at ingest, so that totals, compare and forensics all see the same rows.

- **Duplicate keys**: the first row of each unit key (in file order) stays in the tally;
  every later row with the same key is set aside. It still counts as read and accepted
  (it was readable), is listed in the ``duplicate-key`` finding with its spreadsheet row,
  and is in none of the totals, comparisons or forensic tests.
- **Names**: a candidate, party or region name longer than the name limit
  (``--max-name``) is cut to the limit and marked with "…", with a ``long-name`` finding.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .. import limits as _limits
from ..model import Finding, Tally

#: set-aside rows listed one by one in the finding (the count is always exact)
MAX_LISTED = 1000
ELLIPSIS = "…"

DUPLICATE_RULE = ("the first row of each key (in file order) is kept and counted in the totals, comparisons "
                  "and forensics; the later rows are set aside and counted in none of them")


def duplicate_mask(ids: pd.Series) -> np.ndarray:
    """True for every row whose key already appeared in an earlier row."""
    from .checks import _all_distinct
    from ..numbers import _arrow_strings

    if len(ids) > 1000:
        import pyarrow.compute as pc

        arr = _arrow_strings(ids)
        if _all_distinct(arr) or pc.count_distinct(arr, mode="all").as_py() == len(ids):
            return np.zeros(len(ids), dtype=bool)
    return ids.duplicated(keep="first").to_numpy(dtype=bool)


def set_aside_duplicates(t: Tally) -> tuple[Tally, list[Finding], int]:
    """The tally without the later rows of each duplicated key, the finding, and how many were set aside."""
    if "unit_id" not in t.data.columns or len(t.data) < 2:
        return t, [], 0
    ids = t.data["unit_id"]
    later = duplicate_mask(ids)
    k = int(later.sum())
    if k == 0:
        return t, [], 0
    involved = ids.isin(set(ids[later].dropna().tolist())).to_numpy(dtype=bool) & ids.notna().to_numpy(dtype=bool)
    n = int(involved.sum())
    keys = int(pd.Series(ids[later]).nunique())
    rows = t.data["source_row"] if "source_row" in t.data.columns else pd.Series(np.arange(len(ids)) + 2)
    first_row = {}
    for key, row in zip(ids[involved & ~later].tolist(), rows[involved & ~later].tolist()):
        first_row.setdefault(key, int(row))
    aside = [{"unit_id": key, "source_row": int(row), "kept_row": first_row.get(key)}
             for key, row in zip(ids[later].tolist()[:MAX_LISTED], rows[later].tolist()[:MAX_LISTED])]
    file = t.meta.inputs[0].path if t.meta.inputs else t.meta.source
    from .checks import MAX_EXAMPLES

    finding = Finding(
        "duplicate-key", "error", "Duplicate unit keys",
        f"{n} rows share their unit key with another row ({keys} keys); {DUPLICATE_RULE} "
        f"({k} rows set aside, listed in the evidence)",
        location={"file": file, "rows": [int(r) for r in rows[involved].tolist()[:MAX_EXAMPLES]]},
        evidence={"count": n, "keys": keys, "set_aside": k, "rule": "keep-first",
                  "set_aside_rows": aside, "set_aside_listed": len(aside)})
    data = t.data[~later].reset_index(drop=True)
    return Tally(data, t.meta), [finding], k


def limit_names(t: Tally, name_columns: list[str] | None = None) -> list[Finding]:
    """Cut candidate names, aliases and region names longer than the name limit (with a finding)."""
    lim = _limits.current().max_name
    cut: list[dict] = []

    def short(s: str) -> str:
        return s if len(s) <= lim else s[: max(lim - 1, 1)] + ELLIPSIS

    new_cands = []
    for c in t.meta.candidates:
        if len(c.name) > lim or any(len(a) > lim for a in c.aliases):
            cut.append({"what": "candidate", "id": c.id, "length": max([len(c.name)] + [len(a) for a in c.aliases])})
            c = dataclasses.replace(c, name=short(c.name), aliases=type(c.aliases)(short(a) for a in c.aliases))
        new_cands.append(c)
    t.meta.candidates = new_cands
    for attr in ("source", "election"):
        v = getattr(t.meta, attr, None)
        if isinstance(v, str) and len(v) > lim:
            cut.append({"what": attr, "length": len(v)})
            setattr(t.meta, attr, short(v))
    cols = name_columns if name_columns is not None else [lv for lv in t.meta.hierarchy if lv in t.data.columns]
    for col in cols:  # never the key: cutting keys could merge units
        s = t.data[col]
        if not len(s):
            continue
        lens = s.str.len()
        too = (lens > lim).fillna(False).to_numpy(dtype=bool)
        if too.any():
            rows = t.data["source_row"][too].tolist()[:5] if "source_row" in t.data.columns else []
            cut.append({"what": col, "cells": int(too.sum()), "length": int(lens.max()),
                        "rows": [int(r) for r in rows]})
            t.data[col] = s.where(~too, s[too].map(short)).astype(s.dtype)
    if not cut:
        return []
    file = t.meta.inputs[0].path if t.meta.inputs else t.meta.source
    return [Finding("long-name", "warning", "Names cut to the name limit",
                    f"{len(cut)} name field(s) longer than {lim:,} characters were cut to the limit (ending in "
                    f"'{ELLIPSIS}'); raise it with {_limits.flag('max_name')} if they are genuine",
                    location={"file": file}, evidence={"count": len(cut), "limit": lim, "names": cut[:20]})]
