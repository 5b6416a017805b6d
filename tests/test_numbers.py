"""Locale-aware count parsing (golden pairs, in the spirit of csvkit's test_locale)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from electcheck.numbers import INT_LIMIT, parse_counts


def read(cells, locale="auto"):
    p = parse_counts(pd.Series(cells, dtype="string"), locale)
    return [None if pd.isna(v) else int(v) for v in p.values], p.bad.tolist(), p.grouping


@pytest.mark.parametrize("cells,locale,values,grouping", [
    (["1", "22", None, ""], "auto", [1, 22, None, None], "none"),
    (["1.234", "5"], "es_VE", [1234, 5], "dot"),
    (["1.234.567", "2.000"], "auto", [1234567, 2000], "dot"),
    (["1,234,567", "7"], "en", [1234567, 7], "comma"),
    (["1 234", "5"], "auto", [1234, 5], "space"),
    (["5.0", "3"], "auto", [5, 3], "none"),
    (["1.234,00"], "es", [1234], "dot"),
    (["1,234.00"], "en", [1234], "comma"),
    (["-", "n/a", " 7 "], "auto", [None, None, 7], "none"),
    (["+5", "-3"], "auto", [5, -3], "none"),
])
def test_golden(cells, locale, values, grouping):
    v, bad, g = read(cells, locale)
    assert v == values and not any(bad) and g == grouping


@pytest.mark.parametrize("cell,locale", [("51,2", "auto"), ("1.234,5", "auto"), ("1,234.56", "auto"),
                                         ("seven", "auto"), ("1.234", "plain"), ("1.234", "en"),
                                         ("1,234", "es"), ("99999999999999999999", "auto"), ("12e3", "auto")])
def test_bad_cells(cell, locale):
    v, bad, _ = read([cell], locale)
    assert v == [None] and bad == [True]


def test_es_decimal_comma_is_not_whole():
    assert read(["1,234"], "es")[1] == [True]
    assert read(["1,000"], "es")[0] == [1]  # "1,000" in Spanish is one, with decimal zeros


def test_both_groupings_is_mixed():
    assert read(["1.234", "1,234"])[2] == "mixed"


def test_only_ambiguous_cells():
    v, _, g = read(["2.000", "15"])
    assert v == [2000, 15] and g == "ambiguous"
    assert read(["2.000"], "en")[0] == [2]


def test_absurd_is_flagged():
    p = parse_counts(pd.Series([str(INT_LIMIT * 10), "5"], dtype="string"))
    assert p.bad.tolist() == [True, False] and p.huge.tolist() == [True, False]


def _fmt(n: int, style: str) -> str:
    s = f"{abs(n):,}"
    s = {"en": s, "es": s.replace(",", "."), "space": s.replace(",", " "), "plain": s.replace(",", "")}[style]
    return ("-" if n < 0 else "") + s


@given(st.lists(st.integers(0, 10**12), min_size=1, max_size=30),
       st.sampled_from([("en", "en"), ("es", "es"), ("plain", "auto"), ("space", "auto")]))
def test_roundtrip_explicit_locale(ns, style_loc):
    style, loc = style_loc
    v, bad, _ = read([_fmt(n, style) for n in ns], loc)
    assert v == ns and not any(bad)


@given(st.lists(st.integers(1000, 10**12).filter(lambda n: n % 1000), min_size=1, max_size=30),
       st.sampled_from(["en", "es"]))
def test_auto_detects_unambiguous_grouping(ns, style):
    v, bad, g = read([_fmt(n, style) for n in ns], "auto")
    assert v == ns and not any(bad) and g == ("comma" if style == "en" else "dot")
