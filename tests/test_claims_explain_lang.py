"""Claim explanations in every language: words and templates in ``claims/vocab/explain.toml``.

English and Spanish are pinned byte for byte to what the code wrote before the words moved to data
(``EN_ES_PINNED`` and the digest of a few thousand calls, ``EN_ES_DIGEST``); Portuguese and Indonesian
must be complete, in their language and with their number format.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re

import pytest

from electcheck.claims import explain as X
from electcheck.claims.facts import Value
from electcheck.claims.hedges import Interval

INF = float("inf")
STD = Value("valid", 51.2046, "5,150,092 / 10,058,774", "CNE bulletin 2")
SNAP = Value("snapshot:alt", 3316000.0, "sum of 30,000 actas", "actas")
MATCHED = Value("two-candidate", 52.3, "5,150,092 / (5,150,092 + 4,445,978)", "CNE bulletin 2")
ALTS = (Value("ballots", 50.1, "x", "s"), Value("registered", 23.4, "y", "s"), Value("snapshot:b2", 51.0, "z", "s"))
IV = Interval(51.15, 51.25, True, False)


def _explain(verdict, lang, q="share", percent=True, standard=STD, hedge="none", ht="", subject="",
             rounding=None, note="", alternatives=(), reason="no candidate in the data is named with it",
             text="51,2 %"):
    return X.explain(verdict, lang=lang, text=text, quantity=q, hedge=hedge, iv=IV, percent=percent,
                     standard=None if verdict == "unverifiable" else standard,
                     matched=MATCHED if verdict == "misleading" else None, alternatives=alternatives,
                     reason=reason, rounding=rounding, reading_note=note, subject=subject, hedge_text=ht)


# captured from electcheck/claims/explain.py and check.py (the inline notes) before the words moved to data
EN_ES_PINNED = [
    (lambda: _explain("supported", "en", hedge="about", ht="alrededor de", subject="Nicolás Maduro"),
     "The data (CNE bulletin 2) give vote share for Nicolás Maduro = 51.20% (share of valid votes: 5,150,092 / "
     "10,058,774). “51,2 %” (hedge “alrededor de”, read as “about”) allows [51.15%, 51.25%), which contains it, "
     "so the claim is supported."),
    (lambda: _explain("supported", "en", subject="Nicolás Maduro", rounding="rounded"),
     "The data (CNE bulletin 2) give vote share for Nicolás Maduro = 51.20% (share of valid votes: 5,150,092 / "
     "10,058,774). “51,2 %” allows [51.15%, 51.25%), which contains it, so the claim is supported. The figure is "
     "rounded."),
    (lambda: _explain("supported", "es", subject="Nicolás Maduro", rounding="truncated"),
     "Los datos (CNE bulletin 2) dan porcentaje de votos de Nicolás Maduro = 51,20 % (porcentaje de los votos "
     "válidos: 5,150,092 / 10,058,774). «51,2 %» admite [51,15 %, 51,25 %), que lo contiene: la afirmación está "
     "respaldada. La cifra está truncada."),
    (lambda: _explain("supported", "es", hedge="about", ht="alrededor de", subject="(DKI JAKARTA)"),
     "Los datos (CNE bulletin 2) dan porcentaje de votos (DKI JAKARTA) = 51,20 % (porcentaje de los votos "
     "válidos: 5,150,092 / 10,058,774). «51,2 %» (con «alrededor de») admite [51,15 %, 51,25 %), que lo "
     "contiene: la afirmación está respaldada."),
    (lambda: _explain("misleading", "en", hedge="over", ht="over", subject="Nicolás Maduro"),
     "On the standard basis (share of valid votes) the data (CNE bulletin 2) give vote share for Nicolás Maduro = "
     "51.20%, outside the [51.15%, 51.25%) that “51,2 %” (hedge “over”) allows. The figure holds only on a "
     "different basis: share of the votes of the two candidates only, 52.30% (5,150,092 / (5,150,092 + "
     "4,445,978)). The claim is misleading."),
    (lambda: _explain("misleading", "es", hedge="at least", ht="más de", subject="Nicolás Maduro"),
     "Sobre la base estándar (porcentaje de los votos válidos) los datos (CNE bulletin 2) dan porcentaje de votos "
     "de Nicolás Maduro = 51,20 %, fuera del intervalo [51,15 %, 51,25 %) que admite «51,2 %» (con «más de»). La "
     "cifra solo se cumple con otra base: porcentaje solo entre los dos candidatos, 52,30 % (5,150,092 / "
     "(5,150,092 + 4,445,978)). La afirmación es engañosa."),
    (lambda: _explain("contradicted", "en", q="votes", percent=False, standard=SNAP, subject="(DKI JAKARTA)",
                      alternatives=ALTS),
     "The data (actas) give votes (DKI JAKARTA) = 3,316,000 (another snapshot of the data (alt): sum of 30,000 "
     "actas), outside the [51.15, 51.25) that “51,2 %” allows. No alternative basis brings it inside (share of all "
     "ballots cast 50.1, share of registered electors 23.4, another snapshot of the data (b2) 51). The claim is "
     "contradicted."),
    (lambda: _explain("contradicted", "es", q="votes", percent=False, standard=SNAP, subject="Nicolás Maduro",
                      alternatives=ALTS, note="“51,2” can be read two ways."),
     "Los datos (actas) dan votos de Nicolás Maduro = 3.316.000 (otra versión de los datos (alt): sum of 30,000 "
     "actas), fuera del intervalo [51,15, 51,25) que admite «51,2 %». Ninguna base alternativa lo hace coincidir "
     "(porcentaje de todos los votos emitidos 50,1, porcentaje de los electores inscritos 23,4, otra versión de "
     "los datos (b2) 51). La afirmación queda contradicha. “51,2” can be read two ways."),
    (lambda: _explain("contradicted", "en", q="margin_points", subject="Nicolás Maduro"),
     "The data (CNE bulletin 2) give margin in percentage points for Nicolás Maduro = 51.20 points (share of valid "
     "votes: 5,150,092 / 10,058,774), outside the [51.15 points, 51.25 points) that “51,2 %” allows. The claim is "
     "contradicted."),
    (lambda: _explain("contradicted", "es", hedge="about", subject="Nicolás Maduro", alternatives=ALTS),
     "Los datos (CNE bulletin 2) dan porcentaje de votos de Nicolás Maduro = 51,20 % (porcentaje de los votos "
     "válidos: 5,150,092 / 10,058,774), fuera del intervalo [51,15 %, 51,25 %) que admite «51,2 %» (con «about»). "
     "Ninguna base alternativa lo hace coincidir (porcentaje de todos los votos emitidos 50,10 %, porcentaje de "
     "los electores inscritos 23,40 %, otra versión de los datos (b2) 51,00 %). La afirmación queda contradicha."),
    (lambda: _explain("unverifiable", "en", note="“51,2” can be read two ways."),
     "“51,2 %” is not checked against the results: no candidate in the data is named with it. “51,2” can be read "
     "two ways."),
    (lambda: _explain("unverifiable", "es"),
     "«51,2 %» no se contrasta con los resultados: no candidate in the data is named with it."),
    (lambda: X.authority_note("own", "en", "the CNE", "among the sources given", "CNE bulletin 2"),
     " Checked against the CNE's own published figures (among the sources given)."),
    (lambda: X.authority_note("own", "es", "the CNE", "among the sources given", "CNE bulletin 2"),
     " Se contrasta con las cifras publicadas por el CNE (among the sources given)."),
    (lambda: X.authority_note("about", "en", "the CNE", source="CNE bulletin 2"),
     " The finding is about the CNE's figure, checked against CNE bulletin 2, not against the CNE's own "
     "publication."),
    (lambda: X.authority_note("about", "es", "the CNE", source="CNE bulletin 2"),
     " El resultado se refiere a la cifra de el CNE, contrastada con CNE bulletin 2."),
    (lambda: X.authority_note("cannot", "en", "the KPU", source="CNE bulletin 2"),
     " the KPU's published figures cannot determine it; checked against CNE bulletin 2."),
    (lambda: X.authority_note("cannot", "es", "the KPU", source="CNE bulletin 2"),
     " Las cifras publicadas por el KPU no lo determinan; se contrasta con CNE bulletin 2."),
    (lambda: X.readings_note("en", "7.303", [7.303, 7303.0], "'.' as decimal mark", 7.303),
     "“7.303” can be read two ways (7.303 or 7,303); the reading with '.' as decimal mark (7.303) was used."),
    (lambda: X.readings_note("es", "7.303", [7.303, 7303.0], "'.' as thousands separator", 7303.0),
     "«7.303» admite dos lecturas (7,303 o 7.303); se usó la lectura con '.' como separador de miles (7.303)."),
    (lambda: X.basis_name("snapshot:cne-bulletin-2", "en"), "another snapshot of the data (cne-bulletin-2)"),
    (lambda: X.basis_name("snapshot:cne-bulletin-2", "es"), "otra versión de los datos (cne-bulletin-2)"),
    (lambda: X.fmt_value(1234567, "votes", "es"), "1.234.567"),
    (lambda: X.fmt_value(1234.5678, "votes", "en"), "1,234.5678"),
    (lambda: X.fmt_value(1234.5678, "votes", "es"), "1.234,5678"),
    (lambda: X.fmt_value(51.2, "share", "en"), "51.20%"),
    (lambda: X.fmt_value(51.2, "share", "es"), "51,20 %"),
    (lambda: X.fmt_value(-3.5, "margin_points", "es"), "-3,50 puntos"),
    (lambda: X.fmt_value(7.303, "ratio", "es"), "7,30"),
    (lambda: X.QUANTITY["es"]["turnout"], "participación"),
    (lambda: X.VERDICT_NAME["es"]["contradicted"], "Contradicho"),
    (lambda: X.UNVERIFIABLE_REASON["en"]["not-a-count"].format(what="an estimate", why="", quantity=""),
     "it is an estimate, not a count, so it is never checked against results"),
]


@pytest.mark.parametrize("i", range(len(EN_ES_PINNED)))
def test_claims_explain_en_es_pinned(i):
    call, expected = EN_ES_PINNED[i]
    assert call() == expected


# ------------------------------------------------------------------ every call, en and es, as a digest

VALS = [0, 1, 7, 999, 1000, 1234567, 3316000, 1234.5678, 7.303, 51.2, 51.195, -3.5, -1234.5, 0.5, 1e-10, 12.0,
        99.999, 100, INF, -INF, None, 2.0000000001, 10260000.0]
QS = ["votes", "share", "margin_points", "margin_votes", "ratio", "turnout", "coverage", "ballots", "regions"]
IVS = [IV, Interval(-INF, 10, False, True), Interval(3e6, INF, True, False), Interval(1234.5, 1235.5, False, False)]


def matrix(M, notes, langs=("en", "es")) -> dict[str, str]:
    """Outputs of many calls of explain-module ``M``; ``notes(lang, who, how, source, text, values, rhow,
    value)`` gives the authority and readings notes as {kind: text}."""
    out = {}
    for lang in langs:
        for v, q, p in itertools.product(VALS, QS, (None, True, False)):
            out[f"fmt_value|{v}|{q}|{lang}|{p}"] = M.fmt_value(v, q, lang, p)
        for v in VALS:
            if v is not None:
                out[f"plain|{v}|{lang}"] = M.plain(v, lang)
        for b in list(M.BASIS["en"]) + ["snapshot:cne-bulletin-2", "weird-basis"]:
            out[f"basis|{b}|{lang}"] = M.basis_name(b, lang)
        for (i, iv), q, p in itertools.product(enumerate(IVS), QS, (True, False)):
            out[f"interval|{i}|{q}|{lang}|{p}"] = M.fmt_interval(iv, q, lang, p)
        for k in M.QUANTITY["en"]:
            out[f"Q|{k}|{lang}"] = M.QUANTITY[lang][k]
        for k in M.VERDICT_NAME["en"]:
            out[f"V|{k}|{lang}"] = M.VERDICT_NAME[lang][k]
        for k in M.UNVERIFIABLE_REASON["en"]:
            out[f"R|{k}|{lang}"] = M.UNVERIFIABLE_REASON[lang][k].format(why="a; b", quantity="units", what="an x")
        for verdict in ("supported", "misleading", "contradicted", "unverifiable"):
            for q, percent, standard in (("share", True, STD), ("votes", False, SNAP), ("margin_points", True, STD),
                                          ("ratio", False, STD), ("units", False, SNAP)):
                for hedge, ht in (("none", ""), ("about", ""), ("about", "alrededor de"), ("over", "over")):
                    for subject in ("", "Nicolás Maduro", "(DKI JAKARTA)"):
                        for rounding in (None, "rounded", "truncated"):
                            for rn, alternatives in (("", ()), ("“51,2” can be read two ways.", ALTS)):
                                key = f"explain|{verdict}|{lang}|{q}|{hedge}|{ht}|{subject}|{rounding}|{rn}"
                                out[key] = M.explain(
                                    verdict, lang=lang, text="51,2 %", quantity=q, hedge=hedge, iv=IV,
                                    percent=percent, standard=standard if verdict != "unverifiable" else None,
                                    matched=MATCHED if verdict == "misleading" else None, alternatives=alternatives,
                                    reason="a reason", rounding=rounding, reading_note=rn, subject=subject,
                                    hedge_text=ht)
        for who in ("the CNE", "CEC", "the the X"):
            for how in ("among the sources given", "published bulletins in the registry", ""):
                for rhow in ("'.' as decimal mark", "',' as thousands separator"):
                    for k, s in notes(lang, who, how, "CNE bulletin 2", "7.303", [7.303, 7303.0], rhow,
                                      7303.0).items():
                        out[f"note|{k}|{lang}|{who}|{how}|{rhow}"] = s
    return out


def new_notes(lang, who, how, source, text, values, rhow, value):
    return {**{k: X.authority_note(k, lang, who, how, source) for k in ("own", "about", "cannot")},
            "readings": X.readings_note(lang, text, values, rhow, value)}


def digest(out: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(out, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# sha256 of matrix(...) computed with the code (and check.py's inline notes) before the words moved to data:
# any change to an English or Spanish output changes it
EN_ES_DIGEST = "d86b0eaab0cf1fda2376f42905b65394d82141173447001b7adeabd9c8ed7f22"


def test_claims_explain_en_es_every_call_unchanged():
    out = matrix(X, new_notes)
    assert len(out) > 3000
    assert digest(out) == EN_ES_DIGEST


# ------------------------------------------------------------------ Portuguese and Indonesian

VERDICT_WORDS = {
    "pt": {"supported": "a afirmação é comprovada", "misleading": "A afirmação é enganosa",
           "contradicted": "A afirmação é contradita pelos dados",
           "unverifiable": "não foi conferido com os resultados"},
    "id": {"supported": "klaim ini didukung data", "misleading": "Klaim ini menyesatkan",
           "contradicted": "Klaim ini bertentangan dengan data",
           "unverifiable": "tidak dicocokkan dengan hasil pemilu"},
}
PERCENT = {"pt": "51,20%", "id": "51,20 persen"}
# words that would betray an English sentence or name left in a pt/id explanation
ENGLISH = re.compile(r"\b(the|The|of|claim|data give|allows|outside|share|votes|cast|registered|basis|figure|"
                     r"checked|against|read|reading|used|snapshot|published|own|as decimal|as thousands)\b")
PT_STD = Value("valid", 51.2046, "5.150.092 / 10.058.774", "Boletim 2")
PT_MATCHED = Value("two-candidate", 52.3, "5.150.092 / (5.150.092 + 4.445.978)", "Boletim 2")


def _pt_id(verdict, lang, **kw):
    return X.explain(verdict, lang=lang, text="51,2%", quantity="share", hedge=kw.get("hedge", "none"), iv=IV,
                     percent=True, standard=None if verdict == "unverifiable" else PT_STD,
                     matched=PT_MATCHED if verdict == "misleading" else None,
                     alternatives=kw.get("alternatives", ()), reason=X.UNVERIFIABLE_REASON[lang]["no-subject"],
                     rounding=kw.get("rounding"), subject=kw.get("subject", "Lula"),
                     hedge_text=kw.get("hedge_text", ""))


@pytest.mark.parametrize("lang", ["pt", "id"])
@pytest.mark.parametrize("verdict", ["supported", "misleading", "contradicted", "unverifiable"])
def test_claims_explain_pt_id_each_verdict(lang, verdict):
    text = _pt_id(verdict, lang, alternatives=(Value("ballots", 50.1, "x", "s"),), rounding="rounded")
    assert VERDICT_WORDS[lang][verdict] in text
    assert not ENGLISH.search(text), text
    assert text != _pt_id(verdict, "en", alternatives=(Value("ballots", 50.1, "x", "s"),), rounding="rounded")
    if verdict != "unverifiable":
        assert PERCENT[lang] in text
        assert f"[51,15{PERCENT[lang][5:]}; 51,25{PERCENT[lang][5:]})" in text
    assert X.VERDICT_NAME[lang][verdict] not in (X.VERDICT_NAME["en"][verdict], "")


def test_claims_explain_pt_id_examples():
    assert _pt_id("supported", "pt", rounding="rounded") == (
        "Os dados (Boletim 2) indicam percentual de votos de Lula = 51,20% (percentual dos votos válidos: "
        "5.150.092 / 10.058.774). “51,2%” admite [51,15%; 51,25%), intervalo que inclui esse valor; portanto, a "
        "afirmação é comprovada. O número foi arredondado.")
    assert _pt_id("misleading", "id", hedge="about", hedge_text="sekitar", subject="(DKI JAKARTA)") == (
        "Dengan dasar perhitungan standar (persentase dari suara sah), data (Boletim 2) menunjukkan persentase "
        "suara (DKI JAKARTA) = 51,20 persen, di luar rentang [51,15 persen; 51,25 persen) yang dicakup “51,2%” "
        "(dengan “sekitar”). Angka itu hanya cocok dengan dasar perhitungan lain: persentase dari suara kedua "
        "kandidat saja, 52,30 persen (5.150.092 / (5.150.092 + 4.445.978)). Klaim ini menyesatkan.")


@pytest.mark.parametrize("lang,votes,share,points,ratio", [
    ("pt", "1.234.567,5", "51,20%", "-3,50 pontos", "7,30"),
    ("id", "1.234.567,5", "51,20 persen", "-3,50 poin", "7,30"),
    ("en", "1,234,567.5", "51.20%", "-3.50 points", "7.30"),
    ("es", "1.234.567,5", "51,20 %", "-3,50 puntos", "7,30"),
])
def test_claims_explain_number_formats(lang, votes, share, points, ratio):
    assert X.fmt_value(1234567.5, "votes", lang) == votes
    assert X.plain(1234567.5, lang) == votes
    assert X.fmt_value(51.2, "share", lang) == share
    assert X.fmt_value(51.2, "votes", lang, True) == share
    assert X.fmt_value(-3.5, "margin_points", lang) == points
    assert X.fmt_value(7.303, "ratio", lang) == ratio
    assert X.fmt_value(3316000, "votes", lang) == ("3,316,000" if lang == "en" else "3.316.000")
    assert X.fmt_value(INF, "share", lang) == "∞"


@pytest.mark.parametrize("lang", ["pt", "id"])
def test_claims_explain_pt_id_notes(lang):
    for kind in ("own", "about", "cannot"):
        for how in ("among the sources given", "published bulletins in the registry"):
            note = X.authority_note(kind, lang, "the KPU", how, "KPU rekap")
            assert note.startswith(" ") and note.endswith(".") and "KPU" in note
            assert not ENGLISH.search(note.replace("KPU rekap", "")), note
            assert note != X.authority_note(kind, "en", "the KPU", how, "KPU rekap")
    for how in ("'.' as decimal mark", "',' as thousands separator"):
        note = X.readings_note(lang, "7.303", [7.303, 7303.0], how, 7303.0)
        assert "7,303" in note and "7.303 (" not in note and not ENGLISH.search(note), note
    assert X.readings_note("pt", "7.303", [7.303, 7303.0], "'.' as thousands separator", 7303.0) == (
        "“7.303” admite duas leituras (7,303 ou 7.303); foi usada a leitura com '.' como separador de milhar (7.303).")
    assert X.authority_note("own", "id", "the KPU", "among the sources given") == (
        " Dicocokkan dengan angka yang dipublikasikan KPU sendiri (di antara sumber yang diberikan).")


@pytest.mark.parametrize("lang", ["pt", "id"])
def test_claims_explain_pt_id_tables_translated(lang):
    for name in ("basis", "quantity", "reason"):
        for k, en in X._table(name)["en"].items():
            assert X._table(name)[lang][k] != en, (name, k)
    assert X.basis_name("snapshot:b2", lang) not in (X.basis_name("snapshot:b2", "en"),
                                                       X.basis_name("snapshot:b2", "es"))


# ------------------------------------------------------------------ the data file

RAW = X.data()
# (template key, placeholder) a language may leave out: es, pt and id do not repeat the hedge's English name
OPTIONAL = {("hedge_read_as", "hedge")}


def test_claims_explain_languages():
    assert set(X.LANGS) == {"en", "es", "pt", "id"}


@pytest.mark.parametrize("lang", ["es", "pt", "id"])
@pytest.mark.parametrize("table", X.TABLES)
def test_claims_explain_every_english_key_in_every_language(lang, table):
    en, other = RAW["en"][table], RAW[lang].get(table, {})
    assert not set(en) - set(other), f"[{lang}.{table}] lacks {sorted(set(en) - set(other))}"
    assert not set(other) - set(en), f"[{lang}.{table}] has keys English lacks: {sorted(set(other) - set(en))}"
    assert all(isinstance(v, str) and v for v in other.values())


@pytest.mark.parametrize("lang", ["es", "pt", "id"])
@pytest.mark.parametrize("table", X.TEMPLATE_TABLES)
def test_claims_explain_templates_use_the_english_placeholders(lang, table):
    for key, en in RAW["en"][table].items():
        want, got = X.placeholders(en), X.placeholders(RAW[lang][table][key])
        missing = {p for p in want - got if (key, p) not in OPTIONAL}
        assert not missing and got <= want, f"[{lang}.{table}] {key}: {sorted(got)} vs English {sorted(want)}"


def test_claims_explain_templates_take_plain_names_only():
    with pytest.raises(ValueError):
        X.placeholders("{who.__class__}")
    with pytest.raises(ValueError):
        X.placeholders("{who!r}")
    with pytest.raises(ValueError):
        X.placeholders("{0}")


# ------------------------------------------------------------------ public API

def test_claims_explain_tables_dict_like_and_fallback():
    for T in (X.QUANTITY, X.UNVERIFIABLE_REASON, X.VERDICT_NAME, X.BASIS):
        assert {"en", "es", "pt", "id"} <= set(T)
        assert T["fr"] == T["en"]
    assert X.VERDICT_NAME["pt"]["supported"] == "Comprovado"
    assert X.VERDICT_NAME["id"]["unverifiable"] == "Tidak dapat diverifikasi"
    assert X.QUANTITY["id"].get("turnout") == "tingkat partisipasi pemilih"
    assert X.UNVERIFIABLE_REASON["pt"]["other"].format(why="w", quantity="q", what="x").endswith("(w)")
    for verdict in ("supported", "misleading", "contradicted", "unverifiable"):
        assert _explain(verdict, "fr") == _explain(verdict, "en")
    assert X.fmt_value(1234.5, "votes", "fr") == "1,234.5"
    assert X.authority_note("own", "xx", "the CNE", "h") == X.authority_note("own", "en", "the CNE", "h")
    assert X.readings_note("xx", "7.303", [7.303], "h", 7.303) == X.readings_note("en", "7.303", [7.303], "h", 7.303)
    with pytest.raises(ValueError):
        X.authority_note("nobody", "en", "the CNE")


def test_claims_explain_values_are_plain_text():
    # a value with braces is written as it is, never read as a placeholder
    odd = Value("valid", 51.2, "{formula} {0}", "{source}")
    for lang in X.LANGS:
        s = X.explain("supported", lang=lang, text="{text}{", quantity="share", hedge="about", iv=IV, percent=True,
                      standard=odd, matched=None, alternatives=(), subject="{who}", hedge_text="{hedge}")
        assert "{text}{" in s and "{formula} {0}" in s and "{source}" in s and "{who}" in s and "{hedge}" in s
        assert "{x}" in X.authority_note("about", lang, "{x}", "{y}", "{z}")
