"""Second-digit test of candidate counts against a null resampled from the data's own unit sizes (Mebane).

Citation: W. R. Mebane Jr., "Election forensics: vote counts and Benford's
law" (2006) and "Election forensics" (2008); the second-digit Benford (2BL)
frequencies are shown only as a textbook reference.

Statistic: a χ²-type distance (each digit standardised by its resampled
variance) between the observed second-digit counts of one
candidate's unit counts (values ≥ 10) and their expectation under the
resampled null. Null: each unit's count redrawn from Binomial(valid votes,
observed share), R times — or, where that is cheaper (full-size data), the
same null computed exactly per distinct (valid, count) pair with the R
tallies drawn from their exact mean and covariance (``exact.py``); the p-value
is the share of resampled χ² at least as large as the observed one. The textbook 2BL p-value (χ² with 9 df) is
reported beside it with its own calibration, because 2BL is not a law of
polling-station counts: with small or homogeneous units it rejects clean
elections.

Resampling around the observed counts smooths their distribution once more
than chance did; the expectation is corrected to first order (Richardson:
2·E[resample] − E[resample of a resample]) and its estimation error is
added to the observed distance's variance.

Assumptions: counts are smooth at the scale of ten votes around each unit's
rate. Detects: invented numbers with human digit preferences. Cannot see:
manipulation that shifts counts smoothly (proportional stuffing, switching a
share of votes), nor anything in candidates with fewer than 300 counts ≥ 10.
"""

from __future__ import annotations

from scipy import stats

from . import digits
from .base import Applicability, TestResult, mc_p_value
from .units import Units

SLUG = "second-digit"


def validate(units: Units) -> Applicability:
    js = digits.candidates(units, digits.MIN_SECOND)
    if not js:
        return Applicability(False, f"needs a candidate with ≥ {digits.MIN_VALUES} unit counts ≥ 10")
    return Applicability(True)


def run(units: Units, *, seed: int = 0, resamples: int = 1000, scoped: bool = True) -> list[TestResult]:
    app = validate(units)
    if not app:
        return [TestResult(SLUG, "national", "*", None, None, False, [app.reason])]
    out = []
    scopes = units.scopes() if scoped else [("national", None)]
    js = digits.candidates(units, digits.MIN_SECOND)
    digits.prefetch(units, js, seed=seed, resamples=resamples, scoped=scoped)
    for j in js:
        dc = digits.counts(units, j, seed=seed, resamples=resamples, scoped=scoped)
        for s, (scope, _) in enumerate(scopes):
            obs = dc.obs2[s].astype(float)
            N = obs.sum()
            if N < digits.MIN_VALUES:
                out.append(TestResult(SLUG, scope, dc.cand, None, None, False,
                                      [f"needs ≥ {digits.MIN_VALUES} counts ≥ 10; {int(N)} here"]))
                continue
            sims = dc.sim2[:, s, :].astype(float)
            exp = dc.exp2[s] * (N / max(dc.exp2[s].sum(), 1e-9))
            stat, null = digits.distance(obs, exp, sims, dc.var_exp2[s])
            tb = float(digits.chi2(obs, N * digits.BENFORD2))
            out.append(TestResult(
                SLUG, scope, dc.cand, stat, mc_p_value(stat, null), details={
                    "n_values": int(N), "observed_freq": obs / N, "expected_freq": exp / max(exp.sum(), 1),
                    "resamples": resamples, "textbook_statistic": tb,
                    "textbook_p_value": float(stats.chi2.sf(tb, 9)),
                }))
    return out
