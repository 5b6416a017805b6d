"""One-row published tallies typed from public reports (CNE bulletins)."""

from __future__ import annotations

import csv

import pandas as pd

from ..errors import InputError
from ..model import COUNT_FIELDS, Candidate, InputFile, Tally, TallyMeta
from .registry import PROJECT_DATASETS, sha256_file

BULLETINS_FILE = PROJECT_DATASETS / "venezuela-2024-cne-bulletins.csv"
#: a row whose field ends with this is another report of the same figure (``LM@alt``), see datasets/README.md
ALT_SUFFIX = "@alt"


def _venezuela_candidates() -> dict[str, Candidate]:
    from .profiles import load_profile

    return {spec.id: spec.candidate() for spec in load_profile("venezuela-2024/opposition-v2").candidates}


def load_bulletin(name: str) -> tuple[Tally, int]:
    """(Tally, rows read) of one CNE bulletin: one row, unit_id 'VE'."""
    bulletin = name.split("/")[-1]
    try:
        with open(BULLETINS_FILE, encoding="utf-8", newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["bulletin"] == bulletin]
    except FileNotFoundError:
        raise InputError("the project's typed bulletin figures are missing", file=str(BULLETINS_FILE),
                         hint="Restore datasets/ from the repository") from None
    if not rows:
        raise InputError(f"no figures for {bulletin}", file=str(BULLETINS_FILE))
    known = _venezuela_candidates()
    values: dict[str, int] = {}
    candidates: list[Candidate] = []
    notes: dict = {"sources": sorted({r["url"] for r in rows}), "pct_reported": {}, "date": rows[0]["date"]}
    for r in rows:
        field, value = r["field"], r["value"]
        if field.endswith(ALT_SUFFIX):
            # the same figure as printed by another report: kept apart, never used as the count
            notes.setdefault("alternatives", {}).setdefault(field[:-len(ALT_SUFFIX)], []).append(
                {"value": int(value), "url": r["url"], "note": r["note"]})
            continue
        if r["pct_reported"]:
            notes["pct_reported"][field] = float(r["pct_reported"])
        if field in known or field == "OTHERS":
            candidates.append(known.get(field) or Candidate("OTHERS", "Other candidates (combined)",
                                                            ("others", "otros", "los demás")))
            values[field] = int(value)
        elif field in COUNT_FIELDS:
            values[field] = int(value)
        else:
            notes[field] = float(value) if "." in value else int(value)
    for field, versions in notes.get("alternatives", {}).items():
        # the address of the figure used as the count, next to the other versions
        notes.setdefault("alternatives_primary_url", {})[field] = next(
            (r["url"] for r in rows if r["field"] == field), None)
    order = list(known)  # keep the usual candidate order
    candidates.sort(key=lambda c: order.index(c.id) if c.id in order else len(order))
    data = {"unit_id": ["VE"], "nation": ["Venezuela"]}
    for f in COUNT_FIELDS:
        if f in values:
            data[f] = [values[f]]
    for c in candidates:
        data[c.id] = [values[c.id]]
    df = pd.DataFrame(data)
    for col in df.columns[2:]:
        df[col] = df[col].astype("Int64")
    df["source_row"] = pd.Series([0], dtype="int64")
    meta = TallyMeta(source=name, kind="published", election="Venezuela presidential election, 28 July 2024",
                     unit_level="nation", candidates=candidates, hierarchy=[], expected_units=30026,
                     registry_total=values.get("registered"), share_basis="valid",
                     inputs=[InputFile(str(BULLETINS_FILE), sha256_file(BULLETINS_FILE), len(rows),
                                       BULLETINS_FILE.name)], notes=notes)
    return Tally(df, meta), len(rows)
