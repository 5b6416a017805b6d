"""Who says a figure, and how: attribution and modality, read from the number's clause.

Attribution: ``author`` (the text asserts it), ``authority`` (the electoral authority
announced it: the CNE, the CEC, the KPU — names in ``vocab/authorities.toml``),
``party`` (a campaign or the opposition), ``exit_poll``, ``estimate`` (quick counts,
projections, models) or ``poll``. Modality: ``asserted``, ``estimated``, ``projected``,
``counterfactual`` or ``forecast``. Cues are data (``[attribution]`` and ``[modality]``
of the vocabulary files); the clause is the part of the sentence between the clause
separators of its language (``[clauses]``) around the number.

Exit polls, estimates, polls, counterfactuals and forecasts are never checked against
a count (``unverifiable``). See docs/claims.md, "Who says it".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import vocab

#: attribution kinds whose figures are not counts
NOT_A_COUNT = ("exit_poll", "estimate", "poll")
#: modalities whose figures are not counts
NOT_ASSERTED = ("estimated", "projected", "counterfactual", "forecast")


@dataclass(frozen=True)
class Attribution:
    kind: str = "author"  # author | authority | party | exit_poll | estimate | poll
    who: str | None = None  # "the CNE"
    modality: str = "asserted"  # asserted | estimated | projected | counterfactual | forecast
    cue: str = ""  # the words that decided

    @property
    def checkable(self) -> bool:
        return self.kind not in NOT_A_COUNT and self.modality not in NOT_ASSERTED


@lru_cache(maxsize=None)
def _splitter(lang: str) -> re.Pattern:
    seps = [p for p in vocab.phrases("clauses", "split", lang) if p]
    alts = sorted({re.escape(s.strip()) for s in seps if s.strip()}, key=len, reverse=True)
    words = [a for a in alts if a[0].isalpha()]
    marks = [a for a in alts if not a[0].isalpha()]
    return re.compile("|".join([*(r"(?<![\w])" + w + r"(?![\w])" for w in words), *marks]) or r"(?!)")


def clause(f_sent: str, start: int, end: int, lang: str) -> tuple[int, int]:
    """(start, end) of the clause of the number at [start, end) in the folded sentence."""
    a, b = 0, len(f_sent)
    for m in _splitter(lang).finditer(f_sent):
        if m.end() <= start:
            a = m.end()
        elif m.start() >= end:
            b = m.start()
            break
    return a, b


def _hits(section: str, key: str, text: str) -> list[re.Match]:
    return list(vocab.phrase_pattern(section, key).finditer(text))


def _source_hits(kind: str, text: str) -> list[re.Match]:
    """Cues of a source of ``kind``; a polling organisation named ("according to VTsIOM") is an estimate
    when no word of the clause says exit poll, quick count or poll."""
    ms = _hits("attribution", kind, text)
    return ms + list(vocab.pollster_pattern().finditer(text)) if kind == "estimate" else ms


_HEDGE_ESTIMATED = re.compile(r"(?:^|\W)(?:an|some|unos|unas|um|uma|cerca\s+de)\s+estimated?\s*$|(?:^|\W)estimated\s*$")


_RESULT_VERB = re.compile(r"(?<![\w])(?:got|gets|received|obtained|garnered|scored|polled|obtuvo|obtiene|recibio|"
                          r"logro|consiguio|obteve|recebeu|conquistou|memperoleh|meraih|mendapat|mendapatkan)(?![\w])")

#: a claim of victory: the figure after it is the claimant's own
_CLAIM_VERB = re.compile(r"(?<![\w])(?:claim(?:s|ed)?\s+(?:victory|the\s+win|to\s+have\s+won|"
                         r"(?:that\s+)?(?:he|she|they)\s+(?:had\s+)?won)|declared\s+(?:himself|herself)|"
                         r"proclaimed\s+(?:himself|herself)|clama\w*\s+vitoria|reivindic\w+\s+(?:a\s+)?vitoria|"
                         r"reivindic\w+\s+(?:la\s+)?victoria|se\s+(?:declaro|proclamo|declarou|proclamou)|"
                         r"mengklaim\s+(?:kemenangan|menang)|menyatakan\s+diri)(?![\w])")
#: "rejected the early estimates", "rechazó las proyecciones", "menolak hasil hitung cepat"
_REJECTED = re.compile(r"(?<![\w])(?:reject\w*|dismiss\w*|disput\w*|rechaz\w+|desconoc\w+|rejeit\w+|contest\w+|"
                       r"menolak|membantah)\s++(?:\w++\s++){0,2}$")
#: "has not released any results from": a negated report attributes nothing
_NEGATED = re.compile(r"(?<![\w])(?:not|no|never|nao|nunca|tidak|belum|sin|sem|without)\s++(?:\w++\s++)?(?:\w++\s++)?$"
                      r"|n't\s++(?:\w++\s++)?$")


@lru_cache(maxsize=None)
def _future_aux(lang: str) -> re.Pattern:
    """An auxiliary of the future that ends the text before a result verb."""
    alts = vocab.alternation(vocab.phrases("modality", "future_aux", lang))
    return re.compile(r"(?<![\w])(?:" + alts + r")\s*$") if alts else re.compile(r"(?!)")


def _nearest(ms: list[re.Match], start: int, end: int) -> re.Match | None:
    def dist(m):
        return start - m.end() if m.end() <= start else (m.start() - end if m.start() >= end else 0)
    return min(ms, key=dist) if ms else None


def attribution(f_sent: str, start: int, end: int, lang: str, authority: dict | None = None) -> Attribution:
    """Attribution and modality of the number at [start, end) of folded sentence ``f_sent``."""
    a, b = clause(f_sent, start, end, lang)
    cl = f_sent[a:b]
    s, e = start - a, end - a
    modality, mcue = "asserted", ""
    for mod in ("counterfactual", "forecast", "projected", "estimated"):
        ms = _hits("modality", mod, cl)
        if mod == "estimated":  # "an estimated 7 million": a hedge, not an estimate by someone
            ms = [m for m in ms if not (m.end() <= s and _HEDGE_ESTIMATED.search(cl[:s]) and
                                        not cl[m.end():s].strip(" $"))]
        # "was set to win … as he got 75.91 percent": a result verb between the cue and the number
        # states the figure; the forecast is about the outcome
        # ("probablemente recibió más del doble": a cue right before the verb qualifies that verb)
        # ("FOM memperkirakan Putin bakal meraih 77 persen": a future auxiliary before the verb keeps the cue)
        ms = [m for m in ms if not (m.end() <= s and (rv := _RESULT_VERB.search(cl[m.end():s]))
                                    and cl[m.end():m.end() + rv.start()].strip()
                                    and not _future_aux(lang).search(cl[m.end():m.end() + rv.start()]))]
        ms = [m for m in ms if not (m.end() <= s and _CLAIM_VERB.search(cl[m.end():s]))
              and not _REJECTED.search(cl[max(0, m.start() - 30):m.start()])]
        if ms:
            modality, mcue = mod, _nearest(ms, s, e).group(0)
            break
    for kind in NOT_A_COUNT:
        # "rejected the early estimates and declared himself the winner, saying … 52 %", "que liderava nas
        # pesquisas e clama vitória com 70 %": a claim verb between the cue and the number makes the figure
        # the claimant's; a rejected estimate speaks for nobody
        ms = [m for m in _source_hits(kind, cl)
              if not (m.end() <= s and _CLAIM_VERB.search(cl[m.end():s]))
              and not _REJECTED.search(cl[max(0, m.start() - 30):m.start()])]
        if ms:
            mod = modality if modality != "asserted" else ("forecast" if kind == "poll" else "estimated")
            return Attribution(kind, None, mod, _nearest(ms, s, e).group(0))
    # "According to exit polls, Putin got 73.9 % while Grudinin got 11.2 %": a source named in an earlier
    # clause of the sentence still speaks in the later ones, unless a later clause names its own actor
    if a > 0 and not own_actor(cl, authority):
        head = f_sent[:a]
        for kind in NOT_A_COUNT:
            ms = _source_hits(kind, head)
            if ms:
                mod = modality if modality != "asserted" else ("forecast" if kind == "poll" else "estimated")
                return Attribution(kind, None, mod, ms[-1].group(0))
    actors: list[tuple[int, str, str | None, str]] = []
    party = _hits("attribution", "party", cl)
    if party:
        m = _nearest(party, s, e)
        actors.append((_gap(m, s, e), "party", None, m.group(0)))
    if authority:
        names = list(_names_rx(tuple(authority["names"])).finditer(cl))
        reported = [r for r in _hits("attribution", "report", f_sent)
                    if not _NEGATED.search(f_sent[max(0, r.start() - 25):r.start()])]
        if names and reported:
            m = _nearest(names, s, e)
            actors.append((_gap(m, s, e), "authority", authority["name"], m.group(0)))
    if actors:
        _, kind, who, cue = min(actors)
        return Attribution(kind, who, modality, cue)
    return Attribution("author", None, modality, mcue)


#: "segundo" is "according to" in Portuguese and "second" in both Iberian languages: "em segundo lugar",
#: "o segundo colocado", "en segundo lugar" name a rank, not a source
_NEW_SOURCE = re.compile(r"(?<![\w])(?:according\s+to|segun|de\s+acuerdo\s+con|de\s+acordo\s+com|conforme|"
                         r"menurut|berdasarkan|"
                         r"(?<!\bem\s)(?<!\ben\s)(?<!\bno\s)(?<!\bo\s)(?<!\bel\s)(?<!\bum\s)(?<!\bun\s)segundo"
                         r"(?!\s+(?:lugar|turno|colocad|posto|mais|candidato|partido|vuelta)))(?![\w])")


def own_actor(cl: str, authority: dict | None) -> bool:
    """The clause names its own source: a party cue, the authority's name, or "according to …" (a bare
    reporting verb, "Maduro -indicó- el 30 %", is the same speaker going on)."""
    return names_actor(cl, authority) or bool(_NEW_SOURCE.search(cl))


def claims_victory(cl: str) -> bool:
    """The clause has a claim of victory ("has claimed he won", "se proclamó", "mengklaim kemenangan")."""
    return bool(_CLAIM_VERB.search(cl))


def names_actor(cl: str, authority: dict | None) -> bool:
    """The clause names a party or the electoral authority (a source of counts, not of estimates)."""
    return bool(_hits("attribution", "party", cl)
                or (authority and _names_rx(tuple(authority["names"])).search(cl)))


@lru_cache(maxsize=None)
def _names_rx(names: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"(?<![\w])(?:" + vocab.alternation(names) + r")(?![\w])")


def _gap(m: re.Match, s: int, e: int) -> int:
    return s - m.end() if m.end() <= s else max(0, m.start() - e)


def authority_for(election: str, source: str) -> dict | None:
    """The electoral authority of an election (``vocab/authorities.toml``), or None."""
    from .text import fold

    key = fold(f"{election} {source}")
    for a in vocab.authorities():
        if any(m in key for m in a["match"]):
            return a
    return None
