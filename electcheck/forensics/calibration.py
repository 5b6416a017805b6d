"""Calibration: simulate clean elections from the data's own unit sizes and turnout, and label each test.

The clean model (fitted robustly, so that a fraud tail does not widen it):

- strata = the top hierarchy level (one stratum when the tally has none);
- turnout of unit i ~ Beta with the stratum's median turnout and robust SD
  (1.4826 × MAD), ballots ~ Binomial(registered_i, turnout_i) — each unit
  keeps its own registered voters;
- candidate shares ~ Dirichlet around the stratum's vote shares with a
  concentration matching the robust SD of the leader's share; invalid ~
  Binomial(ballots, stratum invalid rate); candidate counts are a
  multinomial split of the valid votes.

A test is run on ``sims`` such elections (each with ``resamples`` Monte Carlo
draws; 200 by default) and its rejection rate at α is given with its Monte
Carlo standard error and 95 % bounds (``rate_interval``): **calibrated** only
when the upper bound is ≤ 2α (**conservative** when even below α);
**anti-conservative** when the lower bound is above α (its p-values are
withheld); **unverified** when the upper bound stays above 2α without the rate
being shown above α (p-values shown with a caveat); **provisional** when fewer
than 200 simulations were asked for and the rate is not clearly too high. The textbook variants of the digit tests are labelled the
same way from the same simulations.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import stats

from .units import Units

ALPHA = 0.05
#: clean simulations by default; fewer give "provisional" labels
DEFAULT_SIMS = 200
MIN_SIMS = 200
#: Monte Carlo resamples per simulated election (digit tests). Their statistic is standardised by the
#: variance of the same resamples, so it is not exchangeable with them and few resamples inflate the
#: size: they keep 39. A test whose statistic is a plain count compared with its draws (integer-percent:
#: module attribute ``CALIBRATION_RESAMPLES = 19``) has size exactly α whenever (R + 1)·α is a whole
#: number (R = 19: reject only when the observed count beats all 19 draws, probability 1/20 under
#: exchangeability) — fewer resamples cost power, not size, and calibration measures size.
DEFAULT_RESAMPLES = 39
#: units per simulated election in a run (benchmarks/calibration.py checks 20,000 and full size)
DEFAULT_UNITS = 5_000


@dataclass
class CleanModel:
    registered: np.ndarray
    stratum: np.ndarray
    t_mean: np.ndarray
    t_sd: np.ndarray
    pi: np.ndarray       # (strata, candidates)
    kappa: np.ndarray
    inv_rate: np.ndarray
    has_registered: np.ndarray
    template: Units


def _robust(x: np.ndarray) -> tuple[float, float]:
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return float("nan"), float("nan")
    med = float(np.median(x))
    mad = float(np.median(np.abs(x - med))) * 1.4826
    return med, mad


def fit_clean(units: Units) -> CleanModel:
    from .fingerprint import strata

    g = strata(units)
    k = int(g.max()) + 1 if len(g) else 1
    use = units.usable & (units.share_den > 0)
    t = units.turnout()
    sh = units.share()
    t_all = _robust(t[use & (t <= 1)])
    s_all = _robust(sh[use])
    nc = units.cand.shape[1]
    t_mean = np.empty(k)
    t_sd = np.empty(k)
    pi = np.empty((k, nc))
    kappa = np.empty(k)
    inv = np.empty(k)
    tot_all = np.nansum(units.cand[use], axis=0)
    for gi in range(k):
        m = use & (g == gi)
        tm, ts = _robust(t[m & (t <= 1)]) if m.sum() >= 30 else t_all
        if np.isnan(tm):
            tm, ts = t_all
        t_mean[gi] = np.clip(tm if not np.isnan(tm) else 0.6, 0.02, 0.98)
        t_sd[gi] = np.clip(ts if not np.isnan(ts) and ts > 0 else 0.08, 0.01, None)
        tot = np.nansum(units.cand[m], axis=0) if m.sum() >= 30 else tot_all
        p = tot / max(tot.sum(), 1)
        pi[gi] = np.clip(p, 1e-4, None) / np.clip(p, 1e-4, None).sum()
        sm, ss = _robust(sh[m]) if m.sum() >= 30 else s_all
        pl = pi[gi, units.leader]
        ss = ss if (not np.isnan(ss) and ss > 0) else 0.08
        kappa[gi] = np.clip(pl * (1 - pl) / ss ** 2 - 1, 2.0, 1e5)
        b = np.nansum(units.ballots[m]) if m.sum() >= 30 else np.nansum(units.ballots[use])
        iv = np.nansum(units.invalid[m]) if m.sum() >= 30 else np.nansum(units.invalid[use])
        inv[gi] = np.clip(iv / b, 0, 0.5) if b > 0 and not np.isnan(iv) else 0.0
    # beta sd must be below sqrt(m(1-m))
    t_sd = np.minimum(t_sd, 0.9 * np.sqrt(t_mean * (1 - t_mean)))
    reg = units.registered.copy()
    has_reg = ~np.isnan(reg) & (reg > 0)
    # units without a register keep their observed ballots as size (turnout then not defined)
    reg = np.where(has_reg, reg, np.nan_to_num(units.ballots, nan=0.0))
    return CleanModel(reg, g, t_mean, t_sd, pi, kappa, inv, has_reg, units)


def simulate_clean(model: CleanModel, rng: np.random.Generator, index: np.ndarray | None = None) -> Units:
    """One clean election with the template's unit sizes (optionally a subset of units)."""
    idx = np.arange(len(model.registered)) if index is None else index
    g = model.stratum[idx]
    n = np.maximum(model.registered[idx], 0).astype(np.int64)
    m, s = model.t_mean[g], model.t_sd[g]
    common = m * (1 - m) / s ** 2 - 1
    t = rng.beta(m * common, (1 - m) * common)
    t = np.where(model.has_registered[idx], t, 1.0)
    ballots = rng.binomial(n, t)
    invalid = rng.binomial(ballots, model.inv_rate[g])
    valid = ballots - invalid
    alpha = model.pi[g] * model.kappa[g][:, None]
    gam = rng.gamma(alpha)
    sh = gam / np.maximum(gam.sum(axis=1, keepdims=True), 1e-300)
    nc = sh.shape[1]
    cand = np.empty((len(idx), nc))
    left = valid.astype(np.int64)
    rest = np.ones(len(idx))
    for j in range(nc - 1):
        pj = np.clip(sh[:, j] / np.maximum(rest, 1e-12), 0, 1)
        c = rng.binomial(left, pj)
        cand[:, j] = c
        left = left - c
        rest = rest - sh[:, j]
    cand[:, nc - 1] = left
    tpl = model.template
    reg = np.where(model.has_registered[idx], n.astype(float), np.nan)
    ballots_f = ballots.astype(float)
    valid_f = valid.astype(float)
    share_den = ballots_f if tpl.share_basis == "ballots" else valid_f
    sub = tpl.subset(idx) if index is not None else tpl
    return replace(sub, registered=reg, ballots=ballots_f, turnout_num=ballots_f, valid=valid_f,
                   invalid=invalid.astype(float), cand=cand, share_den=share_den,
                   excluded=None, turnout_basis="ballots", notes={"simulated": "clean"})


