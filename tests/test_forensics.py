"""Forensics on synthetic elections: invariants, refusals, BH, hard checks, CLI output.

Fast (no real data). Real-data cases are in test_forensics_real.py.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from electcheck.cli import app
from electcheck.forensics import (TESTS, analyze, calibration, digits, first_digit, flags, hard_checks,
                                  integer_percent, list_tests, multiple, power)
from electcheck.forensics.units import from_tally
from electcheck.model import Candidate, Tally, TallyMeta


def clean_tally(n: int = 3000, seed: int = 1, regions: int = 5, size: tuple[int, int] = (500, 2500)) -> Tally:
    """A clean election: turnout and shares vary smoothly by region, counts binomial."""
    rng = np.random.default_rng(seed)
    reg = rng.integers(*size, n)
    region = rng.integers(0, regions, n)
    t = np.clip(rng.normal(0.55 + 0.03 * region, 0.07), 0.05, 0.97)
    ballots = rng.binomial(reg, t)
    invalid = rng.binomial(ballots, 0.02)
    valid = ballots - invalid
    s = np.clip(rng.normal(0.55, 0.08, n), 0.05, 0.95)
    a = rng.binomial(valid, s)
    b = rng.binomial(valid - a, 0.7)
    c = valid - a - b
    df = pd.DataFrame({"unit_id": [f"u{i:05d}" for i in range(n)],
                       "region": [f"R{r}" for r in region], "region_code": [str(r) for r in region]})
    for k, v in {"registered": reg, "ballots": ballots, "valid": valid, "invalid": invalid,
                 "a": a, "b": b, "c": c}.items():
        df[k] = pd.array(v, dtype="Int64")
    meta = TallyMeta(source="synthetic", kind="official", election="test", unit_level="station",
                     candidates=[Candidate("a", "A"), Candidate("b", "B"), Candidate("c", "C")],
                     hierarchy=["region"], share_basis="valid")
    return Tally(df, meta)


def test_every_test_is_listed_with_its_docstring_summary():
    items = dict(list_tests())
    assert list(items) == list(TESTS)
    for slug, summary in items.items():
        assert summary and summary == TESTS[slug].__doc__.strip().splitlines()[0]
        assert "Cit" in TESTS[slug].__doc__ or slug == "hard-checks"


def test_first_digit_is_refused_with_a_reason():
    u = from_tally(clean_tally())
    app_ = first_digit.validate(u)
    assert not app_.applicable
    assert "does not apply to polling-station counts" in app_.reason
    (r,) = first_digit.run(u)
    assert r.p_value is None and not r.applicable


def test_integer_percent_refuses_small_data():
    u = from_tally(clean_tally(n=200))
    assert not integer_percent.validate(u)
    (r,) = integer_percent.run(u, resamples=19)
    assert not r.applicable and "≥ 300" in r.caveats[0]


def test_integer_percent_is_seeded_and_doubling_units_keeps_shares():
    t = clean_tally()
    u = from_tally(t)
    r1 = integer_percent.run(u, seed=5, resamples=50)[0]
    r2 = integer_percent.run(u, seed=5, resamples=50)[0]
    assert r1.details == r2.details
    # doubling every count keeps every rate: observed integer units unchanged
    t2 = Tally(t.data.copy(), t.meta)
    for c in ("registered", "ballots", "valid", "invalid", "a", "b", "c"):
        t2.data[c] = t2.data[c] * 2
    r3 = integer_percent.run(from_tally(t2), seed=5, resamples=50)[0]
    assert r3.details["observed"] == r1.details["observed"]


def test_integer_percent_sees_planted_rounding_and_not_a_clean_election():
    u = from_tally(clean_tally(n=6000, seed=3))
    clean = integer_percent.run(u, seed=1, resamples=99)[0]
    assert clean.p_value > 0.01
    fraud, chosen = power.plant(u, "rounding", 0.05, 1.0, np.random.default_rng(0))
    r = integer_percent.run(fraud, seed=1, resamples=99)[0]
    assert r.p_value <= 0.01 and r.details["excess"] > 3 * r.details["sd"]


def test_second_digit_helper_is_exact():
    x = np.array([10, 19, 99, 100, 109, 110, 999, 1000, 1234, 98765], dtype=float)
    assert digits.second_digit(x).tolist() == [0, 9, 9, 0, 0, 1, 9, 0, 2, 8]
    assert abs(digits.BENFORD2.sum() - 1) < 1e-12 and digits.BENFORD2[0] > digits.BENFORD2[9]


def test_hard_checks_find_each_problem():
    t = clean_tally(n=400)
    d = t.data
    d.loc[0, "ballots"] = d.loc[0, "registered"] + 5          # votes above registered
    d.loc[0, "valid"] = d.loc[0, "ballots"] - d.loc[0, "invalid"]
    d.loc[0, "a"] = d.loc[0, "valid"] - d.loc[0, "b"] - d.loc[0, "c"]
    d.loc[1, "a"] = d.loc[1, "a"] + 7                           # candidates ≠ valid
    d.loc[2, ["ballots", "valid", "invalid", "b", "c"]] = [d.loc[2, "registered"], d.loc[2, "registered"], 0, 0, 0]
    d.loc[2, "a"] = d.loc[2, "registered"]                      # 100 % turnout, 100 % for a
    res = {r.subject: r for r in hard_checks.run(from_tally(t))}
    assert res["VOTES_GT_REGISTERED"].statistic == 1
    assert res["SUM_CANDIDATES"].statistic == 1
    assert res["TURNOUT_100"].statistic == 1 and res["ONE_CANDIDATE_100"].statistic == 1
    assert res["SUM_BALLOTS"].statistic == 0 and res["NEGATIVE"].statistic == 0
    assert all(r.p_value is None for r in res.values())


def test_bh_matches_the_textbook_example():
    p = [0.01, 0.04, 0.03, 0.005]
    q = multiple.bh(p)
    assert np.allclose(q, [0.02, 0.04, 0.04, 0.02])
    assert np.all(multiple.bh([0.5] * 7) == 0.5)


def test_analyze_clean_election_flags_nothing_and_states_the_family():
    rep = analyze(clean_tally(n=4000, seed=11), resamples=99, calibration_sims=8, calibration_units=4000,
                  by="region")
    d = rep.to_dict()
    assert d["family"]["size"] == sum(1 for r in rep.tests if r.in_family) > 10
    assert d["family"]["scopes"] == 6
    flagged = [t for t in d["tests"] if t["q_value"] is not None and t["q_value"] <= 0.05]
    assert flagged == [], flagged
    for t in d["tests"]:
        assert set(t) >= {"test", "scope", "statistic", "p_value", "q_value", "calibration", "applicable",
                          "caveats"}
    ip = [t for t in d["tests"] if t["test"] == "integer-percent" and t["scope"] == "national"][0]
    assert ip["excess"] is not None and ip["sd"] > 0
    assert d["cannot_see"] and "Proportional ballot stuffing" in d["cannot_see"][0]


def test_flags_rank_hard_checks_first_with_reason_codes():
    t = clean_tally(n=500)
    t.data.loc[7, "a"] = t.data.loc[7, "a"] + 3
    rep = analyze(t, tests=["hard-checks", "fingerprint"], resamples=19, calibrate=False)
    top = flags.records(rep.flags, 1)[0]
    assert top["unit_id"] == "u00007" and "SUM_CANDIDATES" in top["reasons"]


def test_calibration_labels_a_broken_test_anti_conservative():
    class AlwaysReject:
        SLUG = "always"

        @staticmethod
        def run(units, **_):
            from electcheck.forensics.base import TestResult

            return [TestResult("always", "national", "x", 1.0, 0.001)]

    u = from_tally(clean_tally())
    c = calibration.calibrate_many(u, [AlwaysReject], sims=10, resamples=19)
    assert c["always"]["label"] == "anti-conservative" and c["always"]["rejection_rate"] == 1.0
    assert calibration.label(10, 200, sims=200) == "calibrated"     # 5 % ± 1.5 %: upper bound 9.0 % ≤ 10 %
    assert calibration.label(0, 400, sims=400) == "conservative"
    assert calibration.label(16, 200, sims=200) == "unverified"  # 8 %: upper bound 12.6 % > 10 %, lower < 5 %
    assert calibration.label(25, 200, sims=200) == "anti-conservative"  # 12.5 %: lower bound above 5 %
    assert calibration.label(1, 40, sims=40) == "provisional"      # too few simulations to say
    assert calibration.label(8, 20, sims=20) == "anti-conservative"  # clearly too many, however few
    rate, se, (lo, hi) = calibration.rate_interval(10, 200)
    assert rate == 0.05 and abs(se - 0.0154) < 1e-3 and lo < 0.05 < hi < 0.1


def test_an_anti_conservative_test_has_its_p_value_withheld_and_left_out_of_the_family(monkeypatch):
    real = calibration.calibrate_many

    def zero_five_rejects_too_often(*args, **kw):
        out = real(*args, **kw)
        out["zero-five"].update(label="anti-conservative", rejection_rate=0.4)
        return out

    monkeypatch.setattr(calibration, "calibrate_many", zero_five_rejects_too_often)
    rep = analyze(clean_tally(n=3000, seed=6), tests=["zero-five", "last-digit"], resamples=39,
                  calibration_sims=3, calibration_units=3000)
    zf = [r for r in rep.tests if r.test == "zero-five" and r.applicable]
    assert zf and all(r.p_value is None and "p_value_withheld" in r.details and not r.in_family for r in zf)
    assert all(any(c.startswith("withheld") for c in r.caveats) for r in zf)
    assert any(r.in_family for r in rep.tests if r.test == "last-digit")


def test_power_reports_proportional_stuffing_as_invisible_to_digit_tests():
    u = from_tally(clean_tally(n=3000, seed=4))
    res = power.run(u, reps=4, resamples=19, tests=["integer-percent", "last-digit", "zero-five"],
                    scenarios=[("proportional-stuffing", 0.3)], share=0.05, seed=1)
    det = res["scenarios"][0]["detection"]
    assert det["last-digit"] <= 0.5 and det["zero-five"] <= 0.5
    assert res["blind_spots"]


runner = CliRunner()


def test_cli_list_prints_slug_and_summary():
    r = runner.invoke(app, ["forensics", "--list"])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert len(lines) == len(TESTS)
    assert lines[0] == ("integer-percent     Excess of units whose turnout or leader share is a whole percentage "
                        "(Kobak, Shpilkin & Pshenichnikov 2016).")
    assert lines[-1].startswith("first-digit         First-digit Benford test: refused")


def test_cli_json_and_flags_csv(tmp_path):
    t = clean_tally(n=1000)
    t.data.loc[3, "b"] = t.data.loc[3, "b"] + 1
    src = tmp_path / "t.parquet"
    t.to_parquet(src)
    csv = tmp_path / "flags.csv"
    r = runner.invoke(app, ["forensics", str(src), "--resamples", "19", "--calibration-sims", "2", "--format",
                            "json", "--flags-csv", str(csv), "-q"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [x["test"] for x in d["tests"]][:1] == ["integer-percent"]
    assert d["flags"][0]["unit_id"] == "u00003" and d["flags"][0]["reasons"] == ["SUM_CANDIDATES"]
    raw = csv.read_text(encoding="utf-8")
    assert raw.startswith("\ufeff")  # Excel reads UTF-8 names only after a BOM
    head = raw[1:].splitlines()[0]
    assert head.startswith("rank,unit_id,region,score,reasons,registered,ballots,turnout_pct,a_share_pct,"
                           "baseline_region,region_turnout_pct,region_share_pct")
    assert head.endswith(",reasons_text,evidence")


def test_cli_unknown_test_is_a_one_line_error():
    from electcheck.forensics import ForensicsError, resolve_tests

    with pytest.raises(ForensicsError, match="unknown test 'benford'"):
        resolve_tests(["benford"])


def test_every_test_has_a_method_page_and_a_row_in_the_guide():
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "docs"
    guide = (docs / "forensics.md").read_text(encoding="utf-8")
    for slug in TESTS:
        page = docs / "methods" / f"{slug}.md"
        assert page.is_file(), page
        text = page.read_text(encoding="utf-8")
        assert text.startswith(f"# {slug}")
        assert f"`{slug}`" in guide
        if slug not in ("hard-checks",):
            assert "Citation" in text


def test_cli_csv_header_and_fail_on(tmp_path):
    t = clean_tally(n=800)
    t.data.loc[5, "a"] = t.data.loc[5, "a"] + 2
    src = tmp_path / "t.parquet"
    t.to_parquet(src)
    args = ["forensics", str(src), "--tests", "hard-checks,first-digit", "--resamples", "19", "-q"]
    r = runner.invoke(app, args + ["--format", "csv"])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "test,scope,subject,statistic,p,q,calibration,note"
    assert lines[1] == "hard-checks,national,VOTES_GT_REGISTERED,0,,,no p-value (count),"
    assert lines[4] == "hard-checks,national,SUM_CANDIDATES,1,,,no p-value (count),"
    assert runner.invoke(app, args + ["--fail-on", "flags"]).exit_code == 1
    assert runner.invoke(app, args + ["--fail-on", "significant"]).exit_code == 0


def test_binomial_inversion_draws_the_exact_binomial_law():
    from scipy import stats

    from electcheck.forensics.base import binomial_inversion, draw_binomial

    rng = np.random.default_rng(12)
    for n, p, floor in [(30, 0.1, 0), (250, 0.99, 0), (40, 0.7, 0), (1000, 0.004, 10), (12, 0.9, 10)]:
        v = binomial_inversion(rng, np.array([n]), np.array([p]), 40_000, floor)[:, 0]
        k = np.arange(n + 1)
        pm = stats.binom.pmf(k, n, p)
        if floor and p <= 0.5:  # values below the floor are reported as 0
            pm = np.where(k < floor, 0.0, pm)
            pm[0] = stats.binom.cdf(floor - 1, n, p)
        obs = np.bincount(v, minlength=n + 1)
        e = pm * len(v)
        m = e > 5
        chi = float(((obs[m] - e[m]) ** 2 / e[m]).sum())
        assert stats.chi2.sf(chi, max(int(m.sum()) - 1, 1)) > 1e-4, (n, p, floor, chi)
        assert obs[~m].sum() <= max(30, 5 * e[~m].sum())
    # the mixed sampler (normal approximation, inversion, numpy) keeps mean and variance
    n = np.array([2000, 300, 60, 250, 5000], dtype=float)
    p = np.array([0.4, 0.02, 0.1, 0.995, 0.001])
    v = draw_binomial(rng, n, p, 20_000, exact=False)
    assert np.allclose(v.mean(0), n * p, rtol=0.02, atol=0.05)
    assert np.allclose(v.var(0), n * p * (1 - p), rtol=0.06, atol=0.05)


def test_regional_results_say_their_calibration_label_is_national():
    rep = analyze(clean_tally(n=3000, seed=2), tests=["integer-percent", "fingerprint"], resamples=19,
                  calibration_sims=3, calibration_units=3000, by="region")
    regional = [r for r in rep.tests if r.scope != "national" and r.applicable]
    assert regional
    for r in regional:
        assert r.details["calibration_scope"] == "national"
        assert any(c.startswith("calibration label is national") for c in r.caveats)
    nat = [r for r in rep.tests if r.scope == "national"]
    assert all("calibration_scope" not in r.details for r in nat)
    assert all(c["scope"] == "national" for c in rep.calibration.values())


def test_exact_digit_null_agrees_with_the_resampled_one():
    """The exact digit null (per-pair laws, tallies drawn from their exact moments) against the
    per-unit draws, same synthetic election and seed: expectations within Monte Carlo error,
    null quantiles and p-values close; each method deterministic for a seed."""
    from electcheck.forensics import plant

    u = plant.synthetic(n_units=6000, seed=3, regions=4, districts_per_region=3)
    for j in digits.candidates(u, digits.MIN_SECOND)[:2]:
        e = digits.counts(u, j, seed=11, resamples=400, scoped=True, method="exact")
        d = digits.counts(u, j, seed=11, resamples=400, scoped=True, method="draws")
        assert np.array_equal(e.obs2, d.obs2) and np.array_equal(e.obsL, d.obsL)
        for sim_e, sim_d, exp_e, exp_d, var_d in ((e.sim2, d.sim2, e.exp2, d.exp2, d.var_exp2),
                                                  (e.simL, d.simL, e.expL, d.expL, d.var_expL)):
            # first-stage means: difference of two 400-draw means
            se1 = np.sqrt(2 * sim_d.var(axis=0) / 400) + 1e-9
            assert np.all(np.abs(sim_e.mean(axis=0) - sim_d.mean(axis=0)) <= 4.5 * se1 + 0.5)
            # bias-corrected expectations: the draws' own estimation error
            assert np.all(np.abs(exp_e - exp_d) <= 4.5 * np.sqrt(var_d) + 0.5)
            # spread of the tallies
            ratio = sim_e.std(axis=0) / np.maximum(sim_d.std(axis=0), 1e-9)
            assert np.all((ratio > 0.8) & (ratio < 1.25))
        for s in range(e.obs2.shape[0]):
            obs = e.obs2[s].astype(float)
            if obs.sum() < digits.MIN_VALUES:
                continue
            st = []
            for dc in (e, d):
                exp = dc.exp2[s] * obs.sum() / dc.exp2[s].sum()
                stat, null = digits.distance(obs, exp, dc.sim2[:, s, :].astype(float), dc.var_exp2[s])
                st.append((stat, np.quantile(null, 0.95), (1 + np.sum(null >= stat)) / (len(null) + 1)))
            (s_e, q_e, p_e), (s_d, q_d, p_d) = st
            assert abs(s_e - s_d) <= 0.15 * s_d + 1.0
            assert abs(q_e - q_d) <= 0.2 * q_d
            # mid-range p-values move with the draws' own error in E0 (the exact E0 has none)
            assert abs(p_e - p_d) <= 0.2
    # deterministic for a seed
    u2 = plant.synthetic(n_units=6000, seed=3, regions=4, districts_per_region=3)
    j = digits.candidates(u2, digits.MIN_SECOND)[0]
    a = digits.counts(u2, j, seed=11, resamples=400, scoped=True, method="exact")
    assert np.array_equal(a.sim2, digits.counts(u, j, seed=11, resamples=400, scoped=True, method="exact").sim2)


def test_exact_digit_laws_fast_path_matches_per_value_sums():
    """Runs and Poisson summation give the same per-unit digit laws as summing every value."""
    from electcheck.forensics import exact

    rng = np.random.default_rng(0)
    n = rng.integers(30, 25_000, 4000)
    p = rng.uniform(0.005, 0.995, 4000)
    var = n * p * (1 - p)
    keep = var >= 9
    n, p, var = n[keep], p[keep], var[keep]
    vals = np.arange(n.max() + 1.0)
    t2 = np.where(vals >= 10, digits.second_digit(np.maximum(vals, 10)), 10).astype(np.int64)
    for min_last in (100, 50):
        tL = np.where(vals >= min_last, vals % 10, 10).astype(np.int64)
        a2, aL = exact.normal_law(n, n * p, var, (t2, tL), 10)
        b2, bL = exact.normal_law_fast(n, n * p, var, min_last)
        assert np.abs(a2[:, :10] - b2[:, :10]).max() < 1e-6
        assert np.abs(aL[:, :10] - bL[:, :10]).max() < 1e-6


def test_calibration_figures_do_not_depend_on_the_number_of_workers():
    """Simulation i draws from child i of the seed, whichever thread runs it: 1 and 2 workers agree."""
    from electcheck.forensics import CALIBRATED

    u = from_tally(clean_tally(n=3000, seed=4))
    mods = [TESTS[s] for s in CALIBRATED]
    one = calibration.calibrate_many(u, mods, sims=8, resamples=19, seed=3, max_units=2000, workers=1)
    two = calibration.calibrate_many(u, mods, sims=8, resamples=19, seed=3, max_units=2000, workers=2)
    assert one == two
    assert sum(c["trials"] for c in one.values()) > 0


def test_calibration_caches_give_the_values_they_replace():
    """The integer test's hit probabilities per (n, rate), the digit tests' shared second-stage tables
    and the shortcut in choosing the digit null are the same values and choices as computing them."""
    from electcheck.forensics import exact, integer_percent
    from electcheck.forensics.base import floor_tables

    rng = np.random.default_rng(5)
    n = rng.integers(100, 3000, 4000).astype(float)
    n[2000:] = n[:2000]  # repeated pairs
    k = rng.binomial(n.astype(np.int64), 0.6)
    k[2000:] = k[:2000]
    p = k / n
    cache: dict = {}
    a = integer_percent._hit_probability_cached(n, p, cache)
    assert np.array_equal(a, integer_percent.hit_probability(n, p)) and len(cache) <= 2000
    assert np.array_equal(integer_percent._hit_probability_cached(n[::-1], p[::-1], cache), a[::-1])
    sizes = np.sort(rng.integers(0, 20_000, 3000)).astype(float)
    below, pm = floor_tables(sizes, 40, digits.MIN_SECOND)
    B, P, row = digits._second_stage_tables(sizes, 40)
    assert np.array_equal(below, B[row]) and np.array_equal(pm, P[row])
    for units in (from_tally(clean_tally(n=5000, seed=2)), from_tally(clean_tally(n=400, seed=2, size=(20, 40)))):
        for j in digits.candidates(units, digits.MIN_SECOND):
            _, x, nn, _ = digits._prepare(units, j)
            for r in (19, 39, 1000):
                k2 = max(20, r // 10)
                want = "exact" if exact.pairs(x, nn) * digits.EXACT_COST < len(nn) * (r + 2 * k2) else "draws"
                units.notes.pop("_cache", None)
                assert digits._choose(units, j, r) == want
