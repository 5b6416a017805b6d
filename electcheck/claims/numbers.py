"""Numbers as newspapers write them, in English and Spanish, with their offsets.

Digits are read with Babel's locale rules (``babel.numbers.parse_decimal``)
once the separators are known; number words with text2num. This module wraps
their gaps: scale words after digits ("7,3 millones", "7.3 million", "$15m"),
"medio millón", "mil millones", Spanish "billón" (10^12), "por ciento",
percentage points, and the ambiguous "7.300" (read both ways).

Stated precision (DESIGN.md): the place value of the last significant digit
written. Trailing zeros of integers are not significant for counts ("2,400"
→ 100); percentages and points written as integers have precision 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal
from text_to_num import text2num

from .text import fold

SCALES = {
    "mil millones": 10**9, "millardos": 10**9, "millardo": 10**9,
    "billones": 10**12, "billon": 10**12,  # Spanish long scale
    "millones": 10**6, "millon": 10**6, "million": 10**6, "millions": 10**6,
    "billion": 10**9, "billions": 10**9, "trillion": 10**12,
    "thousand": 10**3, "thousands": 10**3, "mil": 10**3,
    "m": 10**6, "mn": 10**6, "bn": 10**9, "k": 10**3,
}
# Spanish "billón" is 10^12, English "billion" 10^9: never mix them up.

_SCALE_RE = re.compile(
    r"\s*(mil\s+millones|millardos?|billones|billon|millones|millon|millions?|billions?|trillion|"
    r"thousands?|mil)\b(?:\s+de)?")
_SUFFIX_SCALE = re.compile(r"(mn|bn|m|k)\b")
_UNIT_RE = re.compile(
    r"\s*(?:(?P<points>percentage[\s-]+points?|puntos?\s+porcentuales|points?|puntos?|pp\b|p\.\s?p\.)"
    r"|(?P<percent>%|por\s*ciento|-?percent\b|per\s+cent\b|pct\b))")
_CUR_BEFORE = re.compile(r"(us\$|u\$s|\$|usd\s?|€|eur\s|£|bs\.?\s?|rp\.?\s?)\s*$")
_CUR_AFTER = re.compile(r"\s*(?:de\s+)?(dollars?|dolares|dolar|euros?|bolivares|bolivars|usd|rupiah|rubles|roubles|rublos|pesos)\b")
_NUM_RE = re.compile(
    r"(?<![\w.,/:@#-])(\d{1,3}(?:([.,\u00a0\u202f])\d{3})(?:\2\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?=(?:mn|bn|m|k)\b|[^\w]|$)(?![.,]\d)")

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
           "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre")
_DATE_RES = [
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"), "date"),
    (re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"), "date"),
    (re.compile(r"\b\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:am|pm|a\.m\.|p\.m\.|hrs?|horas))?"), "time"),
    (re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"), "date"),
    (re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th|º|°)?\s+(?:de\s+)?(?:of\s+)?(?:{_MONTHS})\b(?:,?\s+(?:de(?:l)?\s+)?\d{{4}}\b)?"), "date"),
    (re.compile(rf"\b(?:{_MONTHS})\s+(?:de(?:l)?\s+|of\s+)?\d{{4}}\b"), "date"),
    (re.compile(r"\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)"), "time"),
]
_YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d)$")

_EN_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
             "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
             "ninety hundred thousand million millions billion").split()
_ES_WORDS = ("cero uno un una dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
             "dieciseis diecisiete dieciocho diecinueve veinte veintiun veintiuno veintidos veintitres "
             "veinticuatro veinticinco veintiseis veintisiete veintiocho veintinueve treinta cuarenta "
             "cincuenta sesenta setenta ochenta noventa cien ciento doscientos doscientas trescientos "
             "trescientas cuatrocientos cuatrocientas quinientos quinientas seiscientos seiscientas "
             "setecientos setecientas ochocientos ochocientas novecientos novecientas mil millon millones").split()
_CONNECT = {"en": {"and", "-"}, "es": {"y"}}
_SCALE_WORDS = {"hundred", "thousand", "million", "millions", "billion", "mil", "millon", "millones"}
_WORD_RE = re.compile(r"[a-z]+|-")
_HALF_RE = re.compile(r"\b(medio\s+millon|half\s+a\s+million|un\s+millon\s+y\s+medio|"
                      r"(?:a\s+)?million\s+and\s+a\s+half)\b")
_ONE_SCALE_RE = re.compile(r"\b(?:un|one|a)\s+(billones|billon|millardo|millon|million|billion)\b")
#: "3 millones 316 mil 142", "6 millones 408 mil 844 votos": a count written with Spanish scale words
_COMPOUND_ES = re.compile(r"(?<![\w.,])(\d{1,3})\s+millon(?:es)?\s+(\d{1,3})\s+mil(?:\s+(\d{1,3}))?(?![\w.,]\d)")
_RATIO_RE = re.compile(r"\b(twice|double|doble|duplica\w*|triple|triplica\w*|tres\s+veces|three\s+times|"
                       r"two\s+times|dos\s+veces)\b")
_RATIO_VALUES = {"twice": 2, "double": 2, "doble": 2, "triple": 3, "tres veces": 3, "three times": 3,
                 "two times": 2, "dos veces": 2}


@dataclass(frozen=True)
class Reading:
    """One way to read a written number."""

    value: float  # in the mention's unit: votes, or percent for % and points
    precision: float
    how: str = ""  # e.g. "'.' as thousands separator"


@dataclass
class Mention:
    """A number found in text. ``kind`` is 'number', 'date', 'time' or 'year'."""

    start: int
    end: int
    text: str
    readings: tuple[Reading, ...] = ()
    unit: str = "count"  # count | percent | points | money | ratio
    kind: str = "number"
    currency: str | None = None
    words: bool = False
    scale: int = 1
    extra: dict = field(default_factory=dict)

    @property
    def value(self) -> float:
        return self.readings[0].value

    @property
    def precision(self) -> float:
        return self.readings[0].precision


def _dec_precision(frac_digits: int) -> Decimal:
    return Decimal(1).scaleb(-frac_digits)


def _int_precision(n: int) -> Decimal:
    if n == 0:
        return Decimal(1)
    z = 0
    while n % 10 == 0:
        n //= 10
        z += 1
    return Decimal(10) ** z


def read_digits(s: str, lang: str) -> list[tuple[Decimal, Decimal, str]]:
    """Readings (value, precision of the digits, how) of a digit string.

    Precision here treats integer trailing zeros as not significant; callers
    override for percentages.
    """
    seps = [c for c in s if not c.isdigit()]
    if not seps:
        return [(Decimal(s), _int_precision(int(s)), "")]
    kinds = set(seps)
    if len(kinds) == 2 or (len(seps) > 1 and len(kinds) == 1 and s.rfind(seps[-1]) != len(s) - 4):
        dec = seps[-1]
        group = next(c for c in seps if c != dec) if len(kinds) == 2 else None
        loc = "en" if dec == "." else "es"
        plain = s.replace(group, "") if group else s
        val = _parse(plain, loc)
        frac = len(s) - s.rfind(dec) - 1
        return [(val, _dec_precision(frac), f"'{dec}' as decimal mark")]
    sep = seps[0]
    if sep in "\u00a0\u202f" or len(seps) > 1:
        val = Decimal(s.replace(sep, ""))
        return [(val, _int_precision(int(val)), f"'{sep}' as thousands separator")]
    frac = len(s) - s.index(sep) - 1
    as_decimal = (_parse(s, "en" if sep == "." else "es"), _dec_precision(frac), f"'{sep}' as decimal mark")
    if frac != 3:
        return [as_decimal]
    grouped = Decimal(s.replace(sep, ""))
    as_group = (grouped, _int_precision(int(grouped)), f"'{sep}' as thousands separator")
    decimal_mark = "." if lang == "en" else ","
    if sep != decimal_mark:
        return [as_group]  # the language's own grouping mark: unambiguous
    return [as_decimal, as_group]  # "7.300" in English text: read both ways


def _parse(s: str, loc: str) -> Decimal:
    try:
        return parse_decimal(s, locale="en_US" if loc == "en" else "es_VE", strict=False)
    except NumberFormatError:  # pragma: no cover - regex guarantees digits
        return Decimal(s.replace(",", "").replace(".", ""))


def _date_spans(ftext: str) -> list[tuple[int, int, str]]:
    spans = []
    for rx, kind in _DATE_RES:
        spans += [(m.start(), m.end(), kind) for m in rx.finditer(ftext)]
    return spans


def _inside(spans, a: int, b: int):
    for s, e, k in spans:
        if s <= a and b <= e:
            return s, e, k
    return None


def _tail(ftext: str, pos: int, m: Mention, lang: str) -> int:
    """Read scale, unit and currency after the digits/words; return new end."""
    end = pos
    ms = _SCALE_RE.match(ftext, end)
    if ms and m.scale == 1:
        word = " ".join(ms.group(1).split())
        scale = SCALES[word]
        if word == "mil" and lang == "en":
            scale = 0
        if scale:
            m.scale = scale
            end = ms.end(1)
            if ftext[end:end + 2] == "es" and word == "millon":
                end += 2
    mu = _UNIT_RE.match(ftext, end)
    if mu:
        m.unit = "points" if mu.group("points") else "percent"
        # "points" alone is only points after a number; guard "25 points of the plan": accepted
        end = mu.end()
    else:
        mc = _CUR_AFTER.match(ftext, end)
        if mc:
            m.unit, m.currency = "money", mc.group(1)
            end = mc.end()
    return end


def extract(text: str, lang: str = "en", base: int = 0, ftext: str | None = None) -> list[Mention]:
    """All numbers in ``text`` (dates, times and years included, with their kind).

    ``base`` is added to every offset (for sentences inside a document).
    """
    f = ftext if ftext is not None else fold(text)
    dates = _date_spans(f)
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    dates_taken = {(s, e) for s, e, _ in dates}

    # "medio millón", "half a million"
    for mh in _HALF_RE.finditer(f):
        val = 1_500_000 if "y medio" in mh.group(1) or "half" in mh.group(1) and "and" in mh.group(1) else 500_000
        m = Mention(mh.start(), mh.end(), text[mh.start():mh.end()], (Reading(val, 100_000, "words"),),
                    words=True, scale=10**6)
        m.end = _tail(f, mh.end(), m, lang)
        m.scale = 10**6
        m.text = text[m.start:m.end]
        out.append(m)
        taken.append((m.start, m.end))

    for mc in _COMPOUND_ES.finditer(f):
        if any(s <= mc.start() < e for s, e in taken):
            continue
        val = int(mc.group(1)) * 10**6 + int(mc.group(2)) * 10**3 + int(mc.group(3) or 0)
        m = Mention(mc.start(), mc.end(), "", (Reading(float(val), float(_int_precision(val)), "scale words"),),
                    words=True)
        m.end = _tail(f, mc.end(), m, lang)
        m.scale = 1
        m.text = text[m.start:m.end]
        out.append(m)
        taken.append((m.start, m.end))

    for mo in _ONE_SCALE_RE.finditer(f):
        m = Mention(mo.start(), mo.end(), "", (), words=True, scale=SCALES[mo.group(1)])
        m.readings = (Reading(float(m.scale), float(m.scale), "words"),)
        m.end = _tail(f, mo.end(), m, lang)
        m.text = text[m.start:m.end]
        out.append(m)
        taken.append((m.start, m.end))

    for md in _NUM_RE.finditer(f):
        a, b = md.start(1), md.end(1)
        if any(s <= a < e for s, e in taken if (s, e) not in dates_taken):
            continue
        digits = text[a:b]
        span = _inside(dates, a, b)
        if span:
            ds, de, kind = span
            if (ds, de) not in taken:
                out.append(Mention(ds, de, text[ds:de], (), kind=kind))
                taken.append((ds, de))
            continue
        m = Mention(a, b, digits)
        end = b
        ss = _SUFFIX_SCALE.match(f, b)
        if not ss and text[b:b + 2] == " M" and (b + 2 == len(text) or not text[b + 2].isalpha()):
            ss = _SUFFIX_SCALE.match(f, b + 1)
        if ss:
            m.scale = SCALES[ss.group(1)]
            end = ss.end()
        end = _tail(f, end, m, lang)
        cb = _CUR_BEFORE.search(f[max(0, a - 6):a])
        start = a
        if cb:
            m.unit, m.currency = "money", cb.group(1).strip()
            start = a - (len(f[max(0, a - 6):a]) - cb.start())
        readings = []
        for val, prec, how in read_digits(digits, lang):
            if m.unit in ("percent", "points") and prec > 1 and val == val.to_integral_value():
                prec = Decimal(1)
            if m.scale != 1:
                # precision of "7.3 million" is 0.1 million; "8 million" is 1 million
                readings.append(Reading(float(val * m.scale), float(prec * m.scale), how))
            else:
                readings.append(Reading(float(val), float(prec), how))
        m.readings = tuple(readings)
        m.start, m.end = start, end
        m.text = text[start:end]
        if (m.unit == "count" and m.scale == 1 and _YEAR_RE.match(digits)
                and not _count_noun_follows(f, end)):
            m.kind = "year"
        out.append(m)
        taken.append((start, end))

    out += _word_numbers(text, f, lang, taken, dates)
    out += _ratio_words(text, f, taken)
    out.sort(key=lambda m: m.start)
    for m in out:
        m.start += base
        m.end += base
    return out


_COUNT_NOUNS = re.compile(r"\s*(?:valid\s+|null\s+|invalid\s+)?(votes|votos|sufragios|ballots|boletas|papeletas|"
                          r"voters|votantes|electores|electors|actas|tally|tallies|mesas|polling|precincts|"
                          r"stations|tps|uik)\b")


def _count_noun_follows(f: str, end: int) -> bool:
    return bool(_COUNT_NOUNS.match(f, end))


def _word_numbers(text: str, f: str, lang: str, taken, dates) -> list[Mention]:
    vocab = set(_EN_WORDS if lang == "en" else _ES_WORDS)
    connect = _CONNECT[lang]
    toks = [(m.start(), m.end(), m.group(0)) for m in _WORD_RE.finditer(f)]
    out = []
    i = 0
    while i < len(toks):
        s, e, w = toks[i]
        if w not in vocab or any(a <= s < b for a, b in taken):
            i += 1
            continue
        j = i
        last = i
        while j + 1 < len(toks):
            nxt = toks[j + 1]
            gap = f[toks[j][1]:nxt[0]]
            if gap.strip() not in ("", "-") or "\n" in gap:
                break
            if nxt[2] in vocab:
                j += 1
                last = j
            elif nxt[2] in connect and j + 2 < len(toks) and toks[j + 2][2] in vocab:
                j += 1
            else:
                break
        words = [t[2] for t in toks[i:last + 1]]
        span_a, span_b = toks[i][0], toks[last][1]
        i = last + 1
        if len(words) == 1 and words[0] in ("one", "un", "una", "uno", "cero", "zero"):
            continue
        if len(words) == 1 and words[0] in _SCALE_WORDS:
            continue  # "millions of", "mil" alone
        phrase = text[span_a:span_b]
        try:
            val = text2num(phrase, lang)
        except ValueError:
            continue
        scale = 1
        mb = re.match(r"\s+(billones|billon|millardos?)\b", f[span_b:])
        if mb:
            scale = SCALES[mb.group(1)]
            span_b += mb.end(1)
            val *= scale
        m = Mention(span_a, span_b, phrase, (Reading(float(val), float(_int_precision(int(val))), "words"),),
                    words=True)
        if words[-1] in _SCALE_WORDS and words[-1] != "hundred":
            m.scale = SCALES.get(words[-1], 1)
        end = _tail(f, span_b, m, lang)
        if m.unit in ("percent", "points"):
            m.readings = (Reading(float(val), 1.0, "words"),)
        m.end = end
        m.text = text[span_a:end]
        out.append(m)
        taken.append((span_a, end))
    return out


def _ratio_words(text: str, f: str, taken) -> list[Mention]:
    out = []
    for mr in _RATIO_RE.finditer(f):
        if any(a <= mr.start() < b for a, b in taken):
            continue
        w = " ".join(mr.group(1).split())
        val = _RATIO_VALUES.get(w)
        if val is None:
            val = 3 if w.startswith("tripl") else 2
        out.append(Mention(mr.start(), mr.end(), text[mr.start():mr.end()], (Reading(float(val), 1.0, "words"),),
                           unit="ratio", words=True))
    return out
