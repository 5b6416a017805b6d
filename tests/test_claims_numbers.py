"""Reading numbers as newspapers write them (English and Spanish), hedges and intervals."""

from __future__ import annotations

import math

import pytest

from electcheck.claims.hedges import Interval, find_hedge, interval
from electcheck.claims.numbers import extract
from electcheck.claims.text import fold


def one(text, lang="en"):
    ms = [m for m in extract(text, lang) if m.kind == "number"]
    assert len(ms) == 1, ms
    return ms[0]


@pytest.mark.parametrize("text,lang,value,precision,unit", [
    ("7.3 million", "en", 7_300_000, 100_000, "count"),
    ("7,3 millones", "es", 7_300_000, 100_000, "count"),
    ("5.150.092", "es", 5_150_092, 1, "count"),
    ("7,303,480", "en", 7_303_480, 10, "count"),
    ("2,400", "en", 2_400, 100, "count"),
    ("51,2 %", "es", 51.2, 0.1, "percent"),
    ("51.2%", "en", 51.2, 0.1, "percent"),
    ("51,2 por ciento", "es", 51.2, 0.1, "percent"),
    ("38 percentage points", "en", 38, 1, "points"),
    ("38 puntos porcentuales", "es", 38, 1, "points"),
    ("siete millones", "es", 7_000_000, 1_000_000, "count"),
    ("eight million", "en", 8_000_000, 1_000_000, "count"),
    ("medio millón", "es", 500_000, 100_000, "count"),
    ("mil millones", "es", 1_000_000_000, 1_000_000_000, "count"),
    ("un billón", "es", 10**12, 10**12, "count"),
    ("2.4 billion", "en", 2_400_000_000, 100_000_000, "count"),
    ("704 mil", "es", 704_000, 1_000, "count"),
    ("$15 million", "en", 15_000_000, 1_000_000, "money"),
    ("15 millones de dólares", "es", 15_000_000, 1_000_000, "money"),
    ("10.26 M", "en", 10_260_000, 10_000, "count"),
    ("dos mil cuatrocientos", "es", 2_400, 100, "count"),
    ("double", "en", 2, 1, "ratio"),
    ("el doble", "es", 2, 1, "ratio"),
])
def test_reads_number(text, lang, value, precision, unit):
    m = one(text, lang)
    assert m.value == pytest.approx(value)
    assert m.precision == pytest.approx(precision)
    assert m.unit == unit


def test_offsets_are_those_of_the_input():
    text = "Collecting 7.3 million votes to Maduro's 3.3 million."
    ms = extract(text, "en")
    assert [(m.start, m.end, text[m.start:m.end]) for m in ms] == [
        (11, 22, "7.3 million"), (41, 52, "3.3 million")]


def test_ambiguous_number_is_read_both_ways():
    m = one("7.300 votes", "en")
    assert [(r.value, r.precision) for r in m.readings] == [(7.3, 0.001), (7300, 100)]
    m = one("7.300 votos", "es")  # '.' groups thousands in Spanish: not ambiguous
    assert [(r.value, r.precision) for r in m.readings] == [(7300, 100)]


@pytest.mark.parametrize("text,kind", [
    ("on July 28, 2024", "date"), ("el 28 de julio de 2024", "date"), ("Published on 08-11-2024", "date"),
    ("at 09:30", "time"), ("in 2020", "year"), ("2024-07-29", "date"),
])
def test_dates_and_years_are_not_results(text, kind):
    kinds = [m.kind for m in extract(text, "es" if "de" in text.split() else "en")]
    assert kinds == [kind]


def test_year_followed_by_votes_is_a_count():
    assert [m.kind for m in extract("2000 votes", "en")] == ["number"]


@pytest.mark.parametrize("before,hedge", [
    ("won by almost ", "almost"), ("nearly ", "almost"), ("casi ", "almost"), ("poco menos de ", "almost"),
    ("about ", "about"), ("alrededor de ", "about"), ("unos ", "about"), ("cerca de ", "about"),
    ("over ", "over"), ("más de ", "over"), ("superior a ", "over"), ("at least ", "at least"),
    ("al menos ", "at least"), ("fewer than ", "under"), ("menos de ", "under"), ("got ", "none"),
    ("11 points more than the ", "none"),
])
def test_hedges(before, hedge):
    assert find_hedge(fold(before))[0] == hedge


def test_intervals_follow_the_rubric():
    inf = math.inf
    assert interval(38, 1, "none") == Interval(37.5, 39, True, False)
    assert interval(38, 1, "about") == Interval(37, 39, True, True)
    assert interval(38, 1, "almost") == Interval(37, 38, True, True)
    assert interval(38, 1, "over") == Interval(38, inf, False, False)
    assert interval(38, 1, "at least") == Interval(38, inf, True, False)
    assert interval(38, 1, "under") == Interval(-inf, 38, False, False)
    assert not interval(38, 1, "over").contains(38)
    assert interval(38, 1, "at least").contains(38)
    assert not interval(38, 1, "none").contains(39)
