"""Reconciliation on small synthetic tallies: exact numbers and invariants (no real data)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from electcheck.compare import ratio_estimate, reconcile
from electcheck.errors import InputError

from compare_helpers import make_tally, pair, unit


def test_units_counted_and_explained():
    r = reconcile(*pair())
    u = r.units
    assert (u["official"], u["independent"], u["matched"], u["differing"], u["identical"]) == (6, 5, 4, 2, 2)
    assert (u["only_official"], u["only_independent"]) == (2, 1)
    assert u["only_official_reasons"] == {"parent_missing": 1, "parent_present": 1}
    reasons = dict(zip(r.one_side["unit_id"], r.one_side["reason"]))
    assert reasons == {"001-03": "parent_present", "004-01": "parent_missing", "005-1": "parent_missing"}


def test_signed_differences_and_ranking():
    r = reconcile(*pair())
    d = r.discrepancies
    assert list(d["unit_id"]) == ["001-02", "002-01"]          # sorted by |effect on margin|
    assert list(d["A_diff"]) == [10, 0] and list(d["B_diff"]) == [0, -5]
    assert list(d["margin_effect"]) == [10, 5]
    assert r.totals["difference_matched"] == {"A": 10, "B": -5, "C": 0, "registered": 0}
    assert r.margin["pair"] == ["A", "B"]
    assert r.margin["official"]["votes"] == 100 and r.margin["independent"]["votes"] == 95
    assert r.margin["discrepancy_effect"] == 15
    assert r.margin["explained_share"] == pytest.approx(0.15)


def test_rollups_by_every_level_add_up_to_nation():
    r = reconcile(*pair())
    assert set(r.rollups) == {"state", "centre", "nation"}
    st_ = r.rollups["state"].set_index("area")
    assert st_.loc["01", "A_diff"] == 10 and st_.loc["01", "B_diff"] == -5 and st_.loc["01", "differing"] == 2
    assert st_.loc["02", "only_official"] == 1 and st_.loc["02", "only_independent"] == 1
    nation = r.rollups["nation"].iloc[0]
    for lv in ("state", "centre"):
        roll = r.rollups[lv]
        for c in ("A_diff", "B_diff", "differing", "matched", "A_official", "B_independent"):
            assert roll[c].sum() == nation[c], (lv, c)
    # an area with units on one side only has null (not zero) on the other
    c4 = r.rollups["centre"].set_index("area").loc["004"]
    assert c4["A_official"] == 10 and pd.isna(c4["A_independent"])


def test_present_without_figures_is_not_missing():
    off = make_tally([unit("1-1", "01", "1", 10, 5, 1), unit("1-2", "01", "1", 8, 2, 0)])
    ind = make_tally([unit("1-1", "01", "1", 10, 5, 1), unit("1-2", "01", "1", None, None, None)],
                     kind="independent")
    r = reconcile(off, ind)
    assert r.units["matched"] == 1 and r.units["only_official"] == 1
    assert r.units["only_official_reasons"] == {"no_figures": 1}
    assert r.units["rows_independent"] == 2 and r.units["independent"] == 1


def test_key_written_differently_is_a_key_mismatch():
    off = make_tally([unit("010101001-01", "01", "010101001", 10, 5, 1)])
    ind = make_tally([unit("10101001-1", "01", "10101001", 10, 5, 1)], kind="independent")
    r = reconcile(off, ind)
    assert r.units["matched"] == 0
    rows = r.one_side.set_index("unit_id")
    assert rows.loc["010101001-01", "reason"] == "key_mismatch"
    assert rows.loc["010101001-01", "counterpart"] == "10101001-1"
    assert rows.loc["10101001-1", "counterpart"] == "010101001-01"
    f = [x for x in r.findings if x.location.get("reason") == "key_mismatch"]
    assert f and all(x.severity == "warning" for x in f)


def test_others_column_folds_the_other_sides_minor_candidates():
    bulletin = make_tally([{"unit_id": "X", "A": 100, "B": 80, "OTHERS": 7, "registered": 1000}],
                          unit_level="nation", hierarchy=(), candidates=["A", "B", "OTHERS"],
                          registry_total=1000)
    ind = make_tally([unit("1-1", "01", "1", 50, 60, 3, 300), unit("1-2", "01", "1", 40, 30, 2, 300)],
                     kind="independent", registry_total=1000)
    r = reconcile(bulletin, ind)
    assert r.level == "nation"
    assert r.candidates.ids == ["A", "B", "OTHERS"]
    assert r.candidates.folded == {"independent": {"OTHERS": ["C"]}}
    assert r.totals["independent"]["OTHERS"] == 5
    assert r.totals["difference_matched"]["OTHERS"] == 2
    assert list(r.discrepancies["unit_id"]) == ["X"]


def test_bound_with_numbers_when_declared_result_is_out_of_reach():
    # declared A 100 > B 80, but the sheets give B 90 > A 90-? and only 400 electors uncovered
    bulletin = make_tally([{"unit_id": "N", "A": 900, "B": 500, "C": 10, "ballots": 1500}],
                          unit_level="nation", hierarchy=(), registry_total=3000)
    ind = make_tally([unit("1-1", "01", "1", 200, 700, 5, 1200), unit("1-2", "01", "1", 100, 400, 5, 1400)],
                     kind="independent", registry_total=3000)
    r = reconcile(bulletin, ind)
    b = r.bound
    assert b.declared_winner == "A" and b.compared_with == "B"
    assert b.uncovered_electors == 3000 - 2600 and b.uncovered_electors_basis == "exact"
    assert b.max_winner_total == 300 + 400 and not b.winner_total_reachable
    assert b.counted_margin == -800 and b.max_winner_margin == -400 and not b.winner_can_lead
    assert b.below_floor == {"B": {"declared": 500, "counted": 1100, "shortfall": 600}}
    assert not b.declared_result_reachable
    assert b.max_uncovered_voters == 1500 - 1410 and b.max_winner_total_by_declared_voters == 390
    assert "out of reach" in b.verdict and "400" in b.verdict
    codes = [f.code for f in r.findings]
    assert "compare.declared-unreachable" in codes and "compare.declared-below-counted" in codes


def test_bound_borrows_registered_and_falls_back_to_ballots():
    bulletin = make_tally([{"unit_id": "N", "A": 500, "B": 100, "C": 0}], unit_level="nation", hierarchy=(),
                          registry_total=2000)
    ind = make_tally([unit("1-1", "01", "1", 100, 50, 0, valid=150), unit("1-2", "01", "1", 80, 40, 0, valid=120),
                      unit("2-1", "01", "2", 60, 20, 0, valid=80)], kind="independent", registry_total=2000)
    donor = make_tally([unit("1-1", "01", "1", 0, 0, 0, 400), unit("1-2", "01", "1", 0, 0, 0, 300)])
    r = reconcile(bulletin, ind, registered_from=donor)
    cov = r.coverage["independent"]
    assert (cov.registered_borrowed_units, cov.registered_borrowed) == (2, 700)
    assert (cov.registered_lower_bound_units, cov.registered_lower_bound) == (1, 80)
    assert cov.covered_registered == 780 and cov.uncovered_electors == 1220
    assert r.bound.uncovered_electors_basis == "upper bound"
    assert any("borrowed" in a for a in r.bound.assumptions)
    # without the donor every unit falls back to its ballots: more uncovered electors (worst case)
    r2 = reconcile(bulletin, ind)
    assert r2.coverage["independent"].uncovered_electors == 2000 - 350


def test_ratio_estimate_matches_cochran_by_hand():
    y = np.array([[10.0], [20.0], [30.0]])
    x = np.array([20.0, 40.0, 50.0])
    e = ratio_estimate(y, x, None, ["A"], None, national_N=5, national_X=200.0, pair=(None, None),
                       strata_level="nation")
    R = 60 / 110
    d = y[:, 0] - R * x
    var = 5 ** 2 * (1 - 3 / 5) * (d ** 2).sum() / 2 / 3
    assert e.estimate["A"] == round(R * 200)
    assert e.moe["A"] == round(1.959963984540054 * math.sqrt(var))
    assert not e.stratified and "Projection" in e.assumption


def test_stratified_estimate_uses_each_strata_totals():
    y = np.array([[10.0], [12.0], [50.0], [70.0]])
    x = np.array([20.0, 20.0, 100.0, 100.0])
    pop = pd.DataFrame({"N": [4, 3], "X": [80.0, 300.0]}, index=["a", "b"])
    e = ratio_estimate(y, x, np.array(["a", "a", "b", "b"]), ["A"], pop, None, None, (None, None), "state")
    assert e.stratified
    assert e.estimate["A"] == round(22 / 40 * 80 + 120 / 200 * 300)
    by = {s.stratum: s for s in e.strata}
    assert by["a"].fpc == pytest.approx(0.5) and by["b"].fpc == pytest.approx(1 / 3)


def test_aggregated_level_compare_and_bad_level():
    off, ind = pair()
    r = reconcile(off, ind, level="state")
    assert r.level == "state" and set(r.discrepancies["unit_id"]) == {"01", "02"}
    with pytest.raises(InputError, match="cannot be compared at level 'parish'"):
        reconcile(off, ind, level="parish")


def test_no_common_candidate_is_a_clear_error():
    off = make_tally([unit("1", "01", "1", 1, 2, 3)])
    ind = make_tally([{"unit_id": "1", "X": 1}], candidates=["X"], kind="independent")
    with pytest.raises(InputError, match="no candidate id in common"):
        reconcile(off, ind)


def test_to_dict_has_design_fields():
    d = reconcile(*pair()).to_dict()
    for k in ("units", "totals", "margin", "bound", "discrepancies"):
        assert k in d
    for k in ("official", "independent", "matched", "differing", "only_official", "only_independent"):
        assert isinstance(d["units"][k], int)
    assert set(d["totals"]) >= {"official", "independent"}


# --- invariants (hypothesis) ------------------------------------------------

@st.composite
def tally_pairs(draw):
    n = draw(st.integers(1, 12))
    rows_o, rows_i = [], []
    for k in range(n):
        state = f"{k % 3:02d}"
        centre = f"{k // 2:03d}"
        uid = f"{centre}-{k:02d}"
        vals = [draw(st.integers(0, 500)) for _ in range(3)]
        where = draw(st.sampled_from(["both", "both", "both", "o", "i"]))
        noise = [draw(st.integers(-5, 5)) if draw(st.booleans()) else 0 for _ in range(3)]
        if where in ("both", "o"):
            rows_o.append(unit(uid, state, centre, *vals, registered=600))
        if where in ("both", "i"):
            rows_i.append(unit(uid, state, centre, *[max(v + e, 0) for v, e in zip(vals, noise)],
                               registered=600))
    if not rows_o:
        rows_o.append(unit("999-99", "09", "999", 1, 1, 1, registered=10))
    if not rows_i:
        rows_i.append(unit("998-98", "09", "998", 1, 1, 1, registered=10))
    return make_tally(rows_o), make_tally(rows_i, kind="independent")


def _diffs(r) -> dict[str, tuple]:
    d = r.discrepancies.set_index("unit_id")
    return {u: tuple(int(d.loc[u, f"{c}_diff"]) for c in ("A", "B", "C")) for u in d.index}


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(tally_pairs())
def test_swapping_sources_flips_every_sign(tp):
    a, b = tp
    r1, r2 = reconcile(a, b), reconcile(b, a)
    d1, d2 = _diffs(r1), _diffs(r2)
    assert set(d1) == set(d2)
    for u in d1:
        assert d1[u] == tuple(-v for v in d2[u])
    for c in ("A", "B", "C"):
        v1, v2 = r1.totals["difference_matched"][c], r2.totals["difference_matched"][c]
        assert (v1 is None and v2 is None) or v1 == -v2
    assert r1.units["only_official"] == r2.units["only_independent"]
    assert r1.units["only_independent"] == r2.units["only_official"]


@SETTINGS
@given(tally_pairs())
def test_self_compare_has_no_discrepancy(tp):
    a, _ = tp
    r = reconcile(a, a)
    assert r.units["differing"] == 0 and r.discrepancies.empty
    assert r.units["only_official"] == r.units["only_independent"] == 0
    assert all(v in (0, None) for v in r.totals["difference_matched"].values())
    assert r.margin["discrepancy_effect"] == 0
    assert not [f for f in r.findings if f.severity != "info"]


def _double(t):
    data = t.data.copy()
    for c in ("A", "B", "C", "registered"):
        data[c] = data[c] * 2
    return type(t)(data, t.meta)


@SETTINGS
@given(tally_pairs())
def test_doubling_every_count_doubles_every_difference(tp):
    a, b = tp
    d1 = _diffs(reconcile(a, b))
    r2 = reconcile(_double(a), _double(b))
    d2 = _diffs(r2)
    assert set(d1) == set(d2)
    for u in d1:
        assert d2[u] == tuple(2 * v for v in d1[u])


# --- the fast paths give the same answers as the general ones ------------------------------------
def _big_pair(n: int = 1500):
    """One file, two tallies: the same unit ids in the same order, area codes in runs, some gaps."""
    rng = np.random.default_rng(7)
    rows_o, rows_i = [], []
    for k in range(n):
        st_, ce = f"{k // 500:02d}", f"{k // 25:03d}"
        a, b, c = (int(v) for v in rng.integers(0, 300, 3))
        uid = f"{ce}-{k % 25:02d}"
        rows_o.append(unit(uid, st_, ce, a, b, c, 400))
        da = int(rng.integers(-2, 3)) if k % 37 == 0 else 0
        ind = unit(uid, st_, ce, a + da, b, c, 400)
        if k % 101 == 0:
            ind.update(A=None, B=None, C=None)          # present without figures
        rows_i.append(ind)
    rows_o[3]["state_code"] = None                       # a missing area code inside a run
    rows_i[3]["state_code"] = None
    return rows_o, rows_i


def _snapshot(r) -> dict:
    d = r.to_dict(rollup_levels=list(r.rollups))
    d["_frames"] = {lv: r.rollups[lv].to_dict("list") for lv in r.rollups}
    d["_disc"] = r.discrepancies.to_dict("list")
    d["_one"] = r.one_side.to_dict("list")
    return d


def test_identity_alignment_matches_the_general_alignment():
    rows_o, rows_i = _big_pair()
    fast = reconcile(make_tally(rows_o, source="off"), make_tally(rows_i, source="ind", kind="independent"))
    # the same rows in another order take the general path (factorised union of the ids)
    perm = list(range(len(rows_i)))[::-1]
    slow = reconcile(make_tally(rows_o, source="off"),
                     make_tally([rows_i[p] for p in perm], source="ind", kind="independent"))
    assert fast.units["differing"] > 0 and fast.units["only_official"] > 0
    a, b = _snapshot(fast), _snapshot(slow)
    for key in ("units", "totals", "margin", "discrepancies", "one_side_only", "rollups", "findings", "_frames",
                "_disc", "_one"):
        assert a[key] == b[key], key


def test_identity_alignment_still_refuses_duplicate_ids():
    rows_o, rows_i = _big_pair(1200)
    rows_o[10]["unit_id"] = rows_o[11]["unit_id"]
    rows_i[10]["unit_id"] = rows_i[11]["unit_id"]
    with pytest.raises(InputError, match="duplicate unit_id"):
        reconcile(make_tally(rows_o, source="off"), make_tally(rows_i, source="ind", kind="independent"))


def test_run_factorisation_equals_pandas_factorize():
    from electcheck.compare.align import _factorize

    vals = (["b"] * 700 + [None] * 300 + ["a"] * 400 + ["b"] * 200 + [None] * 5 + ["c"] * 900)
    s = pd.Series(vals, dtype="string")
    codes, uniq = _factorize(s)
    ref_codes, ref_uniq = pd.factorize(s, use_na_sentinel=True)
    assert np.array_equal(codes, np.asarray(ref_codes)) and list(uniq) == list(ref_uniq)


def test_rollups_are_built_on_demand_with_known_sizes():
    r = reconcile(*pair())
    assert r.rollups.rows("state") == len(r.rollups["state"]) == 2
    assert list(r.rollups) == ["state", "centre", "nation"] and len(r.rollups) == 3


def test_two_empty_tallies_give_empty_rollups_not_a_crash():
    o, i = pair()
    o.data, i.data = o.data.iloc[:0], i.data.iloc[:0]
    r = reconcile(o, i)
    assert r.units["matched"] == 0 and r.discrepancies.empty
    assert list(r.rollups) == ["state", "centre", "nation"] and len(r.rollups["state"]) == 0
    assert int(r.rollups["nation"]["units_official"].iloc[0]) == 0
