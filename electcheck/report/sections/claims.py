"""Claims: the numbers an article states about the result, each with its verdict against the tallies."""

from __future__ import annotations

from typing import Any

from .. import adapters, charts
from .base import Planned, Section, load_step
from .names import number, short_names

SLUG = "claims"
NEEDS = "[claims] files"


def wanted(cfg) -> bool:
    return bool(cfg.claim_files)


def plan(cfg):
    return [load_step(n) for n in cfg.claims_against] + [Planned(f"check claims in {f}") for f in cfg.claim_files]


def build(ctx) -> Section:
    cfg = ctx.cfg
    sec = Section(SLUG)
    data: dict[str, Any] = {"files": [], "available": True}
    try:
        tallies = [ctx.load(n) for n in cfg.claims_against]
        short = {}
        for t in tallies:
            short.update(short_names(t))
        allc = []
        for fn in cfg.claim_files:
            raw = ctx.read_text(fn)
            ctx.step(f"check claims in {fn}")
            r = adapters.check_claims(ctx.decode_text(fn, raw), tallies)
            data["files"].append({"file": fn, "summary": r.get("summary"), "claims": r.get("claims", [])})
            allc += r.get("claims", [])
        if any(c.get("verdict") != "unverifiable" for c in allc):
            sec.headlines.append({"kind": "claims", "source": ", ".join(cfg.claim_files),
                                  "text": claims_headline(allc, cfg.claim_files, short,
                                                          [ctx.labels.get(n, n) for n in cfg.claims_against])})
        sec.charts.append(charts.claims_table(allc, f"{', '.join(cfg.claim_files)} checked against "
                                                    f"{', '.join(cfg.claims_against)}. electcheck."))
    except adapters.Unavailable as e:
        data = {"available": False, "reason": str(e)}
        sec.headlines, sec.charts = [], []
    sec.data = data
    return sec


def claims_headline(claims: list[dict], files: list[str], names: dict[str, str], against: list[str]) -> str:
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
            data = f"{number(act)}" if act is not None else "not in the data"
        elif q in ("margin_points", "share", "turnout", "coverage"):
            opp = names.get(sub.get("opponent"), "")
            what = (f"{who}'s margin over {opp}" if q == "margin_points" and opp else
                    f"{who}'s {q.replace('_points', '')}" if who else q.replace("_", " "))
            data = f"{act:.2f} points" if act is not None and q == "margin_points" else (
                f"{act:.2f} %" if act is not None else "not in the data")
        else:
            what, data = q or "figure", number(act) if act is not None else "not in the data"
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
