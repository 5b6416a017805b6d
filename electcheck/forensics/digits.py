"""Shared engine of the digit tests: observed digit counts and their resampled null.

One pass of binomial draws per candidate serves the second-digit, last-digit
and 0/5 tests: each resample draws every unit's candidate count from
Binomial(valid, observed share) — the data's own unit sizes and rates — and
tallies second digits (counts ≥ 10) and last digits (counts ≥ ``min_last``)
by scope — or, where cheaper, computes the same null exactly (``exact.py``: each
distinct (valid, count) pair's digit law, the tallies drawn from their exact mean and
covariance). Results are cached on the Units object, keyed by seed and resamples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import TestResult, draw_binomial, floor_tables, normal_table, run_batches, walk_cdf
from .units import Units

MIN_LAST = 100
MIN_SECOND = 10
MIN_VALUES = 300
_THRESH = np.array([10 ** k for k in range(1, 12)], dtype=np.float64)

#: textbook second-digit Benford frequencies (digits 0–9)
BENFORD2 = np.array([sum(np.log10(1 + 1 / (10 * k + d)) for k in range(1, 10)) for d in range(10)])


def second_digit(x: np.ndarray) -> np.ndarray:
    """Second significant digit of integers ≥ 10 (exact, no floating logs)."""
    nd = np.searchsorted(_THRESH, x, side="right")  # digits − 1
    div = np.power(10.0, nd - 1)
    return (np.floor(x / div) % 10).astype(np.int64)


@dataclass
class DigitCounts:
    """Observed and resampled digit counts for one candidate, per scope."""

    cand: str
    obs2: np.ndarray   # (S, 10) second digits
    obsL: np.ndarray   # (S, 10) last digits
    sim2: np.ndarray   # (R, S, 10)
    simL: np.ndarray   # (R, S, 10)
    #: expected counts at zero extra smoothing (Richardson: 2·E[one resample] − E[resample of a resample])
    exp2: np.ndarray   # (S, 10)
    expL: np.ndarray   # (S, 10)
    #: sampling variance of exp2 / expL (from the resamples that estimate them)
    var_exp2: np.ndarray
    var_expL: np.ndarray
    n_units: int
    #: observed counts per unit (for the station list)
    values: np.ndarray
    index: np.ndarray


def _base(units: Units, j: int):
    x = units.cand[:, j]
    n = units.valid
    with np.errstate(invalid="ignore"):
        ok = units.usable & (n > 0) & ~np.isnan(x) & (x >= 0) & (x <= n)
    idx = np.flatnonzero(ok)
    return idx, x[idx], n[idx]


def _prepare(units: Units, j: int):
    idx, x, n = _base(units, j)
    p = np.where(n > 0, x / np.maximum(n, 1), 0.0)
    # units whose count cannot plausibly reach 10 never enter a digit tally: drop them
    keep = x + 6 * np.sqrt(n * p * (1 - p)) + 1 >= MIN_SECOND
    return idx[keep], x[keep], n[keep], p[keep]


#: CPU of the exact digit law of one distinct (valid, count) pair, in units of one resampled unit-draw
#: (measured on Russia 2012 and Indonesia 2019: ~9–15 µs against ~10 ns); the exact null is used
#: when it is the cheaper of the two (the same null to Monte Carlo error)
EXACT_COST = 1000.0


def _choose(units: Units, j: int, resamples: int) -> str:
    from . import exact
    idx, x, n, p = _prepare(units, j)
    k2 = max(20, resamples // 10)
    draws = len(n) * (resamples + 2 * k2)
    if len(n) < 2:
        return "draws"
    if len(n) * EXACT_COST >= draws:
        # the exact laws cost at least one law per distinct pair: only worth finding the pairs when
        # the units outnumber what the draws would cost in laws
        cache = units.notes.setdefault("_cache", {})
        key = ("pairs", j)
        if key not in cache:
            # the pairs among the first units are a lower bound: when they alone cost more in laws
            # than the draws, the draws win without counting the rest (same choice, a fraction of
            # the sort: the calibration's 5,000-unit elections)
            m = 4 * int(np.ceil(draws / EXACT_COST))
            if m < len(n) and exact.pairs(x[:m], n[:m]) * EXACT_COST >= draws:
                return "draws"
            cache[key] = exact.pairs(x, n)
        return "exact" if cache[key] * EXACT_COST < draws else "draws"
    return "exact"


def prefetch(units: Units, js: list[int], *, seed: int, resamples: int, scoped: bool = True,
             min_last: int = MIN_LAST) -> None:
    """Compute (and cache) ``counts`` for candidates ``js``: the exact ones on ``threads()`` threads
    (one candidate each; the draws thread their own batches). Same values as one at a time."""
    from .base import threads

    ex = [j for j in js if _choose(units, j, resamples) == "exact"]
    nt = threads()
    if nt > 1 and len(ex) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=nt) as pool:
            list(pool.map(lambda j: counts(units, j, seed=seed, resamples=resamples, scoped=scoped,
                                           min_last=min_last), ex))


#: the second stage's tables (P(X < 10) and pmf(10) of Binomial(n, k/n), k ≤ 40) depend on the unit's
#: size only: one table shared by every call, for sizes below this (66 KB per 100 sizes; 21 MB at most)
_TABLE_MAX_N = 1 << 15
_TABLES: tuple[np.ndarray, np.ndarray] | None = None


def _second_stage_tables(n: np.ndarray, kt: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``floor_tables(n, kt, MIN_SECOND)`` as (below, pmf, row): the entries of unit i are row ``row[i]``.

    Read from a table shared by every call (sizes 0 … max seen, grown by doubling) when the sizes are
    below ``_TABLE_MAX_N``, else computed for these units. The same values either way: every entry
    is computed from its own size alone."""
    global _TABLES
    nmax = int(n.max()) if len(n) else 0
    if nmax >= _TABLE_MAX_N:
        below, pm = floor_tables(n, kt, MIN_SECOND)
        return below, pm, np.arange(len(n))
    tab = _TABLES
    if tab is None or tab[0].shape[0] <= nmax or tab[0].shape[1] != kt + 1:
        size = 1024
        while size <= nmax:
            size *= 2
        tab = floor_tables(np.arange(size, dtype=np.float64), kt, MIN_SECOND)
        _TABLES = tab  # one assignment: threads see the old table or the new one, both valid
    return tab[0], tab[1], n.astype(np.intp)


