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

#: a count this much larger than the place's electorate cannot be the place's
_SIZE_SLACK = 1.05
#: right before a place name: introduces it as the place ("in", "en el estado", "em", "di", "Provinsi")
_PREP = re.compile(r"\b(?:in|en|em|no|na|nos|nas|di|within|untuk)\s+(?:the\s+|el\s+|la\s+|o\s+|a\s+)?$"
                   r"|\b(?:state|estado|republic|republica|region|oblast|province|provincia|provinsi|prov|regiao|"
                   r"wilayah|daerah)\.?\s+(?:of\s+|de\s+|do\s+|da\s+)?$")


@lru_cache(maxsize=None)
def _country_wide(lang: str) -> re.Pattern:
    return vocab.phrase_pattern("scope", "country_wide", lang)


@dataclass
class PlaceTopic:
    """The place carried from sentence to sentence (a region hit of ``Resolver.regions_in``)."""

    place: object | None = None

    def carry(self, regions: list, fs: str, lang: str, sent_start: int, figures: bool, counts: list[float],
              size) -> list:
        """The regions to read this sentence with: its own, else the topic's (marked as carried).

        ``figures``: the sentence states numbers; ``counts`` its stated counts; ``size(place)`` the
        place's electorate (None when unknown). Updates the topic from what the sentence names."""
        if _country_wide(lang).search(fs):
            self.place = None
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
def _carries() -> re.Pattern:
    return vocab.phrase_pattern("attribution", "carries", None)


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

    def begin(self, fs: str, lang: str, authority: dict | None, counted: bool) -> None:
        """Before a sentence's figures: a sentence that names its own source, claims a victory, names the
        official count or the part of the count its figures come from ("with 10 percent of ballots
        totaled") ends the carried source, unless it names that kind of source again."""
        if self.source is not None and not _carries().search(fs) and (
                counted or _official().search(fs) or own_actor(fs, authority) or claims_victory(fs)):
            self.source = None

    def update(self, fs: str, lang: str, atts: list[Attribution], authority: dict | None = None) -> None:
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
def anaphora(lang: str) -> re.Pattern:
    """Words that take the candidate named in the sentence before (``[anaphora] subject``): English and
    Spanish ones everywhere, Portuguese and Indonesian ones in their language only. Unfolded, lower case."""
    langs = ("en", "es") + ((lang,) if lang in ("pt", "id") else ())
    words = [w.lower() for lg in langs for w in vocab.raw(lg).get("anaphora", {}).get("subject", [])]
    return re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in
                                         sorted(set(words), key=len, reverse=True)) + r")\b")
