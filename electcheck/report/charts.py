"""Charts: each function returns a :class:`Chart` — the finished figure as SVG and PNG
bytes, a Datawrapper-ready table and the alt text.

Every chart goes through ``theme.finish`` (headline = the finding, subtitle =
the measure, source line) and ``theme.save_bytes`` (deterministic bytes).
The functions take plain data (dicts, arrays) prepared by ``audit``.
"""

from __future__ import annotations

from dataclasses import dataclass

import re

import numpy as np
import pandas as pd

from . import theme


@dataclass
class Chart:
    slug: str
    title: str
    subtitle: str
    source: str
    alt: str
    table: pd.DataFrame
    svg: bytes
    png: bytes


def _fmt(v: float) -> str:
    return f"{v:,.0f}"


def _make(slug, fig, title, subtitle, source, alt, table, left: float | None = None) -> Chart:
    theme.finish(fig, title, subtitle, source, left=left)
    svg, png = theme.save_bytes(fig)
    return Chart(slug, title, subtitle, source, alt, table.reset_index(drop=True), svg, png)


def bound_chart(bound: dict, names: dict[str, str], source: str, label: str = "",
                slug: str = "bound") -> Chart:
    """Could the uncovered tables change the result? Counted + every uncovered elector
    to the declared winner, against the declared figures."""
    w, r = bound["declared_winner"], bound["compared_with"]
    counted, declared = bound["counted"], bound["declared"]
    unc = int(bound.get("uncovered_electors") or 0)
    rows = [
        {"candidate": names.get(w, w), "counted on tally sheets": counted[w], "all uncovered electors": unc,
         "best case total": counted[w] + unc, "declared": declared[w]},
        {"candidate": names.get(r, r), "counted on tally sheets": counted[r], "all uncovered electors": 0,
         "best case total": counted[r], "declared": declared[r]},
    ]
    table = pd.DataFrame(rows)
    with theme.house():
        fig = theme.figure(4.6)
        ax = fig.add_subplot(111)
        y = np.arange(2)[::-1]
        ax.barh(y, table["counted on tally sheets"], color=theme.BLUE, height=0.5, label="Counted on tally sheets")
        ax.barh(y, table["all uncovered electors"], left=table["counted on tally sheets"], color=theme.BAND,
                height=0.5, hatch="//", edgecolor=theme.BLUE, linewidth=0, label="Every uncovered elector (worst case)")
        for yi, d in zip(y, table["declared"]):
            ax.plot([d, d], [yi - 0.35, yi + 0.35], color=theme.ACCENT, lw=3, solid_capstyle="butt")
        ax.plot([], [], color=theme.ACCENT, lw=3, label="Declared by the authority")
        ax.set_yticks(y, [str(c) for c in table["candidate"]])
        big = max(table["best case total"].max(), table["declared"].max()) >= 2e6
        ax.xaxis.set_major_formatter(lambda v, _: (f"{v / 1e6:.0f}M" if big else f"{v:,.0f}") if v else "0")
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, fontsize=8)
        ax.set_xlim(0, max(table["best case total"].max(), table["declared"].max()) * 1.05)
        ax.grid(axis="y", visible=False)
    reach = bound.get("winner_can_lead")
    wn, rn = names.get(w, w), names.get(r, r)
    if reach is False:
        title = f"Even with every uncovered elector, {wn} cannot overtake {rn}"
    elif bound.get("declared_margin_reachable") is False:
        title = f"The declared margin for {wn} cannot be reached from the tally sheets"
    else:
        title = "The uncovered tables could still change the result"
    sub = (f"Votes. Worst case: all {unc:,} electors of tables not covered are added to {wn}. "
           f"Best case {wn}: {counted[w] + unc:,} vs {rn} counted {counted[r]:,}; declared {declared[w]:,} vs "
           f"{declared[r]:,}.")
    alt = (f"Bar chart. {rn}: {counted[r]:,} votes counted on the tally sheets, declared {declared[r]:,}. "
           f"{wn}: {counted[w]:,} counted; adding all {unc:,} uncovered electors gives at most "
           f"{counted[w] + unc:,}, against {declared[w]:,} declared. {title}.")
    return _make(slug, fig, title, sub + (f" {label}." if label else ""), source, alt, table)


