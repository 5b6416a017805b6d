"""Power: plant fraud in elections shaped like the user's data and report what each test detects.

Fraud is planted in clean elections simulated from the data's own unit sizes
and turnout (``calibration.simulate_clean``), not in the observed counts
themselves: observed data may already carry anomalies, and detection must
measure the planted fraud alone. In a chosen share of units (units with at
least 100 registered voters):

- ``rounding``: turnout and leader share are moved to the nearest whole
  percentage (officials writing target figures; Kobak et al. 2016);
- ``stuffing``: a fraction ``intensity`` of the non-voters' ballots is added,
  all for the leader (raises turnout and share together; Klimek et al. 2012);
- ``switching``: a fraction ``intensity`` of every other candidate's votes
  moves to the leader (turnout unchanged);
- ``proportional-stuffing``: a fraction ``intensity`` of the non-voters'
  ballots is added and split like the real votes (shares unchanged).

A test detects when its smallest p-value, Bonferroni-corrected over its
subjects (candidates), is ≤ α. Detection rate = share of planted elections
detected. Scenarios that no test detects at least half the time are listed
as blind spots, beside the general list of what no test can see.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

import numpy as np

from . import calibration
from .units import Units, from_tally

POWER_TESTS = ("integer-percent", "second-digit", "last-digit", "zero-five", "fingerprint")
SCENARIOS: tuple[tuple[str, float], ...] = (
    ("rounding", 1.0), ("stuffing", 0.3), ("switching", 0.2), ("proportional-stuffing", 0.3))
ALPHA = 0.05


def _rescale(counts: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Integer counts (rows) proportional to ``counts`` summing to ``total``."""
    s = counts.sum(axis=1, keepdims=True)
    w = np.where(s > 0, counts / np.maximum(s, 1), 1.0 / counts.shape[1])
    raw = w * total[:, None]
    out = np.floor(raw)
    rem = (total - out.sum(axis=1)).astype(np.int64)
    # hand the remainder to the largest fractional parts, one vote each
    frac_order = np.argsort(-(raw - out), axis=1)
    for k in range(counts.shape[1]):
        give = rem > k
        out[give, frac_order[give, k]] += 1
    return out


def plant(units: Units, kind: str, share: float, intensity: float, rng: np.random.Generator) -> tuple[Units, np.ndarray]:
    """A copy of ``units`` with fraud planted in ``share`` of eligible units; returns (units, chosen index)."""
    elig = np.flatnonzero(units.usable & (np.nan_to_num(units.registered) >= 100) & (units.valid > 0))
    k = int(round(share * units.n))
    chosen = np.sort(rng.choice(elig, size=min(k, len(elig)), replace=False))
    reg = units.registered[chosen]
    ballots = units.ballots[chosen].copy()
    invalid = units.invalid[chosen].copy()
    cand = units.cand[chosen].copy()
    L = units.leader
    if kind == "rounding":
        # turnout to the nearest whole percentage (ballots rescaled), then the leader's share
        target_t = np.rint(ballots / reg * 100) / 100
        new_b = np.rint(target_t * reg)
        scale = np.where(ballots > 0, new_b / np.maximum(ballots, 1), 1.0)
        invalid = np.minimum(np.rint(invalid * scale), new_b)
        valid = new_b - invalid
        cand = _rescale(cand, valid)
        den = new_b if units.share_basis == "ballots" else valid
        target_s = np.rint(cand[:, L] / np.maximum(den, 1) * 100) / 100
        lead = np.minimum(np.rint(target_s * den), valid)
        others = np.delete(cand, L, axis=1)
        others = _rescale(others, valid - lead)
        cand = np.insert(others, L, lead, axis=1)
        ballots = new_b
    elif kind in ("stuffing", "proportional-stuffing"):
        extra = np.rint(intensity * np.maximum(reg - ballots, 0))
        valid = ballots - invalid + extra
        if kind == "stuffing":
            cand[:, L] += extra
        else:
            cand = _rescale(cand, valid)
        ballots = ballots + extra
    elif kind == "switching":
        moved = np.floor(intensity * cand)
        moved[:, L] = 0
        cand = cand - moved
        cand[:, L] += moved.sum(axis=1)
        valid = ballots - invalid
    else:
        raise ValueError(f"unknown fraud {kind!r}; one of rounding, stuffing, switching, proportional-stuffing")
    out = replace(units, registered=units.registered.copy(), ballots=units.ballots.copy(),
                  turnout_num=units.turnout_num.copy(), valid=units.valid.copy(),
                  invalid=units.invalid.copy(), cand=units.cand.copy(), share_den=units.share_den.copy(),
                  notes={"simulated": f"planted {kind}"})
    out.ballots[chosen] = ballots
    out.turnout_num[chosen] = ballots
    out.invalid[chosen] = invalid
    out.valid[chosen] = ballots - invalid
    out.cand[chosen] = cand
    out.share_den[chosen] = ballots if units.share_basis == "ballots" else ballots - invalid
    return out, chosen


def detected(results: Sequence[Any], alpha: float = ALPHA) -> bool:
    ps = [r.p_value for r in results if r.applicable and r.p_value is not None]
    return bool(ps) and min(ps) * len(ps) <= alpha


def run(data: Any, *, share: float = 0.02, reps: int = 20, seed: int = 0,
        tests: Sequence[str] | None = None, scenarios: Sequence[tuple[str, float]] = SCENARIOS,
        resamples: int = 99, max_units: int | None = 20_000) -> dict[str, Any]:
    """Detection rate of each test for each planted scenario (a Tally or Units as template)."""
    from . import TESTS

    units = data if isinstance(data, Units) else from_tally(data)
    slugs = [s for s in (tests or POWER_TESTS) if s in POWER_TESTS]
    model = calibration.fit_clean(units)
    N = units.n
    ss = np.random.SeedSequence([seed, 11])
    out_sc = []
    for (kind, intensity), sc_ss in zip(scenarios, ss.spawn(len(scenarios))):
        hits = {s: 0 for s in slugs}
        planted_units = 0
        for child in sc_ss.spawn(reps):
            rng = np.random.default_rng(child)
            index = (np.sort(rng.choice(N, size=max_units, replace=False))
                     if max_units is not None and N > max_units else None)
            clean = calibration.simulate_clean(model, rng, index)
            fraud, chosen = plant(clean, kind, share, intensity, rng)
            planted_units = len(chosen)
            sub = int(rng.integers(2**31))
            for s in slugs:
                hits[s] += int(detected(TESTS[s].run(fraud, seed=sub, resamples=resamples, scoped=False)))
        out_sc.append({"fraud": kind, "intensity": intensity, "share_of_units": share,
                       "units_manipulated": planted_units,
                       "detection": {s: hits[s] / reps for s in slugs}})
    blind = [f"{sc['fraud']} (intensity {sc['intensity']}) in {share:.0%} of units"
             for sc in out_sc if max(sc["detection"].values(), default=0) < 0.5]
    return {"alpha": ALPHA, "reps": reps, "resamples": resamples,
            "units_per_election": min(N, max_units) if max_units else N,
            "base": "clean elections simulated from this data's unit sizes and turnout",
            "scenarios": out_sc, "blind_spots": blind}
