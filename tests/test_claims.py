"""Claims checked against real data: the seed article, the published test set, integrity checks, CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from electcheck.claims import check_text
from electcheck.claims.claimreview import claim_reviews
from electcheck.claims.integrity import integrity_checks

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "claims"))
from run_testset import evaluate, rows  # noqa: E402
from synthetic import bulletin, v2_like  # noqa: E402

SEED = HERE.parents[1] / "shared" / "examples" / "seed-article-en.txt"
V2 = "venezuela-2024/opposition-v2"


@pytest.fixture(scope="module")
def seed_text():
    if not SEED.exists():
        pytest.skip(f"seed article not available: {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_result(load, seed_text):
    return check_text(seed_text, [load(V2)])


def test_seed_article_verdicts(seed_result, seed_text):
    got = [(c.text, c.quantity, c.subject["candidate"], c.verdict) for c in seed_result.claims]
    assert got == [
        ("$15 million", "money", None, "unverifiable"),
        ("eight million", "other", None, "unverifiable"),
        ("11", "other", None, "unverifiable"),
        ("38 percentage points", "margin_points", "EG", "misleading"),
        ("7.3 million", "votes", "EG", "supported"),
        ("3.3 million", "votes", "NM", "supported"),
        ("2,400", "other", None, "unverifiable"),
        ("two", "other", None, "unverifiable"),
        ("10", "other", None, "unverifiable"),
    ]
    for c in seed_result.claims:
        assert seed_text[c.start:c.end] == c.text


def test_seed_article_values_and_bases(seed_result):
    by = {c.text: c for c in seed_result.claims}
    assert by["7.3 million"].actual == 7303480
    assert by["3.3 million"].actual == 3316142
    pts = by["38 percentage points"]
    assert (round(pts.actual, 2), pts.standard_basis, pts.basis) == (36.62, "valid", "two-candidate")
    assert pts.stated == {"value": 38.0, "unit": "points", "hedge": "almost", "hedge_text": "almost",
                          "precision": 1.0, "reading": None}
    assert pts.interval == {"low": 37.0, "high": 38.0, "low_closed": True, "high_closed": True}
    assert [round(a["value"], 2) for a in pts.alternatives if a["basis"] == "two-candidate"] == [37.55]
    assert "37.55 points" in pts.explanation and "36.62 points" in pts.explanation
    assert by["7.3 million"].interval == {"low": 7250000.0, "high": 7400000.0, "low_closed": True,
                                          "high_closed": False}
    assert "rounded" in by["7.3 million"].explanation


def test_seed_article_dates_are_skipped(seed_result):
    assert [s.text for s in seed_result.skipped] == [
        "08-11-2024", "09:30", "08-11-2024", "15:27", "July 28, 2024", "August 11, 2024", "2020", "July 28"]


def test_evidence_names_source_and_sha256(seed_result):
    ev = next(c for c in seed_result.claims if c.text == "7.3 million").evidence
    assert ev["source"] == V2
    assert ev["formula"] == "EG = 7,303,480"
    assert ev["inputs"][0]["sha256"] == "296d35bbda1d6bd12e7011ed93da1973a3f22beb73cc05dbb0554efc31b2deaa"


def test_json_has_the_design_fields(seed_result):
    d = seed_result.to_dict()["claims"][3]
    for k in ("text", "start", "end", "quantity", "subject", "stated", "interval", "actual", "basis", "verdict",
              "explanation", "evidence"):
        assert k in d
    assert set(d["stated"]) >= {"value", "unit", "hedge", "precision"}


TESTSET = rows()


@pytest.mark.parametrize("row", TESTSET, ids=[r["id"] for r in TESTSET])
def test_published_claims(row, load):
    c = evaluate(row, load)
    assert c is not None, f"number {row['number']!r} not found"
    assert (c.verdict, c.quantity) == (row["expected_verdict"], row["expected_quantity"]), c.explanation


def test_testset_is_big_enough_and_bilingual():
    assert len(TESTSET) >= 40
    assert {r["lang"] for r in TESTSET} == {"en", "es"}
    assert all(r["url"] for r in TESTSET)
    assert {r["against"].split("/")[0].split("-")[0] for r in TESTSET} >= {"venezuela", "russia", "indonesia"}


def test_spanish_claim_gets_spanish_explanation(load):
    r = check_text("Edmundo González obtuvo 7,3 millones de votos, casi 38 puntos porcentuales más que Maduro.",
                   [load(V2)])
    assert [(c.text, c.verdict) for c in r.claims] == [("7,3 millones", "supported"),
                                                       ("38 puntos porcentuales", "misleading")]
    assert r.claims[0].explanation.startswith("Los datos (venezuela-2024/opposition-v2) dan")
    assert "solo entre los dos candidatos" in r.claims[1].explanation


def test_region_is_resolved(load):
    r = check_text("En el estado Zulia, González obtuvo más de 700.000 votos.", [load(V2)])
    c = r.claims[0]
    assert c.subject["region"] == "EDO. ZULIA" and c.subject["candidate"] == "EG"
    assert (c.verdict, c.actual) == ("supported", 766915)  # derived_state_totals_v2.csv


def test_ambiguous_number_explains_which_reading(load):
    r = check_text("The opposition collected 25.073 actas.", [load(V2)])
    c = r.claims[0]
    assert (c.quantity, c.verdict, c.actual, c.stated["reading"]) == ("units", "supported", 25073,
                                                                      "'.' as thousands separator")
    assert ("“25.073” can be read two ways (25.073 or 25,073); the reading with '.' as "
            "thousands separator (25,073) was used.") in c.explanation
    assert c.explanation.endswith("Read as: counting units, national, stated by the author.")


def test_bulletin_1_round_percentages(load):
    f = integrity_checks(load("venezuela-2024/cne-bulletin-1"))
    rp = [x for x in f if x.code == "round-percentages"]
    assert len(rp) == 1
    ev = rp[0].evidence
    assert (ev["total"], ev["decimals"], ev["free_counts"]) == (10058774, 1, 2)
    assert ev["p_value"] == pytest.approx((1000 / 10058774) ** 2)
    assert [(r["candidate"], r["votes"], r["percent"], r["total_times_percent"]) for r in ev["per_count"]] == [
        ("EG", 4445978, 44.2, 4445978.108), ("NM", 5150092, 51.2, 5150092.288), ("OTHERS", 462704, 4.6, 462703.604)]


def test_bulletin_2_does_not_trip_round_percentages_but_turnout_denominator(load):
    f = integrity_checks(load("venezuela-2024/cne-bulletin-2"))
    assert [x.code for x in f] == ["turnout-denominator", "figure-reported-two-ways"]
    assert f[0].evidence["matches"] == {"registered_transmitted": 20654431}
    assert f[0].evidence["over_registry"] == 58.0939


def test_bulletin_2_martinez_reported_two_ways(load):
    t = load("venezuela-2024/cne-bulletin-2")
    assert t.totals()["LM"] == 152360  # the alternative never replaces the count
    f = next(x for x in integrity_checks(t) if x.code == "figure-reported-two-ways")
    assert f.location == {"source": "venezuela-2024/cne-bulletin-2", "field": "LM"}
    assert [(v["value"], v["adds_up"], v["difference"]) for v in f.evidence["versions"]] == [
        (152360, True, 0), (152306, False, -54)]
    assert f.evidence["versions"][1]["url"].startswith("https://playmultimedios.com.ve/")
    assert f.evidence["adds_up"] == [152360] and f.evidence["target"] == 12335884
    assert "Only 152,360 makes the sum add up" in f.message


def test_alternative_figure_that_fits_better_is_named():
    t = bulletin({"NM": 6408844, "EG": 5326104, "LM": 152306}, valid=11887308, invalid=10, ballots=11887318)
    t.meta.notes = {"alternatives": {"LM": [{"value": 152360, "url": "https://example.org/b", "note": ""}]}}
    f = next(x for x in integrity_checks(t) if x.code == "figure-reported-two-ways")
    assert f.evidence["adds_up"] == [152360]  # the loaded 152,306 leaves the sum 54 short
    assert f.severity == "info"


def test_sum_mismatch_on_synthetic_bulletin():
    t = bulletin({"NM": 6408844, "EG": 5326104, "LM": 152306}, valid=11887308, invalid=10, ballots=11887318)
    assert [x.code for x in integrity_checks(t)] == ["sum-mismatch"]
    assert integrity_checks(v2_like()) == []  # per-unit tallies: not a published bulletin


def test_snapshot_is_an_alternative_basis(load):
    r = check_text("González received 7,156,462 votes.", [load(V2), load("venezuela-2024/opposition-v1")])
    c = r.claims[0]
    assert (c.verdict, c.basis) == ("misleading", "snapshot:venezuela-2024/opposition-v1")


def test_claimreview(seed_result):
    reviews = claim_reviews(seed_result, url="https://example.org/article", org="Example Fact Check",
                            date="2024-08-12")
    assert len(reviews) == 3  # unverifiable numbers are not reviews
    assert [x["reviewRating"]["alternateName"] for x in reviews] == ["Misleading", "Supported", "Supported"]
    r = reviews[0]
    assert r["@type"] == "ClaimReview" and r["@context"] == "https://schema.org"
    assert r["reviewRating"]["alternateName"] == "Misleading"
    assert r["itemReviewed"] == {"@type": "Claim",
                                 "appearance": [{"@type": "CreativeWork", "url": "https://example.org/article"}]}
    assert r["author"] == {"@type": "Organization", "name": "Example Fact Check"}
    assert r["datePublished"] == "2024-08-12"
    assert r["claimReviewed"].startswith("Their efforts revealed González won by almost 38 percentage points")


# --- CLI ---------------------------------------------------------------------------------------------
runner = CliRunner()


def _app():
    from electcheck.cli import app

    return app


def test_cli_markdown_exact(load):
    load(V2)  # skip when the data file is absent
    res = runner.invoke(_app(), ["check", "González got 7.3 million votes to Maduro's 3.3 million.",
                                 "--against", V2, "--format", "markdown", "-q"])
    assert res.exit_code == 0, res.output
    assert res.stdout == (
        "| start | end | text | quantity | subject | hedge | interval | actual | basis | verdict |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        "| 13 | 24 | 7.3 million | votes | EG | none | \\[7,250,000, 7,400,000\\) | 7,303,480 | count | supported |\n"
        "| 43 | 54 | 3.3 million | votes | NM | none | \\[3,250,000, 3,400,000\\) | 3,316,142 | count | supported |\n")


def test_cli_json_file_and_stdin(load, tmp_path):
    load(V2)
    p = tmp_path / "a.txt"
    p.write_text("Maduro obtuvo el 30 % de los votos.", encoding="utf-8")
    res = runner.invoke(_app(), ["check", "--file", str(p), "--against", V2, "--format", "json", "-q"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert [(c["text"], c["verdict"], c["lang"]) for c in d["claims"]] == [("30 %", "supported", "es")]
    res2 = runner.invoke(_app(), ["check", "--file", "-", "--against", V2, "--format", "json", "-q"],
                         input="Maduro obtuvo el 30 % de los votos.")
    assert json.loads(res2.stdout)["claims"] == d["claims"]


def test_cli_claimreview(load):
    load(V2)
    res = runner.invoke(_app(), ["check", "González won 67% of the vote.", "--against", V2, "--format",
                                 "claimreview", "--url", "https://example.org/a", "--org", "FC", "--date",
                                 "2024-08-12", "-q"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [r["reviewRating"]["alternateName"] for r in out] == ["Supported"]


def test_cli_needs_text_or_file():
    res = runner.invoke(_app(), ["check", "--against", V2])
    assert res.exit_code == 2


# --- held-out set: labelled before the rules were tuned on it (see docs/claims.md) ---------------------
HOLDOUT = rows(HERE / "claims" / "holdout.csv")
#: rows the checker still gets wrong, with the reason (documented in docs/claims.md)
KNOWN_WRONG = {
    "h15b": "labelled contradicted; the recapitulation lacks registered voters for some units, so unverifiable",
}


def test_holdout_accuracy(load):
    wrong = {r["id"] for r in HOLDOUT
             if (c := evaluate(r, load)) is None or c.verdict != r["expected_verdict"]}
    assert wrong == set(KNOWN_WRONG)
    assert len(HOLDOUT) == 31


# --- second held-out set: 45 sentences, labelled and committed before any rule change -----------------
HOLDOUT2 = rows(HERE / "claims" / "holdout2.csv")
#: rows the checker still gets wrong after the round of fixes, with the reason (docs/claims.md)
KNOWN_WRONG_2 = {
    "r12b": "'(where these numbers were 87.5 percent and 90.7 percent)': 'these numbers' refers back to "
            "turnout and Putin's share; the first figure is read as Putin's share in Dagestan, not turnout",
    "i1": "'the national vote totaling 154,257,601' (valid votes in KPU usage) is bound to the candidate "
          "named after it as a vote count",
}


def test_holdout2_accuracy(load):
    wrong = {r["id"] for r in HOLDOUT2
             if (c := evaluate(r, load)) is None or c.verdict != r["expected_verdict"]}
    assert wrong == set(KNOWN_WRONG_2)
    assert len(HOLDOUT2) == 82 and len({r["text"] for r in HOLDOUT2}) == 45
    assert all(r["url"].startswith("http") for r in HOLDOUT2)
    assert {r["lang"] for r in HOLDOUT2} == {"en", "es"}


# --- regions below the top level, English names of Russian regions, roles -------------------------------
def test_municipality_named_as_such_is_resolved(load):
    t = load(V2)
    d = t.data[(t.data["state"] == "EDO. ZULIA") & (t.data["municipality"] == "MP. MARACAIBO")]
    share = 100 * d["EG"].sum() / d["valid"].sum()
    r = check_text(f"En el municipio Maracaibo, González obtuvo el {share:.1f}% de los votos.", [t])
    c = r.claims[0]
    assert c.subject["region"] == "EDO. ZULIA / MP. MARACAIBO" and c.verdict == "supported"
    assert c.actual == pytest.approx(share, abs=1e-6)


def test_ambiguous_municipality_needs_its_state(load):
    t = load(V2)
    r = check_text("En el municipio Libertador, Maduro obtuvo el 30% de los votos.", [t])
    assert r.claims[0].subject["region"] is None  # several states have a municipio Libertador
    r = check_text("En el municipio Libertador de Caracas, Maduro obtuvo el 30% de los votos.", [t])
    assert r.claims[0].subject["region"] == "DTTO. CAPITAL / MP. BLVNO LIBERTADOR"
    r = check_text("En Maracaibo, González obtuvo el 70% de los votos.", [t])
    assert r.claims[0].subject["region"] is None  # not marked as a municipality: not resolved


def test_dateline_is_not_a_region(load):
    r = check_text("CARACAS, 28 jul (Reuters) - González obtuvo el 67% de los votos.", [load(V2)])
    assert (r.claims[0].subject["region"], r.claims[0].verdict) == (None, "supported")


def test_english_names_of_russian_regions(load):
    t = load("russia-2024")
    r = check_text("Putin received 98.99% of the votes in the republic of Chechnya. "
                   "In the Moscow region Putin got 80%. At 7:00 Moscow time, Putin had 87%.", [t])
    assert [(c.text, c.subject["region"], c.verdict) for c in r.claims] == [
        ("98.99%", "Чеченская Республика", "supported"), ("80%", "Московская область", "contradicted"),
        ("87%", None, "supported")]


def test_locative_place_wins_over_a_place_mentioned_in_passing(load):
    r = check_text("En el estado Miranda, que incluye el área metropolitana de Caracas, González Urrutia dominó "
                   "con 65,5% de los votos.", [load(V2)])
    assert r.claims[0].subject["region"] == "EDO. MIRANDA"


def test_roles_resolve_to_the_incumbent_and_the_opposition(load):
    t = load("venezuela-2024/cne-bulletin-1")
    r = check_text("El CNE da ganador al actual gobernante con 5.150.092 sufragios y al abanderado de la oposición "
                   "con 4.445.978, dijo el presidente del CNE.", [t])
    assert [(c.text, c.subject["candidate"], c.verdict) for c in r.claims] == [
        ("5.150.092", "NM", "supported"), ("4.445.978", "EG", "supported")]
    r = check_text("The opposition candidate got 44.2% and the incumbent 51.2%.", [t])
    assert [c.subject["candidate"] for c in r.claims] == ["EG", "NM"]
    r = check_text("El chavismo obtuvo el 51,2 % de los votos.", [t])
    assert r.claims[0].subject["candidate"] == "NM"


def test_role_phrases_read_in_context(load):
    t = load("venezuela-2024/cne-bulletin-1")
    r = check_text("The opposition leader María Corina Machado said 70%.", [t])
    assert r.claims[0].subject["candidate"] is None  # Machado is not the opposition's candidate
    r = check_text("La líder de la oposición dijo que obtuvo el 70 %.", [t])
    assert r.claims[0].subject["candidate"] is None
    r = check_text("El presidente electo obtuvo 70 %.", [t])
    assert r.claims[0].subject["candidate"] is None  # 'presidente electo' is not the incumbent
    r = check_text("El presidente Gustavo Petro obtuvo el 51,2 %.", [t])
    assert r.claims[0].subject["candidate"] is None  # a role in apposition to another name


def test_figure_reported_two_ways_keeps_both_addresses(load):
    f = next(x for x in integrity_checks(load("venezuela-2024/cne-bulletin-2"))
             if x.code == "figure-reported-two-ways")
    assert [v["url"][:24] for v in f.evidence["versions"]] == ["https://datiaopr.com/sin", "https://playmultimedios."]


def test_roles_belong_to_one_election(load):
    from electcheck.claims.roles import role_holders

    assert role_holders(load(V2)) == {"incumbent": "NM", "opposition": "EG"}
    assert role_holders(load("russia-2012")) == {}  # Medvedev was the incumbent, and not a candidate


def test_spanish_compound_count_and_hyphenated_percent():
    from electcheck.claims.numbers import extract

    assert [(m.text, m.value, m.precision) for m in extract("reuniría 3 millones 316 mil 142 votos", "es")] == [
        ("3 millones 316 mil 142", 3316142.0, 1.0)]
    assert [(m.text, m.unit) for m in extract("with 92-percent turnout", "en")] == [("92-percent", "percent")]


def test_turnout_ignores_units_without_results_and_implausible_issued_ballots(load):
    from electcheck.claims.facts import Facts

    t24 = Facts(load("russia-2024")).national  # 2,268 annexed-region rows have no numbers at all
    assert t24["registered"] == 99764974
    t04 = Facts(load("russia-2004")).national  # all three 'issued' lines found (early, on the day, outside)
    assert t04["issued"] == 69581430 and "issued_implausible" not in t04
    r = check_text("Turnout was 64.3 percent, well above the 50 percent needed to declare the election valid.",
                   [load("russia-2004")])
    assert [(c.quantity, c.verdict) for c in r.claims] == [("turnout", "supported"), ("other", "unverifiable")]


def test_cli_csv_exact(load, tmp_path):
    load(V2)
    out = tmp_path / "claims.csv"
    res = runner.invoke(_app(), ["check", "Maduro had 30% and spent $15 million.", "--against", V2, "--format",
                                 "csv", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    lines = out.read_bytes().decode("utf-8").split("\r\n")
    assert lines[0] == "start,end,text,quantity,subject,hedge,interval,actual,basis,verdict,explanation"
    assert lines[1].startswith("11,14,30%,share,NM,none,\"[29.50%, 31.00%)\",30.46%,valid,supported,")
    assert lines[2].startswith("25,36,$15 million,money,,none,,,,unverifiable,")


def test_docs_show_the_real_seed_output(load, seed_text):
    load(V2)
    res = runner.invoke(_app(), ["check", "--file", str(SEED), "--against", V2, "--format", "markdown", "-q"])
    assert res.exit_code == 0
    docs = (HERE.parent / "docs" / "claims.md").read_text(encoding="utf-8")
    assert res.stdout in docs


@settings(max_examples=40, deadline=None)
@given(decimals=st.integers(min_value=0, max_value=3), lang=st.sampled_from(["en", "es"]))
def test_margin_built_from_the_data_is_supported(decimals, lang):
    from synthetic import V2_TOTALS as T

    pts = 100 * (T["EG"] - T["NM"]) / sum(T.values())
    s = f"{pts:.{decimals}f}"
    text = (f"González won by {s} percentage points." if lang == "en"
            else f"González ganó por {s.replace('.', ',')} puntos porcentuales.")
    r = check_text(text, v2_like())
    assert [(c.quantity, c.verdict) for c in r.claims] == [("margin_points", "supported")]


def test_numbers_about_another_election_are_unverifiable(load):
    t = load("russia-2018")
    r = check_text("Putin won 63.6 percent of the vote in 2012, and 76.69% in 2018. "
                   "Maduro, in power since 2013, is not a candidate here.", [t])
    assert [(c.text, c.quantity, c.verdict) for c in r.claims] == [
        ("63.6 percent", "other", "unverifiable"), ("76.69%", "share", "supported")]
    assert r.claims[0].why == ["about another election (2012), not 2018"]