def margin_by_region(frame: pd.DataFrame, level: str, a: str, b: str, names: dict[str, str],
                     source: str, basis: str = "valid") -> Chart:
    """frame: one row per region with columns region, a, b, denom (valid votes, or all ballots where
    that is the authority's basis)."""
    bw = "all ballots" if basis == "ballots" else "valid votes"
    df = frame.copy()
    df["margin_points"] = 100.0 * (df[a] - df[b]) / df["denom"]
    df = df.sort_values(["margin_points", "region"], ascending=[True, True]).reset_index(drop=True)
    an, bn = names.get(a, a), names.get(b, b)
    n = len(df)
    lead = int((df["margin_points"] > 0).sum())
    with theme.house():
        fig = theme.figure(max(4.0, 1.8 + 0.22 * n))
        ax = fig.add_subplot(111)
        col = [theme.BLUE if m > 0 else theme.ACCENT for m in df["margin_points"]]
        ax.barh(np.arange(n), df["margin_points"], color=col, height=0.7)
        ax.set_yticks(np.arange(n), [str(x)[:28] for x in df["region"]], fontsize=8)
        ax.axvline(0, color=theme.INK, lw=0.8)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlabel(f"{an} minus {bn}, points")
        ax.grid(axis="y", visible=False)
    title = (f"{an} leads in all {n} {level}s" if lead == n else
             f"{an} leads in {lead} of {n} {level}s")
    closest = df.iloc[int(np.argmin(np.abs(df['margin_points'])))]
    sub = (f"Margin in percentage points of {bw}, {an} minus {bn}, by {level}. "
           f"Closest: {closest['region']} ({closest['margin_points']:+.1f}).")
    alt = (f"Horizontal bar chart of the margin by {level}. {title}. Smallest margin "
           f"{df['margin_points'].min():+.1f} points ({df.iloc[0]['region']}), largest "
           f"{df['margin_points'].max():+.1f} points ({df.iloc[-1]['region']}).")
    out = df[["region", a, b, "denom", "margin_points"]].rename(
        columns={"denom": "ballots" if basis == "ballots" else "valid", a: an, b: bn})
    out["margin_points"] = out["margin_points"].round(3)
    return _make("margin-by-region", fig, title, sub, source, alt, out)


