"""Turnout–share fingerprint: 2-D histogram and within-region turnout–share correlation (Klimek et al. 2012).

Citation: P. Klimek, Y. Yegorov, R. Hanel, S. Thurner, "Statistical detection
of systematic election irregularities", PNAS 109(41):16469–16473, 2012.

Statistic: the Pearson correlation between unit turnout and the leader's
share after removing each region's means (regions = the top hierarchy level),
so that differences between regions do not count. Ballot stuffing for the
leader raises both turnout and share in the same units and makes it positive.
Null: turnout and share independent within each region; one-sided p-value
from Fisher's z with n − (regions) − 1 degrees of freedom (the permutation
null of a correlation at these sample sizes). The details carry the 20 × 20
histogram of (turnout, share) and the number of units in the corner where
both exceed 95 %.

Assumptions: in a clean election turnout and support vary independently
inside a region. Cannot tell: a real correlation from innocent causes (urban
and rural units differ in both turnout and support; mobilisation by a
popular candidate) from stuffing — a positive value is a lead that needs the
histogram and the other tests. Does not apply without registered voters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .base import Applicability, TestResult
from .units import Units

SLUG = "fingerprint"
MIN_UNITS = 300
BINS = 20


def _data(units: Units):
    t = units.turnout()
    s = units.share()
    with np.errstate(invalid="ignore"):
        ok = units.usable & (units.registered > 0) & (units.share_den > 0) & (t <= 1.0) & ~np.isnan(t)
    return ok, t, s


def strata(units: Units) -> np.ndarray:
    if units.labels:
        top = next(iter(units.labels.values()))
        return pd.factorize(top)[0]
    return np.zeros(units.n, dtype=np.int64)


def validate(units: Units) -> Applicability:
    if np.isnan(units.registered).all():
        return Applicability(False, "needs registered voters per unit (turnout); none in this tally")
    ok, _, _ = _data(units)
    if ok.sum() < MIN_UNITS:
        return Applicability(False, f"needs ≥ {MIN_UNITS} units with turnout ≤ 100 %; {int(ok.sum())} here")
    return Applicability(True)


def _within_r(t, s, g):
    g = pd.factorize(g)[0]
    k = g.max() + 1
    cnt = np.bincount(g, minlength=k).astype(float)
    tm = np.bincount(g, weights=t, minlength=k) / np.maximum(cnt, 1)
    sm = np.bincount(g, weights=s, minlength=k) / np.maximum(cnt, 1)
    tc, sc = t - tm[g], s - sm[g]
    den = np.sqrt((tc ** 2).sum() * (sc ** 2).sum())
    r = float((tc * sc).sum() / den) if den > 0 else float("nan")
    return r, int((cnt > 1).sum())


def run(units: Units, *, scoped: bool = True, **_: object) -> list[TestResult]:
    app = validate(units)
    if not app:
        return [TestResult(SLUG, "national", f"turnout|{units.leader_id}", None, None, False, [app.reason])]
    ok, t, s = _data(units)
    g_all = strata(units)
    out = []
    for scope, smask in (units.scopes() if scoped else [("national", None)]):
        m = ok if smask is None else ok & smask
        n = int(m.sum())
        if n < MIN_UNITS:
            out.append(TestResult(SLUG, scope, f"turnout|{units.leader_id}", None, None, False,
                                  [f"needs ≥ {MIN_UNITS} units; {n} here"]))
            continue
        r, k = _within_r(t[m], s[m], g_all[m])
        dof = max(n - k - 1, 4)
        z = np.arctanh(np.clip(r, -0.999999, 0.999999)) * np.sqrt(dof - 2)
        p = float(stats.norm.sf(z))
        h, _, _ = np.histogram2d(t[m], np.clip(s[m], 0, 1), bins=BINS, range=[[0, 1], [0, 1]])
        corner = m & (t >= 0.95) & (s >= 0.95)
        res = TestResult(SLUG, scope, f"turnout|{units.leader_id}", r, p, details={
            "n_units": n, "regions": k, "raw_correlation": float(np.corrcoef(t[m], s[m])[0, 1]),
            "corner_units_turnout_and_share_ge_95pct": int(corner.sum()),
            "histogram_bins": BINS, "histogram": h.astype(int).tolist(),
        })
        if smask is None:
            res.unit_flags = {"FINGERPRINT_CORNER": np.flatnonzero(corner)}
            # the per-region quantiles are details for a reader; a calibration's simulated election needs
            # only the p-value (they cost ~5 ms of its ~65)
            if units.region is None and k > 1 and not (units.notes or {}).get("simulated"):
                per = []
                for gi in range(k):
                    mm = m & (g_all == gi)
                    if mm.sum() >= 30:
                        per.append(float(np.corrcoef(t[mm], s[mm])[0, 1]))
                res.details["region_correlation_quantiles"] = (
                    np.nanpercentile(per, [10, 50, 90]).tolist() if per else [])
        out.append(res)
    return out
