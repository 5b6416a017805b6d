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


def _make(slug, fig, title, subtitle, source, alt, table) -> Chart:
    theme.finish(fig, title, subtitle, source)
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
        title = f"The uncovered tables could still change the result"
    sub = (f"Votes. Worst case: all {unc:,} electors of tables not covered are added to {wn}. "
           f"Best case {wn}: {counted[w] + unc:,} vs {rn} counted {counted[r]:,}; declared {declared[w]:,} vs "
           f"{declared[r]:,}.")
    alt = (f"Bar chart. {rn}: {counted[r]:,} votes counted on the tally sheets, declared {declared[r]:,}. "
           f"{wn}: {counted[w]:,} counted; adding all {unc:,} uncovered electors gives at most "
           f"{counted[w] + unc:,}, against {declared[w]:,} declared. {title}.")
    return _make(slug, fig, title, sub + (f" {label}." if label else ""), source, alt, table)


def margin_by_region(frame: pd.DataFrame, level: str, a: str, b: str, names: dict[str, str],
                     source: str) -> Chart:
    """frame: one row per region with columns region, a, b, denom."""
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
        ax.set_xlabel(f"{an} minus {bn}, points")
        ax.grid(axis="y", visible=False)
    title = (f"{an} leads in all {n} {level}s" if lead == n else
             f"{an} leads in {lead} of {n} {level}s")
    closest = df.iloc[int(np.argmin(np.abs(df['margin_points'])))]
    sub = (f"Margin in percentage points of valid votes, {an} minus {bn}, by {level}. "
           f"Closest: {closest['region']} ({closest['margin_points']:+.1f}).")
    alt = (f"Horizontal bar chart of the margin by {level}. {title}. Smallest margin "
           f"{df['margin_points'].min():+.1f} points ({df.iloc[0]['region']}), largest "
           f"{df['margin_points'].max():+.1f} points ({df.iloc[-1]['region']}).")
    out = df[["region", a, b, "denom", "margin_points"]].rename(columns={"denom": "valid", a: an, b: bn})
    out["margin_points"] = out["margin_points"].round(3)
    return _make("margin-by-region", fig, title, sub, source, alt, out)


def discrepancies_by_region(frame: pd.DataFrame, level: str, source: str, what: str) -> Chart:
    """frame: region, units_differing, abs_votes, margin_effect (votes)."""
    df = frame.sort_values(["abs_votes", "region"], ascending=[False, True]).reset_index(drop=True)
    n = len(df)
    tot_units = int(df["units_differing"].sum())
    tot_votes = int(df["abs_votes"].sum())
    with theme.house():
        fig = theme.figure(max(4.0, 1.8 + 0.22 * n))
        ax = fig.add_subplot(111)
        y = np.arange(n)[::-1]
        ax.barh(y, df["abs_votes"], color=theme.ACCENT, height=0.7)
        ax.set_yticks(y, [str(x)[:28] for x in df["region"]], fontsize=8)
        ax.set_xlabel("votes that differ (absolute)")
        ax.grid(axis="y", visible=False)
        for yi, u in zip(y, df["units_differing"]):
            if u:
                ax.text(0, yi, f" {int(u)} unit(s)", va="center", fontsize=7, color=theme.INK)
    if tot_units == 0:
        title = f"The two tallies agree in every matched unit"
    else:
        title = f"{tot_units:,} matched unit(s) differ, by {tot_votes:,} votes in all"
    sub = f"Absolute differences in candidate votes between matched units, by {level}. {what}."
    alt = f"Bar chart of vote differences by {level}. {title}." + "".join(
        f" {r.region}: {int(r.abs_votes)} votes in {int(r.units_differing)} unit(s)."
        for r in df.head(8).itertuples() if r.units_differing)
    return _make("discrepancies-by-region", fig, title, sub, source, alt, df)


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
           f"Median turnout {np.median(t):.1f} %, median share {np.median(s):.1f} %. {corner} units in the "
           "top-right corner (both ≥ 95 %), where ballot stuffing for the leader would show.")
    xs, ys = np.meshgrid((xe[:-1] + xe[1:]) / 2, (ye[:-1] + ye[1:]) / 2, indexing="ij")
    table = pd.DataFrame({"turnout_pct": xs.ravel(), "share_pct": ys.ravel(), "units": h.ravel().astype(int)})
    return _make("fingerprint", fig, title, sub, source, alt, table)


