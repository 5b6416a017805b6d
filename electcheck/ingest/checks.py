"""Validation steps for rows that read but do not add up. Each returns Findings.

The rows stay in the Tally: a total that does not add up is evidence, not
noise. Each finding names how many rows, the first few spreadsheet rows and
unit ids, and the rule.
"""

from __future__ import annotations

import re
from typing import Callable

import numpy as np
import pandas as pd

from ..model import Finding, Tally

MAX_EXAMPLES = 10
# A cell that is only a "total" label (a village may be called "Suma": whole-cell match only).
TOTAL_WORDS = re.compile(r"^\s*(grand\s+)?(total(es)?|total general|suma total|sum|jumlah|итого|всего)\s*:?\s*$",
                         re.IGNORECASE)


_CODE_CHARS = "0123456789 .,_/-"
_CODE_BYTES = np.zeros(256, dtype=bool)
_CODE_BYTES[list(_CODE_CHARS.encode())] = True


def _only_code_chars(arr) -> bool:
    """Every cell made of digits and separators only (one pass over the bytes, no copies)."""
    import pyarrow as pa

    for chunk in (arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]):
        if chunk.type != pa.large_string():
            return False
        if len(chunk) == 0 or chunk.buffers()[2] is None:
            continue
        bufs = chunk.buffers()
        off = np.frombuffer(bufs[1], dtype=np.int64, count=len(chunk) + 1, offset=chunk.offset * 8)
        data = np.frombuffer(bufs[2], dtype=np.uint8, count=int(off[-1] - off[0]), offset=int(off[0]))
        if not _CODE_BYTES[data].all():
            return False
    return True


def _matches_total(s: pd.Series) -> np.ndarray:
    """Whole-cell "total" labels, vectorised in Arrow (RE2) rather than per cell in Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..numbers import _arrow_strings

    arr = _arrow_strings(s)
    if len(arr) > 10_000:
        sample = arr.slice(0, 10_000)
        # codes made of digits and separators only cannot be a label (one cheap pass)
        if _only_code_chars(sample) and _only_code_chars(arr):
            return np.zeros(len(s), dtype=bool)
        # place names repeat: test each distinct value once
        if len(pc.unique(sample)) < 2_500:
            uniq = pc.unique(arr)
            if len(uniq) < len(arr) // 4:
                hit_u = pc.fill_null(pc.match_substring_regex(uniq, TOTAL_WORDS.pattern, ignore_case=True), False)
                if not pc.any(hit_u).as_py():
                    return np.zeros(len(s), dtype=bool)
                hits = pc.filter(uniq, hit_u)
                return np.asarray(pc.is_in(arr, value_set=hits).to_numpy(zero_copy_only=False), dtype=bool)
    short = pc.fill_null(pc.less_equal(pc.utf8_length(arr), 20), False)  # labels are short
    if not pc.any(short).as_py():
        return np.zeros(len(s), dtype=bool)
    hit = pc.and_(short, pc.match_substring_regex(pc.if_else(short, arr, pa.scalar("", arr.type)),
                                                 TOTAL_WORDS.pattern, ignore_case=True))
    return np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)


# --- counts as numpy arrays -----------------------------------------------------------
# Each check reads the count columns as (values with 0 for missing, missing mask); within
# run_checks they are extracted once per column and shared.

_caches: dict[int, dict] = {}  # id(tally.data) -> arrays, only while run_checks runs


def _cache(t: Tally) -> dict:
    c = _caches.get(id(t.data))
    return c if c is not None and c["data"] is t.data else {}


def _iv(t: Tally, col: str) -> tuple[np.ndarray, np.ndarray]:
    """(values as int64 with 0 where missing, missing mask) of a count column."""
    cache, key = _cache(t), ("iv", col)
    if key in cache:
        return cache[key]
    s = t.data[col]
    arr = s.array
    if isinstance(arr, pd.arrays.IntegerArray):  # the Tally's Int64: values and mask as they are
        na = np.asarray(arr._mask, dtype=bool)
        data = np.asarray(arr._data).astype(np.int64, copy=False)
        vals = np.where(na, 0, data) if na.any() else data
    else:
        na = s.isna().to_numpy(dtype=bool)
        vals = s.to_numpy(dtype=np.int64, na_value=0) if na.any() else s.to_numpy(dtype=np.int64)
    cache[key] = out = (vals, na)
    return out


def _cand_matrix(t: Tally) -> tuple[np.ndarray, np.ndarray]:
    """Candidates' votes as an (n, k) int64 matrix (0 where missing) and the missing mask."""
    cache, key = _cache(t), ("cand_matrix",)
    if key in cache:
        return cache[key]
    ids = t.candidate_ids
    n = len(t.data)
    if not ids:
        return np.zeros((n, 0), dtype=np.int64), np.zeros((n, 0), dtype=bool)
    pairs = [_iv(t, c) for c in ids]
    cache[key] = out = (np.column_stack([v for v, _ in pairs]), np.column_stack([m for _, m in pairs]))
    return out


