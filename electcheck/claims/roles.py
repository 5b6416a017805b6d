"""Roles as newspapers write them: "the incumbent", "el opositor", "chavismo" → a candidate id.

Why a table here rather than aliases in the profiles: a role is not a name. It
belongs to one election ("the incumbent" is Maduro in Venezuela 2024, Putin in
Russia 2018), and several role phrases are also ordinary words that must be
read in context ("el presidente" is Maduro, "el presidente del CNE" is not;
"la oposición" is González, "la líder de la oposición" is Machado). The
profiles keep the candidates' names and aliases; this module reads, per
election, which candidate holds which role, and the phrases (with their
context guards) that name a role.

The phrases and the shipped elections' role holders are data (``vocab/roles.toml``); a user's own
file names its roles in its mapping (``[notes] roles = { incumbent = "ID" }``), which wins over the
table.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from ..model import Tally
from .vocab import VOCAB_DIR


@lru_cache(maxsize=None)
def _roles_file() -> dict:
    with open(VOCAB_DIR / "roles.toml", "rb") as f:
        doc = tomllib.load(f)
    guards = doc.get("guards", {})

    def expand(p: str) -> str:
        for k, v in guards.items():  # plain replacement: the patterns' own braces are regex quantifiers
            p = p.replace("{" + k + "}", v)
        return p

    phrases = {role: tuple(expand(p) for p in ps) for role, ps in doc.get("phrases", {}).items()}
    return {"holders": doc.get("holders", {}), "phrases": phrases}


def role_holders(tally: Tally) -> dict[str, str]:
    """Role -> candidate id for the election of ``tally`` (empty when the table has none)."""
    ids = set(tally.candidate_ids)
    own = tally.meta.notes.get("roles") if isinstance(tally.meta.notes, dict) else None
    if isinstance(own, dict):  # the mapping of a user's own file
        return {str(r): c for r, c in own.items() if isinstance(c, str) and c in ids}
    src = (tally.meta.source or "").lower()
    for key, roles in _roles_file()["holders"].items():
        if src.startswith(key):
            return {r: c for r, c in roles.items() if c in ids}
    return {}


def apposition(text: str, end: int) -> bool:
    """True if a proper name follows the role phrase ("el presidente Gustavo Petro", "the incumbent,
    Vladimir Putin"): the phrase then describes that name, not a candidate by itself."""
    return bool(re.match(r"[\s,]+[A-ZÁÉÍÓÚÑ][\w'’.-]*", text[end:end + 40]))


def role_patterns(tally: Tally) -> list[tuple[str, re.Pattern, str]]:
    """(candidate id, compiled folded pattern, role) for every role phrase of this election."""
    out = []
    for role, cid in role_holders(tally).items():
        for p in _roles_file()["phrases"].get(role, ()):
            out.append((cid, re.compile(r"(?<![\w])" + p + r"(?![\w])"), role))
    return out