def discrepancies_by_region(frame: pd.DataFrame, level: str, source: str, what: str, *,
                            unit_word: str = "unit", matched: int | None = None,
                            slug: str = "discrepancies-by-region") -> Chart:
    """frame: region, units_differing, abs_votes, margin_effect (votes).

    Only regions where something differs are drawn (largest first), each bar labelled at its end
    with votes and units; the regions without any difference are counted in the subtitle. The CSV
    keeps every region, those without differences last.
    """
    df = frame.sort_values(["abs_votes", "units_differing", "region"], ascending=[False, False, True])
    df = df.reset_index(drop=True)
    shown = df[(df["units_differing"] > 0) | (df["abs_votes"] > 0)].reset_index(drop=True)
    n = len(shown)
    zero = len(df) - n
    tot_units = int(df["units_differing"].sum())
    tot_votes = int(df["abs_votes"].sum())
    uw = unit_word

    def units_s(k: int) -> str:
        return f"{k:,} {uw}" + ("" if k == 1 else "s")

    with theme.house():
        fig = theme.figure(max(3.2, 2.0 + 0.26 * max(n, 1)))
        ax = fig.add_subplot(111)
        y = np.arange(n)[::-1]
        vmax = float(shown["abs_votes"].max()) if n else 1.0
        ax.barh(y, shown["abs_votes"], color=theme.ACCENT, height=0.65)
        ax.set_yticks(y, [str(x)[:28] for x in shown["region"]], fontsize=8)
        same = uw == level  # one unit per region: "1 province" says nothing
        for yi, v, u in zip(y, shown["abs_votes"], shown["units_differing"]):
            ax.text(v + vmax * 0.01, yi, f"{int(v):,} vote{'' if int(v) == 1 else 's'}"
                    + ("" if same else f", {units_s(int(u))}"), va="center", fontsize=7.5,
                    color=theme.INK)
        ax.set_xlim(0, max(vmax, 1) * 1.32)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
        ax.set_xlabel("votes that differ (sum of absolute differences per candidate)")
        ax.grid(axis="y", visible=False)
        if not n:
            ax.set_yticks([])
            ax.text(0.5, 0.5, "no differences", transform=ax.transAxes, ha="center", color=theme.MUTED)
    of = f" of {matched:,}" if matched else ""
    if tot_units == 0:
        title = f"The two tallies agree in every matched {uw}"
    else:
        title = f"{tot_units:,}{of} matched {uw}s differ, by {tot_votes:,} votes in all" if tot_units != 1 else \
            f"1{of} matched {uw}s differs, by {tot_votes:,} votes"
    sub = ((f"Absolute differences in candidate votes per {level}" if uw == level else
            f"Absolute differences in candidate votes between matched {uw}s, by {level}")
           + (f"; no difference in the other {zero} {level}s" if zero and n else "") + f". {what}.")
    alt = f"Bar chart of vote differences by {level}. {title}." + "".join(
        f" {r.region}: {int(r.abs_votes):,} vote{'' if int(r.abs_votes) == 1 else 's'} in "
        f"{units_s(int(r.units_differing))}."
        for r in shown.head(8).itertuples())
    if zero and n:
        alt += f" No difference in the other {zero} {level}s."
    return _make(slug, fig, title, sub, source, alt, df)


def fingerprint(turnout: np.ndarray, share: np.ndarray, leader: str, source: str, corr: float | None) -> Chart:
    ok = np.isfinite(turnout) & np.isfinite(share) & (turnout <= 1.0)
    t, s = turnout[ok] * 100, np.clip(share[ok], 0, 1) * 100
    bins = 20
    h, xe, ye = np.histogram2d(t, s, bins=bins, range=[[0, 100], [0, 100]])
    corner = int(((t >= 95) & (s >= 95)).sum())
    with theme.house():
        fig = theme.figure(5.6, 6.4)
        ax = fig.add_subplot(111)
        hm = np.where(h > 0, np.log10(np.maximum(h, 1)) + 0.2, np.nan)
        ax.imshow(hm.T, origin="lower", extent=[0, 100, 0, 100], cmap="Blues", aspect="auto",
                  interpolation="nearest")
        ax.set_xlabel("turnout, %")
        ax.set_ylabel(f"{leader} share, %")
        ax.grid(False)
    title = (f"No cluster of units with both very high turnout and very high {leader} share"
             if corner == 0 else f"{corner:,} units have turnout and {leader} share both ≥ 95 %")
    sub = (f"Units by turnout and {leader}'s share (20 × 20 bins, darker = more units, log scale)"
           + (f"; within-region correlation {corr:+.2f}" if corr is not None else "") + ".")
    alt = (f"Heat map of {int(ok.sum()):,} units by turnout (x) and {leader}'s share (y). "
           f"Median turnout {np.median(t):.1f} %, median share {np.median(s):.1f} %. {corner:,} units in the "
           "top-right corner (both ≥ 95 %), where ballot stuffing for the leader would show.")
    xs, ys = np.meshgrid((xe[:-1] + xe[1:]) / 2, (ye[:-1] + ye[1:]) / 2, indexing="ij")
    table = pd.DataFrame({"turnout_pct": xs.ravel(), "share_pct": ys.ravel(), "units": h.ravel().astype(int)})
    return _make("fingerprint", fig, title, sub, source, alt, table)


