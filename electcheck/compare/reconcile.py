"""``reconcile(official, independent)``: the whole comparison of two tallies, as data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..model import COUNT_FIELDS, Tally
from . import findings as F
from .align import _factorize, align, as_float, explain_one_side
from .bound import compute_bound
from .candidates import candidate_frame, plan_candidates
from .coverage import Memo, coverage, registry_total, unit_ballots, unit_registered
from .differences import differences, differing_mask, discrepancy_frame, margin_effect, margin_pair
from .estimate import ratio_estimate
from .levels import NATION, at_level, choose_level, is_nation
from .result import ComparisonResult, SideInfo
from .rollup import rollups as make_rollups


def _side(t: Tally) -> SideInfo:
    return SideInfo(t.meta.source, t.meta.kind, t.meta.unit_level, len(t.data),
                    [{"path": f.path, "name": f.name, "sha256": f.sha256, "rows": f.rows} for f in t.meta.inputs])


def _frame(t: Tally, frame: pd.DataFrame, plan, side: str, counts: list[str]) -> pd.DataFrame:
    cand = candidate_frame(t, plan, side, frame)
    hier = [c for c in frame.columns if c not in cand.columns and c not in COUNT_FIELDS
            and c not in t.candidate_ids and c != "unit_id"]
    parts = [frame[["unit_id"] + hier], cand]
    parts.append(frame[[c for c in counts if c in frame.columns]])
    return pd.concat(parts, axis=1)


def _own_rows(t: Tally, plan, side: str, lv: str, al, pos) -> np.ndarray:
    """Candidate figures (rows × compared candidates, NaN = none) of the tally's own rows, folded as
    in the plan. At the tally's own unit level these are the aligned rows; otherwise read again."""
    k = len(plan.ids)
    if al is not None and lv == t.meta.unit_level and pos is not None:
        arr = al.official if side == "official" else al.independent
        return arr[:, :k] if al.identity else arr[pos, :k]
    df = t.data
    out = np.full((len(df), k), np.nan)
    folds = plan.folded.get(side, {})
    for j, cid in enumerate(plan.ids):
        if cid in folds:
            parts = [as_float(df[c]) for c in folds[cid] if c in df.columns]
            if parts:
                P = np.vstack(parts)
                col = np.nansum(P, axis=0)
                col[np.isnan(P).all(axis=0)] = np.nan
                out[:, j] = col
        else:
            out[:, j] = as_float(df[cid])
    return out


def _has_figures(cand: np.ndarray) -> np.ndarray:
    return ~np.isnan(cand).all(axis=1) if cand.shape[1] else np.zeros(len(cand), bool)


def _sum(a: np.ndarray, mask: np.ndarray) -> int | None:
    col = a[mask]
    if col.size == 0 or np.isnan(col).all():
        return None
    return int(round(float(np.nansum(col))))


def _voters(tot: dict[str, int | None]) -> int | None:
    if tot.get("ballots") is not None:
        return tot["ballots"]
    if tot.get("valid") is not None:
        return tot["valid"] + (tot.get("invalid") or 0) + (tot.get("blank") or 0)
    return None


def _points(tot: dict[str, int | None], cands: list[str], w: str | None, r: str | None, basis: str) -> dict:
    if w is None or tot.get(w) is None:
        return {}
    wv, rv = tot[w], (tot.get(r) or 0) if r else 0
    denom = tot.get("ballots") if basis == "ballots" else tot.get("valid")
    if denom is None:
        denom = sum(tot[c] for c in cands if tot.get(c) is not None)
    out = {w: wv}
    if r:
        out[r] = rv
    out["votes"] = wv - rv
    out["points"] = round(100.0 * (wv - rv) / denom, 4) if denom else None
    out["basis"] = basis if tot.get(basis) is not None else "sum of candidates"
    return out


