"""Coverage of a tally in units and in registered electors, borrowing electors if needed.

The registered electors of the units a tally covers are taken, unit by unit,
from the first of:

1. the tally's own ``registered`` figure;
2. the ``registered`` figure of another source for the same ``unit_id``
   (e.g. the opposition's V1 file for V2, which dropped the column);
3. a lower bound: the ballots counted in the unit (a unit had at least as many
   electors as voters). Using it can only *overstate* the electors left
   uncovered, so any bound built on it stays a worst case.

Each unit's basis is counted and reported.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ..model import Tally


@dataclass
class Coverage:
    source: str
    units_covered: int
    units_in_file: int
    expected_units: int | None
    unit_coverage: float | None
    registered_own_units: int
    registered_own: int
    registered_borrowed_units: int
    registered_borrowed: int
    registered_borrowed_from: str | None
    registered_lower_bound_units: int
    registered_lower_bound: int
    registered_unknown_units: int
    covered_registered: int
    covered_registered_is_lower_bound: bool
    registry_total: int | None
    registry_basis: str | None
    uncovered_electors: int | None
    elector_coverage: float | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _num(s: pd.Series) -> np.ndarray:
    """A count column as float64, NaN = no figure (straight from a numeric column's buffer)."""
    dt = s.dtype
    if not (pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt)):
        s = pd.to_numeric(s, errors="coerce")
    return s.to_numpy(dtype="float64", na_value=np.nan)


class Memo:
    """Per-reconciliation cache of per-row arrays computed from a tally (registered, ballots), so that
    coverage, the registry fallback and the estimate do not each read them again."""

    def __init__(self):
        self._d: dict = {}

    def get(self, key, fn):
        if key not in self._d:
            self._d[key] = fn()
        return self._d[key]


def unit_ballots(df: pd.DataFrame, candidate_ids: list[str], memo: Memo | None = None) -> np.ndarray:
    """Ballots per unit: ``ballots``, else valid + invalid (+ blank), else the candidate sum."""
    if memo is not None:
        return memo.get(("ballots", id(df), tuple(candidate_ids)), lambda: unit_ballots(df, candidate_ids))

    def arr(c: str) -> np.ndarray:
        if c not in df.columns:
            return np.full(len(df), np.nan)
        return _num(df[c])

    b = arr("ballots")
    v = arr("valid")
    if np.isnan(v).all():
        cs = [arr(c) for c in candidate_ids if c in df.columns]
        v = np.nansum(np.vstack(cs), axis=0) if cs else v
        if cs:
            v[np.isnan(np.vstack(cs)).all(axis=0)] = np.nan
    extra = np.nan_to_num(arr("invalid")) + np.nan_to_num(arr("blank"))
    return np.where(np.isnan(b), v + extra, b)


def unit_registered(tally: Tally, registered_from: Tally | None, memo: Memo | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Per-row registered electors and their basis (0 none, 1 own, 2 borrowed).

    With ``memo``, computed once per (tally, registered_from) — callers must not modify the arrays."""
    if memo is not None:
        return memo.get(("registered", id(tally), id(registered_from)),
                        lambda: unit_registered(tally, registered_from))
    df = tally.data
    own = (_num(df["registered"]) if "registered" in df.columns else np.full(len(df), np.nan))
    own = np.where(own < 0, np.nan, own)
    basis = np.where(np.isnan(own), 0, 1)
    x = own.copy()
    if registered_from is not None and "registered" in registered_from.data.columns:
        src = registered_from.data[["unit_id", "registered"]].dropna()
        src = src[~src["unit_id"].duplicated()]
        m = pd.Series(pd.to_numeric(src["registered"], errors="coerce").to_numpy(dtype="float64"),
                      index=src["unit_id"].astype("string").to_numpy())
        borrowed = df["unit_id"].astype("string").map(m).to_numpy(dtype="float64", na_value=np.nan)
        take = np.isnan(x) & ~np.isnan(borrowed) & (borrowed >= 0)
        x[take] = borrowed[take]
        basis[take] = 2
    return x, basis


def registry_total(official: Tally, independent: Tally) -> tuple[int | None, str | None]:
    for t in (independent, official):
        if t.meta.registry_total:
            return int(t.meta.registry_total), f"registry total in the metadata of {t.meta.source}"
    return None, None


def coverage(tally: Tally, has_figures: np.ndarray, registered_from: Tally | None,
             registry: tuple[int | None, str | None], candidate_ids: list[str], memo: Memo | None = None
             ) -> tuple[Coverage, np.ndarray]:
    """Coverage of ``tally`` (its units with figures) and the per-row registered used (NaN if none)."""
    x, basis = unit_registered(tally, registered_from, memo)
    cov = has_figures
    ballots = unit_ballots(tally.data, candidate_ids, memo)
    own = cov & (basis == 1)
    bor = cov & (basis == 2)
    low = cov & (basis == 0) & ~np.isnan(ballots)
    unk = cov & (basis == 0) & np.isnan(ballots)
    covered = float(np.nansum(x[own | bor]) + np.nansum(ballots[low]))
    reg_total, reg_basis = registry
    notes = []
    if bor.any():
        notes.append(f"registered electors of {int(bor.sum()):,} covered units taken from "
                     f"{registered_from.meta.source} (same unit_id)")
    if low.any():
        notes.append(f"{int(low.sum()):,} covered units have no registered figure in any source; "
                     "their ballots are used as a lower bound of their electors (worst case: "
                     "overstates the uncovered electors)")
    if unk.any():
        notes.append(f"{int(unk.sum()):,} covered units have neither registered electors nor ballots; "
                     "counted as 0 electors (worst case)")
    expected = tally.meta.expected_units
    n_cov = int(cov.sum())
    uncovered = None if reg_total is None else int(round(reg_total - covered))
    x_used = np.where(own | bor, x, np.nan)
    return Coverage(
        source=tally.meta.source,
        units_covered=n_cov,
        units_in_file=len(tally.data),
        expected_units=expected,
        unit_coverage=(n_cov / expected) if expected else None,
        registered_own_units=int(own.sum()),
        registered_own=int(round(np.nansum(x[own]))),
        registered_borrowed_units=int(bor.sum()),
        registered_borrowed=int(round(np.nansum(x[bor]))),
        registered_borrowed_from=registered_from.meta.source if (registered_from is not None and bor.any()) else None,
        registered_lower_bound_units=int(low.sum()),
        registered_lower_bound=int(round(np.nansum(ballots[low]))),
        registered_unknown_units=int(unk.sum()),
        covered_registered=int(round(covered)),
        covered_registered_is_lower_bound=bool(low.any() or unk.any()),
        registry_total=reg_total,
        registry_basis=reg_basis,
        uncovered_electors=uncovered,
        elector_coverage=(covered / reg_total) if reg_total else None,
        notes=notes,
    ), x_used
