"""Per-unit score: which stations to look at first, each judged against its own region.

Citations: P. Klimek et al., PNAS 109(41), 2012 (ballot stuffing: a fraction x of
the non-voters' ballots added for the leader); W. R. Mebane Jr., eforensics
(finite mixtures with per-unit posteriors of fraud); D. Kobak, S. Shpilkin,
M. S. Pshenichnikov, Annals of Applied Statistics 10(1), 2016 (integer
percentages); A. Rozenas, Political Analysis 25(1), 2017 (resampled per-unit
references); R. F. Barber & E. J. Candès, Annals of Statistics 43(5), 2015
(knockoff+ false-discovery estimate, used with mirrored decoys).

One ranked list merges, each with a reason code, the reason in words and the
figures behind it:

1. ``STUFFING``: each unit's turnout and leader share become normal scores
   under Beta laws centred on its region (robust centre and between-unit
   spread, plus the unit's own binomial noise: its size), correlated as they
   are nationally within regions. Klimek's stuffed model (a clean pre-image plus
   ballots for the leader) is profiled over the pre-image's turnout; the
   likelihood ratio against no stuffing gives a one-sided p-value (½·χ²₁) and
   the estimated stuffed fraction. Listed when Benjamini–Hochberg over units
   gives q ≤ ``Q_LIST``, the false-discovery rate estimated from decoys (every
   unit mirrored through its region's centre; stuffing never makes a unit low
   in both) is ≤ ``Q_DECOY``, and the stuffed explanation fits (its pre-image
   an ordinary unit of the region: distance² ≤ ``FIT_MAX``).
2. ``SHARE_HIGH``: the share's score given turnout, one-sided, same rules.
3. ``INT_SHARE``, ``INT_TURNOUT``: the count nearest to a whole percentage of
   its denominator (what writing down a target percentage produces, whatever
   the unit's size); each unit's exact chance under binomial resampling of its
   own counts (``nearest_probability``). Listed only when the national excess
   is overwhelming (z ≥ ``Z_INT`` against the exact Poisson-binomial law) and
   where the chance was at most ``H_MAX``; the unit's posterior of rounding is
   shown. Multiples of 5 % (round-number fingerprint) are tested where whole
   percentages are in excess and reported in the summary.
4. Hard checks (arithmetic) with region-aware discounts: a category that is a
   custom in a region (one-candidate stations), systematic nationally
   (supplementary lists; arithmetic slips that leave every vote with a ballot)
   or likely for the unit's size is counted, explained and its regions named —
   not listed unit by unit (``discount=False`` lists everything).

Regions: ``level``, or the deepest hierarchy level whose median region holds at
least ``MIN_REGION_UNITS`` usable units; regions with fewer than ``MIN_OWN``
units borrow their parent's centre, and spreads are shrunk towards the parent's.
Deterministic: no random draws.

Cannot see: fraud spread over a whole region (its centre moves; regions whose
median unit is at ≥ 90 % turnout and share are named in ``extreme_regions``),
stuffing that stays inside a wide regional spread, moderate switching, a single
rounded unit (weak evidence by construction), fabricated numbers that look
natural, fraud hidden inside a discounted category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .hard_checks import WEIGHTS as HARD_WEIGHTS, masks as hard_masks
from .units import Units

MIN_REGION_UNITS = 40
MIN_OWN = 20
#: pseudo-units of the parent's spread mixed into a region's spread (shrinkage)
SHRINK = 30
Q_LIST = 0.05
#: and at most this estimated false discovery rate against the mirrored decoys (knockoff+)
Q_DECOY = 0.1
Z_INT = 3.0
#: a unit on a whole percentage is listed only where that had at most this chance (small units always are)
H_MAX = 0.25
#: a hard-check category found in at least this share of usable units is systematic
SYSTEMATIC = 0.01
#: one-candidate stations are a regional custom where at least this share of the region has them
CUSTOM_SHARE = 0.2
#: exactly 100 % is listed only when its chance for the unit's size under its region's law is at most this
P100_MAX = 1e-3
GRID = np.linspace(0.0, 0.96, 9)
#: units are profiled for stuffing only when their squared distance from the region reaches this
D_MIN = 8.0
#: ... and listed only when the best pre-image is an ordinary unit: distance² ≤ χ²₂ 99 % point
FIT_MAX = 9.21

WORDS = {
    "NEGATIVE": "a count is negative",
    "VOTES_GT_REGISTERED": "more ballots than registered voters (beyond what supplementary lists explain)",
    "SUM_CANDIDATES": "candidate votes do not add up to the valid votes",
    "SUM_BALLOTS": "valid + invalid do not add up to the ballots",
    "TURNOUT_100": "turnout exactly 100 %",
    "ONE_CANDIDATE_100": "one candidate has every valid vote",
    "STUFFING": "turnout and leader share both high for its region, as ballots added for the leader would make them",
    "SHARE_HIGH": "leader share far above its region at this turnout",
    "INT_SHARE": "leader share is a whole percentage, in an election with a strong national excess of them",
    "INT_TURNOUT": "turnout is a whole percentage, in an election with a strong national excess of them",
    "ROUND_SHARE": "leader share is a multiple of 5 %, in an election with a strong national excess of them",
    "ROUND_TURNOUT": "turnout is a multiple of 5 %, in an election with a strong national excess of them",
    "FINGERPRINT_CORNER": "turnout and leader share both ≥ 95 %",
}
#: supplementary reasons: shown only beside another reason
SUPPLEMENTARY = {"FINGERPRINT_CORNER", "SUM_BALLOTS_SYSTEMATIC"}


@dataclass
class StationList:
    flags: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg q-values (NaN stays NaN)."""
    q = np.full(len(p), np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if not len(ok):
        return q
    pp = p[ok]
    order = np.argsort(pp, kind="stable")
    m = len(pp)
    r = pp[order] * m / np.arange(1, m + 1)
    r = np.minimum.accumulate(r[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(r, 1.0)
    q[ok] = out
    return q


def level_codes(units: Units) -> list[tuple[str, np.ndarray, list[str]]]:
    """(level, region code per unit, region names) for each hierarchy level, top down; codes nest."""
    out = []
    prev = np.zeros(units.n, dtype=np.int64)
    for lvl, lab in units.labels.items():
        lc, _ = pd.factorize(pd.Series(lab, dtype="object").fillna(""), sort=False)
        key = prev * (int(lc.max()) + 2 if len(lc) else 1) + lc
        codes, uniq = pd.factorize(key, sort=False)
        codes = codes.astype(np.int64)
        first = np.full(len(uniq), -1, dtype=np.int64)
        first[codes[::-1]] = np.arange(units.n)[::-1]
        names = [str(lab[i]) for i in first]
        out.append((lvl, codes, names))
        prev = codes
    return out


def choose_level(units: Units, level: str | None = None) -> tuple[int, str]:
    """Index into ``level_codes`` (−1 = national only) and the reason for the choice."""
    levels = list(units.labels)
    if level is not None:
        if level not in levels:
            return -1, f"level {level!r} is not a hierarchy level of this tally; national baseline"
        return levels.index(level), f"{level} (asked with --by)"
    use = units.usable
    best, why = -1, "no hierarchy level has regions large enough; national baseline"
    for i, (lvl, codes, _) in enumerate(level_codes(units)):
        cnt = np.bincount(codes[use], minlength=int(codes.max()) + 1 if len(codes) else 1)
        cnt = cnt[cnt > 0]
        med = float(np.median(cnt)) if len(cnt) else 0.0
        if med >= MIN_REGION_UNITS:
            best, why = i, (f"{lvl}: the deepest level whose median region has ≥ {MIN_REGION_UNITS} usable "
                            f"units ({med:,.0f}; {len(cnt):,} regions)")
    return best, why


def _group_robust(x: np.ndarray, codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-group median, 1.4826·MAD and count of the finite values of x."""
    ok = ~np.isnan(x)
    df = pd.DataFrame({"g": codes[ok], "x": x[ok]})
    med = df.groupby("g")["x"].median()
    df["d"] = np.abs(df["x"].to_numpy() - med.reindex(df["g"]).to_numpy())
    mad = df.groupby("g")["d"].median() * 1.4826
    cnt = df.groupby("g").size()
    m = np.full(k, np.nan)
    s = np.full(k, np.nan)
    c = np.zeros(k)
    m[med.index.to_numpy()] = med.to_numpy()
    s[mad.index.to_numpy()] = mad.to_numpy()
    c[cnt.index.to_numpy()] = cnt.to_numpy()
    return m, s, c


def baseline(x: np.ndarray, chain: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-unit robust centre, spread and the variance of the centre's estimate, from the national
    level down the ``chain`` of nested region codes; small regions borrow their parent's figures and
    every region's spread is shrunk towards its parent's."""
    n = len(x)
    ok = ~np.isnan(x)
    med = float(np.median(x[ok])) if ok.any() else np.nan
    mad = float(np.median(np.abs(x[ok] - med))) * 1.4826 if ok.any() else np.nan
    c_u = np.full(n, med)
    s_u = np.full(n, mad)
    v_u = np.full(n, 1.571 * mad ** 2 / max(ok.sum(), 1))
    for codes in chain:
        k = int(codes.max()) + 1 if n else 1
        m, s, c = _group_robust(x, codes, k)
        cu, su, nu = m[codes], s[codes], c[codes]
        own = nu >= MIN_OWN
        s_sh = np.sqrt((nu * np.nan_to_num(su) ** 2 + SHRINK * s_u ** 2) / (nu + SHRINK))
        c_u = np.where(own, cu, c_u)
        v_u = np.where(own, 1.571 * s_sh ** 2 / np.maximum(nu, 1), v_u)
        s_u = np.where(own, s_sh, s_u)
    return c_u, s_u, v_u


def normal_score(x: np.ndarray, c: np.ndarray, g: np.ndarray, n: np.ndarray, exact_from: float = 2.0) -> np.ndarray:
    """Normal score of a rate x out of n under a Beta law with mean c and variance g + c(1 − c)/n
    (the rate continuity-corrected to (k + ½)/(n + 1)); upper tails computed directly.

    Near the centre (|z| < ``exact_from`` by the normal approximation of the Beta law on the logit
    scale, mean ψ(a) − ψ(b) and variance ψ′(a) + ψ′(b)) that approximation is kept; beyond it the
    exact Beta tail is used — only the tails decide what is listed.
    """
    from scipy import special

    a, b = _beta_ab(c, g, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        xa = (x * n + 0.5) / (n + 1)
        z = ((np.log(xa) - np.log1p(-xa)) - (special.digamma(a) - special.digamma(b))) / np.sqrt(
            _trigamma(a) + _trigamma(b))
        ex = np.flatnonzero(~(np.abs(z) < exact_from) & np.isfinite(xa))
        if ex.size:
            ae, be, xe = a[ex], b[ex], xa[ex]
            up = xe > ae / (ae + be)
            lo_p = special.betainc(ae, be, np.where(up, 0.5, xe))
            hi_p = special.betaincc(ae, be, np.where(up, xe, 0.5))
            z[ex] = np.where(up, -special.ndtri(np.maximum(hi_p, 1e-300)), special.ndtri(np.maximum(lo_p, 1e-300)))
    return np.clip(z, -38, 38)


def _trigamma(x: np.ndarray) -> np.ndarray:
    """ψ′(x) for x > 0: recurrence up to 6, then the asymptotic series (error < 1e-9)."""
    x = np.asarray(x, dtype=np.float64).copy()
    acc = np.zeros_like(x)
    for _ in range(6):
        small = x < 6
        if not small.any():
            break
        acc += np.where(small, 1.0 / np.where(small, x, 1.0) ** 2, 0.0)
        x = np.where(small, x + 1, x)
    r = 1.0 / x
    r2 = r * r
    return acc + r + r2 / 2 + r * r2 * (1 / 6 - r2 * (1 / 30 - r2 / 42))


def rate_at(z: np.ndarray, c: np.ndarray, g: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The rate whose normal score is z (inverse of ``normal_score``), clipped to [0, 1]."""
    from scipy import special

    a, b = _beta_ab(c, g, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        xa = special.betaincinv(a, b, special.ndtr(z))
        return np.clip((xa * (n + 1) - 0.5) / n, 0, 1)


def _beta_ab(c, g, n):
    with np.errstate(invalid="ignore", divide="ignore"):
        m = np.clip(c, 1e-3, 1 - 1e-3)
        var = np.minimum(g + m * (1 - m) / np.maximum(n, 1), 0.95 * m * (1 - m))
        var = np.maximum(var, 1e-7)
        k = m * (1 - m) / var - 1
        return m * k, (1 - m) * k


def _take(law, idx):
    (ct, gt, reg), (cv, gv, den), rho = law
    return (ct[idx], gt[idx], reg[idx]), (cv[idx], gv[idx], den[idx]), rho


def _stuff_lr(t, v, law) -> tuple[np.ndarray, np.ndarray]:
    """Per unit: likelihood-ratio statistic of "a fraction x of the non-voters' ballots was added for
    the leader" against x = 0 (profile over ``GRID``), and the best x. ``law``: the units' turnout and
    share laws and the correlation of their normal scores."""
    (ct, gt, reg), (cv, gv, den), rho = law
    k = np.sqrt(1 - rho ** 2)

    def dist(tt, vv, dd):
        a = normal_score(tt, ct, gt, reg)
        b = (normal_score(vv, cv, gv, dd) - rho * a) / k
        return a ** 2 + b ** 2

    d0 = dist(t, v, den)
    best = d0.copy()
    xhat = np.zeros(len(t))

    ubest = np.zeros(len(t))

    def try_u(u):
        # the pre-image is parametrised by its turnout t0 = t·(1 − u), so that a unit at exactly 100 %
        # (every non-voter's ballot added, x = 1) has pre-images too; x = (t − t0) / (1 − t0)
        nonlocal best, xhat, ubest
        with np.errstate(invalid="ignore", divide="ignore"):
            t0 = t * (1 - u)
            v0 = (v * t - (t - t0)) / t0
            ok = (u > 0) & (u < 1) & (t0 > 0.01) & (v0 >= 0)
            if not ok.any():
                return
            d = np.full(len(t), np.inf)
            d[ok] = _dist_sub(t0, v0, den * t0 / np.maximum(t, 1e-9), ok, (ct, gt, reg), (cv, gv), rho, k)
            b = ok & (d < best)
            best = np.where(b, d, best)
            ubest = np.where(b, u, ubest)
            xhat = np.where(b, np.clip((t - t0) / np.maximum(1 - t0, 1e-9), 0, 1), xhat)

    # a coarse grid, then two refinements around each unit's best (steps h/3, h/9)
    h = GRID[1] - GRID[0]
    for u in GRID[1:]:
        try_u(np.full(len(t), u))
    for step in (h / 3, h / 9):
        centre = ubest.copy()
        for off in (-2, -1, 1, 2):
            try_u(np.clip(centre + off * step, 0, 0.99))
    lr = np.maximum(np.nan_to_num(d0 - best, nan=0.0), 0)
    return lr, xhat, best


def _dist_sub(t0, v0, d0_, ok, lt, lv, rho, k):
    ct, gt, reg = lt
    cv, gv = lv
    a = normal_score(t0[ok], ct[ok], gt[ok], reg[ok])
    b = (normal_score(v0[ok], cv[ok], gv[ok], d0_[ok]) - rho * a) / k
    return a ** 2 + b ** 2


def _decoy_q(target: np.ndarray, decoy: np.ndarray) -> np.ndarray:
    """Per unit: the smallest estimated FDR (1 + #decoys ≥ c) / #targets ≥ c over thresholds c ≤ its score."""
    tt = np.nan_to_num(target, nan=-np.inf)
    dd = np.sort(np.nan_to_num(decoy, nan=-np.inf))
    order = np.argsort(-tt, kind="stable")
    ts = tt[order]
    n_t = np.arange(1, len(ts) + 1)
    n_d = len(dd) - np.searchsorted(dd, ts, side="left")
    fdr = (1 + n_d) / n_t
    fdr = np.minimum.accumulate(fdr[::-1])[::-1]
    out = np.empty(len(tt))
    out[order] = np.minimum(fdr, 1.0)
    return np.where(np.isfinite(tt) & (tt > 0), out, 1.0)


def _p_all(c: np.ndarray, s: np.ndarray, n: np.ndarray) -> np.ndarray:
    """E[R^n] for R ~ Beta with mean c and SD s: the chance that all n of a unit's voters (votes) do it."""
    from scipy import special

    with np.errstate(invalid="ignore", divide="ignore"):
        m = np.clip(c, 1e-3, 1 - 1e-3)
        var = np.minimum(np.maximum(s, 1e-3) ** 2, 0.9 * m * (1 - m))
        k = m * (1 - m) / var - 1
        a, b = m * k, (1 - m) * k
        return np.exp(special.betaln(a + n, b) - special.betaln(a, b))


def nearest_count(k: np.ndarray, n: np.ndarray, step: int = 1) -> np.ndarray:
    """True where the count k out of n is the count nearest to a whole percentage (a multiple of
    ``step`` %) of n — what writing down a target percentage produces, whatever the size of n."""
    with np.errstate(invalid="ignore", divide="ignore"):
        j = np.rint(100.0 * k / n / step) * step
        return (n > 0) & (np.rint(j * n / 100.0) == np.rint(k))


def nearest_probability(n: np.ndarray, p: np.ndarray, step: int = 1, width: float = 5.5,
                        chunk: int = 50_000) -> np.ndarray:
    """P(X is the count nearest to a whole percentage of n) for X ~ Binomial(n, p), exactly, per unit
    (the binomial pmf summed over those counts within ``width`` SDs of the mean)."""
    from scipy import special

    n = np.nan_to_num(n, nan=0).astype(np.int64)
    p = np.clip(np.nan_to_num(p, nan=0.0), 0, 1)
    k_obs = np.rint(p * n)
    if len(n) > 1000 and np.allclose(k_obs, p * n, atol=1e-6):
        # rates from counts: many units share (n, k) — compute each pair once
        key = n * (int(n.max()) + 2) + k_obs.astype(np.int64)
        uk, first, inv = np.unique(key, return_index=True, return_inverse=True)
        if len(uk) < 0.7 * len(n):
            return nearest_probability(n[first], p[first], step, width, chunk)[inv]
    if len(n) > chunk:
        return np.concatenate([nearest_probability(n[i:i + chunk], p[i:i + chunk], step, width, chunk)
                               for i in range(0, len(n), chunk)])
    out = np.zeros(len(n))
    ok = n > 0
    if not ok.any():
        return out
    idx = np.flatnonzero(ok)
    nn, pp = n[idx], p[idx]
    sd = np.sqrt(np.maximum(nn * pp * (1 - pp), 0.25))
    lo = np.clip(np.floor((100 * (nn * pp - width * sd - 1) / nn) / step), 0, 100 // step).astype(np.int64)
    hi = np.clip(np.ceil((100 * (nn * pp + width * sd + 1) / nn) / step), 0, 100 // step).astype(np.int64)
    cnt = hi - lo + 1
    unit = np.repeat(np.arange(len(nn)), cnt)
    j = (np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt) + lo[unit]) * step
    n2 = nn[unit]
    k = np.rint(j * n2 / 100.0).astype(np.int64)
    # one count per whole percentage; below 100 voters two percentages can share a count: keep it once
    first = np.ones(len(k), dtype=bool)
    first[1:] = ~((unit[1:] == unit[:-1]) & (k[1:] == k[:-1]))
    k, n2, unit = k[first], n2[first], unit[first]
    lf = special.gammaln(np.arange(int(nn.max()) + 2, dtype=np.float64) + 1.0)
    lp = np.log(np.maximum(pp, 1e-300))
    lq = np.log(np.maximum(1.0 - pp, 1e-300))
    logpmf = lf[n2] - lf[k] - lf[n2 - k] + k * lp[unit] + (n2 - k) * lq[unit]
    out[idx] = np.minimum(np.bincount(unit, weights=np.exp(logpmf), minlength=len(nn)), 1.0)
    return out


def _half_chi1(d: np.ndarray) -> np.ndarray:
    """½·P(χ²₁ ≥ d) = P(Z ≥ √d): the p-value of a one-sided likelihood ratio at a boundary."""
    from scipy import special

    return special.ndtr(-np.sqrt(np.maximum(np.nan_to_num(d), 0)))


def _int_stats(units: Units, idx: np.ndarray, n: np.ndarray, p: np.ndarray, obs: np.ndarray,
               step: int) -> tuple[np.ndarray, dict[str, Any]]:
    h = nearest_probability(n, p, step)
    e = float(h.sum())
    v = float((h * (1 - h)).sum())
    o = float(obs.sum())
    z = (o - e) / np.sqrt(v) if v > 0 else 0.0
    return h, {"observed": int(o), "expected": round(e, 1), "sd": round(float(np.sqrt(v)), 1),
               "z": round(float(z), 2), "units": int(len(idx))}


def score(units: Units, *, level: str | None = None, discount: bool = True) -> StationList:
    """The ranked station list and its summary (level, reasons, discounted categories)."""
    from .integer_percent import inclusion

    N = units.n
    use = units.usable & (units.share_den > 0)
    levels = level_codes(units)
    li, level_why = choose_level(units, level)
    chain = [c for _, c, _ in levels[:li + 1]] if li >= 0 else []
    region_code = levels[li][1] if li >= 0 else np.zeros(N, dtype=np.int64)
    region_names = levels[li][2] if li >= 0 else ["national"]
    region_level = levels[li][0] if li >= 0 else "national"
    rname = np.asarray(region_names, dtype=object)[region_code]

    with np.errstate(divide="ignore", invalid="ignore"):
        t_raw = units.turnout()
        v_raw = units.share()
    has_t = use & (units.registered > 0) & ~np.isnan(t_raw)
    t = np.where(has_t, np.clip(t_raw, 0, 1), np.nan)
    v = np.where(use, np.clip(v_raw, 0, 1), np.nan)
    reg = np.where(has_t, units.registered, np.nan)
    den = np.where(use, units.share_den, np.nan)
    # region-centred robust baselines (centre, spread, and the variance of the centre's estimate)
    ct, st, vct = baseline(t, chain)
    cv, sv, vcv = baseline(v, chain)
    # per-unit Beta laws: the region's centre, its between-unit spread (robust spread − the typical
    # unit's binomial noise) plus the unit's own binomial noise (its size) and the centre's own error;
    # each unit's rate becomes a normal score under its law (a Gaussian copula: Beta tails near 100 %)
    with np.errstate(invalid="ignore", divide="ignore"):
        bt_med = float(np.nanmedian(ct * (1 - ct) / reg)) if has_t.any() else 0.0
        bv_med = float(np.nanmedian(cv * (1 - cv) / den)) if use.any() else 0.0
    gt_ = np.maximum(st ** 2 - bt_med, 0.25 * st ** 2) + vct
    gv_ = np.maximum(sv ** 2 - bv_med, 0.25 * sv ** 2) + vcv
    law_t = (ct, gt_, reg)
    law_v = (cv, gv_, den)
    zt = np.where(has_t, normal_score(t, *law_t), np.nan)
    zv = np.where(use, normal_score(v, *law_v), np.nan)
    # national within-region relation between the two scores (central units only)
    with np.errstate(invalid="ignore"):
        cen = has_t & (np.abs(zt) < 2) & (np.abs(zv) < 2)
    rho = float(np.corrcoef(zt[cen], zv[cen])[0, 1]) if cen.sum() > 30 else 0.0
    rho = float(np.clip(np.nan_to_num(rho), -0.9, 0.9))
    zvc = np.where(has_t, (zv - rho * np.nan_to_num(zt)) / np.sqrt(1 - rho ** 2), zv)

    # stuffing: profile likelihood over the stuffed fraction x of non-voters (Klimek's model): the
    # unit's clean pre-image for each x, judged against its region; only units whose distance from
    # their region could reach a listed score are profiled (the statistic never exceeds that distance)
    d0 = np.where(has_t, zt ** 2 + zvc ** 2, np.nan)
    # the statistic never exceeds d0, so p ≥ ½·P(χ²₁ ≥ d0): Benjamini–Hochberg is monotone, hence only
    # units that pass it with that bound can pass it at all (and only they can be outscored by a decoy)
    p_up = np.where(has_t & (np.nan_to_num(d0) > 0), _half_chi1(d0), np.nan)
    pool = has_t & (_bh(p_up) <= Q_LIST) & (np.nan_to_num(d0) >= D_MIN)
    # stuffing raises turnout: a unit at or below its region's turnout is not profiled (its pre-images
    # sit further from the region still); its mirror, above, is — as a decoy
    cand_ = np.flatnonzero(pool & (zt > 0))
    cand_m = np.flatnonzero(pool & (zt < 0))
    law = (law_t, law_v, rho)
    lr = np.zeros(N)
    xhat = np.zeros(N)
    fit = np.full(N, np.inf)
    lr[cand_], xhat[cand_], fit[cand_] = _stuff_lr(t[cand_], v[cand_], _take(law, cand_))
    # decoys: each unit mirrored through its region's centre on the normal-score scale (both scores
    # negated) — stuffing never makes a unit low in both, so the mirrored units estimate how many clean
    # units reach a given score in this data's own tails (target–decoy / knockoff+ estimate of the FDR)
    lr_m = np.zeros(N)
    sub = _take(law, cand_m)
    tm = rate_at(-zt[cand_m], *sub[0])
    vm = rate_at(-zv[cand_m], *sub[1])
    lr_m[cand_m], _, fit_m = _stuff_lr(tm, vm, sub)
    # the stuffed explanation must fit: its clean pre-image an ordinary unit of the region (a unit odd in
    # a way stuffing does not explain — turnout up, leader share down — is not a stuffing lead)
    lr = np.where(fit <= FIT_MAX, lr, 0.0)
    lr_m[cand_m] = np.where(fit_m <= FIT_MAX, lr_m[cand_m], 0.0)
    p_stuff = np.where(has_t, np.where(lr > 0, _half_chi1(lr), 1.0), np.nan)
    q_stuff = _bh(p_stuff)
    qd_stuff = _decoy_q(np.where(has_t, lr, np.nan), np.where(has_t, lr_m, np.nan))
    z_share = zvc
    p_share = np.where(use, stats.norm.sf(z_share), np.nan)
    q_share = _bh(p_share)
    qd_share = _decoy_q(z_share, -z_share)
    # chance of exactly 100 % (turnout; one candidate) for the unit's size under its region's Beta law
    p100_t = _p_all(ct, st, reg)
    p100_v = _p_all(cv, sv, den)

    # hard checks and their region-aware discounts
    hm = hard_masks(units)
    n_use = max(int(units.usable.sum()), 1)
    reasons: dict[str, np.ndarray] = {}
    discounted: list[dict[str, Any]] = []

    def regions_of(mask: np.ndarray, top: int = 8) -> list[dict[str, Any]]:
        if not mask.any():
            return []
        vc = pd.Series(rname[mask]).value_counts().head(top)
        return [{"region": str(k), "units": int(c)} for k, c in vc.items()]

    def discount_(code: str, mask: np.ndarray, why: str, category: str) -> None:
        k = int(mask.sum())
        if k:
            discounted.append({"category": category, "reason": code, "units": k, "why": why,
                               "regions": regions_of(mask)})

    one = hm["ONE_CANDIDATE_100"]
    custom = np.zeros(N, dtype=bool)
    if discount and one.any():
        rate = np.bincount(region_code[units.usable], weights=one[units.usable].astype(float),
                           minlength=len(region_names))
        cnt = np.bincount(region_code[units.usable], minlength=len(region_names))
        rr = np.where(cnt >= 10, rate / np.maximum(cnt, 1), 0.0)
        custom = one & (rr[region_code] >= CUSTOM_SHARE)
        discount_("ONE_CANDIDATE_100", custom,
                  f"one candidate has every vote in ≥ {CUSTOM_SHARE:.0%} of the units of these {region_level} "
                  "regions: a regional custom (e.g. noken / bloc voting by community leaders in Papua), judged "
                  "region by region, not station by station; with it their 100 % turnout and extreme "
                  "scores are not listed", "regional custom: one-candidate stations")
    gt = hm["VOTES_GT_REGISTERED"]
    sys_gt = discount and gt.sum() >= SYSTEMATIC * n_use
    gt_keep = gt.copy()
    if sys_gt:
        with np.errstate(invalid="ignore", divide="ignore"):
            over = units.turnout_num / units.registered - 1
        q1, q3 = np.nanpercentile(over[gt], [25, 75])
        lim = q3 + 3 * (q3 - q1)
        gt_keep = gt & (over > lim)
        discount_("VOTES_GT_REGISTERED", gt & ~gt_keep & ~custom,
                  f"{int(gt.sum()):,} units ({100 * gt.sum() / n_use:.1f} %) have more ballots than registered "
                  f"voters: systematic, as when voters on supplementary lists vote but are not in the register; "
                  f"only excesses beyond {100 * lim:.1f} % of the register (upper quartile + 3 IQR of the "
                  "excesses) are listed", "supplementary voter lists: ballots above the register")
    t100 = hm["TURNOUT_100"]
    t100_keep = t100 & ~custom
    if sys_gt:
        t100_keep = t100_keep & one
        discount_("TURNOUT_100", t100 & ~custom & ~one,
                  "exactly 100 % turnout alone, in an election where the register does not cap the ballots "
                  "(supplementary lists, above): 100 % is one point of a distribution that passes it",
                  "supplementary voter lists: exactly 100 % turnout")
    sc = hm["SUM_CANDIDATES"]
    sc_keep = sc.copy()
    if discount and sc.sum() >= SYSTEMATIC * n_use:
        cs = np.nansum(units.cand, axis=1)
        sc_keep = sc & ~(cs <= np.nan_to_num(units.ballots, nan=np.inf))
        discount_("SUM_CANDIDATES", sc & ~sc_keep,
                  f"{int(sc.sum()):,} units ({100 * sc.sum() / n_use:.1f} %) have candidate votes that do not add "
                  "up to the valid votes — systematic, a slip in the valid-vote line of the form or its "
                  "transcription; listed only where the candidates hold more votes than there were ballots",
                  "arithmetic slips: candidate votes within the ballots cast")
    sb = hm["SUM_BALLOTS"]
    sb_primary = sb.copy()
    if discount and sb.sum() >= SYSTEMATIC * n_use:
        sb_primary = np.zeros(N, dtype=bool)
        # counted below, once the other reasons are known (only the units with no other reason drop out)
    reasons["NEGATIVE"] = hm["NEGATIVE"]
    reasons["VOTES_GT_REGISTERED"] = gt_keep & ~custom
    reasons["SUM_CANDIDATES"] = sc_keep
    # 100 % is not improbable in a small unit of a high-turnout region: judged by its own chance
    small_t = t100_keep & ~(np.nan_to_num(p100_t, nan=1.0) <= P100_MAX)
    small_v = one & ~custom & ~(np.nan_to_num(p100_v, nan=1.0) <= P100_MAX)
    if discount:
        t100_keep = t100_keep & ~small_t
        discount_("TURNOUT_100", small_t,
                  f"exactly 100 % turnout in a unit small enough, in a region of high enough turnout, that "
                  f"everyone voting has a chance above {P100_MAX:g} under the region's own turnout law",
                  "small units: 100 % turnout is not improbable")
        discount_("ONE_CANDIDATE_100", small_v,
                  f"one candidate with every vote in a unit small enough, in a region where the leader is "
                  f"strong enough, that it has a chance above {P100_MAX:g} under the region's own share law",
                  "small units: one-candidate result is not improbable")
    else:
        small_v = np.zeros(N, dtype=bool)
    reasons["TURNOUT_100"] = t100_keep
    reasons["ONE_CANDIDATE_100"] = one & ~custom & ~small_v
    reasons["SUM_BALLOTS"] = sb_primary

    stuff = (q_stuff <= Q_LIST) & (qd_stuff <= Q_DECOY) & ~custom
    if sys_gt:  # where the register does not cap the ballots, turnout above 100 % is not stuffing evidence
        stuff &= ~(np.nan_to_num(t_raw) > 1)
    reasons["STUFFING"] = np.nan_to_num(stuff, nan=0).astype(bool)
    shigh = (q_share <= Q_LIST) & (qd_share <= Q_DECOY) & ~custom & ~reasons["STUFFING"]
    reasons["SHARE_HIGH"] = np.nan_to_num(shigh, nan=0).astype(bool)

    # regions whose typical unit sits at the extreme: a region-centred score cannot single out their units
    extreme_regions = []
    if li >= 0:
        k = len(region_names)
        mt_r, _, nt_r = _group_robust(t, region_code, k)
        mv_r, _, _ = _group_robust(v, region_code, k)
        ext = np.flatnonzero((nt_r >= 10) & (mt_r >= 0.9) & (mv_r >= 0.9))
        for g in ext[np.argsort(-nt_r[ext])][:30]:
            extreme_regions.append({"region": region_names[g], "units": int(nt_r[g]),
                                    "median_turnout_pct": round(100 * float(mt_r[g]), 1),
                                    "median_leader_share_pct": round(100 * float(mv_r[g]), 1),
                                    "one_candidate_custom": bool(custom[region_code == g].any())})

    # integer percentages and round numbers (exact per-unit chance under binomial resampling)
    inc = inclusion(units)
    idx = np.flatnonzero(inc)
    int_info: dict[str, Any] = {}
    post = {k: np.zeros(N) for k in ("INT_SHARE", "INT_TURNOUT", "ROUND_SHARE", "ROUND_TURNOUT")}
    hitp = {k: np.full(N, np.nan) for k in post}
    if len(idx) >= 300:
        subj = {"SHARE": (units.share_den[idx], v_raw[idx], units.cand[idx, units.leader]),
                "TURNOUT": (units.registered[idx], t_raw[idx], units.turnout_num[idx])}
        for name, (nn, pp, kk) in subj.items():
            for kind, step in (("INT", 1), ("ROUND", 5)):
                if step != 1 and not int_info[f"INT_{name}"]["listed"]:
                    continue  # round numbers are looked at only where whole percentages are in excess
                obs = nearest_count(kk, nn, step)
                h, info = _int_stats(units, idx, nn, pp, obs, step)
                code = f"{kind}_{name}"
                # whole percentages are listed by the national excess; round numbers (multiples of 5 %)
                # only mark units already listed (two gates at z ≥ 3: a clean election opens one in ~0.3 %)
                info["listed"] = bool(step == 1 and info["z"] >= Z_INT)
                rate = max(info["observed"] - info["expected"], 0.0) / max(len(idx), 1)
                info["excess_rate"] = round(rate, 5)
                int_info[code] = info
                hitp[code][idx] = h
                pst = rate / (rate + (1 - rate) * np.maximum(h, 1e-12))
                post[code][idx] = np.where(obs, pst, 0.0)
                if info["listed"]:
                    m = np.zeros(N, dtype=bool)
                    m[idx[obs & (h <= H_MAX)]] = True
                    reasons[code] = m & ~custom
    reasons_corner = use & has_t & (t_raw >= 0.95) & (v_raw >= 0.95) & ~custom

    # scores
    w = np.zeros(N)
    listed = np.zeros(N, dtype=bool)
    for code in ("NEGATIVE", "VOTES_GT_REGISTERED", "SUM_CANDIDATES", "TURNOUT_100", "ONE_CANDIDATE_100",
                 "SUM_BALLOTS"):
        m = reasons[code]
        w[m] += HARD_WEIGHTS[code]
        listed |= m
    with np.errstate(divide="ignore"):
        sq = np.where(reasons["STUFFING"], np.minimum(-np.log10(np.maximum(q_stuff, 1e-300)), 30), 0)
        hq = np.where(reasons["SHARE_HIGH"], np.minimum(-np.log10(np.maximum(q_share, 1e-300)), 30), 0)
    # statistical reasons weigh 2–3 (stuffing) and 1–2 (share): below two hard checks together
    w += np.where(reasons["STUFFING"], 2.0 + np.minimum(sq, 10) / 10, 0)
    w += np.where(reasons["SHARE_HIGH"], 1.0 + np.minimum(hq, 10) / 10, 0)
    listed |= reasons["STUFFING"] | reasons["SHARE_HIGH"]
    for code in ("INT_SHARE", "INT_TURNOUT", "ROUND_SHARE", "ROUND_TURNOUT"):
        if code in reasons:
            w += np.where(reasons[code], post[code], 0)
            listed |= reasons[code]
    # supplementary: the corner and a systematic ballots-line slip, only beside another reason
    corner = reasons_corner & listed
    w += np.where(corner, 0.5, 0)
    sb_sup = sb & ~sb_primary & listed
    w += np.where(sb_sup, 0.5, 0)
    if discount and sb.sum() >= SYSTEMATIC * n_use:
        discount_("SUM_BALLOTS", sb & ~listed & ~custom,
                  f"{int(sb.sum()):,} units ({100 * sb.sum() / n_use:.1f} %) have valid + invalid ≠ ballots — "
                  "systematic; this line of the form does not change any candidate's votes, so it is shown only "
                  "beside another reason", "arithmetic slips: the ballots line")
    if discount and custom.any():
        pass  # counted above
    alone_corner = reasons_corner & ~listed
    if alone_corner.any():
        discount_("FINGERPRINT_CORNER", alone_corner,
                  "turnout and leader share both ≥ 95 %, but not unusual for the unit's own region (its region's "
                  "centre and spread explain it); regions whose typical unit is at the extreme are named under "
                  "extreme regions", "high but usual for the region")

    sel = np.flatnonzero(listed)
    codes_per_unit = []
    texts = []
    evid = []
    for i in sel:
        cs_ = [c for c in ("NEGATIVE", "VOTES_GT_REGISTERED", "SUM_CANDIDATES", "TURNOUT_100",
                           "ONE_CANDIDATE_100", "SUM_BALLOTS", "STUFFING", "SHARE_HIGH", "INT_SHARE",
                           "INT_TURNOUT", "ROUND_SHARE", "ROUND_TURNOUT") if c in reasons and reasons[c][i]]
        if corner[i]:
            cs_.append("FINGERPRINT_CORNER")
        if sb_sup[i]:
            cs_.append("SUM_BALLOTS")
        codes_per_unit.append(";".join(dict.fromkeys(cs_)))
        texts.append("; ".join(WORDS[c] for c in dict.fromkeys(cs_)))
        e = []
        if "STUFFING" in cs_:
            e.append(f"stuffing: est. {100 * xhat[i]:.0f} % of non-voters added, q = {q_stuff[i]:.2g}")
        if "SHARE_HIGH" in cs_:
            e.append(f"share z = {z_share[i]:.1f}, q = {q_share[i]:.2g}")
        for c in ("INT_SHARE", "INT_TURNOUT", "ROUND_SHARE", "ROUND_TURNOUT"):
            if c in cs_:
                e.append(f"{c.lower()}: chance {hitp[c][i]:.2f}, posterior of rounding {post[c][i]:.2f}")
        evid.append("; ".join(e))
    df = pd.DataFrame({"unit_id": units.ids[sel]})
    for lvl, lab in units.labels.items():
        df[lvl] = lab[sel]
    df["score"] = np.round(w[sel], 3)
    df["reasons"] = codes_per_unit
    df["registered"] = pd.array(units.registered[sel], dtype="Float64").round(0).astype("Int64")
    df["ballots"] = pd.array(units.turnout_num[sel], dtype="Float64").round(0).astype("Int64")
    df["turnout_pct"] = np.round(t_raw[sel] * 100, 2)
    df[f"{units.leader_id}_share_pct"] = np.round(v_raw[sel] * 100, 2)
    df["baseline_region"] = rname[sel]
    df["region_turnout_pct"] = np.round(ct[sel] * 100, 2)
    df["region_share_pct"] = np.round(cv[sel] * 100, 2)
    # the stuffing figures only where the stuffed explanation was profiled and fits (else empty)
    prof = lr[sel] > 0
    df["stuffing_fraction_pct"] = np.where(prof, np.round(xhat[sel] * 100, 1), np.nan)
    df["stuffing_q"] = np.where(prof, q_stuff[sel], np.nan)
    df["share_z"] = np.round(z_share[sel], 2)
    df["reasons_text"] = texts
    df["evidence"] = evid
    df["_reg"] = np.nan_to_num(units.registered[sel], nan=-1)
    df = df.sort_values(["score", "_reg", "unit_id"], ascending=[False, False, True], kind="stable")
    df = df.drop(columns="_reg").reset_index(drop=True)
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    by_reason = {c: int(m.sum()) for c, m in reasons.items() if m.any()}
    summary = {
        "level": region_level, "level_choice": level_why, "regions": len(region_names),
        "listed": int(len(df)), "listed_share": round(len(df) / max(N, 1), 6), "by_reason": by_reason,
        "discounted": discounted, "discounted_total": int(np.sum([d["units"] for d in discounted])),
        "extreme_regions": extreme_regions, "integer": int_info,
        "model": {"score_correlation": round(rho, 4), "q_list": Q_LIST, "z_integer": Z_INT,
                  "stuffing_grid": len(GRID)},
        "reason_words": {c: WORDS[c] for c in WORDS},
    }
    return StationList(df, summary)
