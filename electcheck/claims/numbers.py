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

from . import vocab
from .text import fold

#: scale words of every language (vocab files, ``[scales]``) plus the abbreviations written after digits
SCALES: dict[str, int] = {**{k: int(v) for k, v in vocab.table("scales").items()},
                          "m": 10**6, "mn": 10**6, "bn": 10**9, "k": 10**3}
# Spanish "billón" is 10^12, English "billion" and Portuguese "bilhão" 10^9: never mix them up.
#: the longest digit string read as a number; longer runs are listed as skipped ("too-long")
MAX_DIGITS = 24

_SCALE_RE = re.compile(r"\s*(" + vocab.alternation(vocab.table("scales")) + r")\b(?:\s+(?:de|d[oa]s?))?")
_SUFFIX_SCALE = re.compile(r"(mn|bn|m|k)\b")
#: a stray full stop right before "%" ("1.36.%") is a typo, not the end of a sentence
_UNIT_RE = re.compile(
    r"(?:\.(?=%))?\s*(?:(?P<points>percentage-points?|" + vocab.alternation(vocab.phrases("units", "points")) +
    r"|p\.\s?p\.|pp)(?![\w])"
    r"|(?P<percent>%|-?(?:" + vocab.alternation(vocab.phrases("units", "percent")) + r")(?![\w])))")
_CUR_BEFORE = re.compile(r"(us\$|u\$s|r\$|\$|usd\s?|€|eur\s|£|bs\.?\s?|rp\.?\s?)\s*$")
_CUR_AFTER = re.compile(r"\s*(?:de\s+)?(dollars?|dolares|dolar|euros?|bolivares|bolivars|usd|rupiah|rubles|roubles|rublos|pesos|reais|rublo)\b")
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
    # Indonesian times are written with a dot: "pukul 08.45 WIB"
    (re.compile(r"\b(?:pukul|jam)\s+\d{1,2}[.:]\d{2}\b"), "time"),
]
_CLOCK_ZONE = re.compile(r"^\s*(?:gmt|utc|wib|wita|wit|msk|hrs|hours|horas|local\s+time|hora\s+local|moscow\s+time)\b")
_YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d)$")

_WORD_RE = re.compile(r"[a-z]+|-")
_HALF_RE = re.compile(r"\b(medio\s+millon|half\s+a\s+million|un\s+millon\s+y\s+medio|"
                      r"(?:a\s+)?million\s+and\s+a\s+half)\b")
_ONE_SCALE_RE = re.compile(r"\b(?:un|one|a)\s+(billones|billon|millardo|millon|million|billion)\b")
#: "3 millones 316 mil 142", "6 millones 408 mil 844 votos": a count written with Spanish scale words
#: and in English, "3 million 768 thousand and 470"
_COMPOUND_ES = re.compile(r"(?<![\w.,])(\d{1,3})\s+(?:millon(?:es)?|million)\s+(\d{1,3})\s+(?:mil|thousand)"
                          r"(?:\s+(?:and\s+|y\s+)?(\d{1,3}))?(?![\w.,]\d)")
_RATIO_RE = re.compile(r"(?<![\w])(" + vocab.alternation(vocab.table("ratios")) + r")(?![\w])")
_RATIO_VALUES = vocab.table("ratios")
#: "two-thirds of", "dos tercios de", "dois terços dos", "dua pertiga dari": a share written as a fraction
_FRACTION_RE = re.compile(r"(?<![\w])(" + vocab.alternation(vocab.table("fractions")) +
                          r")(?:(?=\s+(?:of|de|del|dos|das|do|da|dari)\b)"
                          # Indonesian puts the noun right after the fraction: "sepertiga populasi"
                          r"|(?<=pertiga)(?=\s+[a-z])|(?<=perempat)(?=\s+[a-z])|(?<=setengah)(?=\s+[a-z])"
                          r"|(?<=separuh)(?=\s+[a-z]))")
