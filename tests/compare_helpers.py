"""Small synthetic tallies for the compare tests (no real data needed)."""

from __future__ import annotations

import pandas as pd

from electcheck.model import Candidate, Tally, TallyMeta

CANDS = ["A", "B", "C"]


def make_tally(rows: list[dict], *, source: str = "t", kind: str = "official", unit_level: str = "table",
               hierarchy=("state", "centre"), candidates=CANDS, expected_units=None, registry_total=None
               ) -> Tally:
    df = pd.DataFrame(rows)
    df["unit_id"] = df["unit_id"].astype("string")
    for lv in hierarchy:
        for c in (lv, f"{lv}_code"):
            if c in df.columns:
                df[c] = df[c].astype("string")
    for c in ("registered", "ballots", "valid", "invalid", "blank", *candidates):
        if c in df.columns:
            df[c] = pd.array(df[c], dtype="Int64")
    meta = TallyMeta(source=source, kind=kind, election="test", unit_level=unit_level,
                     candidates=[Candidate(c, f"Cand {c}") for c in candidates],
                     hierarchy=list(hierarchy), expected_units=expected_units,
                     registry_total=registry_total)
    return Tally(df, meta)


def unit(uid: str, state: str, centre: str, a, b, c, registered=None, **extra) -> dict:
    d = {"unit_id": uid, "state_code": state, "state": f"S{state}", "centre_code": centre,
         "centre": f"C{centre}", "A": a, "B": b, "C": c}
    if registered is not None:
        d["registered"] = registered
    d.update(extra)
    return d


def pair():
    """An official and an independent tally with known differences."""
    off = make_tally([
        unit("001-01", "01", "001", 100, 50, 5, 200),
        unit("001-02", "01", "001", 90, 60, 4, 200),
        unit("002-01", "01", "002", 80, 40, 3, 150),
        unit("003-01", "02", "003", 70, 80, 2, 180),
        unit("004-01", "02", "004", 10, 20, 1, 50),   # only official: centre absent on the other side
        unit("001-03", "01", "001", 30, 30, 0, 100),  # only official: centre present on the other side
    ], source="off", kind="official")
    ind = make_tally([
        unit("001-01", "01", "001", 100, 50, 5, 200),
        unit("001-02", "01", "001", 80, 60, 4, 200),  # A -10
        unit("002-01", "01", "002", 80, 45, 3, 150),  # B +5 in independent
        unit("003-01", "02", "003", 70, 80, 2, 180),
        unit("005-1", "02", "005", 5, 5, 5, 40),      # only independent, key 005-1 vs nothing
    ], source="ind", kind="independent")
    return off, ind
