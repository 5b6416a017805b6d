"""Text helpers that keep character offsets: accent folding, sentences, language.

``fold`` maps every character to one character (lower case, accents removed),
so offsets in the folded text are offsets in the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0].lower()
    if len(base) != 1:  # e.g. 'İ'.lower() is two characters
        base = base[0]
    if ch in "\u2019\u2018\u02bc":
        return "'"
    if ch in "\u00a0\u202f\u2009":
        return " "
    return base


def fold(text: str) -> str:
    """Lower case without accents; same length as ``text``."""
    return "".join(_fold_char(c) for c in text)


def fold_key(text: str) -> str:
    """Folded, punctuation to spaces, single-spaced: a key for name matching."""
    t = re.sub(r"[^0-9a-z']+", " ", fold(text))
    return " ".join(t.split())


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    lang: str  # "en", "es", "pt" or "id"


_SENT_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"“¿¡(]?[A-ZÁÉÍÓÚÑ0-9])|\n\s*\n|\n(?=\s*[A-ZÁÉÍÓÚÑ\"“—-])")
#: "… el 51. 20 % de …": digits, a full stop, one space, one or two digits and a percent sign
_SPLIT_DECIMAL = re.compile(r"\d\. \d{1,2}\s?(?:%|por\s?ciento|por\s?cento|percent|per\s?cent|persen)")
#: "6. 408. 844": a count whose groups are split by ". " as published, not three sentences
_SPLIT_GROUPS = re.compile(r"(?<![\w.,])\d{1,3}(?:\. \d{3}){2,}(?!\d)")
_ABBREV = re.compile(r"(?:\b(?:EDO|DTTO|Dr|Mr|Mrs|Ms|Sr|Sra|St|No|Nº|vs|etc|approx|aprox|Gen|Lt|Sen|Rep|U\.S|E\.E\.U\.U|p\.p)\.|\b[A-Z]\.)$")

_ES = set("de la el los las que y en por con del se un una para es al lo como más pero sus fue votos millones ha según entre sin sobre este esta también hasta desde donde cuando porque muy ya".split())
_EN = set("the of and to in by with that for is was on as at from his her their this it be are were has have had votes million which over than more after but not an".split())
_LANGS = ("en", "es", "pt", "id")


@lru_cache(maxsize=1)
def _detector():
    """lingua's detector for the four languages, built once on first use (building it is slow)."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:  # pragma: no cover - lingua is a dependency
        return None
    langs = [Language.ENGLISH, Language.SPANISH, Language.PORTUGUESE, Language.INDONESIAN]
    return LanguageDetectorBuilder.from_languages(*langs).build()


_ISO = {"ENGLISH": "en", "SPANISH": "es", "PORTUGUESE": "pt", "INDONESIAN": "id"}


def _word_list_lang(text: str, default: str) -> str:
    words = re.findall(r"[a-záéíóúñ]+", text.lower())
    es = sum(w in _ES for w in words)
    en = sum(w in _EN for w in words)
    if es == en:
        return default
    return "es" if es > en else "en"


_CAPITALISED = re.compile(r"\b[A-ZÁÉÍÓÚÑÇ][\w'’-]*")


def detect_lang(text: str, default: str = "en") -> str:
    """en, es, pt or id for a sentence, with lingua; ``default`` when unsure.

    Capitalised words (names: "González", "Jokowi") are left out of the sample when enough
    other words remain, and a close call between two languages goes to ``default`` (the
    document's language) when it is one of the two.
    """
    sample = text[:400]
    plain = _CAPITALISED.sub(" ", sample)
    if sum(c.isalpha() for c in plain) >= 12:
        sample = plain
    if sum(c.isalpha() for c in sample) < 12:
        return default
    det = _detector()
    if det is None:  # pragma: no cover
        return _word_list_lang(sample, default)
    vals = det.compute_language_confidence_values(sample)
    if not vals:
        return default
    ranked = [(_ISO.get(v.language.name, default), v.value) for v in vals]
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 0.15 and default in (ranked[0][0], ranked[1][0]):
        return default
    return ranked[0][0]


def sentences(text: str) -> list[Sentence]:
    """Split into sentences (offsets kept); language detected per sentence."""
    doc_lang = detect_lang(text[:2000])
    out: list[Sentence] = []
    pos = 0
    groups = [(g.start(), g.end()) for g in _SPLIT_GROUPS.finditer(text)] if ". " in text else []
    for m in _SENT_END.finditer(text):
        piece = text[pos:m.start()]
        if groups and any(a <= m.start() < b for a, b in groups):
            continue
        if _ABBREV.search(piece.rstrip()) and "\n" not in m.group(0):
            continue
        if "\n" not in m.group(0) and m.start() >= 2 and _SPLIT_DECIMAL.match(text, m.start() - 2):
            continue  # "51. 20 %": a decimal with a stray space, not a full stop
        if piece.strip():
            out.append(Sentence(pos, m.start(), piece, detect_lang(piece, doc_lang)))
        pos = m.end()
    if text[pos:].strip():
        out.append(Sentence(pos, len(text), text[pos:], detect_lang(text[pos:], doc_lang)))
    return out
