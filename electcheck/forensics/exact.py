"""Exact digit null: each unit's second- and last-digit law computed, the tallies drawn from their moments.

The resampled null of the digit tests (``digits.counts(method="draws")``) redraws every unit's
count R times. A unit's contribution to a digit tally is a categorical variable whose law depends
only on its (valid votes, count) pair, so the same null can be computed instead of sampled:

- **first stage** (what one resample draws): for units with n·p·(1−p) ≥ 9 the law of
  round(np + √(np(1−p))·Z) clipped to [0, n] — the rounded normal the sampler draws — and
  for smaller units the exact Binomial(n, p) pmf (values below 10 enter no tally and are
  skipped). For the rounded normal, second digits are summed over runs of equal digit (one CDF
  value per run of 10 or 100 values) and last digits (and the second digits of 10–99) by Poisson
  summation, minus the values outside the digit's range, or by summing the values inside it,
  whichever is shorter (``normal_law_fast``; ``normal_law`` sums every value, the reference);
- **second stage** (the resample of a resample, for the Richardson correction
  E0 = 2·E1 − E2): the rounded normal with the compound variance (2n − 1)·p(1 − p) + 1/12 for
  the large units (what drawing N(v1, v1(n − v1)/n) around a rounded first draw v1 gives), and
  for the small units the exact mixture Σₖ P(X1 = k)·law(Binomial(n, k/n));
- each distinct (n, count) pair is computed once (813,336 Indonesian TPS hold ~40,000 pairs);
- the tally of a scope is a sum of independent categorical variables: its mean is Σ πᵢ and its
  covariance Σ (diag πᵢ − πᵢπᵢᵀ). The R resampled tallies are drawn from the normal law with
  that mean and covariance (a scope has ≥ 300 counts, i.e. ~30 per digit: the quadratic
  statistic's tail is that of the sum of categoricals to well within Monte Carlo error — checked
  against the draws in tests/test_forensics.py);
- the expectation E0 is exact: its estimation variance (``var_exp2`` / ``var_expL``) is zero.

Cost is about one law per distinct pair (``pairs``); ``digits.counts`` picks this
path when it is cheaper than the draws (many units sharing pairs: small units, as in Indonesia).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .units import Units

WIDTH = 6.5
#: window of the rounded-normal laws, in SDs (mass outside: 4e-8 per unit)
NWIDTH = 5.5
#: values of one chunk of the ragged windows (bounded memory)
CHUNK = 4_000_000


def _ragged(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, value) for the inclusive ranges [lo_i, hi_i] concatenated."""
    cnt = np.maximum(hi - lo + 1, 0)
    owner = np.repeat(np.arange(len(lo)), cnt)
    start = np.cumsum(cnt) - cnt
    k = np.arange(int(cnt.sum()), dtype=np.int64) - np.repeat(start - lo, cnt)
    return owner, k


def _chunks(width: np.ndarray):
    c = np.cumsum(np.maximum(width, 0))
    i = 0
    while i < len(width):
        base = c[i - 1] if i else 0
        k = int(np.searchsorted(c, base + CHUNK, side="right"))
        k = max(k, i + 1)
        yield slice(i, k)
        i = k


def _window(mu, sd, n, lo_min):
    lo = np.maximum(np.floor(mu - WIDTH * sd - 1), lo_min).astype(np.int64)
    hi = np.minimum(np.ceil(mu + WIDTH * sd + 1), n).astype(np.int64)
    return lo, hi


def pairs(x: np.ndarray, n: np.ndarray) -> int:
    """Distinct (valid, count) pairs: the exact null's work is one law per pair."""
    return int(len(np.unique(n.astype(np.int64) * (1 << 32) + x.astype(np.int64))))


def _accumulate(out, owner, k, pm, codes):
    m = out[0].shape[0]
    for o, t in zip(out, codes):
        o += np.bincount(owner * 11 + t[k], weights=pm, minlength=m * 11).reshape(m, 11)


def normal_law(n, mu, var, codes, lo_min):
    """Per pair: law over the 11 codes of each table in ``codes`` of round(mu + √var·Z) in [0, n],
    summing every value of the window (the reference for ``normal_law_fast``)."""
    m = len(n)
    out = [np.zeros((m, 11)) for _ in codes]
    sd = np.sqrt(var)
    lo, hi = _window(mu, sd, n, lo_min)
    for sl in _chunks(hi - lo + 2):
        owner, k = _ragged(lo[sl], hi[sl] + 1)  # CDF edges k − ½, k = lo .. hi + 1
        c = special.ndtr((k - 0.5 - mu[sl][owner]) / sd[sl][owner])
        c[k > n[sl][owner]] = 1.0  # the clip at n
        pm = c[1:] - c[:-1]
        same = owner[1:] == owner[:-1]
        sub = [o[sl] for o in out]
        _accumulate(sub, owner[:-1][same], k[:-1][same], pm[same], codes)
        for o, s_ in zip(out, sub):
            o[sl] = s_
    return out


