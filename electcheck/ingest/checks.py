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


def _matches_total(s: pd.Series) -> np.ndarray:
    """Whole-cell "total" labels, vectorised in Arrow (RE2) rather than per cell in Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..numbers import _arrow_strings

    arr = _arrow_strings(s)
    if len(arr) > 10_000:  # place names repeat: test each distinct value once
        uniq = pc.unique(arr)
        if len(uniq) < len(arr) // 4:
            hit_u = pc.fill_null(pc.match_substring_regex(uniq, TOTAL_WORDS.pattern, ignore_case=True), False)
            if not pc.any(hit_u).as_py():
                return np.zeros(len(s), dtype=bool)
            hits = pc.filter(uniq, hit_u)
            return np.asarray(pc.is_in(arr, value_set=hits).to_numpy(zero_copy_only=False), dtype=bool)
        if not pc.any(pc.match_substring_regex(arr, "[^0-9 .,_/-]")).as_py():
            return np.zeros(len(s), dtype=bool)  # codes made of digits only
    short = pc.fill_null(pc.less_equal(pc.utf8_length(arr), 20), False)  # labels are short
    if not pc.any(short).as_py():
        return np.zeros(len(s), dtype=bool)
    hit = pc.and_(short, pc.match_substring_regex(pc.if_else(short, arr, pa.scalar("", arr.type)),
                                                 TOTAL_WORDS.pattern, ignore_case=True))
    return np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)


def _examples(t: Tally, mask: np.ndarray, extra: list[str] | None = None) -> list[dict]:
    cols = ["unit_id", "source_row", *(extra or [])]
    sub = t.data.loc[mask, [c for c in cols if c in t.data.columns]].head(MAX_EXAMPLES)
    return [{k: (None if pd.isna(v) else (int(v) if isinstance(v, (np.integer,)) else v))
             for k, v in row.items()} for row in sub.to_dict("records")]


def _finding(t: Tally, mask: np.ndarray, code: str, severity: str, title: str, message: str,
             extra: list[str] | None = None, **evidence) -> list[Finding]:
    n = int(mask.sum())
    if n == 0:
        return []
    file = t.meta.inputs[0].path if t.meta.inputs else t.meta.source
    rows = t.data.loc[mask, "source_row"].head(MAX_EXAMPLES).tolist() if "source_row" in t.data else []
    return [Finding(code, severity, title, message.format(n=n),
                    location={"file": file, "rows": [int(r) for r in rows]},
                    evidence={"count": n, "examples": _examples(t, mask, extra), **evidence})]


def _cands(t: Tally) -> pd.DataFrame:
    return t.data[t.candidate_ids]


def _num(t: Tally, col: str) -> pd.Series | None:
    return t.data[col] if col in t.data.columns and not t.data[col].isna().all() else None


def duplicate_keys(t: Tally) -> list[Finding]:
    import pyarrow.compute as pc

    from ..numbers import _arrow_strings

    ids = t.data["unit_id"]
    if len(ids) > 1000 and len(pc.unique(_arrow_strings(ids))) == len(ids):
        return []  # fast path: every key distinct
    dup = ids.duplicated(keep=False).to_numpy()
    return _finding(t, dup, "duplicate-key", "error", "Duplicate unit keys",
                    "{n} rows share their unit key with another row; comparisons use the first of each")


def total_rows(t: Tally) -> list[Finding]:
    text_cols = [c for c in t.data.columns if c == "unit_id" or c in t.meta.hierarchy
                 or (c.endswith("_code") and c[:-5] in t.meta.hierarchy)]
    mask = np.zeros(len(t.data), dtype=bool)
    for c in text_cols:
        mask |= _matches_total(t.data[c])
    cands = _cands(t).fillna(0).to_numpy(dtype=np.int64)
    if len(cands) > 2:  # a row equal to the sum of all the others
        total = cands.sum(axis=0)
        mask |= ((2 * cands == total).all(axis=1) & (cands.sum(axis=1) > 0))
    return _finding(t, mask, "total-row", "error", "A totals row among the units",
                    "{n} rows look like totals (labelled total, or equal to the sum of all other rows); "
                    "they double-count votes if summed", extra=t.candidate_ids[:3])


def all_zero(t: Tally) -> list[Finding]:
    c = _cands(t)
    mask = (c.fillna(0).sum(axis=1) == 0).to_numpy() & c.notna().any(axis=1).to_numpy()
    return _finding(t, mask, "all-zero", "warning", "Units with no votes at all",
                    "{n} units have zero votes for every candidate")


def no_figures(t: Tally) -> list[Finding]:
    mask = _cands(t).isna().all(axis=1).to_numpy()
    return _finding(t, mask, "no-figures", "info", "Units listed without figures",
                    "{n} units are listed in the file with no vote figures (kept, counted as not reported)")


def negative_counts(t: Tally) -> list[Finding]:
    cols = t.count_columns()
    neg = (t.data[cols].fillna(0) < 0).to_numpy()
    mask = neg.any(axis=1)
    bad_cols = [c for c, hit in zip(cols, neg.any(axis=0)) if hit]
    return _finding(t, mask, "negative-count", "error", "Negative counts",
                    "{n} rows have a negative count (in " + ", ".join(bad_cols) + ")", extra=bad_cols)


def candidates_vs_valid(t: Tally) -> list[Finding]:
    valid = _num(t, "valid")
    if valid is None or t.meta.notes.get("valid_from_candidates"):
        return []
    s = _cands(t).sum(axis=1, min_count=1)
    diff = (s - valid)
    mask = (diff.fillna(0) != 0).to_numpy()
    return _finding(t, mask, "candidates-ne-valid", "warning", "Candidate votes do not add up to valid votes",
                    "{n} rows: the candidates' votes do not sum to the stated valid votes",
                    extra=["valid"], net_difference=int(diff.fillna(0).sum()))


def valid_invalid_vs_ballots(t: Tally) -> list[Finding]:
    valid, invalid, ballots = _num(t, "valid"), _num(t, "invalid"), _num(t, "ballots")
    if valid is None or invalid is None or ballots is None:
        return []
    diff = valid + invalid - ballots
    mask = (diff.fillna(0) != 0).to_numpy()
    return _finding(t, mask, "valid-invalid-ne-ballots", "warning", "Valid + invalid ≠ ballots",
                    "{n} rows: valid plus invalid votes differ from the ballots counted",
                    extra=["valid", "invalid", "ballots"], net_difference=int(diff.fillna(0).sum()))


def ballots_vs_registered(t: Tally) -> list[Finding]:
    """Votes above registered electors; votes = the larger of ballots and the candidates' sum."""
    reg = _num(t, "registered")
    if reg is None:
        return []
    cand = _cands(t).sum(axis=1, min_count=1)
    ballots = _num(t, "ballots")
    voted = cand if ballots is None else pd.concat([ballots, cand], axis=1).max(axis=1, skipna=True)
    mask = ((voted - reg).fillna(0) > 0).to_numpy() & reg.notna().to_numpy()
    return _finding(t, mask, "votes-gt-registered", "error", "More votes than registered electors",
                    "{n} rows have more votes (ballots or candidates' votes, whichever is larger) than "
                    "registered electors", extra=["registered"])


def candidates_vs_ballots(t: Tally) -> list[Finding]:
    ballots = _num(t, "ballots")
    if ballots is None:
        return []
    cand = _cands(t).sum(axis=1, min_count=1)
    diff = cand - ballots
    mask = (diff.fillna(0) > 0).to_numpy()
    return _finding(t, mask, "candidates-gt-ballots", "error", "More candidate votes than ballots",
                    "{n} rows: the candidates' votes add up to more than the ballots counted",
                    extra=["ballots"], net_excess=int(diff[mask].sum()) if mask.any() else 0)


CHECKS: list[Callable[[Tally], list[Finding]]] = [
    duplicate_keys, total_rows, negative_counts, all_zero, no_figures,
    candidates_vs_valid, valid_invalid_vs_ballots, candidates_vs_ballots, ballots_vs_registered,
]


def run_checks(t: Tally) -> list[Finding]:
    out: list[Finding] = []
    for check in CHECKS:
        out.extend(check(t))
    return out


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
