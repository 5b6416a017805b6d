"""A place named once is carried to the sentences after it (claims/discourse.py, issue 9)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from electcheck.claims import check_text

sys.path.insert(0, str(Path(__file__).parent / "claims"))
from synthetic import v2_like  # noqa: E402


def _claims(text, lang="es"):
    return [(c.text, c.subject["region"], c.verdict) for c in check_text(text, v2_like(), lang).claims]


def test_a_place_named_in_one_sentence_locates_the_figures_of_the_next():
    got = _claims("En Zulia la disputa fue intensa. González obtuvo 900.000 votos y Maduro 300.000.")
    assert got == [("900.000", "EDO. ZULIA", "supported"), ("300.000", "EDO. ZULIA", "supported")]
    # the same figures with no place before them are national, and contradicted
    assert _claims("González obtuvo 900.000 votos.") == [("900.000", None, "contradicted")]


def test_the_explanation_says_the_place_was_carried():
    c = check_text("En Zulia la disputa fue intensa. González obtuvo 900.000 votos.", v2_like(), "es").claims[0]
    assert any("named in an earlier sentence" in w for w in c.why), c.why


def test_words_for_the_whole_country_end_the_place():
    got = _claims("En Zulia la disputa fue intensa. A nivel nacional, González obtuvo 7,3 millones de votos. "
                  "Maduro obtuvo 3,3 millones.")
    assert got == [("7,3 millones", None, "supported"), ("3,3 millones", None, "supported")]


def test_a_count_larger_than_the_place_is_not_the_places():
    # Zulia's tally holds ~1.2 million votes: 7.3 million is the country's
    assert _claims("En Zulia la disputa fue intensa. González obtuvo 7,3 millones de votos.") == [
        ("7,3 millones", None, "supported")]


def test_several_places_at_once_carry_none():
    got = _claims("Zulia y Miranda votaron en calma. González obtuvo 900.000 votos.")
    assert got == [("900.000", None, "contradicted")]


@pytest.mark.parametrize("lang,text", [
    ("en", "The race was close in Zulia. Gonzalez got 900,000 votes."),
    ("pt", "Em Zulia a disputa foi acirrada. González recebeu 900.000 votos."),
    ("id", "Di Zulia persaingan ketat. Gonzalez meraih 900.000 suara."),
])
def test_in_every_language(lang, text):
    assert _claims(text, lang) == [("900,000" if lang == "en" else "900.000", "EDO. ZULIA", "supported")]


def test_a_place_merely_mentioned_without_figures_is_not_the_topic():
    # an institution's name is not the place of the next sentence's figures
    got = _claims("La Comisión Electoral de Zulia no encontró quejas. González obtuvo 900.000 votos.")
    assert got == [("900.000", None, "contradicted")]
    # introduced as the place (a level noun or a locative) it is
    got = _claims("Los resultados del estado Zulia. González obtuvo 900.000 votos.")
    assert got == [("900.000", "EDO. ZULIA", "supported")]


def _atts(text, lang="en"):
    return [(c.text, c.frame["attribution"], c.verdict) for c in check_text(text, v2_like(), lang).claims]


def test_an_exit_poll_keeps_speaking_in_the_next_sentences():
    got = _atts("Exit polls gave González 67% of the vote. Maduro got 30%. The official results gave Maduro "
                "30.46%.")
    assert got == [("67%", "exit_poll", "unverifiable"), ("30%", "exit_poll", "unverifiable"),
                   ("30.46%", "author", "supported")]
    c = check_text("Exit polls gave González 67% of the vote. Maduro got 30%.", v2_like(), "en").claims[1]
    assert any("named in an earlier sentence" in w for w in c.why), c.why


def test_a_sentence_naming_its_own_source_ends_the_carried_one():
    got = _atts("Según el conteo rápido, González obtuvo 67%. Según el CNE, Maduro obtuvo 51,2%.", "es")
    assert got[0][1] == "estimate" and got[1][1] == "authority"


def test_a_carried_source_speaks_only_in_an_unbroken_run_of_sentences_with_figures():
    text = "A quick count gave González 67% of the vote. The night was calm. Maduro got 30.46%."
    assert _atts(text)[-1] == ("30.46%", "author", "supported")
    text = "A quick count gave González 67% of the vote. Maduro got 30%. Other candidates got 2%."
    assert [a[1] for a in _atts(text)] == ["estimate", "estimate", "estimate"]
    # named without figures, it speaks in the next sentence
    text = "The exit poll was published on Sunday evening. González got 67% and Maduro 30%."
    assert [a[1] for a in _atts(text)] == ["exit_poll", "exit_poll"]


def test_the_part_of_the_count_hands_back_to_the_count():
    text = "Exit polls gave González 67% of the vote. With 80% of the actas counted, Maduro had 30.46%."
    assert _atts(text)[-1][1] != "exit_poll"


def test_a_claim_of_victory_is_the_claimants_not_the_quick_counts():
    text = "Quick counts gave González 67% of the vote. Maduro has claimed he won 51.2% of the vote."
    assert _atts(text)[-1][1] != "estimate"


def test_the_party_takes_the_party_named_in_the_sentence_before():
    sys.path.insert(0, str(Path(__file__).parent))
    from test_claims_general4 import duma

    for text, lang in (("United Russia led the count. The party gained 54% of the vote.", "en"),
                       ("Rusia Unida encabezó el recuento. El partido obtuvo el 54 % de los votos.", "es"),
                       ("O Rússia Unida liderou. O partido obteve 54% dos votos.", "pt"),
                       ("Partai Rusia Bersatu unggul. Partai itu meraih 54 persen suara.", "id")):
        c = check_text(text, duma(), lang).claims[-1]
        assert (c.subject["candidate"], c.verdict) == ("united_russia", "supported"), text
    # "the ruling party" names United Russia by its registered name (no party of that name: nobody)
    c = check_text("The ruling party gained 54% of the vote.", duma(), "en").claims[0]
    assert (c.subject["candidate"], c.verdict) == ("united_russia", "supported")
