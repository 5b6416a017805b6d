"""Roll-ups of the reconciliation to every hierarchy level and the nation.

For each area: units with figures on each side, matched, differing and
one-side-only units; each side's candidate totals over *all* its units with
figures; the summed differences over *matched* units only (like for like); the
margin (declared winner − runner-up) under each source and the part of it the
discrepancies make up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .align import Aligned
from .levels import NATION


def rollup(al: Aligned, D: np.ndarray, differ: np.ndarray, effect: np.ndarray, level: str,
           winner: str | None, runner: str | None) -> pd.DataFrame:
    k = al.n_candidates
    cands = al.columns[:k]
    n = len(al.unit_id)
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
    frame = pd.DataFrame(cols)
    if level == NATION:
        key_col, name_col = None, None
        g = frame.sum(min_count=1).to_frame().T
        g.insert(0, "area", NATION)
    else:
        key_col = f"{level}_code" if f"{level}_code" in al.hierarchy.columns else level
        name_col = level if level in al.hierarchy.columns and key_col != level else None
        frame["_key"] = al.hierarchy[key_col].to_numpy()
        g = frame.groupby("_key", sort=True, dropna=False).sum(min_count=1)
        if name_col:
            names = pd.Series(al.hierarchy[name_col].to_numpy()).groupby(frame["_key"].to_numpy(),
                                                                          dropna=False).first()
            g.insert(0, "name", names.reindex(g.index).to_numpy())
        g = g.reset_index().rename(columns={"_key": "area"})
    for c in ("units_official", "units_independent", "matched", "differing", "only_official",
              "only_independent"):
        g[c] = g[c].fillna(0).astype("int64")
    if winner:
        for side in ("official", "independent"):
            w = g[f"{winner}_{side}"]
            r = g[f"{runner}_{side}"] if runner else 0
            g[f"margin_{side}"] = w - r
        cols_order = [c for c in g.columns if c != "margin_effect"] + ["margin_effect"]
        g = g[cols_order]
    for c in g.columns:
        if c.endswith(("_official", "_independent", "_diff")) or c == "margin_effect":
            g[c] = pd.array(np.round(g[c].to_numpy(dtype=float)), dtype="Int64") \
                if g[c].notna().any() else pd.array([pd.NA] * len(g), dtype="Int64")
    g.insert(0, "level", level)
    g["area"] = g["area"].astype("string")
    g.attrs["key_column"] = key_col
    _ = n
    return g
