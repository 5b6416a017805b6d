"""Fuzzing the readers and the number parser (issue 16): for ANY input, a result or a one-line
InputError — never another exception, never a hang.

Fast tier: ~200 examples per target. Slow tier (``-m slow``): 10,000 examples per reader.
"""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from electcheck import limits
from electcheck.errors import InputError
from electcheck.numbers import parse_counts
from electcheck.sources.readers import ReadOptions, read_table

FAST = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
#: no shrinking in the slow tier: a failure is reported at once with its input (re-run the fast tier
#: with that input to shrink it)
SLOW = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                phases=[Phase.explicit, Phase.generate])
SMALL = dict(max_bytes=1 << 20, max_line=64 << 10, max_columns=200, max_rows=5_000, max_cell=10_000)

_DIR = Path(tempfile.mkdtemp(prefix="electcheck-fuzz-"))

# --- generators ------------------------------------------------------------------------------

_cell_text = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"-?[0-9]{1,4}([.,][0-9]{3}){0,3}", fullmatch=True),
    st.sampled_from(["", " ", "=1+2", "-28.49", "1.234,5", "\x00", "\x1b[31m", '"', '""', "\r", "\n", "TOTAL",
                     "<script>", "١٢٣", "9" * 40]),
)
_delims = st.sampled_from([",", ";", "\t", "|"])


@st.composite
def csv_bytes(draw) -> bytes:
    d = draw(_delims)
    width = draw(st.integers(1, 6))
    rows = draw(st.lists(st.lists(_cell_text, min_size=0, max_size=width + 2), max_size=12))
    text = "\n".join(d.join(r) for r in [[f"h{i}" for i in range(width)], *rows])
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "utf-32", "cp1252"]))
    data = text.encode(enc, errors="replace")
    if draw(st.booleans()):
        data = data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r", b"\n\n"])))
    if draw(st.integers(0, 9)) == 0:  # damage
        cut = draw(st.integers(0, max(len(data) - 1, 0)))
        data = data[:cut] + draw(st.binary(max_size=20)) + data[cut:]
    return data


@st.composite
def json_bytes(draw) -> bytes:
    import json

    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=200))
    recs = draw(st.lists(st.dictionaries(st.sampled_from(["a", "b", "c", "unit", "A"]),
                                         st.one_of(st.none(), st.integers(), st.floats(allow_nan=True),
                                                   st.text(max_size=8), st.booleans(),
                                                   st.lists(st.integers(), max_size=3))),
                         max_size=8))
    if kind == 1:
        return json.dumps(recs).encode()
    if kind == 2:
        return "\n".join(json.dumps(r) for r in recs).encode()
    return draw(st.sampled_from([b"[" * 5000 + b"]" * 5000, b"{}", b"[1,2,3]", b'{"a": [1,2], "b": [3]}',
                                 b'[{"a": 1' + b'0' * 5000 + b'}]', b"null", b"\xef\xbb\xbf[]"]))


#: pieces a hostile CSV is made of: cheap for hypothesis to draw (the slow tier draws 10,000 per reader)
TOKENS = [b",", b";", b"\t", b"|", b"\n", b"\r\n", b"\r", b'"', b'""', b"h0", b"A", b"valid", b"0", b"7",
          b"1.234", b"1,234", b"-28.49", b"1.234,5", b"2.000", b"9" * 30, b" ", b"", b"=1+2", b"TOTAL",
          b"\x00", b"\x1b[31m", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xc3\xa1", b"\xe1",
          b"\xc2\x85", b"\xe2\x80\xa8", b"\xd9\xa1", b"<script>", b"PK\x03\x04", b"\x1f\x8b",
          b"h0,h1,h2\n", b"1,2,3\n", b"1;2\n", b"a" * 200]
token_bytes = st.lists(st.sampled_from(TOKENS), max_size=60).map(b"".join)


