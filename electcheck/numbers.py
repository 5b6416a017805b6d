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
    grouping: str = "none"     # none | dot | comma | space | mixed


def parse_counts(cells: pd.Series, locale: str = "auto") -> ParsedCounts:
    """Parse a column of text cells into nullable integers."""
    loc = canonical_locale(locale)
    arr = _arrow_strings(cells)
    fast = _try_plain_cast(arr)
    if fast is not None:
        return ParsedCounts(pd.Series(fast, index=cells.index), np.zeros(len(cells), dtype=bool))
    s = pc.utf8_trim_whitespace(pc.replace_substring(arr, "\u00a0", " "))
    s = pc.replace_substring(s, "\u202f", " ")
    is_null = pc.fill_null(pc.or_(pc.is_null(s), pc.is_in(s, value_set=pa.array(NULL_TOKENS))), True)
    # Fast path: every present cell is a plain integer.
    plain = pc.fill_null(pc.match_substring_regex(s, f"^{_PLAIN}$"), False)
    present = pc.invert(is_null)
    if pc.all(pc.or_(plain, is_null)).as_py():
        grouping = "none"
        digits = s
    else:
        dot = pc.fill_null(pc.match_substring_regex(s, f"^({_DOT_GROUPED}|{_ES_DECIMAL_ZERO})$"), False)
        comma = pc.fill_null(pc.match_substring_regex(s, f"^({_COMMA_GROUPED}|{_EN_DECIMAL_ZERO})$"), False)
        space = pc.fill_null(pc.match_substring_regex(s, f"^{_SPACE_GROUPED}$"), False)
        n_dot, n_comma = pc.sum(dot).as_py() or 0, pc.sum(comma).as_py() or 0
        grouping = "mixed" if n_dot and n_comma else "dot" if n_dot else "comma" if n_comma else \
            "space" if pc.any(space).as_py() else "none"
        if loc == "plain":
            ok = plain
        elif loc == "en":
            ok = pc.or_(pc.or_(plain, comma), space)
        elif loc == "es":
            ok = pc.or_(pc.or_(plain, dot), space)
        else:  # auto: any grouping that is unambiguous for a whole number
            ok = pc.or_(pc.or_(pc.or_(plain, dot), comma), space)
        bad_mask = pc.and_(present, pc.invert(ok))
        s = pc.if_else(bad_mask, pa.scalar(None, pa.large_string()), s)
        # drop decimal zero tails, then grouping characters
        s = pc.replace_substring_regex(s, r"[.,]0+$", "")
        digits = pc.replace_substring_regex(s, r"[., ]", "")
    digits = pc.replace_substring_regex(digits, r"\.0+$", "")
    digits = pc.if_else(is_null, pa.scalar(None, pa.large_string()), digits)
    too_long = pc.fill_null(pc.greater(pc.utf8_length(digits), 16), False)
    digits = pc.if_else(too_long, pa.scalar(None, pa.large_string()), digits)
    digits = pc.replace_substring_regex(digits, r"^\+", "")
    castable = pc.fill_null(pc.match_substring_regex(digits, r"^-?\d+$"), False)
    digits = pc.if_else(castable, digits, pa.scalar(None, pa.large_string()))
    values = pc.cast(digits, pa.int64())
    bad = pc.and_(present, pc.is_null(values))
    out = _to_int64_array(values)
    bad_np = np.asarray(bad.to_numpy(zero_copy_only=False), dtype=bool)
    huge = np.asarray(pc.fill_null(pc.greater(pc.abs(values), INT_LIMIT), False).to_numpy(zero_copy_only=False),
                      dtype=bool)
    if huge.any():
        bad_np |= huge
        out[huge] = pd.NA
    return ParsedCounts(pd.Series(out, index=cells.index), bad_np, grouping=grouping)


def _arrow_strings(cells: pd.Series) -> pa.ChunkedArray:
    """The cells as an Arrow string array, without a round trip through Python objects."""
    if not isinstance(cells.dtype, pd.StringDtype) or cells.dtype.storage != "pyarrow":
        cells = cells.astype(pd.StringDtype("pyarrow"))
    arr = pa.chunked_array(cells.array._pa_array) if hasattr(cells.array, "_pa_array") else \
        pa.chunked_array([pa.array(cells.to_numpy(na_value=None), type=pa.large_string())])
    return arr.cast(pa.large_string())


def _to_int64_array(values: pa.ChunkedArray | pa.Array) -> pd.arrays.IntegerArray:
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    mask = np.asarray(values.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    data = np.asarray(values.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
    return pd.arrays.IntegerArray(data, mask)


def _try_plain_cast(arr: pa.ChunkedArray) -> pd.arrays.IntegerArray | None:
    """Fast path: every present cell is a plain integer Arrow can cast directly."""
    if len(arr) == 0:
        return None
    try:
        values = pc.cast(arr, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if (pc.max(pc.abs(values)).as_py() or 0) > INT_LIMIT:
        return None
    return _to_int64_array(values)
