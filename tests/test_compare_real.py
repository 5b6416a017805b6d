"""Reconciliation on the real files: the golden figures of each PROVENANCE.md."""

from __future__ import annotations

import functools

import pytest

from electcheck.compare import reconcile

pytestmark = pytest.mark.slow

VE = "venezuela-2024/"
QR_DIFFERING = {"030602001-02", "070301020-01", "070904028-04", "070908043-01", "110202070-01",
                "190601010-01", "200701014-02"}


@functools.lru_cache(maxsize=None)
def _cached(load, off: str, ind: str, reg: str | None = None, level: str | None = None):
    return reconcile(load(off), load(ind), level, registered_from=load(reg) if reg else None)


@pytest.fixture(scope="session")
def rec(load):
    return lambda off, ind, reg=None, level=None: _cached(load, off, ind, reg, level)


def test_bulletin2_vs_v2_declared_result_out_of_reach(rec):
    r = rec(VE + "cne-bulletin-2", VE + "opposition-v2", VE + "opposition-v1")
    assert r.level == "nation"
    cov = r.coverage["independent"]
    assert cov.units_covered == 25_073 and cov.expected_units == 30_026
    assert (cov.registered_borrowed_units, cov.registered_borrowed) == (24_530, 17_743_433)
    assert (cov.registered_lower_bound_units, cov.registered_lower_bound) == (543, 229_079)
    b = r.bound
    assert b.declared_winner == "NM" and b.compared_with == "EG"
    assert b.declared_winner_total == 6_408_844
    assert b.uncovered_electors == 21_321_805 - 17_743_433 - 229_079 == 3_349_293
    assert b.uncovered_electors_basis == "upper bound"
    # Maduro cannot even lead: the sheets' margin exceeds every uncovered elector
    assert b.counted_margin == 3_316_142 - 7_303_480 == -3_987_338
    assert b.max_winner_margin == -638_045 and not b.winner_can_lead
    assert b.declared_margin == 1_082_740 and not b.declared_margin_reachable
    # González's declared total is below what the sheets already give him
    assert b.below_floor["EG"] == {"declared": 5_326_104, "counted": 7_303_480, "shortfall": 1_977_376}
    assert not b.declared_result_reachable
    # the declared Maduro total, by the CNE's own count of voters
    assert b.declared_voters == 12_386_669 and b.counted_voters == 10_888_475
    assert b.max_winner_total_by_declared_voters == 3_316_142 + 1_498_194 == 4_814_336
    assert not b.winner_total_reachable_by_declared_voters
    # every uncovered *elector* to Maduro: 6,665,435 — needs 92.3 % of them while González loses votes
    assert b.max_winner_total == 6_665_435
    assert b.share_of_uncovered_needed == pytest.approx(3_092_702 / 3_349_293)
    assert r.findings[0].code == "compare.declared-unreachable"
    e = r.estimate
    assert not e.stratified and e.units_population == 30_026 and e.units_sampled == 24_530
    assert e.leader == "EG" and e.leader_certain


def test_bulletin2_vs_v2_without_registered_is_an_honest_worst_case(rec):
    r = rec(VE + "cne-bulletin-2", VE + "opposition-v2")
    cov = r.coverage["independent"]
    assert cov.registered_lower_bound_units == 25_073 and cov.covered_registered == 10_888_475
    assert r.bound.uncovered_electors == 21_321_805 - 10_888_475
    assert r.bound.below_floor["EG"]["shortfall"] == 1_977_376   # still unreachable as a whole
    assert not r.bound.declared_result_reachable
    assert any("lower bound" in n for n in cov.notes)


def test_bulletin1_vs_v2_others_folded_and_out_of_reach(rec):
    r = rec(VE + "cne-bulletin-1", VE + "opposition-v2", VE + "opposition-v1")
    assert r.candidates.ids == ["EG", "NM", "OTHERS"]
    assert r.totals["independent"]["OTHERS"] == 10_887_262 - 7_303_480 - 3_316_142
    b = r.bound
    assert b.declared_winner == "NM" and b.declared_margin == 704_114
    assert b.max_winner_margin == -638_045 and not b.winner_can_lead
    assert b.below_floor["EG"]["shortfall"] == 7_303_480 - 4_445_978
    assert not b.declared_result_reachable


