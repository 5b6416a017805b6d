"""Planted fraud for the station list: does the ranked list name the units where fraud was planted?

A clean election is simulated from a template's own unit sizes, regional
turnout and shares (``calibration.fit_clean`` / ``simulate_clean``, seeded),
and a twin of it receives, in disjoint sets of eligible units (registered ≥
100, valid votes > 0; for stuffing, turnout below 90 %, so that there is room to push):

- ``stuffing``: turnout pushed to a uniform 90–100 %, every extra ballot for
  the leader (Klimek et al. 2012);
- ``rounding``: the leader's share rounded *up* to the next whole percentage,
  the votes taken from the other candidates (Kobak et al. 2016);
- ``switching``: a fraction (default 30 %) of every other candidate's votes
  moved to the leader (turnout unchanged).

For each kind: **top-K precision** (K = units planted with it; the share of
the top K of the list ranked by that kind's own evidence that were planted
with it), **recall** (share of its planted units anywhere in the list), and the
**clean twin**'s list length (what the list says about the same election
without fraud). Seeded: the same seed gives the same figures.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from . import calibration
from .units import Units

KINDS = ("stuffing", "rounding", "switching")
#: the reasons that count as "found" for each kind, and the column ranking the top K
KIND_REASONS = {"stuffing": ("STUFFING", "TURNOUT_100"), "rounding": ("INT_SHARE", "ROUND_SHARE"),
                "switching": ("SHARE_HIGH", "STUFFING")}


def _rescale(counts: np.ndarray, total: np.ndarray) -> np.ndarray:
    from .power import _rescale as rs

    return rs(counts, total)


def plant_all(units: Units, rng: np.random.Generator, *, stuffing: float = 0.01, rounding: float = 0.01,
              switching: float = 0.01, switch_fraction: float = 0.3) -> tuple[Units, dict[str, np.ndarray]]:
    """A copy of ``units`` with the three kinds planted in disjoint units; returns (units, kind → index)."""
    elig = np.flatnonzero(units.usable & (np.nan_to_num(units.registered) >= 100) & (units.valid > 0))
    k = {kind: int(round(share * units.n)) for kind, share in
         (("stuffing", stuffing), ("rounding", rounding), ("switching", switching))}
    pick = rng.permutation(elig)
    with np.errstate(invalid="ignore", divide="ignore"):
        low = (units.turnout_num / units.registered)[pick] < 0.9
    # stuffing needs room to push: its units are drawn among those below 90 % turnout
    chosen: dict[str, np.ndarray] = {"stuffing": np.sort(pick[low][:k["stuffing"]])}
    rest = pick[~np.isin(pick, chosen["stuffing"])]
    at = 0
    for kind in ("rounding", "switching"):
        chosen[kind] = np.sort(rest[at:at + k[kind]])
        at += k[kind]
    reg = units.registered.copy()
    ballots = units.ballots.copy()
    invalid = units.invalid.copy()
    cand = units.cand.copy()
    L = units.leader
    # stuffing: turnout to U(90 %, 100 %), extra ballots all for the leader
    i = chosen["stuffing"]
    target = rng.uniform(0.90, 1.00, len(i))
    extra = np.maximum(np.rint(target * reg[i]) - ballots[i], 0)
    ballots[i] += extra
    cand[i, L] += extra
    # switching: a fraction of every other candidate's votes to the leader
    i = chosen["switching"]
    moved = np.floor(switch_fraction * cand[i])
    moved[:, L] = 0
    cand[i] -= moved
    cand[i, L] += moved.sum(axis=1)
    # rounding: the leader's share up to the next whole percentage (votes taken from the others)
    i = chosen["rounding"]
    valid_i = ballots[i] - invalid[i]
    den = ballots[i] if units.share_basis == "ballots" else valid_i
    share = cand[i, L] / np.maximum(den, 1)
    tgt = np.ceil(share * 100 - 1e-9) / 100
    lead = np.minimum(np.rint(tgt * den), valid_i)
    others = _rescale(np.delete(cand[i], L, axis=1), valid_i - lead)
    cand[i] = np.insert(others, L, lead, axis=1)
    valid = ballots - invalid
    share_den = ballots if units.share_basis == "ballots" else valid
    out = replace(units, registered=reg, ballots=ballots, turnout_num=ballots.copy(), valid=valid,
                  invalid=invalid, cand=cand, share_den=share_den, notes={"simulated": "planted"})
    return out, chosen


def clean_twin(template: Units, rng: np.random.Generator, n_units: int | None = 40_000) -> Units:
    """A clean election shaped like ``template`` (its unit sizes, regional turnout and shares)."""
    model = calibration.fit_clean(template)
    N = template.n
    index = None
    if n_units is not None and N > n_units:
        index = np.sort(rng.choice(N, size=n_units, replace=False))
    return calibration.simulate_clean(model, rng, index)


def evaluate(template: Units, *, seed: int = 0, n_units: int | None = 40_000, share: float = 0.01,
             switch_fraction: float = 0.3, level: str | None = None) -> dict[str, Any]:
    """Plant the three kinds in an election shaped like ``template``; score the station list."""
    from .stations import score

    rng = np.random.default_rng(np.random.SeedSequence([seed, 13]))
    clean = clean_twin(template, rng, n_units)
    fraud, chosen = plant_all(clean, rng, stuffing=share, rounding=share, switching=share,
                              switch_fraction=switch_fraction)
    twin = score(clean, level=level)
    res = score(fraud, level=level)
    fl = res.flags
    pos = {u: r for r, u in enumerate(fl["unit_id"].tolist())}
    ids = fraud.ids
    kinds = {}
    for kind, idx in chosen.items():
        K = len(idx)
        planted_ids = set(ids[idx].tolist())
        listed = [u for u in planted_ids if u in pos]
        # top-K of the list ranked by this kind's own evidence (the list's order, among units with its reasons)
        own = fl[fl["reasons"].str.contains("|".join(KIND_REASONS[kind]), regex=True)]
        top = own["unit_id"].head(K).tolist()
        prec = sum(u in planted_ids for u in top) / K if K else None
        top_all = fl["unit_id"].head(K).tolist()
        kinds[kind] = {
            "planted": K, "recall": len(listed) / K if K else None, "top_k_precision": prec,
            "top_k_precision_whole_list": sum(u in planted_ids for u in top_all) / K if K else None,
            "reasons_counted": list(KIND_REASONS[kind]),
        }
    planted_all = set(ids[np.concatenate(list(chosen.values()))].tolist())
    return {
        "units": int(clean.n), "share_per_kind": share, "switch_fraction": switch_fraction, "seed": seed,
        "level": res.summary["level"], "kinds": kinds,
        "listed": int(len(fl)), "listed_planted": int(sum(u in planted_all for u in fl["unit_id"])),
        "clean_twin_listed": int(len(twin.flags)),
        "clean_twin_share": len(twin.flags) / max(clean.n, 1),
        "clean_twin_reasons": twin.summary["by_reason"],
        "base": "clean elections simulated from this data's unit sizes, regional turnout and shares",
    }


def synthetic(n_units: int = 40_000, seed: int = 0, regions: int = 20, districts_per_region: int = 20,
              candidates: int = 3) -> Units:
    """A clean election with a two-level hierarchy (region → district), for benchmarks and tests.

    Region turnout centres 50–75 %, district offsets (SD 3 points), units' spread 7 points; the leader's
    share centres 40–65 % by region, district offsets (SD 4 points), units' spread 8 points; registered
    voters log-normal around 1,000 (100–3,000); binomial counts.
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 17]))
    nd = regions * districts_per_region
    dist = rng.integers(0, nd, n_units)
    reg_of = dist // districts_per_region
    t_r = rng.uniform(0.50, 0.75, regions)
    s_r = rng.uniform(0.40, 0.65, regions)
    t_d = t_r[np.arange(nd) // districts_per_region] + rng.normal(0, 0.03, nd)
    s_d = s_r[np.arange(nd) // districts_per_region] + rng.normal(0, 0.04, nd)
    size = np.clip(np.rint(rng.lognormal(np.log(1000), 0.6, n_units)), 100, 3000)
    t = np.clip(t_d[dist] + rng.normal(0, 0.07, n_units), 0.05, 0.97)
    s = np.clip(s_d[dist] + rng.normal(0, 0.08, n_units), 0.05, 0.95)
    ballots = rng.binomial(size.astype(np.int64), t).astype(float)
    invalid = rng.binomial(ballots.astype(np.int64), 0.02).astype(float)
    valid = ballots - invalid
    lead = rng.binomial(valid.astype(np.int64), s).astype(float)
    rest = valid - lead
    split = rng.dirichlet(np.ones(candidates - 1) * 8, n_units)
    cand = np.zeros((n_units, candidates))
    cand[:, 0] = lead
    left = rest.copy()
    acc = np.zeros(n_units)
    for j in range(candidates - 2):
        c = rng.binomial(left.astype(np.int64), np.clip(split[:, j] / np.maximum(1 - acc, 1e-9), 0, 1))
        cand[:, j + 1] = c
        left -= c
        acc += split[:, j]
    cand[:, candidates - 1] = left
    ids = np.array([f"S{i:06d}" for i in range(n_units)], dtype=object)
    labels = {"region": np.array([f"Region {r + 1}" for r in reg_of], dtype=object),
              "district": np.array([f"District {d + 1}" for d in dist], dtype=object)}
    return Units(source="synthetic", ids=ids, registered=size.astype(float), ballots=ballots,
                 turnout_num=ballots.copy(), valid=valid, invalid=invalid, cand=cand,
                 cand_ids=[f"c{j + 1}" for j in range(candidates)], leader=0, share_den=valid.copy(),
                 share_basis="valid", turnout_basis="ballots", labels=labels,
                 notes={"election": "synthetic", "simulated": "clean"})
