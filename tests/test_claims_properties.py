"""Property tests: rendering and reading back, and claims built from the data's own values."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from electcheck.claims import check_text
from electcheck.claims.hedges import find_hedge, interval
from electcheck.claims.numbers import extract
from electcheck.claims.text import fold

sys.path.insert(0, str(Path(__file__).parent / "claims"))
from synthetic import V2_TOTALS, v2_like  # noqa: E402

HEDGES = {"en": {"none": "", "about": "about ", "almost": "almost ", "over": "more than ", "at least": "at least ",
                 "under": "fewer than "},
          "es": {"none": "", "about": "alrededor de ", "almost": "casi ", "over": "más de ", "at least": "al menos ",
                 "under": "menos de "}}


def render(n: int, fmt: str) -> tuple[str, str, Decimal, Decimal]:
    """(text, lang, value, precision) of count ``n`` in one supported format."""
    def group(sep):
        return f"{n:,}".replace(",", sep)

    def tz(v):
        z = 0
        while v and v % 10 == 0:
            v //= 10
            z += 1
        return Decimal(10) ** z

    if fmt == "en-grouped":
        return group(","), "en", Decimal(n), tz(n)
    if fmt == "es-grouped":
        return group("."), "es", Decimal(n), tz(n)
    if fmt in ("en-million", "es-millones"):
        m = (Decimal(n) / 10**6).quantize(Decimal("0.1"))
        p = Decimal("0.1")
        if m == m.to_integral_value():
            m = m.to_integral_value()
            p = tz(int(m))
        s = str(m)
        if fmt == "en-million":
            return f"{s} million", "en", m * 10**6, p * 10**6
        return f"{s.replace('.', ',')} millones", "es", m * 10**6, p * 10**6
    raise ValueError(fmt)


FORMATS = ["en-grouped", "es-grouped", "en-million", "es-millones"]


@settings(max_examples=300, deadline=None)
@given(n=st.integers(min_value=1_000_001, max_value=999_999_999), fmt=st.sampled_from(FORMATS),
       hedge=st.sampled_from(list(HEDGES["en"])))
def test_rendered_count_reads_back_to_the_same_interval(n, fmt, hedge):
    text, lang, value, precision = render(n, fmt)
    sentence = f"{HEDGES[lang][hedge]}{text} votes" if lang == "en" else f"{HEDGES[lang][hedge]}{text} de votos"
    ms = [m for m in extract(sentence, lang) if m.kind == "number"]
    assert len(ms) == 1
    m = ms[0]
    start = len(HEDGES[lang][hedge])
    assert (m.start, sentence[m.start:m.start + len(text)]) == (start, text)
    got_hedge = find_hedge(fold(sentence[:m.start]))[0]
    assert got_hedge == hedge
    assert interval(m.value, m.precision, got_hedge) == interval(float(value), float(precision), hedge)


@settings(max_examples=100, deadline=None)
@given(cand=st.sampled_from(["EG", "NM"]), digits=st.integers(min_value=1, max_value=7),
       fmt=st.sampled_from(["en", "es"]))
def test_claim_built_from_the_data_is_supported(cand, digits, fmt):
    value = V2_TOTALS[cand]
    p = 10 ** (7 - digits)  # keep `digits` significant digits
    x = round(value / p) * p
    name = {"EG": "González", "NM": "Maduro"}[cand]
    if fmt == "en":
        text = f"{name} received {x:,} votes."
    else:
        text = f"{name} obtuvo {x:,} votos.".replace(",", ".")
    r = check_text(text, v2_like())
    assert [c.verdict for c in r.claims] == ["supported"], r.claims[0].explanation


@settings(max_examples=100, deadline=None)
@given(cand=st.sampled_from(["EG", "NM"]), decimals=st.integers(min_value=0, max_value=3),
       lang=st.sampled_from(["en", "es"]))
def test_share_built_from_the_data_is_supported(cand, decimals, lang):
    share = 100 * V2_TOTALS[cand] / sum(V2_TOTALS.values())
    s = f"{share:.{decimals}f}"
    name = {"EG": "González", "NM": "Maduro"}[cand]
    text = (f"{name} won {s}% of the vote." if lang == "en" else f"{name} obtuvo el {s.replace('.', ',')} % de los votos.")
    r = check_text(text, v2_like())
    assert [c.verdict for c in r.claims] == ["supported"], r.claims[0].explanation


PIECES = ["7.3", "7,3", "5.150.092", "2,400", "1.000.000,5", "%", " por ciento", " million", " millones", " mil",
          " votes", " votos", "Maduro", "González", "Zulia", " about ", " casi ", " más de ", "$", "€", " de ",
          ", ", ". ", "\n", "(", ")", "2024", "July 28", "28 de julio", " points", " puntos porcentuales",
          " twice", " el doble", "’s ", " turnout ", " participación ", " actas", "-", ":", "12:30", "٣", "ẞ", "İ"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_any_text_is_checked_without_error(parts):
    text = "".join(parts)
    r = check_text(text, v2_like())
    for c in r.claims:
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.text
        assert c.verdict in ("supported", "misleading", "contradicted", "unverifiable")


@settings(max_examples=200, deadline=None)
@given(tenths=st.integers(min_value=1, max_value=999), fmt=st.sampled_from(
    ["{e}%", "{s} %", "{s} por ciento", "{e} percent", "{e} per cent"]), hedge=st.sampled_from(list(HEDGES["en"])))
def test_rendered_percentage_reads_back(tenths, fmt, hedge):
    e = f"{tenths / 10:.1f}"
    s = e.replace(".", ",")
    lang = "es" if "{s}" in fmt else "en"
    text = HEDGES[lang][hedge] + fmt.format(e=e, s=s)
    ms = [m for m in extract(text, lang) if m.kind == "number"]
    assert len(ms) == 1 and ms[0].unit == "percent"
    got = find_hedge(fold(text[:ms[0].start]))[0]
    assert interval(ms[0].value, ms[0].precision, got) == interval(tenths / 10, 0.1, hedge)