_LG: np.ndarray | None = None


def _lgamma(nmax: int) -> np.ndarray:
    """log k! for k ≤ nmax + 1. Calibration threads share the table: each call returns the array it
    checked (or built), never one another thread put in the global meanwhile, which may be shorter."""
    global _LG
    lg = _LG
    if lg is None or len(lg) < nmax + 2:
        lg = special.gammaln(np.arange(nmax + 2, dtype=np.float64) + 1)  # lg[k] = log k!
        if _LG is None or len(_LG) < len(lg):
            _LG = lg
    return lg


def _binom_pmf(owner, k, n, p):
    lg = _lgamma(int(n.max()) if len(n) else 1)
    nn, pp = n[owner], p[owner]
    lp = lg[nn] - lg[k] - lg[nn - k] + special.xlogy(k, pp) + special.xlog1py(nn - k, -pp)
    return np.exp(lp)


def binom_window(n, p, lo_min):
    sd = np.sqrt(n * p * (1 - p))
    mu = n * p
    lo = np.maximum(np.floor(mu - WIDTH * sd - 3), lo_min).astype(np.int64)
    hi = np.minimum(np.ceil(mu + WIDTH * sd + 6), n).astype(np.int64)
    return lo, hi


def binom_law(n, p, codes, lo_min):
    """Per pair: law over the 11 codes of each table in ``codes`` of Binomial(n, p), exactly."""
    m = len(n)
    out = [np.zeros((m, 11)) for _ in codes]
    lo, hi = binom_window(n, p, lo_min)
    for sl in _chunks(hi - lo + 1):
        owner, k = _ragged(lo[sl], hi[sl])
        pm = _binom_pmf(owner, k, n[sl], p[sl])
        sub = [o[sl] for o in out]
        _accumulate(sub, owner, k, pm, codes)
        for o, s_ in zip(out, sub):
            o[sl] = s_
    return out


def binom_mixture_law(n, p, codes, lo_min):
    """Per pair: law of Binomial(n, X1/n), X1 ~ Binomial(n, p) (the resample of a resample), exactly."""
    m = len(n)
    lo, hi = binom_window(n, p, 0)
    owner, k = _ragged(lo, hi)
    w = _binom_pmf(owner, k, n, p)
    use = (w > 1e-15) & (k > 0)
    owner, k, w = owner[use], k[use], w[use]
    nn = n[owner]
    key, inv = np.unique(nn * (1 << 32) + k, return_inverse=True)
    sn = key >> 32
    sk = key & ((1 << 32) - 1)
    laws = binom_law(sn, sk / sn, codes, lo_min)
    out = []
    for law in laws:
        o = np.zeros((m, 11))
        for c in range(11):
            o[:, c] = np.bincount(owner, weights=w * law[inv, c], minlength=m)
        out.append(o)
    return out


