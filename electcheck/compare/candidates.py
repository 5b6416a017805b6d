"""Which candidate columns the two tallies share, and how the rest are folded.

Two sources may list candidates differently: CNE bulletin 1 gives Maduro,
González and "others"; the opposition actas give all ten candidates. The
comparison runs on the candidate ids both sides have; when one side has an
"others" column, the other side's remaining candidates are summed into it.
Candidates that are on one side only and cannot be folded are listed and left
out of the differences (never silently).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..model import Tally

OTHERS_IDS = {"OTHERS", "OTHER", "OTROS", "OTRO", "OTHERS_TOTAL"}


@dataclass
class CandidatePlan:
    """The candidate columns compared, and what was done to make them comparable."""

    ids: list[str]
    names: dict[str, str]
    #: side -> {folded-into id: [ids summed into it]}
    folded: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: side -> ids present on that side only and not compared
    dropped: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"compared": list(self.ids), "names": dict(self.names),
                "folded": self.folded, "not_compared": self.dropped}


def _is_others(cid: str) -> bool:
    return cid.upper() in OTHERS_IDS


def plan_candidates(official: Tally, independent: Tally) -> CandidatePlan:
    o_ids, i_ids = official.candidate_ids, independent.candidate_ids
    common = [c for c in o_ids if c in i_ids]
    names = {c.id: c.name for c in (*independent.meta.candidates, *official.meta.candidates)}
    plan = CandidatePlan(ids=list(common), names={c: names.get(c, c) for c in common},
                         folded={}, dropped={})
    for side, mine, other in (("official", o_ids, i_ids), ("independent", i_ids, o_ids)):
        extra = [c for c in other if c not in mine]  # ids the other side has and this one lacks
        others_here = [c for c in mine if _is_others(c) and c not in other]
        if extra and others_here:
            target = others_here[0]
            fold_side = "independent" if side == "official" else "official"
            plan.folded.setdefault(fold_side, {})[target] = [c for c in extra if not _is_others(c)]
            if target not in plan.ids:
                plan.ids.append(target)
                plan.names[target] = names.get(target, target)
    for side, mine in (("official", o_ids), ("independent", i_ids)):
        folded_away = {c for lst in plan.folded.get(side, {}).values() for c in lst}
        rest = [c for c in mine if c not in plan.ids and c not in folded_away]
        if rest:
            plan.dropped[side] = rest
    return plan


def candidate_frame(tally: Tally, plan: CandidatePlan, side: str, data: pd.DataFrame | None = None
                    ) -> pd.DataFrame:
    """Candidate columns of ``data`` (default the tally's) in plan order, with folding applied."""
    df = tally.data if data is None else data
    out = {}
    folds = plan.folded.get(side, {})
    for cid in plan.ids:
        if cid in folds:
            parts = [df[c] for c in folds[cid] if c in df.columns]
            out[cid] = pd.concat(parts, axis=1).sum(axis=1, min_count=1) if parts else pd.NA
        else:
            out[cid] = df[cid]
    return pd.DataFrame(out, index=df.index)