def _cand_sum(t: Tally) -> tuple[np.ndarray, np.ndarray]:
    """Row sums of the candidates' votes and where all of them are missing (sum(min_count=1))."""
    cache, key = _cache(t), ("cand_sum",)
    if key in cache:
        return cache[key]
    vals, na = _cand_matrix(t)
    cache[key] = out = (vals.sum(axis=1), na.all(axis=1) if vals.shape[1] else np.ones(len(vals), dtype=bool))
    return out


def _present(t: Tally, col: str) -> bool:
    """The column exists and holds at least one value."""
    return col in t.data.columns and not _iv(t, col)[1].all()


# --- findings --------------------------------------------------------------------------

def _examples(t: Tally, idx: np.ndarray, extra: list[str] | None = None) -> list[dict]:
    cols = [c for c in ("unit_id", "source_row", *(extra or [])) if c in t.data.columns]
    series = {c: t.data[c] for c in cols}  # cell by cell: no take over many Arrow chunks
    return [{c: _plain(series[c].iat[int(i)]) for c in cols} for i in idx[:MAX_EXAMPLES]]


def _plain(v):
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    return int(v) if isinstance(v, (np.integer,)) else v


def _finding(t: Tally, mask: np.ndarray, code: str, severity: str, title: str, message: str,
             extra: list[str] | None = None, **evidence) -> list[Finding]:
    n = int(mask.sum())
    if n == 0:
        return []
    idx = np.flatnonzero(mask)
    file = t.meta.inputs[0].path if t.meta.inputs else t.meta.source
    rows = t.data["source_row"].iloc[idx[:MAX_EXAMPLES]].tolist() if "source_row" in t.data else []
    return [Finding(code, severity, title, message.format(n=n),
                    location={"file": file, "rows": [int(r) for r in rows]},
                    evidence={"count": n, "examples": _examples(t, idx, extra), **evidence})]


def _key_hashes(chunk) -> np.ndarray | None:
    """64-bit hashes of the strings of one Arrow chunk (None if a string is longer than 16 bytes)."""
    n = len(chunk)
    bufs = chunk.buffers()
    off = np.frombuffer(bufs[1], dtype=np.int64, count=n + 1, offset=chunk.offset * 8)
    ln = np.diff(off)
    if n and ln.max() > 16:
        return None
    start, end = int(off[0]), int(off[-1])
    padded = np.zeros(end - start + 16, dtype=np.uint8)
    if end > start:
        padded[: end - start] = np.frombuffer(bufs[2], dtype=np.uint8, count=end - start, offset=start)
    # 8 bytes from any byte offset (unaligned view with a 1-byte stride)
    words = np.ndarray(shape=(end - start + 9,), dtype="<u8", buffer=padded, strides=(1,))
    first = off[:-1] - start
    w0, w1 = words[first], words[first + 8]
    keep0 = np.minimum(ln, 8).astype(np.uint64) * np.uint64(8)   # bits that belong to the key
    keep1 = np.clip(ln - 8, 0, 8).astype(np.uint64) * np.uint64(8)
    full = np.uint64(0xFFFFFFFFFFFFFFFF)
    w0 &= np.where(keep0 == 64, full, (np.uint64(1) << np.minimum(keep0, np.uint64(63))) - np.uint64(1))
    w1 &= np.where(keep1 == 64, full, (np.uint64(1) << np.minimum(keep1, np.uint64(63))) - np.uint64(1))
    return (w0 * np.uint64(0x9E3779B97F4A7C15)) ^ ((w1 + ln.astype(np.uint64)) * np.uint64(0xC2B2AE3D27D4EB4F))


