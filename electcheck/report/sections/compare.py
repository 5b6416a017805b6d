"""Reconciliations: each declared result or tally against an independent one, with the bound.

One entry per ``[[compare]]``. A one-row declared result against a per-unit tally gets
the bound (could the uncovered units change the result?) as a paragraph, one headline
for all such results, and the ``bound`` chart (the first only); two per-unit tallies get
a cross-check headline and the ``discrepancies-by-region`` chart.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import adapters, charts
from .base import Section, compare_plan
from .names import parties, short_names, source_label

SLUG = "compare"
NEEDS = "a [[compare]] table"

#: findings about matched units that say nothing when the official side is one national row
_UNIT_ONLY = {"compare.margin-explained"}


def wanted(cfg) -> bool:
    return bool(cfg.compare)


def plan(cfg):
    return [p for k in range(len(cfg.compare)) for p in compare_plan(cfg, k)]


def build(ctx) -> Section:
    sec = Section(SLUG, data=[])
    bounds: list[dict[str, Any]] = []
    for k, spec in enumerate(ctx.cfg.compare):
        entry: dict[str, Any] = {"label": spec.label or f"{spec.official} vs {spec.independent}",
                                 "official": spec.official, "independent": spec.independent,
                                 "registered_from": spec.registered_from}
        who_off, who_ind = parties(spec)
        try:
            d = ctx.reconcile(k)
            off, ind = ctx.load(spec.official), ctx.load(spec.independent)
            names = {**short_names(ind), **short_names(off)}
            b = d.get("bound")
            aggregate = d["official"].get("rows") == 1 or d["official"].get("unit_level") == "nation"
            entry.update(available=True, aggregate=bool(aggregate), result=slim(d, aggregate))
            if aggregate and b and b.get("declared_winner"):
                entry["bound_summary"] = bound_summary(b, names, who_off, who_ind, d.get("coverage"))
                bounds.append({"spec": spec, "bound": b, "names": names, "who": who_off, "who_ind": who_ind,
                               "coverage": d.get("coverage")})
                if len(bounds) == 1:
                    sec.charts.append(charts.bound_chart(
                        b, names,
                        f"{source_label(ind)}; declared figures {spec.official}; registered electors from "
                        f"{spec.registered_from or 'the independent tally'}. Computed by electcheck.",
                        label=entry["label"]))
            elif d.get("level") not in (None, "nation"):
                u = d["units"]
                uw = unit_word(d, off)
                rd = discrepancies_by_region(d, ind)
                if rd is not None:
                    lvl, frame = rd
                    sec.charts.append(charts.discrepancies_by_region(
                        frame, lvl, f"{source_label(off)} and {source_label(ind)}. Computed by electcheck.",
                        entry["label"], unit_word=uw, matched=u["matched"]))
                sec.headlines.append({"kind": "match", "source": spec.official, "text": (
                    f"{entry['label']}: of {u['matched']:,} {uw}s found in both, {u['differing']:,} differ"
                    f"{_diff_votes(d)}; {u['only_official']:,} {uw}s only in {spec.official}, "
                    f"{u['only_independent']:,} only in {spec.independent}.")})
        except adapters.Unavailable as e:
            entry.update(available=False, reason=str(e))
        sec.data.append(entry)
    if bounds:
        sec.headlines.insert(0, {"kind": "bound", "source": ", ".join(x["spec"].official for x in bounds),
                                 "text": bound_headline(bounds)})
    return sec


def slim(d: dict, aggregate: bool = False) -> dict:
    """The reconciliation JSON the report keeps: the first 50 discrepancies, no roll-ups."""
    out = {k: d[k] for k in ("official", "independent", "level", "candidates", "units", "totals", "margin",
                             "coverage", "bound", "estimate", "findings", "notes") if k in d}
    if aggregate and out.get("findings"):
        out["findings"] = [f for f in out["findings"] if f.get("code") not in _UNIT_ONLY]
    out["discrepancies"] = (d.get("discrepancies") or [])[:50]
    out["discrepancies_total"] = d.get("discrepancies_total")
    return out


def unit_word(d: dict, t) -> str:
    lvl = d.get("level") or t.meta.unit_level or "unit"
    return {"tps": "polling station", "uik": "precinct", "mesa": "table"}.get(str(lvl).lower(), str(lvl))


def _diff_votes(d: dict) -> str:
    disc = d.get("discrepancies") or []
    cands = (d.get("candidates") or {}).get("compared") or []
    if not disc or not cands or len(disc) < (d.get("discrepancies_total") or len(disc)):
        return ""
    v = int(sum(abs(x.get(f"{c}_diff") or 0) for x in disc for c in cands))
    return f", by {v:,} votes in all"


def bound_summary(b: dict, names: dict[str, str], who: str = "", who_ind: str = "",
                  coverage: dict | None = None) -> str:
    """One paragraph on one declared result against the tally (used in the reconciliation section)."""
    w, r = b["declared_winner"], b["compared_with"]
    wn, rn = names.get(w, w), names.get(r, r)
    unc = b.get("uncovered_electors")
    s = (f"Declared{' by ' + who if who else ''}: {wn} {b['declared'][w]:,}, {rn} {b['declared'][r]:,} "
         f"(margin {b['declared_margin']:+,}). On {who_ind or 'the tally sheets'}: {wn} {b['counted'][w]:,}, "
         f"{rn} {b['counted'][r]:,}. ")
    if unc is not None:
        s += (f"Even if all {unc:,} uncovered electors had voted for {wn}, {wn} would reach at most "
              f"{b['max_winner_total']:,} and end {abs(b['max_winner_margin']):,} votes "
              f"{'behind' if b['max_winner_margin'] < 0 else 'ahead'}. ")
    if b.get("declared_margin_reachable") is False:
        s = "The declared result cannot be reached from the tally sheets. " + s
    below = b.get("below_floor") or {}
    for cid, x in below.items():
        s += (f"The declared {names.get(cid, cid)} total ({x['declared']:,}) is {x['shortfall']:,} below the "
              f"{x['counted']:,} already counted. ")
    return s.strip()


def bound_headline(bounds: list[dict]) -> str:
    """One headline for every declared result compared with the tally: the first (the latest
    bulletin, as the config lists it) in full, the others in one sentence each."""
    m = bounds[0]
    b, names, who = m["bound"], m["names"], m["who"]
    w, r = b["declared_winner"], b["compared_with"]
    wn, rn = names.get(w, w), names.get(r, r)
    unreachable = [x for x in bounds if x["bound"].get("declared_margin_reachable") is False]
    cov = ((m.get("coverage") or {}).get("independent") or {})
    s = ""
    if len(unreachable) == len(bounds):
        s += "The declared result cannot be reached from the tally sheets. "
    elif b.get("declared_margin_reachable") is False:
        s += f"The result declared in {who} cannot be reached from the tally sheets. "
    s += f"{who[:1].upper() + who[1:]} declared {wn} {b['declared'][w]:,} votes and {rn} {b['declared'][r]:,}. "
    covered = ""
    if cov.get("units_covered") and cov.get("expected_units"):
        covered = (f", covering {cov['units_covered']:,} of {cov['expected_units']:,} tables "
                   f"({100 * cov['units_covered'] / cov['expected_units']:.1f} %),")
    s += (f"{m['who_ind'][:1].upper() + m['who_ind'][1:]}{covered} count {rn} {b['counted'][r]:,} and "
          f"{wn} {b['counted'][w]:,}. ")
    unc = b.get("uncovered_electors")
    if unc is not None and b.get("max_winner_margin") is not None:
        s += (f"Even if all {unc:,} electors of the tables not covered had voted for {wn}, {wn} would reach "
              f"at most {b['max_winner_total']:,} votes — "
              + (f"still {abs(b['max_winner_margin']):,} behind {rn}. " if b["max_winner_margin"] < 0 else
                 f"{b['max_winner_margin']:,} ahead of {rn}. "))
    for cid, x in (b.get("below_floor") or {}).items():
        s += (f"The declared {names.get(cid, cid)} total is {x['shortfall']:,} votes below the {x['counted']:,} "
              "already counted for that candidate, and counting more tables cannot lower it. ")
    for o in bounds[1:]:
        ob, on = o["bound"], o["names"]
        ow, orr = ob["declared_winner"], ob["compared_with"]
        fails = []
        if ob.get("winner_can_lead") is False or ob.get("declared_margin_reachable") is False:
            fails.append("cannot be reached either")
        for cid, x in (ob.get("below_floor") or {}).items():
            fails.append(f"its {on.get(cid, cid)} total is {x['shortfall']:,} below the count")
        s += (f"{o['who'][:1].upper() + o['who'][1:]}, with {on.get(ow, ow)} {ob['declared'][ow]:,} and "
              f"{on.get(orr, orr)} {ob['declared'][orr]:,}, "
              + (": ".join(fails) if fails else "is within reach of the tally sheets") + ". ")
    return s.strip()


def discrepancies_by_region(d: dict, ind):
    """Per top-level region: units differing and absolute vote differences, from the discrepancy list."""
    disc = d.get("discrepancies") or []
    lvl = (ind.meta.hierarchy or [None])[0]
    if lvl is None:
        return None
    cands = d["candidates"]["compared"]
    rows: dict[str, dict] = {}
    try:
        g = ind.by(lvl)
        names = g[lvl] if lvl in g.columns else pd.Series(g.index.astype(str), index=g.index)
        for code, nm in names.items():
            rows[str(code)] = {"region": str(nm), "units_differing": 0, "abs_votes": 0, "margin_effect": 0}
    except KeyError:
        pass
    key = f"{lvl}_code" if disc and f"{lvl}_code" in disc[0] else lvl
    pair = (d.get("margin") or {}).get("pair") or cands[:2]
    for x in disc:
        code = str(x.get(key, ""))
        r = rows.setdefault(code, {"region": str(x.get(lvl, code)), "units_differing": 0, "abs_votes": 0,
                                   "margin_effect": 0})
        r["units_differing"] += 1
        r["abs_votes"] += int(sum(abs(x.get(f"{c}_diff") or 0) for c in cands))
        if len(pair) == 2:
            r["margin_effect"] += int((x.get(f"{pair[0]}_diff") or 0) - (x.get(f"{pair[1]}_diff") or 0))
    if not rows:
        return None
    return lvl, pd.DataFrame(list(rows.values()))
