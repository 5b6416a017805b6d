"""Golden totals of every built-in source, as pinned in each dataset's PROVENANCE.md.

These run on the real files (ELECTCHECK_DATA_DIR, see conftest); a missing
file skips its test with the file's name. Loads are cached per session.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

DATA = Path(os.environ.get("ELECTCHECK_DATA_DIR", "."))


def _balanced(r):
    rep = r.report
    assert rep.rows_read == rep.rows_accepted + rep.rows_quarantined


# --- Venezuela 2024 ----------------------------------------------------------------

V2_TOTALS = {"EG": 7_303_480, "NM": 3_316_142, "LM": 86_225, "JABE": 20_404, "JOBR": 22_097, "AE": 51_011,
             "CF": 12_632, "DC": 10_584, "EM": 26_067, "BERA": 38_620}
V1_TOTALS = {"EG": 7_156_462, "NM": 3_241_461, "LM": 84_446, "JABE": 19_966, "JOBR": 21_583, "AE": 49_603,
             "CF": 12_321, "DC": 10_308, "EM": 25_570, "BERA": 37_408}


def test_v2_golden(ingested):
    r = ingested("venezuela-2024/opposition-v2")
    _balanced(r)
    assert (r.report.rows_read, r.report.rows_accepted, r.report.rows_quarantined) == (25_073, 25_073, 0)
    t = r.tally.totals()
    assert {k: t[k] for k in V2_TOTALS} == V2_TOTALS
    assert t["valid"] == 10_887_262
    assert t["invalid"] == 1_213
    assert t.get("registered") is None  # V2 has no RE column
    assert r.tally.data["unit_id"].is_unique


def test_v1_golden(ingested):
    r = ingested("venezuela-2024/opposition-v1")
    _balanced(r)
    assert (r.report.rows_read, r.report.rows_accepted) == (24_532, 24_532)
    t = r.tally.totals()
    assert {k: t[k] for k in V1_TOTALS} == V1_TOTALS
    assert t["registered"] == 17_745_239
    assert t["valid"] == 10_659_128
    assert t["invalid"] == 1_139
    codes = [f.code for f in r.report.findings]
    assert "votes-gt-registered" not in codes and "candidates-ne-valid" not in codes


def test_qr_golden(ingested):
    r = ingested("venezuela-2024/qr-vzlapi")
    _balanced(r)
    assert (r.report.rows_read, r.report.rows_accepted) == (21_952, 21_952)
    t = r.tally.totals()
    assert t["EG"] == 6_392_350 and t["NM"] == 2_891_553 and t["valid"] == 9_515_322


def test_same_acta_same_unit_id_in_v1_v2_qr(load):
    v1, v2, qr = (load(n).data.set_index("unit_id") for n in
                  ("venezuela-2024/opposition-v1", "venezuela-2024/opposition-v2", "venezuela-2024/qr-vzlapi"))
    both12 = v1.index.intersection(v2.index)
    assert len(both12) == 24_530
    assert len(v2.index.difference(v1.index)) == 543
    assert sorted(v1.index.difference(v2.index)) == ["210510003-01", "210510003-03"]
    cands = list(V2_TOTALS)
    assert (v1.loc[both12, cands] == v2.loc[both12, cands]).all().all()
    both2q = v2.index.intersection(qr.index)
    assert len(both2q) == 21_937
    differ = (v2.loc[both2q, cands] != qr.loc[both2q, cands]).any(axis=1)
    assert sorted(both2q[differ.to_numpy()]) == sorted(
        ["030602001-02", "070301020-01", "070904028-04", "070908043-01", "110202070-01",
         "190601010-01", "200701014-02"])
    # state 01-09 centres keep the leading zero
    assert v2.index.str.fullmatch(r"\d{9}-\d{2}").all()


@pytest.mark.parametrize("name,expected", [
    ("venezuela-2024/cne-bulletin-1", {"NM": 5_150_092, "EG": 4_445_978}),
    ("venezuela-2024/cne-bulletin-2", {"NM": 6_408_844, "EG": 5_326_104, "LM": 152_360, "AE": 116_421,
                                       "BERA": 92_903, "JOBR": 84_231, "JABE": 64_452, "CF": 40_902,
                                       "EM": 29_611, "DC": 20_056, "valid": 12_335_884, "invalid": 50_785,
                                       "ballots": 12_386_669}),
])
def test_bulletins(load, name, expected):
    t = load(name)
    assert len(t.data) == 1
    assert t.meta.kind == "published"
    tot = t.totals()
    assert {k: tot[k] for k in expected} == expected


def test_bulletin_2_alternative_figure_is_metadata_only(ingested):
    r = ingested("venezuela-2024/cne-bulletin-2")
    assert r.tally.totals()["LM"] == 152_360
    assert [a["value"] for a in r.tally.meta.notes["alternatives"]["LM"]] == [152_306]
    assert "LM@alt" not in r.tally.data.columns and "LM@alt" not in r.tally.meta.notes["pct_reported"]


def test_bulletin_1_others_and_sum(load):
    t = load("venezuela-2024/cne-bulletin-1")
    tot = t.totals()
    others = sum(v or 0 for k, v in tot.items() if k in t.candidate_ids and k not in ("NM", "EG"))
    assert others == 462_704
    assert tot["NM"] + tot["EG"] + others == 10_058_774


# --- Venezuela 2000 ---------------------------------------------------------------

def test_venezuela_2000_golden(ingested):
    r = ingested("venezuela-2000")
    _balanced(r)
    assert r.report.rows_read == 10_517 and r.report.rows_accepted == 10_517
    t = r.tally.totals()
    assert (t["chavez"], t["arias"], t["claudio"]) == (3_757_773, 2_359_459, 171_346)
    assert t["valid"] == 6_288_578
    assert (t["registered"], t["ballots"], t["invalid"]) == (11_701_521, 6_600_196, 284_443)
    assert r.tally.data["unit_id"].is_unique
    # mojibake repaired
    assert "Táchira" in set(r.tally.data["state"].dropna())


def test_venezuela_2000_inconsistencies(ingested):
    """Provenance quirk 2: 108 mesas exceed electores, 269 exceed votos totales."""
    f = {x.code: x for x in ingested("venezuela-2000").report.findings}
    assert f["votes-gt-registered"].evidence["count"] == 108
    assert f["candidates-gt-ballots"].evidence["count"] == 269


# --- Russia -------------------------------------------------------------------------

def _russia_reference():
    p = DATA / "russia-federal-2004-2024" / "derived_reference_figures.json"
    if not p.exists():
        return {}
    return json.loads(p.read_text(encoding="utf-8"))


RUSSIA = _russia_reference()


@pytest.mark.parametrize("year", ["2004", "2007", "2008", "2011", "2012", "2016", "2018", "2020", "2021", "2024"])
def test_russia_golden(ingested, year):
    if year not in RUSSIA:
        pytest.skip("russia derived_reference_figures.json not available")
    ref = RUSSIA[year]
    r = ingested(f"russia-{year}")
    _balanced(r)
    assert r.report.rows_read == ref["rows"]
    assert r.report.rows_accepted == ref["rows"]
    t = r.tally.totals()
    assert t["registered"] == ref["registered"]
    assert t["ballots"] == ref["ballots_in_boxes"]
    leader = r.tally.meta.notes["leader"]
    assert t[leader] == ref["leader_votes"]
    with_results = int(r.tally.data[r.tally.candidate_ids].notna().any(axis=1).sum())
    assert with_results == ref["rows_with_results"]


def test_russia_2024_electronic(ingested):
    r = ingested("russia-2024-electronic")
    assert r.report.rows_read == 29
    assert r.tally.totals()["registered"] == 8_434_406


# --- Indonesia 2019 -----------------------------------------------------------------

def test_indonesia_official(ingested):
    r = ingested("indonesia-2019/official")
    _balanced(r)
    assert (r.report.rows_read, r.report.rows_accepted) == (813_336, 813_336)
    t = r.tally.totals()
    assert (t["pas1"], t["pas2"]) == (84_143_641, 67_777_917)
    assert (t["valid"], t["invalid"], t["ballots"]) == (151_353_426, 4_174_559, 155_010_109)
    assert int(r.tally.data[["pas1", "pas2"]].notna().all(axis=1).sum()) == 803_012


def test_indonesia_kawalpemilu(ingested):
    r = ingested("indonesia-2019/kawalpemilu")
    _balanced(r)
    assert r.report.rows_read == 813_336
    t = r.tally.totals()
    assert (t["pas1"], t["pas2"]) == (83_577_201, 67_596_172)
    assert (t["valid"], t["invalid"], t["ballots"]) == (150_874_935, 3_841_279, 153_696_335)


def test_indonesia_same_unit_ids(load):
    a, b = load("indonesia-2019/official"), load("indonesia-2019/kawalpemilu")
    assert (a.data["unit_id"].to_numpy() == b.data["unit_id"].to_numpy()).all()


@pytest.mark.parametrize("name,rows,pas1,pas2", [
    ("indonesia-2019/rekap", 35, 85_607_362, 68_650_239),
    ("indonesia-2019/rekap-kabkota", 514, 85_036_828, 68_442_493),
    ("indonesia-2019/rekap-kecamatan", 6_504, 80_010_326, 65_179_548),
    ("indonesia-2019/rekap-desa", 71_980, 75_527_006, 58_588_993),
])
def test_indonesia_rekap_levels(ingested, name, rows, pas1, pas2):
    r = ingested(name)
    _balanced(r)
    assert r.report.rows_read == rows == r.report.rows_accepted
    # the other levels of the multi-level file are counted apart, never "read"
    assert sum(r.report.rows_outside_selection.values()) == 79_033 - rows
    t = r.tally.totals()
    assert (t["pas1"], t["pas2"]) == (pas1, pas2)