def _all_distinct(arr) -> bool | None:
    """True when every string differs, without a hash table: keys of up to 16 bytes are packed
    into two 64-bit words, mixed into one, sorted, and neighbours compared. Distinct hashes
    prove distinct keys; None (undecided) on equal hashes, nulls or longer keys."""
    import pyarrow as pa

    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    if len(arr) < 2 or arr.null_count or arr.type != pa.large_string():
        return None
    parts = []
    for chunk in chunks:
        h = _key_hashes(chunk)
        if h is None:
            return None
        parts.append(h)
    h = np.concatenate(parts) if len(parts) > 1 else parts[0]
    h.sort()
    return True if not (h[1:] == h[:-1]).any() else None


def duplicate_keys(t: Tally) -> list[Finding]:
    import pyarrow.compute as pc

    from ..numbers import _arrow_strings

    ids = t.data["unit_id"]
    if len(ids) > 1000:  # fast paths: every key distinct
        arr = _arrow_strings(ids)
        if _all_distinct(arr) or pc.count_distinct(arr, mode="all").as_py() == len(ids):
            return []
    dup = ids.duplicated(keep=False).to_numpy()
    return _finding(t, dup, "duplicate-key", "error", "Duplicate unit keys",
                    "{n} rows share their unit key with another row; electcheck's rule (applied when a "
                    "file is ingested) keeps the first row of each key and sets the others aside")


def total_rows(t: Tally) -> list[Finding]:
    text_cols = [c for c in t.data.columns if c == "unit_id" or c in t.meta.hierarchy
                 or (c.endswith("_code") and c[:-5] in t.meta.hierarchy)]
    mask = np.zeros(len(t.data), dtype=bool)
    for c in text_cols:
        mask |= _matches_total(t.data[c])
    cands, _ = _cand_matrix(t)
    if len(cands) > 2:  # a row equal to the sum of all the others
        total = cands.sum(axis=0)
        mask |= ((2 * cands == total).all(axis=1) & (_cand_sum(t)[0] > 0))
    return _finding(t, mask, "total-row", "error", "A totals row among the units",
                    "{n} rows look like totals (labelled total, or equal to the sum of all other rows); "
                    "they double-count votes if summed", extra=t.candidate_ids[:3])


def all_zero(t: Tally) -> list[Finding]:
    total, none = _cand_sum(t)
    mask = (total == 0) & ~none
    return _finding(t, mask, "all-zero", "warning", "Units with no votes at all",
                    "{n} units have zero votes for every candidate")


def no_figures(t: Tally) -> list[Finding]:
    mask = _cand_sum(t)[1]
    return _finding(t, mask, "no-figures", "info", "Units listed without figures",
                    "{n} units are listed in the file with no vote figures (kept, counted as not reported)")


def negative_counts(t: Tally) -> list[Finding]:
    cols = t.count_columns()
    neg = np.column_stack([_iv(t, c)[0] < 0 for c in cols]) if cols else np.zeros((len(t.data), 0), dtype=bool)
    mask = neg.any(axis=1)
    bad_cols = [c for c, hit in zip(cols, neg.any(axis=0)) if hit]
    return _finding(t, mask, "negative-count", "error", "Negative counts",
                    "{n} rows have a negative count (in " + ", ".join(bad_cols) + ")", extra=bad_cols)


def candidates_vs_valid(t: Tally) -> list[Finding]:
    if not _present(t, "valid") or t.meta.notes.get("valid_from_candidates"):
        return []
    total, none = _cand_sum(t)
    valid, valid_na = _iv(t, "valid")
    diff = np.where(none | valid_na, 0, total - valid)
    mask = diff != 0
    return _finding(t, mask, "candidates-ne-valid", "warning", "Candidate votes do not add up to valid votes",
                    "{n} rows: the candidates' votes do not sum to the stated valid votes",
                    extra=["valid"], net_difference=int(diff.sum()))


def valid_invalid_vs_ballots(t: Tally) -> list[Finding]:
    if not (_present(t, "valid") and _present(t, "invalid") and _present(t, "ballots")):
        return []
    (valid, v_na), (invalid, i_na), (ballots, b_na) = _iv(t, "valid"), _iv(t, "invalid"), _iv(t, "ballots")
    diff = np.where(v_na | i_na | b_na, 0, valid + invalid - ballots)
    mask = diff != 0
    return _finding(t, mask, "valid-invalid-ne-ballots", "warning", "Valid + invalid ≠ ballots",
                    "{n} rows: valid plus invalid votes differ from the ballots counted",
                    extra=["valid", "invalid", "ballots"], net_difference=int(diff.sum()))