def _read(data: bytes, name: str, **opts) -> None:
    p = _DIR / name
    p.write_bytes(data)
    try:
        with limits.using(**SMALL):
            raw = read_table(p, ReadOptions(**opts))
    except InputError as e:
        text = str(e)
        assert "\n" not in text.strip() and text, text
        return
    assert raw.rows_read == len(raw.cells) + len(raw.quarantine)
    assert len(raw.header) <= SMALL["max_columns"]


JSON_TOKENS = [b"[", b"]", b"{", b"}", b",", b":", b'"a"', b'"b"', b"1", b"-2.5", b"1e400", b"null", b"true",
               b"NaN", b'"\\u0000"', b"\n", b" ", b"\xef\xbb\xbf", b'"x"' * 3, b"9" * 50]


def _fuzz_csv(data: bytes) -> None:
    _read(data, "f.csv")


def _fuzz_csv_forced(data: bytes, enc: str) -> None:
    _read(data, "g.csv", encoding=enc)


def _fuzz_gzip(data: bytes) -> None:
    packed = gzip.compress(data)
    if len(packed) > 20 and data:
        packed = packed[: len(packed) - (len(data) % 7)]  # sometimes truncated
    _read(packed, "f.csv.gz")


def _fuzz_json(data: bytes) -> None:
    _read(data, "f.json")


def _fuzz_any(data: bytes) -> None:
    for name in ("b.csv", "b.json", "b.xlsx", "b.parquet"):
        _read(data, name)


def _fuzz_numbers(cells: list, locale: str) -> None:
    s = pd.Series(cells, dtype="string")
    p = parse_counts(s, locale)
    assert len(p.values) == len(cells) and len(p.bad) == len(cells)


_raw_heads = st.one_of(st.binary(max_size=300),
                       st.sampled_from([b"PK\x03\x04", b"PAR1", b"\xd0\xcf\x11\xe0", b"\x1f\x8b"]).flatmap(
                           lambda h: st.binary(max_size=200).map(lambda b: h + b)))
_locales = st.sampled_from(["auto", "es_VE", "en", "plain"])
_number_cells = st.lists(st.one_of(st.none(), _cell_text, st.text(max_size=30),
                                   st.from_regex(r"[-+]?[0-9 .,']{0,25}", fullmatch=True)), max_size=30)


# --- fast tier -------------------------------------------------------------------------------

@FAST
@given(csv_bytes())
def test_fuzz_csv(data):
    _fuzz_csv(data)


@FAST
@given(token_bytes)
def test_fuzz_csv_tokens(data):
    _fuzz_csv(data)


@FAST
@given(csv_bytes(), st.sampled_from(["utf-8", "latin-1", "utf-16", "utf-16-le", "utf-32", "ascii", "nope"]))
def test_fuzz_csv_forced_encoding(data, enc):
    _fuzz_csv_forced(data, enc)


@FAST
@given(csv_bytes())
def test_fuzz_gzip(data):
    _fuzz_gzip(data)


@FAST
@given(json_bytes())
def test_fuzz_json(data):
    _fuzz_json(data)


@FAST
@given(_raw_heads)
def test_fuzz_any_format(data):
    _fuzz_any(data)


@FAST
@given(_number_cells, _locales)
def test_fuzz_numbers(cells, locale):
    _fuzz_numbers(cells, locale)


# --- slow tier: 10,000 inputs per reader ---------------------------------------------------------

@pytest.mark.slow
@SLOW
@given(token_bytes)
def test_fuzz_csv_slow(data):
    _fuzz_csv(data)


@pytest.mark.slow
@SLOW
@given(token_bytes)
def test_fuzz_gzip_slow(data):
    _fuzz_gzip(data)


@pytest.mark.slow
@SLOW
@given(st.one_of(token_bytes, st.lists(st.sampled_from(JSON_TOKENS), max_size=40).map(b"".join)))
def test_fuzz_json_slow(data):
    _fuzz_json(data)


@pytest.mark.slow
@SLOW
@given(_raw_heads)
def test_fuzz_any_format_slow(data):
    _fuzz_any(data)


@pytest.mark.slow
@SLOW
@given(_number_cells, _locales)
def test_fuzz_numbers_slow(cells, locale):
    _fuzz_numbers(cells, locale)
