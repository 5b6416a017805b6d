"""Roles as newspapers write them: "the incumbent", "el opositor", "chavismo" → a candidate id.

Why a table here rather than aliases in the profiles: a role is not a name. It
belongs to one election ("the incumbent" is Maduro in Venezuela 2024, Putin in
Russia 2018), and several role phrases are also ordinary words that must be
read in context ("el presidente" is Maduro, "el presidente del CNE" is not;
"la oposición" is González, "la líder de la oposición" is Machado). The
profiles keep the candidates' names and aliases; this module keeps, per
election, which candidate holds which role, and the phrases (with their
context guards) that name a role.

``ROLE_HOLDERS`` keys are matched against the start of the tally's source name
(``venezuela-2024/opposition-v2`` → ``venezuela-2024``). Add a line there to
give another election its incumbent or its opposition candidate.
"""

from __future__ import annotations

import re

from ..model import Tally

#: election (start of the source name) -> role -> candidate id
ROLE_HOLDERS: dict[str, dict[str, str]] = {
    "venezuela-2024": {"incumbent": "NM", "opposition": "EG"},
    "russia-2004": {"incumbent": "putin", "russian_leader": "putin"},
    "russia-2018": {"incumbent": "putin", "russian_leader": "putin"},
    "russia-2024": {"incumbent": "putin", "russian_leader": "putin"},
    "indonesia-2019": {"incumbent": "pas1", "challenger": "pas2"},
}

_NOT_OF = r"(?![\s-]+(?:of|del|de\s+la|de\s+los|de\s+las|de\s+el|do|da|electo|electa|elect)\b)"
#: "do país", "of the country" after a role: still the role ("o atual presidente do país")
_OF_COUNTRY = r"(?:[\s-]+(?:of\s+the|do|del|de\s+la)\s+(?:pais|country|nation|republica|republic)\b)?"
#: role -> phrases (folded regular expressions: English, Spanish, Portuguese, Indonesian)
ROLE_PHRASES: dict[str, tuple[str, ...]] = {
    "incumbent": (
        # longer phrases first
        r"the\s+incumbent(?:\s+president)?", r"the\s+sitting\s+president",
        r"(?:el|al)\s+actual\s+(?:gobernante|mandatario|presidente)" + _NOT_OF, r"the\s+president" + _NOT_OF,
        r"(?:el|al)\s+(?:presidente|mandatario|gobernante)" + _NOT_OF,
        r"(?:el\s+)?candidato\s+oficialista", r"(?:el\s+)?chavismo", r"(?:el\s+)?oficialismo",
        # Portuguese: "o atual presidente (do país)", "o chavista", "o candidato governista"
        r"(?:o|ao)\s+atual\s+(?:presidente|mandatario|governante)" + _OF_COUNTRY + _NOT_OF,
        r"(?:o|el)\s+chavista", r"(?:o\s+)?candidato\s+(?:governista|oficialista|chavista)",
        r"(?:o|ao)\s+(?:presidente|mandatario|governante)" + _NOT_OF,
        # Chávez's heir (Venezuela only, where the table names him): "o sucessor de Chávez", "Chavez's successor"
        r"(?:o|ao|el|al|the)\s+(?:sucessor|sucesor|successor|heredero|herdeiro|heir)\s+(?:de|of|to)\s+(?:hugo\s+)?chavez",
        r"(?:hugo\s+)?chavez's\s+(?:successor|heir|protege)",
        # Indonesian: "petahana", "capres petahana"
        r"(?:capres\s+|calon\s+)?petahana",
    ),
    "opposition": (
        r"(?:the\s+)?opposition\s+candidate", r"the\s+opposition's\s+candidate",
        r"the\s+opposition(?!\s+(?:leader|coalition|party|parties|alliance|figure|politician|activist))",
        # longer phrases first: "el candidato de la oposición" before "la oposición"
        r"(?:el\s+)?candidato\s+(?:opositor|de\s+la\s+oposicion)", r"(?:el\s+)?abanderado\s+de\s+la\s+oposicion",
        r"(?<!lider\sde\s)(?<!lideresa\sde\s)la\s+oposicion", r"el\s+opositor", r"al\s+opositor",
        # Portuguese
        r"(?:o\s+)?candidato\s+(?:opositor|da\s+oposicao)", r"(?<!lider\sda\s)(?<!lideranca\sda\s)a\s+oposicao",
        r"(?:o|ao)\s+opositor",
    ),
    # the head of state named by nationality ("the Russian leader", "o líder russo"): only for the
    # elections where ROLE_HOLDERS says who holds it, so a Russian leader in a Venezuelan story is nobody
    "russian_leader": (r"the\s+russian\s+(?:leader|president)", r"(?:el|al)\s+(?:lider|presidente|mandatario)\s+ruso",
                       r"(?:o|ao)\s+(?:lider|presidente)\s+russo", r"presiden\s+rusia",
                       # "el jefe del Kremlin", "the Kremlin leader", "o chefe do Kremlin", "pemimpin Kremlin"
                       r"(?:el|al)\s+(?:jefe|lider|inquilino)\s+del\s+kremlin", r"the\s+kremlin\s+(?:leader|chief|boss)",
                       r"(?:o|ao)\s+(?:chefe|lider)\s+do\s+kremlin", r"pemimpin\s+kremlin"),
    "challenger": (r"the\s+challenger", r"his\s+challenger", r"el\s+retador", r"(?:capres\s+)?penantang"),
}


def role_holders(tally: Tally) -> dict[str, str]:
    """Role -> candidate id for the election of ``tally`` (empty when the table has none)."""
    src = (tally.meta.source or "").lower()
    ids = set(tally.candidate_ids)
    for key, roles in ROLE_HOLDERS.items():
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
        for p in ROLE_PHRASES.get(role, ()):
            out.append((cid, re.compile(r"(?<![\w])" + p + r"(?![\w])"), role))
    return out
