"""Benjamini–Hochberg false-discovery-rate control across the whole family of p-values.

Citation: Y. Benjamini, Y. Hochberg, "Controlling the false discovery rate",
JRSS B 57(1):289–300, 1995.

The family is every (test × subject × scope) result that is applicable, has
a p-value and is not labelled anti-conservative; its size and make-up are
returned so the output can state them. q-values are the BH-adjusted
p-values (monotone step-up).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Sequence

import numpy as np

from .base import TestResult


def bh(p: Sequence[float]) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def adjust(results: list[TestResult]) -> dict[str, Any]:
    """Fill ``q_value`` in place; return a description of the family."""
    fam = [r for r in results if r.in_family]
    q = bh([r.p_value for r in fam])
    for r, qq in zip(fam, q):
        r.q_value = float(qq)
    tests = Counter(r.test for r in fam)
    return {
        "method": "Benjamini–Hochberg",
        "size": len(fam),
        "members": "tests × subjects (candidates, turnout) × scopes (national and each region)",
        "by_test": dict(sorted(tests.items())),
        "scopes": len({r.scope for r in fam}),
        "excluded": {
            "not_applicable": sum(1 for r in results if not r.applicable),
            "no_p_value": sum(1 for r in results if r.applicable and r.p_value is None),
            "anti_conservative": sum(1 for r in results if r.applicable and r.calibration == "anti-conservative"),
        },
    }