def _listed_registry(official: Tally, independent: Tally, registered_from: Tally | None, al=None, lv=None,
                     memo: Memo | None = None) -> tuple[int | None, str | None]:
    """Registry fallback: registered electors summed over every unit listed in either file
    (same unit level as the independent tally), when no registry total is in the metadata."""
    if al is not None and lv == independent.meta.unit_level == official.meta.unit_level:
        # both files were aligned at their own unit level: reuse the alignment
        best = np.full(len(al.unit_id), np.nan)
        best[al.i_pos] = unit_registered(independent, registered_from, memo)[0]
        best[al.o_pos] = np.fmax(best[al.o_pos], unit_registered(official, registered_from, memo)[0])
        return _registry_basis(pd.Series(best), [independent.meta.source, official.meta.source])
    ids, xs, names = [], [], []
    for t in (independent, official):
        if t.meta.unit_level == independent.meta.unit_level and not is_nation(t):
            x, _ = unit_registered(t, registered_from, memo)
            ids.append(t.data["unit_id"])
            xs.append(x)
            names.append(t.meta.source)
    if not ids:
        return None, None
    codes, uniq = pd.factorize(pd.concat(ids, ignore_index=True).astype("string"))
    x = np.concatenate(xs)
    ok = ~np.isnan(x) & (codes >= 0)
    best = np.full(len(uniq), -np.inf)
    np.maximum.at(best, codes[ok], x[ok])
    return _registry_basis(pd.Series(np.where(np.isinf(best), np.nan, best)), names)


def _registry_basis(g: pd.Series, names: list[str]) -> tuple[int | None, str | None]:
    if g.isna().all():
        return None, None
    missing = int(g.isna().sum())
    basis = (f"sum of registered electors over the {len(g):,} units listed in " + " or ".join(names)
             + " (no registry total in the metadata; units absent from every file are not counted)")
    if missing:
        basis += (f"; {missing:,} listed units have no registered figure and are left out, so the "
                  "uncovered electors are understated by theirs")
    return int(g.sum()), basis


