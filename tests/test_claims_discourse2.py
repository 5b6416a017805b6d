"""Who speaks and about whom, carried from sentence to sentence: polling organisations, subjects a language
drops, descriptions that point back (claims/discourse.py, claims/attribution.py; issue 9)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from electcheck.claims import check_text
from electcheck.claims.discourse import subject_carried

sys.path.insert(0, str(Path(__file__).parent / "claims"))
from synthetic import v2_like  # noqa: E402


def _got(text, lang):
    return [(c.text, c.subject["candidate"], c.frame["attribution"], c.verdict)
            for c in check_text(text, v2_like(), lang).claims]


@pytest.mark.parametrize("lang,text", [
    ("es", "Según Meganálisis, González obtuvo 67% de los votos."),
    ("en", "Edison Research gave González 67% of the vote."),
    ("pt", "De acordo com a Datanálisis, González teve 67% dos votos."),
])
def test_a_polling_organisation_named_is_an_estimate_not_a_count(lang, text):
    (_, cand, att, verdict), = _got(text, lang)
    assert (cand, att, verdict) == ("EG", "estimate", "unverifiable")


def test_a_polling_organisation_keeps_speaking_in_the_next_sentence():
    got = _got("Según Meganálisis, González obtuvo 67% de los votos. Maduro obtuvo 20%.", "es")
    assert [g[2:] for g in got] == [("estimate", "unverifiable"), ("estimate", "unverifiable")]
    # the same figure without the organisation is the author's, and checked
    assert _got("Maduro obtuvo 20%.", "es")[0][2:] == ("author", "contradicted")


def test_a_rank_is_not_a_new_source():
    # "segundo" is "according to" in Portuguese, and "second" in "em segundo lugar"
    got = _got("Segundo a pesquisa de boca de urna, González teve 67% dos votos. Em segundo lugar vem Maduro, "
               "com 30%.", "pt")
    assert [g[2] for g in got] == ["exit_poll", "exit_poll"]
    got = _got("Segundo a pesquisa de boca de urna, González teve 67% dos votos. Segundo o CNE, Maduro teve "
               "30%.", "pt")
    assert [g[2] for g in got] == ["exit_poll", "author"] or got[1][2] == "authority"


@pytest.mark.parametrize("lang,text", [
    ("es", "La victoria de González fue amplia. Obtuvo 7,3 millones de votos."),
    ("es", "González ganó con holgura. También superó los 7,3 millones de votos."),
    ("pt", "González venceu com folga. Obteve 7,3 milhões de votos."),
    ("pt", "A vitória de González foi ampla, quando obteve 7,3 milhões de votos."),
    ("id", "Gonzalez menang telak. Raih 7,3 juta suara."),
    ("id", "Gonzalez menang telak. Politikus itu meraih 7,3 juta suara."),
    ("id", "Gonzalez meraih 7.303.480 suara. Jumlah tersebut setara dengan 67,1 persen suara sah."),
])
def test_a_dropped_subject_or_a_description_takes_the_candidate_before(lang, text):
    cand, verdict = _got(text, lang)[-1][1::2]
    assert (cand, verdict) == ("EG", "supported"), text


@pytest.mark.parametrize("lang,text", [
    # two candidates before: whose subject is dropped is not known
    ("es", "González y Maduro votaron temprano. Obtuvo 7,3 millones de votos."),
    # nobody before
    ("pt", "A noite foi tranquila. Obteve 7,3 milhões de votos."),
])
def test_no_single_candidate_before_takes_none(lang, text):
    assert _got(text, lang)[-1][1] is None, text


@pytest.mark.parametrize("text,carried", [
    ("di provinsi itu partisipasi mencapai 80 persen.", False),   # the place before, not its candidate
    ("pada pemilihan empat tahun lalu itu ia kalah.", True),      # "ia" is a pronoun
    ("pada pemilihan empat tahun lalu itu partisipasi 60 persen.", False),
    ("suami lyudmila putina itu mendapat dukungan 99,73 persen.", True),
])
def test_a_demonstrative_after_a_place_or_a_time_is_not_the_candidate(text, carried):
    assert subject_carried(text, "id", True) is carried
    assert subject_carried(text, "id", False) is (carried and " ia " in f" {text} ")


def _indonesia():
    sys.path.insert(0, str(Path(__file__).parent))
    from test_claims_general2 import indonesia

    return indonesia()


def test_a_place_below_the_regions_takes_its_figures_out_of_the_check():
    text = ("Di Bali Jokowi meraih 2.300.000 suara.\n\nKabupaten Badung\n\n1. Jokowi: 117.463 suara\n"
            "2. Prabowo: 13.876 suara\n\nSecara nasional Jokowi meraih 6.300.000 suara.")
    got = [(c.text, c.subject["region"], c.verdict) for c in check_text(text, _indonesia(), "id").claims
           if c.text not in ("1", "2")]
    assert got == [("2.300.000", "BALI", "supported"), ("117.463", None, "unverifiable"),
                   ("13.876", None, "unverifiable"), ("6.300.000", None, "supported")]
    c = check_text(text, _indonesia(), "id").claims[2]
    assert any("Kabupaten Badung" in w for w in c.why), c.why
    # places inside the region, listed, leave the region the topic
    got = check_text("Di Bali Jokowi meraih 2.300.000 suara. Jokowi menang di Kabupaten Badung, Gianyar dan "
                     "Tabanan dengan 2.300.000 suara.", _indonesia(), "id").claims[-1]
    assert (got.subject["region"], got.verdict) == ("BALI", "supported")
    # a region of the data named again takes the topic back
    c = check_text("Di Kota Denpasar Jokowi unggul. Di Bali Jokowi meraih 2.300.000 suara.", _indonesia(),
                   "id").claims[-1]
    assert (c.subject["region"], c.verdict) == ("BALI", "supported")


@pytest.mark.parametrize("text,lang", [
    ("Com cerca de 41,7% dos votos apurados, González tinha 67% dos votos.", "pt"),
    ("González tenía el 67 %, cuando se habían escrutado casi un 41,7 % de las papeletas.", "es"),
    ("Gonzalez memimpin dengan 67 persen suara, setelah 41,7 persen kertas suara dihitung.", "id"),
])
def test_the_progress_of_the_count_behind_a_hedge_is_coverage(text, lang):
    got = {c.text: c.quantity for c in check_text(text, v2_like(), lang).claims}
    cov = next(k for k in got if k.startswith("41,7"))
    assert got[cov] == "coverage"
    assert got[next(k for k in got if k.startswith("67"))] == "share"


def test_a_sentence_dated_by_a_year_is_not_the_exit_polls():
    text = ("Segundo uma pesquisa de boca de urna, González vencerá com 67% dos votos. Nas eleições anteriores, "
            "em 2024, González prevaleceu com 67% dos votos.")
    got = [c.frame["attribution"] for c in check_text(text, v2_like(), "pt").claims if c.text == "67%"]
    assert got == ["exit_poll", "author"]
    # a year as a time limit does not date the sentence
    text = ("Segundo uma pesquisa de boca de urna, González vencerá com 67% dos votos. Maduro, no poder até 2025 desde que assumiu o cargo, "
            "teve 30%.")
    assert [c.frame["attribution"] for c in check_text(text, v2_like(), "pt").claims
            if c.text in ("67%", "30%")] == ["exit_poll", "exit_poll"]


@pytest.mark.parametrize("lang,text,quantity", [
    ("pt", "Maduro recebeu 3 milhões de votos na primeira contagem. No final, foram 3,3 milhões.", "votes"),
    ("es", "La participación se situó en el 50 %. En la segunda lectura fue del 59 %.", "turnout"),
])
def test_a_sentence_that_leaves_out_its_quantity_repeats_the_one_before(lang, text, quantity):
    c = check_text(text, v2_like(), lang).claims[-1]
    assert c.quantity == quantity, c.why
    assert any("left out" in w for w in c.why)
    # a percentage after a count (or a count after a percentage) is not the same quantity
    c = check_text("Maduro recebeu 3 milhões de votos. No final, foram 30%.", v2_like(), "pt").claims[-1]
    assert not any("left out" in w for w in c.why)