_FRACTIONS = vocab.table("fractions")
#: "12, 345, 678": a count with ", " between its groups, as published (a typo kept by the press)
_SPACED_GROUPS = re.compile(r"(?<![\w.,])\d{1,3}(?:, \d{3}){2,}(?![\d])|(?<![\w.,])\d{1,3}(?:\. \d{3}){2,}(?![\d])")
#: "51. 20 %": a percentage with a stray space after its decimal mark, as published
_SPACED_DECIMAL = re.compile(r"(?<![\w.,])(\d{1,2})[.,] (\d{1,2})(?=\s?(?:%|por\s?ciento|por\s?cento|percent|per\s?cent|persen))")
_RANGE_OPEN = re.compile(r"(?:^|\W)(" + vocab.alternation(vocab.phrases("ranges", "open")) + r")\s+(?:the\s+|el\s+|la\s+|os\s+|as\s+|los\s+|las\s+)?$")
#: "na casa dos 60%" (in the sixties): the decade from X, read as the range X to X + 10
_DECADE = vocab.phrases("ranges", "decade")
_RANGE_DECADE = re.compile(r"(?:^|\W)(?:" + vocab.alternation(_DECADE) + r")\s+$") if _DECADE else None
_RANGE_JOIN = re.compile(r"^\s*(?:%|percent|por\s+ciento|por\s+cento|persen)?\s*(?:" +
                         vocab.alternation(vocab.phrases("ranges", "join")) + r")\s+$")


@dataclass(frozen=True)
class Reading:
    """One way to read a written number."""

    value: float  # in the mention's unit: votes, or percent for % and points
    precision: float
    how: str = ""  # e.g. "'.' as thousands separator"
    high: float | None = None  # upper end of a range ("between 65 and 70 percent")


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

    for mg in _SPACED_GROUPS.finditer(f):  # "12, 345, 678" as published
        if any(s <= mg.start() < e for s, e in taken):
            continue
        val = int(mg.group(0).replace(", ", "").replace(". ", ""))
        m = Mention(mg.start(), mg.end(), "", (Reading(float(val), float(_int_precision(val)),
                                                       "'%s' between groups, as published" % mg.group(0)[-5:-3]),))
        m.end = _tail(f, mg.end(), m, lang)
        if m.scale != 1:
            continue  # "1, 234, 567 million" is not a grouped count
        m.text = text[m.start:m.end]
        out.append(m)
        taken.append((m.start, m.end))

    for md in _SPACED_DECIMAL.finditer(f):  # "51. 20 %" as published
        if any(s <= md.start() < e for s, e in taken):
            continue
        frac = md.group(2)
        val = float(f"{md.group(1)}.{frac}")
        m = Mention(md.start(), md.end(), "", (Reading(val, 10.0 ** -len(frac), "a stray space after the decimal "
                                                                               "mark, as published"),))
        m.end = _tail(f, md.end(), m, lang)
        if m.unit != "percent":
            continue
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
        if sum(c.isdigit() for c in digits) > MAX_DIGITS:
            out.append(Mention(a, b, digits if b - a <= 40 else digits[:37] + "…", (), kind="too-long"))
            taken.append((a, b))
            continue
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
        rd = read_digits(digits, lang)
        if m.scale >= 10**6 and len(rd) == 1 and re.fullmatch(r"\d{1,3}[.,]\d{3}", digits):
            # "45,602 million", "49.563 millones": a decimal comma or point before a scale word is as
            # common in translated copy as a group of thousands of millions: read both ways
            rd = read_digits(digits, "es" if "," in digits else "en")
            if len(rd) == 1:
                sep = "," if "," in digits else "."
                rd = [(_parse(digits, "es" if sep == "," else "en"), Decimal("0.001"), f"'{sep}' as decimal mark"),
                      *rd]
        stray = None
        if m.scale != 1 and len(rd) == 1 and (re.fullmatch(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})++", digits) or
                                             (m.scale == 1000 and re.fullmatch(r"\d{1,3}[.,]\d{3}", digits))):
            # "2.809.393 juta suara", "691.802 ribu suara": a count written out to the vote with a scale word
            # after it, a slip as published; read both ways (no one writes 2.8 trillion votes)
            stray = rd[0]
        for val, prec, how in rd:
            if m.unit in ("percent", "points") and prec > 1 and val == val.to_integral_value():
                prec = Decimal(1)
            if m.scale != 1:
                # precision of "7.3 million" is 0.1 million; "8 million" is 1 million
                readings.append(Reading(float(val * m.scale), float(prec * m.scale), how))
            else:
                readings.append(Reading(float(val), float(prec), how))
        if stray is not None:
            val, prec, _ = stray
            readings.append(Reading(float(val), float(prec), "the scale word read as a slip after a count written in full"))
        m.readings = tuple(readings)
        m.start, m.end = start, end
        m.text = text[start:end]
        if (m.unit == "count" and m.scale == 1 and _YEAR_RE.match(digits)
                and not _count_noun_follows(f, end)):
            # "at 1800 GMT", "pukul 1400 WIB": a time of day written without a colon, not a year
            m.kind = "time" if _CLOCK_ZONE.match(f[end:end + 16]) else "year"
        out.append(m)
        taken.append((start, end))

    out += _fraction_words(text, f, taken)
    out += _ratio_words(text, f, taken)
    out += _word_numbers(text, f, lang, taken, dates)
    out.sort(key=lambda m: m.start)
    out = _ranges(out, f)
    for m in out:
        if m.extra.get("range"):
            m.text = text[m.start:m.end]
    for m in out:
        m.start += base
        m.end += base
    return out