def _int_panel(ax, x: np.ndarray, n: np.ndarray, rng, R: int, xlabel: str, legend: bool):
    edges = np.arange(-0.05, 100.05, 0.1)
    sims = np.empty((R, len(edges) - 1))
    for r in range(R):
        sims[r] = np.histogram(rng.binomial(n, x) / n * 100, bins=edges)[0]
    obs = np.histogram(x * 100, bins=edges)[0]
    centers = np.round((edges[:-1] + edges[1:]) / 2, 1)
    lo, hi = np.percentile(sims, [2.5, 97.5], axis=0)
    q = np.percentile(x * 100, [2, 98]) if len(x) else [0, 100]
    keep = (centers >= np.floor(q[0])) & (centers <= np.ceil(q[1]))
    ax.fill_between(centers[keep], lo[keep], hi[keep], color=theme.BAND, step="mid", lw=0,
                    label="95 % Monte Carlo band (no rounding)")
    ax.step(centers[keep], obs[keep], where="mid", color=theme.INK, lw=0.8, label="observed")
    ints = centers[keep][np.isclose(centers[keep] % 1, 0)]
    ax.vlines(ints, 0, obs[keep].max() if keep.any() else 1, color=theme.ACCENT, lw=0.3, alpha=0.5)
    ax.set_xlabel(xlabel, fontsize=9)
    ax.set_ylabel("units")
    if legend:
        ax.legend(loc="upper left", fontsize=8)
    return centers, obs, sims.mean(0), lo, hi, keep


def integer_percent(turnout: np.ndarray, registered: np.ndarray, share: np.ndarray, share_den: np.ndarray,
                    included: np.ndarray, *, seed: int, resamples: int, result: dict, leader: str,
                    family_size: int | None, source: str) -> Chart:
    """Units per 0.1-point bin of turnout and of the leader's share, observed against a binomial Monte
    Carlo band (each unit redrawn from its own size and rate); red lines at whole percentages."""
    det = result.get("details") or {}
    excess, sd = result.get("excess"), result.get("sd")
    p, q = result.get("p_value"), result.get("q_value")
    mt = included & np.isfinite(turnout) & np.isfinite(registered) & (registered > 0)
    ms = included & np.isfinite(share) & np.isfinite(share_den) & (share_den > 0)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 77]))
    R = max(20, min(resamples, 200))
    with theme.house():
        fig = theme.figure(6.6)
        ax1 = fig.add_subplot(211)
        ax2 = fig.add_subplot(212)
        c, o1, m1, lo1, hi1, k1 = _int_panel(ax1, np.clip(turnout[mt], 0, 1), registered[mt].astype(np.int64), rng,
                                             R, "turnout, % (0.1-point bins; red lines at whole percentages)", True)
        _, o2, m2, lo2, hi2, k2 = _int_panel(ax2, np.clip(share[ms], 0, 1), share_den[ms].astype(np.int64), rng, R,
                                             f"{leader}'s share, % (0.1-point bins)", False)
        fig.subplots_adjust(hspace=0.55)
    ok = excess is not None and sd is not None and np.isfinite(sd) and sd > 0
    if not result.get("applicable", True) or not ok:
        title = "Whole-percentage turnout and share: test not applicable"
    elif q is not None and q <= 0.05:
        title = f"{excess:,.0f} more units sit at whole percentages than chance predicts"
    elif p is not None and p <= 0.05:
        title = (f"A small excess at whole percentages ({excess:+,.0f} units), not significant once "
                 f"{family_size or 'all'} tests are counted: a lead at most")
    else:
        title = "No excess of units at whole percentages beyond chance"
    parts = []
    if ok:
        parts.append(f"excess {excess:+,.0f} ± {sd:,.0f} (1 SD) units at whole-percentage turnout or share")
        if "observed_integer_turnout" in det and "expected_integer_turnout" in det:
            parts.append(f"turnout {det['observed_integer_turnout'] - det['expected_integer_turnout']:+,.0f}, "
                         f"{leader}'s share {det['observed_integer_share'] - det['expected_integer_share']:+,.0f}")
        if p is not None:
            parts.append(f"p = {p:.3g}" + (f", q = {q:.3g}" if q is not None else ""))
    sub = ("Units by turnout (top) and by the leader's share (bottom), against a band from each unit's own size "
           "and rate" + ("; " + "; ".join(parts) if parts else "") + ".")
    alt = (f"Two histograms of {int(mt.sum()):,} units by turnout and {int(ms.sum()):,} by {leader}'s share in "
           f"0.1-point bins, each with a shaded 95 % band of {R} simulated elections without rounding. {title}.")
    t1 = pd.DataFrame({"measure": "turnout", "pct": c, "observed": o1, "expected": np.round(m1, 2),
                       "band_low": lo1, "band_high": hi1})[k1]
    t2 = pd.DataFrame({"measure": "leader share", "pct": c, "observed": o2, "expected": np.round(m2, 2),
                       "band_low": lo2, "band_high": hi2})[k2]
    return _make("integer-percent", fig, title, sub, source, alt, pd.concat([t1, t2]))


