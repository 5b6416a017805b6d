"""The frame of one number: everything read from the text before any data is consulted.

value and precision (and the upper end of a range), hedge, quantity, subject
(candidate, opponent, region), scope (``nation`` | ``region`` | ``subset`` with the
units' subset), attribution and modality. Verdicts come from the frame and the rubric
(``verdicts.decide``) only; ``read_as`` is the line of the explanation that says how
the frame was read ("Read as: turnout, national, reported by the CNE").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from . import vocab
from .attribution import Attribution
from .explain import authority_name


@dataclass
class Frame:
    value: float
    precision: float
    high: float | None
    hedge: str
    quantity: str
    candidate: str | None
    region: str | None
    level: str | None  # the hierarchy level of the region ("state", "region", "province")
    scope: str  # nation | region | subset
    units: str | None  # all | full_turnout | won_by | subset (counts and shares of units)
    attribution: Attribution

    def to_dict(self) -> dict:
        d = asdict(self)
        a = d.pop("attribution")
        d.update({"attribution": a["kind"], "attributed_to": a["who"], "modality": a["modality"],
                  "cue": a["cue"] or None})
        return d

    def read_as(self, lang: str, quantity_name: str, candidate_name: str | None = None) -> str:
        w = vocab.explain_words(lang)
        parts = [quantity_name + (f" ({candidate_name})" if candidate_name else "")]
        if self.region:
            parts.append(f"{w['region']} ({self.level}) {self.region}" if self.level else f"{w['region']} {self.region}")
        elif self.scope == "subset":
            parts.append(w["subset"])
        else:
            parts.append(w["national"])
        a = self.attribution
        if a.kind in ("authority", "party"):
            parts.append(w[a.kind].format(who=authority_name(a.who or a.cue, lang)))
        elif a.kind in ("exit_poll", "estimate", "poll"):
            parts.append(w[a.kind])
        else:
            parts.append(w["author"])
        if a.modality != "asserted" and a.kind not in ("exit_poll", "estimate", "poll"):
            parts.append(w[a.modality])
        return f"{w['read_as']}: " + ", ".join(parts) + "."
