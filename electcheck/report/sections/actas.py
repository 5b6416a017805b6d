"""Acta photos: what a folder of tally-sheet photos gave, photo by photo, and where it disagrees.

For every source of the config that is a folder of acta photos read through their QR codes
(``PHOTOS/::venezuela-2024/acta-qr``): the photos read, accepted and set aside; the
unreadable ones by reason with their file names; duplicate photos (same acta, same counts:
counted once); conflicts (same acta, different counts: both payloads, the counts that
differ, and which photo the conflict rule counts); and, for each ``[[compare]]`` of the
folder with a per-unit tally (``venezuela-2024/qr-vzlapi``, ``venezuela-2024/opposition-v2``),
each acta whose photo disagrees with it: acta, file and the differing figures. File names
are relative to the folder. The same rows, one per photo, go to ``acta-photos.csv``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .. import adapters
from .base import Section, compare_plan, load_step
from .names import capital

SLUG = "actas"
NEEDS = "a folder of acta photos as a source (PHOTOS/::venezuela-2024/acta-qr)"
CSV = "acta-photos.csv"
#: actas listed per comparison (the count of all is given)
LISTED = 200
RULES = {"first": "the first photo in file-name order counts; the others are set aside",
         "none": "no photo of the acta counts; all are set aside, so the acta is missing from the tally"}


def sources(cfg) -> list[str]:
    """The config's sources that are folders of acta photos, in the order the config names them."""
    names = [n for c in cfg.compare for n in (c.official, c.independent, c.registered_from) if n]
    names += list(cfg.published) + list(cfg.claims_against) + [cfg.forensics_source or ""]
    return [n for n in dict.fromkeys(names) if n and adapters.is_acta_photos(n, cfg.base_dir)]


def comparisons(cfg, photos: list[str]) -> list[tuple[int, str, str]]:
    """(compare index, photo source, the other source) for each unit-level ``[[compare]]`` of a photo
    folder with a tally that is not one."""
    out = []
    for k, c in enumerate(cfg.compare):
        if c.level is None and (c.official in photos) != (c.independent in photos):
            out.append((k, c.official, c.independent) if c.official in photos else (k, c.independent, c.official))
    return out


def wanted(cfg) -> bool:
    return bool(sources(cfg))


def plan(cfg):
    photos = sources(cfg)
    return [load_step(n) for n in photos] + [p for k, _, _ in comparisons(cfg, photos) for p in compare_plan(cfg, k)]


def build(ctx) -> Section:
    photos = sources(ctx.cfg)
    sec = Section(SLUG, data=[])
    rows: list[dict[str, Any]] = []
    for name in photos:
        entry = _folder(ctx, name)
        entry["disagreements"] = [_disagreement(ctx, k, name, other)
                                  for k, p, other in comparisons(ctx.cfg, photos) if p == name]
        sec.data.append(entry)
        sec.headlines.append({"kind": "actas", "source": name, "text": headline(entry)})
        rows += csv_rows(entry)
    sec.tables[CSV] = pd.DataFrame(rows, columns=["folder", "file", "finding", "reason", "acta", "detail"])
    return sec


def _folder(ctx, name: str) -> dict[str, Any]:
    """The photo accounting of one folder, from its ingest report."""
    t, report = ctx.load(name), ctx.ingest_report(name)
    folder = t.meta.inputs[0].path if t.meta.inputs else ""
    s = (t.meta.notes or {}).get("acta_photos") or {}
    found = {f.code: f.evidence for f in (report.findings if report else [])}
    words = adapters.acta_reasons()
    unreadable: dict[str, dict[str, Any]] = {}
    for q in (report.quarantine if report else []):
        if q.column != "conflict":
            g = unreadable.setdefault(q.column, {"reason": q.column, "meaning": words.get(q.column, q.column),
                                                 "files": []})
            g["files"].append({"file": relative(q.file, folder), "detail": q.reason})
    dup = found.get("acta-photo-duplicate") or {}
    con = found.get("acta-photo-conflict") or {}
    rule = con.get("rule")
    return {
        "source": name, "label": ctx.labels.get(name, name), "folder": Path(folder).name,
        "photos": {"read": s.get("images_read"), "accepted": s.get("images_accepted"),
                   "unreadable": sum(len(g["files"]) for g in unreadable.values()),
                   "set_aside_by_conflict_rule": (s.get("by_reason") or {}).get("conflict", 0),
                   "actas": s.get("units"), "duplicate_photos": s.get("duplicate_photos"),
                   "conflicts": s.get("conflicts"), "other_files": s.get("other_files")},
        "by_view": s.get("by_strategy") or {},
        "unreadable": [unreadable[r] for r in sorted(unreadable)],
        "duplicates": [{"acta": e["code"], "files": [relative(f, folder) for f in e["files"]]}
                       for e in dup.get("duplicates", [])],
        "conflicts": [_conflict(ctx, name, e, folder) for e in con.get("conflicts", [])],
        "conflict_rule": rule, "conflict_rule_text": RULES.get(rule, rule) if rule else None,
    }


def _conflict(ctx, name: str, e: dict, folder: str) -> dict[str, Any]:
    """One acta photographed with different counts: each payload and its files, the counts that differ,
    and the photo the rule counts (None: none does)."""
    payloads = [p["payload"] for p in e["payloads"]]
    counts = adapters.acta_card_counts(name, payloads, ctx.cfg.base_dir)
    keys = [k for k in counts[0] if len({c.get(k) for c in counts}) > 1] if counts and all(counts) else []
    return {"acta": e["code"],
            "payloads": [{"payload": p["payload"], "files": [relative(f, folder) for f in p["files"]]}
                         for p in e["payloads"]],
            "differing": [{"figure": k, "by_payload": [c[k] for c in counts]} for k in keys],
            "counted": relative(e["counted"], folder) if e.get("counted") else None}