_COUNT_NOUNS = re.compile(r"\s*(?:valid\s+|null\s+|invalid\s+)?(votes|votos|sufragios|ballots|boletas|papeletas|"
                          r"voters|votantes|electores|electors|actas|tally|tallies|mesas|polling|precincts|"
                          r"stations|tps|uik|suara|pemilih|eleitores|secoes|urnas)\b")


def _count_noun_follows(f: str, end: int) -> bool:
    return bool(_COUNT_NOUNS.match(f, end))


def _word_numbers(text: str, f: str, lang: str, taken, dates) -> list[Mention]:
    nw = vocab.raw(lang).get("number_words", {})
    if lang == "id":
        words_vocab = set(nw.get("units", {})) | set(nw.get("words", {}).values()) | set(vocab.table("scales", "id"))
        connect: set[str] = set()
        scale_words = set(vocab.table("scales", "id"))
    else:
        words_vocab = {vocab._fold_phrase(w) for w in nw.get("words", [])}
        connect = set(nw.get("connect", []))
        scale_words = {vocab._fold_phrase(w) for w in nw.get("scale_words", [])}
    toks = [(m.start(), m.end(), m.group(0)) for m in _WORD_RE.finditer(f)]
    out = []
    i = 0
    while i < len(toks):
        s, e, w = toks[i]
        if w not in words_vocab or any(a <= s < b for a, b in taken):
            i += 1
            continue
        j = i
        last = i
        while j + 1 < len(toks) and last - i < 12:  # a number in words has at most a dozen words
            nxt = toks[j + 1]
            gap = f[toks[j][1]:nxt[0]]
            if gap.strip() not in ("", "-") or "\n" in gap:
                break
            if nxt[2] in words_vocab:
                j += 1
                last = j
            elif nxt[2] in connect and j + 2 < len(toks) and toks[j + 2][2] in words_vocab:
                j += 1
            else:
                break
        words = [t[2] for t in toks[i:last + 1]]
        span_a, span_b = toks[i][0], toks[last][1]
        i = last + 1
        if len(words) == 1 and words[0] in ("one", "un", "una", "uno", "cero", "zero", "um", "uma", "satu", "nol"):
            continue
        if len(words) == 1 and words[0] in scale_words | {"hundred"}:
            continue  # "millions of", "mil" alone
        phrase = text[span_a:span_b]
        val = indonesian_words(words) if lang == "id" else _text2num(phrase, lang)
        if val is None:
            continue
        scale = 1
        mb = re.match(r"\s+(billones|billon|millardos?)\b", f[span_b:])
        if mb and lang != "id":
            scale = SCALES[mb.group(1)]
            span_b += mb.end(1)
            val *= scale
        m = Mention(span_a, span_b, phrase, (Reading(float(val), float(_int_precision(int(val))), "words"),),
                    words=True)
        if words[-1] in scale_words:
            m.scale = SCALES.get(words[-1], 1)
        end = _tail(f, span_b, m, lang)
        if m.unit in ("percent", "points"):
            m.readings = (Reading(float(val), 1.0, "words"),)
        m.end = end
        m.text = text[span_a:end]
        out.append(m)
        taken.append((span_a, end))
    return out


def _text2num(phrase: str, lang: str) -> int | None:
    try:
        return text2num(phrase, lang if lang in ("en", "es", "pt") else "en")
    except (ValueError, IndexError, KeyError):
        return None


