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
draws) and its rejection rate at α is compared with α by an exact binomial
test: **anti-conservative** (rejects clean elections too often; its p-values
are withheld), **conservative** (rejects less often than α), or
**calibrated**. The textbook variants of the digit tests are labelled the
same way from the same simulations.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import stats

from .units import Units

ALPHA = 0.05


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


def label(rejections: int, trials: int, alpha: float = ALPHA) -> str:
    if trials == 0:
        return "not calibrated"
    if stats.binom.sf(rejections - 1, trials, alpha) < 0.01:
        return "anti-conservative"
    if stats.binom.cdf(rejections, trials, alpha) < 0.01:
        return "conservative"
    return "calibrated"


def _summary(rej: int, trials: int, rej_tb: int, trials_tb: int, *, sims: int, resamples: int,
             units_per_sim: int) -> dict[str, Any]:
    """Rejection rates at α of a test's p-values (and, where reported, of its textbook null)."""
    out: dict[str, Any] = {
        "label": label(rej, trials), "rejection_rate": rej / trials if trials else None,
        "rejections": rej, "trials": trials, "sims": sims, "resamples": resamples,
        "units_per_sim": units_per_sim, "alpha": ALPHA,
        "mc_error": float(np.sqrt(ALPHA * (1 - ALPHA) / trials)) if trials else None,
    }
    if trials_tb:
        out["textbook"] = {"label": label(rej_tb, trials_tb), "rejection_rate": rej_tb / trials_tb,
                           "rejections": rej_tb, "trials": trials_tb}
    return out


def calibrate_many(units: Units, modules: list[Any], *, sims: int = 20, resamples: int = 99, seed: int = 0,
                   max_units: int = 20_000) -> dict[str, dict[str, Any]]:
    """Run each test on ``sims`` clean simulated elections (shared by all tests, with their draws).

    Per test: ``label``, ``rejection_rate``, ``rejections``, ``trials`` of its p-values at α = 0.05
    and, where the test reports one, the same under ``textbook``.
    """
    model = fit_clean(units)
    ss = np.random.SeedSequence([seed, 7])
    N = len(model.registered)
    acc = {m.SLUG: [0, 0, 0, 0] for m in modules}
    for child in ss.spawn(sims):
        rng = np.random.default_rng(child)
        index = np.sort(rng.choice(N, size=max_units, replace=False)) if N > max_units else None
        clean = simulate_clean(model, rng, index)
        sub_seed = int(rng.integers(2**31))
        for mod in modules:
            a = acc[mod.SLUG]
            for r in mod.run(clean, seed=sub_seed, resamples=resamples, scoped=False):
                if r.applicable and r.p_value is not None:
                    a[1] += 1
                    a[0] += int(r.p_value <= ALPHA)
                tb = r.details.get("textbook_p_value")
                if tb is not None:  # the textbook null is judged even where the test is refused
                    a[3] += 1
                    a[2] += int(tb <= ALPHA)
    return {slug: _summary(*a, sims=sims, resamples=resamples, units_per_sim=min(N, max_units))
            for slug, a in acc.items()}
