"""One ranked station list merging hard checks and statistical flags, each with reason codes.

A unit enters the list for any hard-check reason (see ``hard_checks``), and
for a statistical reason only when the test behind it is significant
nationally after Benjamini–Hochberg (q ≤ 0.05) and not anti-conservative:
an integer turnout or leader share (``INT_TURNOUT``, ``INT_SHARE``) means
little on its own — a fifth of clean units are integer by chance — but in an
election with a significant excess these are the units to look at first.
``FINGERPRINT_CORNER`` (turnout and leader share both ≥ 95 %) is always
listed; ``TAIL_TURNOUT`` / ``TAIL_SHARE`` (descriptive, from
distribution-shape) are added only to units already listed. Score = sum of reason weights; ties broken by registered voters
(bigger units first), then unit id. The list is a work queue for people
checking protocols, not a list of frauds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .base import TestResult
from .hard_checks import WEIGHTS as HARD_WEIGHTS
from .units import Units

STAT_WEIGHTS = {"INT_TURNOUT": 1.0, "INT_SHARE": 1.0, "FINGERPRINT_CORNER": 1.0}
#: descriptive reasons (distribution-shape has no p-value): added only to units already listed
SUPPLEMENTARY = {"TAIL_TURNOUT": 0.5, "TAIL_SHARE": 0.5}
ALWAYS = {"FINGERPRINT_CORNER"}
REASONS = {
    **{k: "hard check" for k in HARD_WEIGHTS},
    "INT_TURNOUT": "turnout is a whole percentage (significant national excess)",
    "INT_SHARE": "leader share is a whole percentage (significant national excess)",
    "FINGERPRINT_CORNER": "turnout and leader share both ≥ 95 %",
    "TAIL_TURNOUT": "turnout more than 3 robust SD above its region (descriptive, only beside another reason)",
    "TAIL_SHARE": "leader share more than 3 robust SD above its region (descriptive, only beside another reason)",
}


def build(units: Units, results: list[TestResult], q_max: float = 0.05) -> pd.DataFrame:
    """Ranked station list (a DataFrame; empty when nothing is flagged)."""
    n = units.n
    score = np.zeros(n)
    reasons: list[list[str]] = [[] for _ in range(n)]
    hit_any = np.zeros(n, dtype=bool)
    supplementary = []
    for r in results:
        if r.scope != "national" or not r.unit_flags:
            continue
        for code, idx in r.unit_flags.items():
            if code in SUPPLEMENTARY:
                supplementary.append((code, idx))
                continue
            if code in HARD_WEIGHTS:
                w = HARD_WEIGHTS[code]
            else:
                significant = (r.q_value is not None and r.q_value <= q_max
                               and r.calibration != "anti-conservative")
                if code not in ALWAYS and not significant:
                    continue
                w = STAT_WEIGHTS.get(code, 1.0)
            if len(idx) == 0:
                continue
            score[idx] += w
            hit_any[idx] = True
            for i in idx:
                reasons[i].append(code)
    for code, idx in supplementary:  # descriptive leads: only beside another reason
        idx = idx[hit_any[idx]]
        score[idx] += SUPPLEMENTARY[code]
        for i in idx:
            reasons[i].append(code)
    sel = np.flatnonzero(hit_any)
    t = units.turnout()
    s = units.share()
    df = pd.DataFrame({"unit_id": units.ids[sel]})
    for lvl, lab in units.labels.items():
        df[lvl] = lab[sel]
    df["score"] = score[sel]
    df["reasons"] = [";".join(sorted(set(reasons[i]))) for i in sel]
    df["registered"] = pd.array(np.where(np.isnan(units.registered[sel]), np.nan, units.registered[sel]),
                                dtype="Float64").round(0).astype("Int64")
    df["ballots"] = pd.array(units.turnout_num[sel], dtype="Float64").round(0).astype("Int64")
    df["turnout_pct"] = np.round(t[sel] * 100, 2)
    df[f"{units.leader_id}_share_pct"] = np.round(s[sel] * 100, 2)
    df["_reg"] = np.nan_to_num(units.registered[sel], nan=-1)
    df = df.sort_values(["score", "_reg", "unit_id"], ascending=[False, False, True], kind="stable")
    df = df.drop(columns="_reg").reset_index(drop=True)
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    return df


def records(df: pd.DataFrame, limit: int | None = None) -> list[dict[str, Any]]:
    part = df if limit is None else df.head(limit)
    out = []
    for row in part.itertuples(index=False):
        d = {}
        for k, v in zip(part.columns, row):
            if v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                v = None
            elif isinstance(v, (np.integer,)):
                v = int(v)
            elif isinstance(v, (np.floating,)):
                v = float(v)
            d[k] = v
        d["reasons"] = d["reasons"].split(";") if d.get("reasons") else []
        out.append(d)
    return out