def integer_percent(turnout: np.ndarray, registered: np.ndarray, included: np.ndarray, *, seed: int,
                    resamples: int, excess: float | None, sd: float | None, source: str) -> Chart:
    """Units per 0.1-point turnout bin near integers, observed against a binomial Monte Carlo band."""
    m = included & np.isfinite(turnout) & np.isfinite(registered) & (registered > 0)
    n = registered[m].astype(np.int64)
    p = np.clip(turnout[m], 0, 1)
    obs_pct = turnout[m] * 100
    edges = np.arange(-0.05, 100.05, 0.1)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 77]))
    R = max(20, min(resamples, 200))
    sims = np.empty((R, len(edges) - 1))
    for r in range(R):
        sims[r] = np.histogram(rng.binomial(n, p) / n * 100, bins=edges)[0]
    obs = np.histogram(obs_pct, bins=edges)[0]
    centers = np.round((edges[:-1] + edges[1:]) / 2, 1)
    lo, hi = np.percentile(sims, [2.5, 97.5], axis=0)
    mean = sims.mean(0)
    q = np.percentile(obs_pct, [2, 98]) if len(obs_pct) else [0, 100]
    keep = (centers >= np.floor(q[0])) & (centers <= np.ceil(q[1]))
    with theme.house():
        fig = theme.figure(4.8)
        ax = fig.add_subplot(111)
        ax.fill_between(centers[keep], lo[keep], hi[keep], color=theme.BAND, step="mid", lw=0,
                        label="95 % Monte Carlo band (no rounding)")
        ax.step(centers[keep], obs[keep], where="mid", color=theme.INK, lw=0.8, label="observed")
        ints = centers[keep][np.isclose(centers[keep] % 1, 0)]
        ax.vlines(ints, 0, obs[keep].max() if keep.any() else 1, color=theme.ACCENT, lw=0.3, alpha=0.5)
        ax.set_xlabel("turnout, % (0.1-point bins; red lines at whole percentages)")
        ax.set_ylabel("units")
        ax.legend(loc="upper left", fontsize=8)
    if excess is None or sd is None or not np.isfinite(sd) or sd <= 0:
        title = "Whole-percentage turnout: test not applicable"
    elif excess > 3 * sd:
        title = f"{excess:,.0f} more units at whole percentages than chance allows"
    else:
        title = "No clear excess of units at whole percentages beyond chance"
        if excess > 2 * sd:
            title = f"A small excess at whole percentages ({excess:,.0f}, {excess / sd:.1f} SD): weak evidence"
    sub = ("Units by turnout, observed against a binomial Monte Carlo band from each unit's own size"
           + (f"; excess {excess:+,.0f} ± {sd:,.0f} (1 SD) units at integer turnout or leader share" if
              excess is not None and sd is not None and np.isfinite(sd) else "") + ".")
    alt = (f"Histogram of {int(m.sum()):,} units by turnout in 0.1-point bins with a shaded 95 % band of "
           f"{R} simulated elections without rounding. {title}.")
    table = pd.DataFrame({"turnout_pct": centers, "observed": obs, "expected": np.round(mean, 2),
                          "band_low": lo, "band_high": hi})[keep]
    return _make("integer-percent", fig, title, sub, source, alt, table)


