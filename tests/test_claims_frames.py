"""Frames (issue 9): attribution and modality, subsets and regions, Portuguese and Indonesian, hostile text,
a user's own file with a mapping."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from electcheck.claims import check_text
from electcheck.claims.numbers import extract

sys.path.insert(0, str(Path(__file__).parent / "claims"))
from synthetic import V2_TOTALS, bulletin, v2_like  # noqa: E402


@pytest.mark.parametrize("text,lang,value,precision,unit", [
    ("6,2 milhões", "pt", 6_200_000, 100_000, "count"),
    ("1,7 juta", "id", 1_700_000, 100_000, "count"),
    ("85 juta", "id", 85_000_000, 1_000_000, "count"),
    ("704 ribu", "id", 704_000, 1_000, "count"),
    ("2 miliar", "id", 2_000_000_000, 1_000_000_000, "count"),
    ("dua puluh lima juta", "id", 25_000_000, 1_000_000, "count"),
    ("seis milhões", "pt", 6_000_000, 1_000_000, "count"),
    ("12, 345, 678", "en", 12_345_678, 1, "count"),
    ("55,5 persen", "id", 55.5, 0.1, "percent"),
    ("7 pontos percentuais", "pt", 7, 1, "points"),
])
def test_number_forms(text, lang, value, precision, unit):
    ms = [m for m in extract(text, lang) if m.kind == "number"]
    assert [(m.value, m.precision, m.unit) for m in ms] == [(value, precision, unit)]


def test_fractions_ratios_ranges():
    assert extract("two-thirds of the vote", "en")[0].value == pytest.approx(200 / 3)
    assert extract("dois terços dos votos", "pt")[0].unit == "percent"
    assert [(m.unit, m.value) for m in extract("won by a two-to-one margin", "en")] == [("ratio", 2.0)]
    r = extract("entre 5 y 6 millones de votos", "es")[0].readings[0]
    assert (r.value, r.high) == (5_000_000, 6_000_000)


def _one(text, tally, **kw):
    r = check_text(text, tally, **kw)
    return r.claims[0]


@pytest.mark.parametrize("text", [
    "According to an exit poll, González got 67% of the vote.",
    "González would have won 67% of the vote.",
    "A quick count gave González 67% of the vote.",
    "Menurut hitung cepat, González meraih 67 persen suara.",
    "Segundo a pesquisa de boca de urna, González teve 67% dos votos.",
    "González is expected to win 67% of the vote.",
])
def test_estimates_polls_counterfactuals_forecasts_are_unverifiable(text):
    c = _one(text, v2_like())
    assert c.verdict == "unverifiable", c.explanation
    # the explanation is in the sentence's language, and ends with how the frame was read
    assert {"en": "Read as:", "id": "Dibaca sebagai:", "pt": "Lido como:"}[c.lang] in c.explanation


def test_authority_figure_checked_against_its_own_bulletin():
    b1 = bulletin({"NM": 5150092, "EG": 4445978, "OTHERS": 462704}, valid=10058774, source="venezuela-2024/cne-bulletin-1")
    c = _one("According to the CNE, Maduro got 51.2% of the vote.", [v2_like()], loader=lambda name: b1)
    assert (c.verdict, c.frame["attribution"], c.frame["attributed_to"]) == ("supported", "authority", "the CNE")
    assert "own published figures" in c.explanation and "reported by the CNE" in c.explanation
    plain = _one("Maduro got 51.2% of the vote.", [v2_like()])
    assert plain.verdict == "contradicted"


def test_subset_of_units_is_unverifiable_and_all_units_is_checked():
    t = v2_like()
    c = _one("Results from 412 polling stations were not counted.", t)
    assert (c.quantity, c.verdict, c.frame["units"]) == ("units", "unverifiable", "subset")
    c = _one("The opposition collected 2 actas.", t)
    assert (c.quantity, c.verdict) == ("units", "supported")


def test_regions_won_and_every_state():
    t = v2_like()  # two states, González leads in both
    c = _one("González won in 2 of 2 states.", t)
    assert (c.quantity, c.verdict) == ("regions_won", "supported")
    r = check_text("González won in every state.", t)
    assert [(c.quantity, c.verdict) for c in r.claims] == [("regions_won", "supported")]
    r = check_text("Maduro won in every state.", t)
    assert [(c.quantity, c.verdict) for c in r.claims] == [("regions_won", "contradicted")]


def test_portuguese_and_indonesian_sentences():
    t = v2_like()
    c = _one("González obteve 7,3 milhões de votos, segundo a oposição.", t)
    assert (c.lang, c.quantity, c.verdict) == ("pt", "votes", "supported")
    c = _one("González meraih sekitar 7,3 juta suara.", t)
    assert (c.lang, c.stated["hedge"], c.verdict) == ("id", "about", "supported")


@pytest.mark.parametrize("text", ["", "7" * 1_000_000, "9" * 100_000, ".,;:()%$-" * 50_000, "1." * 200_000,
                                  "1, 234, " * 50_000, "(" * 100_000 + "5%"])
def test_hostile_text_is_a_clean_result_quickly(text):
    t0 = time.perf_counter()
    r = check_text(text, v2_like())
    assert time.perf_counter() - t0 < 2.0
    assert all(c.verdict for c in r.claims)


HEDGE_SYNONYMS = {
    "about": ["about", "around", "roughly", "alrededor de", "cerca de", "sekitar", "em torno de"],
    "almost": ["almost", "nearly", "casi", "quase", "hampir"],
    "over": ["more than", "over", "más de", "mais de", "lebih dari"],
    "at least": ["at least", "al menos", "pelo menos", "setidaknya"],
}


@settings(max_examples=60, deadline=None)
@given(h=st.sampled_from(sorted(HEDGE_SYNONYMS)), i=st.integers(0, 6), j=st.integers(0, 6),
       digits=st.integers(1, 4))
def test_synonym_hedge_and_number_format_never_change_the_verdict(h, i, j, digits):
    syn = HEDGE_SYNONYMS[h]
    a, b = syn[i % len(syn)], syn[j % len(syn)]
    x = round(V2_TOTALS["EG"] / 10 ** (7 - digits)) * 10 ** (7 - digits)
    t = v2_like()
    v1 = _one(f"González received {a} {x:,} votes.", t, lang="en").verdict
    v2 = _one(f"González received {b} {x:,} votes.".replace(",", "."), t, lang="es").verdict
    assert v1 == v2


@settings(max_examples=60, deadline=None)
@given(x=st.integers(1_000_000, 9_999_999), h=st.sampled_from(["", "about ", "almost ", "more than ", "at least ",
                                                                 "fewer than "]))
def test_value_outside_the_interval_is_never_supported(x, h):
    c = _one(f"González received {h}{x:,} votes.", v2_like(), lang="en")
    if c.verdict == "supported":
        i = c.interval
        lo, hi = i["low"], i["high"]
        assert (lo is None or c.actual >= lo) and (hi is None or c.actual <= hi)


MAPPING = """
[source]
name = "my-country-2025"
kind = "official"
election = "Freedonia presidential 2025"
unit_level = "station"

