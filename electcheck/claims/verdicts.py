"""The verdict rubric of DESIGN.md ("Claim verdicts"), and nothing else.

- supported: on the standard basis the actual value lies in the interval;
- misleading: not on the standard basis, but on a named alternative basis;
- contradicted: on no basis;
- unverifiable: the quantity is not in the data, or the data cannot determine it.

A value known only as a lower bound L (registered electors when some units lack them) is supported
when the interval holds all of [L, ∞), contradicted when it lies below L, unverifiable otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import math

from .facts import LOWER_BOUND, Value
from .hedges import Interval

VERDICTS = ("supported", "misleading", "contradicted", "unverifiable")
_RANK = {"supported": 0, "misleading": 1, "contradicted": 2, "unverifiable": 3}


@dataclass(frozen=True)
class Decision:
    verdict: str
    standard: Value | None  # the value on the standard basis
    matched: Value | None  # the value that lies in the interval (standard or alternative)
    alternatives: tuple[Value, ...] = ()


def decide(interval: Interval, values: list[Value]) -> Decision:
    """``values[0]`` is on the standard basis; the rest are alternatives."""
    if not values:
        return Decision("unverifiable", None, None)
    std, alts = values[0], tuple(values[1:])
    if std.basis == LOWER_BOUND:
        # the true value is some v ≥ L: supported only if every such v is allowed, contradicted if none is
        if math.isinf(interval.high) and interval.contains(std.value):
            return Decision("supported", std, std, alts)
        if interval.high < std.value or (interval.high == std.value and not interval.high_closed):
            return Decision("contradicted", std, None, alts)
        return Decision("unverifiable", None, None)
    if interval.contains(std.value):
        return Decision("supported", std, std, alts)
    for v in alts:
        if interval.contains(v.value):
            return Decision("misleading", std, v, alts)
    return Decision("contradicted", std, None, alts)


def better(a: str, b: str) -> bool:
    """True if verdict ``a`` is more favourable to the claim than ``b``."""
    return _RANK[a] < _RANK[b]
