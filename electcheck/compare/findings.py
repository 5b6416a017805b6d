"""Findings for each discrepancy pattern, ranked by their effect on the margin.

Every finding carries ``evidence["margin_effect"]``: the votes by which the
pattern moves the margin between the declared winner and the runner-up
(official minus independent, or the margin the units carry for one-side-only
units). Findings are sorted by its absolute value, largest first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model import SEVERITY_ORDER, Finding
from .align import REASON_TEXT
from .bound import Bound

TOP_UNITS = 20


def _units(n: int) -> str:
    return f"{n:,} unit" if n == 1 else f"{n:,} units"


def _units_evidence(disc: pd.DataFrame, cands: list[str], n: int = TOP_UNITS) -> list[dict]:
    cols = ["unit_id"] + [f"{c}_diff" for c in cands] + ["margin_effect"]
    out = []
    for rec in disc.head(n)[cols].to_dict("records"):
        out.append({k: (None if pd.isna(v) else (int(v) if k != "unit_id" else str(v))) for k, v in rec.items()})
    return out


def bound_findings(b: Bound | None, names: dict[str, str]) -> list[Finding]:
    if b is None:
        return []
    out = []
    W = names.get(b.declared_winner, b.declared_winner)
    if not b.declared_result_reachable or not b.declared_margin_reachable:
        out.append(Finding(
            code="compare.declared-unreachable", severity="error",
            title="The declared result cannot be reached from the independent tally",
            message=b.verdict, location={"area": "nation"},
            evidence={"margin_effect": b.declared_margin - b.counted_margin,
                      "uncovered_electors": b.uncovered_electors, "max_winner_margin": b.max_winner_margin,
                      "declared_margin": b.declared_margin, "max_winner_total": b.max_winner_total,
                      "declared_winner": b.declared_winner}))
    for c, f in b.below_floor.items():
        out.append(Finding(
            code="compare.declared-below-counted", severity="error",
            title=f"Declared total for {names.get(c, c)} is below the votes already counted",
            message=(f"{names.get(c, c)} is declared with {f['declared']:,} votes, but the covered tally sheets "
                     f"alone give {f['counted']:,} ({f['shortfall']:,} more). Adding uncovered units cannot "
                     "lower a total."),
            location={"area": "nation", "candidate": c},
            evidence={"margin_effect": f["shortfall"] if c != b.declared_winner else -f["shortfall"], **f}))
    if b.declared_result_reachable and b.declared_margin_reachable:
        out.append(Finding(
            code="compare.declared-reachable", severity="info",
            title=f"The uncovered units could still produce the declared result for {W}",
            message=b.verdict, location={"area": "nation"},
            evidence={"margin_effect": 0, "uncovered_electors": b.uncovered_electors,
                      "extra_votes_needed": b.extra_votes_needed}))
    return out


def region_findings(roll: pd.DataFrame, cands: list[str], names: dict[str, str], level: str) -> list[Finding]:
    """Areas whose matched units differ, with each candidate's net difference."""
    out = []
    if roll.empty or "margin_effect" not in roll.columns:
        return out
    for rec in roll[roll["differing"] > 0].to_dict("records"):
        nets = {c: (0 if pd.isna(rec[f"{c}_diff"]) else int(rec[f"{c}_diff"])) for c in cands}
        hi = {c: int(rec.get(f"{c}_units_higher", 0)) for c in cands}
        lo = {c: int(rec.get(f"{c}_units_lower", 0)) for c in cands}
        higher = [c for c in cands if nets[c] > 0]
        area = rec.get("name") if isinstance(rec.get("name"), str) else rec["area"]
        parts = ", ".join(f"{names.get(c, c)} {nets[c]:+,} (higher in {hi[c]:,} units, lower in {lo[c]:,})"
                          for c in cands if nets[c] or hi[c] or lo[c])
        if higher:
            title = (f"{area}: official count higher for "
                     + " and ".join(f"{names.get(c, c)} ({nets[c]:+,} net, higher in {hi[c]:,} of "
                                    f"{rec['differing']:,} differing unit{'' if rec['differing'] == 1 else 's'})"
                                    for c in higher))
        else:
            title = f"{area}: {_units(rec['differing'])} differ"
        eff = 0 if pd.isna(rec["margin_effect"]) else int(rec["margin_effect"])
        out.append(Finding(
            code="compare.region-difference", severity="warning",
            title=title,
            message=(f"In {level} {area}, {rec['differing']:,} of {rec['matched']:,} matched units differ; "
                     f"net official − independent: {parts or 'zero'}; effect on the margin {eff:+,}."),
            location={"level": level, "area": str(rec["area"]), "name": area},
            evidence={"margin_effect": eff, "net_difference": nets, "units_higher": hi, "units_lower": lo,
                      "differing": int(rec["differing"]), "matched": int(rec["matched"])}))
    return out