def counts(units: Units, j: int, *, seed: int, resamples: int, scoped: bool = True,
           min_last: int = MIN_LAST, method: str = "auto") -> DigitCounts:
    """Observed digit counts and their null for candidate ``j``.

    ``method="draws"``: every unit's count redrawn R times (and the Richardson second stage
    drawn); ``"exact"``: each distinct (valid, count) pair's digit law computed exactly and the
    tallies' null drawn from their exact mean and covariance (``exact.py``); ``"auto"``: whichever
    costs less CPU for these units (both compute the same null to Monte Carlo error).
    """
    if method == "auto":
        method = _choose(units, j, resamples)
    key = ("digits", j, seed, resamples, scoped, min_last, method)
    cache = units.notes.setdefault("_cache", {})  # setdefault is atomic under the GIL (prefetch threads)
    if key in cache:
        return cache[key]
    if method == "exact":
        from . import exact
        out = exact.counts(units, j, seed=seed, resamples=resamples, scoped=scoped, min_last=min_last)
        cache[key] = out
        return out
    if method != "draws":
        raise ValueError(method)
    idx, x, n, p = _prepare(units, j)
    # put units drawn by the normal approximation first (contiguous slices are faster)
    order = np.argsort(~(n * p * (1 - p) >= 9.0), kind="stable")
    idx, x, n, p = idx[order], x[order], n[order], p[order]
    S = len(units.scopes()) if scoped else 1
    if S > 1:
        reg = units.region[idx]
        code = np.where(reg >= 0, reg + 1, 0)  # 0 = national only
    else:
        code = np.zeros(len(idx), dtype=np.int64)

    vmax = int(np.nanmax(n)) if len(n) else 0
    vals = np.arange(vmax + 1, dtype=np.float64)
    t2 = np.where(vals >= MIN_SECOND, second_digit(np.maximum(vals, 10)), 10).astype(np.int32)
    tL = np.where(vals >= min_last, vals % 10, 10).astype(np.int32)
    # one lookup and one bincount per batch: combined (second, last) digit code in 0..120
    t21 = (t2 * 11 + tL).astype(np.uint8)  # one byte per lookup: the cheapest gather
    base = (code * 121).astype(np.intp)

    def tally(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """v: (B, N) integer counts → second-digit and last-digit counts (B, S, 10)."""
        B = v.shape[0]
        idx_ = np.take(t21, v)
        if S == 1:  # one bincount per draw: no offsets to add
            c = np.stack([np.bincount(row, minlength=121) for row in idx_]).reshape(B, 1, 11, 11)
        else:
            idx_ = idx_.astype(np.intp)
            idx_ += base[None, :]
            idx_ += (np.arange(B, dtype=np.intp) * (S * 121))[:, None]
            c = np.bincount(idx_.ravel(), minlength=B * S * 121).reshape(B, S, 11, 11)
        c2 = c.sum(axis=3)[:, :, :10]
        cL = c.sum(axis=2)[:, :, :10]
        if S > 1:  # national = all units
            c2 = c2.copy()
            cL = cL.copy()
            c2[:, 0, :] = c2.sum(axis=1)
            cL[:, 0, :] = cL.sum(axis=1)
        return c2, cL

    o2, oL = tally(x[None, :].astype(np.int64))
    batch = int(max(1, min(16, 4_000_000 // max(len(idx), 1))))

    def one(rng: np.random.Generator, size: int):
        # values below 10 never enter a digit tally: exact draws may report them as 0
        v = draw_binomial(rng, n, p, size, exact=False, dtype=np.int32, floor=MIN_SECOND)
        return tally(v)

    nbig = int(np.sum(n * p * (1 - p) >= 9.0))  # units drawn by the normal approximation come first
    n_big = n[:nbig].astype(np.float32)
    KT = 40  # first draws covered by the second stage's tables
    below_t, pm_t, row = _second_stage_tables(n[nbig:], KT)

    def two(rng: np.random.Generator, size: int):
        v1 = draw_binomial(rng, n, p, size, exact=False, dtype=np.float32)
        # the resample of a resample, drawn with the same split of units as the first draw:
        # normal approximation around each first draw (its own binomial variance) for the large units...
        out = np.empty((size, len(n)), dtype=np.int32)
        if nbig:
            mu = v1[:, :nbig]
            sd = np.sqrt(np.maximum(mu * (n_big - mu) / np.maximum(n_big, 1), 0))
            z = np.take(normal_table(), rng.integers(0, 1 << 16, mu.shape, dtype=np.uint16))
            z *= sd
            z += mu
            np.rint(z, out=z)
            np.clip(z, 0, n_big, out=z)
            out[:, :nbig] = z
        # ...exact draws for the small ones: Binomial(n, v1/n) by inversion from tables of P(X < 10)
        # and pmf(10) per (unit, first draw) — only the draws that reach 10 walk on; draws the
        # tables do not cover (first draw above the table, above n/2, or a large variance) go
        # through draw_binomial one (draw, unit) at a time
        if nbig < len(n):
            k1 = v1[:, nbig:].astype(np.int64)
            ns_ = n[nbig:]
            q2 = k1 / np.maximum(ns_, 1)
            tab = (k1 <= KT) & (2 * k1 <= ns_) & (ns_ >= MIN_SECOND) & (ns_ * q2 * (1 - q2) < 9.0)
            small_out = np.zeros(k1.shape, dtype=np.int64)
            flat = small_out.reshape(-1)
            cell = (row * (KT + 1))[None, :] + np.minimum(k1, KT)
            u = rng.random(k1.shape)
            below = np.take(below_t, cell)
            act = np.flatnonzero(tab & (u > below))
            if act.size:
                cc = cell.reshape(-1)[act]
                pm = pm_t.reshape(-1)[cc]
                qa = q2.reshape(-1)[act]
                walk_cdf(flat, act, u.reshape(-1)[act], below.reshape(-1)[act] + pm,
                         np.full(act.size, MIN_SECOND, dtype=np.int64), pm,
                         np.broadcast_to(ns_, k1.shape).reshape(-1)[act], qa / (1 - qa))
            rest = np.flatnonzero(~tab.reshape(-1) & (np.broadcast_to(ns_, k1.shape) >= MIN_SECOND).reshape(-1))
            if rest.size:
                nr = np.broadcast_to(ns_, k1.shape).reshape(-1)[rest]
                flat[rest] = draw_binomial(rng, nr, q2.reshape(-1)[rest], 1, exact=False, dtype=np.int64,
                                           floor=MIN_SECOND)[0]
            out[:, nbig:] = small_out
        return tally(out)

    parts = run_batches(np.random.SeedSequence([seed, 2, j]), resamples, one, batch=batch)
    sim2 = np.concatenate([a for a, _ in parts], axis=0)
    simL = np.concatenate([b for _, b in parts], axis=0)
    # resampling around the observed counts smooths the count distribution once more than
    # the data were smoothed by chance; where the distribution is curved this biases the
    # expected digits. Removing the first-order bias: E0 ≈ 2·E1 − E2 (Richardson).
    k2 = max(20, resamples // 10)
    parts2 = run_batches(np.random.SeedSequence([seed, 3, j]), k2, two, batch=batch)
    s2_2 = np.concatenate([a for a, _ in parts2], axis=0).astype(float)
    s2_L = np.concatenate([b for _, b in parts2], axis=0).astype(float)
    exp2 = np.clip(2 * sim2.mean(axis=0) - s2_2.mean(axis=0), 1e-9, None)
    expL = np.clip(2 * simL.mean(axis=0) - s2_L.mean(axis=0), 1e-9, None)
    R = max(resamples, 2)
    var2 = 4 * sim2.var(axis=0, ddof=1) / R + s2_2.var(axis=0, ddof=1) / k2
    varL = 4 * simL.var(axis=0, ddof=1) / R + s2_L.var(axis=0, ddof=1) / k2
    out = DigitCounts(units.cand_ids[j], o2[0], oL[0], sim2, simL, exp2, expL, var2, varL, len(idx), x, idx)
    cache[key] = out
    return out


def chi2(obs: np.ndarray, exp: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nansum(np.where(exp > 0, (obs - exp) ** 2 / exp, 0.0), axis=-1)


def distance(obs: np.ndarray, exp: np.ndarray, sims: np.ndarray, var_exp: np.ndarray) -> tuple[float, np.ndarray]:
    """Observed and null distances, each bin standardised by its resampled variance.

    Observed: Σ (O − E0)² / (V + var(E0)), E0 the bias-corrected expectation (its own
    estimation error included). Null: Σ (S_r − mean S)² / V over the resamples.
    """
    R = sims.shape[0]
    V = sims.var(axis=0, ddof=1)
    V = np.where(V > 0, V, np.maximum(exp, 1e-9))
    stat = float(np.sum((obs - exp) ** 2 / (V + var_exp)))
    null = np.sum((sims - sims.mean(axis=0)) ** 2 / V, axis=-1) * R / (R - 1)
    return stat, null


def candidates(units: Units, min_count: int) -> list[int]:
    """Candidates with at least MIN_VALUES unit counts ≥ min_count, largest first."""
    cache = units.notes.setdefault("_cache", {})
    key = ("candidates", min_count, id(units.cand))  # a replace(cand=…) copy shares notes
    if key in cache:
        return list(cache[key])
    out = []
    for j in np.argsort(-np.nansum(units.cand, axis=0)):
        x = units.cand[units.usable, j]
        if np.sum(x >= min_count) >= MIN_VALUES:
            out.append(int(j))
    cache[key] = tuple(out)
    return out


def last_digit_cells(units: Units, slug: str, out: list, *, seed: int, resamples: int, scoped: bool,
                     min_count: int):
    """Per candidate and scope with enough counts: (counts, scope index, scope, observed, N, simulated).

    Shared by the last-digit and zero-five tests, which read the same draws differently; a scope
    with too few counts gets its not-applicable result appended to ``out`` instead.
    """
    scopes = units.scopes() if scoped else [("national", None)]
    for j in candidates(units, min_count):
        dc = counts(units, j, seed=seed, resamples=resamples, scoped=scoped, min_last=min_count)
        for s, (scope, _) in enumerate(scopes):
            obs = dc.obsL[s].astype(float)
            N = obs.sum()
            if N < MIN_VALUES:
                out.append(TestResult(slug, scope, dc.cand, None, None, False,
                                      [f"needs ≥ {MIN_VALUES} counts ≥ {min_count}; {int(N)} here"]))
                continue
            yield dc, s, scope, obs, N, dc.simL[:, s, :].astype(float)