def _clause(text: str, limit: int = 130) -> str:
    """The first clause of a caveat (before any parenthesis), cut at a word boundary."""
    t = re.sub(r"^does not apply as fraud evidence:\s*", "", text.split(" (")[0]).strip().rstrip(";,.")
    if len(t) > limit:
        t = t[:limit].rsplit(" ", 1)[0] + "…"
    return t


def digits(result: dict, cand: str, which: str, source: str, slug_id: str | None = None) -> Chart:
    """A digit test's observed frequencies against its expectation, from the test result itself.

    ``result`` is the test's JSON (``details.observed_freq``, ``details.expected_freq``,
    ``details.n_values``): the expectation is the one the test used (resampled from the same units,
    bias-corrected). The band is the expectation ± 1.96 binomial standard errors for that many
    counts, never narrower than the resampled spread; the p- and q-values are the test's.
    """
    det = result.get("details") or {}
    N = int(det.get("n_values") or 0)
    f = np.asarray(det.get("observed_freq") or [np.nan] * 10, float) * 100
    e = np.asarray(det.get("expected_freq") or [np.nan] * 10, float) * 100
    se = np.sqrt(np.clip(e / 100 * (1 - e / 100), 0, None) / max(N, 1)) * 100
    lo, hi = e - 1.96 * se, e + 1.96 * se
    p, q = result.get("p_value"), result.get("q_value")
    applicable = bool(result.get("applicable", True))
    reason = "; ".join(result.get("caveats") or [])
    with theme.house():
        fig = theme.figure(4.4)
        ax = fig.add_subplot(111)
        d = np.arange(10)
        ax.bar(d, hi - lo, bottom=lo, color=theme.BAND, width=0.7, label="expected, with 95 % range")
        ax.hlines(e, d - 0.35, d + 0.35, color=theme.BLUE, lw=1)
        ax.plot(d, f, "o", color=theme.INK, ms=5, label="observed")
        ax.set_xticks(d)
        ax.set_xlabel(f"{which} digit of {cand}'s count per unit")
        ax.set_ylabel("% of units")
        vals = np.concatenate([lo, hi, f])
        vals = vals[np.isfinite(vals)]
        if len(vals):
            pad = max(0.1, 0.08 * (vals.max() - vals.min()))
            ax.set_ylim(vals.min() - pad, vals.max() + pad)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=8)
        ax.grid(axis="x", visible=False)
    outside = int(((f < lo) | (f > hi)).sum())
    sig = q is not None and q <= 0.05
    if not applicable:
        title = f"{cand}'s {which} digits: the test does not apply to these counts"
    elif p is None:
        title = f"{cand}'s {which} digits: no p-value (withheld)"
    else:
        title = (f"{cand}'s {which} digits depart from what chance produces (a lead, not proof)" if sig else
                 f"{cand}'s {which} digits stay within what chance produces")
    sub = (f"Share of {N:,} unit counts with each {which} digit, against the expectation resampled from the "
           "same units"
           + (f"; p = {p:.3g}, q = {q:.3g} after the multiple-testing correction" if p is not None and q is not None
              else "") + "."
           + (" By chance alone about one digit in twenty falls outside its 95 % range." if applicable else
              f" Not evidence either way: {_clause(reason)} (details in the report's caveats)."))
    alt = (f"Dot chart of the {which} digit of {cand}'s count in {N:,} units; {outside} of 10 digits "
           f"fall outside the 95 % range around the expectation. {title}.")
    table = pd.DataFrame({"digit": np.arange(10), "observed_pct": np.round(f, 3), "expected_pct": np.round(e, 3),
                          "range_low_pct": np.round(lo, 3), "range_high_pct": np.round(hi, 3),
                          "observed_units": np.rint(f / 100 * N).astype(int)})
    slug = re.sub(r"[^a-z0-9]+", "-", f"{which}-digit-{slug_id or cand}".lower()).strip("-")
    return _make(slug, fig, title, sub, source, alt, table)


