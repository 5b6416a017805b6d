"""``electcheck compare OFFICIAL INDEPENDENT``: reconcile two tallies and render the result."""

from __future__ import annotations

import re
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from ..errors import ElectcheckError
from ..escape import markdown as md
from ..escape import terminal
from ..model import SEVERITY_ORDER
from . import app
from .common import (Format, FormatOpt, OutputOpt, QuietOpt, VerboseOpt, csv_text, emit, fmt_int, info,
                     load_source, markdown_table, refuse_overwrite, to_json)


class FailOn(str, Enum):
    none = "none"
    info = "info"
    warning = "warning"
    error = "error"


def _pct(v: Optional[float], digits: int = 2) -> str:
    return "" if v is None else f"{100 * v:.{digits}f} %"


def _signed(v: Any) -> str:
    return "" if v is None else f"{int(v):+,}"


_NUM = re.compile(r"^[-+±]?\s?[\d,.]+( %)?$")


def _text_table(header: list[str], rows: list[list[Any]]) -> str:
    cells = [[str(h) for h in header]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(r[j]) for r in cells) for j in range(len(header))]
    numeric = [j > 0 and all(_NUM.match(r[j]) or not r[j] for r in cells[1:]) for j in range(len(header))]
    out = []
    for n, r in enumerate(cells):
        parts = [r[j].rjust(widths[j]) if numeric[j] else r[j].ljust(widths[j]) for j in range(len(r))]
        out.append("  ".join(parts).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n"


def _sections(res, limit: int) -> list[tuple[str, list[str], list[list[Any]], list[str]]]:
    """(title, header, rows, lines after) for table and markdown rendering."""
    d = res
    names = d.candidates.names
    u = d.units
    secs = []
    own = []
    if d.level not in (d.official.unit_level, d.independent.unit_level) or \
            d.official.unit_level != d.independent.unit_level:
        own = [[f"in the source ({d.official.unit_level} / {d.independent.unit_level})",
                fmt_int(u["official_source_units"]), fmt_int(u["independent_source_units"])]]
    secs.append((f"Units ({d.level})", ["", "official", "independent"], own + [
        ["with figures", fmt_int(u["official"]), fmt_int(u["independent"])],
        ["matched", fmt_int(u["matched"]), ""],
        ["  identical", fmt_int(u["identical"]), ""],
        ["  differing", fmt_int(u["differing"]), ""],
        ["only on this side", fmt_int(u["only_official"]), fmt_int(u["only_independent"])],
    ] + [[f"  {k.replace('_', ' ')}", fmt_int(v), ""] for k, v in u["only_official_reasons"].items()]
      + [[f"  {k.replace('_', ' ')}", "", fmt_int(v)] for k, v in u["only_independent_reasons"].items()], []))
    t = d.totals
    cols = d.candidates.ids + [c for c in ("valid", "invalid", "ballots", "registered")
                               if t["official"].get(c) is not None or t["independent"].get(c) is not None]
    rows = []
    for c in cols:
        rows.append([names.get(c, c), fmt_int(t["official"].get(c)), fmt_int(t["independent"].get(c)),
                     _signed(t["difference_matched"].get(c))])
    secs.append(("Totals", ["", "official", "independent", "difference on matched units"], rows, []))
    m = d.margin
    lines = []
    if m.get("pair"):
        pair = " − ".join(names.get(c, c) for c in m["pair"])
        for side in ("official", "independent"):
            mm = m[side]
            if mm:
                pts = f" ({mm['points']:+.2f} points of {mm['basis']})" if mm.get("points") is not None else ""
                lines.append(f"Margin {pair}, {side}: {_signed(mm['votes'])}{pts}")
        share = f" ({m['explained_share']:.2%} of the official margin)" if m.get("explained_share") is not None else ""
        lines.append(f"Discrepancies on matched units move the margin by {_signed(m['discrepancy_effect'])}{share}.")
    ci = d.coverage.get("independent")
    if ci and (d.bound is not None or d.independent.unit_level == d.official.unit_level):
        uc = f" of {ci.expected_units:,} expected units ({_pct(ci.unit_coverage)})" if ci.expected_units else ""
        lines.append(f"Coverage of {ci.source}: {ci.units_covered:,} units{uc}; "
                     f"{'at least ' if ci.covered_registered_is_lower_bound else ''}{ci.covered_registered:,} "
                     f"electors" + (f" of {ci.registry_total:,} ({_pct(ci.elector_coverage)})"
                                    if ci.registry_total else ""))
        lines += [f"  {n}" for n in ci.notes]
    secs.append(("Margin and coverage", [], [], lines))
    b = d.bound
    if b is not None:
        brows = []
        for c in b.declared:
            brows.append([names.get(c, c), fmt_int(b.declared[c]), fmt_int(b.counted[c]),
                          fmt_int(b.counted[c] + (b.uncovered_electors if c == b.declared_winner else 0))])
        secs.append((f"Bound: every uncovered elector ({b.uncovered_electors:,}) to {names.get(b.declared_winner)}",
                     ["", "declared", "counted", "counted + uncovered to winner"], brows,
                     [b.verdict] + [f"  assumed: {a}" for a in b.assumptions]))
    else:
        secs.append(("Bound", [], [], [f"not computed: {d.bound_note}"]))
    e = d.estimate
    if e is not None:
        erows = [[names.get(c, c), fmt_int(e.counted[c]), fmt_int(e.estimate[c]),
                  "" if e.moe[c] is None else f"± {e.moe[c]:,}"] for c in e.estimate]
        after = [f"Method: {e.method}; {e.units_sampled:,} units sampled"
                 + (f" of {e.units_population:,}" if e.units_population else "") + "."]
        if e.margin_estimate is not None:
            mo = f" ± {e.margin_moe:,}" if e.margin_moe is not None else ""
            after.append(f"Estimated margin {' − '.join(names.get(c, c) for c in e.margin_pair)}: "
                         f"{_signed(e.margin_estimate)}{mo}.")
        after.append(f"ASSUMPTION: {e.assumption}")
        after += [f"  {n}" for n in e.notes]
        secs.append(("Estimate (95 %), all units", ["", "counted", "estimated", "margin of error"], erows, after))
    top = next((lv for lv in d.rollups if lv != "nation"), None)
    if top and d.units["matched"] > 1:
        roll = d.rollups[top]
        shown = roll
        title = f"By {top}"
        if len(roll) > 40:
            shown = roll.reindex(roll["margin_effect"].abs().fillna(0).sort_values(
                ascending=False, kind="mergesort").index).head(limit)
            title += f" (largest {len(shown):,} of {len(roll):,} by effect on margin; all with --format csv --rollup {top})"
        rrows = []
        for r in shown.to_dict("records"):
            label = r.get("name") if isinstance(r.get("name"), str) else r["area"]
            rrows.append([label, fmt_int(r["units_official"]), fmt_int(r["units_independent"]),
                          fmt_int(r["differing"]), _signed(r.get("margin_official")),
                          _signed(r.get("margin_independent")), _signed(r.get("margin_effect"))])
        secs.append((title, [top, "units off.", "units ind.", "differing", "margin official",
                             "margin independent", "margin effect"], rrows, []))
    disc = d.discrepancies
    if len(disc):
        dcols = [f"{c}_diff" for c in d.candidates.ids]
        drows = [[r["unit_id"]] + [_signed(r[c]) for c in dcols] + [_signed(r["margin_effect"])]
                 for r in disc.head(limit).to_dict("records")]
        ids = d.candidates.ids
        heads = [names.get(c, c) for c in ids] if len(ids) <= 4 else list(ids)
        after = [] if len(ids) <= 4 else ["Candidates: " + "; ".join(f"{c} = {names.get(c, c)}" for c in ids)]
        secs.append((f"Discrepancies, official − independent (largest {min(limit, len(disc)):,} of "
                     f"{len(disc):,}, by effect on margin)", ["unit"] + heads + ["margin effect"], drows, after))
    frows = [[f.severity, f.title, _signed(f.evidence.get("margin_effect"))] for f in d.findings]
    secs.append(("Findings (by effect on margin)", ["severity", "finding", "margin effect"], frows, d.notes))
    return secs


def render_table(res, limit: int) -> str:
    """Plain text for a terminal: every value from the data has its control characters removed."""
    head = (f"{res.official.source} (official) vs {res.independent.source} (independent), "
            f"compared at level {res.level}\n")
    parts = [head]
    for title, header, rows, after in _sections(res, limit):
        parts.append(f"\n{title}\n")
        if header:
            parts.append(_text_table(header, rows))
        if after:
            parts.append("\n".join(after) + "\n")
    return terminal("".join(parts))


def render_markdown(res, limit: int) -> str:
    """Markdown: every value from the data goes through escape.markdown (no HTML, link or image from data)."""
    parts = [f"# {md(res.official.source)} vs {md(res.independent.source)}\n\n",
             f"Official: {md(res.official.source)}; independent: {md(res.independent.source)}; "
             f"compared at level {md(res.level)}.\n"]
    for title, header, rows, after in _sections(res, limit):
        parts.append(f"\n## {md(title)}\n\n")
        if header:
            parts.append(markdown_table([h or " " for h in header], rows))
        if after:
            parts.append(("\n" if header else "") + "\n".join(f"{md(a.strip())}  " for a in after) + "\n")
    return "".join(parts)


def render_csv(res, rollup: Optional[str]) -> str:
    from ..compare.result import records

    if rollup:
        if rollup not in res.rollups:
            raise ElectcheckError(f"no roll-up for level {rollup!r}; available: {', '.join(res.rollups)}")
        df = res.rollups[rollup]
    else:
        df = res.discrepancies
    recs = records(df)
    header = list(df.columns)
    return csv_text(header, ([r[h] for h in header] for r in recs))


def profile_registered_from(independent) -> str | None:
    """The source the independent tally's profile names for registered electors, when the tally has none
    (``notes.registered_from``; "none" means do not borrow)."""
    if "registered" in independent.data.columns:
        return None
    return independent.meta.notes.get("registered_from")


@app.command("compare")
def compare(
    official: str = typer.Argument(..., help="Official results: dataset name, file or .parquet."),
    independent: str = typer.Argument(..., help="Independent tally: dataset name, file or .parquet."),
    map_official: Optional[Path] = typer.Option(None, "--map-official", help="Mapping (TOML) for an OFFICIAL file "
                                                "(or write FILE::MAP.toml)."),
    map_independent: Optional[Path] = typer.Option(None, "--map-independent", help="Mapping (TOML) for an "
                                                   "INDEPENDENT file (or write FILE::MAP.toml)."),
    profile_official: Optional[str] = typer.Option(None, "--profile-official", help="Built-in profile for an "
                                                   "OFFICIAL file."),
    profile_independent: Optional[str] = typer.Option(None, "--profile-independent", help="Built-in profile for "
                                                      "an INDEPENDENT file."),
    level: Optional[str] = typer.Option(None, "--level", help="Compare at this hierarchy level (default: "
                                        "the common unit level, or nation for a one-row bulletin)."),
    registered_from: Optional[str] = typer.Option(
        None, "--registered-from", help="Borrow registered electors by unit_id from this source for units "
        "that lack them (e.g. venezuela-2024/opposition-v1 for V2). Default: the source named by the "
        "independent tally's profile, if any; 'none' borrows nothing."),
    strata: Optional[str] = typer.Option(None, "--strata", help="Hierarchy level of the estimate's strata "
                                         "(default: the top level)."),
    rollup: Optional[str] = typer.Option(None, "--rollup", help="With --format csv: write this level's "
                                         "roll-up instead of the discrepancies."),
    limit: int = typer.Option(20, "--limit", help="Discrepancies shown in table and markdown output."),
    fail_on: FailOn = typer.Option(FailOn.none, "--fail-on", help="Exit 1 if a finding has at least this "
                                   "severity."),
    format: Format = FormatOpt,
    output: str = OutputOpt,
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> None:
    """Reconcile OFFICIAL with INDEPENDENT: differences, roll-ups, coverage, the bound and an estimate."""
    from ..compare import reconcile

    try:
        srcs = [official, independent, map_official, map_independent, registered_from]
        refuse_overwrite({"-o": output}, [str(x).split("::")[0] for x in srcs if x is not None]
                         + [str(x).split("::", 1)[1] for x in srcs if x is not None and "::" in str(x)])
        info(f"loading {official}", quiet)
        off = load_source(official, map_official, profile_official)
        info(f"loading {independent}", quiet)
        ind = load_source(independent, map_independent, profile_independent)
        reg = None
        if registered_from is None:
            registered_from = profile_registered_from(ind)
            if registered_from:
                info(f"{independent} has no registered electors: borrowing them from {registered_from} "
                     "(its profile's default; --registered-from none to disable)", quiet)
        if registered_from and registered_from.lower() != "none":
            info(f"loading {registered_from} (registered electors)", quiet)
            reg = load_source(registered_from)
        refuse_overwrite({"-o": output}, [i.path for t in (off, ind, reg) if t is not None for i in t.meta.inputs])
        res = reconcile(off, ind, level, registered_from=reg, strata_level=strata)
        if format == Format.json:
            text = to_json(res.to_dict())
        elif format == Format.csv:
            text = render_csv(res, rollup)
        elif format == Format.markdown:
            text = render_markdown(res, limit)
        else:
            text = render_table(res, limit)
        emit(text, output)
        if format != Format.table or output not in ("-", ""):
            for n in res.notes:  # the table already shows them
                info(f"note: {n}", quiet)
    except ElectcheckError as e:
        print(f"electcheck: error: {' '.join(terminal(str(e)).split())}", file=sys.stderr)
        raise SystemExit(2)  # SystemExit, not typer.Exit: cli.main drops typer.Exit's code
    if verbose and res.estimate is not None:
        info(f"estimate: {res.estimate.method}", quiet)
    worst = res.max_severity()
    if fail_on != FailOn.none and worst is not None and SEVERITY_ORDER[worst] >= SEVERITY_ORDER[fail_on.value]:
        info(f"findings at or above {fail_on.value}: exit 1", quiet)
        raise SystemExit(1)