def ballots_vs_registered(t: Tally) -> list[Finding]:
    """Votes above registered electors; votes = the larger of ballots and the candidates' sum."""
    if not _present(t, "registered"):
        return []
    reg, reg_na = _iv(t, "registered")
    cand, cand_na = _cand_sum(t)
    if _present(t, "ballots"):
        ballots, b_na = _iv(t, "ballots")
        voted = np.where(b_na, cand, np.where(cand_na, ballots, np.maximum(ballots, cand)))
        voted_na = b_na & cand_na
    else:
        voted, voted_na = cand, cand_na
    mask = ~voted_na & ~reg_na & (voted - reg > 0)
    return _finding(t, mask, "votes-gt-registered", "error", "More votes than registered electors",
                    "{n} rows have more votes (ballots or candidates' votes, whichever is larger) than "
                    "registered electors", extra=["registered"])


def candidates_vs_ballots(t: Tally) -> list[Finding]:
    if not _present(t, "ballots"):
        return []
    cand, cand_na = _cand_sum(t)
    ballots, b_na = _iv(t, "ballots")
    diff = np.where(cand_na | b_na, 0, cand - ballots)
    mask = diff > 0
    return _finding(t, mask, "candidates-gt-ballots", "error", "More candidate votes than ballots",
                    "{n} rows: the candidates' votes add up to more than the ballots counted",
                    extra=["ballots"], net_excess=int(diff[mask].sum()) if mask.any() else 0)


CHECKS: list[Callable[[Tally], list[Finding]]] = [
    duplicate_keys, total_rows, negative_counts, all_zero, no_figures,
    candidates_vs_valid, valid_invalid_vs_ballots, candidates_vs_ballots, ballots_vs_registered,
]


#: the check that scans the text columns (Arrow kernels, without the GIL): on a large tally it
#: runs on a second thread while the key and arithmetic checks run on this one (about even halves).
_TEXT_CHECKS = (total_rows,)
PARALLEL_ROWS = 100_000


def run_checks(t: Tally) -> list[Finding]:
    key = id(t.data)
    _caches[key] = {"data": t.data}  # count columns extracted once for all checks
    try:
        side = [c for c in CHECKS if c in _TEXT_CHECKS] if len(t.data) >= PARALLEL_ROWS else []
        if not side:
            return [f for check in CHECKS for f in check(t)]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="electcheck-checks") as ex:
            futures = {c: ex.submit(c, t) for c in side}
            done = {c: c(t) for c in CHECKS if c not in futures}
            done.update({c: f.result() for c, f in futures.items()})
        return [f for check in CHECKS for f in done[check]]
    finally:
        _caches.pop(key, None)


def grouping_findings(groupings: dict[str, str], file: str) -> list[Finding]:
    """Number formats that could be read two ways: a finding, never a silent guess."""
    out: list[Finding] = []
    mixed = [c for c, g in groupings.items() if g == "mixed"]
    if mixed:
        out.append(Finding(
            "ambiguous-number-format", "warning", "Numbers grouped two ways",
            f"columns {', '.join(mixed)} mix '1.234' and '1,234' thousands grouping; each cell was read by "
            "its own grouping, check that the file was not assembled from two locales "
            "(or pass --locale es_VE / en)", location={"file": file, "columns": mixed},
            evidence={"columns": mixed, "kind": "mixed"}))
    amb = [c for c, g in groupings.items() if g == "ambiguous"]
    if amb:
        out.append(Finding(
            "ambiguous-number-format", "warning", "Numbers that read two ways",
            f"columns {', '.join(amb)} hold numbers such as '2.000' or '1,000' and nothing else that shows "
            "the locale; they were read as thousands (2000, 1000). If they are decimals, pass --locale "
            "(es_VE reads '1,000' as 1; en reads '2.000' as 2)", location={"file": file, "columns": amb},
            evidence={"columns": amb, "kind": "thousands-or-decimals", "read_as": "thousands"}))
    return out
