"""Excess of units whose turnout or leader share is a whole percentage (Kobak, Shpilkin & Pshenichnikov 2016).

Citation: D. Kobak, S. Shpilkin, M. S. Pshenichnikov, "Integer percentages as
electoral falsification fingerprints", Annals of Applied Statistics 10(1):54–73,
2016; the count-based variant of their later notebooks (dkobak/elections).

Statistic: the number of included units whose turnout (turnout numerator ÷
registered) or leader share (leader ÷ share denominator) lies within ±0.05
percentage points of an integer. Null: binomial Monte Carlo — for each unit,
draw turnout ~ Binomial(registered, observed turnout)/registered and leader
share ~ Binomial(share denominator, observed share)/denominator, count integer
units, repeat R times. Excess = observed − mean of the draws, with its Monte
Carlo standard deviation; one-sided p = (1 + #{draw ≥ observed}) / (R + 1).

Inclusion (Russia provenance quirk 6, as in the authors' notebooks): registered
≥ 100, share denominator > 0, turnout ≤ 99 % and leader share ≤ 99 %.

Assumptions: each unit's counts would, absent manipulation, be smooth around
its own rates (no preference for round numbers); units are independent.
Detects: officials writing target percentages. Cannot see: falsification that
does not aim at round numbers (proportional stuffing, switching to
non-round targets), nor rounding in units below 100 voters.
"""

from __future__ import annotations

import numpy as np

from .base import Applicability, TestResult, draw_binomial, mc_p_value, run_batches
from .units import Units

SLUG = "integer-percent"
MIN_UNITS = 300
MIN_REGISTERED = 100
MAX_RATE = 0.99
TOL = 0.05  # percentage points
#: resamples per clean simulation in calibration: the statistic is a count compared with its draws,
#: so the Monte Carlo test has exact size at R = 19 (see calibration.DEFAULT_RESAMPLES)
CALIBRATION_RESAMPLES = 19


def inclusion(units: Units) -> np.ndarray:
    t = units.turnout()
    s = units.share()
    with np.errstate(invalid="ignore"):
        m = (units.usable & (units.registered >= MIN_REGISTERED) & (units.share_den > 0)
             & (t <= MAX_RATE) & (s <= MAX_RATE) & (units.turnout_num >= 0))
    return np.asarray(m, dtype=bool)


def is_integer_pct(x: np.ndarray) -> np.ndarray:
    y = x * 100.0
    return np.abs(y - np.rint(y)) <= TOL + 1e-9


def hit_probability(n: np.ndarray, p: np.ndarray, width: float = 6.5, chunk: int = 40_000) -> np.ndarray:
    """P(100·X/n is within ±0.05 of an integer) for X ~ Binomial(n, p), exactly, per unit.

    Sums the binomial pmf over the lattice points k/n that fall in an integer
    window, for windows within ``width`` SDs of the mean (the rest has
    probability below 1e-15).
    """
    from scipy import special

    if len(n) > chunk:  # bounded memory: the lattice expansion is ~50 entries per unit
        return np.concatenate([hit_probability(n[i:i + chunk], p[i:i + chunk], width, chunk)
                               for i in range(0, len(n), chunk)])
    n = n.astype(np.int64)
    sd = np.sqrt(np.maximum(n * p * (1 - p), 0.25))
    lo = np.clip(np.floor(100 * (n * p - width * sd - 1) / n), 0, 100).astype(np.int64)
    hi = np.clip(np.ceil(100 * (n * p + width * sd + 1) / n), 0, 100).astype(np.int64)
    cnt = hi - lo + 1
    unit = np.repeat(np.arange(len(n)), cnt)
    j = np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt) + lo[unit]
    nn = n[unit]
    # the lattice points of window j: 100·k/n within ±TOL of j (bounds widened by 1e-9 like
    # is_integer_pct; the exact test below drops any point a rounding error let in)
    kmin = np.ceil(nn * (j - TOL - 1e-9) / 100).astype(np.int64)
    kmax = np.floor(nn * (j + TOL + 1e-9) / 100).astype(np.int64)
    cnt2 = np.maximum(kmax - kmin + 1, 0)
    # below 1,000 voters a window holds at most one lattice point: take the first point of every
    # non-empty window directly and expand only the windows that hold more
    first = cnt2 >= 1
    multi = np.flatnonzero(cnt2 >= 2)
    ec = cnt2[multi] - 1
    k = np.concatenate([kmin[first], np.repeat(kmin[multi] + 1, ec)
                        + np.arange(ec.sum()) - np.repeat(np.cumsum(ec) - ec, ec)])
    unit2 = np.concatenate([unit[first], np.repeat(unit[multi], ec)])
    j2 = np.concatenate([j[first], np.repeat(j[multi], ec)])
    n2 = n[unit2]
    y = 100.0 * k / n2
    # each lattice point belongs to the window of its own integer j only (no double counting)
    keep = (k >= 0) & (k <= n2) & (np.abs(y - j2) <= TOL + 1e-9)
    k, n2, unit2 = k[keep], n2[keep], unit2[keep]
    # binomial pmf from a log-factorial table (exact to ~1e-13, 10× faster than scipy's pmf);
    # log p and log q floored at 1e-300 so that 0 · log 0 = 0 without a branch
    lf = special.gammaln(np.arange(int(n.max()) + 2, dtype=np.float64) + 1.0)  # log k!
    lp = np.log(np.maximum(p, 1e-300))
    lq = np.log(np.maximum(1.0 - p, 1e-300))
    logpmf = lf[n2] - lf[k] - lf[n2 - k] + k * lp[unit2] + (n2 - k) * lq[unit2]
    pm = np.exp(logpmf)
    return np.minimum(np.bincount(unit2, weights=pm, minlength=len(n)), 1.0)