def digits(obs: np.ndarray, sims: np.ndarray, cand: str, which: str, source: str,
           p: float | None, q: float | None, slug_id: str | None = None, applicable: bool = True,
           reason: str = "") -> Chart:
    N = obs.sum()
    f = obs / N * 100 if N else obs
    simf = sims / np.maximum(sims.sum(1, keepdims=True), 1) * 100
    lo, hi = np.percentile(simf, [2.5, 97.5], axis=0)
    with theme.house():
        fig = theme.figure(4.4)
        ax = fig.add_subplot(111)
        d = np.arange(10)
        ax.bar(d, hi - lo, bottom=lo, color=theme.BAND, width=0.7, label="95 % resampled band")
        ax.plot(d, f, "o", color=theme.INK, ms=5, label="observed")
        ax.set_xticks(d)
        ax.set_xlabel(f"{which} digit of {cand}'s count per unit")
        ax.set_ylabel("% of units")
        ax.legend(loc="upper right", fontsize=8)
        ax.grid(axis="x", visible=False)
    outside = int(((f < lo) | (f > hi)).sum())
    sig = q is not None and q <= 0.05
    if not applicable:
        title = f"{cand}'s {which} digits: the test does not apply to these counts"
    else:
        title = (f"{cand}'s {which} digits depart from their resampled band" if sig else
                 f"{cand}'s {which} digits stay within what chance produces")
    sub = (f"Share of units with each {which} digit, against 95 % band of binomial resamples of the same units"
           + (f"; p = {p:.3g}, q = {q:.3g}" if p is not None and q is not None else "") + "."
           + (f" Not evidence either way: {reason[:160]}{'…' if len(reason) > 160 else ''}" if not applicable
              else ""))
    alt = (f"Dot chart of the {which} digit of {cand}'s count in {int(N):,} units; {outside} of 10 digits "
           f"fall outside the resampled 95 % band. {title}.")
    table = pd.DataFrame({"digit": np.arange(10), "observed_pct": np.round(f, 3), "band_low_pct": np.round(lo, 3),
                          "band_high_pct": np.round(hi, 3), "observed_units": obs.astype(int)})
    slug = re.sub(r"[^a-z0-9]+", "-", f"{which}-digit-{slug_id or cand}".lower()).strip("-")
    return _make(slug, fig, title, sub, source, alt, table)


VERDICT_COLOURS = {"supported": "#4a7c59", "misleading": "#e09f3e", "false": theme.ACCENT,
                   "unverifiable": theme.GREY}


def claims_table(claims: list[dict], source: str) -> Chart:
    rows = [{"claim": c.get("text", ""), "quantity": c.get("quantity") or "",
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
            ax.text(0.0, yy, f"“{r.claim}”", fontsize=11, va="center", color=theme.INK, transform=ax.transAxes)
            act = r.actual
            act_s = (f"{act:,.2f}" if isinstance(act, float) and not float(act).is_integer()
                     else (f"{int(act):,}" if isinstance(act, (int, float)) else str(act)))
            ax.text(0.42, yy, f"{r.quantity}: {act_s}", fontsize=9, va="center", color=theme.MUTED,
                    transform=ax.transAxes)
            ax.text(0.80, yy, str(r.verdict).upper(), fontsize=10, va="center", fontweight="bold",
                    color=VERDICT_COLOURS.get(str(r.verdict), theme.INK), transform=ax.transAxes)
    counts = table["verdict"].value_counts().to_dict() if len(table) else {}
    n_checked = len(checked)
    parts = [f"{v} {k}" for k, v in sorted(counts.items()) if k != "unverifiable"]
    title = (f"{n_checked} result claim(s) checked: " + ", ".join(parts)) if n_checked else "No result claims found"
    sub = (f"Numbers in the text that are election results, the figure in the data and the verdict; "
           f"{counts.get('unverifiable', 0)} other number(s) are not results and are not rated.")
    alt = "Table of claims and verdicts. " + " ".join(
        f"“{r.claim}”: {r.verdict} (data {r.actual})." for r in show.itertuples())
    return _make("claims", fig, title, sub, source, alt, table)
