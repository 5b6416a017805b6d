"""Hedge words before a number, and the interval a stated value allows (DESIGN.md).

| hedge | interval |
| none | [X − p/2, X + p)  (rounded or truncated) |
| about | [X − p, X + p] |
| almost | [X − p, X] |
| over | (X, ∞) |
| at least | [X, ∞) |
| under | (−∞, X) |
| between (a range) | [X − p/2, Y + p) |

The phrases of each hedge live in the vocabulary files (``vocab/*.toml``, ``[hedges]``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from . import vocab

#: hedge -> phrases, from the vocabulary files of every language (``[hedges]``), folded
HEDGES: dict[str, tuple[str, ...]] = {h: vocab.phrases("hedges", h) for h in ("about", "almost", "over", "at least",
                                                                                "under")}

_PHRASES = sorted(((p, h) for h, ps in HEDGES.items() for p in ps), key=lambda t: -len(t[0]))
_RX = re.compile(r"(?:^|[\s(“\"'])(" + vocab.alternation(p for p, _ in _PHRASES) +
                 r")\s+(?:the\s+|el\s+|la\s+|los\s+|las\s+|de\s+|o\s+|a\s+|os\s+|as\s+)?(?:\$\s*|r\$\s*|rp\.?\s*)?$")
_LOOKUP = {p: h for p, h in _PHRASES}
#: one hedge phrase of any language, as a pattern for the cues that allow a hedge between them and their number
#: ("turnout of about", "con casi el", "selisih lebih dari"); spaces are possessive so it can sit in a repeat
HEDGE_PHRASE = "(?:" + vocab.alternation(p for p, _ in _PHRASES).replace(r"\s+", r"\s++") + ")"
_COMPARISON = re.compile(r"(\d|points?|puntos?|percent|%|votes|votos|million|millones)\s*$")


_AFTER_RX = re.compile(r"^\s+(" + vocab.alternation(vocab.phrases("hedges", "over_after")) +
                       r")(?=\s*(?:[.,;:)]|$)|\s+(?:votes?|votos?|suara|de\s+votos|and|y|e|dan)\b)")


def find_hedge_after(folded_after: str) -> tuple[str, str]:
    """("over", phrase) for a hedge written after the number ("9,8 juta lebih", "10 million plus"), else
    ("none", ""). "lebih banyak", "or more than" are comparisons and do not match."""
    m = _AFTER_RX.match(folded_after[:30])
    if not m:
        return "none", ""
    return "over", " ".join(m.group(1).split())


def find_hedge(folded_before: str) -> tuple[str, str]:
    """(hedge, phrase) ending right before a number; ("none", "") when absent.

    ``folded_before`` is the folded text up to the number (see ``text.fold``).
    """
    tail = folded_before[-40:]
    m = _RX.search(tail)
    if not m:
        return "none", ""
    if _COMPARISON.search(tail[:m.start(1)]):
        return "none", ""  # "11 points more than the 68,650,239": a comparison, not a hedge
    phrase = " ".join(m.group(1).split())
    return _LOOKUP[phrase], phrase


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    low_closed: bool
    high_closed: bool

    def contains(self, x: float, eps: float = 1e-9) -> bool:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return False
        lo_ok = x > self.low - eps if self.low_closed else x > self.low + eps
        hi_ok = x < self.high + eps if self.high_closed else x < self.high - eps
        return lo_ok and hi_ok

    def to_dict(self) -> dict:
        return {"low": None if math.isinf(self.low) else self.low,
                "high": None if math.isinf(self.high) else self.high,
                "low_closed": self.low_closed, "high_closed": self.high_closed}

    def text(self, fmt=lambda v: f"{v:,.10g}") -> str:
        lo = "−∞" if math.isinf(self.low) else fmt(self.low)
        hi = "∞" if math.isinf(self.high) else fmt(self.high)
        return f"{'[' if self.low_closed else '('}{lo}, {hi}{']' if self.high_closed else ')'}"


def interval(x: float, p: float, hedge: str, high: float | None = None) -> Interval:
    """The values the words allow for stated value ``x`` at precision ``p``.

    A range ("between 65 and 70 percent", hedge ``between``, upper end ``high``) allows
    [x − p/2, high + p): the unhedged rule applied at both ends.
    """
    inf = math.inf
    if hedge == "between" or high is not None:
        return Interval(x - p / 2, (x if high is None else high) + p, True, False)
    if hedge == "none":
        return Interval(x - p / 2, x + p, True, False)
    if hedge == "about":
        return Interval(x - p, x + p, True, True)
    if hedge == "almost":
        return Interval(x - p, x, True, True)
    if hedge == "over":
        return Interval(x, inf, False, False)
    if hedge == "at least":
        return Interval(x, inf, True, False)
    if hedge == "under":
        return Interval(-inf, x, False, False)
    raise ValueError(f"unknown hedge {hedge!r}")


def rounding_mode(x: float, p: float, actual: float) -> str:
    """For an unhedged number that holds: 'rounded' or 'truncated'."""
    if x - p / 2 - 1e-9 <= actual < x + p / 2 + 1e-9:
        return "rounded"
    return "truncated"
