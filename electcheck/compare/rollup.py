"""Roll-ups of the reconciliation to every hierarchy level and the nation.

For each area: units with figures on each side, matched, differing and
one-side-only units; each side's candidate totals over *all* its units with
figures; the summed differences over *matched* units only (like for like); the
margin (declared winner − runner-up) under each source and the part of it the
discrepancies make up. Sums use ``np.bincount`` on factorised area codes (no
loop per unit); an area with no figure for a column gets null, not zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import numpy as np
import pandas as pd

from .align import Aligned
from .levels import NATION

UNIT_COUNTS = ("units_official", "units_independent", "matched", "differing", "only_official",
               "only_independent")


def _group_sums(codes: np.ndarray, n_groups: int, M: np.ndarray, prepared=None) -> np.ndarray:
    """Column sums of ``M`` by group code (one sort, one ``reduceat``); NaN where a group has no value.

    ``prepared``: ``(M with NaN as 0, int32 "has a value")`` when several calls share ``M``."""
    if prepared is None:
        ok = ~np.isnan(M)
        Mz, oki = np.where(ok, M, 0.0), ok.astype(np.int32)
    else:
        Mz, oki = prepared
    if n_groups == 1:
        s = Mz.sum(axis=0, keepdims=True)
        return np.where(oki.any(axis=0, keepdims=True), s, np.nan)
    if n_groups == len(codes):  # one row per group: a permutation, nothing to add up
        out = np.empty((n_groups, M.shape[1]))
        out[codes] = M
        return out
    if len(codes) < 2 or bool((codes[1:] >= codes[:-1]).all()):
        order = None
        sc = codes
    else:
        order = np.argsort(codes.astype(np.int32) if n_groups < 2 ** 31 else codes, kind="stable")
        sc = codes[order]
    starts = np.flatnonzero(np.r_[True, sc[1:] != sc[:-1]])
    s = np.add.reduceat(Mz if order is None else Mz[order], starts, axis=0)
    c = np.add.reduceat(oki if order is None else oki[order], starts, axis=0)
    out = np.full((n_groups, M.shape[1]), np.nan)
    out[sc[starts]] = np.where(c > 0, s, np.nan)
    return out


def _unit_columns(al: Aligned, D: np.ndarray, differ: np.ndarray, effect: np.ndarray
                  ) -> tuple[list[str], list[tuple]]:
    """The per-unit columns summed in the roll-ups, as (kind, ...) specs evaluated lazily:
    ``("bool", mask)`` counts units; ``("val", values, ok, same_as)`` sums ``values`` where ``ok``
    (NaN for a group without any), ``same_as`` naming a bool column whose mask equals ``ok``
    (its unit counts are then reused instead of counting again)."""
    k = al.n_candidates
    cands = al.columns[:k]
    matched = al.matched
    names: list[str] = []
    specs: list[tuple] = []

    def add(name, spec):
        names.append(name)
        specs.append(spec)

    add("units_official", ("bool", al.fig_official))
    add("units_independent", ("bool", al.fig_independent))
    add("matched", ("bool", matched))
    add("differing", ("bool", differ))
    add("only_official", ("derived", "units_official", "matched"))
    add("only_independent", ("derived", "units_independent", "matched"))
    for j, c in enumerate(cands):
        for side, arr, fig, ref in (("official", al.official, al.fig_official, "units_official"),
                                    ("independent", al.independent, al.fig_independent, "units_independent")):
            v = arr[:, j]
            nan = np.isnan(v)
            ok = fig & ~nan
            add(f"{c}_{side}", ("val", v, ok, ref if not nan[fig].any() else None))
        d = D[:, j]
        ok = ~np.isnan(d)
        add(f"{c}_diff", ("val", d, ok, "matched" if not (matched & ~ok).any() else None))
    for j, c in enumerate(cands):
        d = D[:, j]
        with np.errstate(invalid="ignore"):
            add(f"{c}_units_higher", ("bool", d > 0))
            add(f"{c}_units_lower", ("bool", d < 0))
    add("margin_effect", ("val", effect, matched & ~np.isnan(effect),
                          "matched" if not np.isnan(effect[matched]).any() else None))
    return names, specs


def _segment_sums(starts: np.ndarray, names: list[str], specs: list[tuple]) -> np.ndarray:
    """Sums of each column over contiguous segments beginning at ``starts``; NaN where a segment
    has no value for the column."""
    out = np.empty((len(starts), len(specs)))
    counts: dict[str, np.ndarray] = {}
    for j, (name, spec) in enumerate(zip(names, specs)):
        kind = spec[0]
        if kind == "bool":
            c = np.add.reduceat(spec[1], starts, dtype=np.int64) if len(starts) else np.zeros(0, np.int64)
            counts[name] = c
            out[:, j] = c
        elif kind == "derived":
            out[:, j] = counts[spec[1]] - counts[spec[2]]
        else:
            _, v, ok, same = spec
            c = counts[same] if same is not None else np.add.reduceat(ok, starts, dtype=np.int64)
            s = np.add.reduceat(np.where(ok, v, 0.0), starts) if len(starts) else np.zeros(0)
            out[:, j] = np.where(c > 0, s, np.nan)
    return out


def _nan_group_sums(codes: np.ndarray, n_groups: int, M: np.ndarray) -> np.ndarray:
    """Column sums of ``M`` (NaN = no value) by group code, with ``np.bincount``."""
    out = np.empty((n_groups, M.shape[1]))
    for j in range(M.shape[1]):
        v = M[:, j]
        ok = ~np.isnan(v)
        s = np.bincount(codes, weights=np.where(ok, v, 0.0), minlength=n_groups)
        c = np.bincount(codes, weights=ok.astype(np.float64), minlength=n_groups)
        out[:, j] = np.where(c > 0, s, np.nan)
    return out


class Rollups(Mapping):
    """Roll-up frames by level, built on first access (the sums are already done; only the
    DataFrame is deferred). ``rows(level)`` gives a frame's length without building it."""

    def __init__(self):
        self._makers: dict[str, tuple[int, Callable[[], pd.DataFrame]]] = {}
        self._built: dict[str, pd.DataFrame] = {}

    def add(self, level: str, rows: int, maker: Callable[[], pd.DataFrame]) -> None:
        self._makers[level] = (rows, maker)

    def rows(self, level: str) -> int:
        if level in self._built:
            return len(self._built[level])
        return self._makers[level][0]

    def __getitem__(self, level: str) -> pd.DataFrame:
        if level not in self._built:
            self._built[level] = self._makers[level][1]()
        return self._built[level]

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)

    def __repr__(self) -> str:
        return f"Rollups({', '.join(f'{k}: {self.rows(k)} rows' for k in self)})"


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
            winner: str | None, runner: str | None) -> Rollups:
    """Roll-ups for every level in ``levels`` (top-down) that has a column, plus the nation.

    Units are summed once into contiguous runs of equal area codes (the files are ordered by area,
    so there are about as many runs as finest areas; no sort of the units), the runs into the
    finest combination of area codes, and each level from those groups (a few thousand rows).
    Each level's DataFrame is built when first asked for.
    """
    colnames, specs = _unit_columns(al, D, differ, effect)
    n = len(al.unit_id)
    keys = []
    for lv in levels:
        kc = f"{lv}_code" if f"{lv}_code" in al.hierarchy else (lv if lv in al.hierarchy else None)
        if kc:
            keys.append((lv, kc))
    out = Rollups()
    if keys and n:
        hcs = [al.hierarchy[kc] for _, kc in keys]
        change = np.zeros(n, bool)
        change[0] = True
        for hc in hcs:
            r = hc.runs()
            if r is not None:           # factorised by runs: their starts are the changes
                change[r[0]] = True
            else:
                c = hc.codes
                change[1:] |= c[1:] != c[:-1]
        starts = np.flatnonzero(change)
        runs = _segment_sums(starts, colnames, specs)
        # finest groups: distinct code combinations, in the order of the combined key (level by level)
        rc = [hc.codes_at(starts) for hc in hcs]
        order = np.lexsort(rc[::-1])
        srt = [c[order] for c in rc]
        new = np.ones(len(order), bool)
        if len(order) > 1:
            new[1:] = np.logical_or.reduce([c[1:] != c[:-1] for c in srt])
        gid_sorted = np.cumsum(new) - 1
        G = int(gid_sorted[-1]) + 1
        run_group = np.empty(len(order), np.int64)
        run_group[order] = gid_sorted
        first = starts[order[new]]     # earliest run (hence unit) of each group: lexsort is stable
        fine = _nan_group_sums(run_group, G, runs) if G < len(starts) else runs[order[new]]
        fine_ok = ~np.isnan(fine)
        prepared = (np.where(fine_ok, fine, 0.0), fine_ok.astype(np.int32))
        for lv, kc in keys:
            hc = al.hierarchy[kc]
            gcode = hc.codes_at(first)                   # code of each fine group at this level
            uniq = hc.uniques
            order_u = np.argsort(uniq.astype(str), kind="stable") if len(uniq) else np.empty(0, np.int64)
            rank = np.empty(len(order_u), np.int64)
            rank[order_u] = np.arange(len(order_u))
            raw = np.where(gcode >= 0, rank[np.where(gcode >= 0, gcode, 0)], len(order_u))
            used = np.zeros(len(order_u) + 1, bool)
            used[raw] = True
            remap = np.cumsum(used) - 1
            gc = remap[raw]
            m = int(used.sum())
            sums = _group_sums(gc, m, fine, prepared)
            areas = np.append(uniq[order_u], None)[used]
            name_rows = None
            if lv in al.hierarchy and kc != lv:
                first_row = np.full(m, -1, np.int64)
                first_row[gc[::-1]] = first[::-1]     # earliest unit of each area
                name_rows = first_row

            def make(lv=lv, kc=kc, areas=areas, sums=sums, name_rows=name_rows,
                     name_codes=al.hierarchy.get(lv)):
                names = name_codes.values(name_rows) if name_rows is not None else None
                return _frame(lv, areas, names, colnames, sums, winner, runner, kc)

            out.add(lv, m, make)
        nat = _group_sums(np.zeros(G, np.int64), 1, fine, prepared)
    else:
        nat = _segment_sums(np.zeros(1 if n else 0, np.int64), colnames, specs) if n else \
            np.full((1, len(colnames)), np.nan)
        if not n:
            nat[0, [j for j, c in enumerate(colnames) if c in UNIT_COUNTS]] = 0
            for lv, kc in keys:     # no unit: each level is an empty table
                names = np.empty(0, object) if (lv in al.hierarchy and kc != lv) else None
                empty = _frame(lv, np.empty(0, object), names, colnames, np.empty((0, len(colnames))),
                               winner, runner, kc)
                out.add(lv, 0, lambda empty=empty: empty)
    out.add(NATION, 1, lambda: _frame(NATION, np.array([NATION], dtype=object), None, colnames, nat,
                                      winner, runner, None))
    return out
