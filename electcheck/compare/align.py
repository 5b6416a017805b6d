"""Unit alignment on ``unit_id``, and why a unit is on one side only.

Both frames are placed on the union of their keys, in order of first appearance
(one factorisation; no loop per unit). When both list the same ids in the same
order — one file holding two tallies, as Indonesia's — the alignment is the
identity: one hash pass checks that the ids are unique and nothing is moved.
Values are held column by column (float64, NaN = no figure). A unit "has figures" on a side when at least one compared
candidate count is present there: a row that is in the file with empty counts
is *present without figures*, which is not the same as *absent from the file*.

A unit with figures on one side only gets one reason:

``no_figures``      the other file lists the unit but gives no numbers for it;
``key_mismatch``    the other side has an unmatched unit whose key differs only
                    in writing (leading zeros, case, separators, spaces) — the
                    same unit under a differently written key;
``parent_present``  the enclosing unit (e.g. the voting centre) is on the other
                    side but this unit (e.g. the table) is not;
``parent_missing``  the whole enclosing unit is absent from the other side;
``absent``          absent from the other side, no enclosing unit to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

REASONS = ("no_figures", "key_mismatch", "parent_present", "parent_missing", "absent")
REASON_TEXT = {
    "no_figures": "listed in the other file but without figures",
    "key_mismatch": "the other side has the same key written differently",
    "parent_present": "the enclosing {parent} is on the other side, this unit is not",
    "parent_missing": "the whole enclosing {parent} is missing from the other side",
    "absent": "absent from the other side",
}


class Codes:
    """One hierarchy column over the aligned units: the official's value where it has one, else the
    independent's. ``codes``/``uniques`` (factorised on first use; -1 = missing) and ``on_official`` /
    ``on_independent`` (which values occur on each side, for "is the enclosing unit on the other
    side?"); ``values(rows)`` reads the text for a few rows without factorising."""

    def __init__(self, o: pd.Series | None, o_pos: np.ndarray, i: pd.Series | None, i_pos: np.ndarray,
                 n: int, identity: bool = False):
        self._o, self._i, self._o_pos, self._i_pos, self._n = o, i, o_pos, i_pos, n
        if identity:  # both sides' rows are the aligned units, in order (one file, two tallies)
            self._o_row = self._i_row = o_pos       # = arange(n), shared by every column
        else:
            self._o_row = np.full(n, -1, np.int64)
            self._o_row[o_pos] = np.arange(len(o_pos))
            self._i_row = np.full(n, -1, np.int64)
            self._i_row[i_pos] = np.arange(len(i_pos))
        # same rows and the same values on both sides: the independent column adds nothing
        self._same = bool(identity and o is not None and i is not None and _same_values(o, i))
        self._identity = identity
        self._done = False
        self._runs: tuple[np.ndarray, np.ndarray] | None = None

    def _factorise(self) -> None:
        """Factorise the official column, then only the rows it lacks from the independent one."""
        if self._done:
            return
        n = self._n
        if self._identity and self._o is not None and (self._i is None or self._same):
            # the aligned column is the official column: keep its runs, expand the codes on demand
            starts, rc, uniques = _factorize_runs(self._o)
            self._runs = (starts, rc) if starts is not None else None
            self._codes = None if starts is not None else rc
            self._uniques = uniques
            self._on_o = np.zeros(len(uniques), bool)
            self._on_o[rc[rc >= 0]] = True
            self._on_i = None
            self._done = True
            return
        codes = np.full(n, -1, np.int64)
        uniques = np.empty(0, dtype=object)
        co = np.empty(0, np.int64)
        if self._o is not None:
            co, uniques = _factorize(self._o)
            codes[self._o_pos] = co
        if self._i is not None and not self._same:
            need = (codes < 0) & (self._i_row >= 0)
            if need.any():
                cs, us = _factorize(self._i.iloc[self._i_row[need]])
                idx = pd.Index(uniques).get_indexer(us) if len(uniques) else np.full(len(us), -1, np.int64)
                new = idx < 0
                if new.any():
                    idx[new] = len(uniques) + np.arange(int(new.sum()))
                    uniques = np.concatenate([uniques, us[new]])
                if len(us):   # (else every needed value is missing: the codes stay -1)
                    codes[need] = np.where(cs >= 0, idx[np.where(cs >= 0, cs, 0)], -1)
        self._codes, self._uniques = codes, uniques
        self._on_o = np.zeros(len(uniques), bool)
        self._on_o[co[co >= 0]] = True
        self._on_i = None
        self._done = True

    @property
    def codes(self) -> np.ndarray:
        self._factorise()
        if self._codes is None:
            starts, rc = self._runs
            self._codes = np.repeat(rc, np.diff(np.r_[starts, self._n]))
        return self._codes

    def runs(self) -> tuple[np.ndarray, np.ndarray] | None:
        """``(starts, codes)`` of the runs of equal codes, when the column was factorised by runs."""
        self._factorise()
        return self._runs

    def codes_at(self, rows: np.ndarray) -> np.ndarray:
        """Codes of a few rows (from the runs when available, without expanding them)."""
        self._factorise()
        if self._codes is None:
            starts, rc = self._runs
            return rc[np.searchsorted(starts, rows, side="right") - 1]
        return self._codes[rows]

    @property
    def uniques(self) -> np.ndarray:
        self._factorise()
        return self._uniques

    @property
    def on_official(self) -> np.ndarray:
        self._factorise()
        return self._on_o

    @property
    def on_independent(self) -> np.ndarray:
        self._factorise()
        if self._on_i is None and self._same:
            self._on_i = self._on_o
        if self._on_i is None:
            on = np.zeros(len(self._uniques), bool)
            if self._i is not None and len(self._uniques):
                vals = _factorize(self._i)[1]
                hit = pd.Index(self._uniques).get_indexer(np.asarray(vals, dtype=object))
                on[hit[hit >= 0]] = True
            self._on_i = on
        return self._on_i

    def values(self, rows: np.ndarray | None = None) -> np.ndarray:
        rows = np.arange(self._n) if rows is None else np.asarray(rows)
        if rows.dtype == bool:
            rows = np.flatnonzero(rows)
        out = np.full(len(rows), None, dtype=object)
        sides = ((self._o, self._o_row),) if self._same else ((self._i, self._i_row), (self._o, self._o_row))
        for s, row_map in sides:  # official last: it wins
            if s is None:
                continue
            r = row_map[rows]
            ok = r >= 0
            if ok.any():
                v = s.iloc[r[ok]].to_numpy(dtype=object, na_value=None)
                cur = out[ok]
                out[ok] = np.where(pd.isna(v), cur, v)
        return out


def _same_values(a: pd.Series, b: pd.Series) -> bool:
    """Equal values (nulls in the same places) — cheap for Arrow-backed columns."""
    if a is b:
        return True
    if len(a) != len(b):
        return False
    pa_a, pa_b = getattr(a.array, "_pa_array", None), getattr(b.array, "_pa_array", None)
    if pa_a is not None and pa_b is not None:
        return bool(pa_a.equals(pa_b))
    return bool(a.equals(b))


def run_starts(s: pd.Series) -> np.ndarray | None:
    """Start of each run of equal adjacent values (nulls equal to nulls), or None when the column is
    not Arrow-backed. Area codes in a tally usually come in long runs (the file is ordered by area)."""
    arr = getattr(s.array, "_pa_array", None)
    n = len(s)
    if arr is None:
        return None
    if n < 2:
        return np.zeros(min(n, 1), np.int64)
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    a, b = arr.slice(1), arr.slice(0, n - 1)
    ne = pc.not_equal(a, b)
    if arr.null_count:
        ne = pc.coalesce(ne, pc.xor(pc.is_null(a), pc.is_null(b)))
    change = np.asarray(ne.to_numpy(zero_copy_only=False), dtype=bool)
    return np.flatnonzero(np.r_[True, change])


def _factorize_runs(s: pd.Series) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """``(starts, codes, uniques)``: ``pd.factorize`` of the first value of each run, when the column
    comes in runs (``starts`` None and codes per row otherwise)."""
    s = s.astype("string")
    starts = run_starts(s) if len(s) > 1024 else None
    if starts is not None and 2 * len(starts) < len(s):
        rc, uniq = pd.factorize(s.iloc[starts], use_na_sentinel=True)
        return starts, np.asarray(rc, np.int64), np.asarray(uniq, dtype=object)
    codes, uniq = pd.factorize(s, use_na_sentinel=True)
    return None, np.asarray(codes, np.int64), np.asarray(uniq, dtype=object)


def _factorize(s: pd.Series | None) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` (codes in order of first appearance, -1 = missing), computed on the first
    value of each run when the column comes in runs (the same result, a fraction of the hashing)."""
    if s is None:
        return np.empty(0, np.int64), np.empty(0, object)
    starts, codes, uniq = _factorize_runs(s)
    if starts is not None:
        codes = np.repeat(codes, np.diff(np.r_[starts, len(s)]))
    return codes, uniq


@dataclass
class Aligned:
    """Both sides on one index (sorted union of unit ids)."""

    unit_id: pd.Index
    official: np.ndarray          # float, (n_units, n_cols), NaN = no figure
    independent: np.ndarray
    columns: list[str]            # candidate ids then count fields
    n_candidates: int
    in_official: np.ndarray       # bool: row present in the official file
    in_independent: np.ndarray
    fig_official: np.ndarray      # bool: row has candidate figures
    fig_independent: np.ndarray
    #: hierarchy column -> Codes over the aligned units (official's value first, else independent's)
    hierarchy: dict[str, "Codes"]
    levels: list[str]
    o_pos: np.ndarray | None = None   # aligned position of each official frame row
    i_pos: np.ndarray | None = None
    #: both frames list the same units in the same order: o_pos = i_pos = arange(n)
    identity: bool = False

    @property
    def matched(self) -> np.ndarray:
        return self.fig_official & self.fig_independent

    @property
    def only_official(self) -> np.ndarray:
        return self.fig_official & ~self.fig_independent

    @property
    def only_independent(self) -> np.ndarray:
        return self.fig_independent & ~self.fig_official


def as_float(s: pd.Series) -> np.ndarray:
    """A count column as float64 with NaN for "no figure" (no copy through object dtype)."""
    dt = s.dtype
    if not (pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt)):
        s = pd.to_numeric(s, errors="coerce")
    return s.to_numpy(dtype="float64", na_value=np.nan)


def _as_float(df: pd.DataFrame, cols: list[str], out: np.ndarray | None = None, rows=None) -> np.ndarray:
    if out is None:
        out = np.full((len(df), len(cols)), np.nan)
    for j, c in enumerate(cols):
        if c in df.columns:
            if rows is None:
                out[:, j] = as_float(df[c])
            else:
                out[rows, j] = as_float(df[c])
    return out


def align(o: pd.DataFrame, i: pd.DataFrame, candidates: list[str], counts: list[str],
          levels: list[str]) -> Aligned:
    """Align two level frames (``unit_id`` + hierarchy + counts) on unit_id."""
    o = o.reset_index(drop=True)
    i = i.reset_index(drop=True)
    o_ids, i_ids = o["unit_id"].astype("string"), i["unit_id"].astype("string")
    identity = False
    if len(o_ids) == len(i_ids) and _same_values(o_ids, i_ids) and _unique_ids(o_ids):
        # same units in the same order (one file, two tallies): the alignment is the identity
        identity = True
        n0 = len(o_ids)
        uniq = None
        rows = np.arange(n0, dtype=np.int64)
    elif len(o_ids) == len(i_ids) and o_ids.equals(i_ids):
        c1, uniq = pd.factorize(o_ids)
        codes = np.concatenate([np.asarray(c1, np.int64), np.asarray(c1, np.int64)])
    else:
        codes, uniq = pd.factorize(pd.concat([o_ids, i_ids], ignore_index=True))
        codes = np.asarray(codes, np.int64)
    if not identity and (codes < 0).any():
        from ..errors import InputError

        raise InputError("a tally has units without unit_id", hint="Every unit needs a key")
    if identity:
        # the ids stay in their Arrow column (no Python string per unit)
        o_pos = i_pos = rows
        idx = pd.Index(o_ids.array, name="unit_id")
    else:
        o_pos, i_pos = codes[:len(o)], codes[len(o):]
        idx = pd.Index(np.asarray(uniq, dtype=object), dtype=object, name="unit_id")
    for name, pos in (() if identity else (("official", o_pos), ("independent", i_pos))):
        counts_ = np.bincount(pos, minlength=len(idx))
        if (counts_ > 1).any():
            from ..errors import InputError

            dup = idx[int(np.argmax(counts_ > 1))]
            raise InputError(f"the {name} tally has duplicate unit_id {dup!r} at this level",
                             hint="Each unit must appear once; check the ingest findings for duplicate keys")
    cols = list(candidates) + list(counts)
    n = len(idx)
    # column-major: every step reads whole columns (one candidate, one count field)
    if identity:  # every row is written: fill only the columns a side lacks
        O = np.empty((n, len(cols)), order="F")
        I = np.empty((n, len(cols)), order="F")
        for M, df in ((O, o), (I, i)):
            for j, c in enumerate(cols):
                if c not in df.columns:
                    M[:, j] = np.nan
    else:
        O = np.full((n, len(cols)), np.nan, order="F")
        I = np.full((n, len(cols)), np.nan, order="F")
    _as_float(o, cols, O, None if identity else o_pos)
    _as_float(i, cols, I, None if identity else i_pos)
    if identity:
        in_o = np.ones(n, bool)
        in_i = np.ones(n, bool)
    else:
        in_o = np.zeros(n, bool)
        in_o[o_pos] = True
        in_i = np.zeros(n, bool)
        in_i[i_pos] = True
    k = len(candidates)
    fig_o = ~np.isnan(O[:, :k]).all(axis=1) if k else in_o.copy()
    fig_i = ~np.isnan(I[:, :k]).all(axis=1) if k else in_i.copy()
    hier_cols = []
    for lv in levels:
        for c in (lv, f"{lv}_code"):
            if (c in o.columns or c in i.columns) and c not in hier_cols:
                hier_cols.append(c)
    hier = {}
    for c in hier_cols:
        hier[c] = Codes(o[c] if c in o.columns else None, o_pos,
                        i[c] if c in i.columns else None, i_pos, n, identity)
    return Aligned(idx, O, I, cols, k, in_o, in_i, fig_o, fig_i, hier, levels, o_pos, i_pos, identity)


def _unique_ids(ids: pd.Series) -> bool:
    """No duplicate and no missing id (one hash pass; Arrow's when the column is Arrow-backed)."""
    if ids.isna().any():
        return False
    arr = getattr(ids.array, "_pa_array", None)
    if arr is not None:
        import pyarrow.compute as pc

        return len(pc.unique(arr)) == len(ids)
    return bool(pd.Index(ids).is_unique)


_LOOSE = re.compile(r"[\s\-_.:/]+")
_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")


def loose_key(s: pd.Series) -> pd.Series:
    """A key with writing differences removed: case, separators, leading zeros of numbers."""
    s = s.astype("string").str.strip().str.upper()
    s = s.str.replace(_ZEROS, "", regex=True)
    return s.str.replace(_LOOSE, "|", regex=True)


def parent_key(levels: list[str], hierarchy: dict) -> str | None:
    """Column of the lowest enclosing level present in ``hierarchy`` (code preferred)."""
    for lv in reversed(levels):
        for c in (f"{lv}_code", lv):
            if c in hierarchy:
                return c
    return None


def explain_one_side(al: Aligned, level: str | None = None) -> pd.DataFrame:
    """One row per unit with figures on one side only: unit_id, side, reason, parent, counterpart.

    ``level``: the level compared (its own column is not an enclosing unit)."""
    rows = []
    pcol = parent_key([lv for lv in al.levels if lv != level], al.hierarchy)
    pc = al.hierarchy.get(pcol) if pcol else None
    for side, mine_fig, other_in, other_fig in (
            ("official", al.only_official, al.in_independent, al.fig_independent),
            ("independent", al.only_independent, al.in_official, al.fig_official)):
        mask = mine_fig
        if not mask.any():
            continue
        ids = al.unit_id[mask]
        reason = np.where(other_in[mask], "no_figures", "absent").astype(object)
        counterpart = np.full(mask.sum(), None, dtype=object)
        parent = pc.values(mask) if pc is not None else np.full(mask.sum(), None, dtype=object)
        # key written differently: compare loose keys with the other side's unmatched units
        other_unmatched = other_fig & ~(al.fig_official & al.fig_independent) & ~mine_fig
        if other_unmatched.any() and (reason == "absent").any():
            mine_loose = loose_key(pd.Series(ids, dtype="string")).to_numpy()
            oth_ids = al.unit_id[other_unmatched]
            oth = pd.Series(np.asarray(oth_ids, dtype=object),
                            index=loose_key(pd.Series(oth_ids, dtype="string")).to_numpy())
            oth = oth[~oth.index.duplicated()]
            hit = pd.Series(mine_loose).map(oth).to_numpy()
            km = (reason == "absent") & pd.notna(hit)
            reason[km] = "key_mismatch"
            counterpart[km] = hit[km]
        still = reason == "absent"
        if pc is not None and still.any():
            on_other = pc.on_independent if side == "official" else pc.on_official
            codes = pc.codes[mask]
            pres = np.where(codes >= 0, on_other[np.where(codes >= 0, codes, 0)], False) if len(on_other) \
                else np.zeros(len(codes), bool)
            reason[still & pres] = "parent_present"
            reason[still & ~pres & (codes >= 0)] = "parent_missing"
        rows.append(pd.DataFrame({"unit_id": np.asarray(ids, dtype=object), "side": side,
                                  "reason": reason, "parent": parent, "counterpart": counterpart,
                                  "_pos": np.flatnonzero(mask)}))
    if not rows:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in ("unit_id", "side", "reason", "parent",
                                                                  "counterpart")})
        out["_pos"] = pd.Series(dtype="int64")
    else:
        out = pd.concat(rows, ignore_index=True)
        out["_side"] = (out["side"] == "independent").astype(int)
        out = out.sort_values(["_side", "unit_id"], kind="mergesort").drop(columns="_side").reset_index(drop=True)
    out.attrs["parent_column"] = pcol
    return out
