"""Small synthetic tallies with the real national totals (for fast tests without data files)."""

from __future__ import annotations

import pandas as pd

from electcheck.model import Candidate, InputFile, Tally, TallyMeta

VE_CANDS = [
    Candidate("EG", "Edmundo González Urrutia", ("González", "Gonzalez", "Edmundo González", "EGU")),
    Candidate("NM", "Nicolás Maduro Moros", ("Maduro", "Nicolás Maduro")),
    Candidate("LM", "Luis Eduardo Martínez"), Candidate("JABE", "Javier Bertucci"),
    Candidate("JOBR", "José Brito"), Candidate("AE", "Antonio Ecarri"), Candidate("CF", "Claudio Fermín"),
    Candidate("DC", "Daniel Ceballos"), Candidate("EM", "Enrique Márquez"), Candidate("BERA", "Benjamín Rausseo"),
]
V2_TOTALS = {"EG": 7303480, "NM": 3316142, "LM": 86225, "JABE": 20404, "JOBR": 22097, "AE": 51011,
             "CF": 12632, "DC": 10584, "EM": 26067, "BERA": 38620}


def v2_like() -> Tally:
    """Two rows: Zulia and the rest, adding up to the V2 national totals."""
    zulia = {"EG": 900000, "NM": 300000, "LM": 5000, "JABE": 1000, "JOBR": 1000, "AE": 2000, "CF": 500,
             "DC": 500, "EM": 1000, "BERA": 2000}
    rest = {k: V2_TOTALS[k] - zulia[k] for k in V2_TOTALS}
    rows = []
    for uid, st, code, c, inv in (("1", "EDO. ZULIA", "21", zulia, 100), ("2", "EDO. MIRANDA", "13", rest, 1113)):
        r = {"unit_id": uid, "state": st, "state_code": code, **c, "valid": sum(c.values()), "invalid": inv,
             "ballots": None, "registered": None, "blank": None}
        rows.append(r)
    df = pd.DataFrame(rows)
    for col in ["valid", "invalid", "ballots", "registered", "blank", *V2_TOTALS]:
        df[col] = df[col].astype("Int64")
    meta = TallyMeta(source="synthetic/v2-like", kind="independent", election="venezuela-2024",
                     unit_level="acta", candidates=VE_CANDS, hierarchy=["state"], expected_units=30026,
                     registry_total=21321805, share_basis="valid",
                     inputs=[InputFile("synthetic.csv", "0" * 64, 2, "synthetic")])
    return Tally(df, meta)


def bulletin(counts: dict, valid=None, invalid=None, ballots=None, registered=None, cands=None,
             source="synthetic/bulletin") -> Tally:
    row = {"unit_id": "national", **counts, "valid": valid, "invalid": invalid, "ballots": ballots,
           "registered": registered, "blank": None}
    df = pd.DataFrame([row])
    for col in ["valid", "invalid", "ballots", "registered", "blank", *counts]:
        df[col] = df[col].astype("Int64")
    cands = cands or [c for c in VE_CANDS if c.id in counts] + [Candidate(k, k) for k in counts
                                                              if k not in {c.id for c in VE_CANDS}]
    meta = TallyMeta(source=source, kind="published", election="venezuela-2024", unit_level="nation",
                     candidates=cands, hierarchy=[], registry_total=registered, share_basis="valid",
                     inputs=[InputFile("bulletin.csv", "1" * 64, 1, "bulletin")])
    return Tally(df, meta)


def no_registry(name):
    """A loader that finds nothing: synthetic tallies only, never the authority's bulletins."""
    raise FileNotFoundError(name)


def claim(text, tally, number, lang=None):
    """The claim whose text holds ``number`` when ``text`` is checked against ``tally`` (registry off)."""
    from electcheck.claims import check_text

    r = check_text(text, tally, lang, loader=no_registry)
    got = [c for c in r.claims if c.text.startswith(number) or number in c.text]
    assert got, [c.text for c in r.claims]
    return got[0]


def cne_bulletin():
    """CNE bulletin 1 as published (one row; 80 % of the actas transmitted, 30,026 expected)."""
    t = bulletin({"NM": 5150092, "EG": 4445978, "OTHERS": 462704}, valid=10058774, invalid=None,
                 registered=21620705, cands=[Candidate("NM", "Nicolás Maduro Moros", ("Maduro",)),
                                             Candidate("EG", "Edmundo González Urrutia", ("González",)),
                                             Candidate("OTHERS", "Others")],
                 source="venezuela-2024/cne-bulletin-1")
    t.meta.notes["actas_transmitted_pct"] = 80
    t.meta.expected_units = 30026
    return t
