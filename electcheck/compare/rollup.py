"""Roll-ups of the reconciliation to every hierarchy level and the nation.

For each area: units with figures on each side, matched, differing and
one-side-only units; each side's candidate totals over *all* its units with
figures; the summed differences over *matched* units only (like for like); the
margin (declared winner − runner-up) under each source and the part of it the
discrepancies make up. Sums use ``np.bincount`` on factorised area codes (no
loop per unit); an area with no figure for a column gets null, not zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .align import Aligned
from .levels import NATION

UNIT_COUNTS = ("units_official", "units_independent", "matched", "differing", "only_official",
               "only_independent")


def _group_sum(codes: np.ndarray, n_groups: int, values: np.ndarray) -> np.ndarray:
    ok = ~np.isnan(values)
    s = np.bincount(codes[ok], weights=values[ok], minlength=n_groups)
    c = np.bincount(codes[ok], minlength=n_groups)
    return np.where(c > 0, s, np.nan)


def rollup(al: Aligned, D: np.ndarray, differ: np.ndarray, effect: np.ndarray, level: str,
           winner: str | None, runner: str | None) -> pd.DataFrame:
    k = al.n_candidates
    cands = al.columns[:k]
    cols: dict[str, np.ndarray] = {
        "units_official": al.fig_official.astype(float),
        "units_independent": al.fig_independent.astype(float),
        "matched": al.matched.astype(float),
        "differing": differ.astype(float),
        "only_official": al.only_official.astype(float),
        "only_independent": al.only_independent.astype(float),
    }
    for j, c in enumerate(cands):
        cols[f"{c}_official"] = np.where(al.fig_official, al.official[:, j], np.nan)
        cols[f"{c}_independent"] = np.where(al.fig_independent, al.independent[:, j], np.nan)
        cols[f"{c}_diff"] = D[:, j]
    cols["margin_effect"] = np.where(al.matched, effect, np.nan)
    n = len(al.unit_id)
    if level == NATION:
        codes = np.zeros(n, np.int64)
        areas = np.array([NATION], dtype=object)
        names = None
        key_col = None
    else:
        key_col = f"{level}_code" if f"{level}_code" in al.hierarchy else level
        kc = al.hierarchy[key_col]
        # sort areas by key; missing key (-1) becomes its own last group
        order = np.argsort(kc.uniques.astype(str), kind="stable") if len(kc.uniques) else np.empty(0, np.int64)
        rank = np.empty(len(order), np.int64)
        rank[order] = np.arange(len(order))
        used = np.zeros(len(order) + 1, bool)
        raw = np.where(kc.codes >= 0, rank[np.where(kc.codes >= 0, kc.codes, 0)], len(order))
        used[np.unique(raw)] = True
        remap = np.cumsum(used) - 1
        codes = remap[raw]
        areas_all = np.append(kc.uniques[order], None)
        areas = areas_all[used]
        names = None
        if level in al.hierarchy and key_col != level:
            nc = al.hierarchy[level]
            first = np.full(len(areas), -1, np.int64)
            pos = np.arange(n)[::-1]  # last write wins -> first occurrence
            first[codes[pos]] = nc.codes[pos]
            names = np.where(first >= 0, nc.uniques[np.where(first >= 0, first, 0)] if len(nc.uniques)
                             else None, None)
    m = len(areas)
    g = pd.DataFrame({"level": level, "area": pd.array(areas, dtype="string")})
    if names is not None:
        g["name"] = pd.array(names, dtype="string")
    for c, v in cols.items():
        sums = _group_sum(codes, m, v)
        if c in UNIT_COUNTS:
            g[c] = np.nan_to_num(sums).astype("int64")
        else:
            g[c] = pd.array(np.round(sums), dtype="Int64")
    if winner:
        for side in ("official", "independent"):
            w = g[f"{winner}_{side}"]
            r = g[f"{runner}_{side}"] if runner else 0
            g[f"margin_{side}"] = w - r
        g = g[[c for c in g.columns if c != "margin_effect"] + ["margin_effect"]]
    g.attrs["key_column"] = key_col
    return g
