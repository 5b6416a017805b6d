"""What part of the election a number covers: the nation, a region, or a subset of counting units.

Counts of units are checked only for subsets the data computes (``vocab/*.toml`` ``[scope]``):

- ``all``: every unit in the file ("the opposition collected 25,073 actas");
- ``full_turnout``: units at 100 % turnout ("2,000 precincts with 100% turnout");
- ``won_by``: units won by a candidate ("TPS won by Prabowo");
- ``subset``: any other qualified set ("412 polling stations were not counted",
  "6,588 TPS differ") — not computed, so unverifiable.

Region quantities: the number of top-level regions a candidate won ("won in 15 of 24
provinces", "in every state": ``regions_won``) and the number of regions (``regions``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import vocab
from .hedges import HEDGE_PHRASE

_UNIT_NOUN_EXTRA = ("actas", "acta", "tally sheets", "tally sheet", "tallies", "mesas", "tps", "uik", "uiks",
                    "precincts", "polling stations", "polling places", "ballot boxes", "voting tables", "machines")


@lru_cache(maxsize=None)
def _unit_noun() -> re.Pattern:
    words = set(vocab.phrases("quantity", "units")) | set(vocab.phrases("quantity", "units_extra")) | set(_UNIT_NOUN_EXTRA)
    return re.compile(r"^\s*(?:de\s+|of\s+|dari\s+)?(?:(?:the|las|los|as|os|all)\s+)?(?:\w++\s++){0,2}(?:"
                      + vocab.alternation(words) + r")(?![\w])")


@lru_cache(maxsize=None)
def _region_noun() -> re.Pattern:
    return re.compile(r"(?:" + vocab.alternation(vocab.phrases("quantity", "regions")) + r")(?![\w])")


@lru_cache(maxsize=None)
def _word_list(section: str, key: str) -> re.Pattern:
    return re.compile(r"^(?:" + vocab.alternation(vocab.phrases(section, key)) + r")(?![\w])")


#: nouns for what the election installed (tables, machines, polling stations), as opposed to the
#: documents a file holds (actas, tally sheets): a count of them is the authority's total of units
_INSTALLED = re.compile(r"\b(?:mesas|machines|maquinas|polling\s+stations|polling\s+places|precincts|tps|uiks?|"
                        r"tempat\s+pemungutan\s+suara|colegios\s+electorales|secoes|voting\s+tables|"
                        r"ballot\s+boxes|urnas)\b")

_FULL = re.compile(r"^[\s,]*(?:with|con|com|dengan|where|donde|onde|at|de|da|del)?\s*(?:a\s+|an\s+|una\s+|uma\s+)?"
                   r"(?:100\s*(?:%|percent|por\s*ciento|por\s*cento|persen)\s*(?:turnout|de\s+participacao|"
                   r"de\s+participacion|partisipasi)|(?:turnout|participacion|participacao|partisipasi)\s+"
                   r"(?:of|de|del|sebesar)?\s*(?:el\s+)?100\s*(?:%|percent|por\s*ciento|por\s*cento|persen))")
_WON_BY = re.compile(r"^[\s,]*(?:(?:that\s+were\s+|que\s+fueron\s+|que\s+foram\s+|yang\s+)?(?:won|carried|ganadas?|"
                     r"ganados?|vencidas?|ganhas?|dimenangkan|dimenangi)\s+(?:by|por|oleh)\b|"
                     r"(?:where|in\s+which|donde|en\s+(?:las|los)\s+que|onde|em\s+que|nas\s+quais|yang)\s+"
                     r"(?:[\w'.-]++\s++){0,2}(?:won|led|came\s+first|gano|se\s+impuso|venceu|ganhou|menang|unggul)\b)")
_WON_BEFORE = re.compile(r"(?:^|\W)(?:won|carried|took|gano|ganó|venceu|ganhou|menang|memenangkan|unggul\s+di)\s+"
                         r"(?:in\s+|en\s+|em\s+|di\s+)?$")


#: "of the", "de las", "dos", "dari total": the words before what a figure is a part or a share of
OF_WORDS = r"(?:of\s+(?:the\s+|all\s+)?|de\s+(?:las\s+|los\s+)?|del\s+|d[oa]s?\s+|dari\s+(?:total\s+)?)"
#: "… of 30,026", "dari 813.350", "de las 30.026": a total after a count
OF_A_TOTAL = re.compile(r"^\s*" + OF_WORDS + r"\d[\d.,]*+")


def unit_scope(f: str, start: int, end: int, sent_start: int, sent_end: int, lang: str,
               count: bool = True) -> tuple[str, str]:
    """(scope, why) of a count (``count``) or share of units at [start, end) in folded text ``f``."""
    after = f[end:min(sent_end, end + 120)]
    mn = _unit_noun().match(after)
    if not mn:
        tot = OF_A_TOTAL.match(after) if count else None
        if tot and _unit_noun().match(after[tot.end():]):
            # "405.611 dari 813.350 TPS", "24.000 de las 30.026 actas": a part of a total named after it ("83,5 %
            # de las 30.026 mesas" is a share of them all)
            return "subset", "a part of the total named after it"
        return "all", "no unit noun"
    installed = bool(_INSTALLED.search(mn.group(0)))
    if re.match(r"^\s*(?:de|of|dos|das|dari)\s+(?:sus|their|suas|seus|su|sua|seu)\s", after):
        # "más del 80 % de sus actas han sido verificadas": a part of somebody's own units, not of the file
        return "subset", "their own units (a possessive)"
    before = f[max(sent_start, start - 45):start]
    if _TOTAL_BEFORE.search(before):
        # "dari total 813.350 TPS yang tersebar di seluruh Indonesia", "the total of 30,026 mesas": the whole set
        return ("installed" if installed else "all"), "the total of the units"
    # "actas de escrutinio obtenidas por la oposición": the complement of the noun is part of the noun
    rest = _NOUN_COMPLEMENT.sub("", after[mn.end():], count=1)
    if _FULL.match(rest):
        return "full_turnout", "units at 100 % turnout"
    if _WON_BY.match(rest):
        return "won_by", "units won by a candidate"
    if _WON_BEFORE.search(f[max(sent_start, start - 30):start]):
        return "won_by", "units a candidate won"
    if _EXAMINED_BEFORE.search(before):
        return "subset", "units somebody examined (a sample)"
    before = f[max(sent_start, start - 30):start]
    if _RECEIVED_SO_FAR.search(before):
        return "subset", "units received so far (a count in progress)"
    bw = re.search(r"(?:^|\s)([a-z]+)\s+$", before)
    if bw and _word_list("scope", "subset_before").match(bw.group(1)):
        return "subset", f"qualified by '{bw.group(1)}'"
    head = rest.lstrip()
    if rest[:1] not in (",", ";", ")", ".") and head and _word_list("scope", "subset_after").match(head):
        w = head.split()[0]
        return "subset", f"qualified by '{w} …'"
    if re.match(r"^(?:\w++\s++){0,3}(?:not|no|nao|tidak|belum|sin|sem|without)\b", head) or \
            re.match(r"^(?:\w++\s++){0,8}?(?:yang|that|which|que|where|donde|onde)\s+(?:(?:still|aun|ainda|masih)\s+)?"
                     r"(?:not|no|nao|tidak|belum|have\s+not|had\s+not|did\s+not|has\s+not)\b", head):
        # "2.249 TPS di berbagai wilayah yang belum menggelar …": a relative clause that negates, later on
        return "subset", "a negated set"
    if installed:
        return "installed", f"'{mn.group(0).strip()}': the units the election had (the authority's total)"
    return "all", "every unit in the file"


#: "KPU sudah menerima 14.567 C1", "had already received 5,000 tally sheets": the documents in so far
_RECEIVED_SO_FAR = re.compile(r"(?:^|\W)(?:sudah|telah|baru|already|ya|ja)\s+(?:menerima|received|recibido|recibio|"
                              r"recebeu|recebido|masuk)\s+(?:(?:the|los|las|os|as)\s+)?$")
#: "of the total of", "dari total", "total TPS … sebanyak": the whole set of units
_TOTAL_BEFORE = re.compile(r"(?:^|\W)(?:(?:the\s+)?total|in\s+all|jumlah\s+seluruh|seluruh|semua|todas\s+las|"
                           r"todos\s+los|todas\s+as|todos\s+os|all(?:\s+the)?)\s+(?:of\s+|de\s+|dari\s+)?"
                           r"(?:(?:the|las|los|as|os)\s+)?$")
_NOUN_COMPLEMENT = re.compile(r"^\s*(?:de|do|da|of)\s+(?:escrutinio|votacion|votacao|voting|scrutiny|apuracao)\b")
#: "El Post analizó los datos de 23.720 actas", "after reviewing 23,000 tally sheets": the units somebody
#: examined, a sample of the set
_EXAMINED_BEFORE = re.compile(r"\b(?:analiz\w+|revis\w+|examin\w+|review\w*|analy[sz]\w+|studied|"
                              r"menganalisis|meneliti|memeriksa)\b(?!.*\b(?:all|todas|todos|seluruh|semua)\b)"
                              r"[^.;]{0,30}$")

#: after the region noun: "(lainnya) dikuasai …", "won by …", "ganados por …"
_WON_AFTER = re.compile(r"^(?:\S++\s++){1,2}?(?:dikuasai|dimenangkan|dimenangi|won\s+by|carried\s+by|ganad[oa]s\s+por|"
                        r"vencid[oa]s\s+por|ganh[oa]s\s+por|conquistad[oa]s\s+por)\b")

_OF_TOTAL = re.compile(r"^\s*(?:of|out\s+of|de|dos|das|de\s+los|de\s+las|dari)\s+(?:the\s+|los\s+|las\s+|os\s+|as\s+)?"
                       r"(\d{1,3})\s+")


def region_count(f: str, start: int, end: int, sent_start: int, sent_end: int, lang: str) -> tuple[str, str] | None:
    """("regions_won" | "regions", why) for "won in 15 of 24 provinces" / "24 states", else None."""
    after = f[end:min(sent_end, end + 60)]
    clause_before = f[max(sent_start, start - 60):start]
    mo = _OF_TOTAL.match(after)
    noun_at = mo.end() if mo else 0
    if not _region_noun().match(after[noun_at:].lstrip()) and not (mo is None and re.match(
            r"^\s*(?:of\s+the\s+|de\s+los\s+|de\s+las\s+|dos\s+|das\s+|dari\s+)?(?:\d{1,3}\s+)?", after)
            and _region_noun().match(re.sub(r"^\s*(?:of\s+the|de\s+los|de\s+las|dos|das|dari)?\s*(?:\d{1,3}\s+)?",
                                            "", after))):
        return None
    wa = _WON_AFTER.match(after.lstrip())
    if wa:
        # "13 provinsi lainnya dikuasai Prabowo", "12 states won by Maduro", "nine of the 13 regions won by
        # Prabowo": won by the name that follows
        return "regions_won", f"regions won ('{wa.group(0).strip()}')"
    prev = f[max(sent_start, start - 12):start]
    if re.search(r"(?:^|\W)(?:of|out\s+of|de|dos|das|dari)\s+(?:the\s+|los\s+|las\s+|os\s+|as\s+)?$", prev):
        return "regions", "the number of regions ('of N')"
    won = _won().search(clause_before)
    if won:
        return "regions_won", f"regions won ('{won.group(0).strip()}')"
    if mo:
        return None  # "in 15 of 24 provinces turnout …": a subset of regions, not a count the data names
    return "regions", "the number of regions"


@lru_cache(maxsize=None)
def _won() -> re.Pattern:
    return re.compile(r"(?:^|\W)(?:" + vocab.alternation(vocab.phrases("quantity", "won")) + r")(?![\w])")


@lru_cache(maxsize=None)
def _every() -> re.Pattern:
    return re.compile(r"(?<![\w])(?:" + vocab.alternation(vocab.phrases("scope", "every_region")) + r")(?![\w])")


def every_region(f_sent: str) -> list[tuple[int, int]]:
    """Spans of "in every state", "en todos los estados", "di semua provinsi" preceded by a 'won' word."""
    out = []
    won = _won()
    for m in _every().finditer(f_sent):
        if won.search(f_sent[max(0, m.start() - 60):m.start()]):
            out.append((m.start(), m.end()))
    return out


@lru_cache(maxsize=None)
def _levels() -> tuple[re.Pattern, dict[str, str]]:
    table = vocab.table("levels")
    return re.compile(r"^\s*(?:" + vocab.alternation(table) + r")(?![\w/])"), table


def level_noun(f: str, end: int, sent_end: int, hierarchy: tuple[str, ...]) -> str | None:
    """The hierarchy level a count names ("514 kabupaten/kota" → ``kabkota``, "335 municipios" →
    ``municipality``), when it is below the top level of ``hierarchy`` (the top level is ``regions``).
    A level noun the tally has no column for still names a level: the data cannot count it (unverifiable)."""
    rx, table = _levels()
    mo = rx.match(f[end:min(sent_end, end + 40)])
    if not mo:
        return None
    lvl = table.get(" ".join(mo.group(0).split()))
    if lvl is None or (hierarchy and lvl == hierarchy[0]):
        return None
    if lvl not in hierarchy and lvl in ("state", "province", "region"):
        return None  # a top-level word for a tally whose top level is named otherwise: regions
    return lvl


#: "de acuerdo con el 73,2 % de las actas", "conforme as atas em mãos", "según esa cantidad de actas":
#: results read from part of the tally sheets (the subset is not identified in any data)
_PARTIAL_BASIS = re.compile(
    r"(?:^|\W)(?:de\s+acuerdo\s+con|segun|conforme|according\s+to|based\s+on|on\s+the\s+basis\s+of|"
    r"com\s+base\s+(?:n[ao]s?|em)|con\s+base\s+en|sobre\s+la\s+base\s+de|a\s+partir\s+de|berdasarkan|berasal\s+dari|"
    r"segundo|from)\s+"
    r"(?:(?:el|la|las|los|a|as|o|os|the|esa|esas|essa|essas|this|these|those|that)\s+)?"
    r"(?:(?P<pct>\d{1,3}(?:[.,]\d{1,2})?)\s*(?:%|por\s+ciento|por\s+cento|percent|persen)\s+"
    r"(?:de\s+las\s+|de\s+los\s+|das\s+|dos\s+|of\s+the\s+|of\s+|dari\s+)?|"
    r"(?P<qty>cantidad|quantidade|number|jumlah)\s+(?:de\s+|of\s+)?|"
    r"(?P<cnt>\d[\d.,]*+)\s+)?"
    r"(?:actas|atas|tally\s+sheets|formulir\s+c1|mesas|tps|tempat\s+pemungutan\s+suara|polling\s+stations|"
    r"precincts)\b(?P<rest>[^.;]{0,30})")
_PARTIAL_REST = re.compile(r"^\s*(?:\([^)]{0,200}\)\s*)?(?:em\s+maos|in\s+hand|at\s+hand|en\s+mano|en\s+su\s+poder|"
                           r"recolectadas|recogidas|collected\s+so\s+far|so\s+far|hasta\s+ahora|ate\s+agora|"
                           r"que\s+tiene|que\s+tienen|disponibles|available)\b")


#: "they have obtained more than 70% of tally sheets … that show González winning", "we have 73.2% of the
#: registries", "la oposición tiene el 40 % de las actas": a part of the tally sheets someone holds, which
#: the sentence's results come from (the subset is not identified in any data)
_PARTIAL_HELD = re.compile(
    r"(?:^|\W)(?:obtained|compiled|collected|gathered|received|have|has|had|holds?|held|"
    r"obtuvo|obtuvieron|tiene|tienen|cuenta\s+con|cuentan\s+con|recopilo|recopilaron|recibio|reunio|"
    r"obteve|obtiveram|tem|tinha|reuniu|recebeu|possui|memiliki|mengumpulkan|menerima|mengantongi)\s+"
    r"(?:" + HEDGE_PHRASE + r"\s+)?(?:el\s+|o\s+)?"
    r"(?:(?P<pct>\d{1,3}(?:[.,]\d{1,2})?)\s*(?:%|por\s+ciento|por\s+cento|percent|persen)|"
    r"(?P<most>(?:a\s+|la\s+)?(?:maioria|mayoria|most|sebagian\s+besar)))\s+"
    r"(?:de\s+las\s+|de\s+los\s+|das\s+|dos\s+|of\s+the\s+|of\s+|dari\s+)?"
    r"(?:(?:official|final|oficiales|oficiais)\s+)?"
    r"(?:actas|atas|tally\s+sheets|registries|printouts|vote\s+counts|boletins|boletines|formulir\s+c1)\b")


#: "cuentan con más del 40 % de las actas …, según las cuales X obtuvo …": the basis named by a relative
#: pronoun whose antecedent is a part of the tally sheets
_PARTIAL_RELATIVE = re.compile(
    r"(?P<pct>\d{1,3}(?:[.,]\d{1,2})?)\s*(?:%|por\s+ciento|por\s+cento|percent|persen)\s+"
    r"(?:de\s+las\s+|das\s+|of\s+the\s+|dari\s+)?(?:actas|atas|tally\s+sheets|formulir\s+c1)\b[^.;]{0,80}?"
    r"(?P<rel>segun|de\s+acuerdo\s+con|conforme|segundo|according\s+to|berdasarkan)\s+"
    r"(?:las\s+cuales|los\s+cuales|as\s+quais|os\s+quais|which|yang)\b")


#: "De ellas, González obtuvo …", "Delas, …": a feminine partitive pronoun opening the sentence takes a part of
#: the set of documents (actas, mesas, atas, urnas) the previous sentence counted — voters are masculine
_PARTITIVE = re.compile(r"^\W*(?:de\s+ellas|de\s+estas|de\s+esas|delas|dessas|destas)\b")


#: "Em uma das mesas analisadas, …", "in one of the polling stations", "di salah satu TPS": the results of
#: one unit, which no file names
_ONE_OF = re.compile(r"(?:^|\W)(?:in|at|en|em|di|na|no|para)\s+(?:one\s+of\s+the|una\s+de\s+las|uno\s+de\s+los|"
                     r"uma\s+das|um\s+dos|salah\s+satu)\s+(?:\w+\s+)?(?:actas|atas|mesas|urnas|secoes|tps|uiks?|"
                     r"polling\s+stations|precincts|tally\s+sheets|voting\s+tables|ballot\s+boxes|"
                     r"centros\s+de\s+votacion|tempat\s+pemungutan\s+suara)\b")


def partial_basis(f_sent: str) -> tuple[int, int] | None:
    """Span of the words saying a sentence's results come from part of the tally sheets, or None.
    "according to the actas" alone is the whole set (the opposition's file is those actas)."""
    mo = _PARTITIVE.match(f_sent) or _ONE_OF.search(f_sent)
    if mo:
        return mo.start(), mo.end()
    for mo in _PARTIAL_HELD.finditer(f_sent):
        if mo.group("most"):  # "a maioria das atas": most, not all
            return mo.start("most"), mo.end()
        if float(mo.group("pct").replace(",", ".")) < 100:
            return mo.start("pct"), mo.end()
    for mo in _PARTIAL_RELATIVE.finditer(f_sent):
        if float(mo.group("pct").replace(",", ".")) < 100:
            return mo.start("rel"), mo.end()
    for mo in _PARTIAL_BASIS.finditer(f_sent):
        pct = mo.group("pct")
        span = (mo.start(), mo.start("rest"))
        if pct and float(pct.replace(",", ".")) < 100:
            return span
        if mo.group("cnt"):  # "sobre la base de 7737 actas", "berasal dari 320.000 TPS": a counted part
            return span
        if mo.group("qty") and re.search(r"(?:esa|essa|that|this|esta|essa)\s+$", f_sent[:mo.start("qty")]):
            return span
        rest = _PARTIAL_REST.match(mo.group("rest"))
        if rest:
            return mo.start(), mo.start("rest") + rest.end()
    return None


#: "Dari 29 provinsi itu", "of those 29 provinces", "de las 29 provincias", "das 29 províncias": a set of
#: regions named before, counted from
_OF_THOSE = re.compile(r"(?:^|\W)(?:of\s+(?:the\s+|those\s+|these\s+)?|out\s+of\s+(?:the\s+)?|de\s+(?:las\s+|los\s+)?|"
                       r"d[oa]s\s+|dari\s+)(?P<n>\d{1,3})\s+")


@lru_cache(maxsize=None)
def _so_far(lang: str) -> re.Pattern:
    return vocab.phrase_pattern("scope", "regions_so_far", lang)


def regions_subset(f_sent: str, start: int, end: int, lang: str, total: int | None) -> str | None:
    """Why a count of regions (or of regions won) at [start, end) is about part of the regions, or None:
    regions done so far in a count still going ("27 provinsi yang telah selesai direkap"), or counted out
    of a set smaller than all regions ("Dari 29 provinsi itu, Jokowi unggul di 18")."""
    so_far = _so_far(lang).search(f_sent)
    if so_far:
        return f"regions done so far ('{so_far.group(0)}')"
    if total:
        for mo in _OF_THOSE.finditer(f_sent):
            if mo.start("n") == start:
                # the number itself: "Dari 29 provinsi itu", "of those 29 provinces" refer back to a set
                # named before (a subset when it is not all of them)
                if re.search(r"(?:those|these)\s+$", f_sent[:start]) or re.match(
                        r"\s*\w+\s+(?:itu|tersebut|ini)\b", f_sent[end:end + 30]):
                    return "the regions named in an earlier sentence"
                continue
            n = int(mo.group("n"))
            if n < total and _region_noun().match(f_sent[mo.end():mo.end() + 30]):
                return f"counted out of {n} of the {total} regions"
    return None
