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


def _group_sums(codes: np.ndarray, n_groups: int, M: np.ndarray) -> np.ndarray:
    """Column sums of ``M`` by group code (one sort, one ``reduceat``); NaN where a group has no value."""
    ok = ~np.isnan(M)
    if n_groups == 1:
        s = np.where(ok, M, 0.0).sum(axis=0, keepdims=True)
        return np.where(ok.any(axis=0, keepdims=True), s, np.nan)
    order = np.argsort(codes, kind="stable")
    sc = codes[order]
    starts = np.flatnonzero(np.r_[True, sc[1:] != sc[:-1]])
    Ms = np.where(ok, M, 0.0)[order]
    s = np.add.reduceat(Ms, starts, axis=0)
    c = np.add.reduceat(ok[order].astype(np.int32), starts, axis=0)
    out = np.full((n_groups, M.shape[1]), np.nan)
    out[sc[starts]] = np.where(c > 0, s, np.nan)
    return out


def _unit_columns(al: Aligned, D: np.ndarray, differ: np.ndarray, effect: np.ndarray
                  ) -> dict[str, np.ndarray]:
    k = al.n_candidates
    cands = al.columns[:k]
    cols: dict[str, np.ndarray] = {
        "units_official": al.fig_official,
        "units_independent": al.fig_independent,
        "matched": al.matched,
        "differing": differ,
        "only_official": al.only_official,
        "only_independent": al.only_independent,
    }
    for j, c in enumerate(cands):
        cols[f"{c}_official"] = np.where(al.fig_official, al.official[:, j], np.nan)
        cols[f"{c}_independent"] = np.where(al.fig_independent, al.independent[:, j], np.nan)
        cols[f"{c}_diff"] = D[:, j]
    for j, c in enumerate(cands):
        d = np.nan_to_num(D[:, j])
        cols[f"{c}_units_higher"] = d > 0
        cols[f"{c}_units_lower"] = d < 0
    cols["margin_effect"] = np.where(al.matched, effect, np.nan)
    return cols


def _bincount_sums(codes: np.ndarray, n_groups: int, cols: dict[str, np.ndarray]) -> np.ndarray:
    """Per-group sums of each column (bincount, no sort); NaN where a group has no value."""
    out = np.empty((n_groups, len(cols)))
    for j, v in enumerate(cols.values()):
        if v.dtype == bool:
            out[:, j] = np.bincount(codes, weights=v.astype(np.float64), minlength=n_groups)
            continue
        ok = ~np.isnan(v)
        s = np.bincount(codes, weights=np.where(ok, v, 0.0), minlength=n_groups)
        c = np.bincount(codes, weights=ok.astype(np.float64), minlength=n_groups)
        out[:, j] = np.where(c > 0, s, np.nan)
    return out


def _frame(level: str, areas: np.ndarray, names: np.ndarray | None, colnames: list[str], sums: np.ndarray,
           winner: str | None, runner: str | None, key_col: str | None) -> pd.DataFrame:
    g = pd.DataFrame({"level": level, "area": pd.array(areas, dtype="string")})
    if names is not None:
        g["name"] = pd.array(names, dtype="string")
    for j, c in enumerate(colnames):
        if c in UNIT_COUNTS or c.endswith(("_units_higher", "_units_lower")):
            g[c] = np.nan_to_num(sums[:, j]).astype("int64")
        else:
            g[c] = pd.array(np.round(sums[:, j]), dtype="Int64")
    if winner:
        for side in ("official", "independent"):
            w = g[f"{winner}_{side}"]
            r = g[f"{runner}_{side}"] if runner else 0
            g[f"margin_{side}"] = w - r
        g = g[[c for c in g.columns if c != "margin_effect"] + ["margin_effect"]]
    g.attrs["key_column"] = key_col
    return g


def rollups(al: Aligned, D: np.ndarray, differ: np.ndarray, effect: np.ndarray, levels: list[str],
            winner: str | None, runner: str | None) -> dict[str, pd.DataFrame]:
    """Roll-ups for every level in ``levels`` (top-down) that has a column, plus the nation.

    Units are summed once into the finest combination of area codes; each level is then summed
    from those groups (a few thousand rows), not from the units again.
    """
    cols = _unit_columns(al, D, differ, effect)
    colnames = list(cols)
    n = len(al.unit_id)
    keys = []
    for lv in levels:
        kc = f"{lv}_code" if f"{lv}_code" in al.hierarchy else (lv if lv in al.hierarchy else None)
        if kc:
            keys.append((lv, kc))
    out: dict[str, pd.DataFrame] = {}
    if keys:
        # composite key over all levels (codes + 1, so that missing = 0)
        comp = np.zeros(n, np.int64)
        for j, (_, kc) in enumerate(keys):
            c = al.hierarchy[kc].codes + 1
            comp = comp * (int(c.max()) + 1 if n else 1) + c
            if j < len(keys) - 1 and int(comp.max(initial=0)) > 2 ** 40:  # re-pack to stay small
                comp = np.unique(comp, return_inverse=True)[1].ravel().astype(np.int64)
        _, first, inv = np.unique(comp, return_index=True, return_inverse=True)
        G = len(first)
        fine = _bincount_sums(inv.ravel(), G, cols)
        for lv, kc in keys:
            hc = al.hierarchy[kc]
            gcode = hc.codes[first]                      # code of each fine group at this level
            uniq = hc.uniques
            order = np.argsort(uniq.astype(str), kind="stable") if len(uniq) else np.empty(0, np.int64)
            rank = np.empty(len(order), np.int64)
            rank[order] = np.arange(len(order))
            raw = np.where(gcode >= 0, rank[np.where(gcode >= 0, gcode, 0)], len(order))
            used = np.zeros(len(order) + 1, bool)
            used[raw] = True
            remap = np.cumsum(used) - 1
            codes = remap[raw]
            m = int(used.sum())
            sums = _group_sums(codes, m, fine)
            areas = np.append(uniq[order], None)[used]
            names = None
            if lv in al.hierarchy and kc != lv:
                first_row = np.full(m, -1, np.int64)
                first_row[codes[::-1]] = first[::-1]     # earliest unit of each area
                names = al.hierarchy[lv].values(first_row)
            out[lv] = _frame(lv, areas, names, colnames, sums, winner, runner, kc)
    nat = _bincount_sums(np.zeros(n, np.int64), 1, cols) if not keys else _group_sums(np.zeros(G, np.int64), 1, fine)
    out[NATION] = _frame(NATION, np.array([NATION], dtype=object), None, colnames, nat, winner, runner, None)
    return out