def reconcile(official: Tally, independent: Tally, level: str | None = None, *,
              registered_from: Tally | None = None, strata_level: str | None = None) -> ComparisonResult:
    """Reconcile an official tally with an independent one.

    ``level``: compare at this hierarchy level (both are summed to it); default: the
    common unit level, or the coarser one (``nation`` for a one-row published tally).
    ``registered_from``: a tally whose ``registered`` figures are borrowed, by unit_id,
    for units of the independent (and official) tally that lack them.
    ``strata_level``: hierarchy level for the stratified estimate (default: the top level).
    """
    plan = plan_candidates(official, independent)
    if not plan.ids:
        raise InputError(
            f"{official.meta.source} and {independent.meta.source} have no candidate id in common "
            f"({', '.join(official.candidate_ids)} vs {', '.join(independent.candidate_ids)})",
            hint="Give both sources the same candidate ids in their mappings")
    lv = choose_level(official, independent, level)
    nation_id = "nation"
    for t in (official, independent):
        if is_nation(t) and len(t.data) == 1:
            nation_id = str(t.data["unit_id"].iloc[0])
            break
    counts = [c for c in COUNT_FIELDS if c in official.data.columns or c in independent.data.columns]
    o_raw, o_levels = at_level(official, lv, nation_id)
    i_raw, i_levels = at_level(independent, lv, nation_id)
    o_df = _frame(official, o_raw, plan, "official", counts)
    i_df = _frame(independent, i_raw, plan, "independent", counts)
    levels = list(o_levels) + [x for x in i_levels if x not in o_levels]
    al = align(o_df, i_df, plan.ids, counts, levels)
    k = len(plan.ids)
    D = differences(al)
    differ = differing_mask(al, D)

    # totals -------------------------------------------------------------
    def totals_of(arr: np.ndarray, masks: list[np.ndarray]) -> list[dict[str, int | None]]:
        """Column sums of ``arr`` over each mask, one column at a time (no copy of the matrix):
        the NaN-free column is made once and weighted by each mask (einsum, not a BLAS call: a
        threaded BLAS spins when the machine's other cores are busy)."""
        fm = [m.astype(np.float64) for m in masks]
        out: list[dict[str, int | None]] = [{} for _ in masks]
        for j, c in enumerate(al.columns):
            col = arr[:, j]
            nan = np.isnan(col)
            z = np.where(nan, 0.0, col) if nan.any() else col
            for t, (m, mf) in enumerate(zip(masks, fm)):
                has = bool(m.any()) if not nan.any() else bool((m & ~nan).any())
                out[t][c] = int(round(float(np.einsum("i,i->", mf, z)))) if has else None
        return out

    matched = al.matched
    tot_o, tot_mo = totals_of(al.official, [al.fig_official, matched])
    tot_i, tot_mi = totals_of(al.independent, [al.fig_independent, matched])
    (tot_d,) = totals_of(D, [matched])
    totals = {
        "official": tot_o,
        "independent": tot_i,
        "matched_official": tot_mo,
        "matched_independent": tot_mi,
        "difference_matched": tot_d,
    }
    w, r = margin_pair(totals["official"], plan.ids)
    effect = margin_effect(al, D, w, r)
    disc = discrepancy_frame(al, D, differ, w, r, effect)
    one_side = explain_one_side(al, lv)
    names = plan.names

    def unit_margin(arr: np.ndarray) -> np.ndarray:
        if w is None:
            return np.zeros(len(arr))
        wv = np.nan_to_num(arr[:, plan.ids.index(w)])
        rv = np.nan_to_num(arr[:, plan.ids.index(r)]) if r else 0.0
        return wv - rv

    pos = one_side.pop("_pos").to_numpy(dtype=np.int64)
    is_off = (one_side["side"] == "official").to_numpy()
    one_margin = np.where(is_off, unit_margin(al.official[pos]), unit_margin(al.independent[pos])) \
        if len(pos) else np.zeros(0)
    one_side["margin"] = pd.array(np.round(one_margin), dtype="Int64")

    # units ---------------------------------------------------------------
    count_differ = np.zeros(len(al.unit_id), bool)
    with np.errstate(invalid="ignore"):
        for j in range(k, len(al.columns)):
            d = D[:, j]
            count_differ |= (d > 0) | (d < 0)     # NaN compares False: no figure, no difference
    memo = Memo()
    o_cand = _own_rows(official, plan, "official", lv, al, al.o_pos)
    i_cand = _own_rows(independent, plan, "independent", lv, al, al.i_pos)
    o_fig_own = _has_figures(o_cand)
    i_fig = _has_figures(i_cand)
    reasons = {}
    for side in ("official", "independent"):
        s = one_side[one_side["side"] == side]["reason"].value_counts()
        reasons[side] = {k_: int(v) for k_, v in sorted(s.items())}
    units = {
        "level": lv,
        "official": int(al.fig_official.sum()),
        "independent": int(al.fig_independent.sum()),
        "matched": int(al.matched.sum()),
        "differing": int(differ.sum()),
        "identical": int((al.matched & ~differ).sum()),
        "only_official": int(al.only_official.sum()),
        "only_independent": int(al.only_independent.sum()),
        "neither": int(((al.in_official | al.in_independent) & ~al.fig_official & ~al.fig_independent).sum()),
        "official_source_units": int(o_fig_own.sum()),
        "independent_source_units": int(i_fig.sum()),
        "rows_official": int(al.in_official.sum()),
        "rows_independent": int(al.in_independent.sum()),
        "only_official_reasons": reasons["official"],
        "only_independent_reasons": reasons["independent"],
        "counts_differ_candidates_agree": int((count_differ & al.matched & ~differ).sum()),
        "parent_column": one_side.attrs.get("parent_column"),
    }

    # roll-ups ------------------------------------------------------------
    rollups = make_rollups(al, D, differ, effect, levels, w, r)

    # margin ------------------------------------------------------------
    basis = official.meta.share_basis
    eff_total = float(np.nansum(effect[matched])) if w else 0.0
    i_lead, i_run = margin_pair(totals["independent"], plan.ids)
    official_margin = _points(totals["official"], plan.ids, w, r, basis)
    margin = {
        "pair": [c for c in (w, r) if c],
        "official": official_margin,
        "independent": _points(totals["independent"], plan.ids, w, r, basis),
        "independent_leader": i_lead,
        "matched_official": _points(totals["matched_official"], plan.ids, w, r, basis),
        "matched_independent": _points(totals["matched_independent"], plan.ids, w, r, basis),
        "discrepancy_effect": int(round(eff_total)),
        "explained_share": (eff_total / official_margin["votes"]) if official_margin.get("votes") else None,
        "official_margin_without_discrepancies": (official_margin["votes"] - int(round(eff_total))
                                                  if official_margin.get("votes") is not None else None),
    }
    if margin["official_margin_without_discrepancies"] is not None:
        margin["winner_changes_without_discrepancies"] = bool(
            official_margin["votes"] > 0 >= margin["official_margin_without_discrepancies"])

    # coverage, bound, estimate (on each tally's own units) -----------------
    notes: list[str] = []
    reg = registry_total(official, independent)
    registry_complete = reg[0] is not None
    if reg[0] is None:
        reg = _listed_registry(official, independent, registered_from, al, lv, memo)
    cov_i, x_used = coverage(independent, i_fig, registered_from, reg, independent.candidate_ids, memo)
    cov: dict = {"independent": cov_i, "official": None}
    if registered_from is None and cov_i.registered_lower_bound_units:
        notes.append(f"{cov_i.registered_lower_bound_units:,} covered units of {independent.meta.source} have no "
                     "registered electors, so the bound uses their ballots (a worst case that overstates the "
                     "uncovered electors); borrow them from a source that has them for the same units with "
                     "registered_from= / --registered-from (e.g. venezuela-2024/opposition-v1 for V2)")
    if not is_nation(official):
        cov["official"], _ = coverage(official, o_fig_own, registered_from, reg, official.candidate_ids, memo)

    bound = None
    bound_note = None
    independent_coarser = lv != official.meta.unit_level and lv == independent.meta.unit_level
    if is_nation(independent) or independent_coarser:
        bound_note = (f"{independent.meta.source} gives aggregates ({independent.meta.unit_level}) and the official "
                      f"figures are per {official.meta.unit_level}: there is no uncovered part of the independent "
                      "tally to bound; see the differences by area")
        if is_nation(independent):
            bound_note = (f"{independent.meta.source} is itself a published aggregate: it has no units, so there "
                          "is no coverage to bound")
    elif cov_i.uncovered_electors is None:
        bound_note = ("no registry total: neither tally's metadata gives the registered electors of the "
                      "whole election, and the independent tally has no registered figures")
    else:
        counted = {c: _sum(i_cand[:, j], i_fig) for j, c in enumerate(plan.ids)}
        counted_voters = _sum(unit_ballots(independent.data, independent.candidate_ids, memo), i_fig)
        assumptions = [f"registry total {cov_i.registry_total:,} ({cov_i.registry_basis})",
                       f"covered units' electors {cov_i.covered_registered:,}: {cov_i.registered_own:,} own "
                       f"({cov_i.registered_own_units:,} units), {cov_i.registered_borrowed:,} borrowed "
                       f"({cov_i.registered_borrowed_units:,} units)"
                       + (f" from {cov_i.registered_borrowed_from}" if cov_i.registered_borrowed_from else "")
                       + f", {cov_i.registered_lower_bound:,} ballots as lower bound "
                       f"({cov_i.registered_lower_bound_units:,} units)",
                       "worst case: every uncovered elector voted, and voted for the declared winner"]
        bound = compute_bound(totals["official"], counted, plan.ids, cov_i.uncovered_electors,
                              "upper bound" if (registry_complete and cov_i.covered_registered_is_lower_bound)
                              else ("exact" if registry_complete else "approximate"),
                              _voters(totals["official"]),
                              counted_voters, names, assumptions + cov_i.notes)
        if bound is None:
            bound_note = "fewer than two candidates with figures on both sides"

    estimate = None
    estimate_note = None
    sample = i_fig & ~np.isnan(x_used)
    if is_nation(independent) or independent_coarser:
        estimate_note = f"{independent.meta.source} gives aggregates: nothing to project from"
    elif sample.sum() < 2:
        estimate_note = "fewer than two covered units with registered electors"
    else:
        y = np.ascontiguousarray(np.nan_to_num(i_cand[sample]))
        xs = x_used[sample]
        est_notes = []
        if (i_fig & np.isnan(x_used)).any():
            est_notes.append(f"{int((i_fig & np.isnan(x_used)).sum()):,} covered units without registered "
                             "electors are treated as not sampled (their votes are estimated, not counted)")
        s_level = strata_level or (independent.meta.hierarchy[0] if independent.meta.hierarchy else None)
        population = None
        strata = None
        expected = independent.meta.expected_units or official.meta.expected_units
        lists_all = (expected is None or len(independent.data) >= expected) and not is_nation(independent)
        if s_level and lists_all:
            key = independent.level_key(s_level)
            x_frame, _ = unit_registered(independent, registered_from, memo)
            hcol = independent.data[key].astype("string")
            hcodes, huniq = _factorize(hcol.fillna("<none>") if hcol.hasnans else hcol)
            nh = len(huniq)
            known = ~np.isnan(x_frame)
            N_h = np.bincount(hcodes, minlength=nh)
            X_h = np.bincount(hcodes[known], weights=x_frame[known], minlength=nh)
            K_h = np.bincount(hcodes[known], minlength=nh)
            population = pd.DataFrame({"N": N_h, "X": np.where(K_h == N_h, X_h, np.nan)},
                                      index=pd.Index(np.asarray(huniq, dtype=object).astype(str)))
            population = population.sort_index()
            strata = (np.asarray(hcodes, np.int64)[sample], np.asarray(huniq, dtype=object).astype(str))
        else:
            if s_level:
                est_notes.append(
                    f"not stratified by {s_level}: the files do not list every unit "
                    f"({len(independent.data):,} listed, {expected:,} expected), so the electors of each "
                    f"{s_level} are unknown; one national stratum is used "
                    f"(N = {expected:,} units, X = registry total)" if expected else
                    f"not stratified by {s_level}: per-stratum electors unknown")
        estimate = ratio_estimate(y, xs, strata, plan.ids, population, expected,
                                  reg[0], (w, r), s_level or NATION, notes=est_notes)

    # findings ------------------------------------------------------------
    labels = {"official": official.meta.source, "independent": independent.meta.source}
    parent_col = one_side.attrs.get("parent_column")
    parent_label = parent_col.removesuffix("_code") if parent_col else None
    aggregated = lv != independent.meta.unit_level
    fs = F.bound_findings(bound, names) if aggregated else []
    if bound is not None and not aggregated:
        bound.assumptions.append(
            "the official figures are per unit, so the unit-by-unit reconciliation is the primary result; "
            "this bound treats the official totals as declared aggregates (units the official lacks still "
            "count in the independent tally) and raises no finding")
    top = next((lv_ for lv_ in levels if lv_ in rollups), None)
    n_matched = int(matched.sum())
    if top and n_matched > 1:
        fs += F.region_findings(rollups[top], plan.ids, names, top)
    if n_matched > 1:
        fs += F.unit_pattern_findings(disc, plan.ids, names)
    if len(one_side):
        fs += F.one_side_findings(one_side, labels, parent_label)
    if w and n_matched > 0 and margin["official"].get("votes") is not None:
        share = margin["explained_share"]
        fs.append(F.Finding(
            code="compare.margin-explained", severity="info",
            title=(f"Discrepancies on matched units move the margin by {margin['discrepancy_effect']:+,} votes"
                   + (f" ({share:.2%} of the official margin)" if share is not None else "")),
            message=(f"Official margin {names.get(w, w)} − {names.get(r, r) if r else ''}: "
                     f"{margin['official']['votes']:+,}. Net effect of all discrepancies on matched units: "
                     f"{margin['discrepancy_effect']:+,}; without them the official margin would be "
                     f"{margin['official_margin_without_discrepancies']:+,}."),
            location={}, evidence={"margin_effect": margin["discrepancy_effect"],
                                   "explained_share": share}))
    if plan.folded or plan.dropped:
        notes.append("candidates: " + "; ".join(
            [f"{side}: {', '.join(v)} summed into {t}" for side, d in plan.folded.items() for t, v in d.items()]
            + [f"{side}: {', '.join(v)} not compared (not on the other side)" for side, v in plan.dropped.items()]))
    return ComparisonResult(
        official=_side(official), independent=_side(independent), level=lv, candidates=plan,
        units=units, totals=totals, margin=margin, coverage=cov, bound=bound, bound_note=bound_note,
        estimate=estimate, estimate_note=estimate_note, discrepancies=disc, one_side=one_side,
        rollups=rollups, findings=F.rank(fs), notes=notes)
