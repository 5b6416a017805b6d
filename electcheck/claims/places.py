"""Place names in text → the region values of a tally (top level, and one level below).

Two small tables, kept here so that they can be read and extended in one place:

- ``EXTRA_FORMS``: other names of a top-level region whose normalised key is
  known ("distrito capital" is also "Caracas").
- ``ENGLISH_REGIONS``: English (and the usual Spanish, Portuguese and Indonesian) names of the major Russian federal subjects,
  each mapped to a stem of the Russian ``region`` name used in the per-precinct
  tallies ("Chechnya" → the region whose name contains "чеченская"). A stem,
  not a full name, because the wording changes between years ("Кемеровская
  область" in 2018, "Кемеровская область - Кузбасс" in 2024; "Город Москва" in
  2004, "город Москва" later).

Below the top level (a Venezuelan municipality) a name is used only when the
text marks it as such ("municipio Maracaibo", "the municipality of
Maracaibo", "Maracaibo municipality") and it is unambiguous: one municipality
of that name in the data, or one within the state the sentence also names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import fold

#: normalised top-level key -> other names that mean the same region
EXTRA_FORMS: dict[str, tuple[str, ...]] = {
    "distrito capital": ("caracas", "capital district", "distrito capital"),
    # Indonesia's special region is written without its title: "di Yogyakarta", "Jogjakarta"
    "daerah istimewa yogyakarta": ("yogyakarta", "jogjakarta", "daerah istimewa yogyakarta"),
    # Indonesian provinces by their usual short forms and epithets in the press ("Pulau Dewata" is Bali,
    # "Ranah Minang" West Sumatra, "Bumi Cenderawasih" Papua)
    "bali": ("bali", "pulau dewata", "pulau bali"),
    "sumatera barat": ("sumatera barat", "sumbar", "ranah minang", "tanah minang"),
    "sumatera utara": ("sumatera utara", "sumut"),
    "jawa barat": ("jawa barat", "jabar", "tanah pasundan"),
    "jawa tengah": ("jawa tengah", "jateng"),
    "jawa timur": ("jawa timur", "jatim"),
    "sulawesi selatan": ("sulawesi selatan", "sulsel"),
    "papua": ("papua", "bumi cenderawasih"),
}

#: (English forms, stem of the folded Russian region name). Longer forms win over shorter
#: ones that they contain ("Moscow region" over "Moscow").
ENGLISH_REGIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("moscow city", "city of moscow", "moscow", "moscu", "moscou", "moskwa", "moskow"), "город москва"),
    (("moscow region", "moscow oblast"), "московская"),
    (("st petersburg", "st. petersburg", "saint petersburg", "st.petersburg", "san petersburgo",
      "sao petersburgo", "sankt peterburg"), "санкт-петербург"),
    (("leningrad region", "leningrad oblast"), "ленинградская"),
    (("chechnya", "chechen republic", "republic of chechnya", "chechenia", "republica de chechenia",
      "tchetchenia", "chechenia", "cechnya",
      # the adjective names the place too: "the Chechen CEC", "649,600 Chechen voters"
      "chechen", "checheno", "chechena", "checheno"), "чеченская"),
    (("dagestan", "daghestan", "daguestan", "daguestao", "dagestani"), "дагестан"),
    (("ingushetia", "ingushetiya", "ingush republic"), "ингушетия"),
    (("kabardino-balkaria", "kabardino balkaria", "kabardino-balkar republic", "kabardino-balkar",
      "kabardino balkar", "kabardino-balkaria"), "кабардино-балкарская"),
    (("karachay-cherkessia", "karachayevo-cherkessia", "karachaevo-cherkessia", "karachay-cherkess"),
     "карачаево-черкесская"),
    (("north ossetia",), "северная осетия"),
    (("tatarstan",), "татарстан"),
    (("bashkortostan", "bashkiria"), "башкортостан"),
    (("mordovia",), "мордовия"),
    (("tuva", "tyva"), "тыва"),
    (("kemerovo", "kemerovo region", "kemerovo oblast", "kuzbass"), "кемеровская"),
    (("crimea", "crimeia", "krimea"), "республика крым"),
    (("sevastopol", "sebastopol", "sebastopolis"), "севастополь"),
    (("karelia",), "карелия"),
    (("yakutia", "sakha"), "саха"),
    (("chukotka", "chukotka autonomous okrug", "chukotski"), "чукотский"),
    (("khabarovsk", "khabarovsk krai", "khabarovsk territory", "jabarovsk", "cabarovsk", "habarovsk"), "хабаровский"),
    (("belgorod", "belgorod region", "bielgorod"), "белгородская"),
    (("luhansk", "lugansk", "luhansk people's republic", "lugansk people's republic"), "луганская"),
    (("donetsk", "donetsk people's republic", "donetsk"), "донецкая"),
    (("kherson", "kherson region", "jerson", "querson", "cherson"), "херсонская"),
    (("zaporizhzhia", "zaporizhia", "zaporozhye", "zaporiyia", "zaporozhie", "zaporijia", "zaporizhzhia region"),
     "запорожская"),
    (("yamalo-nenets", "yamal-nenets", "yamal"), "ямало-ненецкий"),
    (("nenets", "nenetsia"), "ненецкий автономный округ"),
    (("novosibirsk", "novosibirsk region"), "новосибирская"),
    (("sverdlovsk", "sverdlovsk region"), "свердловская"),
    # the polling stations abroad ("Территория за пределами РФ")
    (("abroad", "overseas", "luar negeri", "en el extranjero", "no exterior", "outside russia"), "за пределами"),
)

_MUNI_CUE = re.compile(r"\b(?:municipio|municipality\s+of|municipality|municipalidad\s+de|municipio\s+de)\s+"
                       r"(?:(?:el|la|the)\s+)?$")
_MUNI_AFTER = re.compile(r"^\s+municipality\b")
_DATELINE = re.compile(r"^\s*(?:\.-|-|—|–|\(|,\s*\d|,\s*[a-z]{3,10}\s+\d)")
_LOCATIVE = re.compile(r"\b(?:in|en|within|dentro\s+de)\s+(?:the\s+|el\s+|la\s+)?"
                       r"(?:(?:state|estado|republic|republica|region|oblast|province|provincia|municipio|"
                       r"municipality|city|ciudad)\s+(?:of\s+|de\s+)?)?$")
_NOT_PLACE_AFTER = re.compile(r"^(?:'s)?\s+(?:time|press|-based|based|election\s+commission)\b")


@lru_cache(maxsize=None)
def _folded_stem(stem: str) -> str:
    return fold(stem)


def english_forms(folded_region: str) -> tuple[str, ...]:
    """English names of a Russian region (folded name), or ()."""
    out: list[str] = []
    for forms, stem in ENGLISH_REGIONS:
        # the stem is folded like the name ("чукотский" → "чукотскии": folding drops the breve of "й")
        if _folded_stem(stem) in folded_region:
            out += forms
    return tuple(out)


def is_dateline(folded_sentence: str, start: int, end: int) -> bool:
    """'CARACAS, 28 jul (Reuters) -', 'Caracas.- El CNE…': a place that opens the sentence as a dateline."""
    return not folded_sentence[:start].strip() and bool(_DATELINE.match(folded_sentence[end:end + 20]))


def not_a_place(folded_sentence: str, end: int) -> bool:
    """'Moscow time', "Moscow's election commission": the name does not locate the figure."""
    return bool(_NOT_PLACE_AFTER.match(folded_sentence[end:end + 30]))


def locative(folded_before: str) -> bool:
    """True if the text right before a place name introduces it as the place ('in', 'en el estado')."""
    return bool(_LOCATIVE.search(folded_before[-40:]))


def municipality_cue(folded_before: str, folded_after: str) -> bool:
    return bool(_MUNI_CUE.search(folded_before[-30:]) or _MUNI_AFTER.match(folded_after[:20]))


def fold_place(text: str) -> str:
    return " ".join(fold(text).replace(".", ". ").split())
