"""Share of large candidate counts ending in 0 or 5, against a null resampled from the data's own unit sizes.

Citation: Beber & Scacco, Political Analysis 20(2), 2012 (people inventing
numbers over-use 0 and 5); Kalinin & Mebane on round numbers in Russian
returns.

Statistic: the share of one candidate's unit counts ≥ 100 whose last digit is
0 or 5, minus its expectation under the resampled null (each count redrawn
from Binomial(valid votes, observed share), same selection); one-sided
p-value (too many round endings). The textbook 20 % (binomial) is reported
beside it with its own calibration.

Like last-digit, declared not applicable when the resampled null departs
from uniform by χ² > 50 (truncation artefact). Detects: hand-written round
counts. Cannot see: smooth manipulation
(proportional stuffing, switching a share), nor rounding of percentages
(integer percentages are not counts ending in 0 or 5).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from . import digits
from .digits import last_digit_cells
from .base import TestResult, mc_p_value
from . import last_digit
from .last_digit import ARTEFACT_CHI2
from .units import Units

SLUG = "zero-five"


# applies where the last-digit test does: large counts of some candidate
validate = last_digit.validate


def run(units: Units, *, seed: int = 0, resamples: int = 1000, scoped: bool = True,
        min_count: int = digits.MIN_LAST) -> list[TestResult]:
    app = validate(units, min_count)
    if not app:
        return [TestResult(SLUG, "national", "*", None, None, False, [app.reason])]
    out = []
    for dc, s, scope, obs, N, sims in last_digit_cells(units, SLUG, out, seed=seed, resamples=resamples,
                                                        scoped=scoped, min_count=min_count):
        share_obs = (obs[0] + obs[5]) / N
        share_sim = (sims[:, 0] + sims[:, 5]) / np.maximum(sims.sum(axis=1), 1)
        e0 = dc.expL[s]
        exp = float((e0[0] + e0[5]) / max(e0.sum(), 1e-9))
        # noise-only null centred on the bias-corrected expectation, widened by that
        # expectation's own estimation error
        tot = max(float(e0.sum()), 1e-9)
        var_e = float(dc.var_expL[s][0] + dc.var_expL[s][5]) / tot ** 2
        v_sim = float(share_sim.var(ddof=1)) if len(share_sim) > 1 else 0.0
        widen = np.sqrt(1 + var_e / v_sim) if v_sim > 0 else 1.0
        share_sim = (share_sim - share_sim.mean()) * widen + exp
        k = int(obs[0] + obs[5])
        mean = sims.mean(axis=0)
        null_dev = float(digits.chi2(mean * (N / max(mean.sum(), 1)), np.full(10, N / 10)))
        p = mc_p_value(share_obs, share_sim)
        cav, extra, applicable = [], {}, True
        if null_dev > ARTEFACT_CHI2:
            applicable, extra["p_value_withheld"], p = False, p, None
            cav.append(f"does not apply as fraud evidence: the last digits of these counts are not uniform "
                       f"even without manipulation (resampled null vs uniform χ² = {null_dev:,.0f}, a "
                       "truncation artefact), so a small excess of 0s and 5s cannot be told from it")
        out.append(TestResult(
            SLUG, scope, dc.cand, share_obs - exp, p, applicable=applicable, caveats=cav, details={
                **extra, "null_departure_from_uniform_chi2": null_dev,
                "n_values": int(N), "min_count": min_count, "observed_share": share_obs,
                "expected_share": exp, "resamples": resamples, "textbook_share": 0.2,
                "textbook_p_value": float(stats.binom.sf(k - 1, int(N), 0.2)),
            }))
    return out
