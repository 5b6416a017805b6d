"""``electcheck check``: every number in a text checked against the data."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError
from ..escape import markdown, terminal
from . import app
from .common import OutputOpt, QuietOpt, VerboseOpt, csv_text, emit, info, load_source, markdown_table, to_json


class CheckFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    claimreview = "claimreview"


COLUMNS = ["start", "end", "text", "quantity", "subject", "hedge", "interval", "actual", "basis", "verdict"]


def _rows(result):
    from ..claims.explain import fmt_interval, fmt_value
    from ..claims.hedges import Interval

    for c in result.claims:
        subj = " / ".join(x for x in (c.subject.get("candidate"), c.subject.get("region")) if x)
        pct = c.stated["unit"] in ("percent", "points")
        iv = ""
        if c.interval and c.verdict != "unverifiable":
            i = c.interval
            inf = float("inf")
            iv = fmt_interval(Interval(-inf if i["low"] is None else i["low"], inf if i["high"] is None else i["high"],
                                       i["low_closed"], i["high_closed"]), c.quantity, "en", pct)
        actual = "" if c.actual is None else fmt_value(c.actual, c.quantity, "en", pct)
        yield [c.start, c.end, c.text, c.quantity, subj, c.stated["hedge"], iv, actual, c.basis or "", c.verdict]


@app.command()
def check(
    text: Optional[str] = typer.Argument(None, help="Text to check (or use --file)."),
    file: Optional[str] = typer.Option(None, "--file", help="Read the text from a file ('-' = stdin)."),
    against: list[str] = typer.Option(..., "--against", help="Source to check against (repeat: the first is the "
                                      "reference, the others are alternative snapshots)."),
    map_file: Optional[Path] = typer.Option(None, "--map", "-m", help="Mapping (TOML) for the first --against "
                                            "when it is a file (others: FILE::MAP.toml)."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Built-in profile for the first --against "
                                          "when it is a file."),
    format: CheckFormat = typer.Option(CheckFormat.table, "--format", "-f", help="Output format."),
    url: Optional[str] = typer.Option(None, "--url", help="Where the text appeared (ClaimReview appearance)."),
    org: Optional[str] = typer.Option(None, "--org", help="Fact-checking organisation (ClaimReview author)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Force the language: en, es, pt or id (default: "
                                       "detected per sentence)."),
    date: Optional[str] = typer.Option(None, "--date", help="ClaimReview datePublished (default: today, UTC)."),
    output: str = OutputOpt,
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
) -> None:
    """Check the numbers in an article against election data."""
    from ..claims import check_text
    from ..claims.claimreview import claim_reviews
    from ..claims.integrity import integrity_checks

    if (text is None) == (file is None):
        raise typer.BadParameter("give the text as an argument or with --file (not both)")
    if file is not None:
        from .. import limits

        body = limits.read_text(file, what="text file")  # '-' = stdin; bounded; devices and FIFOs refused
    else:
        body = text
    if lang not in (None, "en", "es", "pt", "id"):
        raise typer.BadParameter("--lang must be en, es, pt or id")
    tallies = [load_source(a, *((map_file, profile) if i == 0 else (None, None)))
               for i, a in enumerate(against)]
    try:
        result = check_text(body, tallies, lang)
    except (ValueError, RecursionError, MemoryError) as e:  # hostile text: one line, exit 2
        raise InputError(f"the text could not be read as numbers ({type(e).__name__})",
                         hint="Check that the input is an article") from None
    for t in tallies:
        result.findings += integrity_checks(t)
    if format == CheckFormat.json:
        out = to_json(result.to_dict())
    elif format == CheckFormat.claimreview:
        out = to_json(claim_reviews(result, url=url, org=org, date=date))
    elif format == CheckFormat.csv:
        out = csv_text(COLUMNS + ["explanation"], ([*r, c.explanation] for r, c in zip(_rows(result), result.claims)))
    elif format == CheckFormat.markdown:
        out = markdown_table(COLUMNS, _rows(result))
        if result.findings:
            out += "\n" + "\n".join(f"- **{markdown(f.code)}** ({markdown(f.severity)}): {markdown(f.message)}"
                                     for f in result.findings) + "\n"
    else:
        out = _table(result)
    emit(out, output)
    s = result.counts()
    info(f"{len(result.claims)} numbers checked: " + ", ".join(f"{v} {k}" for k, v in s.items())
         + f"; {len(result.skipped)} dates/years skipped", quiet)


def _table(result) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for c in COLUMNS[2:]:
        table.add_column(c)
    for r in _rows(result):
        table.add_row(*[terminal(x) for x in r[2:]])
    console = Console(width=160, force_terminal=False, color_system=None)
    with console.capture() as cap:
        console.print(table)
        for f in result.findings:
            console.print(terminal(f"[{f.severity}] {f.code}: {f.message}"), markup=False)
    text = cap.get()
    return text if text.endswith("\n") else text + "\n"
