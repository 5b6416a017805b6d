"""Result objects shared by every forensic test, and the Monte Carlo batch runner.

Every random draw in this package goes through a seeded ``numpy.random.Generator``.
Resamples are processed in fixed batches; batch ``b`` always uses child ``b`` of
``SeedSequence(seed)``, so results do not depend on how many threads run them.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


@dataclass
class Applicability:
    applicable: bool
    reason: str = ""
    caveats: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.applicable


@dataclass
class TestResult:
    """One p-value (or one refusal) for one test, subject and scope."""

    test: str
    scope: str
    subject: str
    statistic: float | None
    p_value: float | None
    applicable: bool = True
    caveats: list[str] = field(default_factory=list)
    q_value: float | None = None
    calibration: str | None = None
    #: test-specific numbers (excess, sd, observed/expected frequencies, ...)
    details: dict[str, Any] = field(default_factory=dict)
    #: per-unit flags (unit index array) with a reason code, for the station list
    unit_flags: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def in_family(self) -> bool:
        """Takes part in Benjamini–Hochberg: applicable, has a p-value, not anti-conservative."""
        return self.applicable and self.p_value is not None and self.calibration != "anti-conservative"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "test": self.test, "scope": self.scope, "subject": self.subject,
            "statistic": _num(self.statistic), "p_value": _num(self.p_value),
            "q_value": _num(self.q_value), "calibration": self.calibration,
            "applicable": self.applicable, "caveats": list(self.caveats),
        }
        for k in ("excess", "sd"):
            if k in self.details:
                d[k] = _num(self.details[k])
        d["details"] = {k: _num(v) for k, v in self.details.items() if k not in ("excess", "sd")}
        return d


def _num(v: Any) -> Any:
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        v = float(v)
        return None if np.isnan(v) else round(v, 6) if abs(v) < 1e12 else v
    if isinstance(v, np.ndarray):
        return [_num(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [_num(x) for x in v]
    if isinstance(v, dict):
        return {k: _num(x) for k, x in v.items()}
    return v


def mc_p_value(observed: float, null: np.ndarray, side: str = "greater") -> float:
    """(1 + #{null ≥ observed}) / (R + 1): never 0, exact size for R+1 multiples of 1/α."""
    null = np.asarray(null, dtype=float)
    if side == "greater":
        k = int(np.sum(null >= observed - 1e-12))
    elif side == "less":
        k = int(np.sum(null <= observed + 1e-12))
    else:
        raise ValueError(side)
    return (1 + k) / (len(null) + 1)


BATCH = 16


_LOCAL = threading.local()


def threads() -> int:
    """Threads for one Monte Carlo call: ``ELECTCHECK_THREADS``, else up to two; one inside ``one_thread()``."""
    if getattr(_LOCAL, "one", False):
        return 1
    env = os.environ.get("ELECTCHECK_THREADS")
    if env and env.isdigit():
        return max(1, int(env))
    return max(1, min(2, os.cpu_count() or 1))


@contextmanager
def one_thread():
    """Run the enclosed Monte Carlo calls on the calling thread only (for callers that already run
    several of them at once, e.g. the calibration's simulated elections). Same values: batches are
    seeded by their index, not by the thread that runs them."""
    prev = getattr(_LOCAL, "one", False)
    _LOCAL.one = True
    try:
        yield
    finally:
        _LOCAL.one = prev


def run_batches(seed: int | np.random.SeedSequence, resamples: int,
                fn: Callable[[np.random.Generator, int], Any], batch: int = BATCH) -> list[Any]:
    """Call ``fn(rng, size)`` for consecutive batches of resamples; results in batch order."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    sizes = [batch] * (resamples // batch) + ([resamples % batch] if resamples % batch else [])
    children = ss.spawn(len(sizes))
    jobs = [(np.random.Generator(np.random.PCG64(c)), s) for c, s in zip(children, sizes)]
    nt = threads()
    if nt == 1 or len(jobs) == 1:
        return [fn(r, s) for r, s in jobs]
    with ThreadPoolExecutor(max_workers=nt) as ex:
        return list(ex.map(lambda job: fn(*job), jobs))


def draw_binomial(rng: np.random.Generator, n: np.ndarray, p: np.ndarray, size: int,
                  exact: bool = True, normal_above: float = 9.0, dtype=np.float64,
                  floor: int = 0) -> np.ndarray:
    """``size`` × len(n) draws of Binomial(n, p).

    ``exact=False`` uses the rounded normal approximation where n·p·(1−p) ≥
    ``normal_above`` (five times faster; the lattice error is far below Monte
    Carlo error for digit tests; the normal deviates are read from a table of
    2¹⁶ equiprobable quantiles indexed by random 16-bit integers — steps of
    4e-5 SD near the centre, tails cut at 4.3 SD, i.e. far finer than the
    rounding to whole votes, and 2.5× faster than the ziggurat) and exact draws elsewhere: by sequential
    inversion (``binomial_inversion``) where that is cheap, numpy's sampler
    otherwise. ``floor`` > 0 lets the exact draws report every value below
    ``floor`` as 0 (callers that only look at values ≥ ``floor``, e.g. digit
    tallies of counts ≥ 10, save the work of locating them).
    """
    n_i = n.astype(np.int64)
    if exact:
        return rng.binomial(n_i, p, size=(size, len(n_i))).astype(dtype)
    var = n * p * (1 - p)
    big = var >= normal_above
    out = np.empty((size, len(n_i)), dtype=dtype)
    nb = int(big.sum())
    prefix = bool(big[:nb].all())  # callers may order units so that large ones come first
    if nb:
        sl = slice(0, nb) if prefix else big
        out[:, sl] = rounded_normal(rng, n[sl], n[sl] * p[sl], np.sqrt(var[sl]), size)
    if nb < len(n_i):
        small = np.flatnonzero(~big)
        ns, ps = n_i[small], p[small]
        inv = cheap_inversion(ns, ps, floor)
        if inv.any():
            out[:, small[inv]] = binomial_inversion(rng, ns[inv], ps[inv], size, floor)
        if not inv.all():
            out[:, small[~inv]] = rng.binomial(ns[~inv], ps[~inv], size=(size, int((~inv).sum())))
    return out


_NORMAL: np.ndarray | None = None


def rounded_normal(rng: np.random.Generator, n: np.ndarray, mu: np.ndarray, sd: np.ndarray,
                   size: int) -> np.ndarray:
    """``size`` × len(mu) draws of round(mu + sd·Z) clipped to [0, n], as float32 (whole numbers).

    Z from the 2¹⁶-quantile table; rounding is floor(x + 0.5) (ties have probability ~0), and
    the upper clip is applied only to the units whose table range (±4.4 SD) can pass n.
    """
    mu = np.asarray(mu, dtype=np.float64)
    sd = np.asarray(sd, dtype=np.float64)
    z = np.take(normal_table(), rng.integers(0, 1 << 16, (size, len(mu)), dtype=np.uint16))
    z *= sd.astype(np.float32)
    z += (mu + 0.5).astype(np.float32)
    np.maximum(z, 0, out=z)
    np.floor(z, out=z)
    hi = np.flatnonzero(mu + 4.4 * sd + 1 > n)
    if hi.size:
        z[:, hi] = np.minimum(z[:, hi], np.asarray(n, dtype=np.float32)[hi])
    return z


def normal_table() -> np.ndarray:
    """Standard normal quantiles at the midpoints of 2¹⁶ equiprobable cells (float32)."""
    global _NORMAL
    if _NORMAL is None:
        from scipy import special

        _NORMAL = special.ndtri((np.arange(1 << 16, dtype=np.float64) + 0.5) / (1 << 16)).astype(np.float32)
    return _NORMAL


#: sequential inversion is used where its expected number of steps past the start is at most this
INVERSION_STEPS = 3.0


def cheap_inversion(n: np.ndarray, p: np.ndarray, floor: int = 0) -> np.ndarray:
    """Units for which ``binomial_inversion`` is cheaper than numpy's per-element sampler."""
    q = np.minimum(p, 1 - p)
    k0 = np.where(p > 0.5, 0, np.minimum(floor, n))
    # from k0 = 0 every draw walks its whole value: only worth it for tiny means
    return n * q <= np.where(k0 > 0, k0 + INVERSION_STEPS, 0.5)


def binomial_inversion(rng: np.random.Generator, n: np.ndarray, p: np.ndarray, size: int,
                       floor: int = 0) -> np.ndarray:
    """Exact Binomial(n, p) draws (``size`` × len(n), int64) by sequential inversion of the CDF.

    Draws the smaller side (p ≤ 0.5, else n − Binomial(n, 1 − p)); one uniform
    per draw, then steps k → k + 1 along the pmf recurrence only for the draws
    not yet placed (compacted each step), so the cost is about the mean of the
    smaller side per draw. With ``floor`` > 0, values below ``floor`` of the
    unflipped units are reported as 0 (their CDF below ``floor`` is one table
    value per unit).
    """
    n = np.asarray(n, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    N = len(n)
    flip = p > 0.5
    q = np.where(flip, 1.0 - p, p)
    # unflipped units start at the floor; a unit too small to reach it only ever draws "below" (0)
    k0 = np.where(flip, 0, floor).astype(np.int64)
    short = ~flip & (n < floor)
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        ratio = np.where(q < 1, q / (1.0 - q), 0.0)
        pm0 = np.exp(n * np.log1p(-q))  # pmf(0); q ≤ 0.5 here
        # walk the pmf recurrence up to the floor (in place): P(X < k0) and pmf(k0)
        below = np.zeros(N)
        if floor > 0 and not flip.all():
            walk = np.flatnonzero(~flip & ~short)
            pw, bw, nw, rw = pm0[walk], np.zeros(len(walk)), n[walk].astype(np.float64), ratio[walk]
            for k in range(floor):
                bw += pw
                pw *= (nw - k) * rw
                pw *= 1.0 / (k + 1)
            below[walk] = bw
            pm0[walk] = pw
    below[short] = 1.0
    pm0[short] = 0.0
    u = rng.random((size, N))
    out = np.zeros((size, N), dtype=np.int64)
    flat = out.reshape(-1)
    act = np.flatnonzero(u > below)  # draws at or above k0 (the rest stay 0)
    uu = u.reshape(-1)[act]
    cols = act % N
    kk = k0[cols]
    pm = pm0[cols]
    c = below[cols] + pm
    nn = n[cols]
    rr = ratio[cols]
    walk_cdf(flat, act, uu, c, kk, pm, nn, rr)
    if flip.any():
        out[:, flip] = n[flip] - out[:, flip]
    return out


def walk_cdf(flat: np.ndarray, act: np.ndarray, uu: np.ndarray, c: np.ndarray, kk: np.ndarray,
             pm: np.ndarray, nn: np.ndarray, rr: np.ndarray) -> None:
    """Sequential inversion for the draws ``act`` (positions in ``flat``): from value ``kk`` with
    pmf ``pm`` and CDF ``c`` (up to and including ``kk``), step k → k + 1 (pmf recurrence with odds
    ``rr``) until the uniform ``uu`` is reached or k = n. Placed draws are masked out and compacted away
    only once half of the walkers are placed (copying seven arrays at every step cost more than the
    steps); each draw's walk, and so its value, is the same either way."""
    live = np.ones(act.size, dtype=bool)
    n_live = act.size
    while n_live:
        done = live & ((uu <= c) | (kk >= nn))
        nd = int(np.count_nonzero(done))
        if nd:
            flat[act[done]] = kk[done]
            live &= ~done
            n_live -= nd
            if not n_live:
                break
            if n_live * 2 <= live.size:
                act, uu, c, kk, pm, nn, rr = (x[live] for x in (act, uu, c, kk, pm, nn, rr))
                live = np.ones(n_live, dtype=bool)
        with np.errstate(invalid="ignore", over="ignore", under="ignore", divide="ignore"):
            pm = pm * ((nn - kk) / (kk + 1.0)) * rr  # placed walkers step on too, masked out above
        kk = kk + 1
        c = c + pm


def floor_tables(n: np.ndarray, kmax: int, floor: int) -> tuple[np.ndarray, np.ndarray]:
    """For X ~ Binomial(n_i, k/n_i), k = 0..kmax: P(X < floor) and pmf(floor), shape (len(n), kmax + 1).

    Entries with k/n_i > 0.5 or n_i < floor are not meant to be used (callers route those draws
    elsewhere); they hold below = 1 (never active).
    """
    n = np.asarray(n, dtype=np.float64)[:, None]
    k = np.arange(kmax + 1, dtype=np.float64)[None, :]
    q = np.minimum(k / np.maximum(n, 1), 1.0)
    ok = (q <= 0.5) & (n >= floor)
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        qq = np.where(ok, q, 0.0)
        ratio = qq / (1.0 - qq)
        pm = np.exp(n * np.log1p(-qq))
        below = np.zeros(np.broadcast_shapes(n.shape, k.shape))
        for j in range(floor):
            below += pm
            pm = pm * (n - j) * ratio / (j + 1)
    return np.where(ok, below, 1.0), np.where(ok, pm, 0.0)
