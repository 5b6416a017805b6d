"""Locale-aware reading of counts in table cells (vectorised).

Counts are whole numbers. A cell may group thousands the Venezuelan way
("1.234.567", es_VE), the English way ("1,234,567", en), with spaces
("1 234 567"), or not at all. ``locale="auto"`` accepts any consistent
grouping; a column that mixes "." and "," grouping is reported as ambiguous
(a finding, not a silent guess). Cells that are not a whole number are
returned as bad so the caller can quarantine the row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Whole numbers, optionally signed, optionally with an Excel-style ".0" tail.
_PLAIN = r"[+-]?\d+(?:\.0+)?"
_DOT_GROUPED = r"[+-]?\d{1,3}(?:\.\d{3})+"
_COMMA_GROUPED = r"[+-]?\d{1,3}(?:,\d{3})+"
_SPACE_GROUPED = r"[+-]?\d{1,3}(?: \d{3})+"
_ES_DECIMAL_ZERO = r"[+-]?\d+(?:\.\d{3})*,0+"   # "1.234,00"
_EN_DECIMAL_ZERO = r"[+-]?\d+(?:,\d{3})*\.0+"   # "1,234.00"

LOCALES = {
    "plain": [_PLAIN],
    "en": [_PLAIN, _COMMA_GROUPED, _SPACE_GROUPED, _EN_DECIMAL_ZERO],
    "es": [_PLAIN, _DOT_GROUPED, _SPACE_GROUPED, _ES_DECIMAL_ZERO],
}
LOCALE_ALIASES = {"es_ve": "es", "es_es": "es", "es_ar": "es", "de": "es", "id": "es", "ru": "es",
                  "en_us": "en", "en_gb": "en", "c": "plain", "": "plain"}
# Cells that stand for "no value".
NULL_TOKENS = ["", "-", "--", "—", "n/a", "N/A", "NA", "na", "null", "NULL", "None", "nan", "NaN"]
INT_LIMIT = 10**15  # larger than any electorate; bigger numbers are typos or garbage


def canonical_locale(locale: str | None) -> str:
    if locale is None:
        return "auto"
    key = locale.strip().lower().replace("-", "_")
    if key in ("auto", "plain", "en", "es"):
        return key
    if key in LOCALE_ALIASES:
        return LOCALE_ALIASES[key]
    return key.split("_")[0] if key.split("_")[0] in ("en", "es") else "auto"


@dataclass
class ParsedCounts:
    values: pd.Series          # Int64, nulls where empty or bad
    bad: np.ndarray            # bool mask: cell present but not a whole number
    reason: str = "not a whole number"
    grouping: str = "none"     # none | dot | comma | space | mixed | ambiguous
    huge: np.ndarray | None = None  # bool mask: a number larger than INT_LIMIT


def _match(s, pattern: str) -> pa.ChunkedArray:
    return pc.fill_null(pc.match_substring_regex(s, pattern), False)


_INT = r"^[+-]?\d+$"
_INT_DEC0 = r"^[+-]?\d+[.,]0+$"          # "5.0", "5,0" (spreadsheet tails)
_DOTS = r"^[+-]?\d{1,3}(\.\d{3})+(,0+)?$"   # "1.234", "1.234.567", "1.234,00"
_COMMAS = r"^[+-]?\d{1,3}(,\d{3})+(\.0+)?$"  # "1,234", "1,234,567", "1,234.00"
_SPACES = r"^[+-]?\d{1,3}( \d{3})+$"
# Cells that only read one way: several groups, a group that is not "000", or a decimal tail.
_NZ = r"([1-9]\d\d|\d[1-9]\d|\d\d[1-9])"  # a group of three digits other than "000"
_DOTS_SURE = (r"^[+-]?\d{1,3}(\.\d{3}){2,}(,0+)?$|^[+-]?\d{1,3}(\.\d{3})+,0+$"
              rf"|^[+-]?\d{{1,3}}(\.\d{{3}})*\.{_NZ}(\.\d{{3}})*$")
_COMMAS_SURE = (r"^[+-]?\d{1,3}(,\d{3}){2,}(\.0+)?$|^[+-]?\d{1,3}(,\d{3})+\.0+$"
                rf"|^[+-]?\d{{1,3}}(,\d{{3}})*,{_NZ}(,\d{{3}})*$")


def parse_counts(cells: pd.Series, locale: str = "auto") -> ParsedCounts:
    """Parse a column of text cells into nullable integers.

    ``locale`` es reads "1.234" as 1234 and "1.234,00" too; en reads "1,234"
    and "1,234.00"; plain accepts bare integers only; auto decides per column
    from the cells that read one way only ("1.234.567", "12.345"). A column
    whose only grouped cells are "2.000" / "1,000" (a thousands group or
    decimal zeros?) is read as thousands and flagged ``ambiguous``; a column
    with both "1.234" and "1,234" is read cell by cell and flagged ``mixed``.
    """
    loc = canonical_locale(locale)
    arr = _arrow_strings(cells)
    n = len(cells)
    fast = _try_plain_cast(arr)
    if fast is not None:
        return ParsedCounts(pd.Series(fast, index=cells.index), np.zeros(n, dtype=bool))
    nulls = pa.scalar(None, pa.large_string())
    s = pc.utf8_trim_whitespace(pc.replace_substring(arr, "\u00a0", " "))
    s = pc.replace_substring(s, "\u202f", " ")
    is_null = pc.fill_null(pc.or_(pc.is_null(s), pc.is_in(s, value_set=pa.array(NULL_TOKENS))), True)
    present = pc.invert(is_null)
    plain, dec0 = _match(s, _INT), _match(s, _INT_DEC0)
    dots, commas, spaces = _match(s, _DOTS), _match(s, _COMMAS), _match(s, _SPACES)
    dot_sure = _match(s, _DOTS_SURE)
    comma_sure = _match(s, _COMMAS_SURE)
    any_ = lambda m: bool(pc.any(m).as_py())  # noqa: E731
    grouping = "none"
    if loc == "es":
        use_dot, use_comma = dots, pc.and_(commas, pa.scalar(False))
        grouping = "dot" if any_(dots) else "none"
    elif loc == "en":
        use_dot, use_comma = pc.and_(dots, pa.scalar(False)), commas
        grouping = "comma" if any_(commas) else "none"
    elif loc == "plain":
        use_dot = use_comma = pc.and_(dots, pa.scalar(False))
    else:
        sure_d, sure_c = any_(dot_sure), any_(comma_sure)
        d_any, c_any = any_(dots), any_(commas)
        if (sure_d and sure_c) or (d_any and c_any and not sure_d and not sure_c):
            grouping = "mixed"
            use_dot, use_comma = dots, pc.and_(commas, pc.invert(dots))
        elif sure_d or (any_(dots) and not any_(commas)):
            use_dot, use_comma = dots, pc.and_(commas, pa.scalar(False))
            grouping = "dot" if sure_d else "ambiguous"
        elif sure_c or any_(commas):
            use_dot, use_comma = pc.and_(dots, pa.scalar(False)), commas
            grouping = "comma" if sure_c else "ambiguous"
        else:
            use_dot = use_comma = pc.and_(dots, pa.scalar(False))
    if any_(spaces) and grouping == "none":
        grouping = "space"
    # decimal-zero tails that are not a thousands group of the chosen reading
    tail = pc.and_(dec0, pc.invert(pc.or_(use_dot, use_comma)))
    if loc == "es":
        tail = pc.and_(tail, _match(s, r",0+$"))
    elif loc == "en":
        tail = pc.and_(tail, _match(s, r"\.0+$"))
    ok = pc.or_(pc.or_(plain, tail), pc.or_(pc.or_(use_dot, use_comma), spaces if loc != "plain" else plain))
    digits = pc.if_else(use_dot, pc.replace_substring(pc.replace_substring_regex(s, r",0+$", ""), ".", ""), s)
    digits = pc.if_else(use_comma, pc.replace_substring(pc.replace_substring_regex(s, r"\.0+$", ""), ",", ""),
                        digits)
    digits = pc.if_else(tail, pc.replace_substring_regex(s, r"[.,]0+$", ""), digits)
    digits = pc.replace_substring(digits, " ", "")
    digits = pc.replace_substring_regex(digits, r"^\+", "")
    digits = pc.if_else(pc.and_(ok, present), digits, nulls)
    too_long = pc.fill_null(pc.greater(pc.utf8_length(digits), 16), False)
    castable = pc.and_(_match(digits, r"^-?\d+$"), pc.invert(too_long))
    values = pc.cast(pc.if_else(castable, digits, nulls), pa.int64())
    bad = pc.and_(present, pc.is_null(values))
    out = _to_int64_array(values)
    bad_np = np.asarray(bad.to_numpy(zero_copy_only=False), dtype=bool)
    huge = np.asarray(pc.or_(too_long, pc.fill_null(pc.greater(pc.abs(values), INT_LIMIT), False))
                      .to_numpy(zero_copy_only=False), dtype=bool) & np.asarray(
        _match(s, r"^[+-]?[\d.,  ]+$").to_numpy(zero_copy_only=False), dtype=bool)
    if huge.any():
        bad_np |= huge
        out[huge] = pd.NA
    return ParsedCounts(pd.Series(out, index=cells.index), bad_np, grouping=grouping, huge=huge)


def _arrow_strings(cells: pd.Series) -> pa.ChunkedArray:
    """The cells as an Arrow string array, without a round trip through Python objects."""
    if not isinstance(cells.dtype, pd.StringDtype) or cells.dtype.storage != "pyarrow":
        cells = cells.astype(pd.StringDtype("pyarrow"))
    arr = pa.chunked_array(cells.array._pa_array) if hasattr(cells.array, "_pa_array") else \
        pa.chunked_array([pa.array(cells.to_numpy(na_value=None), type=pa.large_string())])
    return arr.cast(pa.large_string())


def _to_int64_array(values: pa.ChunkedArray | pa.Array) -> pd.arrays.IntegerArray:
    """Arrow int64 → pandas Int64, written chunk by chunk into one numpy array (one copy)."""
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    n = len(values)
    data = np.empty(n, dtype=np.int64)
    mask = np.zeros(n, dtype=bool)
    pos = 0
    for c in chunks:
        k = len(c)
        if c.null_count:
            data[pos:pos + k] = c.fill_null(0).to_numpy(zero_copy_only=False)
            mask[pos:pos + k] = c.is_null().to_numpy(zero_copy_only=False)
        elif k:
            data[pos:pos + k] = c.to_numpy(zero_copy_only=False)
        pos += k
    return pd.arrays.IntegerArray(data, mask)


def _try_plain_cast(arr: pa.ChunkedArray) -> pd.arrays.IntegerArray | None:
    """Fast path: every present cell is a plain integer Arrow can cast directly.

    Arrow's cast also reads hexadecimal ("0x1F"): a column with any cell that is
    not all digits goes through the full parser unless it holds no x at all.
    """
    if len(arr) == 0:
        return None
    if not pc.all(pc.ascii_is_decimal(arr)).as_py() and (
            pc.any(pc.match_substring(arr, "x")).as_py() or pc.any(pc.match_substring(arr, "X")).as_py()):
        return None
    try:
        values = pc.cast(arr, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    mm = pc.min_max(values).as_py()
    if max(abs(mm["min"] or 0), abs(mm["max"] or 0)) > INT_LIMIT:
        return None  # let the slow path flag the absurd values
    return _to_int64_array(values)
