"""Last-digit test of large candidate counts against a null resampled from the data's own unit sizes (Beber & Scacco).

Citation: B. Beber, A. Scacco, "What the numbers say: a digit-based test for
election fraud", Political Analysis 20(2):211–234, 2012; Mebane,
"Election forensics" (last digits).

Statistic: a χ²-type distance (each digit standardised by its resampled
variance) between the observed last-digit counts of one
candidate's unit counts ≥ 100 and their expectation under the resampled null
(each count redrawn from Binomial(valid votes, observed share), R times,
with the same ≥ 100 selection applied to the draws). The textbook uniform
null (χ² with 9 df) is reported beside it with its own calibration.

Resampling around the observed counts smooths their distribution once more
than chance did; the expectation is corrected to first order (Richardson:
2·E[resample] − E[resample of a resample]) and its estimation error is
added to the observed distance's variance.

Why both: the uniform null assumes the counts are spread smoothly over many
tens. When the distribution of counts is steep just above the cutoff (small
units, e.g. Indonesian TPS with ~250 voters), digit 0 is more common than 9
in a perfectly clean count — a truncation artefact. The resampled null
reproduces it; the textbook null does not, and its calibration on simulated
clean elections shows it rejecting far more often than 5 %, so its p-value
is never shown as evidence. When the resampled null itself departs from
uniform by χ² > 50, the artefact dominates and the test is declared not
applicable (its p-value is kept in the details, withheld from the family):
a small residual against a steep, curved count distribution cannot be told
from the smoothing of the resampling itself.

Detects: invented counts with human digit preferences. Cannot see: any
manipulation that keeps counts smooth (proportional stuffing, switching a
share of votes, rounding of percentages in units whose counts are large).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from . import digits
from .digits import last_digit_cells
from .base import Applicability, TestResult, mc_p_value
from .units import Units

SLUG = "last-digit"
#: above this χ² (9 df) of the resampled null against uniform, the artefact dominates
ARTEFACT_CHI2 = 50.0


def validate(units: Units, min_count: int = digits.MIN_LAST) -> Applicability:
    js = digits.candidates(units, min_count)
    if not js:
        return Applicability(False, f"needs a candidate with ≥ {digits.MIN_VALUES} unit counts ≥ {min_count}")
    return Applicability(True)


def run(units: Units, *, seed: int = 0, resamples: int = 1000, scoped: bool = True,
        min_count: int = digits.MIN_LAST) -> list[TestResult]:
    app = validate(units, min_count)
    if not app:
        return [TestResult(SLUG, "national", "*", None, None, False, [app.reason])]
    out = []
    for dc, s, scope, obs, N, sims in last_digit_cells(units, SLUG, out, seed=seed, resamples=resamples,
                                                        scoped=scoped, min_count=min_count):
        exp = dc.expL[s] * (N / max(dc.expL[s].sum(), 1e-9))
        stat, null = digits.distance(obs, exp, sims, dc.var_expL[s])
        tb = float(digits.chi2(obs, np.full(10, N / 10)))
        # does the resampled null itself depart from uniform? (truncation, small units)
        null_dev = float(digits.chi2(exp * (N / max(exp.sum(), 1)), np.full(10, N / 10)))
        cav = []
        p = mc_p_value(stat, null)
        applicable = True
        extra = {}
        if null_dev > ARTEFACT_CHI2:
            applicable = False
            extra["p_value_withheld"] = p
            cav.append(f"does not apply as fraud evidence: even without manipulation these counts are not "
                       f"uniform in their last digit (the resampled null departs from uniform by χ² = "
                       f"{null_dev:,.0f}: a steep count distribution above the ≥ {min_count} cutoff, a "
                       "truncation artefact); a residual this small cannot be told from modelling error")
            p = None
        out.append(TestResult(
            SLUG, scope, dc.cand, stat, p, applicable=applicable, caveats=cav, details={
                **extra, "null_departure_from_uniform_chi2": null_dev,
                "n_values": int(N), "min_count": min_count, "observed_freq": obs / N,
                "expected_freq": exp / max(exp.sum(), 1), "resamples": resamples,
                "textbook_statistic": tb, "textbook_p_value": float(stats.chi2.sf(tb, 9)),
            }))
    return out