VERDICT_COLOURS = {"supported": "#4a7c59", "misleading": "#c07a10", "contradicted": theme.ACCENT,
                   "false": theme.ACCENT, "unverifiable": theme.GREY}
QUANTITY_WORDS = {"votes": "votes", "share": "share, %", "margin_votes": "margin, votes",
                  "margin_points": "margin, points", "turnout": "turnout, %", "registered": "registered",
                  "invalid": "invalid votes", "units": "units", "coverage": "coverage, %", "ratio": "ratio"}


def _claim_words(c: dict) -> str:
    """The number as written, with its hedge ("almost 38 percentage points")."""
    text = str(c.get("text", ""))
    hedge = str(((c.get("stated") or {}).get("hedge_text")) or "")
    return f"{hedge} {text}" if hedge and hedge.lower() not in text.lower() else text


def claims_table(claims: list[dict], source: str) -> Chart:
    rows = [{"claim": _claim_words(c), "quantity": c.get("quantity") or "",
             "actual": "" if c.get("actual") is None else c.get("actual"),
             "verdict": c.get("verdict") or ""} for c in claims]
    table = pd.DataFrame(rows, columns=["claim", "quantity", "actual", "verdict"])
    checked = table[table["verdict"] != "unverifiable"] if len(table) else table
    show = checked if len(checked) else table
    with theme.house():
        fig = theme.figure(1.9 + 0.42 * max(1, len(show)))
        ax = fig.add_subplot(111)
        ax.axis("off")
        for i, r in enumerate(show.itertuples()):
            yy = 1 - (i + 0.5) / max(1, len(show))
            cl = str(r.claim) if len(str(r.claim)) <= 38 else str(r.claim)[:37] + "…"
            ax.text(0.0, yy, f"“{cl}”", fontsize=11, va="center", color=theme.INK, transform=ax.transAxes)
            act = r.actual
            act_s = (f"{act:,.2f}" if isinstance(act, float) and not float(act).is_integer()
                     else (f"{int(act):,}" if isinstance(act, (int, float)) else str(act)))
            ax.text(0.50, yy, f"{QUANTITY_WORDS.get(str(r.quantity), r.quantity)}: {act_s}", fontsize=9,
                    va="center", color=theme.MUTED, transform=ax.transAxes)
            ax.text(0.80, yy, str(r.verdict).upper(), fontsize=10, va="center", fontweight="bold",
                    color=VERDICT_COLOURS.get(str(r.verdict), theme.INK), transform=ax.transAxes)
    counts = table["verdict"].value_counts().to_dict() if len(table) else {}
    n_checked = len(checked)
    parts = [f"{v} {k}" for k, v in sorted(counts.items()) if k != "unverifiable"]
    title = (f"{n_checked} result claim(s) checked: " + ", ".join(parts)) if n_checked else "No result claims found"
    sub = (f"Numbers in the text that are election results, the figure in the data (standard basis) and the "
           f"verdict; {counts.get('unverifiable', 0)} other number(s) are not results and are not rated.")
    def _v(x):
        if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool):
            return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"
        return str(x) or "not in the data"

    alt = "Table of claims and verdicts. " + " ".join(
        f"“{r.claim}”: {r.verdict} (data {_v(r.actual)})." for r in show.itertuples())
    return _make("claims", fig, title, sub, source, alt, table, left=0.02)
