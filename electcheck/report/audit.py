"""The audit: config → every section's data, charts and headline findings (nothing printed).

``run_audit(config, seed=None, progress=None)`` loads each source once, runs
the reconciliations, the integrity checks of published figures, the claims
check and the forensic tests through ``adapters``, builds the charts and
returns an :class:`AuditResult`. A section whose piece is missing carries
``available: False`` and the reason; the report then says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from .. import __version__ as VERSION
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
    """'Nicolás Maduro Moros' → 'Maduro' style short label for headlines (second word if 3+ words)."""
    parts = name.split()
    if len(parts) >= 3:
        return parts[1]
    return parts[-1] if parts else name


def _src_label(t) -> str:
    files = ", ".join(i["name"] for i in adapters.inputs_of(t))
    return f"{t.meta.source} ({files})" if files else t.meta.source


def run_audit(cfg: AuditConfig, seed: int | None = None, progress: Progress | None = None) -> AuditResult:
    seed = cfg.seed if seed is None else int(seed)
    step = progress or (lambda _m: None)
    cache: dict[str, Any] = {}
    inputs: dict[str, dict] = {}

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

    # --- reconciliations --------------------------------------------------------------------
    comps = []
    bound_done = False
    for k, spec in enumerate(cfg.compare):
        entry: dict[str, Any] = {"label": spec.label or f"{spec.official} vs {spec.independent}",
                                 "official": spec.official, "independent": spec.independent,
                                 "registered_from": spec.registered_from}
        try:
            off, ind = load(spec.official), load(spec.independent)
            reg = load(spec.registered_from) if spec.registered_from else None
            step(f"compare {spec.official} / {spec.independent}")
            d = adapters.compare(off, ind, reg, spec.level)
            entry.update(available=True, result=_slim_compare(d))
            names = d["candidates"]["names"]
            b = d.get("bound")
            aggregate = d["official"].get("rows") == 1 or d["official"].get("unit_level") == "nation"
            if aggregate and b and b.get("declared_winner"):
                entry["bound_summary"] = _bound_summary(b, {c: _short(n) for c, n in names.items()})
                headlines.append({"kind": "bound", "source": spec.official,
                                  "text": entry["bound_summary"]})
                if not bound_done:
                    out_charts.append(charts.bound_chart(
                        b, {c: _short(n) for c, n in names.items()},
                        f"{_src_label(ind)}; declared figures {spec.official}; registered electors from "
                        f"{spec.registered_from or 'the independent tally'}. Computed by electcheck.",
                        label=entry["label"]))
                    bound_done = True
            elif d.get("level") not in (None, "nation"):
                rd = _discrepancies_by_region(d, ind)
                if rd is not None:
                    lvl, frame = rd
                    out_charts.append(charts.discrepancies_by_region(
                        frame, lvl, f"{_src_label(off)} and {_src_label(ind)}. Computed by electcheck.",
                        entry["label"]))
                u = d["units"]
                headlines.append({"kind": "match", "source": spec.official, "text": (
                    f"{entry['label']}: {u['matched']:,} units matched, {u['differing']:,} differ; "
                    f"{u['only_official']:,} only in {spec.official}, {u['only_independent']:,} only in "
                    f"{spec.independent}.")})
        except adapters.Unavailable as e:
            entry.update(available=False, reason=str(e))
        comps.append(entry)
    if cfg.compare:
        sections["compare"] = comps

    # --- published figures: integrity ------------------------------------------------------
    pubs = []
    for name in cfg.published:
        try:
            t = load(name)
            step(f"integrity {name}")
            f = adapters.integrity(t)
            pubs.append({"source": name, "available": True, "findings": f})
            for x in f:
                if x.get("code") == "round-percentages":
                    headlines.append({"kind": "round", "source": name, "text": f"{name}: {x['message']}"})
        except adapters.Unavailable as e:
            pubs.append({"source": name, "available": False, "reason": str(e)})
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
            out_charts.append(charts.margin_by_region(frame, cfg.region_level, a, b,
                                                      {c: _short(n) for c, n in _names(t).items()},
                                                      f"{_src_label(t)}. Computed by electcheck."))

    # --- claims ---------------------------------------------------------------------------
    if cfg.claim_files:
        cl: dict[str, Any] = {"files": [], "available": True}
        try:
            tallies = [load(n) for n in cfg.claims_against]
            allc = []
            for fn in cfg.claim_files:
                p = cfg.resolve_file(fn)
                data = p.read_bytes()
                inputs.setdefault(str(p), {"source": "claims", "name": fn, "path": str(p),
                                           "sha256": hashlib.sha256(data).hexdigest(), "rows": None})
                step(f"check claims in {fn}")
                r = adapters.check_claims(data.decode("utf-8"), tallies)
                cl["files"].append({"file": fn, "summary": r.get("summary"), "claims": r.get("claims", [])})
                allc += r.get("claims", [])
            checked = [c for c in allc if c.get("verdict") != "unverifiable"]
            if checked:
                headlines.append({"kind": "claims", "source": ", ".join(cfg.claim_files), "text": "; ".join(
                    f"“{c['text']}” is {c['verdict']}" + (f" (data: {_num(c.get('actual'))})"
                                                          if c.get("actual") is not None else "")
                    for c in checked)})
            out_charts.append(charts.claims_table(allc, f"{', '.join(cfg.claim_files)} checked against "
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
            fx = adapters.forensics(t, cfg.tests, seed=seed, resamples=cfg.resamples, progress=step,
                                    calibration_sims=cfg.calibration_sims)
            sec = {"available": True, "source": name, "resamples": cfg.resamples, "tests": fx.tests,
                   "family": fx.family, "calibration": fx.calibration, "cannot_see": fx.cannot_see,
                   "stations_listed": fx.flags_count, "notes": fx.notes}
            sections["forensics"] = sec
            headlines.append({"kind": "forensics", "source": name, "text": _forensics_summary(fx.tests)})
            src = f"{_src_label(t)}; {cfg.resamples} resamples, seed {seed}. Computed by electcheck."
            byslug = {}
            for x in fx.tests:
                byslug.setdefault(x["test"], []).append(x)
            if "fingerprint" in byslug:
                fp = byslug["fingerprint"][0]
                out_charts.append(charts.fingerprint(fx.turnout, fx.share, _short(_names(t).get(fx.leader, fx.leader)),
                                                     src, fp.get("statistic")))
            if "integer-percent" in byslug:
                ip = byslug["integer-percent"][0]
                out_charts.append(charts.integer_percent(fx.turnout, fx.registered, fx.included, seed=seed,
                                                         resamples=cfg.resamples, excess=ip.get("excess"),
                                                         sd=ip.get("sd"), source=src))
            for which, data, slug in (("last", fx.last_digits, "last-digit"),
                                      ("second", fx.second_digits, "second-digit")):
                if slug not in byslug:
                    continue
                for cid, (obs, sims) in list(data.items())[:1 if which == "second" else 2]:
                    r = next((x for x in byslug[slug] if x["subject"] == cid), {})
                    out_charts.append(charts.digits(obs, sims, _short(_names(t).get(cid, cid)), which, src,
                                                    r.get("p_value"), r.get("q_value"), slug_id=cid,
                                                    applicable=bool(r.get("applicable", True)),
                                                    reason="; ".join(r.get("caveats") or [])))
        except adapters.Unavailable as e:
            sections["forensics"] = {"available": False, "source": name, "reason": str(e)}

    return AuditResult(cfg, seed, sections, _order(headlines), out_charts,
                       sorted(inputs.values(), key=lambda i: (i["name"], i["path"])), notes)


def _order(h: list[dict]) -> list[dict]:
    rank = {"bound": 0, "claims": 1, "round": 2, "match": 3, "forensics": 4}
    return sorted(h, key=lambda x: rank.get(x["kind"], 9))


def _num(v: Any) -> str:
    if isinstance(v, (int, np.integer)) or (isinstance(v, float) and float(v).is_integer() and abs(v) > 100):
        return f"{int(v):,}"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def _bound_summary(b: dict, names: dict[str, str]) -> str:
    w, r = b["declared_winner"], b["compared_with"]
    wn, rn = names.get(w, w), names.get(r, r)
    unc = b.get("uncovered_electors")
    s = (f"Declared: {wn} {b['declared'][w]:,}, {rn} {b['declared'][r]:,} (margin {b['declared_margin']:+,}). "
         f"On the tally sheets: {wn} {b['counted'][w]:,}, {rn} {b['counted'][r]:,}. ")
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


def _forensics_summary(tests: list[dict]) -> str:
    app = [t for t in tests if t.get("applicable") and t.get("p_value") is not None]
    sig = [t for t in app if t.get("q_value") is not None and t["q_value"] <= 0.05]
    na = [t for t in tests if not t.get("applicable")]
    s = f"{len(app)} statistical test result(s) ran; {len(sig)} significant after Benjamini–Hochberg (q ≤ 0.05)"
    if sig:
        s += ": " + ", ".join(f"{t['test']} ({t['subject']}, q = {t['q_value']:.3g})" for t in sig)
    s += ". "
    ip = next((t for t in tests if t.get("test") == "integer-percent" and t.get("excess") is not None), None)
    if ip and ip.get("sd"):
        s += (f"Units at whole-percentage turnout or leader share: {ip['excess']:+,.0f} beyond the Monte Carlo "
              f"expectation (SD {ip['sd']:,.0f}, p = {ip['p_value']:.3g}). ")
    withheld = [t for t in tests if t.get("calibration") == "anti-conservative"]
    if withheld:
        s += (f"{len(withheld)} result(s) withheld: the test rejects too many clean simulated elections of this "
              "shape. ")
    if na:
        s += f"{len(na)} not applicable to these data. "
    s += ("These tests look for traces of some kinds of manipulation (round-number targets, invented digits, "
          "ballot stuffing with high turnout); a clean result does not prove a clean count, and a flag is a lead "
          "to check, not proof of fraud.")
    return s


def _slim_compare(d: dict) -> dict:
    out = {k: d[k] for k in ("official", "independent", "level", "candidates", "units", "totals", "margin",
                             "coverage", "bound", "estimate", "findings", "notes") if k in d}
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
    denom = g["valid"] if "valid" in g.columns else g[cands].sum(axis=1)
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
