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
