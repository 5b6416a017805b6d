""""Putin got 71% and 75% in Moscow and St Petersburg, respectively": a list of names paired in order
with a list of figures.

When a sentence has a "respectively" cue (``[scope] respectively`` of the vocabulary files:
"respectively", "respectivamente", "masing-masing"), the figures listed right before the cue
(joined by commas or "and") are paired, in order, with the same number of places — or else of
candidates — named between the figure before the list and the list itself, or else of years. Without an exact count
match nothing is paired: the usual nearest-name rules apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import vocab

#: between two listed figures: a unit word, then a comma or "and"
_LIST_JOIN = re.compile(r"^\s*(?:%|percent|per\s+cent|por\s+ciento|por\s+cento|persen)?\s*"
                        r"(?:,\s*(?:and|y|e|dan|serta)?|and|y|e|dan|serta)\s*"
                        r"(?:(?:un|una|el|la|o|a|um|uma|the|con|com|with|dengan)\s+)?$")


@dataclass(frozen=True)
class _Year:
    key: str
    start: int
    end: int


def respectively_pairs(f: str, sent_start: int, sent_end: int, lang: str, mentions, hits, regions
                       ) -> dict[int, tuple[str, object]]:
    """{number start: ("region" | "candidate" | "year", key)} for the figures a "respectively" cue pairs
    ("En 2004 y 2000, Putin ganó con un 71,31% y un 52,9%, respectivamente": years too)."""
    cue = vocab.phrase_pattern("scope", "respectively", lang).search(f, sent_start, sent_end)
    if cue is None:
        return {}
    nums = [m for m in mentions if m.kind == "number" and m.end <= cue.start()]
    if len(nums) < 2:
        return {}
    group = [nums[-1]]
    for m in reversed(nums[:-1]):
        if not _LIST_JOIN.match(f[m.end:group[0].start]):
            break
        group.insert(0, m)
    if len(group) < 2:
        return {}
    lo = nums[len(nums) - len(group) - 1].end if len(nums) > len(group) else sent_start
    hi = group[0].start

    def named(items):
        keys = []
        for h in sorted(items, key=lambda h: h.start):
            if lo <= h.start and h.end <= hi and (not keys or keys[-1] != h.key):
                keys.append(h.key)
        return keys

    dated = [_Year(y.group(0), m.start, m.end) for m in mentions
             if m.kind == "year" and (y := re.search(r"(?:19|20)\d\d", m.text))]
    for kind, items in (("region", regions), ("candidate", hits), ("year", dated)):
        keys = named(items)
        if len(keys) == len(group):
            return {m.start: (kind, k) for m, k in zip(group, keys)}
    return {}
