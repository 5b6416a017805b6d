"""One-paragraph plain-language explanations in the claim's language (English, Spanish, Portuguese, Indonesian).

Every word and sentence lives in ``vocab/explain.toml`` (one table per language, the same keys in each);
this module only picks the template and fills it with ``str.format`` and named placeholders. Numbers
are written the language's way: ``en`` 1,234,567.5 and 51.20%; ``es`` 1.234.567,5 and 51,20 %; ``pt``
1.234.567,5 and 51,20%; ``id`` 1.234.567,5 and 51,20 persen (see the file's header). Any other
language code reads English.

``QUANTITY``, ``VERDICT_NAME``, ``UNVERIFIABLE_REASON`` and ``BASIS`` are {lang: {key: text}}; indexing
them with a language they lack gives English. ``authority_note`` and ``readings_note`` write the notes
appended to an explanation when a figure is attributed to the electoral authority or its digits can
be read two ways.
"""

from __future__ import annotations

import math
import string
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .facts import Value
from .hedges import Interval

EXPLAIN_FILE = Path(__file__).parent / "vocab" / "explain.toml"
#: the keyed tables every language has (with every key English has)
TABLES = ("number", "verdict", "quantity", "basis", "reason", "rounding", "template")
#: the tables whose strings are str.format templates
TEMPLATE_TABLES = ("number", "reason", "template")
AUTHORITY_KINDS = ("own", "about", "cannot")


def placeholders(template: str) -> set[str]:
    """The named placeholders of a template; ValueError for anything but a plain ``{name}``."""
    out = set()
    for _, field, spec, conv in string.Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or spec or conv:
            raise ValueError(f"template {template!r}: only plain named placeholders are allowed, not {{{field}}}")
        out.add(field)
    return out


@lru_cache(maxsize=None)
def data() -> dict[str, Any]:
    """``vocab/explain.toml`` as written, its templates checked."""
    with open(EXPLAIN_FILE, "rb") as f:
        doc = tomllib.load(f)
    if "en" not in doc:
        raise ValueError(f"{EXPLAIN_FILE}: no English table")
    for lang, tables in doc.items():
        for t in TEMPLATE_TABLES:
            for v in tables.get(t, {}).values():
                placeholders(v)
        for t in ("who", "how"):
            if not all(isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p)
                       for p in tables.get(t, [])):
                raise ValueError(f"{EXPLAIN_FILE}: [{lang}] {t} must be a list of [old, new] pairs")
    return doc


#: the languages explanations are written in
LANGS: tuple[str, ...] = tuple(data())


class ByLang(dict):
    """{lang: {key: text}}; a language not in it reads English."""

    def __missing__(self, lang):
        return self["en"]


def _table(name: str) -> ByLang:
    d = data()
    en = d["en"].get(name, {})
    # a key missing from a language reads English (the tests insist none is missing)
    return ByLang({lang: {**en, **d[lang].get(name, {})} for lang in d})


NUMBER = _table("number")
VERDICT_NAME = _table("verdict")
QUANTITY = _table("quantity")
BASIS = _table("basis")
UNVERIFIABLE_REASON = _table("reason")
ROUNDING = _table("rounding")
TEMPLATE = _table("template")
_PERCENT_Q = {"share", "margin_points", "turnout", "coverage"}


def lang_of(lang: str | None) -> str:
    """``lang`` when explanations are written in it, else ``"en"``."""
    return lang if lang in LANGS else "en"


def _replace(s: str, pairs: Iterable[list[str]]) -> str:
    for old, new in pairs:
        s = s.replace(old, new)
    return s


def _marks(s: str, lang: str) -> str:
    """A number written with ',' thousands and '.' decimal, in ``lang``'s marks."""
    n = NUMBER[lang]
    return s.translate({ord(","): n["thousands"], ord("."): n["decimal"]})


def plain(v: float, lang: str = "en") -> str:
    """A reading's value without exponent: 3316000 -> '3,316,000'; 7.303 -> '7.303'."""
    return fmt_value(v, "votes", lang, False)


def basis_name(basis: str, lang: str, source: str = "") -> str:
    lang = lang_of(lang)
    if basis.startswith("snapshot:"):
        return TEMPLATE[lang]["snapshot"].format(source=basis.split(":", 1)[1])
    return BASIS[lang].get(basis, basis)


