"""Signed differences, official − independent, per unit and column.

A difference exists only where both sides have the figure (NaN otherwise).
A unit *differs* when any compared candidate count differs. Its effect on the
margin is the difference of the declared winner minus that of the runner-up:
``(o_W − i_W) − (o_R − i_R)``; positive means the official count favours the
declared winner more than the independent tally does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .align import Aligned


def differences(al: Aligned) -> np.ndarray:
    """O − I for units matched on both sides; NaN elsewhere."""
    D = al.official - al.independent
    D[~al.matched] = np.nan
    return D


def differing_mask(al: Aligned, D: np.ndarray) -> np.ndarray:
    """Units where any compared candidate count differs (NaN = no figure = no difference)."""
    k = al.n_candidates
    out = np.zeros(len(D), bool)
    for j in range(k):
        d = D[:, j]
        out |= (d > 0) | (d < 0)
    return out


def margin_pair(totals: dict[str, float], candidates: list[str]) -> tuple[str | None, str | None]:
    """Leader and runner-up by votes (ties broken by candidate order)."""
    ranked = sorted((c for c in candidates if totals.get(c) is not None),
                    key=lambda c: (-totals[c], candidates.index(c)))
    w = ranked[0] if ranked else None
    r = ranked[1] if len(ranked) > 1 else None
    return w, r


def discrepancy_frame(al: Aligned, D: np.ndarray, differ: np.ndarray, winner: str | None,
                      runner: str | None, effect: np.ndarray | None = None) -> pd.DataFrame:
    """Differing units with both figures, the differences and their effect on the margin,
    sorted by |effect on margin|, then total absolute difference, then unit_id."""
    k = al.n_candidates
    cands = al.columns[:k]
    idx = np.flatnonzero(differ)
    out = pd.DataFrame({"unit_id": np.asarray(al.unit_id[idx], dtype=object)})
    for c, codes in al.hierarchy.items():
        out[c] = codes.values(idx)
    Dk = D[idx, :k]
    for j, c in enumerate(cands):
        out[f"{c}_official"] = al.official[idx, j]
        out[f"{c}_independent"] = al.independent[idx, j]
        out[f"{c}_diff"] = Dk[:, j]
    for j in range(k, len(al.columns)):
        c = al.columns[j]
        if not (_all_nan(al.official[:, j]) or _all_nan(al.independent[:, j])):
            out[f"{c}_diff"] = D[idx, j]
    nz = np.nan_to_num(Dk, nan=0.0)
    out["candidates_differing"] = (nz != 0).sum(axis=1)
    out["abs_diff"] = np.abs(nz).sum(axis=1)
    out["margin_effect"] = (margin_effect(al, D, winner, runner) if effect is None else effect)[idx]
    out["abs_margin_effect"] = np.abs(out["margin_effect"])
    out = out.sort_values(["abs_margin_effect", "abs_diff", "unit_id"],
                          ascending=[False, False, True], kind="mergesort").reset_index(drop=True)
    out.insert(1, "rank", np.arange(1, len(out) + 1))
    for c in out.columns:
        if c.endswith(("_official", "_independent", "_diff")) or c in ("abs_diff", "margin_effect",
                                                                         "abs_margin_effect"):
            out[c] = pd.array(np.round(out[c].to_numpy(dtype=float)), dtype="Int64") \
                if not out[c].isna().all() else pd.array([pd.NA] * len(out), dtype="Int64")
    return out


def _all_nan(v: np.ndarray) -> bool:
    return not (len(v) and (not np.isnan(v[0]) or not np.isnan(v).all()))


def margin_effect(al: Aligned, D: np.ndarray, winner: str | None, runner: str | None) -> np.ndarray:
    k = al.n_candidates
    cands = al.columns[:k]
    if winner is None:
        return np.zeros(len(al.unit_id))
    dw = np.nan_to_num(D[:, cands.index(winner)], nan=0.0)
    dr = np.nan_to_num(D[:, cands.index(runner)], nan=0.0) if runner else 0.0
    return dw - dr
