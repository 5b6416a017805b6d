"""The per-language vocabulary files (``claims/vocab/{en,es,pt,id}.toml``), loaded once and folded.

The files are data: hedges, scale words, percent and point words, fractions,
ratio words, range words, attribution and modality cues, quantity nouns, scope
cues and the words of the "read as" line of an explanation. Phrases are folded
(lower case, no accents; see ``text.fold``) when loaded, so every match runs on
folded text. ``phrase_pattern`` turns a list of phrases into one alternation
(longest first) with flexible spaces and no nested quantifiers.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from .text import fold

LANGS = ("en", "es", "pt", "id")
VOCAB_DIR = Path(__file__).parent / "vocab"


@lru_cache(maxsize=None)
def raw(lang: str) -> dict[str, Any]:
    """The vocabulary file of ``lang`` as written (``en`` for an unknown language)."""
    name = lang if lang in LANGS else "en"
    with open(VOCAB_DIR / f"{name}.toml", "rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=None)
def _authorities_file() -> dict[str, Any]:
    with open(VOCAB_DIR / "authorities.toml", "rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=None)
def authorities() -> tuple[dict[str, Any], ...]:
    return tuple({**a, "names": [fold(n) for n in a["names"]]} for a in _authorities_file().get("authority", []))


@lru_cache(maxsize=None)
def pollster_pattern() -> re.Pattern:
    """Whole-word match of any polling organisation of ``authorities.toml`` (``[[pollster]]``), folded.

    Proper names, the same in every language, so all of them are matched whatever the election: a
    figure from VTsIOM is an estimate in an article about Indonesia too."""
    names = [_fold_phrase(n) for p in _authorities_file().get("pollster", []) for n in p["names"]]
    return re.compile(r"(?<![\w])(?:" + alternation(names) + r")(?![\w])")


def _fold_phrase(p: str) -> str:
    return " ".join(fold(p).split())


@lru_cache(maxsize=None)
def phrases(section: str, key: str, lang: str | None = None) -> tuple[str, ...]:
    """Folded phrases of ``[section] key`` for one language, or for all four when ``lang`` is None."""
    out: list[str] = []
    for lg in (LANGS if lang is None else (lang,)):
        out += [_fold_phrase(p) for p in raw(lg).get(section, {}).get(key, [])]
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=None)
def table(section: str, lang: str | None = None) -> dict[str, Any]:
    """``[section]`` as {folded phrase: value}, one language or all four merged (first language wins)."""
    out: dict[str, Any] = {}
    for lg in (LANGS if lang is None else (lang,)):
        for k, v in raw(lg).get(section, {}).items():
            out.setdefault(_fold_phrase(k), v)
    return out


def alternation(items) -> str:
    """A regex alternation of folded phrases, longest first; spaces match one run of spaces."""
    parts = sorted({p for p in items if p}, key=lambda p: (-len(p), p))
    return "|".join(r"\s+".join(re.escape(w) for w in p.split(" ")) for p in parts)


@lru_cache(maxsize=None)
def phrase_pattern(section: str, key: str, lang: str | None = None) -> re.Pattern:
    """Whole-word match of any phrase of ``[section] key`` (folded text)."""
    return re.compile(r"(?<![\w])(?:" + alternation(phrases(section, key, lang)) + r")(?![\w])")


@lru_cache(maxsize=None)
def _name_entries() -> tuple[tuple[str | None, re.Pattern | None, tuple[str, ...]], ...]:
    with open(VOCAB_DIR / "names.toml", "rb") as f:
        entries = tomllib.load(f).get("name", [])
    out = []
    for e in entries:
        stem = e.get("stem")
        rx = re.compile(r"(?<![\w-])" + re.escape(" ".join(fold(stem).split()))) if stem else None
        out.append((e.get("id"), rx, tuple(e.get("names", ()))))
    return tuple(out)


@lru_cache(maxsize=None)
def names_for(cid: str, name: str) -> tuple[str, ...]:
    """Names the press uses for a candidate (``vocab/names.toml``): by its id, or by words of its name."""
    key = " ".join(fold(name).split())
    out: list[str] = []
    for eid, rx, names in _name_entries():
        if eid == cid or (rx is not None and rx.search(key)):
            out += names
    return tuple(dict.fromkeys(out))


def explain_words(lang: str) -> dict[str, str]:
    """The words of the "read as" line in ``lang`` (English for a language without them)."""
    return {**raw("en")["explain"], **raw(lang).get("explain", {})}
