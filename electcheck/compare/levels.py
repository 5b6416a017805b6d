"""Bringing two tallies to a common counting level before aligning them.

A per-table tally compared with a province-level recapitulation is summed by
province first; a per-table tally compared with a one-row national bulletin is
summed to one row. Sums keep "no figure" apart from zero (``min_count=1``).
"""

from __future__ import annotations

import pandas as pd

from ..errors import InputError
from ..model import COUNT_FIELDS, Tally

NATION = "nation"


NATION_LEVELS = {NATION, "national", "country"}


def is_nation(tally: Tally) -> bool:
    """A published national aggregate (one row for the whole election)."""
    return tally.meta.unit_level in NATION_LEVELS


def choose_level(official: Tally, independent: Tally, level: str | None) -> str:
    """The level both tallies are compared at (explicit, or the coarser of the two)."""
    if level:
        for t in (official, independent):
            if level != NATION and t.meta.unit_level != level and level not in t.meta.hierarchy:
                raise InputError(
                    f"{t.meta.source} cannot be compared at level {level!r}: its units are "
                    f"{t.meta.unit_level!r} and its hierarchy is "
                    f"{', '.join(t.meta.hierarchy) or 'empty'}",
                    hint=f"Choose one of: {', '.join(common_levels(official, independent)) or NATION}")
        return level
    o, i = official.meta.unit_level, independent.meta.unit_level
    if o == i:
        return o
    if is_nation(official) or is_nation(independent):
        return NATION
    if o in independent.meta.hierarchy:
        return o
    if i in official.meta.hierarchy:
        return i
    raise InputError(
        f"the tallies count different units ({official.meta.source}: {o}; "
        f"{independent.meta.source}: {i}) and neither level is in the other's hierarchy",
        hint="Pass --level with a level both have, e.g. " + (", ".join(common_levels(official, independent)) or NATION))


def common_levels(official: Tally, independent: Tally) -> list[str]:
    return [lv for lv in official.meta.hierarchy if lv in independent.meta.hierarchy]


def count_columns(tally: Tally) -> list[str]:
    return tally.count_columns()


def hierarchy_above(tally: Tally, level: str) -> list[str]:
    """Hierarchy levels of ``tally`` down to and including ``level`` (or all if level is the unit)."""
    h = tally.meta.hierarchy
    if level in h:
        return h[: h.index(level) + 1]
    return list(h)


def at_level(tally: Tally, level: str, nation_id: str = "nation") -> tuple[pd.DataFrame, list[str]]:
    """The tally's rows at ``level``: a frame with ``unit_id``, hierarchy and count columns.

    Returns the frame and the hierarchy levels it carries.
    """
    df = tally.data
    cols = tally.count_columns()
    if level == tally.meta.unit_level:
        levels = [lv for lv in tally.meta.hierarchy if lv != level]
        keep = ["unit_id"] + _hier_cols(df, levels) + cols
        return df[keep].reset_index(drop=True), levels
    if level == NATION:
        if len(df) == 1 and is_nation(tally):
            return df[["unit_id"] + cols].reset_index(drop=True), []
        sums = df[cols].sum(min_count=1)
        row = {"unit_id": nation_id, **{c: sums[c] for c in cols}}
        out = pd.DataFrame([row])
        for c in cols:
            out[c] = out[c].astype("Int64")
        return out, []
    key = tally.level_key(level)
    levels = hierarchy_above(tally, level)
    upper = [lv for lv in levels if lv != level]
    g = df.groupby(key, sort=True, dropna=False)
    out = g[cols].sum(min_count=1)
    for c in _hier_cols(df, upper + [level]):
        if c != key:
            out[c] = g[c].first()
    out = out.reset_index()
    out.insert(0, "unit_id", out[key].astype("string"))
    if key == level:  # level has no code column; unit_id is the name
        pass
    keep = ["unit_id"] + [c for c in _hier_cols(df, upper + [level]) if c in out.columns] + cols
    return out[keep], upper + [level]


def _hier_cols(df: pd.DataFrame, levels: list[str]) -> list[str]:
    out = []
    for lv in levels:
        for c in (lv, f"{lv}_code"):
            if c in df.columns:
                out.append(c)
    return out


def present_counts(tally: Tally) -> list[str]:
    return [c for c in COUNT_FIELDS if c in tally.data.columns and tally.data[c].notna().any()]
