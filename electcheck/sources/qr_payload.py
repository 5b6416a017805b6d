"""QR payloads of tally sheets, parsed by a layout description (the ``[qr]`` table of a mapping).

A payload is text: fields split by a separator; one field is the unit's code, one
holds the per-card counts as a list, other fields hold single numbers (null votes,
invalid votes). The layout says which is which, and the cards in ballot order with
the candidate each belongs to, so a new country is a TOML edit, not code::

    [qr]
    separator = "!"            # between fields
    fields = 4                 # exact number of fields
    code = 1                   # field number (1-based) of the unit code
    code_pattern = '^\\d{9}\\.\\d{2}\\.\\d+\\.\\d+$'   # optional: a code must match
    counts = 2                 # field holding the card counts
    list_separator = ","
    region = [0.0, 0.5, 1.0, 1.0]   # where the QR usually is on a photo (left, top, right, bottom)
    conflict_rule = "first"    # two photos, one code, different counts: "first" (file order) or "none"
    cards = [{name = "PSUV", candidate = "NM"}, ...]   # ballot order
    [qr.numbers]               # other numeric fields: Tally column = field number
    invalid = 3

The Venezuelan 2024 acta (ACTA-QR.md: ``CODE!v1,…,v38!NULL!INVALID``) is the ``[qr]``
table of the built-in profile ``venezuela-2024/acta-qr``; :func:`venezuela_2024` loads it.

:func:`parse_payload` returns a :class:`Payload` or raises :class:`PayloadError`, whose
``reason`` is one of :data:`REASONS` and whose message names the field and the value.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

#: reason code -> plain description (quarantine reasons of a payload)
REASONS = {
    "payload-fields": "payload malformed: wrong number of fields",
    "payload-count-list": "payload malformed: wrong number of counts in the count list",
    "payload-number": "payload malformed: a count is not a whole number",
    "payload-code": "payload malformed: the unit code does not have the expected form",
}
#: longest payload looked at (a QR code holds at most 7,089 characters)
MAX_PAYLOAD = 8000
#: longest count accepted, in digits (a count cannot exceed any electorate)
MAX_DIGITS = 12
_DIGITS = re.compile(r"\d{1,%d}" % MAX_DIGITS)


class PayloadError(ValueError):
    """A payload that does not fit the layout; ``reason`` is a key of :data:`REASONS`."""

    def __init__(self, reason: str, message: str, value: str = ""):
        super().__init__(message)
        self.reason, self.message, self.value = reason, message, value


@dataclass(frozen=True)
class Card:
    """One party card (tarjeta) in ballot order."""

    name: str        # as printed ("ALIANZA DEL LAPIZ")
    candidate: str   # candidate id the card's votes count for
    column: str      # Tally column of the card's count ("card_ALIANZA_DEL_LAPIZ")


@dataclass(frozen=True)
class QrLayout:
    """How a payload is laid out (see the module docstring)."""

    cards: tuple[Card, ...]
    separator: str = "!"
    fields: int = 4
    code: int = 1
    counts: int = 2
    list_separator: str = ","
    code_pattern: str | None = None
    numbers: tuple[tuple[str, int], ...] = ()          # (Tally column, field number)
    region: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
    conflict_rule: str = "first"
    origin: str = ""

    @property
    def card_columns(self) -> list[str]:
        return [c.column for c in self.cards]

    def candidates(self) -> list[str]:
        """Candidate ids in ballot order of their first card."""
        return list(dict.fromkeys(c.candidate for c in self.cards))

    def candidate_columns(self) -> dict[str, list[str]]:
        """Candidate id -> the card columns summed into it (ballot order)."""
        out: dict[str, list[str]] = {}
        for c in self.cards:
            out.setdefault(c.candidate, []).append(c.column)
        return out

    @functools.cached_property
    def _code_re(self) -> re.Pattern | None:
        return re.compile(self.code_pattern) if self.code_pattern else None


@dataclass(frozen=True)
class Payload:
    text: str
    code: str
    counts: tuple[int, ...]                 # one per card, ballot order
    numbers: dict[str, int] = field(default_factory=dict)

    def candidate_totals(self, layout: QrLayout) -> dict[str, int]:
        out = {cid: 0 for cid in layout.candidates()}
        for card, v in zip(layout.cards, self.counts):
            out[card.candidate] += v
        return out


def parse_payload(text: str, layout: QrLayout) -> Payload:
    """Split ``text`` by ``layout``; raise :class:`PayloadError` naming what does not fit."""
    if len(text) > MAX_PAYLOAD:
        raise PayloadError("payload-fields", f"payload is {len(text):,} characters long; not a tally QR code",
                           text[:80])
    t = text.strip()
    parts = t.split(layout.separator)
    if len(parts) != layout.fields:
        raise PayloadError("payload-fields", f"payload has {len(parts)} field(s) separated by "
                           f"{layout.separator!r}; the layout expects {layout.fields}", t[:200])
    code = parts[layout.code - 1].strip()
    if not code or (layout._code_re is not None and not layout._code_re.fullmatch(code)):
        raise PayloadError("payload-code", f"field {layout.code} (the unit code) is {code[:60]!r}, which does "
                           f"not match {layout.code_pattern!r}" if code else
                           f"field {layout.code} (the unit code) is empty", code[:200])
    items = parts[layout.counts - 1].split(layout.list_separator)
    if len(items) != len(layout.cards):
        raise PayloadError("payload-count-list", f"field {layout.counts} holds {len(items)} counts; the layout "
                           f"has {len(layout.cards)} cards", parts[layout.counts - 1][:200])
    counts = []
    for i, v in enumerate(items):
        v = v.strip()
        if not _DIGITS.fullmatch(v):
            raise PayloadError("payload-number", f"count {i + 1} ({layout.cards[i].name}) is {v[:30]!r}, not a "
                               "whole number", v[:60])
        counts.append(int(v))
    numbers = {}
    for col, k in layout.numbers:
        v = parts[k - 1].strip()
        if not _DIGITS.fullmatch(v):
            raise PayloadError("payload-number", f"field {k} ({col}) is {v[:30]!r}, not a whole number", v[:60])
        numbers[col] = int(v)
    return Payload(t, code, tuple(counts), numbers)


# --- layouts from TOML ----------------------------------------------------------------

_KEYS = {"separator", "fields", "code", "code_pattern", "counts", "list_separator", "region", "cards",
         "numbers", "conflict_rule"}


def card_column(name: str) -> str:
    """Tally column of a card: ``card_`` + the name with every run of other characters as ``_``."""
    return "card_" + (re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_") or "x")


def layout_from_dict(d: dict[str, Any], origin: str = "mapping") -> QrLayout:
    """A :class:`QrLayout` from a mapping's ``[qr]`` table (raises :class:`InputError` naming the problem)."""
    def bad(msg: str) -> InputError:
        return InputError(f"[qr] {msg}", file=origin, hint="See docs/actas.md for the [qr] table")

    if not isinstance(d, dict):
        raise bad("must be a table")
    unknown = set(d) - _KEYS
    if unknown:
        raise bad(f"unknown key(s): {', '.join(sorted(unknown))} (known: {', '.join(sorted(_KEYS))})")
    n_fields = d.get("fields", 4)
    if not isinstance(n_fields, int) or not 1 <= n_fields <= 100:
        raise bad("'fields' must be the number of fields (1-100)")

    def field_no(key: str, default: int | None) -> int:
        k = d.get(key, default)
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= n_fields:
            raise bad(f"'{key}' must be a field number from 1 to {n_fields}")
        return k

    code, counts = field_no("code", 1), field_no("counts", 2)
    sep, list_sep = d.get("separator", "!"), d.get("list_separator", ",")
    for name, s in (("separator", sep), ("list_separator", list_sep)):
        if not isinstance(s, str) or not 1 <= len(s) <= 5:
            raise bad(f"'{name}' must be a short text (1-5 characters)")
    pattern = d.get("code_pattern")
    if pattern is not None:
        if not isinstance(pattern, str) or len(pattern) > 300:
            raise bad("'code_pattern' must be a regular expression (at most 300 characters)")
        try:
            re.compile(pattern)
        except re.error as e:
            raise bad(f"'code_pattern' is not a regular expression ({e})") from None
    raw_cards = d.get("cards")
    if not isinstance(raw_cards, list) or not raw_cards:
        raise bad("needs 'cards': the cards in ballot order, each {name = ..., candidate = ...}")
    cards = []
    for i, c in enumerate(raw_cards, 1):
        if not isinstance(c, dict) or not isinstance(c.get("name"), str) or not isinstance(c.get("candidate"), str):
            raise bad(f"card {i} must be {{name = \"...\", candidate = \"...\"}}")
        cards.append(Card(c["name"], c["candidate"], str(c.get("column") or card_column(c["name"]))))
    cols = [c.column for c in cards]
    dup = sorted({c for c in cols if cols.count(c) > 1})
    if dup:
        raise bad(f"two cards share the column {dup[0]!r}; give one of them its own 'column'")
    numbers = d.get("numbers", {})
    if not isinstance(numbers, dict):
        raise bad("'numbers' must be a table: column = field number")
    nums = []
    for col, k in numbers.items():
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= n_fields or k in (code, counts):
            raise bad(f"numbers.{col} must be a field number from 1 to {n_fields}, not the code or counts field")
        nums.append((str(col), k))
    region = d.get("region", [0.0, 0.0, 1.0, 1.0])
    if not (isinstance(region, list) and len(region) == 4 and all(isinstance(x, (int, float)) for x in region)
            and 0 <= region[0] < region[2] <= 1 and 0 <= region[1] < region[3] <= 1):
        raise bad("'region' must be [left, top, right, bottom] as fractions of the photo (0-1)")
    rule = d.get("conflict_rule", "first")
    if rule not in ("first", "none"):
        raise bad("'conflict_rule' must be \"first\" (the first photo in file-name order counts) or \"none\" "
                  "(no photo of a conflicting acta counts)")
    return QrLayout(tuple(cards), sep, n_fields, code, counts, list_sep, pattern, tuple(nums),
                    tuple(float(x) for x in region), rule, origin)


PROFILE = "venezuela-2024/acta-qr"


@functools.lru_cache(maxsize=1)
def venezuela_2024() -> QrLayout:
    """The layout of the QR code on the Venezuelan 2024 actas (the built-in profile's ``[qr]`` table)."""
    import tomllib

    path = Path(__file__).parent / "profiles" / "venezuela-2024-acta-qr.toml"
    return layout_from_dict(tomllib.loads(path.read_text(encoding="utf-8"))["qr"], origin=f"profile {PROFILE}")
