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
    p = report.parameters
    con.print(f"{report.source}: {report.units['usable']:,} units used of {report.units['rows']:,} "
              f"(leader {report.units['leader']}; share of {report.units['share_basis']}; "
              f"turnout from {report.units['turnout_basis']}); seed {p['seed']}, {p['resamples']:,} resamples")
    t = Table(*HEADER, show_lines=False)
    for row in _rows(report):
        t.add_row(*row)
    con.print(t)
    fam = report.family
    con.print(f"Family for Benjamini–Hochberg: {fam['size']} p-values ({fam['members']}); "
              f"by test: {', '.join(f'{k} {v}' for k, v in fam['by_test'].items()) or 'none'}; "
              f"left out: {fam['excluded']['not_applicable']} not applicable, "
              f"{fam['excluded']['no_p_value']} without p-value, "
              f"{fam['excluded']['anti_conservative']} anti-conservative.")
    if report.calibration:
        con.print("Calibration on simulated clean elections (same unit sizes and turnout), α = 0.05:")
        for slug, c in report.calibration.items():
            if c["trials"] == 0:
                con.print(f"  {slug}: does not apply to these simulated elections")
                continue
            tb = c.get("textbook")
            extra = (f"; textbook null: {tb['label']} ({tb['rejection_rate']:.0%})" if tb else "")
            rate = "n/a" if c["rejection_rate"] is None else f"{c['rejection_rate']:.1%}"
            con.print(f"  {slug}: {c['label']} (rejected {rate} of {c['trials']} in {c['sims']} simulations "
                      f"of {c['units_per_sim']:,} units{extra})")
    if report.calibration and p.get("by"):
        con.print(f"  These labels are national (simulated from all units); the per-{p['by']} results reuse "
                  "them — not calibrated per region (caveat on each regional row).")
    con.print(f"Station list: {len(report.flags):,} units flagged; top {min(n_flags, len(report.flags))}:")
    if len(report.flags):
        ft = Table(*[str(c) for c in report.flags.columns])
        for row in report.flags.head(n_flags).itertuples(index=False):
            ft.add_row(*[_cell(v) for v in row])
        con.print(ft)
    if report.power:
        con.print(_power_text(report.power))
    con.print("What no test here can see:")
    for s in report.cannot_see:
        con.print(f"  - {s}")
    return con.export_text()


def _power_text(power: dict) -> str:
    lines = [f"Power on this data ({power['reps']} planted elections per scenario, detection = "
             f"p ≤ {power['alpha']} for the test's main subject):"]
    for sc in power["scenarios"]:
        rates = ", ".join(f"{k} {v:.0%}" for k, v in sc["detection"].items())
        lines.append(f"  {sc['fraud']} in {sc['share_of_units']:.0%} of units, intensity {sc['intensity']}: {rates}")
    for s in power.get("blind_spots", []):
        lines.append(f"  not detected (< 50 % by every test): {s}")
    return "\n".join(lines)


@app.command()
def forensics(
    source: Optional[str] = typer.Argument(None, help="A built-in dataset name, a file, or an ingested .parquet."),
    tests: Optional[List[str]] = typer.Option(None, "--tests", "-t",
                                              help="Tests to run (slugs, repeat or comma-separate; default all)."),
    map_file: Optional[Path] = typer.Option(None, "--map", "-m", help=MapHelp),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help=ProfileHelp),
    by: Optional[str] = typer.Option(None, "--by", help="Also run every test per unit of this hierarchy level."),
    seed: int = SeedOpt,
    resamples: int = typer.Option(1000, "--resamples", help="Monte Carlo resamples per test."),
    calibration_sims: int = typer.Option(20, "--calibration-sims",
                                         help="Clean simulated elections used to calibrate each test (0 = skip)."),
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
                        calibrate=calibration_sims > 0, calibration_sims=max(calibration_sims, 1))
    if power:
        from ..forensics import power as pw

        info(f"planting fraud in {power_share:.0%} of units, {power_reps} elections per scenario", quiet)
        report.power = pw.run(tally, share=power_share, reps=power_reps, seed=seed,
                              tests=[s for s in fx.resolve_tests(tests) if s in pw.POWER_TESTS])
    if flags_csv is not None:
        df = report.flags
        flags_csv.write_text(csv_text([str(c) for c in df.columns],
                                      ([_cell(v) if not isinstance(v, (int, float)) or _cell(v) == "" else v
                                        for v in row] for row in df.itertuples(index=False))),
                             encoding="utf-8", newline="")
        info(f"wrote {len(df):,} flagged units to {flags_csv}", quiet)
    if fmt == Format.json:
        emit(to_json(report.to_dict()), output)
    elif fmt == Format.csv:
        emit(csv_text(HEADER, _rows(report)), output)
    elif fmt == Format.markdown:
        md = markdown_table(HEADER, _rows(report))
        fam = report.family
        md += (f"\nFamily for Benjamini–Hochberg: {fam['size']} p-values ({fam['members']}).\n\n"
               "What no test here can see:\n\n" + "".join(f"- {s}\n" for s in report.cannot_see))
        emit(md, output)
    else:
        emit(_text(report), output)
    if fail_on not in ("none", "significant", "flags"):
        raise InputError(f"--fail-on must be none, significant or flags (got {fail_on!r})")
    if (fail_on == "significant" and report.significant()) or (fail_on == "flags" and len(report.flags)):
        raise typer.Exit(1)
