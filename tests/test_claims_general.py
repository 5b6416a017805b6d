"""One test per class of error found on sealed split 1 (docs/claims.md, "After sealed split 1").

Each class was fixed with a general rule (a vocabulary entry, a frame step or a rubric case); the sentences
here are written for these tests, not copied from the corpus, and are checked against small synthetic tallies.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from electcheck.claims.numbers import extract
from electcheck.model import Candidate, InputFile, Tally, TallyMeta

sys.path.insert(0, str(Path(__file__).parent / "claims"))
from synthetic import v2_like  # noqa: E402


from synthetic import claim, cne_bulletin  # noqa: E402




def russia_regions(issued=True):
    """Three Russian regions; ballots issued (the CEC's turnout numerator) differ from ballots found."""
    cands = [Candidate("putin", "Путин Владимир Владимирович", ("Putin",)),
             Candidate("grudinin", "Грудинин Павел Николаевич", ("Grudinin",)),
             Candidate("united_russia", "ЕДИНАЯ РОССИЯ", ("United Russia",))]
    rows = [  # region, putin, grudinin, united_russia, invalid, registered, issued
        ("Чеченская Республика", 9000, 300, 100, 100, 10000, 9600),
        ("Республика Ингушетия", 7000, 1500, 500, 200, 10000, 9300),
        ("Кабардино-Балкарская Республика", 8000, 1200, 600, 200, 11000, 10100),
    ]
    df = pd.DataFrame([{"unit_id": str(i), "region": r, "putin": a, "grudinin": b, "united_russia": c,
                        "valid": a + b + c, "invalid": inv, "ballots": a + b + c + inv, "registered": reg,
                        **({"issued": iss} if issued else {})}
                       for i, (r, a, b, c, inv, reg, iss) in enumerate(rows)])
    for col in df.columns:
        if col not in ("unit_id", "region"):
            df[col] = df[col].astype("Int64")
    meta = TallyMeta(source="russia-2018", kind="official", election="Russia presidential 2018", unit_level="uik",
                     candidates=cands, hierarchy=["region"], share_basis="ballots",
                     inputs=[InputFile("synthetic.csv", "0" * 64, 3, "synthetic")])
    if issued:
        meta.notes["turnout_numerator"] = "issued"
    return Tally(df, meta)


# national totals of russia_regions(): putin 24,000; valid 28,200; ballots 28,700; registered 31,000;
# issued 29,000 -> turnout 93.55 % (issued), 92.58 % (ballots), 90.97 % (valid)


# --- what a count counts: nouns for people, "or", "out of", "of a total of" ---------------------------
@pytest.mark.parametrize("text,number,quantity,verdict", [
    # people in a sentence naming a candidate are the candidate's votes
    ("Putin was backed this time by some 24 thousand people.", "24 thousand", "votes", "supported"),
    # people who may vote are the register, in each language
    ("About 31,000 citizens were eligible to vote.", "31,000", "registered", "supported"),
    ("Cerca de 31 mil pessoas estavam registradas para votar.", "31 mil", "registered", "supported"),
    ("Sebanyak 31 ribu warga telah memenuhi syarat untuk memilih.", "31 ribu", "registered", "supported"),
    # "N out of M registered voters took part": N is the votes cast
    ("28,700 out of 31,000 registered voters took part in the vote.", "28,700", "ballots", "supported"),
    # a demonym between the count and "voters"
    ("The vote was attended by 28,700 Russian voters.", "28,700", "ballots", "supported"),
])
def test_what_a_count_of_people_counts(text, number, quantity, verdict):
    c = claim(text, russia_regions(), number)
    assert (c.quantity, c.verdict) == (quantity, verdict)


def test_or_links_two_forms_of_one_figure_and_of_a_total_is_the_valid_votes():
    c = claim("Perolehan suara González adalah 7.303.480 atau 67 persen dari total 10.887.262 suara.",
              v2_like(), "7.303.480")
    assert (c.quantity, c.subject["candidate"], c.verdict) == ("votes", "EG", "supported")
    c = claim("Perolehan suara González adalah 7.303.480 atau 67 persen dari total 10.887.262 suara.",
              v2_like(), "10.887.262")
    assert (c.quantity, c.verdict) == ("valid", "supported")
    c = claim("Maduro won 3,316,142 votes out of a total of 10,887,262 votes.", v2_like(), "10,887,262")
    assert (c.quantity, c.verdict) == ("valid", "supported")


def test_scale_abbreviation_and_a_decimal_comma_before_a_scale_word():
    c = claim("Grudinin came second with over 2 mln votes.", russia_regions(), "2 mln")
    assert c.quantity == "votes"
    (m,) = [m for m in extract("Grudinin was backed by 45,602 million voters.", "en") if m.kind == "number"]
    assert {r.value for r in m.readings} == {45_602_000.0, 45_602_000_000.0}


# --- margins: a margin word far before the count; the subject of "won against X" ---------------------
def test_a_margin_word_governs_a_count_that_ends_with_votes():
    c = claim("Selisih suara González dan Maduro yakni sebesar 3.987.338 suara.", v2_like(), "3.987.338")
    assert (c.quantity, c.verdict) == ("margin_votes", "supported")
    c = claim("González venceu a disputa contra o presidente Maduro com uma vantagem de quase 4 milhões de votos.",
              v2_like(), "4 milh")
    assert (c.quantity, c.subject["candidate"], c.verdict) == ("margin_votes", "EG", "supported")


def test_a_change_from_another_election_is_not_a_margin():
    c = claim("Putin obtuvo 12 puntos más que en la elección anterior.", russia_regions(), "12 puntos")
    assert (c.quantity, c.verdict) == ("other", "unverifiable")


# --- who says it: a source named at the start of the sentence speaks in its later clauses -------------
def test_an_exit_poll_at_the_start_covers_the_whole_sentence():
    text = "According to an exit poll, González won 65 percent, while Maduro got 31 percent."
    for number in ("65 percent", "31 percent"):
        c = claim(text, v2_like(), number)
        assert c.verdict == "unverifiable" and c.frame["attribution"] == "exit_poll"
    # a source named only in the later clause still leaves the first clause to the author
    c = claim("Maduro got 30.5 percent, while an exit poll gave González 65 percent.", v2_like(), "30.5")
    assert c.verdict == "supported"
    c = claim("Según los sondeos a pie de urna, González habría logrado el 65 %, mientras Maduro sumaría un 31 %.",
              v2_like(), "31 %")
    assert c.verdict == "unverifiable"


def test_a_reportative_conditional_is_an_assertion_not_a_forecast():
    c = claim("Según el CNE, Maduro obtendría el 51,2 % de los votos.", cne_bulletin(), "51,2")
    assert (c.frame["modality"], c.verdict) == ("asserted", "supported")


def test_results_according_to_which_part_of_the_actas_are_a_subset():
    c = claim("La oposición tiene el 40 % de las actas, según las cuales González obtuvo el 67 % de los votos.",
              v2_like(), "67 %")
    assert c.verdict == "unverifiable"


# --- the rubric: turnout's alternative bases ---------------------------------------------------------
def test_ballots_found_over_registered_is_not_an_alternative_where_the_authority_counts_ballots_issued():
    # 92.6 % is ballots found / registered; the CEC's turnout is ballots issued / registered (93.5 %)
    c = claim("Turnout was 92.6%.", russia_regions(), "92.6%")
    assert (c.quantity, c.verdict) == ("turnout", "contradicted")
    # valid / registered (DESIGN.md) still is
    c = claim("Turnout was 91%.", russia_regions(), "91%")
    assert (c.verdict, c.basis) == ("misleading", "valid/registered")
    # without ballots issued, ballots found / registered is the standard
    c = claim("Turnout was 92.6%.", russia_regions(issued=False), "92.6%")
    assert c.verdict == "supported"


# --- years and comparisons ---------------------------------------------------------------------------
def test_a_year_belongs_to_the_figure_next_to_it_and_until_a_year_dates_nothing():
    c = claim("Putin foi eleito com 84% dos votos e ficará no cargo até 2030.", russia_regions(), "84%")
    assert (c.quantity, c.verdict) == ("share", "supported")
    text = "O comparecimento ficou em 94%, acima dos 65% da eleição de 2012."
    assert claim(text, russia_regions(), "94%").verdict == "supported"
    assert claim(text, russia_regions(), "65%").verdict == "unverifiable"  # 2012: another election


def test_a_comparison_with_another_years_figure_is_not_a_hedge():
    text = "La participación ha superado el 90 %, pero quedó por debajo del 95 % de 2012."
    c = claim(text, russia_regions(), "90 %")
    assert (c.stated["hedge"], c.verdict) == ("over", "supported")
    c = claim(text, russia_regions(), "95 %")
    assert c.stated["hedge"] == "none"


def test_in_the_sixties_is_a_range():
    c = claim("Segundo a comissão, o comparecimento ficou na casa dos 90%.", russia_regions(), "90%")
    assert (c.stated["hedge"], c.verdict) == ("between", "supported")
    assert (c.interval["low"], c.interval["high"]) == (89.5, 101.0)


def test_a_moment_named_in_words():
    for text in ("As of 1500 GMT turnout stood at 60 percent.",
                 "La participación rondaba el 60 por ciento a falta de tres horas para el cierre."):
        c = claim(text, russia_regions(), "60")
        assert (c.quantity, c.verdict) == ("turnout", "unverifiable")


# --- subjects: roles, the other candidates -----------------------------------------------------------
@pytest.mark.parametrize("text,number,tally,cid", [
    ("Nos boletins, o sucessor de Chávez ficou com 51,2%.", "51,2%", cne_bulletin, "NM"),
    ("El jefe del Kremlin recibiría un 83,6 % de los votos emitidos.", "83,6 %", russia_regions, "putin"),
    ("O presidente venceu com 84% dos votos.", "84%", russia_regions, "putin"),
])
def test_roles(text, number, tally, cid):
    c = claim(text, tally(), number)
    assert (c.subject["candidate"], c.verdict) == (cid, "supported")


def test_the_other_candidates_together_without_an_others_column():
    # V2 has ten candidates and no OTHERS column: the others are valid − the two leading (267,640)
    c = claim("Outros candidatos somaram 268 mil votos, equivalentes a 2,46%.", v2_like(), "268 mil")
    assert (c.subject["candidate"], c.verdict) == ("OTHERS", "supported")
    c = claim("Outros candidatos somaram 268 mil votos, equivalentes a 2,46%.", v2_like(), "2,46%")
    assert (c.subject["candidate"], c.verdict) == ("OTHERS", "supported")


# --- coverage with the counting verb fronted ---------------------------------------------------------
@pytest.mark.parametrize("text,number", [
    ("Escrutadas el 80 por ciento de las papeletas, Maduro fue declarado ganador.", "80 por ciento"),
    ("Sekitar 80 persen kotak suara telah dihitung, kata CNE.", "80 persen"),
    ("Setelah menghitung 80 persen dari total suara yang masuk, CNE mengumumkan Maduro menang.", "80 persen"),
])
def test_coverage_with_the_counting_verb(text, number):
    c = claim(text, cne_bulletin(), number)
    assert (c.quantity, c.verdict) == ("coverage", "supported")


# --- regions: adjectives, the place right after the number, "in the region" --------------------------
def test_regions_by_adjective_right_after_the_number_and_by_anaphora():
    t = russia_regions()
    c = claim("Putin won 94.7% of the Chechen vote, the commission said.", t, "94.7%")
    assert (c.subject["region"], c.verdict) == ("Чеченская Республика", "supported")
    text = "Turnout was 93 percent in Ingushetia, 92 percent in Kabardino-Balkaria."
    c = claim(text, t, "92 percent")
    assert (c.subject["region"], c.verdict) == ("Кабардино-Балкарская Республика", "supported")
    text = ("Putin did best in the Kabardino-Balkar Republic, with 80% of the votes. "
            "Second place in the region went to Grudinin with 12% of the votes.")
    c = claim(text, t, "12%")
    assert (c.subject["region"], c.verdict) == ("Кабардино-Балкарская Республика", "supported")


def test_a_place_far_after_the_number_does_not_locate_it():
    c = claim("Unos 31 mil rusos estaban llamados a votar en unos comicios en los que participaron por vez "
              "primera los habitantes de la república de Ingushetia.", russia_regions(), "31 mil")
    assert (c.quantity, c.subject["region"], c.verdict) == ("registered", None, "supported")


def test_a_share_supporting_a_party_in_a_turnout_sentence():
    c = claim("In Chechnya, turnout was about 96 percent, with 95 percent supporting Putin.", russia_regions(),
              "95 percent")
    assert (c.quantity, c.subject["candidate"], c.verdict) == ("share", "putin", "supported")


def test_a_later_clause_without_a_source_of_its_own_keeps_the_partial_basis():
    text = ("La oposición tiene el 40 % de las actas, según las cuales González obtuvo el 67 %, "
            "mientras que Maduro -indicó- el 30 %.")
    assert claim(text, v2_like(), "30 %").verdict == "unverifiable"
    # a later clause that names its own source is checked on its own
    text = ("Según el 40 % de las actas, González obtuvo el 67 %, a pesar de que el CNE declaró a Maduro "
            "vencedor con el 51,2 %.")
    assert claim(text, cne_bulletin(), "51,2").verdict == "supported"


def test_a_forecast_about_the_outcome_does_not_make_a_stated_result_a_forecast():
    c = claim("Putin was set to win the election as he got 83.6 percent of the vote.", russia_regions(), "83.6")
    assert (c.frame["modality"], c.verdict) == ("asserted", "supported")
    c = claim("Putin is expected to win 90 percent of the vote.", russia_regions(), "90 percent")
    assert c.verdict == "unverifiable"


def test_a_percentage_of_the_voters_with_no_candidate_is_turnout():
    c = claim("In Ingushetia 9,200 of the registered electors came, that was 93% of the voters.", russia_regions(),
              "93%")
    assert (c.quantity, c.subject["region"], c.verdict) == ("turnout", "Республика Ингушетия", "supported")
    # with a candidate it stays a share
    c = claim("Putin was backed by 84% of the voters.", russia_regions(), "84%")
    assert c.quantity == "share"


def test_polling_stations_abroad_are_the_overseas_region():
    t = russia_regions()
    t.data.loc[len(t.data)] = {**{k: t.data.iloc[0][k] for k in t.data.columns}, "unit_id": "9",
                               "region": "Территория за пределами РФ"}
    c = claim("There were more than 3 polling stations in Russia and 1 polling station abroad.", t, "1")
    assert (c.quantity, c.subject["region"]) == ("units", "Территория за пределами РФ")
