"""The vectorised checks agree with a plain pandas statement of each rule, on random
tallies with missing values, negatives, totals rows and duplicate keys."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from electcheck.ingest import checks
from electcheck.model import Candidate, Tally, TallyMeta


def _tally(rnd: random.Random, n: int, k: int, with_fields: bool) -> Tally:
    def col(lo=0, hi=50, p_na=0.1):
        return pd.array([None if rnd.random() < p_na else rnd.randint(lo, hi) for _ in range(n)], dtype="Int64")

    data = {"unit_id": pd.array([f"u{rnd.randint(0, n * 3)}" for _ in range(n)], dtype="string"),
            "province": pd.array([rnd.choice(["A", "B", "Total", " jumlah ", None]) for _ in range(n)],
                                 dtype="string")}
    ids = [f"c{i}" for i in range(k)]
    for c in ids:
        data[c] = col(-2 if rnd.random() < 0.3 else 0)
    if with_fields:
        data["registered"], data["ballots"] = col(0, 120), col(0, 110)
        data["valid"], data["invalid"] = col(0, 100), col(0, 5)
    data["source_row"] = np.arange(2, n + 2)
    meta = TallyMeta("t", "official", "", "unit", [Candidate(c, c) for c in ids], hierarchy=["province"])
    return Tally(pd.DataFrame(data), meta)


def _reference(t: Tally) -> dict[str, int]:
    """Row counts of each rule in plain pandas (the rules as docs/ingest.md states them)."""
    d, c = t.data, t.data[t.candidate_ids]
    out = {"duplicate-key": int(d["unit_id"].duplicated(keep=False).sum())}
    s = c.sum(axis=1, min_count=1)
    out["all-zero"] = int(((c.fillna(0).sum(axis=1) == 0) & c.notna().any(axis=1)).sum())
    out["no-figures"] = int(c.isna().all(axis=1).sum())
    out["negative-count"] = int((d[t.count_columns()].fillna(0) < 0).any(axis=1).sum())

    def num(col):
        return d[col] if col in d and not d[col].isna().all() else None

    valid, invalid, ballots, reg = num("valid"), num("invalid"), num("ballots"), num("registered")
    if valid is not None:
        out["candidates-ne-valid"] = int(((s - valid).fillna(0) != 0).sum())
    if valid is not None and invalid is not None and ballots is not None:
        out["valid-invalid-ne-ballots"] = int(((valid + invalid - ballots).fillna(0) != 0).sum())
    if ballots is not None:
        out["candidates-gt-ballots"] = int(((s - ballots).fillna(0) > 0).sum())
    if reg is not None:
        voted = s if ballots is None else pd.concat([ballots, s], axis=1).max(axis=1, skipna=True)
        out["votes-gt-registered"] = int((((voted - reg).fillna(0) > 0) & reg.notna()).sum())
    return {k: v for k, v in out.items() if v}


@pytest.mark.parametrize("seed", range(12))
def test_checks_match_the_pandas_statement_of_each_rule(seed):
    rnd = random.Random(seed)
    t = _tally(rnd, rnd.choice([5, 300, 12_000]), rnd.choice([0, 1, 3]), with_fields=seed % 3 != 0)
    got = {f.code: f.evidence["count"] for f in checks.run_checks(t) if f.code != "total-row"}
    assert got == _reference(t)
    for f in checks.run_checks(t):
        assert len(f.location["rows"]) == min(f.evidence["count"], checks.MAX_EXAMPLES)
        assert f.location["rows"] == sorted(f.location["rows"])


def test_total_labels_found_in_large_columns():
    n = 30_000
    names = pd.array([f"desa {i % 500}" for i in range(n - 1)] + ["TOTAL"], dtype="string")
    codes = pd.array([f"{i:08d}" for i in range(n)], dtype="string")
    assert checks._matches_total(pd.Series(names)).nonzero()[0].tolist() == [n - 1]
    assert not checks._matches_total(pd.Series(codes)).any()
    mixed = pd.array([f"k{i}" for i in range(n - 1)] + ["Jumlah"], dtype="string")
    assert checks._matches_total(pd.Series(mixed)).nonzero()[0].tolist() == [n - 1]


def test_all_distinct_never_claims_distinct_keys_that_repeat():
    rnd = random.Random(5)
    for _ in range(300):
        n = rnd.randint(2, 2000)
        alphabet = rnd.choice(["ab", "ab\x00", "0123456789-", "xyzé"])
        vals = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, rnd.choice([3, 8, 9, 16]))))
                for _ in range(n)]
        arr = pa.array(vals, pa.large_string())
        if rnd.random() < 0.3:
            arr = arr.slice(rnd.randint(0, n // 2))
        got = checks._all_distinct(arr)
        assert got is None or got == (len(set(arr.to_pylist())) == len(arr))


def test_parallel_checks_give_the_same_findings_in_the_same_order(monkeypatch):
    t = _tally(random.Random(99), 5_000, 3, with_fields=True)
    monkeypatch.setattr(checks, "PARALLEL_ROWS", 10**9)
    one = [f.to_dict() for f in checks.run_checks(t)]
    monkeypatch.setattr(checks, "PARALLEL_ROWS", 1)
    two = [f.to_dict() for f in checks.run_checks(t)]
    assert one == two and one