def _hit_probability_unique(n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """``hit_probability`` computed once per distinct (n, p) pair (same values)."""
    if len(n) < 50_000:  # finding the pairs costs more than it saves on small elections
        return hit_probability(n, p)
    pairs, inv = np.unique(np.asarray(n, dtype=np.float64) + 1j * np.asarray(p, dtype=np.float64),
                           return_inverse=True)
    return hit_probability(pairs.real.copy(), pairs.imag.copy())[inv.reshape(-1)]


#: entries kept by a shared hit-probability cache (~100 bytes each)
HIT_CACHE_MAX = 500_000


def _hit_probability_cached(n: np.ndarray, p: np.ndarray, cache: dict) -> np.ndarray:
    """``hit_probability`` read from ``cache`` (keyed by (n, p)) where it holds the pair, computed and
    added otherwise (same values: each unit's probability depends on its own n and p only).

    The calibration shares one cache across its simulated elections: their units keep the
    data's sizes, so the same (n, p) pairs come back (Indonesia: ~99 % of them after 100
    elections; Russia ~55 %)."""
    keys = (np.asarray(n, dtype=np.float64) + 1j * np.asarray(p, dtype=np.float64)).tolist()
    get = cache.get
    out = np.fromiter((get(z, -1.0) for z in keys), dtype=np.float64, count=len(keys))
    miss = np.flatnonzero(out < 0)
    if miss.size:
        new = hit_probability(np.asarray(n)[miss], np.asarray(p)[miss])
        out[miss] = new
        if len(cache) < HIT_CACHE_MAX:
            cache.update(zip([keys[i] for i in miss.tolist()], new.tolist()))
    return out


def validate(units: Units, mask: np.ndarray | None = None) -> Applicability:
    m = inclusion(units)
    if mask is not None:
        m &= mask
    n = int(m.sum())
    if np.isnan(units.registered).all():
        return Applicability(False, "needs registered voters per unit (turnout); none in this tally")
    if n < MIN_UNITS:
        return Applicability(False, f"needs ≥ {MIN_UNITS} units with ≥ {MIN_REGISTERED} registered and "
                                    f"turnout and leader share ≤ 99 %; {n} here")
    cav = []
    if units.notes.get("turnout_caveat"):
        cav.append(units.notes["turnout_caveat"])
    med = float(np.median(units.registered[m]))
    if med < 1000:
        cav.append(f"median unit has {med:,.0f} registered voters: 1/n ≈ {100 / med:.2f} points, so many "
                   "units sit on integers by chance; only the excess over the Monte Carlo baseline counts")
    return Applicability(True, caveats=cav)


def run(units: Units, *, seed: int = 0, resamples: int = 1000, scoped: bool = True,
        method: str = "exact") -> list[TestResult]:
    """``method="exact"``: each resample draws every unit's integer/non-integer outcome
    with its exact binomial probability (same null as drawing the counts, ~50× faster);
    ``method="binomial"``: draws the counts themselves, as in the authors' notebooks."""
    app = validate(units)
    if not app:
        return [TestResult(SLUG, "national", f"turnout|{units.leader_id}", None, None, False, [app.reason])]
    m = inclusion(units)
    idx = np.flatnonzero(m)
    n1 = units.registered[idx]
    p1 = units.turnout()[idx]
    n2 = units.share_den[idx]
    p2 = units.share()[idx]
    # exact fractions: k/n with integer k (observed counts)
    hit_t = is_integer_pct(p1)
    hit_s = is_integer_pct(p2)
    hit = hit_t | hit_s
    scopes = units.scopes() if scoped else [("national", None)]
    n_scope = len(scopes)
    reg = units.region[idx] if (units.region is not None and n_scope > 1) else None
    if reg is not None:  # units sorted by region, for per-region sums with reduceat
        order = np.flatnonzero(reg >= 0)
        order = order[np.argsort(reg[order], kind="stable")]
        present, starts = np.unique(reg[order], return_index=True)

    if method == "exact":
        cache = units.notes.get("_hit_cache")  # set by the calibration, shared by its elections
        if cache is not None:
            pt = _hit_probability_cached(n1, p1, cache)
            ps = _hit_probability_cached(n2, p2, cache)
        else:
            pt = _hit_probability_unique(n1, p1)
            ps = _hit_probability_unique(n2, p2)
        # one 32-bit uniform r per unit places both outcomes (independent given the unit):
        # [0, pt·ps) both, [pt·ps, pt) turnout only, [pt, pt + (1 − pt)·ps) share only — so
        # #turnout = #{r < Tt}, #either = #{r < Tu}, #share = #{r < Tb} + #either − #turnout
        scale = float(1 << 32)
        cut = lambda q: np.minimum(np.rint(q * scale), scale - 1).astype(np.uint32)  # noqa: E731
        Tt, Tb, Tu = cut(pt), cut(pt * ps), cut(pt + (1 - pt) * ps)

    def batch(rng: np.random.Generator, size: int):
        out = np.empty((size, 3, n_scope))
        if method == "exact":
            r = rng.integers(0, 1 << 32, (size, len(idx)), dtype=np.uint32)
            lows = [r < Tu, r < Tt, r < Tb]
            for j, arr in enumerate(lows):
                out[:, j, 0] = np.count_nonzero(arr, axis=1)
            if reg is not None:
                for j, arr in enumerate(lows):
                    sums = np.add.reduceat(arr[:, order].astype(np.int32), starts, axis=1) if len(order) else 0
                    out[:, j, 1:] = 0
                    out[:, j, 1 + present] = sums
            out[:, 2, :] += out[:, 0, :] - out[:, 1, :]
            return out
        ht = is_integer_pct(draw_binomial(rng, n1, p1, size) / n1)
        hs = is_integer_pct(draw_binomial(rng, n2, p2, size) / n2)
        h = ht | hs
        out[:, 0, 0] = np.count_nonzero(h, axis=1)
        out[:, 1, 0] = np.count_nonzero(ht, axis=1)
        out[:, 2, 0] = np.count_nonzero(hs, axis=1)
        if reg is not None:
            for j, arr in enumerate((h, ht, hs)):
                sums = np.add.reduceat(arr[:, order].astype(np.int32), starts, axis=1) if len(order) else 0
                out[:, j, 1:] = 0
                out[:, j, 1 + present] = sums
        return out

    sims = np.concatenate(run_batches(seed, resamples, batch), axis=0)  # (R, 3, S)
    results = []
    for s, (scope, mask) in enumerate(scopes):
        if mask is not None:
            sub = mask[idx]
            if sub.sum() < MIN_UNITS:
                results.append(TestResult(SLUG, scope, f"turnout|{units.leader_id}", None, None, False,
                                          [f"needs ≥ {MIN_UNITS} included units; {int(sub.sum())} here"]))
                continue
        else:
            sub = np.ones(len(idx), dtype=bool)
        obs = float(hit[sub].sum())
        null = sims[:, 0, s]
        exp, sd = float(null.mean()), float(null.std(ddof=1)) if len(null) > 1 else float("nan")
        res = TestResult(
            SLUG, scope, f"turnout|{units.leader_id}", statistic=obs - exp,
            p_value=mc_p_value(obs, null), caveats=list(app.caveats) if s == 0 else [],
            details={
                "excess": obs - exp, "sd": sd, "n_tested": int(sub.sum()), "observed": obs,
                "expected": exp, "z": (obs - exp) / sd if sd > 0 else float("nan"),
                "observed_integer_turnout": int(hit_t[sub].sum()),
                "expected_integer_turnout": float(sims[:, 1, s].mean()),
                "observed_integer_share": int(hit_s[sub].sum()),
                "expected_integer_share": float(sims[:, 2, s].mean()),
                "resamples": resamples, "null": method, "turnout_basis": units.turnout_basis,
                "share_basis": units.share_basis, "leader": units.leader_id,
                "inclusion": f"registered ≥ {MIN_REGISTERED}, {units.share_basis} > 0, turnout ≤ 99 %, "
                             "leader share ≤ 99 %",
            })
        if s == 0:
            res.unit_flags = {"INT_TURNOUT": idx[hit_t], "INT_SHARE": idx[hit_s]}
        results.append(res)
    return results
