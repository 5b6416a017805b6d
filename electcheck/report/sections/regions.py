"""Margin by region: who leads where, by how much, on the first independent tally with the region level.

The tally is the first ``[[compare]]``'s independent one, else the first ``[claims] against``,
else the forensics source; the level is ``[forensics] region_level``. The section is a chart
only (``margin-by-region``): it adds no key to results.json.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import charts
from .base import Section, load_step
from .names import short_names, source_label

SLUG = "regions"
NEEDS = "[forensics] region_level and a tally to draw it from"


def source(cfg) -> str | None:
    """The tally the margins are drawn from."""
    return (cfg.compare[0].independent if cfg.compare else
            (cfg.claims_against[:1] or [cfg.forensics_source])[0])


def wanted(cfg) -> bool:
    return bool(source(cfg) and cfg.region_level)


def plan(cfg):
    return [load_step(source(cfg))]


def build(ctx) -> Section:
    sec = Section(SLUG)
    level = ctx.cfg.region_level
    t = ctx.load(source(ctx.cfg))
    fr = region_frame(t, level)
    if fr is not None:
        frame, a, b = fr
        sec.charts.append(charts.margin_by_region(frame, level, a, b, short_names(t),
                                                  f"{source_label(t)}. Computed by electcheck.",
                                                  basis=t.meta.share_basis))
    return sec


def region_frame(t, level: str):
    """Per region: the two leading candidates' votes and the share basis (valid votes or ballots)."""
    try:
        g = t.by(level)
    except KeyError:
        return None
    cands = [c for c in t.candidate_ids if c in g.columns]
    if len(cands) < 2:
        return None
    tot = g[cands].sum()
    a, b = list(tot.sort_values(ascending=False).index[:2])
    col = "ballots" if t.meta.share_basis == "ballots" else "valid"
    denom = g[col] if col in g.columns else g[cands].sum(axis=1)
    region = g[level] if level in g.columns else pd.Series(g.index.astype(str), index=g.index)
    frame = pd.DataFrame({"region": region.astype(str).to_numpy(),
                          a: g[a].fillna(0).to_numpy(np.int64), b: g[b].fillna(0).to_numpy(np.int64),
                          "denom": denom.astype("Float64").fillna(0).to_numpy(np.float64)})
    frame = frame[frame["denom"] > 0].reset_index(drop=True)
    if frame.empty:
        return None
    return frame, a, b