def rate_interval(rej: int, trials: int, per_sim: list[tuple[int, int]] | None = None,
                  level: float = 0.95) -> tuple[float, float, float]:
    """Rejection rate, its Monte Carlo standard error and the (lower, upper) 95 % bounds.

    With one p-value per simulation: the binomial SE and Clopper–Pearson bounds. With several per
    simulation (candidates of one election share its draws, so their p-values are correlated): the
    SE of a ratio estimator clustered by simulation, and the Clopper–Pearson bounds on the effective
    number of trials (trials ÷ design effect, the design effect at least 1).
    """
    if trials == 0:
        return float("nan"), float("nan"), (float("nan"), float("nan"))
    rate = rej / trials
    se_bin = float(np.sqrt(max(rate * (1 - rate), 0.0) / trials))
    se = se_bin
    n_eff = float(trials)
    if per_sim and len(per_sim) > 1 and any(n > 1 for _, n in per_sim):
        r = np.array([a for a, _ in per_sim], dtype=float)
        n = np.array([b for _, b in per_sim], dtype=float)
        S = len(r)
        se_cl = float(np.sqrt(np.sum((r - rate * n) ** 2) / (S * (S - 1))) / max(n.mean(), 1e-12))
        se = max(se_bin, se_cl)
        if se_bin > 0:
            n_eff = trials / max((se / se_bin) ** 2, 1.0)
    a = (1 - level) / 2
    k = rate * n_eff
    lo = float(stats.beta.ppf(a, k, n_eff - k + 1)) if k > 0 else 0.0
    hi = float(stats.beta.ppf(1 - a, k + 1, n_eff - k)) if k < n_eff else 1.0
    return rate, se, (lo, hi)


def label(rejections: int, trials: int, alpha: float = ALPHA, sims: int | None = None,
          per_sim: list[tuple[int, int]] | None = None) -> str:
    """**anti-conservative** when the rejection rate's lower 95 % bound is above α (its p-values are
    withheld); **provisional** with fewer than ``MIN_SIMS`` simulations otherwise; **calibrated** when
    the upper bound is at most 2α (**conservative** when even below α); **unverified** when the upper
    bound stays above 2α without the rate being shown above α (p-values shown, with a caveat: more
    simulations would settle it — a test at exactly α lands here about one time in five with 200)."""
    if trials == 0:
        return "not calibrated"
    _, _, (lo, hi) = rate_interval(rejections, trials, per_sim)
    if lo > alpha:
        return "anti-conservative"
    if sims is not None and sims < MIN_SIMS:
        return "provisional"
    if hi <= alpha:
        return "conservative"
    if hi <= 2 * alpha:
        return "calibrated"
    return "unverified"


