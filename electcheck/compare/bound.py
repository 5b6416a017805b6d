"""The bound: can the units the independent tally does not cover produce the declared result?

Notation: ``I_c`` is candidate c's total in the independent tally (covered
units only), ``O_c`` the official (declared) total, ``W`` the declared winner,
``R`` the candidate leading W in the independent tally (or the declared
runner-up if W also leads there), and ``U`` the uncovered electors:

    U = registry total − registered electors of the covered units

(see ``coverage`` for how covered electors are found and when U is an upper
bound). Worst case for the independent tally: every uncovered elector voted,
and voted for W. Then

- W's total can reach at most ``I_W + U``;
- the margin W − R can reach at most ``(I_W − I_R) + U``;
- no candidate can end below ``I_c`` (votes on tally sheets cannot be
  un-counted by adding more units): a declared ``O_c < I_c`` is below the floor;
- the declared result as a whole needs ``O_c ≥ I_c`` for every c *and*
  ``Σ_c (O_c − I_c) ≤ U`` (the extra votes must fit in the uncovered electors).

Where the official source also declares its number of voters (ballots), a
second, tighter check uses the authority's own figure: the uncovered units
can hold at most ``B_O − B_I`` voters (declared ballots minus ballots on the
covered tally sheets).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Bound:
    declared_winner: str
    compared_with: str
    uncovered_electors: int
    #: "exact", "upper bound" (some covered units' electors are lower bounds) or "approximate"
    #: (the registry total itself is a sum over listed units, some without figures)
    uncovered_electors_basis: str
    declared: dict[str, int]
    counted: dict[str, int]
    # winner's total
    declared_winner_total: int
    max_winner_total: int
    winner_total_reachable: bool
    winner_votes_needed: int
    share_of_uncovered_needed: float | None
    # margin
    declared_margin: int
    counted_margin: int
    max_winner_margin: int
    winner_can_lead: bool
    declared_margin_reachable: bool
    # floor and whole result
    below_floor: dict[str, dict[str, int]]
    extra_votes_needed: int
    declared_result_reachable: bool
    # authority's own voters
    declared_voters: int | None = None
    counted_voters: int | None = None
    max_uncovered_voters: int | None = None
    max_winner_total_by_declared_voters: int | None = None
    winner_total_reachable_by_declared_voters: bool | None = None
    assumptions: list[str] = field(default_factory=list)
    verdict: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def compute_bound(declared: dict[str, int], counted: dict[str, int], candidates: list[str],
                  uncovered: int, uncovered_basis: str, declared_voters: int | None,
                  counted_voters: int | None, names: dict[str, str] | None = None,
                  assumptions: list[str] | None = None) -> Bound | None:
    names = names or {}
    cands = [c for c in candidates if declared.get(c) is not None and counted.get(c) is not None]
    if len(cands) < 2:
        return None
    w = max(cands, key=lambda c: (declared[c], -cands.index(c)))
    others = [c for c in cands if c != w]
    lead_i = max(others, key=lambda c: (counted[c], -others.index(c)))
    if counted[lead_i] <= counted[w]:  # W leads in the tally too: compare with declared runner-up
        lead_i = max(others, key=lambda c: (declared[c], -others.index(c)))
    U = max(int(uncovered), 0)
    max_w = counted[w] + U
    need = declared[w] - counted[w]
    d_margin = declared[w] - declared[lead_i]
    c_margin = counted[w] - counted[lead_i]
    max_margin = c_margin + U
    floor = {c: {"declared": declared[c], "counted": counted[c], "shortfall": counted[c] - declared[c]}
             for c in cands if declared[c] < counted[c]}
    extra = sum(max(declared[c] - counted[c], 0) for c in cands)
    reachable = not floor and extra <= U
    b = Bound(
        declared_winner=w, compared_with=lead_i, uncovered_electors=U,
        uncovered_electors_basis=uncovered_basis,
        declared={c: int(declared[c]) for c in cands}, counted={c: int(counted[c]) for c in cands},
        declared_winner_total=int(declared[w]), max_winner_total=int(max_w),
        winner_total_reachable=bool(max_w >= declared[w]), winner_votes_needed=int(max(need, 0)),
        share_of_uncovered_needed=(need / U) if U else None,
        declared_margin=int(d_margin), counted_margin=int(c_margin), max_winner_margin=int(max_margin),
        winner_can_lead=bool(max_margin > 0), declared_margin_reachable=bool(max_margin >= d_margin),
        below_floor=floor, extra_votes_needed=int(extra), declared_result_reachable=bool(reachable),
        assumptions=list(assumptions or []),
    )
    if declared_voters is not None and counted_voters is not None:
        room = max(int(declared_voters) - int(counted_voters), 0)
        b.declared_voters, b.counted_voters = int(declared_voters), int(counted_voters)
        b.max_uncovered_voters = room
        b.max_winner_total_by_declared_voters = int(counted[w] + room)
        b.winner_total_reachable_by_declared_voters = bool(counted[w] + room >= declared[w])
    b.verdict = verdict_text(b, names)
    return b


def verdict_text(b: Bound, names: dict[str, str]) -> str:
    W = names.get(b.declared_winner, b.declared_winner)
    R = names.get(b.compared_with, b.compared_with)
    up = {"upper bound": "at most ", "approximate": "about "}.get(b.uncovered_electors_basis, "")
    U = f"the uncovered electors ({up}{b.uncovered_electors:,})"
    parts = []
    if b.declared_result_reachable:
        parts.append(f"The declared result is within reach: {U} could supply the "
                     f"{b.extra_votes_needed:,} votes it adds to the tally.")
    else:
        parts.append("The declared result is out of reach of the tally sheets.")
    if not b.winner_can_lead:
        parts.append(f"Even if all {U} had voted for {W}, "
                     f"{W} would end at most {-b.max_winner_margin:,} votes behind {R} "
                     f"(counted margin {b.counted_margin:,}); the declared margin was {b.declared_margin:+,}.")
    elif not b.declared_margin_reachable:
        parts.append(f"The declared margin of {b.declared_margin:+,} over {R} exceeds the most the "
                     f"uncovered electors allow ({b.max_winner_margin:+,}).")
    for c, f in b.below_floor.items():
        parts.append(f"The declared total for {names.get(c, c)} ({f['declared']:,}) is "
                     f"{f['shortfall']:,} below the {f['counted']:,} votes already on the tally sheets.")
    if b.winner_total_reachable:
        share = f", {b.share_of_uncovered_needed:.1%} of them" if b.share_of_uncovered_needed is not None else ""
        parts.append(f"{W}'s declared {b.declared_winner_total:,} alone would need {b.winner_votes_needed:,} "
                     f"of {U}{share}.")
    else:
        parts.append(f"{W}'s declared {b.declared_winner_total:,} is above {b.max_winner_total:,}, the "
                     f"{b.counted[b.declared_winner]:,} counted plus every uncovered elector.")
    if b.max_uncovered_voters is not None:
        verdict = "reachable" if b.winner_total_reachable_by_declared_voters else "out of reach"
        parts.append(f"By the official source's own count of {b.declared_voters:,} voters, at most "
                     f"{b.max_uncovered_voters:,} voted outside the tally sheets, so {W} could reach at most "
                     f"{b.max_winner_total_by_declared_voters:,}: the declared total is {verdict}.")
    return " ".join(parts)