def indonesian_words(words: list[str]) -> int | None:
    """Indonesian number words (the vocabulary file's ``[number_words]``): 'dua puluh lima juta' -> 25,000,000."""
    nw = vocab.raw("id")["number_words"]
    units, special = nw["units"], nw["words"]
    scales = {k: int(v) for k, v in vocab.table("scales", "id").items()}
    total, group, cur = 0, 0, None
    for w in words:
        if w in units:
            if cur is not None:
                return None  # "dua tiga": two numbers, not one
            v = units[w]
            if v >= 1000:  # seribu, sejuta
                total += v
            elif v in (10, 11, 100):  # sepuluh, sebelas, seratus: a whole group
                group += v
            else:
                cur = v
        elif w == special["teen"] and cur is not None:
            group += 10 + cur
            cur = None
        elif w == special["tens"] and cur is not None:
            group += 10 * cur
            cur = None
        elif w == special["hundreds"] and cur is not None:
            group += 100 * cur
            cur = None
        elif w in scales:
            n = group + (cur or 0)
            if n == 0:
                return None
            total += n * scales[w]
            group, cur = 0, None
        else:
            return None
    n = total + group + (cur or 0)
    return n or None


def _ratio_words(text: str, f: str, taken) -> list[Mention]:
    out = []
    for mr in _RATIO_RE.finditer(f):
        if any(a <= mr.start() < b for a, b in taken):
            continue
        w = " ".join(mr.group(1).split())
        val = _RATIO_VALUES.get(w, 2)
        out.append(Mention(mr.start(), mr.end(), text[mr.start():mr.end()], (Reading(float(val), 1.0, "words"),),
                           unit="ratio", words=True))
        taken.append((mr.start(), mr.end()))
    return out


def _fraction_words(text: str, f: str, taken) -> list[Mention]:
    """'two-thirds of the vote' -> 66.67 %, precision a tenth of the fraction's part (100 / (10 × b))."""
    out = []
    for mf in _FRACTION_RE.finditer(f):
        if any(a <= mf.start() < b for a, b in taken):
            continue
        num, den = _FRACTIONS[" ".join(mf.group(1).split())]
        m = Mention(mf.start(), mf.end(), text[mf.start():mf.end()],
                    (Reading(100 * num / den, 100 / (10 * den), "fraction"),), unit="percent", words=True)
        m.extra["fraction"] = (num, den)
        out.append(m)
        taken.append((mf.start(), mf.end()))
    return out


def _ranges(out: list[Mention], f: str) -> list[Mention]:
    """'between 65 and 70 percent', 'entre 5 y 6 millones', 'antara 50 dan 60 persen': one mention, two ends.

    The first number takes the unit and scale of the second when it has none of its own.
    """
    merged: list[Mention] = []
    i = 0
    while i < len(out):
        a = out[i]
        b = out[i + 1] if i + 1 < len(out) else None
        if (b is not None and a.kind == b.kind == "number" and a.readings and b.readings
                and _RANGE_OPEN.search(f[max(0, a.start - 20):a.start])
                and _RANGE_JOIN.match(f[a.end:b.start]) and a.unit in ("count", b.unit)):
            lo = a.readings[0]
            hi = b.readings[0]
            lo_val = lo.value * (b.scale if a.scale == 1 and b.scale != 1 else 1)
            prec = max(hi.precision, lo.precision * (b.scale if a.scale == 1 and b.scale != 1 else 1))
            if b.unit in ("percent", "points"):
                prec = min(hi.precision, 1.0) if lo.precision >= 1 else max(hi.precision, lo.precision)
            if lo_val < hi.value:
                m = Mention(a.start, b.end, "", (Reading(lo_val, prec, "range", high=hi.value),), unit=b.unit,
                            currency=b.currency, scale=b.scale, words=a.words or b.words)
                m.extra["range"] = True
                merged.append(m)
                i += 2
                continue
        if (_RANGE_DECADE is not None and a.kind == "number" and a.unit in ("percent", "count") and len(a.readings) == 1
                and _RANGE_DECADE.search(f[max(0, a.start - 20):a.start])):
            r = a.readings[0]
            if r.value >= 10 and r.value % 10 == 0 and r.value < 100 * a.scale:
                step = 10 * a.scale if a.unit == "count" and a.scale != 1 else 10
                a.readings = (Reading(r.value, r.precision, "range", high=r.value + step),)
                a.extra["range"] = True
        merged.append(a)
        i += 1
    return merged
