"""Integrity checks for published figures (a one-row published tally such as a CNE bulletin).

- ``round-percentages``: every count equals total × a round percentage to the
  vote. Under the hypothesis that the last digits of the counts are
  unconstrained, a count lands on the integer nearest total × k / N (N = 100,
  1,000 or 10,000 for whole, one-decimal or two-decimal percentages) with
  probability N / total (one integer in every total / N); the counts that are
  free (all but one when they add up to the total) are independent, so
  p = (N / total) ^ free. CNE bulletin 1 (5,150,092, 4,445,978 and 462,704 of
  10,058,774 = 51.2 %, 44.2 % and 4.6 % to the vote) gives p ≈ 9.9 × 10⁻⁹.
- ``sum-mismatch``: candidates ≠ stated valid votes; valid + invalid ≠ ballots.
- ``turnout-denominator``: a stated turnout that is not ballots / registry,
  with the denominator it implies.
- ``percent-mismatch``: a stated percentage that does not match its own counts.
- ``figure-reported-two-ways``: a figure that another report prints differently
  (``meta.notes['alternatives']``, from ``FIELD@alt`` rows of the typed
  bulletins); the finding says which version makes the candidates add up to
  the stated valid votes (or valid + invalid to the ballots).
"""

from __future__ import annotations

import math
from typing import Any

from ..model import Finding, Tally


def _counts(tally: Tally) -> dict[str, int]:
    t = tally.totals()
    return {c: int(t[c]) for c in tally.candidate_ids if t.get(c) is not None}


def round_percentages(tally: Tally, alpha: float = 1e-3) -> Finding | None:
    """Finding if all counts equal total × a round percentage; None otherwise."""
    cands = _counts(tally)
    if len(cands) < 2:
        return None
    t = tally.totals()
    total_sum = sum(cands.values())
    totals = [("sum of the candidates", total_sum)]
    if t.get("valid") and t["valid"] != total_sum:
        totals.append(("valid votes", int(t["valid"])))
    for label, total in totals:
        for decimals in (0, 1, 2):
            n = 10 ** (decimals + 2)
            rows = []
            for cid, c in cands.items():
                k = round(c * n / total)
                exact = total * k / n
                rows.append({"candidate": cid, "votes": c, "percent": round(100 * k / n, decimals),
                             "total_times_percent": round(exact, 3), "residual": round(c - exact, 3),
                             "unrounded_percent": round(100 * c / total, 6)})
            if all(abs(r["residual"]) <= 0.5 for r in rows):
                free = len(rows) - 1 if total == total_sum else len(rows)
                p_one = min(1.0, n / total)
                p = p_one ** free
                if p >= alpha:
                    break  # a hit this coarse is not unusual
                pct = ", ".join(f"{r['votes']:,} = {r['percent']:.{decimals}f} %" for r in rows)
                return Finding(
                    code="round-percentages", severity="error" if p < 1e-6 else "warning",
                    title="Counts equal the total times round percentages",
                    message=(f"Every count equals {total:,} ({label}) × a percentage with {decimals} decimal"
                             f"{'s' if decimals != 1 else ''}, rounded to the vote ({pct}). If the last digits "
                             f"were unconstrained, the chance of this is {p:.2g} "
                             f"(({n:,} / {total:,})^{free}); the counts look derived from the percentages."),
                    location={"source": tally.meta.source},
                    evidence={"total": total, "total_label": label, "decimals": decimals, "per_count": rows,
                              "p_value": p, "free_counts": free, "p_single": p_one})
            # coarser hit failed: try finer decimals
    return None


def sum_checks(tally: Tally) -> list[Finding]:
    out = []
    t = tally.totals()
    cands = _counts(tally)
    src = tally.meta.source
    if t.get("valid") is not None and cands and sum(cands.values()) != t["valid"]:
        s = sum(cands.values())
        out.append(Finding("sum-mismatch", "warning", "Candidates do not add up to the valid votes",
                           f"The candidates add up to {s:,}, the stated valid votes are {t['valid']:,} "
                           f"(difference {s - t['valid']:+,}).", {"source": src},
                           {"candidates_sum": s, "valid": t["valid"]}))
    if None not in (t.get("valid"), t.get("invalid"), t.get("ballots")) and t["valid"] + t["invalid"] != t["ballots"]:
        s = t["valid"] + t["invalid"]
        out.append(Finding("sum-mismatch", "warning", "Valid + invalid votes do not add up to the ballots",
                           f"Valid + invalid = {s:,}; ballots stated = {t['ballots']:,}.", {"source": src},
                           {"valid_plus_invalid": s, "ballots": t["ballots"]}))
    if t.get("ballots") and t.get("registered") and t["ballots"] > t["registered"]:
        out.append(Finding("ballots-over-registered", "error", "More ballots than registered electors",
                           f"{t['ballots']:,} ballots for {t['registered']:,} electors.", {"source": src}, {}))
    return out