def fmt_value(v: float, quantity: str, lang: str, percent: bool | None = None) -> str:
    if v is None or (isinstance(v, float) and math.isinf(v)):
        return "∞" if v and v > 0 else "−∞"
    lang = lang_of(lang)
    pct = quantity in _PERCENT_Q if percent is None else percent
    if pct:
        s = _marks(f"{v:.2f}", lang)
        return NUMBER[lang]["points" if quantity == "margin_points" else "percent"].format(number=s)
    if quantity == "ratio":
        return _marks(f"{v:.2f}", lang)
    if abs(v - round(v)) < 1e-9:
        s = f"{int(round(v)):,}"
    else:
        s = f"{v:,.4f}".rstrip("0").rstrip(".")
    return _marks(s, lang)


def fmt_interval(iv: Interval, quantity: str, lang: str, percent: bool) -> str:
    lang = lang_of(lang)
    f = lambda x: fmt_value(x, quantity, lang, percent)  # noqa: E731
    lo = "−∞" if math.isinf(iv.low) else f(iv.low)
    hi = "∞" if math.isinf(iv.high) else f(iv.high)
    return f"{'[' if iv.low_closed else '('}{lo}{NUMBER[lang]['interval_sep']}{hi}{']' if iv.high_closed else ')'}"


def explain(verdict: str, *, lang: str, text: str, quantity: str, hedge: str, iv: Interval, percent: bool,
            standard: Value | None, matched: Value | None, alternatives, reason: str = "",
            rounding: str | None = None, reading_note: str = "", subject: str = "", hedge_text: str = "") -> str:
    lang = lang_of(lang)
    T = TEMPLATE[lang]
    q = QUANTITY[lang].get(quantity, quantity)
    allowed = fmt_interval(iv, quantity, lang, percent)
    ht = hedge_text or hedge
    h = "" if hedge == "none" else T["hedge" if ht == hedge else "hedge_read_as"].format(hedge_text=ht, hedge=hedge)
    # a region alone ("(DKI JAKARTA)") qualifies the quantity; a candidate is what it is for
    subj = "" if not subject else f" {subject}" if subject.startswith("(") else T["subject"].format(subject=subject)
    note = f" {reading_note}" if reading_note else ""
    if verdict == "unverifiable":
        return T["unverifiable"].format(text=text, reason=reason, note=note)
    common = dict(text=text, quantity=q, subject=subj, hedge=h, allowed=allowed, note=note,
                  source=standard.source, value=fmt_value(standard.value, quantity, lang, percent),
                  basis=basis_name(standard.basis, lang), formula=standard.formula)
    if verdict == "supported":
        how = T["rounding"].format(rounding=ROUNDING[lang].get(rounding, rounding)) if rounding else ""
        return T["supported"].format(**common, rounding=how)
    if verdict == "misleading":
        return T["misleading"].format(**common, matched_basis=basis_name(matched.basis, lang),
                                      matched_value=fmt_value(matched.value, quantity, lang, percent),
                                      matched_formula=matched.formula)
    tried = T["tried_sep"].join(T["tried_item"].format(basis=basis_name(a.basis, lang),
                                                       value=fmt_value(a.value, quantity, lang, percent))
                                for a in alternatives)
    alt = T["alternatives"].format(tried=tried) if tried else ""
    return T["contradicted"].format(**common, alternatives=alt)


def authority_note(kind: str, lang: str, who: str, how: str = "", source: str = "") -> str:
    """The note on a figure attributed to the electoral authority ``who`` ("the CNE"), with a leading space.

    ``own``: checked against the authority's own published figures (found ``how``); ``about``: no such
    figures, checked against the reference ``source``; ``cannot``: its figures cannot determine the
    number, checked against ``source``.
    """
    if kind not in AUTHORITY_KINDS:
        raise ValueError(f"authority note kind {kind!r}: one of {', '.join(AUTHORITY_KINDS)}")
    lang = lang_of(lang)
    return TEMPLATE[lang][f"authority_{kind}"].format(who=authority_name(who, lang),
                                                      how=_replace(how or "", data()[lang].get("how", [])),
                                                      source=source)


def authority_name(who: str | None, lang: str) -> str:
    """The authority's name ("the CNE") as ``lang`` writes it ("el CNE", "CNE"): ``who`` of explain.toml."""
    return _replace(who or "", data()[lang_of(lang)].get("who", []))


def readings_note(lang: str, text: str, values: Iterable[float], how: str, value: float) -> str:
    """The note on a number whose digits read two ways (``values``); the one used is ``value``, read ``how``
    ("'.' as decimal mark")."""
    lang = lang_of(lang)
    T = TEMPLATE[lang]
    return T["readings"].format(text=text, values=T["readings_sep"].join(plain(v, lang) for v in values),
                                how=_replace(how or "", data()[lang].get("how", [])), value=plain(value, lang))
