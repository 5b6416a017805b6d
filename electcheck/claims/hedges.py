"""Hedge words before a number, and the interval a stated value allows (DESIGN.md).

| hedge | interval |
| none | [X − p/2, X + p)  (rounded or truncated) |
| about | [X − p, X + p] |
| almost | [X − p, X] |
| over | (X, ∞) |
| at least | [X, ∞) |
| under | (−∞, X) |
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

HEDGES: dict[str, tuple[str, ...]] = {
    "about": ("about", "around", "approximately", "roughly", "some", "close to", "an estimated",
              "alrededor de", "aproximadamente", "cerca de", "unos", "unas", "aprox.", "en torno a",
              "aproximadamente unos", "casi unos"),
    "almost": ("almost", "nearly", "just under", "just shy of", "casi", "poco menos de", "cerca del"),
    "over": ("over", "more than", "above", "in excess of", "upwards of", "just over", "well over",
             "más de", "mas de", "superior a", "superiores a", "por encima de", "más del", "mas del",
             "over the", "poco más de", "poco mas de"),
    "at least": ("at least", "no fewer than", "no less than", "al menos", "por lo menos", "como mínimo",
                 "como minimo"),
    "under": ("under", "less than", "fewer than", "below", "menos de", "menos del", "inferior a",
              "por debajo de"),
}

_PHRASES = sorted(((p, h) for h, ps in HEDGES.items() for p in ps), key=lambda t: -len(t[0]))
_RX = re.compile(r"(?:^|[\s(“\"'])(" + "|".join(re.escape(p) for p, _ in _PHRASES) + r")\s+(?:the\s+|el\s+|la\s+|los\s+|las\s+|de\s+)?(?:\$\s*)?$")
_LOOKUP = {p: h for p, h in _PHRASES}
_COMPARISON = re.compile(r"(\d|points?|puntos?|percent|%|votes|votos|million|millones)\s*$")


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
    return _LOOKUP[m.group(1)], m.group(1)


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


def interval(x: float, p: float, hedge: str) -> Interval:
    """The values the words allow for stated value ``x`` at precision ``p``."""
    inf = math.inf
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
