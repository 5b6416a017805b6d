"""electcheck audit CONFIG|--example NAME -o DIR, and electcheck verify DIR."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from ..escape import terminal
from . import app
from .common import Format, FormatOpt, QuietOpt, emit, info, to_json
from .progress import Bar


class _Progress(Bar):
    """The audit's bar: called with each step's name as it begins; the step before it counts as done."""

    def __init__(self, quiet: bool, total: int | None = None, stream=None):
        super().__init__("audit", quiet, total=total, stream=stream)
        self.started = 0

    def __exit__(self, *a):
        if self.live:
            self.live.update(self.task, completed=self.started)
        super().__exit__(*a)

    def __call__(self, message: str) -> None:
        if self.live:
            self.live.update(self.task, completed=self.started, description=message)
            self.started += 1


#: files of a report folder that audit writes (charts/ is emptied of stale charts)
REPORT_FILES = ("report.html", "report.md", "results.json", "run.json", "acta-photos.csv")


def _refuse_inputs_in_output(out: Path, inputs: list[Path]) -> None:
    """An input that audit would overwrite or delete (a report file, anything in charts/) is refused."""
    from .common import same_file

    targets = [out / f for f in REPORT_FILES]
    charts = out / "charts"
    for inp in inputs:
        hit = any(same_file(inp, t) for t in targets)
        try:
            rp = inp.resolve()
            hit = hit or rp == charts.resolve() or charts.resolve() in rp.parents
        except (OSError, RuntimeError):
            pass
        if hit:
            raise InputError("audit -o would overwrite an input of the audit; electcheck never overwrites "
                             "its inputs", file=str(inp), hint="Write the report to another folder")


@app.command("audit")
def audit(
    config: Optional[str] = typer.Argument(None, help="Audit config (TOML)."),
    example: Optional[str] = typer.Option(None, "--example", help="A packaged example config by name "
                                          "(venezuela-2024, indonesia-2019, russia-2024)."),
    output: str = typer.Option(..., "--output", "-o", help="Report folder to write."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (default: the config's)."),
    quiet: bool = QuietOpt,
) -> None:
    """Run a whole audit and write report.html, report.md, results.json, charts/ and run.json."""
    from ..report import load_example, run_audit, write_report
    from ..report.audit import plan_steps
    from ..report.config import example_text, load_config_text

    if (config is None) == (example is None):
        raise InputError("give a config file or --example NAME (not both)")
    if example:
        cfg, text = load_example(example), example_text(example)
    else:
        cfg, text = load_config_text(config)
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise InputError("-o must name a folder (it is written with report.html, run.json, charts/ ...); "
                         "this is a file", file=output, hint="Give a new or existing folder")
    if config is not None:
        _refuse_inputs_in_output(out, [Path(config)])
    t0 = time.monotonic()
    with _Progress(quiet, total=len(plan_steps(cfg)) + 1) as prog:
        res = run_audit(cfg, seed=seed, progress=prog)
        _refuse_inputs_in_output(out, [Path(i["path"]) for i in res.inputs if i.get("path")])
        prog("writing report")
        m = write_report(res, output, command=["electcheck", *sys.argv[1:]], config_text=text)
    for sec in ("compare", "claims", "forensics"):
        s = res.sections.get(sec)
        if isinstance(s, dict) and s.get("available") is False:
            info(f"note: section {sec} not available: {s.get('reason')}", quiet)
    info(f"wrote {len(m['outputs']) + 1} files to {output} in {time.monotonic() - t0:.1f} s "
         f"(open {Path(output) / 'report.html'})", quiet)


@app.command("verify")
def verify(
    directory: str = typer.Argument(..., help="A report folder written by 'electcheck audit'."),
    allow_path: Optional[list[str]] = typer.Option(None, "--allow-path", help="Also read inputs from this "
                                                   "folder (verify reads nothing outside DIR otherwise)."),
    fmt: Format = FormatOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Re-run an audit from DIR/run.json and report any difference (exit 1 if any)."""
    from ..report import verify as do_verify

    with _Progress(quiet) as prog:
        r = do_verify(directory, progress=prog, allow_paths=allow_path or [])
    if fmt is Format.json:
        emit(to_json(r.to_dict()))
    else:
        lines = []
        if r.version_note:
            lines.append(f"note: {r.version_note}")
        for c in r.changed_inputs:
            lines.append(f"input changed: {c['name']} ({c['path']}): SHA-256 {c['found']} "
                         f"≠ recorded {c['expected']}")
        for n in r.missing_inputs:
            lines.append(f"input missing: {n}")
        for f in r.edited_outputs:
            lines.append(f"output edited since the run: {f}")
        for f in r.changed_outputs:
            lines.append(f"output differs on re-run: {f}")
        lines.append("verified: the report re-runs identically" if r.ok else "NOT verified")
        emit(terminal("\n".join(lines) + "\n"))
    if not r.ok:
        sys.exit(1)  # SystemExit: main() runs click with standalone_mode=False, which drops typer.Exit codes
