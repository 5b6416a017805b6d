"""One test per class of error found on sealed splits 4 and 5 (docs/claims.md, "Sealed split 4 retired" and
"Sealed split 5 retired").

Each class was fixed with a general rule (a vocabulary entry or a frame step); the sentences here are written
for these tests, not copied from the corpus, and are checked against small synthetic tallies.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "claims"))
sys.path.insert(0, str(Path(__file__).parent))
from synthetic import claim, cne_bulletin  # noqa: E402
from test_claims_general2 import _tally, indonesia, russia  # noqa: E402

from electcheck.model import Candidate  # noqa: E402


def duma():
    """A Duma-style party list (ids as the 2016 file gives them: the KPRF is ``kprf_1``, ``kprf`` is another
    party). Shares of 1,000 ballots: United Russia 540, KPRF 133, LDPR 131, Communists of Russia 23,
    pensioners 17; 156 for the rest, invalid 0."""
    cands = [Candidate("united_russia", 'Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"', ()),
             Candidate("kprf", "Политическая партия КОММУНИСТИЧЕСКАЯ ПАРТИЯ КОММУНИСТЫ РОССИИ", ()),
             Candidate("kprf_1", 'Политическая партия "КОММУНИСТИЧЕСКАЯ ПАРТИЯ РОССИЙСКОЙ ФЕДЕРАЦИИ"', ()),
             Candidate("ldpr", "Политическая партия ЛДПР - Либерально-демократическая партия России", ()),
             Candidate("partiya", "ПАРТИЯ ПЕНСИОНЕРОВ", ()),
             Candidate("rest", "Прочие", ())]
    votes = {"united_russia": 540, "kprf": 23, "kprf_1": 133, "ldpr": 131, "partiya": 17, "rest": 156}
    rows = [{"unit_id": "1", "region": "Город Москва", **votes, "valid": 1000, "invalid": 0, "ballots": 1000,
             "registered": 2000}]
    return _tally(rows, [*votes, "valid", "invalid", "ballots", "registered"], cands, source="russia-2016",
                  kind="official", election="Russia State Duma 2016", unit_level="uik", hierarchy=["region"],
                  share_basis="ballots")


# --- 1. party names in four languages follow the party's registered name, whatever its id that year --------
@pytest.mark.parametrize("text,number,lang,cid", [
    ("Rusia Unida obtuvo el 54 % de los votos.", "54 %", "es", "united_russia"),
    ("O Rússia Unida obteve 54% dos votos.", "54%", "pt", "united_russia"),
    ("Partai Rusia Bersatu meraih 54 persen suara.", "54 persen", "id", "united_russia"),
    ("El Partido Comunista logró el 13,3 % de los votos.", "13,3 %", "es", "kprf_1"),
    ("Partai Komunis meraih 13,3 persen suara.", "13,3 persen", "id", "kprf_1"),
    ("Comunistas de Rusia obtuvo el 2,3 %.", "2,3 %", "es", "kprf"),
    ("O Partido Liberal Democrático teve 13,1% dos votos.", "13,1%", "pt", "ldpr"),
    ("The Russian Party of Pensioners for Social Justice got 1.7% of the vote.", "1.7%", "en", "partiya"),
])
def test_party_names_by_registered_name(text, number, lang, cid):
    c = claim(text, duma(), number, lang)
    assert c.subject["candidate"] == cid
    assert c.verdict == "supported"


# --- 2. a place alone on a line heads the lines below it, up to a blank line ----------------------------------
def test_heading_line_carries_its_region():
    text = "1. Bali\nPasangan 01: 2.300.000 suara\nPasangan 02: 200.000 suara\n\nJokowi meraih 6.300.000 suara."
    t = indonesia()
    assert claim(text, t, "2.300.000", "id").verdict == "supported"
    assert claim(text, t, "200.000", "id").subject["region"] == "BALI"
    national = claim(text, t, "6.300.000", "id")  # after the blank line: national again
    assert national.subject.get("region") in (None, "")
    assert national.verdict == "supported"


# --- 3. bare decimals going on a list whose first item carries the percent sign ------------------------------
def test_listed_decimals_after_a_percentage_are_percentages():
    # of 2,480 ballots: Grudinin 260 (10.48 %), Suraykin 60 (2.42 %), pensioners 45 (1.81 %)
    text = "Los demás obtuvieron: 10,48 por ciento para Grudinin; 2,42 para Suraykin; y 1,81 para el Partido de los Pensionistas."
    t = russia()
    for number in ("2,42", "1,81"):
        c = claim(text, t, number, "es")
        assert (c.quantity, c.verdict) == ("share", "supported"), (number, c.explanation)


# --- 4. people after a voting verb are the votes cast; "called to the polls" is the register ------------------
@pytest.mark.parametrize("text,number,lang,quantity", [
    ("En los comicios votaron cerca de 2.500 ciudadanos.", "2.500", "es", "ballots"),
    ("Acudieron a las urnas un total de 2.500 ciudadanos.", "2.500", "es", "ballots"),
    ("Unos 5.000 ciudadanos estaban llamados a las urnas.", "5.000", "es", "registered"),
])
def test_people_after_a_voting_verb(text, number, lang, quantity):
    c = claim(text, russia(), number, lang)
    assert (c.quantity, c.verdict) == (quantity, "supported"), c.explanation


# --- 5. the data received: a counting participle on "datos" ----------------------------------------------------
@pytest.mark.parametrize("text,number", [
    ("Amoroso dijo que ya se recibieron el 80 por ciento de los datos.", "80 por ciento"),
    ("Con el 80% de los datos recibidos, Maduro obtuvo el 51,2 %.", "80%"),
])
def test_data_received_is_coverage(text, number):
    c = claim(text, cne_bulletin(), number, "es")
    assert c.quantity == "coverage"


def test_a_result_verb_is_not_coverage():
    assert claim("Maduro recibió el 51,2 % de los votos.", cne_bulletin(), "51,2 %", "es").quantity == "share"


# --- 6. valid and invalid counts qualified by where they were cast ---------------------------------------------
def test_valid_and_invalid_counts_of_a_place():
    text = ("KPU menyatakan jumlah suara sah dalam pemilihan presiden di Bali sebanyak 2.500.000, dan ada "
            "sebanyak 30.000 suara yang dinyatakan tidak sah.")
    t = indonesia()
    valid = claim(text, t, "2.500.000", "id")
    assert (valid.quantity, valid.subject["region"], valid.verdict) == ("valid", "BALI", "supported")
    assert claim(text, t, "30.000", "id").quantity == "invalid"


# --- 7. regions won in Indonesian word orders ----------------------------------------------------------------
@pytest.mark.parametrize("text,number", [
    ("Jokowi memperoleh suara lebih banyak di 3 provinsi.", "3"),
    ("Dua dari 3 daerah yang dimenangi Jokowi ada di timur.", "3"),
])
def test_regions_won_word_orders(text, number):
    c = claim(text, indonesia(), number, "id")
    assert (c.quantity, c.verdict) == ("regions_won", "supported"), c.explanation


# --- 8. a future auxiliary keeps a forecast cue in force across a result verb ----------------------------------
@pytest.mark.parametrize("text,number,lang", [
    ("Lembaga itu memperkirakan Putin bakal meraih 84 persen suara.", "84 persen", "id"),
    ("Analysts forecast Putin will get 84 percent.", "84 percent", "en"),
    ("El analista prevé que Putin va a obtener el 84 %.", "84 %", "es"),
])
def test_future_auxiliary_keeps_the_forecast(text, number, lang):
    c = claim(text, russia(), number, lang)
    assert (c.verdict, c.frame["modality"]) == ("unverifiable", "forecast"), c.explanation


# --- sealed split 6's classes ---------------------------------------------------------------------------------
# 9. "N of a total of M": after a candidate's votes, the total is the valid votes
@pytest.mark.parametrize("text,lang", [
    ("Jokowi won more than 6 million votes of a total of 9.6 million cast.", "en"),
    ("Jokowi teve mais de 6 milhões de votos, num total de 9,6 milhões, mas Prabowo contestou.", "pt"),
    ("Jokowi obtuvo 6,3 millones de un total de 9,6 millones, frente a Prabowo.", "es"),
])
def test_total_after_a_candidates_votes_is_the_valid_votes(text, lang):
    c = claim(text, indonesia(), "9", lang)
    assert (c.quantity, c.verdict) == ("valid", "supported"), c.explanation


# 10. Spanish romanisations of Russian names: "kh" between vowels as "j", "yu" after a consonant as "iu"
def test_spanish_romanisation_of_russian_names():
    cands = [Candidate("zyuganov", "Зюганов Геннадий Андреевич", ("Zyuganov",)),
             Candidate("prokhorov", "Прохоров Михаил Дмитриевич", ("Prokhorov", "Mikhail Prokhorov"))]
    rows = [{"unit_id": "1", "region": "Город Москва", "zyuganov": 172, "prokhorov": 80, "valid": 1000,
             "invalid": 0, "ballots": 1000, "registered": 2000}]
    t = _tally(rows, ["zyuganov", "prokhorov", "valid", "invalid", "ballots", "registered"], cands,
               source="russia-2012", kind="official", election="Russia presidential 2012", unit_level="uik",
               hierarchy=["region"], share_basis="ballots")
    text = "Ziugánov quedó segundo con el 17,2 por ciento y Mijaíl Prójorov tercero con el 8 por ciento."
    assert claim(text, t, "17,2", "es").subject["candidate"] == "zyuganov"
    assert claim(text, t, "8 por", "es").subject["candidate"] == "prokhorov"


# 11. a folded past tense that is also a noun is not a cue ("proyectó" folds to "proyecto", "a project")
def test_a_noun_is_not_a_projection_cue():
    c = claim("Rusia Unida obtuvo el 54 % de los votos, un proyecto del Kremlin.", duma(), "54 %", "es")
    assert c.verdict == "supported", c.explanation


# 12. a year after a comma opens the next clause; it dates the figure only when no year stands before it
def test_year_before_the_figure_wins_over_the_next_clauses():
    t = russia()  # election year 2018
    c = claim("Pada pilpres 2018 Putin mendapatkan suara sebanyak 84,7%, dilanjut pada 2024 dia mendapatkan suara "
              "87%.", t, "84,7%", "id")
    assert c.verdict == "supported", c.explanation
    c = claim("Turnout was 56 percent in the last elections, in 2003.", t, "56 percent", "en")
    assert c.quantity == "other"


# --- sealed split 7's classes ---------------------------------------------------------------------------------
def russia_places():
    """Putin's share of ballots in three regions (shares of 1,000 ballots: 920, 914, 907)."""
    cands = [Candidate("putin", "Путин Владимир Владимирович", ("Putin",)),
             Candidate("grudinin", "Грудинин Павел Николаевич", ("Grudinin",))]
    data = [("Республика Крым", 920), ("Чеченская Республика", 914), ("Республика Дагестан", 907)]
    rows = [{"unit_id": str(i), "region": r, "putin": a, "grudinin": 1000 - a, "valid": 1000, "invalid": 0,
             "ballots": 1000, "registered": 1100} for i, (r, a) in enumerate(data)]
    return _tally(rows, ["putin", "grudinin", "valid", "invalid", "ballots", "registered"], cands,
                  source="russia-2018", kind="official", election="Russia presidential 2018", unit_level="uik",
                  hierarchy=["region"], share_basis="ballots")