def counts(units: Units, j: int, *, seed: int, resamples: int, scoped: bool = True, min_last: int = 100):
    from .digits import MIN_SECOND, DigitCounts, _prepare, second_digit

    idx, x, n, p = _prepare(units, j)
    S = len(units.scopes()) if scoped else 1
    if S > 1:
        reg = units.region[idx]
        code = np.where(reg >= 0, reg + 1, 0).astype(np.int64)
    else:
        code = np.zeros(len(idx), dtype=np.int64)
    ni = n.astype(np.int64)
    xi = x.astype(np.int64)
    vmax = int(ni.max()) if len(ni) else 0
    vals = np.arange(vmax + 1, dtype=np.float64)
    t2 = np.where(vals >= MIN_SECOND, second_digit(np.maximum(vals, 10)), 10).astype(np.int64)
    tL = np.where(vals >= min_last, vals % 10, 10).astype(np.int64)
    codes = (t2, tL)
    lo_min = min(MIN_SECOND, min_last)

    # observed tallies per scope (scope 0 = national = all units)
    o2 = np.zeros((S, 11))
    oL = np.zeros((S, 11))
    if len(xi):
        o2 = np.bincount(code * 11 + t2[xi], minlength=S * 11).reshape(S, 11).astype(float)
        oL = np.bincount(code * 11 + tL[xi], minlength=S * 11).reshape(S, 11).astype(float)
        if S > 1:
            o2[0] = o2.sum(axis=0)
            oL[0] = oL.sum(axis=0)

    key, inv = np.unique(ni * (1 << 32) + xi, return_inverse=True)
    pn = key >> 32
    px = key & ((1 << 32) - 1)
    pp = px / np.maximum(pn, 1)
    var = pn * pp * (1 - pp)
    big = var >= 9.0
    mpairs = len(key)
    P1 = [np.zeros((mpairs, 11)) for _ in codes]
    P2 = [np.zeros((mpairs, 11)) for _ in codes]
    b = np.flatnonzero(big)
    s_ = np.flatnonzero(~big & (pn >= MIN_SECOND))
    if b.size:
        mu = pn[b] * pp[b]
        for tgt, law in zip(P1, normal_law_fast(pn[b], mu, var[b], min_last)):
            tgt[b] = law
        v2 = (2 * pn[b] - 1) * pp[b] * (1 - pp[b]) + 1 / 12
        for tgt, law in zip(P2, normal_law_fast(pn[b], mu, v2, min_last)):
            tgt[b] = law
    if s_.size:
        for tgt, law in zip(P1, binom_law(pn[s_], pp[s_], codes, lo_min)):
            tgt[s_] = law
        for tgt, law in zip(P2, binom_mixture_law(pn[s_], pp[s_], codes, lo_min)):
            tgt[s_] = law

    # pair multiplicities per scope
    w = np.bincount(code * mpairs + inv, minlength=S * mpairs).reshape(S, mpairs).astype(float)
    if S > 1:
        w[0] = w.sum(axis=0)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 2, j]))
    z = rng.standard_normal((2, resamples, S, 10))
    res = []
    for t, (A1, A2) in enumerate(zip(P1, P2)):
        a1, a2 = A1[:, :10], A2[:, :10]
        E1 = w @ a1
        E2 = w @ a2
        sims = np.empty((resamples, S, 10))
        for s in range(S):
            ws = w[s]
            cov = np.diag(E1[s]) - (a1 * ws[:, None]).T @ a1
            ev, Q = np.linalg.eigh((cov + cov.T) / 2)
            L = Q * np.sqrt(np.clip(ev, 0, None))
            sims[:, s, :] = E1[s] + z[t, :, s, :] @ L.T
        exp = np.clip(2 * E1 - E2, 1e-9, None)
        res.append((sims, exp))
    (sim2, exp2), (simL, expL) = res
    zero = np.zeros((S, 10))
    return DigitCounts(units.cand_ids[j], o2[:, :10], oL[:, :10], sim2, simL, exp2, expL, zero, zero.copy(),
               len(idx), x, idx)


def _edges_pmf(owner, lo, hi, mu, sd):
    """Unclipped rounded-normal pmf at every integer of [lo_i, hi_i] (owner i): (owner, value, pmf)."""
    o, k = _ragged(lo - 1, hi)  # CDF at k + ½, k = lo − 1 .. hi
    uo = owner[o]
    c = special.ndtr((k + 0.5 - mu[uo]) / sd[uo])
    same = o[1:] == o[:-1]
    return owner[o[1:][same]], k[1:][same], (c[1:] - c[:-1])[same]


def _poisson_mod10(mu, sd):
    """P(round(Y) ≡ d mod 10), Y ~ N(mu, sd²) unclipped, d = 0..9 (Poisson summation; sd ≥ 3 → 4 terms)."""
    m = np.arange(1, 5)
    # Σₘ 2·e^{−2π²m²σ²/100}·sinc(m/10)·cos(2πm(d − μ)/10) = Re Σₘ cₘ(σ)·e^{−2πimμ/10}·e^{2πimd/10}
    damp = np.exp(-2 * np.pi ** 2 * (m[None, :] ** 2) * (sd[:, None] ** 2) / 100) * (2 * np.sinc(m / 10))[None, :]
    rot = np.exp(-2j * np.pi * mu / 10)
    powers = np.empty((len(mu), 4), dtype=np.complex128)
    powers[:, 0] = rot
    for i in range(1, 4):
        powers[:, i] = powers[:, i - 1] * rot
    basis = np.exp(2j * np.pi * np.outer(m, np.arange(10)) / 10)  # (4, 10)
    return (1.0 + ((damp * powers) @ basis).real) / 10