def test_v2_vs_qr(rec):
    r = rec(VE + "opposition-v2", VE + "qr-vzlapi")
    u = r.units
    assert (u["matched"], u["differing"], u["only_independent"], u["only_official"]) == (21_937, 7, 15, 3_136)
    assert set(r.discrepancies["unit_id"]) == QR_DIFFERING
    cands = r.candidates.ids
    assert sum(int(r.discrepancies[f"{c}_diff"].abs().sum()) for c in cands) == 21
    assert int(r.discrepancies[[f"{c}_diff" for c in cands]].abs().max().max()) <= 3
    assert u["only_independent_reasons"]["parent_present"] == 12      # centre in V2, mesa missing


def test_v1_vs_v2(rec):
    r = rec(VE + "opposition-v1", VE + "opposition-v2")
    u = r.units
    assert (u["identical"], u["differing"], u["only_independent"], u["only_official"]) == (24_530, 0, 543, 2)
    only_v1 = r.one_side[r.one_side["side"] == "official"]
    assert set(only_v1["unit_id"]) == {"210510003-01", "210510003-03"}
    assert set(only_v1["reason"]) == {"parent_present"}


def test_indonesia_official_vs_kawalpemilu(rec):
    r = rec("indonesia-2019/official", "indonesia-2019/kawalpemilu")
    u = r.units
    assert (u["official"], u["independent"], u["matched"], u["differing"]) == (803_012, 800_549, 796_468, 6_588)
    assert u["only_official_reasons"] == {"no_figures": 6_544}       # in the file, no KP numbers
    d = r.totals["difference_matched"]
    assert (d["pas1"], d["pas2"]) == (154_629, 125_541)
    prov = r.rollups["province"]
    assert len(prov) == 35 and "-99" in set(prov["area"])
    top = prov.sort_values("differing", ascending=False).head(4)
    assert list(top["name"]) == ["JAWA TIMUR", "JAWA BARAT", "JAWA TENGAH", "BANTEN"]
    assert list(top["differing"]) == [1_654, 998, 739, 467]
    assert int(prov["pas1_diff"].sum()) == 154_629 and int(prov["differing"].sum()) == 6_588
    assert r.margin["discrepancy_effect"] == 154_629 - 125_541
    assert r.estimate.stratified and r.estimate.strata_level == "province"


@pytest.mark.parametrize("name,level,pas1,pas2", [
    ("rekap", "province", 85_607_362, 68_650_239),
    ("rekap-kabkota", "kabkota", 85_036_828, 68_442_493),
    ("rekap-kecamatan", "kecamatan", 80_010_326, 65_179_548),
    ("rekap-desa", "desa", 75_527_006, 58_588_993),
])
def test_indonesia_official_per_tps_vs_recapitulation(rec, name, level, pas1, pas2):
    r = rec("indonesia-2019/official", "indonesia-2019/" + name)
    assert r.level == level
    assert (r.totals["independent"]["pas1"], r.totals["independent"]["pas2"]) == (pas1, pas2)
    assert r.totals["official"]["pas1"] == 84_143_641
    assert r.bound is None and "aggregates" in r.bound_note   # nothing uncovered to bound
    if level == "province":
        assert r.units["matched"] == 35
        assert r.totals["difference_matched"]["pas1"] == 84_143_641 - 85_607_362


def test_bulletin2_vs_bulletin1_aggregate_against_aggregate(rec):
    r = rec(VE + "cne-bulletin-2", VE + "cne-bulletin-1")
    assert r.level == "nation" and r.bound is None and "published aggregate" in r.bound_note
    assert r.estimate is None
    d = r.totals["difference_matched"]
    assert (d["EG"], d["NM"], d["OTHERS"]) == (5_326_104 - 4_445_978, 6_408_844 - 5_150_092, 600_936 - 462_704)
