"""Hard checks: counts that cannot be right or that deserve a look whatever the statistics say.

No citation needed; these are arithmetic. Each check is one result whose
statistic is the number of units concerned (no p-value):

- ``VOTES_GT_REGISTERED``: ballots (or ballots issued) above registered voters;
- ``TURNOUT_100``: turnout exactly 100 % (registered > 0);
- ``ONE_CANDIDATE_100``: one candidate holds every valid vote (≥ 50 valid votes);
- ``SUM_CANDIDATES``: candidate votes do not add up to the valid votes;
- ``SUM_BALLOTS``: valid + invalid do not add up to the ballots;
- ``NEGATIVE``: a negative count.

Cannot see: anything that adds up. Caveat: some rules have legal exceptions
(supplementary voter lists push turnout above 100 %; customary *noken* voting
in Papua gives 100 % to one candidate), so a check is a lead, not a verdict.
"""

from __future__ import annotations

import numpy as np

from .base import Applicability, TestResult
from .units import Units

SLUG = "hard-checks"
MIN_VALID_ONE_CANDIDATE = 50

DESCRIPTIONS = {
    "VOTES_GT_REGISTERED": "more ballots than registered voters",
    "TURNOUT_100": "turnout exactly 100 %",
    "ONE_CANDIDATE_100": "one candidate has every valid vote",
    "SUM_CANDIDATES": "candidate votes do not add up to valid votes",
    "SUM_BALLOTS": "valid + invalid do not add up to ballots",
    "NEGATIVE": "negative count",
}
#: weight of each reason in the station ranking
WEIGHTS = {"VOTES_GT_REGISTERED": 3.0, "SUM_CANDIDATES": 3.0, "SUM_BALLOTS": 2.0, "NEGATIVE": 4.0,
           "TURNOUT_100": 2.0, "ONE_CANDIDATE_100": 2.0}


def validate(units: Units) -> Applicability:
    return Applicability(True)


def masks(units: Units, raw_valid: np.ndarray | None = None) -> dict[str, np.ndarray]:
    u = units
    use = u.usable
    with np.errstate(invalid="ignore"):
        out = {
            "VOTES_GT_REGISTERED": use & (u.turnout_num > u.registered),
            "TURNOUT_100": use & (u.registered > 0) & (u.turnout_num == u.registered),
            "ONE_CANDIDATE_100": use & (u.valid >= MIN_VALID_ONE_CANDIDATE)
                                 & (np.max(np.nan_to_num(u.cand, nan=-1.0), axis=1) == u.valid),
            "SUM_CANDIDATES": use & ~np.isnan(u.valid) & (np.nansum(u.cand, axis=1) != u.valid),
            "SUM_BALLOTS": use & ~np.isnan(u.ballots) & ~np.isnan(u.invalid)
                           & (u.valid + u.invalid != u.ballots),
            "NEGATIVE": use & ((u.cand < 0).any(axis=1) | (u.valid < 0) | (u.invalid < 0)
                               | (u.registered < 0) | (u.ballots < 0)),
        }
    return {k: np.asarray(v, dtype=bool) for k, v in out.items()}


def run(units: Units, *, scoped: bool = True, **_: object) -> list[TestResult]:
    ms = masks(units)
    n_use = int(units.usable.sum())
    out = []
    for scope, smask in (units.scopes() if scoped else [("national", None)]):
        for code, m in ms.items():
            mm = m if smask is None else (m & smask)
            k = int(mm.sum())
            cav = []
            if code == "VOTES_GT_REGISTERED" and k > 0.01 * n_use:
                cav.append(f"{k:,} units ({100 * k / max(n_use, 1):.1f} %): so many usually means voters on "
                           "supplementary lists are counted in ballots but not in registered — check the rules")
            if code == "ONE_CANDIDATE_100" and k:
                cav.append("customary or proxy voting systems (e.g. noken in Papua) give 100 % legally; "
                           "compare regions before reading this as fraud")
            r = TestResult(SLUG, scope, code, float(k), None, True, cav,
                           details={"description": DESCRIPTIONS[code], "units": k})
            if smask is None:
                r.unit_flags = {code: np.flatnonzero(m)}
            out.append(r)
    return out
