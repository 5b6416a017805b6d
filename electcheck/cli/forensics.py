"""electcheck forensics: calibrated tests, the family they form, the station list, power."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Optional

import typer

from ..errors import InputError
from . import app
from .common import (Format, FormatOpt, MapHelp, ProfileHelp, load_source, OutputOpt, QuietOpt, SeedOpt, csv_text, emit, info, markdown_table,
                     to_json)


def _fmt(v: Any, kind: str = "g") -> str:
    if v is None:
        return ""
    if kind == "p":
        return f"{v:.2g}" if v >= 0.001 else "<0.001"
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)


from pandas import NA as _NA  # noqa: E402
from rich.text import Text  # noqa: E402

from ..escape import markdown as md_escape, terminal  # noqa: E402

HEADER = ["test", "scope", "subject", "statistic", "p", "q", "calibration", "note"]


def _rows(report, all_scopes: bool = True) -> list[list[str]]:
    rows = []
    for r in report.tests:
        note = ""
        if not r.applicable:
            note = "does not apply: " + (r.caveats[0] if r.caveats else "")
        elif r.test == "integer-percent" and "excess" in r.details:
            note = f"excess {r.details['excess']:,.1f} ± {r.details['sd']:,.1f} (MC sd)"
        elif r.details.get("textbook_calibration") == "anti-conservative" and \
                (r.details.get("textbook_p_value") or 1) <= 0.05:
            note = (f"textbook p = {r.details['textbook_p_value']:.2g} ignored: textbook null rejects "
                    f"{r.details['textbook_rejection_rate']:.0%} of clean simulations")
        elif r.caveats:
            note = r.caveats[0] if len(r.caveats[0]) <= 90 else r.caveats[0][:87] + "..."
        if r.q_value is not None and r.q_value <= 0.05:
            note = ("FLAGGED (q ≤ 0.05); " + note).rstrip("; ")
        rows.append([r.test, r.scope, r.subject, _fmt(r.statistic), _fmt(r.p_value, "p"),
                     _fmt(r.q_value, "p"), r.calibration or "", note])
    return rows


def _cell(v: Any) -> str:
    import math

    if v is None or v is _NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)


def _text(report, n_flags: int = 10) -> str:
    from rich.console import Console
    from rich.table import Table

    con = Console(width=160, record=True, file=open("/dev/null", "w"), color_system=None)

    def say(line: str) -> None:
        con.print(terminal(line), markup=False, highlight=False, soft_wrap=True)

    p = report.parameters
    say(f"{report.source}: {report.units['usable']:,} units used of {report.units['rows']:,} "
        f"(leader {report.units['leader']}; share of {report.units['share_basis']}; "
        f"turnout from {report.units['turnout_basis']}); seed {p['seed']}, {p['resamples']:,} resamples")
    t = Table(*HEADER, show_lines=False)
    for row in _rows(report):
        t.add_row(*[Text(terminal(c)) for c in row])
    con.print(t)
    fam = report.family
    say(f"Family for Benjamini–Hochberg: {fam['size']} p-values ({fam['members']}); "
        f"by test: {', '.join(f'{k} {v}' for k, v in fam['by_test'].items()) or 'none'}; "
        f"left out: {fam['excluded']['not_applicable']} not applicable, "
        f"{fam['excluded']['no_p_value']} without p-value, "
        f"{fam['excluded']['anti_conservative']} anti-conservative.")
    if report.calibration:
        say("Calibration on simulated clean elections (same unit sizes and turnout), α = 0.05 — rejection rate "
            "± Monte Carlo SE; a label is calibrated only when the upper 95 % bound is ≤ 2α = 10 %:")
        for line in calibration_lines(report.calibration):
            say("  " + line)
    if report.calibration and p.get("by"):
        say(f"  These labels are national (simulated from all units); the per-{p['by']} results reuse "
            "them — not calibrated per region (caveat on each regional row).")
    for line in station_lines(report):
        say(line)
    if len(report.flags):
        cols = [c for c in show_cols(report) if c in report.flags.columns]
        say(f"Top {min(n_flags, len(report.flags))} (the whole list, with reasons in words and the figures "
            "behind them: --flags-csv):")
        ft = Table(*cols)
        for row in report.flags[cols].head(n_flags).itertuples(index=False):
            ft.add_row(*[Text(terminal(_cell(v))) for v in row])
        con.print(ft)
    if report.power:
        say(_power_text(report.power))
    say("What no test here can see:")
    for s in report.cannot_see:
        say(f"  - {s}")
    return con.export_text()


def show_cols(report) -> list[str]:
    lead = report.units.get("leader", "")
    return ["rank", "unit_id", "baseline_region", "score", "reasons", "turnout_pct", f"{lead}_share_pct",
            "region_turnout_pct", "region_share_pct"]


def calibration_lines(cal: dict) -> list[str]:
    out = []
    for slug, c in cal.items():
        if c["trials"] == 0:
            out.append(f"{slug}: does not apply to these simulated elections")
            continue
        tb = c.get("textbook")
        extra = (f"; textbook null: {tb['label']} ({tb['rejection_rate']:.0%})" if tb else "")
        prov = (f" — provisional: {c['sims']} simulations asked for; a label needs 200"
                if c.get("provisional") else "")
        se = c.get("mc_se")
        hi = c.get("rate_upper_95")
        out.append(f"{slug}: {c['label']} — rejected {c['rejection_rate']:.1%}"
                   + (f" ± {se:.1%} (upper 95 % bound {hi:.1%})" if se is not None and hi is not None else "")
                   + f" of {c['trials']} p-values in {c['sims']} simulations of {c['units_per_sim']:,} units, "
                   f"{c['resamples']} resamples each{extra}{prov}")
    return out


def station_lines(report) -> list[str]:
    st = report.stations or {}
    out = [f"Station list: {len(report.flags):,} units listed"
           + (f" ({100 * st.get('listed_share', 0):.2f} % of units)" if st else "")]
    if not st:
        return out
    out.append(f"  each unit judged against its region — {st['level_choice']}")
    if st.get("by_reason"):
        out.append("  units per reason: " + ", ".join(f"{k} {v:,}" for k, v in st["by_reason"].items()))
    for code, d in (st.get("integer") or {}).items():
        if code.startswith("INT"):
            out.append(f"  {code}: {d['observed']:,} units on a whole percentage, {d['expected']:,.1f} ± {d['sd']:,.1f} "
                       f"expected by chance (z = {d['z']:+.1f}; its units are listed only when z ≥ "
                       f"{st['model']['z_integer']:g})")
    if st.get("discounted"):
        out.append("  Discounted — counted and explained, not listed unit by unit (--no-discount lists them):")
        for d in st["discounted"]:
            regs = ", ".join(f"{r['region']} {r['units']:,}" for r in d["regions"][:5])
            out.append(f"    {d['category']} ({d['reason']}): {d['units']:,} units — {d['why']}"
                       + (f"; most in {regs}" if regs else ""))
    if st.get("extreme_regions"):
        regs = ", ".join(f"{r['region']} ({r['median_turnout_pct']:.0f} % / {r['median_leader_share_pct']:.0f} %)"
                         for r in st["extreme_regions"][:10])
        out.append(f"  {len(st['extreme_regions'])} regions whose median unit has turnout and leader share ≥ 90 % "
                   f"(a region-centred score cannot single out their units — judge them as regions): {regs}")
    return out


def flags_csv_rows(df) -> tuple[list[str], list[list[Any]]]:
    """The station list for Excel: numbers stay numbers (negative ones too), text cells go through the
    formula guard (csv_text → safe_cell), missing values are empty cells."""
    import math

    header = [str(c) for c in df.columns]
    rows = []
    for rec in df.itertuples(index=False, name=None):
        row: list[Any] = []
        for v in rec:
            if v is None or v is _NA or (isinstance(v, float) and math.isnan(v)):
                row.append("")
            elif hasattr(v, "item") and not isinstance(v, str):
                x = v.item()
                row.append("" if isinstance(x, float) and math.isnan(x) else x)
            else:
                row.append(v)
        rows.append(row)
    return header, rows


def _md_table(header: list[str], rows) -> str:
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(md_escape(_cell(v)) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _markdown(report, n_flags: int = 20) -> str:
    md = _md_table(HEADER, _rows(report))
    fam = report.family
    md += f"\nFamily for Benjamini–Hochberg: {fam['size']} p-values ({md_escape(fam['members'])}).\n"
    if report.calibration:
        md += "\nCalibration on simulated clean elections, α = 0.05:\n\n"
        md += "".join(f"- {md_escape(x)}\n" for x in calibration_lines(report.calibration))
    md += "\n" + "".join(f"{md_escape(x.strip())}  \n" for x in station_lines(report))
    if len(report.flags):
        cols = [c for c in show_cols(report) if c in report.flags.columns]
        md += "\n" + _md_table(cols, report.flags[cols].head(n_flags).itertuples(index=False))
    if report.power:
        md += "\n" + "".join(f"{md_escape(x.strip())}  \n" for x in _power_text(report.power).splitlines())
    md += "\nWhat no test here can see:\n\n" + "".join(f"- {md_escape(s)}\n" for s in report.cannot_see)
    return md


def _power_text(power: dict) -> str:
    lines = [f"Power on this data ({power['reps']} planted elections per scenario, detection = "
             f"p ≤ {power['alpha']} for the test's main subject):"]
    for sc in power["scenarios"]:
        rates = ", ".join(f"{k} {v:.0%}" for k, v in sc["detection"].items())
        lines.append(f"  {sc['fraud']} in {sc['share_of_units']:.0%} of units, intensity {sc['intensity']}: {rates}")
    for s in power.get("blind_spots", []):
        lines.append(f"  not detected (< 50 % by every test): {s}")
    st = power.get("stations")
    if st:
        lines.append(f"Station list on planted elections shaped like this data ({st['units']:,} units; "
                     f"{st['share_per_kind']:.0%} of units per kind, disjoint; seed {st['seed']}):")
        for kind, d in st["kinds"].items():
            lines.append(f"  {kind}: {d['planted']:,} planted; top-K precision {d['top_k_precision']:.2f}, "
                         f"recall {d['recall']:.2f}")
        lines.append(f"  clean twin (the same election without fraud): {st['clean_twin_listed']:,} units listed "
                     f"({100 * st['clean_twin_share']:.2f} %)")
    return "\n".join(lines)


@app.command()
def forensics(
    source: Optional[str] = typer.Argument(None, help="A built-in dataset name, a file, or an ingested .parquet."),
    tests: Optional[List[str]] = typer.Option(None, "--tests", "-t",
                                              help="Tests to run (slugs, repeat or comma-separate; default all)."),
    map_file: Optional[Path] = typer.Option(None, "--map", "-m", help=MapHelp),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help=ProfileHelp),
    by: Optional[str] = typer.Option(None, "--by", help="Also run every test per unit of this hierarchy level "
                                                        "(and judge each station against this level's regions)."),
    no_discount: bool = typer.Option(False, "--no-discount",
                                     help="List every hard check, regional customs and systematic slips included."),
    seed: int = SeedOpt,
    resamples: int = typer.Option(1000, "--resamples", help="Monte Carlo resamples per test."),
    calibration_sims: int = typer.Option(200, "--calibration-sims",
                                         help="Clean simulated elections used to calibrate each test (0 = skip; "
                                              "fewer than 200 give provisional labels)."),
    power: bool = typer.Option(False, "--power", help="Plant fraud in this data and report each test's power."),
    power_share: float = typer.Option(0.02, "--power-share", help="Share of units manipulated in --power."),
    power_reps: int = typer.Option(10, "--power-reps", help="Planted elections per scenario in --power."),
    list_: bool = typer.Option(False, "--list", help="List the tests (slug and summary) and exit."),
    flags_csv: Optional[Path] = typer.Option(None, "--flags-csv", help="Write the ranked station list here (CSV)."),
    fail_on: str = typer.Option("none", "--fail-on",
                                help="Exit 1 when: 'significant' (any q ≤ 0.05) or 'flags' (any unit listed)."),
    fmt: Format = FormatOpt,
    output: str = OutputOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Calibrated forensic tests: integer percentages, digits, fingerprint, shape, hard checks."""
    from .. import forensics as fx

    if list_:
        items = fx.list_tests()
        if fmt == Format.json:
            emit(to_json([{"test": s, "summary": d} for s, d in items]), output)
        elif fmt == Format.csv:
            emit(csv_text(["test", "summary"], items), output)
        elif fmt == Format.markdown:
            emit(markdown_table(["test", "summary"], items), output)
        else:
            w = max(len(s) for s, _ in items)
            emit("".join(f"{s:<{w}}  {d}\n" for s, d in items), output)
        return
    if not source:
        raise InputError("missing SOURCE", hint="Name a dataset (electcheck data list) or a file, or use --list")
    tally = load_source(source, map_file, profile)
    info(f"running {', '.join(fx.resolve_tests(tests))} on {tally.meta.source} "
         f"({resamples:,} resamples, {calibration_sims} calibration simulations)", quiet)
    report = fx.analyze(tally, tests=tests, by=by, seed=seed, resamples=resamples,
                        calibrate=calibration_sims > 0, calibration_sims=max(calibration_sims, 1),
                        discount=not no_discount)
    if power:
        from ..forensics import power as pw

        info(f"planting fraud in {power_share:.0%} of units, {power_reps} elections per scenario", quiet)
        report.power = pw.run(tally, share=power_share, reps=power_reps, seed=seed,
                              tests=[s for s in fx.resolve_tests(tests) if s in pw.POWER_TESTS])
        from ..forensics import plant
        from ..forensics.units import from_tally

        info("planting stuffing, rounding and switching in 1 % of units each, for the station list", quiet)
        report.power["stations"] = plant.evaluate(from_tally(tally), seed=seed, level=by)
    if flags_csv is not None:
        header, rows = flags_csv_rows(report.flags)
        flags_csv.write_text(csv_text(header, rows, bom=True), encoding="utf-8", newline="")
        info(f"wrote {len(report.flags):,} listed units to {flags_csv}", quiet)
    if fmt == Format.json:
        emit(to_json(report.to_dict()), output)
    elif fmt == Format.csv:
        emit(csv_text(HEADER, _rows(report)), output)
    elif fmt == Format.markdown:
        md = _markdown(report)
        emit(md, output)
    else:
        emit(_text(report), output)
    if fail_on not in ("none", "significant", "flags"):
        raise InputError(f"--fail-on must be none, significant or flags (got {fail_on!r})")
    if (fail_on == "significant" and report.significant()) or (fail_on == "flags" and len(report.flags)):
        raise typer.Exit(1)