# 13. places written before their figures: each figure is the place's before it, not the next one's
def test_places_before_their_figures():
    text = "In Crimea, Putin got 92%, in Chechnya over 91%, and in Dagestan 90.7%."
    t = russia_places()
    for number, region in (("92%", "Республика Крым"), ("91%", "Чеченская Республика"),
                           ("90.7%", "Республика Дагестан")):
        c = claim(text, t, number, "en")
        assert (c.subject["region"], c.verdict) == (region, "supported"), (number, c.explanation)


# 14. "respectively": names (places, candidates or years) paired in order with the listed figures
@pytest.mark.parametrize("text,number,lang,key,value", [
    ("In Crimea and Chechnya, Putin got 92% and 91.4% of votes, respectively.", "91.4%", "en", "region",
     "Чеченская Республика"),
    ("Putin dan Grudinin meraih 91,4 dan 8,6 persen, masing-masing.", "8,6", "id", "candidate", "grudinin"),
])
def test_respectively_pairs_in_order(text, number, lang, key, value):
    c = claim(text, russia_places(), number, lang)
    assert c.subject[key] == value, c.explanation


def test_respectively_pairs_years():
    text = "En 2018 y 2012, Putin ganó con un 91,4% y un 63,6%, respectivamente."
    t = russia_places()
    assert claim(text, t, "91,4%", "es").verdict == "supported"
    assert claim(text, t, "63,6%", "es").quantity == "other"  # about 2012: not this file's election