def unit_pattern_findings(disc: pd.DataFrame, cands: list[str], names: dict[str, str]) -> list[Finding]:
    out = []
    if disc.empty:
        return out
    one = disc[disc["candidates_differing"] == 1]
    if len(one):
        by_c = {}
        for c in cands:
            sel = one[f"{c}_diff"].fillna(0) != 0
            if sel.any():
                by_c[c] = {"units": int(sel.sum()), "net": int(one.loc[sel, f"{c}_diff"].sum())}
        desc = "; ".join(f"{names.get(c, c)}: {_units(v['units'])}, net {v['net']:+,}" for c, v in by_c.items())
        out.append(Finding(
            code="compare.single-candidate-difference", severity="warning",
            title=f"{_units(len(one))} differ in one candidate only",
            message=(f"{len(one):,} matched units agree on every candidate but one ({desc}). A difference "
                     "confined to one candidate points to a transcription or alteration of that figure."),
            location={},
            evidence={"margin_effect": int(one["margin_effect"].sum()), "units": len(one), "by_candidate": by_c,
                      "largest": _units_evidence(one, cands)}))
    many = disc[disc["candidates_differing"] > 1]
    if len(many):
        out.append(Finding(
            code="compare.multi-candidate-difference", severity="warning",
            title=f"{_units(len(many))} differ in several candidates",
            message=(f"{len(many):,} matched units differ in two or more candidates; net effect on the margin "
                     f"{int(many['margin_effect'].sum()):+,}."),
            location={},
            evidence={"margin_effect": int(many["margin_effect"].sum()), "units": len(many),
                      "largest": _units_evidence(many, cands)}))
    return out


def one_side_findings(one_side: pd.DataFrame, labels: dict[str, str], parent_label: str | None
                      ) -> list[Finding]:
    """One finding per side and reason; ``one_side["margin"]`` holds W − R of each unit on its side."""
    out = []
    if one_side.empty:
        return out
    for side in ("official", "independent"):
        sel = (one_side["side"] == side).to_numpy()
        if not sel.any():
            continue
        other = "independent" if side == "official" else "official"
        reasons = one_side.loc[sel, "reason"].to_numpy()
        m = one_side.loc[sel, "margin"].to_numpy(dtype="float64", na_value=np.nan)
        for reason in ("no_figures", "key_mismatch", "parent_present", "parent_missing", "absent"):
            r = reasons == reason
            if not r.any():
                continue
            ids = one_side.loc[sel, "unit_id"].to_numpy()[r]
            eff = int(np.nansum(m[r]))
            text = REASON_TEXT[reason].format(parent=parent_label or "unit")
            out.append(Finding(
                code=f"compare.only-{side}", severity="warning" if reason == "key_mismatch" else "info",
                title=f"{_units(int(r.sum()))} only in {labels[side]}: {text}",
                message=(f"{_units(int(r.sum()))} with figures in {labels[side]} ({side}) but not in "
                         f"{labels[other]}: {text}. Together they carry a margin of {eff:+,} in {labels[side]}."),
                location={"side": side, "reason": reason},
                evidence={"margin_effect": eff, "units": int(r.sum()), "reason": reason,
                          "unit_ids": [str(u) for u in sorted(ids)[:TOP_UNITS]]}))
    return out


def rank(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-abs(f.evidence.get("margin_effect", 0) or 0),
                                           -SEVERITY_ORDER[f.severity], f.code, f.title))