def _mod10_segment(out, n, mu, sd, s, e, skip=None):
    """Add to ``out`` (m, 11) the law of X mod 10 over X ∈ [s, e_i] (e_i ≤ n_i), X = round(Y) clipped to
    [0, n]: per value where the window inside the segment is short, else Poisson summation minus the
    values outside it."""
    A = np.floor(mu - NWIDTH * sd).astype(np.int64)
    B = np.ceil(mu + NWIDTH * sd).astype(np.int64)
    lo = np.maximum(A, s)
    hi = np.minimum(B, e)
    has = hi >= lo
    if skip is not None:
        has &= ~skip
    n_in = np.where(has, hi - lo + 1, 0)
    n_out = (B - A + 1) - n_in
    direct = np.flatnonzero(has & (n_in <= n_out + 6))
    pois = np.flatnonzero(has & (n_in > n_out + 6))
    if direct.size:
        o, v, pm = _edges_pmf(direct, lo[direct], hi[direct], mu, sd)
        out[:, :10] += np.bincount(o * 10 + v % 10, weights=pm, minlength=len(mu) * 10).reshape(-1, 10)
    if pois.size:
        out[pois, :10] += _poisson_mod10(mu[pois], sd[pois])
        below = pois[A[pois] < s]
        if below.size:
            o, v, pm = _edges_pmf(below, A[below], np.full(below.size, s - 1, dtype=np.int64), mu, sd)
            out[:, :10] -= np.bincount(o * 10 + v % 10, weights=pm, minlength=len(mu) * 10).reshape(-1, 10)
        above = pois[B[pois] > e[pois]]
        if above.size:
            o, v, pm = _edges_pmf(above, e[above] + 1, B[above], mu, sd)
            out[:, :10] -= np.bincount(o * 10 + v % 10, weights=pm, minlength=len(mu) * 10).reshape(-1, 10)
    # the clip at n: all mass above n − ½ sits at n (when n is inside the segment)
    clip = np.flatnonzero(has & (e >= n) & (B >= n))
    if clip.size:
        nn = n[clip]
        tail = special.ndtr((mu[clip] - nn - 0.5) / sd[clip])  # P(Y > n + ½)
        np.add.at(out, (clip, (nn % 10).astype(np.int64)), tail)


def _runs(out, n, mu, sd, s, e, L):
    """Add to ``out`` the second-digit law over X ∈ [s, e] in runs of L values (digit = ⌊X/L⌋ mod 10)."""
    A = np.floor(mu - NWIDTH * sd).astype(np.int64)
    B = np.ceil(mu + NWIDTH * sd).astype(np.int64)
    lo = np.maximum(A, s)
    hi = np.minimum(np.minimum(B, e), n)
    u = np.flatnonzero(hi >= lo)
    if not u.size:
        return
    r0 = lo[u] // L
    r1 = hi[u] // L
    o, r = _ragged(r0 - 1, r1)  # point r: end of run r (clipped to the window); r0 − 1: lo − 1
    uo = u[o]
    end = np.where(r < r0[o], lo[u][o] - 1, np.minimum((r + 1) * L - 1, hi[u][o]))
    F = np.where(end >= n[uo], 1.0, special.ndtr((end + 0.5 - mu[uo]) / sd[uo]))
    same = o[1:] == o[:-1]
    pm = (F[1:] - F[:-1])[same]
    code = (r[1:][same] % 10).astype(np.int64)
    out[:, :10] += np.bincount(uo[1:][same] * 10 + code, weights=pm, minlength=len(mu) * 10).reshape(-1, 10)


def normal_law_fast(n, mu, var, min_last):
    """``normal_law`` for the second-digit and last-digit tables, by runs and Poisson summation:
    the same values (to ~1e-8) at a fraction of the cost for large units."""
    n = np.asarray(n, dtype=np.int64)
    sd = np.sqrt(var)
    m = len(n)
    o2 = np.zeros((m, 11))
    oL = np.zeros((m, 11))
    # windows across 100 (inside [10, n]): the second digits of 10–99 and the last digits of ≥ 100
    # split the same values, so one per-value sum over the shorter side serves both, with one
    # Poisson sum for the other side
    skip = None
    if min_last == 100 and m:
        A = np.floor(mu - NWIDTH * sd).astype(np.int64)
        B = np.ceil(mu + NWIDTH * sd).astype(np.int64)
        skip = (A >= 10) & (A < 100) & (B >= 100) & (B <= n)
        idx = np.flatnonzero(skip)
        if idx.size:
            P = np.zeros((m, 10))
            P[idx] = _poisson_mod10(mu[idx], sd[idx])
            low = (100 - A[idx]) <= (B[idx] - 99)
            for side, (a, b), tgt, other in ((idx[low], (A, None), o2, oL), (idx[~low], (None, B), oL, o2)):
                if not side.size:
                    continue
                lo_ = A[side] if a is not None else np.full(side.size, 100, dtype=np.int64)
                hi_ = np.full(side.size, 99, dtype=np.int64) if a is not None else B[side]
                o, v, pm = _edges_pmf(side, lo_, hi_, mu, sd)
                R = np.bincount(o * 10 + v % 10, weights=pm, minlength=m * 10).reshape(m, 10)
                tgt[side, :10] += R[side]
                other[side, :10] += P[side] - R[side]
    _mod10_segment(o2, n, mu, sd, 10, np.minimum(n, 99), skip)
    L, lo = 10, 100
    vmax = int(n.max()) if m else 0
    while lo <= vmax:
        _runs(o2, n, mu, sd, lo, 10 * lo - 1, L)
        L, lo = L * 10, lo * 10
    _mod10_segment(oL, n, mu, sd, min_last, n, skip)
    return [o2, oL]