def stated_percentages(tally: Tally) -> list[Finding]:
    """Compare percentages the source printed (meta.notes['pct_reported']) with its own counts."""
    notes = tally.meta.notes or {}
    pct = notes.get("pct_reported") or {}
    t = tally.totals()
    src = tally.meta.source
    out: list[Finding] = []
    cands = _counts(tally)
    valid = t.get("valid") or (sum(cands.values()) if cands else None)
    reg = t.get("registered") or tally.meta.registry_total
    for field, stated in pct.items():
        decimals = len(f"{stated}".split(".")[1]) if "." in f"{stated}" else 0
        half = 0.5 * 10 ** -max(decimals, 1) + 1e-9
        if field == "ballots" and t.get("ballots") and reg:
            actual = 100 * t["ballots"] / reg
            if abs(actual - stated) > half:
                lo = t["ballots"] / ((stated + half) / 100)
                hi = t["ballots"] / ((stated - half) / 100)
                named = {k: v for k, v in notes.items() if isinstance(v, int) and lo <= v <= hi}
                which = (f" It matches {', '.join(f'{k} ({v:,})' for k, v in named.items())}." if named else "")
                out.append(Finding(
                    "turnout-denominator", "warning", "Stated turnout does not use the electoral registry",
                    f"The stated turnout {stated} % is {t['ballots']:,} / {reg:,} = {actual:.2f} % over the "
                    f"registry; {stated} % implies a denominator between {lo:,.0f} and {hi:,.0f}.{which}",
                    {"source": src, "field": "turnout"},
                    {"stated": stated, "ballots": t["ballots"], "registry": reg, "over_registry": round(actual, 4),
                     "implied_denominator": [round(lo), round(hi)], "matches": named}))
        elif field in cands and valid:
            actual = 100 * cands[field] / valid
            if abs(actual - stated) > half:
                out.append(Finding("percent-mismatch", "warning", f"Stated share of {field} does not match its count",
                                   f"{field}: stated {stated} %, computed {actual:.2f} % of {valid:,}.",
                                   {"source": src, "field": field}, {"stated": stated, "computed": round(actual, 4)}))
    return out


def alternative_figures(tally: Tally) -> list[Finding]:
    """One finding per figure reported two ways, saying which version makes the sums add up."""
    notes = tally.meta.notes or {}
    alts = notes.get("alternatives") or {}
    t = tally.totals()
    cands = _counts(tally)
    src = tally.meta.source
    out: list[Finding] = []
    for field, versions in alts.items():
        used = cands.get(field, t.get(field))
        if used is None:
            continue
        if field in cands and t.get("valid") is not None:
            target, label, rest = int(t["valid"]), "the stated valid votes", sum(cands.values()) - used
        elif field in ("valid", "invalid") and None not in (t.get("valid"), t.get("invalid"), t.get("ballots")):
            target, label, rest = int(t["ballots"]), "the stated ballots", int(t["valid"]) + int(t["invalid"]) - used
        else:
            target = label = rest = None
        primary_url = (notes.get("alternatives_primary_url") or {}).get(field)
        rows = [{"value": int(used), "source": "as loaded", "url": primary_url}] + [
            {"value": int(v["value"]), "source": "alternative report", "url": v.get("url")} for v in versions]
        for r in rows:
            r["adds_up"] = None if target is None else rest + r["value"] == target
            r["difference"] = None if target is None else rest + r["value"] - target
        fits = [r for r in rows if r["adds_up"]]
        shown = " and ".join(f"{r['value']:,}" for r in rows)
        if target is None:
            verdict = "The data do not say which is right."
        elif len(fits) == 1:
            verdict = (f"Only {fits[0]['value']:,} makes the sum add up to {label} ({target:,}); "
                       + "; ".join(f"{r['value']:,} leaves a difference of {r['difference']:+,}"
                                   for r in rows if not r["adds_up"]) + ".")
        elif fits:
            verdict = f"Several versions add up to {label} ({target:,})."
        else:
            verdict = f"No version makes the sum add up to {label} ({target:,})."
        out.append(Finding(
            "figure-reported-two-ways", "warning" if len(fits) != 1 else "info",
            f"{field} is reported two ways",
            f"{field} is printed as {shown} by different reports of the same figures. {verdict}",
            {"source": src, "field": field},
            {"versions": rows, "target": target, "target_label": label,
             "adds_up": [r["value"] for r in fits]}))
    return out


def integrity_checks(tally: Tally) -> list[Finding]:
    """All checks for a published one-row tally (empty for per-unit tallies)."""
    if len(tally.data) != 1:
        return []
    out: list[Finding] = []
    f = round_percentages(tally)
    if f:
        out.append(f)
    out += sum_checks(tally)
    out += stated_percentages(tally)
    out += alternative_figures(tally)
    return out


def probability_round(total: int, decimals: int, free: int) -> float:
    """p of ``free`` counts landing on total × a round percentage by chance."""
    return min(1.0, 10 ** (decimals + 2) / total) ** free if total > 0 else math.nan


__all__: list[Any] = ["integrity_checks", "round_percentages", "sum_checks", "stated_percentages", "alternative_figures",
                      "probability_round"]