# 15. a figure in parentheses after a name, on a list begun by a percentage, is a percentage
def test_parenthesised_figures_after_a_listed_percentage():
    text = "Putin logró un 91,4 por ciento, por encima del comunista Grudinin (8,6)."
    c = claim(text, russia_places(), "8,6", "es")
    assert (c.quantity, c.subject["candidate"], c.verdict) == ("share", "grudinin", "supported"), c.explanation
    # "por encima de X" is the comparison, not the owner of the figure before it
    assert claim(text, russia_places(), "91,4", "es").subject["candidate"] == "putin"


# 16. a pronoun in four languages takes the candidate of the sentence before
def test_indonesian_pronoun_takes_the_previous_candidate():
    text = "KPU menetapkan Jokowi sebagai pemenang. Mereka memperoleh 6.300.000 suara."
    c = claim(text, indonesia(), "6.300.000", "id")
    assert (c.subject["candidate"], c.verdict) == ("pas1", "supported"), c.explanation


# 17. United Russia named by its leader ("Putin's party") where the data's party is United Russia
def test_party_named_by_its_leader():
    c = claim("O partido de Vladimir Putin obteve 54% dos votos.", duma(), "54%", "pt")
    assert (c.subject["candidate"], c.verdict) == ("united_russia", "supported"), c.explanation


