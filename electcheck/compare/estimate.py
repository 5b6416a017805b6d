"""Estimate of the whole result from the covered units: a stratified ratio estimator.

**Assumption, stated on every output:** the units a tally covers were collected
by one side and are self-selected, not a random sample. The estimate assumes
that, *within each stratum* (state, province), the units that are missing vote
like the units that are covered. It is a projection, not a measurement; the
worst-case ``bound`` makes no such assumption.

Separate ratio estimator (Cochran, *Sampling Techniques*, 3rd ed., 1977,
§6.2–6.4 and §6.11), auxiliary variable x = registered electors, for each
stratum h with n_h sampled units out of N_h and a known electors total X_h:

    R̂_h = Σ y_i / Σ x_i                   (over the n_h covered units)
    Ŷ_h = R̂_h · X_h
    v(Ŷ_h) = N_h² · (1 − n_h/N_h) · s²_dh / n_h,   s²_dh = Σ (y_i − R̂_h x_i)² / (n_h − 1)

and Ŷ = Σ_h Ŷ_h, v(Ŷ) = Σ_h v(Ŷ_h), margin of error z·√v(Ŷ) (z = 1.96 for
95 %). ``1 − n_h/N_h`` is the finite-population correction. Where a stratum's
electors total is unknown but its unit count is, the expansion estimator
Ŷ_h = N_h · ȳ_h with v = N_h²(1 − f_h) s²_yh / n_h is used and labelled.
Strata are used only where the data give each stratum's population (a file
listing every unit with its electors, e.g. Indonesia's per-TPS file); otherwise
one national stratum (N = expected units, X = registry total) is used and the
output says so. The same formulas applied to y = votes(W) − votes(R) per unit
give the estimated margin and its margin of error.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

Z95 = 1.959963984540054
ASSUMPTION = ("Projection, not a count: assumes the units missing from the independent tally vote like "
              "the covered units of the same stratum. The covered units were collected by one side and "
              "are not a random sample, so the margin of error measures sampling spread only, not this "
              "selection bias.")


@dataclass
class StratumEstimate:
    stratum: str
    method: str           # "ratio" | "expansion" | "national ratio (no covered units)"
    n: int
    N: int | None
    X: float | None
    fpc: float | None
    estimates: dict[str, float]
    moe: dict[str, float | None]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Estimate:
    strata_level: str
    stratified: bool
    method: str
    confidence: float
    units_sampled: int
    units_population: int | None
    electors_population: float | None
    counted: dict[str, int]
    estimate: dict[str, int]
    moe: dict[str, int | None]
    low: dict[str, int | None]
    high: dict[str, int | None]
    margin_pair: list[str]
    margin_estimate: int | None
    margin_moe: int | None
    leader: str | None
    leader_certain: bool | None
    assumption: str = ASSUMPTION
    notes: list[str] = field(default_factory=list)
    strata: list[StratumEstimate] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _stratum(y: np.ndarray, x: np.ndarray | None, N: int | None, X: float | None
             ) -> tuple[str, np.ndarray, np.ndarray | None, float | None]:
    n = y.shape[0]
    f = (n / N) if N else None
    fpc = None if f is None else max(1.0 - f, 0.0)
    if X is not None and x is not None and np.sum(x) > 0:
        R = y.sum(axis=0) / x.sum()
        est = R * X
        if n > 1 and N:
            d = y - np.outer(x, R)
            s2 = (d ** 2).sum(axis=0) / (n - 1)
            var = N ** 2 * fpc * s2 / n
        else:
            var = None
        return "ratio", est, var, fpc
    if N:
        est = N * y.mean(axis=0)
        var = (N ** 2 * fpc * y.var(axis=0, ddof=1) / n) if n > 1 else None
        return "expansion", est, var, fpc
    return "none", y.sum(axis=0), None, fpc


def ratio_estimate(y: np.ndarray, x: np.ndarray, strata: np.ndarray | None, labels: list[str],
                   population: pd.DataFrame | None, national_N: int | None, national_X: float | None,
                   pair: tuple[str, str | None], strata_level: str, confidence_z: float = Z95,
                   notes: list[str] | None = None) -> Estimate | None:
    """``y`` (n × k) counts and ``x`` (n) electors of the sampled units; ``strata`` their labels
    (or a tuple of integer codes and the label of each code).

    ``population``: per stratum ``N`` (units) and ``X`` (electors, NaN if unknown), index = stratum;
    when None, one national stratum with ``national_N`` / ``national_X``.
    """
    notes = list(notes or [])
    if y.shape[0] < 2:
        return None
    w, r = pair
    cols = list(labels)
    if w is not None:
        wi = cols.index(w)
        m = y[:, wi] - (y[:, cols.index(r)] if r else 0)
        y = np.column_stack([y, m])
        cols = cols + ["margin"]
    k = len(cols)
    total = np.zeros(k)
    var = np.zeros(k)
    var_known = True
    out_strata: list[StratumEstimate] = []
    if population is None or strata is None:
        method, est, v, fpc = _stratum(y, x, national_N, national_X)
        total += est
        if v is None:
            var_known = False
        else:
            var += v
        out_strata.append(StratumEstimate("nation", method, y.shape[0], national_N, national_X, fpc,
                                          dict(zip(cols, est.tolist())),
                                          dict(zip(cols, (None if v is None else (confidence_z * np.sqrt(v)).tolist()) or [None] * k))))
        stratified = False
        N_pop, X_pop = national_N, national_X
        method_all = {"ratio": "ratio estimator (national, one stratum)",
                      "expansion": "expansion estimator (national, one stratum)"}.get(method, method)
    else:
        stratified = True
        if isinstance(strata, tuple):  # (integer codes, label of each code)
            fc, fu = strata
        else:
            fc, fu = pd.factorize(pd.Series(strata, dtype=object).fillna("<none>").astype(str))
        fc = np.asarray(fc, np.int64)
        # stable sort of small integer codes: radix sort when they fit in 16 bits
        order = np.argsort(fc.astype(np.int16) if len(fu) < 2 ** 15 else fc, kind="stable")
        sc = fc[order]
        starts = np.flatnonzero(np.r_[True, sc[1:] != sc[:-1]]) if len(sc) else np.empty(0, np.int64)
        bounds = list(starts) + [len(sc)]
        # units in stratum order once; each stratum is then a slice (a view, no gather per stratum)
        y_s, x_s = y[order], x[order]
        groups = {str(fu[sc[b]]): (bounds[j], bounds[j + 1]) for j, b in enumerate(starts)}
        y_total = y.sum(axis=0)          # the counted totals too (computed once)
        R_nat = y_total / x.sum() if np.nansum(x) > 0 else None
        for h in population.index:
            N_h = int(population.at[h, "N"])
            X_h = population.at[h, "X"]
            X_h = None if pd.isna(X_h) else float(X_h)
            span = groups.get(str(h))
            if span is None or span[1] <= span[0]:
                if X_h is not None and R_nat is not None:
                    est = R_nat * X_h
                    total += est
                    var_known = False
                    out_strata.append(StratumEstimate(str(h), "national ratio (no covered units)", 0, N_h, X_h,
                                                      1.0, dict(zip(cols, est.tolist())), {c: None for c in cols}))
                    notes.append(f"stratum {h} has no covered unit: estimated with the national ratio; "
                                 "its sampling error is not in the margin of error")
                continue
            a, b = span
            method, est, v, fpc = _stratum(y_s[a:b], x_s[a:b], N_h, X_h)
            total += est
            if v is None:
                var_known = False
            else:
                var += v
            out_strata.append(StratumEstimate(str(h), method, int(b - a), N_h, X_h, fpc,
                                              dict(zip(cols, est.tolist())),
                                              dict(zip(cols, (confidence_z * np.sqrt(v)).tolist())) if v is not None
                                              else {c: None for c in cols}))
        N_pop = int(population["N"].sum())
        X_pop = float(population["X"].sum()) if population["X"].notna().all() else None
        methods = {s.method for s in out_strata}
        method_all = ("separate ratio estimator, stratified by " + strata_level
                      if methods <= {"ratio", "national ratio (no covered units)"}
                      else "stratified by " + strata_level + " (ratio where electors known, expansion elsewhere)")
    moe = confidence_z * np.sqrt(var) if var_known else None
    counted = y_total if stratified else y.sum(axis=0)
    res = {c: int(round(total[j])) for j, c in enumerate(cols)}
    moe_d = {c: (int(round(moe[j])) if moe is not None else None) for j, c in enumerate(cols)}
    est_c = {c: res[c] for c in labels}
    margin_est = res.get("margin")
    margin_moe = moe_d.get("margin")
    leader = None
    certain = None
    if w is not None and margin_est is not None:
        leader = w if margin_est > 0 else r
        certain = (abs(margin_est) > margin_moe) if margin_moe is not None else None
    return Estimate(
        strata_level=strata_level if stratified else "nation", stratified=stratified, method=method_all,
        confidence=0.95 if confidence_z == Z95 else float("nan"),
        units_sampled=int(y.shape[0]), units_population=N_pop,
        electors_population=X_pop,
        counted={c: int(round(counted[j])) for j, c in enumerate(labels)},
        estimate=est_c, moe={c: moe_d[c] for c in labels},
        low={c: (est_c[c] - moe_d[c]) if moe_d[c] is not None else None for c in labels},
        high={c: (est_c[c] + moe_d[c]) if moe_d[c] is not None else None for c in labels},
        margin_pair=[p for p in pair if p], margin_estimate=margin_est, margin_moe=margin_moe,
        leader=leader, leader_certain=certain, notes=notes, strata=out_strata,
    )
