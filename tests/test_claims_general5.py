"""One test per class of sentence-level error found on the tuning splits read with their article context
(docs/claims.md, "What an article has said before a sentence"). Sentences written for these tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "claims"))
from synthetic import v2_like  # noqa: E402

from electcheck.claims import check_text  # noqa: E402


@pytest.mark.parametrize("text,lang", [
    ("With 80 percent of the actas counted, 67 percent went to González.", "en"),
    ("Con el 80 % de las actas escrutadas, el 67 % fue para González.", "es"),
    ("Com 80% das atas apuradas, 67% foram para González.", "pt"),
])
def test_a_percentage_that_went_to_a_candidate_is_a_share_even_after_a_coverage(text, lang):
    got = [(c.quantity, c.verdict) for c in check_text(text, v2_like(), lang).claims]
    assert got[0][0] == "coverage"
    assert got[1] == ("share", "supported")


@pytest.mark.parametrize("text,lang", [
    ("Machado said they have obtained more than 70% of tally sheets that show González winning more than "
     "6 million votes.", "en"),
    ("Machado said the opposition had received 40 percent of official printouts, which showed González "
     "winning with 70 percent of the votes.", "en"),
    ("A oposição reuniu 73% das atas, que dão a González 6,2 milhões de votos.", "pt"),
])
def test_results_from_the_part_of_the_tally_sheets_someone_holds_are_a_subset(text, lang):
    c = check_text(text, v2_like(), lang).claims[-1]
    assert (c.verdict, c.frame["scope"]) == ("unverifiable", "subset"), c.explanation


def test_a_clock_time_with_its_zone_is_a_moment_not_a_year():
    c = check_text("Turnout was 60% at 1800 GMT when polls closed.", v2_like(), "en").claims
    assert [(x.text, x.quantity, x.verdict) for x in c] == [("60%", "turnout", "unverifiable")]
    assert any("time of day" in w for w in c[0].why)


def test_ballots_totaled_is_the_part_of_the_count():
    c = check_text("With some 10 percent of ballots totaled, González had 67 percent.", v2_like(), "en").claims
    assert c[0].quantity == "coverage"


def _rekap():
    sys.path.insert(0, str(Path(__file__).parent))
    from test_claims_general2 import indonesia

    return indonesia()


@pytest.mark.parametrize("text,lang", [
    ("Dari 3 provinsi yang telah selesai direkap, Jokowi-Ma'ruf unggul di 2 provinsi.", "id"),
    ("Dari 3 provinsi itu, Jokowi-Ma'ruf unggul di 2 provinsi.", "id"),
    ("Of the 3 provinces recapped so far, Jokowi won in 2 provinces.", "en"),
])
def test_regions_counted_in_a_count_still_going_are_a_subset(text, lang):
    got = [(c.quantity, c.verdict, c.frame["scope"]) for c in check_text(text, _rekap(), lang).claims]
    assert got and all(v == "unverifiable" and s == "subset" for _, v, s in got), got


def test_regions_won_of_all_regions_are_still_checked():
    # 4 provinces in the tally: Jokowi leads in 3 of them
    got = [(c.quantity, c.verdict) for c in check_text("Jokowi-Ma'ruf unggul di 3 provinsi.", _rekap(), "id").claims]
    assert got == [("regions_won", "supported")]


def test_all_the_regions_are_the_whole_set_even_in_a_count_still_going():
    got = [(c.text, c.quantity, c.verdict) for c in check_text(
        "Hingga Jumat pagi, sebanyak 2 provinsi dari 4 provinsi telah menyelesaikan penyalinan data.", _rekap(),
        "id").claims]
    assert got == [("2", "regions", "unverifiable"), ("4", "regions", "supported")]


@pytest.mark.parametrize("text,lang", [
    ("Dengan demikian, Gonzalez hanya unggul dengan selisih 3.987.338 suara.", "id"),
    ("Selisih perolehan Gonzalez dengan Maduro, yakni 3.987.338 suara.", "id"),
    ("The difference in votes between González and Maduro is 3,987,338.", "en"),
])
def test_a_difference_between_candidates_is_a_margin(text, lang):
    c = check_text(text, v2_like(), lang).claims[-1]
    assert (c.quantity, c.verdict) == ("margin_votes", "supported"), c.explanation


@pytest.mark.parametrize("text,lang,number", [
    ("Conforme os números oficiais, González recebeu 7,3 milhões de votos, contra 3,3 milhões do opositor.", "pt",
     "3,3 milhões"),
    ("Maduro won 30.46 percent of the votes (3,316,142 support).", "en", "3,316,142"),
])
def test_a_function_word_after_a_count_is_not_what_it_counts(text, lang, number):
    c = next(c for c in check_text(text, v2_like(), lang).claims if c.text == number)
    assert (c.quantity, c.verdict) == ("votes", "supported"), c.explanation


def test_a_stray_scale_word_after_a_count_written_in_full():
    c = check_text("Gonzalez memperoleh 7.303.480 juta suara.", v2_like(), "id").claims[0]
    assert (c.verdict, c.stated["value"]) == ("supported", 7303480.0), c.explanation
    assert "ditulis lengkap" in c.explanation  # the reading is named, in the sentence's language
    # a decimal before the scale word is a scale, not a slip
    c = check_text("Gonzalez memperoleh 7,3 juta suara.", v2_like(), "id").claims[0]
    assert (c.verdict, c.stated["value"]) == ("supported", 7300000.0)


@pytest.mark.parametrize("text,lang", [
    ("La oposición recogió 24.000 de las 30.026 actas.", "es"),
    ("Raihan dua paslon itu berdasarkan 405.611 dari 813.350 tempat pemungutan suara (TPS).", "id"),
])
def test_n_of_m_units_is_a_part_not_all_the_units(text, lang):
    c = next(c for c in check_text(text, v2_like(), lang).claims if c.text in ("24.000", "405.611"))
    assert (c.quantity, c.verdict, c.frame["scope"]) == ("units", "unverifiable", "subset"), c.explanation


@pytest.mark.parametrize("text,lang", [
    ("Putin diperkirakan akan memperoleh lebih dari 50 persen suara, tetapi tim suksesnya berharap akan "
     "memperoleh 70 persen.", "id"),
    ("“Sinto-me otimista. Estimamos que vamos vencer com 70 por cento”, disse González.", "pt"),
    ("The campaign hopes to win 70 percent of the vote.", "en"),
])
def test_a_hope_or_a_target_is_a_forecast(text, lang):
    c = check_text(text, v2_like(), lang).claims[-1]
    assert (c.verdict, c.frame["modality"]) == ("unverifiable", "forecast"), c.explanation


@pytest.mark.parametrize("text,lang", [
    ("Eles afirmam que, com base em 80% das atas, González acumulou 67% dos votos.", "pt"),
    ("A oposição afirmou que já tem a maioria das atas e que González teria 67% dos votos.", "pt"),
])
def test_results_from_part_or_most_of_the_tally_sheets_are_a_subset(text, lang):
    c = check_text(text, v2_like(), lang).claims[-1]
    assert (c.verdict, c.frame["scope"]) == ("unverifiable", "subset"), c.explanation


def test_the_progress_of_the_count_after_a_hedge_of_two_words():
    c = check_text("Maduro declarou vitória com pouco mais de 30% dos votos apurados.", v2_like(), "pt").claims[0]
    assert c.quantity == "coverage"


@pytest.mark.parametrize("text,lang", [
    ("The commission reported that about 60 percent of Venezuela's 21 million voters had cast ballots.", "en"),
    ("Unos 21 millones de venezolanos fueron convocados, de los que votó un 60 por ciento.", "es"),
])
def test_a_percentage_of_the_electors_who_voted_is_turnout(text, lang):
    c = next(c for c in check_text(text, v2_like(), lang).claims if c.text.startswith("60"))
    assert c.quantity == "turnout", c.why
    # with a candidate in the sentence, a percentage of the voters is still a candidate's share
    c = check_text("González got 67 percent of the voters.", v2_like(), "en").claims[0]
    assert c.quantity == "share"


@pytest.mark.parametrize("text,lang", [
    ("Unos 21 millones de venezolanos podían participar en estas elecciones.", "es"),
    ("Más de 21 millones de ciudadanos estaban llamados a emitir su voto.", "es"),
    ("Cerca de 21 milhões de venezuelanos podiam votar no domingo.", "pt"),
])
def test_people_who_could_vote_are_the_register(text, lang):
    c = check_text(text, v2_like(), lang).claims[0]
    assert c.quantity == "registered", c.why
