"""The audit: config → every section's data, charts and headline findings (nothing printed).

``run_audit(config, seed=None, progress=None)`` loads each source once, runs
the reconciliations, the integrity checks of published figures, the claims
check and the forensic tests through ``adapters``, builds the charts and
returns an :class:`AuditResult`. A section whose piece is missing carries
``available: False`` and the reason; the report then says so.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from .. import __version__ as VERSION
from .. import limits as _limits
from ..errors import InputError
from . import adapters, charts
from .config import AuditConfig

Progress = Callable[[str], None]


@dataclass
class AuditResult:
    config: AuditConfig
    seed: int
    #: JSON-ready sections: compare, published, claims, forensics
    sections: dict[str, Any]
    headlines: list[dict[str, str]]
    charts: list[charts.Chart]
    inputs: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    #: the article texts checked, by the name the config gives them: the report folder keeps a copy
    #: (texts/NAME) so that verify can re-run it without reading outside the folder
    texts: dict[str, bytes] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "electcheck_version": VERSION,
            "title": self.config.title,
            "seed": self.seed,
            "config": self.config.to_dict(),
            "headlines": self.headlines,
            "inputs": [{k: v for k, v in i.items() if k != "path"} for i in self.inputs],
            "sections": self.sections,
            "charts": [{"slug": c.slug, "title": c.title, "subtitle": c.subtitle, "source": c.source,
                        "alt": c.alt, "files": [f"charts/{c.slug}.svg", f"charts/{c.slug}.png",
                                                f"charts/{c.slug}.csv"]} for c in self.charts],
            "notes": self.notes,
        }


def _names(t) -> dict[str, str]:
    return {c.id: c.name for c in t.meta.candidates}


def _short(name: str) -> str:
    """'Nicolás Maduro Moros' → 'Maduro' style short label when no alias gives one (second word if 3+ words)."""
    parts = name.split()
    if len(parts) >= 3:
        return parts[1]
    return parts[-1] if parts else name


def _short_names(t) -> dict[str, str]:
    """Candidate id → short name for headlines: the first one-word alias in Latin letters
    ('Maduro', 'Putin', 'Jokowi'), else a word of the full name."""
    out = {}
    for c in t.meta.candidates:
        one = [a for a in (c.aliases or ()) if re.fullmatch(r"[A-Za-zÀ-ÿ'’-]{3,}", a) and not a.isupper()]
        out[c.id] = one[0] if one else _short(c.name)
    return out


def _plan(cfg: AuditConfig) -> list[str]:
    """The steps ``run_audit`` reports through ``progress``, in order (for a progress bar's total)."""
    steps, seen = [], set()

    def load(n):
        if n and n not in seen:
            seen.add(n)
            steps.append(f"ingest {n}")

    for c in cfg.compare:
        load(c.official), load(c.independent), load(c.registered_from)
        steps.append(f"compare {c.official} / {c.independent}")
    for n in cfg.published:
        load(n)
        steps.append(f"integrity {n}")
    ind = cfg.compare[0].independent if cfg.compare else (cfg.claims_against[:1] or [cfg.forensics_source])[0]
    if ind and cfg.region_level:
        load(ind)
    if cfg.claim_files:
        for n in cfg.claims_against:
            load(n)
        steps += [f"check claims in {f}" for f in cfg.claim_files]
    if cfg.forensics_source:
        load(cfg.forensics_source)
        steps.append(f"forensics {cfg.forensics_source}")
    return steps


def plan_steps(cfg: AuditConfig) -> list[str]:
    """Names of the steps ``run_audit(cfg)`` announces, in order (a progress bar's total is their count)."""
    return _plan(cfg)


def _src_label(t) -> str:
    files = ", ".join(i["name"] for i in adapters.inputs_of(t))
    return f"{t.meta.source} ({files})" if files else t.meta.source


def _parties(spec) -> tuple[str, str]:
    """('CNE bulletin 2 (2 August)', 'the opposition tally sheets (V2)') from a label 'X against Y'."""
    lab = spec.label or ""
    if " against " in lab:
        x, y = lab.split(" against ", 1)
        return x.strip(), y.strip()
    return spec.official, spec.independent


def run_audit(cfg: AuditConfig, seed: int | None = None, progress: Progress | None = None) -> AuditResult:
    """Run every step named in ``cfg``; return the data of the report (nothing printed or written).

    ``progress(name)`` is called as each step of :func:`plan_steps` begins.
    """
    seed = cfg.seed if seed is None else int(seed)
    step = progress or (lambda _m: None)
    cache: dict[str, Any] = {}
    inputs: dict[str, dict] = {}
    texts: dict[str, bytes] = {}

    def load(name: str):
        if name not in cache:
            step(f"ingest {name}")
            t = adapters.load(name, cfg.base_dir)
            cache[name] = t
            for i in adapters.inputs_of(t):
                inputs.setdefault(i["path"], {"source": name, **i})
        return cache[name]

    sections: dict[str, Any] = {}
    headlines: list[dict[str, str]] = []
    out_charts: list[charts.Chart] = []
    notes: list[str] = []
    labels: dict[str, str] = {}       # source name → readable name ('CNE bulletin 1 (29 July)')
    slugs: set[str] = set()

    def add_chart(c: charts.Chart) -> None:
        k, base = 2, c.slug
        while c.slug in slugs:
            c.slug = f"{base}-{k}"
            k += 1
        slugs.add(c.slug)
        out_charts.append(c)

    # --- reconciliations --------------------------------------------------------------------
    comps = []
    bounds: list[dict[str, Any]] = []
    for k, spec in enumerate(cfg.compare):
        entry: dict[str, Any] = {"label": spec.label or f"{spec.official} vs {spec.independent}",
                                 "official": spec.official, "independent": spec.independent,
                                 "registered_from": spec.registered_from}
        who_off, who_ind = _parties(spec)
        labels.setdefault(spec.official, who_off)
        labels.setdefault(spec.independent, who_ind)
        try:
            off, ind = load(spec.official), load(spec.independent)
            reg = load(spec.registered_from) if spec.registered_from else None
            step(f"compare {spec.official} / {spec.independent}")
            d = adapters.compare(off, ind, reg, spec.level)
            names = {**_short_names(ind), **_short_names(off)}
            b = d.get("bound")
            aggregate = d["official"].get("rows") == 1 or d["official"].get("unit_level") == "nation"
            entry.update(available=True, aggregate=bool(aggregate), result=_slim_compare(d, aggregate))
            if aggregate and b and b.get("declared_winner"):
                entry["bound_summary"] = _bound_summary(b, names, who_off, who_ind, d.get("coverage"))
                bounds.append({"spec": spec, "bound": b, "names": names, "who": who_off, "who_ind": who_ind,
                               "coverage": d.get("coverage")})
                if len(bounds) == 1:
                    add_chart(charts.bound_chart(
                        b, names,
                        f"{_src_label(ind)}; declared figures {spec.official}; registered electors from "
                        f"{spec.registered_from or 'the independent tally'}. Computed by electcheck.",
                        label=entry["label"]))
            elif d.get("level") not in (None, "nation"):
                u = d["units"]
                uw = _unit_word(d, off)
                rd = _discrepancies_by_region(d, ind)
                if rd is not None:
                    lvl, frame = rd
                    add_chart(charts.discrepancies_by_region(
                        frame, lvl, f"{_src_label(off)} and {_src_label(ind)}. Computed by electcheck.",
                        entry["label"], unit_word=uw, matched=u["matched"]))
                headlines.append({"kind": "match", "source": spec.official, "text": (
                    f"{entry['label']}: of {u['matched']:,} {uw}s found in both, {u['differing']:,} differ"
                    f"{_diff_votes(d)}; {u['only_official']:,} {uw}s only in {spec.official}, "
                    f"{u['only_independent']:,} only in {spec.independent}.")})
        except adapters.Unavailable as e:
            entry.update(available=False, reason=str(e))
        comps.append(entry)
    if cfg.compare:
        sections["compare"] = comps
    if bounds:
        headlines.insert(0, {"kind": "bound", "source": ", ".join(x["spec"].official for x in bounds),
                             "text": _bound_headline(bounds)})

    # --- published figures: integrity ------------------------------------------------------
    pubs = []
    for name in cfg.published:
        try:
            t = load(name)
            step(f"integrity {name}")
            f = adapters.integrity(t)
            pubs.append({"source": name, "label": labels.get(name, name), "available": True, "findings": f})
            for x in f:
                if x.get("code") == "round-percentages":
                    headlines.append({"kind": "round", "source": name,
                                      "text": _round_headline(x, labels.get(name, name), _short_names(t))})
        except adapters.Unavailable as e:
            pubs.append({"source": name, "label": labels.get(name, name), "available": False, "reason": str(e)})
    if cfg.published:
        sections["published"] = pubs

    # --- margin by region (first independent tally with a region level) ---------------------
    ind_name = (cfg.compare[0].independent if cfg.compare else
                (cfg.claims_against[:1] or [cfg.forensics_source])[0])
    if ind_name and cfg.region_level:
        t = load(ind_name)
        fr = _region_frame(t, cfg.region_level)
        if fr is not None:
            frame, a, b = fr
            add_chart(charts.margin_by_region(frame, cfg.region_level, a, b, _short_names(t),
                                              f"{_src_label(t)}. Computed by electcheck.",
                                              basis=t.meta.share_basis))

    # --- claims ---------------------------------------------------------------------------
    if cfg.claim_files:
        cl: dict[str, Any] = {"files": [], "available": True}
        try:
            tallies = [load(n) for n in cfg.claims_against]
            short = {}
            for tt in tallies:
                short.update(_short_names(tt))
            allc = []
            for fn in cfg.claim_files:
                p = cfg.resolve_file(fn)
                data = _limits.read_bytes(p, what="claims file")
                texts[fn] = data
                inputs.setdefault(str(p), {"source": "claims", "name": fn, "path": str(p),
                                           "sha256": hashlib.sha256(data).hexdigest(), "rows": None})
                step(f"check claims in {fn}")
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError as e:
                    raise InputError("cannot be read as UTF-8 text", file=fn,
                                     row=data[: e.start].count(b"\n") + 1, hint="Save the file as UTF-8") from None
                r = adapters.check_claims(text, tallies)
                cl["files"].append({"file": fn, "summary": r.get("summary"), "claims": r.get("claims", [])})
                allc += r.get("claims", [])
            if any(c.get("verdict") != "unverifiable" for c in allc):
                headlines.append({"kind": "claims", "source": ", ".join(cfg.claim_files),
                                  "text": _claims_headline(allc, cfg.claim_files, short,
                                                           [labels.get(n, n) for n in cfg.claims_against])})
            add_chart(charts.claims_table(allc, f"{', '.join(cfg.claim_files)} checked against "
                                                f"{', '.join(cfg.claims_against)}. electcheck."))
        except adapters.Unavailable as e:
            cl = {"available": False, "reason": str(e)}
        sections["claims"] = cl

    # --- forensics -------------------------------------------------------------------------
    if cfg.forensics_source:
        name = cfg.forensics_source
        try:
            t = load(name)
            step(f"forensics {name}")
            fx = adapters.forensics(t, cfg.tests, seed=seed, resamples=cfg.resamples,
                                    calibration_sims=cfg.calibration_sims)
            short = _short_names(t)
            labels.setdefault(name, cfg.forensics_label or name)
            sec = {"available": True, "source": name, "label": labels[name], "resamples": cfg.resamples, "tests": fx.tests,
                   "family": fx.family, "family_text": _family_text(fx.family),
                   "calibration": fx.calibration, "cannot_see": fx.cannot_see,
                   "stations_listed": fx.flags_count, "units": fx.units, "notes": fx.notes,
                   "subject_names": {**short, **{f"turnout|{k}": f"turnout and {v}'s share"
                                                 for k, v in short.items()}}}
            sections["forensics"] = sec
            headlines.append({"kind": "forensics", "source": name,
                              "text": _forensics_summary(fx.tests, fx.family, short, labels.get(name, name),
                                                         fx.units.get("usable"))})
            src = f"{_src_label(t)}; {cfg.resamples} resamples, seed {seed}. Computed by electcheck."
            byslug: dict[str, list[dict]] = {}
            for x in fx.tests:
                byslug.setdefault(x["test"], []).append(x)
            leader = short.get(fx.leader, fx.leader)
            if "fingerprint" in byslug:
                fp = byslug["fingerprint"][0]
                add_chart(charts.fingerprint(fx.turnout, fx.share, leader, src, fp.get("statistic")))
            if "integer-percent" in byslug:
                add_chart(charts.integer_percent(
                    fx.turnout, fx.registered, fx.share, fx.share_den, fx.included, seed=seed,
                    resamples=cfg.resamples, result=byslug["integer-percent"][0], leader=leader,
                    family_size=fx.family.get("size"), source=src))
            for which, slug, most in (("last", "last-digit", 2), ("second", "second-digit", 1)):
                rows = [x for x in byslug.get(slug, []) if x.get("scope") == "national"
                        and (x.get("details") or {}).get("observed_freq")]
                for r in rows[:most]:
                    cid = r["subject"]
                    add_chart(charts.digits(r, short.get(cid, cid), which, src, slug_id=cid))
        except adapters.Unavailable as e:
            sections["forensics"] = {"available": False, "source": name, "reason": str(e)}

    rank = {"bound": 0, "claims": 1, "margin-by-region": 2, "discrepancies-by-region": 3, "fingerprint": 4,
            "integer-percent": 5}
    out_charts.sort(key=lambda c: rank.get(re.sub(r"-\d+$", "", c.slug), 6))  # stable: digits keep their order
    for h in headlines:
        h.setdefault("title", HEADLINE_TITLES.get(h["kind"], ""))
    return AuditResult(cfg, seed, sections, _order(headlines), out_charts,
                       sorted(inputs.values(), key=lambda i: (i["name"], i["path"])), notes, texts)


HEADLINE_TITLES = {"bound": "The count", "claims": "The article", "round": "The bulletin's arithmetic",
                   "forensics": "Forensic tests", "match": "Cross-check"}


def _order(h: list[dict]) -> list[dict]:
    """Declared result vs tally, the article, published arithmetic, forensics, cross-checks; without a
    declared result to test, the cross-checks of two tallies come before the forensic tests."""
    rank = {"bound": 0, "claims": 1, "round": 2, "forensics": 3, "match": 4}
    if not any(x["kind"] == "bound" for x in h):
        rank["match"] = 2.5
    return sorted(h, key=lambda x: rank.get(x["kind"], 9))


def _num(v: Any) -> str:
    if isinstance(v, (int, np.integer)) or (isinstance(v, float) and float(v).is_integer() and abs(v) > 100):
        return f"{int(v):,}"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def _unit_word(d: dict, t) -> str:
    lvl = d.get("level") or t.meta.unit_level or "unit"
    return {"tps": "polling station", "uik": "precinct", "mesa": "table"}.get(str(lvl).lower(), str(lvl))


def _diff_votes(d: dict) -> str:
    disc = d.get("discrepancies") or []
    cands = (d.get("candidates") or {}).get("compared") or []
    if not disc or not cands or len(disc) < (d.get("discrepancies_total") or len(disc)):
        return ""
    v = int(sum(abs(x.get(f"{c}_diff") or 0) for x in disc for c in cands))
    return f", by {v:,} votes in all"


def _bound_summary(b: dict, names: dict[str, str], who: str = "", who_ind: str = "",
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


def _bound_headline(bounds: list[dict]) -> str:
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


def _round_headline(f: dict, who: str, names: dict[str, str]) -> str:
    ev = f.get("evidence") or {}
    per = ev.get("per_count") or []
    if not per or not ev.get("total"):
        return f"{who}: {f.get('message', '')}"
    dec = int(ev.get("decimals") or 1)
    per = sorted(per, key=lambda x: -x["votes"])
    bits = ", ".join(f"{names.get(x['candidate'], 'others' if x['candidate'] == 'OTHERS' else x['candidate'])} "
                     f"{x['votes']:,} = {x['percent']:.{dec}f} %" for x in per)
    p = ev.get("p_value")
    chance = (f" Counted votes would do that by chance less than once in "
              f"{10 ** int(np.floor(np.log10(1 / p))):,} times (p = {p:.1g})." if p else "")
    return (f"{who[:1].upper() + who[1:]}: every count is exactly the total ({ev['total']:,}) times a percentage "
            f"with {dec} decimal, rounded to the vote ({bits}).{chance} The figures look computed from "
            "percentages, not added up from tally sheets.")


def _claims_headline(claims: list[dict], files: list[str], names: dict[str, str], against: list[str]) -> str:
    checked = [c for c in claims if c.get("verdict") != "unverifiable"]
    parts = []
    for c in checked:
        sub = c.get("subject") or {}
        who = names.get(sub.get("candidate"), sub.get("candidate_name") or "")
        q = c.get("quantity")
        words = charts._claim_words(c)
        act = c.get("actual")
        if q == "votes":
            what = f"{who}'s votes" if who else "votes"
            data = f"{_num(act)}" if act is not None else "not in the data"
        elif q in ("margin_points", "share", "turnout", "coverage"):
            opp = names.get(sub.get("opponent"), "")
            what = (f"{who}'s margin over {opp}" if q == "margin_points" and opp else
                    f"{who}'s {q.replace('_points', '')}" if who else q.replace("_", " "))
            data = f"{act:.2f} points" if act is not None and q == "margin_points" else (
                f"{act:.2f} %" if act is not None else "not in the data")
        else:
            what, data = q or "figure", _num(act) if act is not None else "not in the data"
        s = f"“{words}” ({what}) is {c['verdict']}: the data give {data}"
        if c.get("verdict") == "misleading":
            alt = [a for a in (c.get("alternatives") or []) if a.get("in_interval")]
            if alt:
                basis = {"two-candidate": "the two leading candidates' votes", "ballots": "all ballots",
                         "valid": "valid votes"}.get(alt[0]["basis"], alt[0]["basis"])
                s += (f" on the standard basis ({c.get('standard_basis', 'valid')} votes); the figure holds only "
                      f"on {basis} ({alt[0]['value']:.2f})")
        parts.append(s)
    head = (f"In {', '.join(files)}, checked against {', '.join(against)}: " if files else "")
    return head + "; ".join(parts) + "."


HARD = {"VOTES_GT_REGISTERED": "more votes than registered electors", "TURNOUT_100": "100 % turnout",
        "ONE_CANDIDATE_100": "every vote for one candidate", "SUM_CANDIDATES": "candidate votes that do not add up "
        "to the valid votes", "SUM_BALLOTS": "valid and invalid votes that do not add up to the ballots",
        "NEGATIVE": "a negative count"}
TEST_WORDS = {"integer-percent": "whole-percentage turnout or share", "second-digit": "second digits",
              "last-digit": "last digits", "zero-five": "counts ending in 0 or 5",
              "fingerprint": "turnout rising with the leader's share", "distribution-shape": "distribution shape"}


def _family_text(family: dict) -> str:
    """The multiple-testing family as the forensics report states it, in one sentence."""
    if not family:
        return ""
    by = family.get("by_test") or {}
    exc = family.get("excluded") or {}
    scopes = family.get("scopes")
    s = (f"{family.get('method', 'Benjamini–Hochberg')} across a family of {family.get('size', 0)} p-values"
         + (f" ({', '.join(f'{k} {v}' for k, v in by.items())})" if by else ""))
    if scopes == 1:
        s += ", national scope only"
    elif scopes:
        s += f", {scopes} scopes (national and each region)"
    words = {"not_applicable": "result(s) of tests that do not apply", "no_p_value": "count(s) without a p-value",
             "anti_conservative": "withheld p-value(s) of anti-conservative tests"}
    ex = [f"{v} {words.get(k, k.replace('_', ' '))}" for k, v in exc.items() if v]
    if ex:
        s += f"; not in the family: {', '.join(ex)}"
    return s + "."


def _pq(v: float | None, name: str = "") -> str:
    """'q = 0.023', 'q < 0.001' (with ``name``), or the bare value."""
    if v is None:
        return f"{name} = –" if name else "–"
    if v < 0.001:
        return f"{name} < 0.001" if name else "< 0.001"
    return f"{name} = {v:.2g}" if name else f"{v:.2g}"


def _forensics_summary(tests: list[dict], family: dict, names: dict[str, str], who: str,
                       usable: int | None = None) -> str:
    def subj(t):
        x = str(t.get("subject", ""))
        return names.get(x.split("|")[-1], x.split("|")[-1])

    app = [t for t in tests if t.get("applicable") and t.get("p_value") is not None]
    sig = [t for t in app if t.get("q_value") is not None and t["q_value"] <= 0.05]
    lead = [t for t in app if t not in sig and t["p_value"] <= 0.05]
    na = [t for t in tests if not t.get("applicable")]
    n = family.get("size", len(app))
    by = family.get("by_test") or {}
    s = (f"On {who}{f', {usable:,} units' if usable else ''}: "
         f"{family.get('method', 'Benjamini–Hochberg')} correction over a family of {n} p-values"
         + (f" ({', '.join(f'{k} {v}' for k, v in by.items())}"
            + ("; national scope only" if family.get("scopes") == 1 else
               f"; {family['scopes']} scopes" if family.get("scopes") else "") + ")" if by else "") + ". ")
    if sig:
        s += ("Significant after the correction (q ≤ 0.05): " + "; ".join(
            f"{TEST_WORDS.get(t['test'], t['test'])} ({subj(t)}, {_pq(t['q_value'], 'q')})" for t in sig)
            + ". Each is a lead to investigate, not proof of fraud. ")
    else:
        s += "None is significant after the correction (q ≤ 0.05). "
    ip = next((t for t in tests if t.get("test") == "integer-percent" and t.get("excess") is not None), None)
    if ip and ip.get("sd") and ip.get("p_value") is not None:
        R = int((ip.get("details") or {}).get("resamples") or 0)
        at_floor = R > 0 and ip["p_value"] <= 1.0 / (R + 1) + 1e-9
        z = ip["excess"] / ip["sd"]
        s += (f"Units at a whole-percentage turnout or {subj(ip)} share: {ip['excess']:+,.0f} beyond the Monte "
              f"Carlo expectation ({z:.1f} standard deviations; {_pq(ip['p_value'], 'p')}, "
              f"{_pq(ip['q_value'], 'q')})")
        if at_floor and ip in lead:
            s += (f" — p is the smallest {R} resamples can give, so the correction, not the data, keeps it "
                  "above 0.05; run with more resamples before reading it either way. ")
        elif ip in lead:
            s += (" — on its own it would stand out, but not once all the tests are counted: a lead at most, "
                  "not evidence. ")
        else:
            s += ". "
    other = [t for t in lead if t is not ip]
    if other:
        s += ("Below 0.05 before the correction only: " + ", ".join(
            f"{TEST_WORDS.get(t['test'], t['test'])} ({subj(t)}, {_pq(t['p_value'], 'p')})" for t in other)
            + " — expected by chance among this many tests. ")
    hard = [t for t in tests if t.get("test") == "hard-checks" and t.get("statistic")]
    if hard:
        s += "Hard checks: " + "; ".join(f"{int(t['statistic']):,} units with "
                                         f"{HARD.get(t['subject'], t['subject'])}" for t in hard) + ". "
    elif any(t.get("test") == "hard-checks" for t in tests):
        s += "No unit fails a hard check (more votes than electors, 100 % turnout, sums that do not add up). "
    withheld = [t for t in tests if t.get("calibration") == "anti-conservative"]
    if withheld:
        s += (f"{len(withheld)} result(s) withheld: the test rejects too many clean simulated elections of "
              "this shape. ")
    if na:
        s += f"{len(na)} result(s) do not apply to these data. "
    s += ("These tests look for traces of some kinds of manipulation (round-number targets, invented digits, "
          "ballot stuffing that raises turnout with the leader's share); a clean result does not prove a clean "
          "count, and a flag is a lead to check, not proof of fraud.")
    return s


#: findings about matched units that say nothing when the official side is one national row
_UNIT_ONLY = {"compare.margin-explained"}


def _slim_compare(d: dict, aggregate: bool = False) -> dict:
    out = {k: d[k] for k in ("official", "independent", "level", "candidates", "units", "totals", "margin",
                             "coverage", "bound", "estimate", "findings", "notes") if k in d}
    if aggregate and out.get("findings"):
        out["findings"] = [f for f in out["findings"] if f.get("code") not in _UNIT_ONLY]
    out["discrepancies"] = (d.get("discrepancies") or [])[:50]
    out["discrepancies_total"] = d.get("discrepancies_total")
    return out


def _region_frame(t, level: str):
    try:
        g = t.by(level)
    except KeyError:
        return None
    cands = [c for c in t.candidate_ids if c in g.columns]
    if len(cands) < 2:
        return None
    tot = g[cands].sum()
    a, b = list(tot.sort_values(ascending=False).index[:2])
    col = "ballots" if t.meta.share_basis == "ballots" else "valid"
    denom = g[col] if col in g.columns else g[cands].sum(axis=1)
    region = g[level] if level in g.columns else pd.Series(g.index.astype(str), index=g.index)
    frame = pd.DataFrame({"region": region.astype(str).to_numpy(),
                          a: g[a].fillna(0).to_numpy(np.int64), b: g[b].fillna(0).to_numpy(np.int64),
                          "denom": denom.astype("Float64").fillna(0).to_numpy(np.float64)})
    frame = frame[frame["denom"] > 0].reset_index(drop=True)
    if frame.empty:
        return None
    return frame, a, b


def _discrepancies_by_region(d: dict, ind):
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