[fields]
valid = "valid"

[[hierarchy]]
level = "province"
name = "province"

[key]
parts = ["station"]

[[candidates]]
id = "A"
column = "alpha"
name = "Ana Alvarez"
aliases = ["Alvarez", "La Doctora"]

[[candidates]]
id = "B"
column = "beta"
name = "Bruno Berg"
aliases = ["Berg"]
"""
CSV = "station,province,alpha,beta,valid\n1,North,600,400,1000\n2,North,300,700,1000\n3,South,800,200,1000\n"


def test_users_own_file_with_a_mapping(tmp_path):
    from electcheck.cli import app

    (tmp_path / "r.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "m.toml").write_text(MAPPING, encoding="utf-8")
    res = CliRunner().invoke(app, ["check", "La Doctora won 56.7% of the vote. In South, Berg got 20%.",
                                   "--against", str(tmp_path / "r.csv"), "--map", str(tmp_path / "m.toml"),
                                   "--format", "json", "-q"])
    assert res.exit_code == 0, res.output
    got = [(c["subject"]["candidate"], c["subject"]["region"], c["verdict"]) for c in json.loads(res.stdout)["claims"]]
    assert got == [("A", None, "supported"), ("B", "South", "supported")]


def test_users_own_file_declares_its_roles(tmp_path):
    """A role ("the incumbent") names a candidate only where the file's mapping says who holds it."""
    from electcheck.cli import app

    (tmp_path / "r.csv").write_text(CSV, encoding="utf-8")

    def verdicts(mapping):
        (tmp_path / "m.toml").write_text(mapping, encoding="utf-8")
        res = CliRunner().invoke(app, ["check", "The incumbent won 56.7% of the vote.", "--against",
                                       str(tmp_path / "r.csv"), "--map", str(tmp_path / "m.toml"),
                                       "--format", "json", "-q"])
        assert res.exit_code == 0, res.output
        return [(c["subject"]["candidate"], c["verdict"]) for c in json.loads(res.stdout)["claims"]]

    assert verdicts(MAPPING) == [(None, "unverifiable")]
    assert verdicts(MAPPING + '\n[notes]\nroles = { incumbent = "A", opposition = "B" }\n') == [("A", "supported")]
    # a holder that is not a candidate of the file is ignored, not an error
    assert verdicts(MAPPING + '\n[notes]\nroles = { incumbent = "Z" }\n') == [(None, "unverifiable")]