def _summary(rej: int, trials: int, rej_tb: int, trials_tb: int, *, sims: int, resamples: int,
             units_per_sim: int, per_sim: list[tuple[int, int]] | None = None) -> dict[str, Any]:
    """Rejection rates at α of a test's p-values (and, where reported, of its textbook null)."""
    rate, se, (lo, hi) = rate_interval(rej, trials, per_sim)
    out: dict[str, Any] = {
        "label": label(rej, trials, sims=sims, per_sim=per_sim), "rejection_rate": rej / trials if trials else None,
        "mc_se": se if trials else None, "rate_lower_95": lo if trials else None,
        "rate_upper_95": hi if trials else None, "calibrated_if_upper_at_most": 2 * ALPHA,
        "provisional": sims < MIN_SIMS,
        "rejections": rej, "trials": trials, "sims": sims, "resamples": resamples,
        "units_per_sim": units_per_sim, "alpha": ALPHA,
        "mc_error": float(np.sqrt(ALPHA * (1 - ALPHA) / trials)) if trials else None,
    }
    if trials_tb:
        out["textbook"] = {"label": label(rej_tb, trials_tb, sims=sims), "rejection_rate": rej_tb / trials_tb,
                           "rejections": rej_tb, "trials": trials_tb}
    return out


def _one_election(model: CleanModel, child: np.random.SeedSequence, modules: list[Any], resamples: int,
                  max_units: int, shared: dict[str, Any]) -> list[tuple[int, int, int, int]]:
    """One clean simulated election, every test run on it: per module (rejections, p-values, textbook
    rejections, textbook p-values). Everything random comes from ``child``; ``shared`` holds caches
    of values that do not depend on the draws (the integer test's hit probabilities per (n, rate))."""
    rng = np.random.default_rng(child)
    N = len(model.registered)
    index = np.sort(rng.choice(N, size=max_units, replace=False)) if N > max_units else None
    clean = simulate_clean(model, rng, index)
    clean.notes.update(shared)
    sub_seed = int(rng.integers(2**31))
    out = []
    for mod in modules:
        a = [0, 0, 0, 0]
        rs = getattr(mod, "CALIBRATION_RESAMPLES", resamples)
        for r in mod.run(clean, seed=sub_seed, resamples=min(rs, resamples), scoped=False):
            if r.applicable and r.p_value is not None:
                a[1] += 1
                a[0] += int(r.p_value <= ALPHA)
            tb = r.details.get("textbook_p_value")
            if tb is not None:  # the textbook null is judged even where the test is refused
                a[3] += 1
                a[2] += int(tb <= ALPHA)
        out.append((a[0], a[1], a[2], a[3]))
    return out


def calibrate_many(units: Units, modules: list[Any], *, sims: int = DEFAULT_SIMS,
                   resamples: int = DEFAULT_RESAMPLES, seed: int = 0,
                   max_units: int = DEFAULT_UNITS, workers: int | None = None) -> dict[str, dict[str, Any]]:
    """Run each test on ``sims`` clean simulated elections (shared by all tests, with their draws).

    Per test: ``label``, ``rejection_rate``, ``rejections``, ``trials`` of its p-values at α = 0.05
    and, where the test reports one, the same under ``textbook``.

    Simulation *i* draws everything from child *i* of ``SeedSequence([seed, 7])`` (its units, its
    counts, its tests' seed), so the figures are the same whatever the number of ``workers``
    (default ``base.threads()``: the simulations run on that many threads, each test's own
    Monte Carlo batches then on the thread running its election; the hot numpy calls release
    the GIL).
    """
    from .base import one_thread, threads

    model = fit_clean(units)
    children = np.random.SeedSequence([seed, 7]).spawn(sims)
    N = len(model.registered)
    nw = max(1, min(threads() if workers is None else workers, sims))
    shared: dict[str, Any] = {"_hit_cache": {}}

    def one(child: np.random.SeedSequence) -> list[tuple[int, int, int, int]]:
        with one_thread():
            return _one_election(model, child, modules, resamples, max_units, shared)

    if nw == 1:
        per_election = [_one_election(model, c, modules, resamples, max_units, shared) for c in children]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=nw) as pool:
            per_election = list(pool.map(one, children))
    acc = {m.SLUG: [0, 0, 0, 0] for m in modules}
    per_sim: dict[str, list[tuple[int, int]]] = {m.SLUG: [] for m in modules}
    for res in per_election:  # in simulation order
        for mod, (rej, n, rej_tb, n_tb) in zip(modules, res):
            a = acc[mod.SLUG]
            a[0] += rej
            a[1] += n
            a[2] += rej_tb
            a[3] += n_tb
            per_sim[mod.SLUG].append((rej, n))
    rs_of = {m.SLUG: min(getattr(m, "CALIBRATION_RESAMPLES", resamples), resamples) for m in modules}
    return {slug: _summary(*a, sims=sims, resamples=rs_of[slug], units_per_sim=min(N, max_units),
                           per_sim=per_sim[slug])
            for slug, a in acc.items()}
