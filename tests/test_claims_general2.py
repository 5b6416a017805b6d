"""One test per class of error found on sealed split 2 (docs/claims.md, "After sealed split 2").

Each class was fixed with a general rule (a vocabulary entry, a frame step or a rubric case); the sentences
here are written for these tests, not copied from the corpus, and are checked against small synthetic tallies.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from electcheck.model import Candidate, InputFile, Tally, TallyMeta

sys.path.insert(0, str(Path(__file__).parent / "claims"))
from synthetic import v2_like  # noqa: E402


from synthetic import claim  # noqa: E402


def _tally(rows, cols, cands, **meta) -> Tally:
    df = pd.DataFrame(rows)
    for col in cols:
        df[col] = df[col].astype("Int64")
    return Tally(df, TallyMeta(inputs=[InputFile("synthetic.csv", "0" * 64, len(rows), "synthetic")],
                               candidates=cands, **meta))


def indonesia():
    """One TPS per province. Totals: pas1 6,300,000; pas2 3,300,000; valid 9,600,000 (pas1 65.625 %,
    pas2 34.375 %, margin 3,000,000 = 31.25 points); invalid 140,000; registered 11,300,000. pas1 leads in
    three provinces, pas2 in Sumatera Barat (2,400,000 to 400,000: six times)."""
    cands = [Candidate("pas1", "Joko Widodo – Ma'ruf Amin (01)", ("Jokowi",)),
             Candidate("pas2", "Prabowo Subianto – Sandiaga Uno (02)", ("Prabowo",))]
    data = [("MALUKU", 600000, 400000, 20000, 1300000), ("PAPUA", 3000000, 300000, 50000, 3600000),
            ("BALI", 2300000, 200000, 30000, 3000000), ("SUMATERA BARAT", 400000, 2400000, 40000, 3400000)]
    rows = [{"unit_id": str(i), "province": p, "pas1": a, "pas2": b, "valid": a + b, "invalid": inv,
             "ballots": a + b + inv, "registered": reg} for i, (p, a, b, inv, reg) in enumerate(data)]
    return _tally(rows, ["pas1", "pas2", "valid", "invalid", "ballots", "registered"], cands,
                  source="synthetic/indonesia", kind="official", election="Indonesia presidential 2019",
                  unit_level="tps", hierarchy=["province"], share_basis="valid", expected_units=4)


def russia():
    """Per-precinct style, shares of all ballots. Khabarovsk: Putin 400 of 475 (84.21 %); Chukotka: 900 of 980
    (91.84 %); Yakutia: 800 of 1,000 (80.00 %). National: Putin 2,100, Grudinin 260, Suraykin 60, pensioners
    45 of 2,500 ballots (84.00 %, 10.40 %, 2.40 %, 1.80 %)."""
    cands = [Candidate("putin", "Путин Владимир Владимирович", ("Putin",)),
             Candidate("grudinin", "Грудинин Павел Николаевич", ("Grudinin",)),
             Candidate("suraykin", "Сурайкин Максим Александрович", ("Suraykin",)),
             Candidate("partiya", "ПАРТИЯ ПЕНСИОНЕРОВ", ("Partiya",))]
    data = [("Хабаровский край", 400, 60, 10, 0, 5), ("Чукотский автономный округ", 900, 50, 20, 0, 10),
            ("Республика Саха (Якутия)", 800, 150, 30, 45, 0)]
    rows = [{"unit_id": str(i), "region": r, "putin": a, "grudinin": b, "suraykin": c, "partiya": d,
             "valid": a + b + c + d, "invalid": inv, "ballots": a + b + c + d + inv, "registered": 2 * (a + b)}
            for i, (r, a, b, c, d, inv) in enumerate(data)]
    return _tally(rows, ["putin", "grudinin", "suraykin", "partiya", "valid", "invalid", "ballots", "registered"],
                  cands, source="russia-2018", kind="official", election="Russia presidential 2018",
                  unit_level="uik", hierarchy=["region"], share_basis="ballots")


# --- 1. the count's progress: coverage named by a counting noun or verb, not a share ---------------------
@pytest.mark.parametrize("text,number,lang", [
    ("After processing 30% of the protocols, Putin was leading with 84%.", "30%", "en"),
    ("Tras el recuento del 45 por ciento de los votos, Putin obtenía el 84 por ciento.", "45 por ciento", "es"),
    ("Putin tinha 84% após a apuração de 60% das urnas.", "60%", "pt"),
    ("Hingga pagi ini baru masuk 12 persen dari keseluruhan pemindaian form C1.", "12 persen", "id"),
    ("Putin obtuvo el 84 % tras el recuento de los sufragios en 30 % de los colegios electorales.", "30 %", "es"),
])
def test_count_progress_is_coverage_not_a_share(text, number, lang):
    c = claim(text, russia(), number, lang)
    assert c.quantity == "coverage", c.why
    assert c.verdict == "unverifiable"  # a final per-precinct file records no moment of the count


# --- 2. subsets and samples: the part of the units results come from --------------------------------------
@pytest.mark.parametrize("text,number,lang", [
    # a counted part as the basis, and the shares read from it
    ("Sobre la base de 5000 actas que lograron reunir, la tendencia da a González 70 % y a Maduro 28 %.", "5000", "es"),
    ("Sobre la base de 5000 actas que lograron reunir, la tendencia da a González 70 % y a Maduro 28 %.", "70 %", "es"),
    # a feminine partitive pronoun opening the sentence takes part of the documents counted before
    ("De ellas, Maduro sumó 1,2 millones de votos.", "1,2 millones", "es"),
    # units somebody examined or scanned
    ("Los analistas revisaron 20 mil actas escaneadas por la oposición.", "20 mil", "es"),
    ("The newspaper analysed 9,000 tally sheets scanned by volunteers.", "9,000", "en"),
    # a sample is an estimate
    ("The sample covers almost 80% of the voting machines.", "80%", "en"),
    ("Com uma amostra de 2.000 urnas, González aparece com 66%.", "66%", "pt"),
    # an inference ("probably") is not a count
    ("González probablemente obtuvo el doble de votos que Maduro.", "doble", "es"),
])
def test_subsets_and_samples_are_unverifiable(text, number, lang):
    assert claim(text, v2_like(), number, lang).verdict == "unverifiable"


def test_units_so_far_and_the_whole_set():
    t = indonesia()
    # "baru" (only so far): part of a count in progress
    assert claim("Data yang masuk baru 2 TPS dari total 4 TPS.", t, "2", "id").verdict == "unverifiable"
    # "dari total N TPS yang tersebar di seluruh Indonesia": the whole set, not a qualified subset
    c = claim("Data yang masuk baru 2 TPS dari total 4 TPS yang tersebar di seluruh Indonesia.", t, "4", "id")
    assert (c.verdict, c.subject["region"]) == ("supported", None)
    # the units named before the count
    c = claim("Total TPS seluruh Indonesia sebanyak 4.", t, "4", "id")
    assert (c.quantity, c.verdict) == ("units", "supported")
    # a file whose rows are provinces does not count the TPS (it counts regions)
    rekap = indonesia()
    rekap.meta.unit_level, rekap.meta.expected_units = "province", None
    assert claim("Total TPS seluruh Indonesia sebanyak 4.", rekap, "4", "id").verdict == "unverifiable"
    assert claim("Jokowi meraih kemenangan di 3 provinsi.", rekap, "3", "id").verdict == "supported"
    # the count of TPS a campaign's claim comes from
    c = claim("Angka 70 persen itu disebut berasal dari 3 TPS.", t, "3", "id")
    assert c.verdict == "unverifiable"


# --- 3. valid votes named before the count ------------------------------------------------------------
@pytest.mark.parametrize("text,number,quantity", [
    ("Jumlah suara sah yang masuk sebanyak 9.600.000.", "9.600.000", "valid"),
    ("Jokowi meraih 6.300.000 suara dari total suara sah yang berjumlah 9.600.000 suara.", "9.600.000", "valid"),
    ("Adapun suara tidak sah sebesar 140.000 dan suara sah sebesar 9.600.000.", "9.600.000", "valid"),
])
def test_valid_votes_named_before(text, number, quantity):
    c = claim(text, indonesia(), number, "id")
    assert (c.quantity, c.verdict) == (quantity, "supported"), c.why


# --- 4. margins and what a count of voters is ------------------------------------------------------------
def test_margins_and_counts_of_voters():
    t = indonesia()
    c = claim("Jokowi menang dari pasangan nomor urut 02, Prabowo, dengan selisih suara sebanyak 3.000.000 suara.",
              t, "3.000.000", "id")
    assert (c.quantity, c.subject["candidate"], c.verdict) == ("margin_votes", "pas1", "supported")
    c = claim("Selisih perolehan suara di antara keduanya mencapai 3.000.000 atau 31,25 persen.", t, "31,25", "id")
    assert (c.quantity, c.verdict) == ("margin_points", "supported")
    c = claim("Jokowi won 6.3 million votes, some 3,000,000 ahead of his rival.", t, "3,000,000", "en")
    assert (c.quantity, c.verdict) == ("margin_votes", "supported")
    c = claim("Some 6.3 million Indonesians cast their ballots in favour of Jokowi.", t, "6.3 million", "en")
    assert (c.quantity, c.subject["candidate"], c.verdict) == ("votes", "pas1", "supported")
    c = claim("A participação foi alta, com comparecimento de 9,7 milhões de eleitores.", t, "9,7", "pt")
    assert (c.quantity, c.verdict) == ("ballots", "supported")


# --- 5. regions: lists of places, spellings, regions won ------------------------------------------------
def test_regions_in_lists_and_regions_won():
    r = russia()
    text = "Putin logró el 80,0 por ciento en Yakutia, Jabarovsk (84,2 por ciento) o Chukotka (91,8 por ciento)."
    assert claim(text, r, "84,2", "es").subject["region"] == "Хабаровский край"
    assert claim(text, r, "91,8", "es").verdict == "supported"
    t = indonesia()
    c = claim("Sementara itu, 1 provinsi lainnya dikuasai Prabowo.", t, "1", "id")
    assert (c.quantity, c.subject["candidate"], c.verdict) == ("regions_won", "pas2", "supported")
    c = claim("Jokowi tercatat meraih kemenangan di 3 provinsi.", t, "3", "id")
    assert (c.quantity, c.verdict) == ("regions_won", "supported")
    c = claim("Di Sumatera Barat, Prabowo meraih suara enam kali lipat dibanding Jokowi.", t, "enam kali lipat", "id")
    assert (c.quantity, c.verdict) == ("ratio", "supported")


# --- 6. pairs and rivals ------------------------------------------------------------------------------------
def test_pairs_and_rivals():
    t = indonesia()
    text = "Jokowi won by a 65.6 percent to 34.4 percent margin over Prabowo."
    a, b = claim(text, t, "65.6", "en"), claim(text, t, "34.4", "en")
    assert (a.quantity, a.subject["candidate"], a.verdict) == ("share", "pas1", "supported")
    assert (b.quantity, b.subject["candidate"], b.verdict) == ("share", "pas2", "supported")
    c = claim("The final count puts his rival Prabowo at 34.4%.", t, "34.4", "en")
    assert (c.subject["candidate"], c.verdict) == ("pas2", "supported")
    c = claim("Ese día obtuvo el 66% de los votos, contra su principal perseguidor (Prabowo), quien obtuvo 34%.",
              t, "66%", "es")
    assert (c.subject["candidate"], c.verdict) == ("pas1", "supported")
    # an integer written between two percentages of one list is a percentage
    c = claim("El comando difundió unos resultados que daban a Jokowi un 60 por ciento, a Prabowo un 34 y al "
              "resto el 6 por ciento.", t, "34", "es")
    assert (c.quantity, c.verdict) == ("share", "supported")


# --- 7. not a count of this election ------------------------------------------------------------------------
@pytest.mark.parametrize("text,number,lang", [
    ("Bajo Putin la economía se había contraído un 7% y el desempleo había aumentado.", "7%", "es"),
    ("Putin obteve o apoio de 2.100 eleitores, mais 300 que na eleição de 2012.", "300", "pt"),
])
def test_not_a_count_of_this_election(text, number, lang):
    c = claim(text, russia(), number, lang)
    assert (c.quantity, c.verdict) == ("other", "unverifiable")


def test_a_poll_for_president_and_parliament_is_this_election():
    c = claim("The one-day poll featured 11.3 million registered voters vying for the presidency and "
              "parliamentary seats.", indonesia(), "11.3 million", "en")
    assert (c.quantity, c.verdict) == ("registered", "supported")


# --- 8. who says it: a claim verb, a rejected estimate, a figure of the count in progress -------------------
def test_claims_after_rejected_estimates_and_live_figures():
    t = indonesia()
    c = claim("Prabowo rejected the early estimates and declared himself the winner with 55% of the vote.",
              t, "55%", "en")
    assert (c.frame["attribution"], c.frame["modality"], c.verdict) == ("author", "asserted", "contradicted")
    c = claim("A oposição, que liderava nas pesquisas eleitorais, clama vitória de Prabowo com mais de 60% dos votos.",
              t, "60%", "pt")
    assert (c.quantity, c.verdict) == ("share", "contradicted")
    c = claim("Voter turnout across the country stands at 70%.", t, "70%", "en")
    assert (c.quantity, c.verdict) == ("turnout", "unverifiable")


# --- 9. names and the two-candidate basis -------------------------------------------------------------------
def test_names_and_the_two_candidate_basis():
    r = russia()
    # romanisation: "Suraikin" for "Suraykin"; a party known by a stem of its name
    assert claim("Maxim Suraikin got 2.4%.", r, "2.4%", "en").verdict == "supported"
    assert claim("The Party of Pensioners had 1.8%.", r, "1.8%", "en").subject["candidate"] == "partiya"
    # the two-candidate share is an alternative basis for the two leading candidates only: Suraykin's share
    # of (Suraykin + Putin) is 2.78 %, which is no basis at all
    c = claim("Maxim Suraikin got 2.8%.", r, "2.8%", "en")
    assert c.verdict == "contradicted"
    assert "two-candidate" not in {a["basis"] for a in c.alternatives}