def test_cli_lang_and_markdown_escaping(load):
    from electcheck.cli import app

    res = CliRunner().invoke(app, ["check", "González got *7.3 million* votes.", "--against",
                                   "venezuela-2024/opposition-v2", "--lang", "pt", "--format", "markdown", "-q"])
    if res.exit_code == 2 and "not found" in res.output:
        pytest.skip("dataset not available")
    assert res.exit_code == 0, res.output
    assert "\\[7,250,000" in res.stdout
    res = CliRunner().invoke(app, ["check", "x", "--against", "venezuela-2024/opposition-v2", "--lang", "fr"])
    assert res.exit_code == 2


# a newcomer's own file: regions found by the names in the data and by the aliases of the mapping
REGIONS_CSV = """Estado;Mesa;Electores;Ana Pérez;Luis Gómez
Capital;1;1.000;600;300
Capital;2;1.000;500;400
Costa;1;800;200;500
"""
REGIONS_MAP = """[source]
name = "regiones-ejemplo"
kind = "independent"
election = "Example presidential election (invented data)"
unit_level = "mesa"
valid_from_candidates = true

[file]
delimiter = ";"
locale = "es"

[fields]
registered = "Electores"

[[hierarchy]]
level = "state"
name = "Estado"

[key]
parts = ["Estado", "Mesa"]

[[candidates]]
id = "ana"
column = "Ana Pérez"
name = "Ana Pérez"
aliases = ["Pérez"]

[[candidates]]
id = "luis"
column = "Luis Gómez"
name = "Luis Gómez"
aliases = ["Gómez"]

[notes.region_aliases]
Capital = ["Caracas", "Distrito Capital"]
Costa = ["the coast", "la costa"]
"""


def test_region_aliases_from_the_users_mapping(tmp_path):
    from electcheck.cli import app

    (tmp_path / "regiones.csv").write_text(REGIONS_CSV, encoding="utf-8")
    (tmp_path / "regiones.toml").write_text(REGIONS_MAP, encoding="utf-8")
    text = ("En Caracas, Pérez obtuvo el 61,1 % de los votos. On the coast, Gómez won 71.4 percent of the vote. "
            "In Caracas Gómez got 40 percent. Ana Pérez won 52% of the vote. En Costa, Pérez sacó 200 votos.")
    res = CliRunner().invoke(app, ["check", text, "--against", str(tmp_path / "regiones.csv"),
                                   "--map", str(tmp_path / "regiones.toml"), "--format", "json", "-q"])
    assert res.exit_code == 0, res.output
    got = [(c["text"], c["subject"]["candidate"], c["subject"]["region"], c["verdict"], c["actual"])
           for c in json.loads(res.stdout)["claims"]]
    assert got == [
        ("61,1 %", "ana", "Capital", "supported", pytest.approx(100 * 1100 / 1800, abs=1e-4)),
        ("71.4 percent", "luis", "Costa", "supported", pytest.approx(100 * 500 / 700, abs=1e-4)),
        ("40 percent", "luis", "Capital", "contradicted", pytest.approx(100 * 700 / 1800, abs=1e-4)),
        ("52%", "ana", None, "supported", pytest.approx(52.0)),
        ("200", "ana", "Costa", "supported", 200.0),
    ]
