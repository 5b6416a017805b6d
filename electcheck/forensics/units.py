"""Per-unit numeric arrays that every forensic test reads, extracted once from a Tally.

Counts become float64 arrays with NaN for a missing value, so that tests can be
written with plain numpy and never loop over units. Nothing here judges the
data; it only records which denominators are used:

- turnout numerator: ``issued`` where the tally has it (ballots handed out,
  as in the Russian protocol and the Kobak et al. papers), else ``ballots``;
- turnout denominator: ``registered``;
- share denominator: the authority's basis in ``meta.share_basis``
  (``ballots`` = valid + invalid in Russia, ``valid`` elsewhere);
- leader: the candidate with the largest total (``meta.notes["leader"]`` wins
  when the ingest names it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from ..model import Tally


def _col(df: pd.DataFrame, name: str) -> np.ndarray:
    if name not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[name], errors="coerce").astype("float64").to_numpy(na_value=np.nan)


@dataclass
class Units:
    """Numeric view of a tally: one entry per unit, NaN where a count is missing."""

    source: str
    ids: np.ndarray
    registered: np.ndarray
    ballots: np.ndarray
    turnout_num: np.ndarray
    valid: np.ndarray
    invalid: np.ndarray
    cand: np.ndarray  # (n_units, n_candidates)
    cand_ids: list[str]
    leader: int
    share_den: np.ndarray
    share_basis: str = "valid"
    turnout_basis: str = "ballots"
    #: region code per unit (-1 = none) and the region names, for --by
    region: np.ndarray | None = None
    region_names: list[str] = field(default_factory=list)
    region_level: str | None = None
    #: units excluded from per-unit tests (electronic pseudo-stations, ...)
    excluded: np.ndarray | None = None
    #: extra per-unit labels kept for the station list (hierarchy names)
    labels: dict[str, np.ndarray] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def leader_id(self) -> str:
        return self.cand_ids[self.leader]

    @property
    def usable(self) -> np.ndarray:
        """Units with numbers, not excluded (NaN counts are unusable)."""
        ok = ~np.isnan(self.share_den)
        if self.excluded is not None:
            ok &= ~self.excluded
        return ok

    def turnout(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.turnout_num / self.registered

    def share(self, j: int | None = None) -> np.ndarray:
        j = self.leader if j is None else j
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.cand[:, j] / self.share_den

    def subset(self, mask: np.ndarray) -> "Units":
        """A Units holding only the units where ``mask`` is true."""
        def cut(a):
            return None if a is None else a[mask]
        return replace(
            self, ids=self.ids[mask], registered=self.registered[mask], ballots=self.ballots[mask],
            turnout_num=self.turnout_num[mask], valid=self.valid[mask], invalid=self.invalid[mask],
            cand=self.cand[mask], share_den=self.share_den[mask], region=cut(self.region),
            excluded=cut(self.excluded), labels={k: v[mask] for k, v in self.labels.items()})

    def scopes(self) -> list[tuple[str, np.ndarray | None]]:
        """("national", None) then one (region name, mask) per region when --by is set."""
        out: list[tuple[str, np.ndarray | None]] = [("national", None)]
        if self.region is not None and self.region_level:
            for k, name in enumerate(self.region_names):
                out.append((f"{self.region_level}={name}", self.region == k))
        return out


def from_tally(tally: Tally, by: str | None = None, turnout: str = "auto") -> Units:
    """Extract the arrays the tests need from ``tally`` (``by`` = hierarchy level for regions).

    ``turnout`` picks the turnout numerator: ``issued`` (ballots handed out),
    ``ballots`` (ballots found in the boxes) or ``auto`` (issued where the tally
    has a plausible issued column, else ballots).
    """
    df = tally.data
    meta = tally.meta
    cand_ids = [c for c in tally.candidate_ids if c in df.columns]
    if not cand_ids:
        from ..errors import InputError

        raise InputError("the tally has no candidate columns; forensic tests need per-candidate counts",
                         file=meta.source)
    cand = np.column_stack([_col(df, c) for c in cand_ids])
    registered = _col(df, "registered")
    ballots = _col(df, "ballots")
    valid = _col(df, "valid")
    invalid = _col(df, "invalid")
    # fill what can be derived, never overwrite what is there
    cand_sum = np.where(np.isnan(cand).all(axis=1), np.nan, np.nansum(cand, axis=1))
    valid = np.where(np.isnan(valid), cand_sum, valid)
    ballots = np.where(np.isnan(ballots) & ~np.isnan(invalid), valid + invalid, ballots)
    notes: dict[str, Any] = {"election": meta.election}
    issued = _col(df, "issued") if "issued" in df.columns else None
    if issued is not None and turnout == "auto" and not np.isnan(issued).all():
        tot_i, tot_b = np.nansum(issued), np.nansum(ballots)
        if tot_b > 0 and tot_i < 0.9 * tot_b:
            notes["turnout_caveat"] = (f"the tally's 'issued' column sums to {tot_i:,.0f}, under 90 % of the "
                                       f"ballots in the boxes ({tot_b:,.0f}): it looks incomplete, so turnout "
                                       "uses ballots in the boxes")
            issued = None
    if issued is not None and turnout in ("auto", "issued") and not np.isnan(issued).all():
        turnout_num = np.where(np.isnan(issued), ballots, issued)
        turnout_basis = "issued"
    else:
        turnout_num = np.where(np.isnan(ballots), valid, ballots)
        turnout_basis = "ballots" if not np.isnan(ballots).all() else "valid"
    basis = meta.share_basis
    share_den = ballots if basis == "ballots" else valid
    if basis == "ballots":
        share_den = np.where(np.isnan(share_den), valid, share_den)
    totals = np.nansum(cand, axis=0)
    leader_id = meta.notes.get("leader") if isinstance(meta.notes, dict) else None
    leader = cand_ids.index(leader_id) if leader_id in cand_ids else int(np.argmax(totals))
    excluded = None
    if "pseudo" in df.columns:
        excluded = df["pseudo"].fillna(False).astype(bool).to_numpy()
    # a unit with no candidate numbers at all is not usable
    no_numbers = np.isnan(cand).all(axis=1)
    share_den = np.where(no_numbers, np.nan, share_den)
    cand = np.where(np.isnan(cand) & ~no_numbers[:, None], 0.0, cand)
    region = None
    names: list[str] = []
    if by:
        key = tally.level_key(by)
        label_col = by if by in df.columns else key
        codes, uniques = pd.factorize(df[key], sort=True)
        region = codes.astype(np.int64)
        lab = df.groupby(key, sort=True)[label_col].first()
        names = [str(lab.get(u, u)) for u in uniques]
    labels = {}
    for lvl in meta.hierarchy:
        if lvl in df.columns:
            labels[lvl] = df[lvl].astype("string").fillna("").to_numpy(dtype=object)
    return Units(
        source=meta.source, ids=df["unit_id"].astype(str).to_numpy(dtype=object), registered=registered,
        ballots=ballots, turnout_num=turnout_num, valid=valid, invalid=invalid, cand=cand,
        cand_ids=cand_ids, leader=leader, share_den=share_den, share_basis=basis,
        turnout_basis=turnout_basis, region=region, region_names=names, region_level=by,
        excluded=excluded, labels=labels, notes=notes)


def with_regions(units: Units, region: np.ndarray, names: list[str], level: str) -> Units:
    return replace(units, region=region, region_names=names, region_level=level)
