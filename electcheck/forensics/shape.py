"""Shape of the turnout and leader-share distributions: excess of units in the upper tail of their region.

Citation: Klimek et al., PNAS 109(41), 2012 (clean turnout distributions are
unimodal and roughly Gaussian inside a region; stuffing adds a tail or a
second peak towards 100 %); Rozenas, "Detecting election fraud from
irregularities in vote-share distributions", Political Analysis 25(1), 2017.

Descriptive only (no p-value, outside the Benjamini–Hochberg family): on
real data the reference model is too thin-tailed to serve as a null — the
Venezuela 2024 opposition tally, which nobody suspects of stuffing for its
own candidate, has 892 units above the turnout threshold where the model
expects 19. The model-based p-value is kept in the details as
``model_p_value``.

Statistic: the number of units whose turnout (or leader share) lies more
than three robust standard deviations (1.4826 × MAD) above their region's
median, minus the number expected under the clean model of
``calibration.py``: within a region, each unit's rate follows a Beta law with
the region's median and robust SD, widened by that unit's own binomial
noise (its own size). One-sided p-value from the normal approximation to the
count (negative binomial matching its mean and variance), its variance widened (delta method) for the noise of
estimating each region's median and spread from the region's own units. The details give Sarle's bimodality coefficient.

Regions with fewer than 100 units are left out (their median and spread
are too noisy to model). Assumptions: inside a region a clean election is
unimodal. Cannot tell:
legitimate heterogeneity (a region mixing cities and villages, closed
institutions such as hospitals and barracks, customary voting) from
stuffing; does not see fraud that stays inside the bulk of the distribution
(switching a few percent everywhere).
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from .base import Applicability, TestResult
from .calibration import _robust
from .fingerprint import strata
from .units import Units

SLUG = "distribution-shape"
DESCRIPTIVE = ("descriptive, no p-value: the Beta reference is a model, not a null — real elections have "
               "heavier tails without fraud (Venezuela 2024 opposition tally: 892 units above the turnout "
               "threshold where the model expects 19); read with the histogram and the other tests")
MIN_UNITS = 300
K_SD = 3.0
#: regions with fewer units are not modelled (their median and spread are too noisy)
MIN_REGION = 100


def validate(units: Units) -> Applicability:
    ok = units.usable & (units.share_den > 0)
    if ok.sum() < MIN_UNITS:
        return Applicability(False, f"needs ≥ {MIN_UNITS} units with votes; {int(ok.sum())} here")
    return Applicability(True)


def _tail(x: np.ndarray, n: np.ndarray, ok: np.ndarray, g: np.ndarray):
    k = int(g.max()) + 1 if len(g) else 1
    exp_p = np.zeros(len(x))
    hit = np.zeros(len(x), dtype=bool)
    # variance of the tail count from estimating each region's threshold (delta method):
    # var(median) ≈ 1.571 σ²/n, var(1.4826·MAD) ≈ 1.361 σ²/n for a normal law
    extra_var = np.zeros(len(x))
    modelled = np.zeros(len(x), dtype=bool)
    for gi in range(k):
        m = ok & (g == gi)
        if m.sum() < MIN_REGION:
            continue
        med, sd = _robust(x[m])
        if not sd > 0:
            continue
        thr = med + K_SD * sd
        modelled[m] = True
        mu = np.clip(med, 1e-3, 1 - 1e-3)
        # the Beta law depends on the unit only through its size: evaluate once per distinct size
        nu, inv = np.unique(np.maximum(n[m], 1), return_inverse=True)
        var = sd ** 2 + mu * (1 - mu) / nu
        var = np.minimum(var, 0.95 * mu * (1 - mu))
        c = mu * (1 - mu) / var - 1
        a_u, b_u = mu * c, (1 - mu) * c
        exp_p[m] = special.betaincc(a_u, b_u, thr)[inv] if thr < 1 else 0.0
        hit[m] = x[m] > thr
        if thr < 1:
            mult = np.bincount(inv, minlength=len(nu))
            dens = float(np.sum(mult * np.exp((a_u - 1) * np.log(thr) + (b_u - 1) * np.log1p(-thr)
                                              - special.betaln(a_u, b_u))))
            var_thr = sd ** 2 * (1.571 + K_SD ** 2 * 1.361) / m.sum()
            idx = np.flatnonzero(m)
            extra_var[idx] = dens ** 2 * var_thr / len(idx)  # spread over the region's units
    return hit, exp_p, extra_var, modelled


def _tail_p(obs: float, mean: float, var: float) -> float:
    """P(count ≥ obs) for a count with this mean and variance: negative binomial when
    over-dispersed, Poisson otherwise (exact enough for small expected tails, where a
    normal approximation would give absurdly small p-values)."""
    if obs <= 0:
        return 1.0
    if mean <= 0:
        return 0.0 if obs > 0 else 1.0
    if var > mean * (1 + 1e-9):
        r = mean ** 2 / (var - mean)
        return float(stats.nbinom.sf(obs - 1, r, mean / var))
    return float(stats.poisson.sf(obs - 1, mean))


def _bimodality(x: np.ndarray) -> float:
    n = len(x)
    if n < 4:
        return float("nan")
    g = stats.skew(x)
    k = stats.kurtosis(x)
    return float((g ** 2 + 1) / (k + 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))))


def run(units: Units, *, scoped: bool = True, **_: object) -> list[TestResult]:
    app = validate(units)
    if not app:
        return [TestResult(SLUG, "national", "turnout", None, None, False, [app.reason])]
    g = strata(units)
    t = units.turnout()
    s = units.share()
    base = units.usable & (units.share_den > 0)
    with np.errstate(invalid="ignore"):
        ok_t = base & (units.registered > 0) & (t <= 1)
    out = []
    subjects = []
    if ok_t.sum() >= MIN_UNITS:
        subjects.append(("turnout", t, units.registered, ok_t))
    subjects.append((f"share|{units.leader_id}", s, units.share_den, base))
    for subj, x, n, ok in subjects:
        hit, ep, ev, modelled = _tail(x, n, ok, g)
        skipped = int((ok & ~modelled).sum())
        ok = ok & modelled
        for scope, smask in (units.scopes() if scoped else [("national", None)]):
            m = ok if smask is None else ok & smask
            if m.sum() < MIN_UNITS:
                out.append(TestResult(SLUG, scope, subj, None, None, False,
                                      [f"needs ≥ {MIN_UNITS} units; {int(m.sum())} here"]))
                continue
            obs = float(hit[m].sum())
            e = float(ep[m].sum())
            sd = float(np.sqrt((ep[m] * (1 - ep[m])).sum() + ev[m].sum()))
            p = _tail_p(obs, e, sd ** 2)
            r = TestResult(SLUG, scope, subj, obs - e, None, caveats=[DESCRIPTIVE] if smask is None else [],
                           details={
                "model_p_value": p,
                "n_units": int(m.sum()), "observed_tail": obs, "expected_tail": e, "tail_sd": sd,
                "tail_rule": f"above region median + {K_SD:g} robust SD",
                "bimodality_coefficient": _bimodality(x[m]),
                "units_in_regions_too_small": skipped if smask is None else None,
            })
            if smask is None:
                r.unit_flags = {"TAIL_TURNOUT" if subj == "turnout" else "TAIL_SHARE": np.flatnonzero(hit & m)}
            out.append(r)
    return out
