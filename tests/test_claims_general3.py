"""One test per class of error found on sealed split 3 (docs/claims.md, "After sealed split 3").

Each class was fixed with a general rule (a vocabulary entry, a frame step or a rubric case); the sentences
here are written for these tests, not copied from the corpus, and are checked against small synthetic tallies.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from electcheck.claims.numbers import extract

sys.path.insert(0, str(Path(__file__).parent / "claims"))
sys.path.insert(0, str(Path(__file__).parent))
from synthetic import bulletin, v2_like  # noqa: E402
from test_claims_general2 import indonesia, russia  # noqa: E402


from synthetic import claim  # noqa: E402


# --- 1. number forms: scale words in English, groups split by ". " -----------------------------------------
@pytest.mark.parametrize("text,lang,value", [
    ("She received 4 million 215 thousand and 36 votes.", "en", 4215036),
    ("He got 2 million 40 thousand 301 votes.", "en", 2040301),
    ("Obtuvo 3 millones 120 mil y 15 votos.", "es", 3120015),
    ("El candidato sumó 7. 512. 903 votos.", "es", 7512903),
    ("O candidato teve 10. 004. 220 votos.", "pt", 10004220),
])
def test_compound_scale_words_and_spaced_groups(text, lang, value):
    nums = [m for m in extract(text, lang) if m.readings]
    assert nums[0].value == value, [(m.text, m.value) for m in nums]


def test_spaced_group_count_is_checked_as_one_number():
    t = v2_like()
    c = claim("González recibió 7. 303. 480 votos.", t, "7. 303. 480", "es")
    assert (c.quantity, c.verdict) == ("votes", "supported")


# --- 2. provinces by their epithets and short forms ---------------------------------------------------------
@pytest.mark.parametrize("text,number,region", [
    ("Di Pulau Dewata, Jokowi meraih 2.300.000 suara.", "2.300.000", "BALI"),
    ("Prabowo memperoleh 2.400.000 suara di Ranah Minang.", "2.400.000", "SUMATERA BARAT"),
    ("Di Sumbar, Prabowo memperoleh 2.400.000 suara.", "2.400.000", "SUMATERA BARAT"),
])
def test_indonesian_province_epithets(text, number, region):
    c = claim(text, indonesia(), number, "id")
    assert c.subject["region"] == region
    assert c.verdict == "supported"


# --- 3. one unit's results: "in one of the polling stations" ----------------------------------------------
@pytest.mark.parametrize("text,number,lang", [
    ("In one of the polling stations we visited, González got 410 votes and Maduro 22.", "410", "en"),
    ("En una de las mesas revisadas, Maduro sacó 15 votos frente a 280 de González.", "15", "es"),
    ("Numa das urnas, quer dizer, em uma das urnas auditadas, González teve 300 votos.", "300", "pt"),
])
def test_one_of_the_units_is_a_subset(text, number, lang):
    assert claim(text, v2_like(), number, lang).verdict == "unverifiable"


# --- 4. coverage: units with a counting participle after them, even beside a turnout ------------------------
@pytest.mark.parametrize("text,number,lang", [
    ("The commission announced the result with 70 percent of the precincts counted and a turnout of 60 percent.",
     "70 percent", "en"),
    ("Con el 90 % de las minutas escrutadas, Putin lideraba.", "90 %", "es"),
    ("Quase 50% dos distritos eleitorais apurados davam vitória a Putin.", "50%", "pt"),
    ("Mais de 40% dos votos haviam sido contados quando a comissão falou.", "40%", "pt"),
])
def test_units_counted_is_coverage(text, number, lang):
    c = claim(text, russia(), number, lang)
    assert c.quantity == "coverage", c.why


def test_share_of_votes_counted_stays_a_share():
    # a candidate's "84 % de los votos escrutados" is a share of the votes counted so far
    c = claim("Putin obtuvo el 84 % de los votos escrutados.", russia(), "84 %", "es")
    assert c.quantity == "share"


# --- 5. units received so far, units a later relative clause negates -------------------------------------
@pytest.mark.parametrize("text,number", [
    ("KPU sudah menerima 3 formulir C1 dari daerah.", "3"),
    ("Masih ada 2 TPS di beberapa kabupaten di Papua yang belum menghitung suara.", "2"),
])
def test_units_so_far_and_negated_later(text, number):
    c = claim(text, indonesia(), number, "id")
    assert c.verdict == "unverifiable", c.why


# --- 6. what a bare count is: voters, valid votes, a margin; a hedge written after ---------------------------
def test_voting_verb_before_a_count_is_ballots():
    t = bulletin({"NM": 6000000, "EG": 5000000}, valid=11000000, invalid=100000, ballots=11100000,
                 registered=21000000)
    c = claim("Según el CNE, en la elección participaron 11.100.000 (52,86 %).", t, "11.100.000", "es")
    assert (c.quantity, c.verdict) == ("ballots", "supported")


def test_votes_were_valid():
    t = bulletin({"NM": 6000000, "EG": 5000000}, valid=11000000, invalid=100000, ballots=11100000)
    c = claim("The council said more than 10 million votes were valid.", t, "10 million", "en")
    assert (c.quantity, c.verdict) == ("valid", "supported")


def test_margin_noun_before_a_count_and_trailing_over():
    t = indonesia()  # margin 3,000,000
    c = claim("Jokowi unggul dengan selisih 2,5 juta lebih.", t, "2,5 juta", "id")
    assert (c.quantity, c.stated["hedge"], c.verdict) == ("margin_votes", "over", "supported")
    c = claim("Jokowi unggul dengan selisih 3,5 juta lebih.", t, "3,5 juta", "id")
    assert c.verdict == "contradicted"
    # "lebih banyak" is a comparison, not a hedge
    c = claim("Jokowi unggul dengan selisih 3 juta suara lebih banyak dari Prabowo.", t, "3 juta", "id")
    assert c.stated["hedge"] == "none"


# --- 7. who says it, and what a count of electors who chose is ----------------------------------------------
def test_research_centre_is_a_pollster():
    c = claim("Grudinin mendapat 10,4 persen suara, kata pusat penelitian tersebut.", russia(), "10,4 persen", "id")
    assert c.verdict == "unverifiable"


def test_electors_who_chose_a_candidate_are_votes():
    t = bulletin({"NM": 6012005, "EG": 5000000}, valid=11012005, invalid=100000, ballots=11112005,
                 registered=21000000)
    c = claim("Maduro ganó: 6 millones 12 mil 5 electores eligieron a Maduro.", t, "6 millones", "es")
    assert (c.quantity, c.verdict) == ("votes", "supported")


# --- 8. invalid ballots and the turnout beside the votes cast -----------------------------------------------
def test_stray_full_stop_before_percent_and_found_invalid():
    nums = [m for m in extract("The other 2.4.% were void.", "en") if m.readings]
    assert (nums[0].value, nums[0].unit) == (2.4, "percent")
    c = claim("The remaining 0.6.% of the ballots were found invalid.", russia(), "0.6", "en")
    assert (c.quantity, c.verdict) == ("invalid", "supported")  # 15 of 2,480 ballots


def test_percentage_in_parentheses_after_votes_cast_is_turnout():
    t = bulletin({"NM": 6000000, "EG": 5000000}, valid=11000000, invalid=100000, ballots=11100000,
                 registered=21000000)
    c = claim("En la elección participaron 11.100.000 (52,86 %), según el CNE.", t, "52,86 %", "es")
    assert (c.quantity, c.verdict) == ("turnout", "supported")


# --- 9. a share of somebody's own units; a turnout stated against a threshold -------------------------------
def test_share_of_their_own_units_is_a_subset():
    c = claim("La oposición dijo que el 90 % de sus actas ya fueron revisadas.", v2_like(), "90 %", "es")
    assert c.verdict == "unverifiable", c.why


def test_turnout_over_a_threshold_is_a_bound_on_the_turnout():
    t = russia()  # turnout 2,480 / 4,360 = 56.9 %
    c = claim("Turnout was well over the 50 percent minimum needed for a valid vote.", t, "50 percent", "en")
    assert (c.quantity, c.verdict) == ("turnout", "supported")
    c = claim("The law sets a 50 percent threshold required for a valid vote.", t, "50 percent", "en")
    assert c.verdict == "unverifiable"


# --- 10. a ratio compared with a named candidate -----------------------------------------------------------
@pytest.mark.parametrize("text,lang", [
    ("Di Sumatera Barat mereka meraih suara enam kali lipat dibandingkan yang didapat Jokowi.", "id"),
    ("In Sumatera Barat they got six times the votes compared with what Jokowi got.", "en"),
])
def test_ratio_compared_with_a_name(text, lang):
    num = "enam kali lipat" if lang == "id" else "six times"
    c = claim(text, indonesia(), num, lang)
    assert (c.subject["candidate"], c.verdict) == ("pas2", "supported"), c.why


# --- 11. the second figure of an ellipsis: "…, and N percent to X" -------------------------------------------
def test_elliptic_second_figure_goes_to_the_name_after_to():
    t = russia()  # Putin 84.00 %, Grudinin 10.40 % of all ballots
    c = claim("About 84 percent of the votes went to Putin, and 10.4 percent to the communist Grudinin.", t,
              "10.4 percent", "en")
    assert (c.subject["candidate"], c.verdict) == ("grudinin", "supported"), c.why