# --- sealed split 8's classes ---------------------------------------------------------------------------------
# 18. "suara sah" right after a count is the valid votes; "suara yang masuk" the votes cast
def test_indonesian_valid_and_cast_counts():
    text = "KPU mencatat ada 9.600.000 suara sah dari total 9.740.000 suara yang masuk."
    t = indonesia()
    assert claim(text, t, "9.600.000", "id").quantity == "valid"
    c = claim(text, t, "9.740.000", "id")
    assert (c.quantity, c.verdict) == ("ballots", "supported"), c.explanation


# 19. Indonesian passive agent and the votes counted so far
def test_indonesian_passive_agent_and_votes_counted():
    text = ("KPU mengatakan dengan sekitar 80% suara yang telah dihitung, Jokowi memperoleh 6,3 juta suara "
            "dibandingkan dengan 3,3 juta suara yang diperoleh Prabowo.")
    t = indonesia()
    assert claim(text, t, "80%", "id").quantity == "coverage"
    assert claim(text, t, "3,3 juta", "id").subject["candidate"] == "pas2"


# 20. party abbreviations of the Spanish press, in capitals only
def test_spanish_party_abbreviations():
    text = "RU obtenía el 54 % de los votos; el PCR, el 13,3 %, y el PLDR, el 13,1 %."
    t = duma()
    assert claim(text, t, "54 %", "es").subject["candidate"] == "united_russia"
    assert claim(text, t, "13,3 %", "es").subject["candidate"] == "kprf_1"
    assert claim(text, t, "13,1 %", "es").subject["candidate"] == "ldpr"
