"""report.md: the same findings as the HTML, as Markdown (charts linked as PNG)."""

from __future__ import annotations

import re
from typing import Any

from ..escape import markdown
from .html import _num


def _cell(v: Any) -> str:
    """A table cell: every value goes through escape.markdown (no HTML, link or image from data)."""
    return markdown(_num(v) if not isinstance(v, str) else v)


def _slug(slug: str) -> str:
    """A chart's file stem, reduced to characters that are safe in a link target."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", str(slug)).lstrip(".") or "chart"


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(v) for v in r) + " |" for r in rows]
    return out


def _p(v: Any) -> str:
    return "–" if v is None else ("< 0.001" if float(v) < 0.001 else f"{float(v):.3g}")


def _text(s: Any) -> str:
    return markdown("" if s is None else s)


def _actas(a: dict) -> list[str]:
    """The acta photos of one folder: accounting, unreadable, duplicates, conflicts, disagreements."""
    p = a["photos"]
    L = [f"## Acta photos: {_text(a['label'])}", "",
         f"{_cell(p['read'])} photos read in {_text(a['folder'])}: {_cell(p['accepted'])} accepted "
         f"({_cell(p['actas'])} actas; {_cell(p['duplicate_photos'])} duplicate photos counted once), "
         f"{_cell(p['unreadable'])} unreadable, {_cell(p['set_aside_by_conflict_rule'])} set aside by the "
         "conflict rule. Every photo is listed in `acta-photos.csv`.", ""]
    if a["unreadable"]:
        L += ["Unreadable photos:", ""]
        L += _table(["reason", "file", "detail"], [[g["meaning"], f["file"], f["detail"]]
                                                   for g in a["unreadable"] for f in g["files"]]) + [""]
    if a["duplicates"]:
        L += ["Duplicates (the same acta with the same counts, counted once):", ""]
        L += _table(["acta", "files"], [[x["acta"], ", ".join(x["files"])] for x in a["duplicates"]]) + [""]
    if a["conflicts"]:
        L += [f"Conflicts (the same acta with different counts). Rule: {_text(a['conflict_rule_text'])}.", ""]
        L += _table(["acta", "files", "differing counts", "payload", "counted"],
                    [[c["acta"], ", ".join(q["files"]), "; ".join(f"{x['figure']}: {x['by_payload'][i]}"
                                                                 for x in c["differing"]),
                      q["payload"], "yes" if c["counted"] in q["files"] else "no"]
                     for c in a["conflicts"] for i, q in enumerate(c["payloads"])]) + [""]
    for g in a["disagreements"]:
        if not g.get("available"):
            L += [f"Against {_text(g['compared_with'])}: not available: {_text(g.get('reason'))}", ""]
        elif not g["actas"]:
            L += [f"Against {_text(g['compared_with'])}: all {_cell(g['matched'])} actas found in both agree.", ""]
        else:
            L += [f"Against {_text(g['compared_with'])}: {_cell(g['differing'])} of {_cell(g['matched'])} actas "
                  f"found in both differ (difference = photo − {_text(g['compared_with'])}).", ""]
            L += _table(["acta", "photo", "figure", "on the photo", f"in {g['compared_with']}", "difference"],
                        [[x["acta"], x["file"], f["name"], f["photo"], f["compared"], f"{f['difference']:+}"]
                         for x in g["actas"] for f in x["figures"]]) + [""]
    return L


def render_markdown(audit) -> str:
    d = audit.to_dict()
    L = [f"# {_text(d['title'])}", "", f"electcheck {d['electcheck_version']}, seed {d['seed']}.", "",
         "## What the data show", ""]
    for h in d["headlines"]:
        L.append("- " + (f"**{_text(h['title'])}** — " if h.get("title") else "") + _text(h["text"]))
    for k in ("compare", "claims", "forensics"):
        s = d["sections"].get(k)
        if isinstance(s, dict) and s.get("available") is False:
            L.append(f"- **The {k} section is not available:** {_text(s.get('reason'))}")
    L.append("")
    for c in audit.charts:
        L += [f"![{_text(c.alt)}](charts/{_slug(c.slug)}.png)", "",
              f"*{_text(c.subtitle)}* Data: `charts/{_slug(c.slug)}.csv`.", ""]
    for a in d["sections"].get("actas") or []:
        L += _actas(a)
    cl = d["sections"].get("claims")
    if cl and cl.get("available"):
        L += ["## Claims checked", ""]
        for f in cl["files"]:
            L += [f"### {_text(f['file'])}", ""]
            L += _table(["claim", "quantity", "in the data", "verdict"],
                        [[c.get("text"), c.get("quantity") or "", c.get("actual"), c.get("verdict")]
                         for c in f["claims"]])
            L.append("")
    fx = d["sections"].get("forensics")
    if fx and fx.get("available"):
        names = fx.get("subject_names") or {}
        L += ["## Forensic tests", "", f"Source {_text(fx.get('label') or fx['source'])} ({_text(fx['source'])}); "
              f"{fx['resamples']} resamples.", "", f"Multiple testing: {_text(fx.get('family_text') or '')} "
              "A q-value at or below 0.05 marks a lead worth investigating, not proof.", ""]
        L += _table(["test", "subject", "statistic", "p", "q", "calibration"],
                    [[t["test"], names.get(t["subject"], t["subject"]),
                      int(t["statistic"]) if t["test"] == "hard-checks" and t.get("statistic") is not None
                      else t.get("statistic"), _p(t.get("p_value")), _p(t.get("q_value")),
                      t.get("calibration") if t.get("applicable") else "does not apply"] for t in fx["tests"]])
        L.append("")
        if fx.get("cannot_see"):
            L += ["What no test here can see:", ""] + [f"- {_text(c)}" for c in fx["cannot_see"]] + [""]
    L += ["## Inputs", ""]
    L += _table(["input", "used as", "SHA-256"], [[i["name"], i["source"], i["sha256"]] for i in d["inputs"]])
    L.append("")
    return "\n".join(L)
