"""What an article has established before a sentence: the place it is talking about and the source
that is speaking, each named once and carried to the sentences after it.

News copy names a province or a state once ("KPU Provinsi Jawa Barat menetapkan …", "Apenas em Sucre a
disputa teria sido mais acirrada …", "Di Bangka Belitung, Jokowi-Ma'ruf mendapatkan 459.510 suara.") and
gives its figures in the sentences that follow without naming it again ("Sedangkan Prabowo-Sandi meraih
288.097 suara.", "Maduro teria recebido 208.006 votos (48%)."). A reader takes those figures as the
place's; so does the checker:

- the **topic** is the one place named last, in a sentence with figures or as the place of what is said
  ("in Zulia", "em Sucre", "di Riau", "Provinsi Jawa Timur"); a place merely mentioned in a sentence
  without figures ("la Comisión Electoral de Moscú no encontró contravenciones") does not set it;
- a sentence with figures that names **no place** is read as the topic's, and its explanation says the
  place was carried;
- the topic ends when a sentence speaks for the whole country (``[scope] country_wide`` of the
  vocabulary files: "nationwide", "a nivel nacional", "secara nasional" …), when a sentence names several
  places at once (a list: no single place to carry), and for one sentence whenever a count in it is
  larger than the place's electorate (a figure that cannot be the place's is the country's).

The same holds for a **source whose figures are not counts**: "Russian exit polls said Putin won 87% of
the vote. Mykola Kharitonov is in second place (4.6% of votes)." — the second figure is the exit poll's
too. The source (``[attribution] carries``: exit polls, quick counts, "el sondeo") speaks for the
sentences after the one naming it whose figures have no source of their own, until a sentence names
another source (the authority, a party, "according to …"), hands back to the count (``[attribution]
official``: "official results", "escrutinio", "rekapitulasi") or the part of the count its figures come
from ("with 10 percent of ballots totaled"), or a sentence passes without a figure from it (the source
speaks in an unbroken run of sentences; one naming it without figures hands it to the next sentence).

What it cannot see: a national figure written right after a place without any country-wide words
("Putin won 99% in Chechnya. He got 77%.") is read as the place's. The real-sentence corpus measures
how often that happens against how often the place is carried rightly (docs/claims.md, "Article
context").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from . import vocab
from .attribution import NOT_A_COUNT, Attribution, claims_victory, names_actor, own_actor
from .text import fold

#: a count this much larger than the place's electorate cannot be the place's
_SIZE_SLACK = 1.05
#: right before a place name: introduces it as the place ("in", "en el estado", "em", "di", "Provinsi")
_PREP = re.compile(r"\b(?:in|en|em|no|na|nos|nas|di|within|untuk)\s+(?:the\s+|el\s+|la\s+|o\s+|a\s+)?$"
                   r"|\b(?:state|estado|republic|republica|region|oblast|province|provincia|provinsi|prov|regiao|"
                   r"wilayah|daerah)\.?\s+(?:of\s+|de\s+|do\s+|da\s+)?$")


@lru_cache(maxsize=None)
def _country_wide(lang: str) -> re.Pattern:
    return vocab.phrase_pattern("scope", "country_wide", lang)


@lru_cache(maxsize=None)
def _sub_place(lang: str) -> re.Pattern | None:
    """A place introduced by a word for a level below the regions (``[scope] sub_place``: "Kabupaten Toraja
    Utara", "el municipio Sucre") and a capitalised name. Case-sensitive on the name, not on the word."""
    words = vocab.raw(lang).get("scope", {}).get("sub_place", [])
    if not words:
        return None
    alts = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(r"(?<![\w])(?i:" + alts + r")\.?\s++(?P<name>[A-Z][\w'’-]*+(?:\s++[A-Z][\w'’-]*+){0,3})")


#: another name right after a place: a list ("Kabupaten Soppeng, Wajo, Bone", "Kota Makassar, Kota Palopo")
_LIST_NEXT = re.compile(r"\s*+(?:,|\bdan\b|\by\b|\be\b|\band\b)\s*+[A-Z]")


@dataclass
class PlaceTopic:
    """The place carried from sentence to sentence (a region hit of ``Resolver.regions_in``), or a place the
    data does not hold (``unknown``: its name), whose figures cannot be checked."""

    place: object | None = None
    unknown: str | None = None

    def carry(self, regions: list, fs: str, lang: str, sent_start: int, figures: bool, counts: list[float],
              size, text: str = "") -> list:
        """The regions to read this sentence with: its own, else the topic's (marked as carried).

        ``figures``: the sentence states numbers; ``counts`` its stated counts; ``size(place)`` the
        place's electorate (None when unknown); ``text`` the sentence as written (for a place below the
        regions, named with a capital). Updates the topic from what the sentence names."""
        if _country_wide(lang).search(fs):
            self.place = self.unknown = None
            return regions
        if regions:
            self.unknown = None
        elif (rx := _sub_place(lang)) is not None and (sub := rx.search(text)) and (
                figures or _PREP.search(fold(text[:sub.start()])) or len(text.strip()) <= len(sub.group(0)) + 2) \
                and not _LIST_NEXT.match(text, sub.end()):
            # "Kabupaten Toraja Utara" (a heading), "di Kota Surabaya, Jokowi meraih …": a place the regions
            # of the data do not name; the figures after it are that place's, not the last region's (a list,
            # "di lima kabupaten masing-masing Kabupaten Soppeng, Wajo, Bone", names places inside the region)
            self.place, self.unknown = None, sub.group(0)
            return regions
        distinct = {r.key for r in regions}
        if len(distinct) == 1:
            r = regions[-1]
            if figures or r.locative or _PREP.search(fs[max(0, r.start - sent_start - 40):r.start - sent_start]):
                self.place = r
            return regions
        if distinct:  # several places at once: a list, nothing single to carry on
            self.place = None
            return regions
        if self.place is None or not counts:
            return regions
        cap = size(self.place.key)
        if cap and any(c > cap * _SIZE_SLACK for c in counts):
            return regions  # "85,6 juta suara" cannot be Jawa Barat's
        return [replace(self.place, start=sent_start, end=sent_start, possessive=False, locative=True,
                        carried=True)]


# both in all four languages: "exit poll" and "quick count" are written in Spanish and Indonesian copy too,
# and a sentence's detected language can be another than the article's
@lru_cache(maxsize=None)
def _carries() -> re.Pattern:
    """Sources that keep speaking: ``[attribution] carries`` and the polling organisations."""
    return re.compile(vocab.phrase_pattern("attribution", "carries", None).pattern + "|"
                      + vocab.pollster_pattern().pattern)


def _official() -> re.Pattern:
    return vocab.phrase_pattern("attribution", "official", None)


@dataclass
class SourceTopic:
    """An exit poll or a quick count named in one sentence, speaking in the sentences after it."""

    source: Attribution | None = None

    def apply(self, att: Attribution) -> Attribution:
        """The attribution of a figure whose own clause names no source (``author``, asserted)."""
        if self.source is None or att.kind != "author" or att.modality != "asserted":
            return att
        return Attribution(self.source.kind, None, self.source.modality, self.source.cue)

    def begin(self, fs: str, authority: dict | None, counted: bool) -> None:
        """Before a sentence's figures: a sentence that names its own source, claims a victory, names the
        official count or the part of the count its figures come from ("with 10 percent of ballots
        totaled"), or is otherwise ``counted`` out (a year that dates it), ends the carried source, unless
        it names that kind of source again."""
        if self.source is not None and not _carries().search(fs) and (
                counted or _official().search(fs) or own_actor(fs, authority) or claims_victory(fs)):
            self.source = None

    def update(self, fs: str, atts: list[Attribution], authority: dict | None = None) -> None:
        """After a sentence: the source it names (for the next sentence), or whether the carried one goes
        on: it speaks only in an unbroken run of sentences with figures of its own."""
        spoken = [a for a in atts if a.kind in NOT_A_COUNT]
        named = _carries().search(fs)
        # a sentence naming the count or the authority beside the source ("exit polls and the CEC confirmed
        # his victory") leaves the next figures to neither
        if named and not _official().search(fs) and not (names_actor(fs, authority) and not spoken) and (
                spoken or not atts):
            kind = "exit_poll" if re.search(r"exit|urna", named.group(0)) else "estimate"
            self.source = spoken[-1] if spoken else Attribution(kind, None, "estimated", named.group(0))
        elif not spoken:
            self.source = None  # a sentence without its figures ends the run


@lru_cache(maxsize=None)
def _zero_subject(lang: str) -> re.Pattern | None:
    """A clause that opens with a result verb, after at most two linking words (``[anaphora] lead``, ``verbs``):
    "quando obteve 77 %", "También superó el 70 %", "Raih 64 Persen Suara" — a language that drops the
    subject writes the candidate of the sentence before. Lower case, unfolded."""
    an = vocab.raw(lang).get("anaphora", {}) if lang in ("es", "pt", "id") else {}
    if not an.get("verbs"):
        return None
    # (possessive spaces inside the repeated lead words)
    lead = vocab.alternation(w.lower() for w in an.get("lead", [])).replace(r"\s+", r"\s++")
    return re.compile(r"(?:^|[,;:(\n\u2014\u2013]|\s-)\s*+(?:(?:" + lead + r")\s++){0,2}(?:" +
                      vocab.alternation(w.lower() for w in an["verbs"]) + r")\b")


@lru_cache(maxsize=None)
def _demonstrative(lang: str) -> re.Pattern | None:
    """A description pointing back ("politikus … itu", "suami Lyudmila Putina itu", "Jumlah tersebut"): the
    demonstrative after a word that is not a place, a time or an election (``[anaphora] demonstrative``,
    ``not_subject``: "di provinsi itu" is the place of the sentence before, not its candidate)."""
    an = vocab.raw(lang).get("anaphora", {}) if lang == "id" else {}
    if not an.get("demonstrative"):
        return None
    nots = vocab.alternation(w.lower() for w in an.get("not_subject", []))
    return re.compile(r"\b(?!(?:" + nots + r")\b)[^\W\d]++\s++(?:" +
                      vocab.alternation(w.lower() for w in an["demonstrative"]) + r")\b")


def subject_carried(low: str, lang: str, single: bool) -> bool:
    """The sentence (lower case) takes its candidate from the sentence before: a pronoun or a role word
    (``[anaphora] subject``), or — when the sentence before named one candidate only (``single``) — a
    clause opening on a result verb without its subject, or a description pointing back."""
    if anaphora(lang).search(low):
        return True
    if not single:
        return False
    return any(rx is not None and rx.search(low) for rx in (_zero_subject(lang), _demonstrative(lang)))


@lru_cache(maxsize=None)
def anaphora(lang: str) -> re.Pattern:
    """Words that take the candidate named in the sentence before (``[anaphora] subject``): English and
    Spanish ones everywhere, Portuguese and Indonesian ones in their language only. Unfolded, lower case."""
    langs = ("en", "es") + ((lang,) if lang in ("pt", "id") else ())
    words = [w.lower() for lg in langs for w in vocab.raw(lg).get("anaphora", {}).get("subject", [])]
    return re.compile(r"\b(?:" + vocab.alternation(words) + r")\b")