def _disagreement(ctx, k: int, photo: str, other: str) -> dict[str, Any]:
    """The actas whose photo's figures differ from ``other``'s in ``cfg.compare[k]``."""
    spec = ctx.cfg.compare[k]
    out: dict[str, Any] = {"compared_with": other, "label": spec.label or f"{spec.official} vs {spec.independent}"}
    try:
        d = ctx.reconcile(k)
    except adapters.Unavailable as e:
        return {**out, "available": False, "reason": str(e)}
    t = ctx.load(photo)
    folder = t.meta.inputs[0].path if t.meta.inputs else ""
    data = t.data.set_index("unit_id")
    file_of = data["photo"].to_dict() if "photo" in data.columns else {}
    mine, theirs = ("official", "independent") if spec.official == photo else ("independent", "official")
    sign = 1 if mine == "official" else -1   # *_diff is official − independent; report photo − other
    cands = (d.get("candidates") or {}).get("compared") or []
    names = (d.get("candidates") or {}).get("names") or {}
    actas = []
    for x in d.get("discrepancies") or []:
        uid = x.get("unit_id")
        figures = []
        for c in cands:
            diff = x.get(f"{c}_diff")
            if diff:
                figures.append({"figure": c, "name": names.get(c, c), "photo": x.get(f"{c}_{mine}"),
                                "compared": x.get(f"{c}_{theirs}"), "difference": sign * diff})
        for key, diff in x.items():
            c = key[: -len("_diff")]
            if key.endswith("_diff") and c not in cands and c in data.columns and diff:  # valid, invalid …
                v = data.at[uid, c] if uid in data.index else None
                v = None if v is None or pd.isna(v) else int(v)
                figures.append({"figure": c, "name": c, "photo": v,
                                "compared": None if v is None else v - sign * diff, "difference": sign * diff})
        f = file_of.get(uid)
        actas.append({"acta": uid, "file": relative(f, folder) if isinstance(f, str) else None,
                      "figures": figures})
    u = d.get("units") or {}
    return {**out, "available": True, "matched": u.get("matched"), "differing": len(actas),
            "actas": actas[:LISTED]}


def relative(file: str, folder: str) -> str:
    """A photo's path inside its folder ('sub/IMG_1.jpg'), or its name when it is not under the folder."""
    try:
        return Path(file).relative_to(folder).as_posix()
    except ValueError:
        return Path(file).name


def headline(e: dict[str, Any]) -> str:
    p = e["photos"]
    dup = f", {many(p['duplicate_photos'], 'duplicate photo')}" if p["duplicate_photos"] else ""
    s = (f"{capital(e['label'])}: {many(p['read'], 'photo')} read, {p['accepted']:,} accepted "
         f"({many(p['actas'], 'acta')}{dup})")
    if p["unreadable"]:
        s += f", {p['unreadable']:,} unreadable (" + "; ".join(
            f"{g['meaning']}: {', '.join(f['file'] for f in g['files'][:3])}{', …' if len(g['files']) > 3 else ''}"
            for g in e["unreadable"]) + ")"
    s += "."
    if e["conflicts"]:
        s += (f" {many(len(e['conflicts']), 'acta')} photographed with different counts ("
              + ", ".join(c["acta"] for c in e["conflicts"][:5]) + f"): {e['conflict_rule_text']}.")
    for g in e["disagreements"]:
        if not g.get("available"):
            continue
        if g["differing"]:
            s += (f" Against {g['compared_with']}, {g['differing']:,} of {many(g['matched'], 'acta')} found in both "
                  f"{'differs' if g['differing'] == 1 else 'differ'}: "
                  + ", ".join(f"{a['acta']} ({a['file']})" for a in g["actas"][:5])
                  + (", …" if g["differing"] > 5 else "") + ".")
        else:
            s += f" Against {g['compared_with']}, all {many(g['matched'], 'acta')} found in both agree."
    return s


def many(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def csv_rows(e: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per photo finding: unreadable, duplicate, conflict, disagrees."""
    rows = []

    def row(**cells):
        rows.append({"folder": e["folder"], **cells})

    for g in e["unreadable"]:
        for f in g["files"]:
            row(file=f["file"], finding="unreadable", reason=g["reason"], acta="", detail=f["detail"])
    for dup in e["duplicates"]:
        for f in dup["files"]:
            row(file=f, finding="duplicate", reason="same counts", acta=dup["acta"],
                detail="counted once; also " + ", ".join(x for x in dup["files"] if x != f))
    for c in e["conflicts"]:
        diff = "; ".join(f"{x['figure']}: " + " vs ".join(str(v) for v in x["by_payload"]) for x in c["differing"])
        for p in c["payloads"]:
            for f in p["files"]:
                row(file=f, finding="conflict", reason="counted" if f == c["counted"] else "set aside",
                    acta=c["acta"], detail=f"{diff} (payload {p['payload']})" if diff else p["payload"])
    for g in e["disagreements"]:
        for a in g.get("actas", []):
            row(file=a["file"] or "", finding="disagrees", reason=g["compared_with"], acta=a["acta"],
                detail="; ".join(f"{x['figure']}: photo {x['photo']}, {g['compared_with']} {x['compared']} "
                                 f"({x['difference']:+})"
                                 for x in a["figures"]))
    return rows
