"""Read official results published as PDF (see docs/pdf.md).

Text and word positions come from PDFium (pypdfium2): it extracts a 162-page
report in a fraction of a second, where pure-Python extractors take seconds.
Lines are rebuilt from positioned words (:mod:`.pdf_text`: clustered by height
on the page, ordered by x), so the columns of numbers survive whatever order
the PDF's content stream draws them in. pdfplumber is used only for ruled
tables (``pdf_layouts.read_ruled``), where its line-based table finder is needed.

:func:`read_pdf` returns a :class:`PdfRead` whose ``raw`` is the same
:class:`~electcheck.sources.readers.RawTable` every other reader returns (one
row per unit of the selected contest), so ingest builds the Tally unchanged.
Every line of the file is accounted for: a unit row, page furniture, a
heading, a row of another contest (outside the selection), or quarantined
with its page, line number, text and why.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .pdf_text import Line, PdfPages, default_max_pages, extract_lines

#: Longest pattern accepted from a mapping.
MAX_PATTERN = 300
#: A line on at least this share of pages, at the same height, is page furniture.
FURNITURE_SHARE = 0.6

_NUMBER = re.compile(r"[-+]?\d(?:[\d,.\u00a0']{0,20}\d)?%?")
_FRACTION = re.compile(r"\d{1,9} of \d{1,9}")
_DIGITS = re.compile(r"\d+")

DEFAULT_VOTE_FOR = r"^Vote For (?P<n>\d{1,3})$"
DEFAULT_STATISTICS = r"^STATISTICS$"
DEFAULT_TOTALS = r"^(?:grand\s)?totals?\b"
DEFAULT_FURNITURE = (r"^Page \d{1,5}(?: of \d{1,5})?$",)
#: Row labels that are fields, not candidates, and the column the reader gives them.
FIELD_LABELS = {
    "registered voters - total": "registered", "registered voters": "registered", "registered": "registered",
    "ballots cast - total": "ballots", "ballots cast": "ballots", "total ballots cast": "ballots",
    "total votes cast": "votes_cast", "total votes": "votes_cast", "overvotes": "overvotes",
    "undervotes": "undervotes", "over votes": "overvotes", "under votes": "undervotes",
    "rejected ballots": "invalid", "invalid ballots": "invalid", "blank ballots": "blank",
}
#: Number columns that are checks, never counts (recomputed, mismatches are findings).
PERCENT_COLUMNS = ("percent", "pct", "share", "percentage")


# --- options ---------------------------------------------------------------------

@dataclass
class PdfOptions:
    """The mapping's ``[pdf]`` table (docs/pdf.md)."""

    layout: str = "blocks"                      # blocks | table
    contest: str | None = None                  # the contest to read when the file holds several
    unit_heading: str | None = None             # regex with (?P<unit>...); None: one unit for the file
    unit_heading_where: str = "any"             # any | page_top (the first line after furniture)
    unit_name: str | None = None                # the one unit's name when there is no unit heading
    vote_for: str = DEFAULT_VOTE_FOR
    contest_heading: str | None = None          # regex: lines that name a contest without Vote For
    statistics: str = DEFAULT_STATISTICS
    columns: list[str] = field(default_factory=lambda: ["votes"])
    count: str | None = None                    # the column read as the label's count (default: first)
    fields: dict[str, str] = field(default_factory=dict)  # row label -> output column (not a candidate)
    furniture: list[str] = field(default_factory=list)
    auto_furniture: bool = True
    header: str | None = None                   # table: regex of the header line (default: detected)
    totals: str = DEFAULT_TOTALS                # table: first-cell pattern of totals rows
    ruled: str | bool = "auto"                  # table: read ruled tables with pdfplumber
    max_pages: int | None = None                # default: the global limit (--max-pages, ELECTCHECK_MAX_PAGES)

    @property
    def count_column(self) -> str:
        return self.count or next((c for c in self.columns if c not in PERCENT_COLUMNS), self.columns[0])


_OPTION_KEYS = {f for f in PdfOptions.__dataclass_fields__}


def pdf_options_from_dict(d: dict[str, Any], origin: str = "mapping") -> PdfOptions:
    """PdfOptions from a mapping's ``[pdf]`` table, every pattern checked before use."""
    unknown = set(d) - _OPTION_KEYS
    if unknown:
        raise InputError(f"unknown [pdf] option(s): {', '.join(sorted(unknown))}", file=origin,
                         hint=f"Known: {', '.join(sorted(_OPTION_KEYS))} (see docs/pdf.md)")
    d = dict(d)
    heading = d.get("unit_heading")
    if isinstance(heading, dict):  # {pattern = "...", where = "page_top"}
        d["unit_heading"] = heading.get("pattern", r"^(?P<unit>.+)$")
        d["unit_heading_where"] = heading.get("where", "any")
    if isinstance(d.get("columns"), str):
        d["columns"] = [d["columns"]]
    opts = PdfOptions(**d)
    if opts.layout not in ("blocks", "table"):
        raise InputError(f"unknown [pdf] layout {opts.layout!r}", file=origin, hint="Use 'blocks' or 'table'")
    if opts.unit_heading_where not in ("any", "page_top"):
        raise InputError(f"unknown unit_heading where = {opts.unit_heading_where!r}", file=origin,
                         hint="Use 'any' or 'page_top'")
    for what in ("unit_heading", "vote_for", "contest_heading", "statistics", "header", "totals"):
        if getattr(opts, what):
            safe_pattern(getattr(opts, what), what, origin)
    for p in opts.furniture:
        safe_pattern(p, "furniture", origin)
    if opts.unit_heading and "(?P<unit>" not in opts.unit_heading:
        raise InputError("unit_heading needs a (?P<unit>...) group", file=origin, value=opts.unit_heading)
    if not opts.columns or not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", c) for c in opts.columns):
        raise InputError("[pdf] columns must be short names (letters, digits, _)", file=origin,
                         value=str(opts.columns))
    return opts


def safe_pattern(pattern: str, what: str, origin: str = "mapping") -> re.Pattern:
    """Compile a mapping's regex, refusing ones that can take exponential time.

    Lines are short (MAX_LINE), but a nested unbounded repeat such as
    ``(a+)+`` can still backtrack for minutes on a 400-character line.
    """
    if len(pattern) > MAX_PATTERN:
        raise InputError(f"[pdf] {what} pattern is longer than {MAX_PATTERN} characters", file=origin)
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as e:
        raise InputError(f"bad regular expression in [pdf] {what} ({e})", file=origin, value=pattern) from None
    if _nested_repeat(pattern):
        raise InputError(f"[pdf] {what} pattern repeats a repeated group (it could run for minutes)",
                         file=origin, value=pattern, hint="Write it without a quantifier around a group "
                                                          "that holds + or * (lines are short: keep it simple)")
    return compiled


def _nested_repeat(pattern: str) -> bool:
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - older layouts of the re package
        import sre_parse  # type: ignore[no-redef]
    repeats = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT}

    def walk(items, inside: bool) -> bool:
        for op, arg in items:
            if op in repeats:
                lo, hi, sub = arg
                unbounded = hi == sre_parse.MAXREPEAT or hi > 50
                if inside and unbounded:
                    return True
                if walk(sub, inside or unbounded):
                    return True
            elif op == sre_parse.SUBPATTERN:
                if walk(arg[-1], inside):
                    return True
            elif op == sre_parse.BRANCH:
                if any(walk(b, inside) for b in arg[1]):
                    return True
        return False

    return walk(sre_parse.parse(pattern), False)


# --- reading cells ----------------------------------------------------------------

def value_kind(token: str) -> str | None:
    """'count', 'percent', 'fraction' ("73 of 73"), or None for text."""
    if _FRACTION.fullmatch(token):
        return "fraction"
    if len(token) <= 24 and _NUMBER.fullmatch(token):
        if token.endswith("%"):
            return "percent"
        return "count"
    return None


_ONE = r"(?:\d{1,9} of \d{1,9}|[-+]?\d(?:[\d,.\u00a0']{0,20}\d)?(?: ?%)?)"
_VALUES_CELL = re.compile(rf"{_ONE}(?: {_ONE})*")


def _cell_values(cell: str) -> list[str] | None:
    """The values in a cell of numbers ("1,705", "0 0 0", "73 of 73", "27.3 %"), or None."""
    if not _VALUES_CELL.fullmatch(cell):
        return None
    if " " not in cell:
        return [cell]
    tokens = cell.split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if i + 2 < len(tokens) and tokens[i + 1].lower() == "of" and value_kind(f"{t} of {tokens[i + 2]}"):
            out.append(f"{t} of {tokens[i + 2]}")
            i += 3
            continue
        if t == "%" and out and value_kind(out[-1]) == "count":
            out[-1] += "%"
            i += 1
            continue
        if value_kind(t) is None:
            return None
        out.append(t)
        i += 1
    return out


def split_row(line: Line, expected: int = 2) -> tuple[str, list[str]] | None:
    """(label, values) when the line is a label followed by numbers, else None.

    The label is the leading cells of text; every cell after it must hold only
    numbers. A label cell that ends with a number ("DST 19") keeps it: only
    whole cells of numbers are values. When the whole line is one cell (text
    set with single spaces), its trailing numbers are values if there are at
    least ``expected`` of them.
    """
    cells = line.cells
    values: list[str] = []
    j = len(cells)
    while j > 0:
        v = _cell_values(cells[j - 1])
        if v is None:
            break
        values = v + values
        j -= 1
    if j == 0:
        return None
    label = " ".join(cells[:j])
    if values:
        return label, values
    tokens = cells[-1].split()
    k = len(tokens)
    while k > 1 and value_kind(tokens[k - 1]) in ("count", "percent"):
        k -= 1
    if len(tokens) - k >= max(2, expected) and j == 1:
        return " ".join(tokens[:k]), tokens[k:]
    return None


def to_int(value: str | None) -> int | None:
    """A printed count as an integer (thousands grouped with ',', '.', ' ' or ''')."""
    if value is None or not re.fullmatch(r"[-+]?\d[\d,.\u00a0' ]*", value.strip()):
        return None
    digits = re.sub(r"[^\d-]", "", value)
    try:
        return int(digits)
    except ValueError:
        return None


def to_percent(value: str | None) -> tuple[float, float] | None:
    """(percent, half of its last printed place) of "27.35%" / "27,4 %", or None."""
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{1,3})(?:[.,](\d{1,6}))?\s*%?\s*", value)
    if not m:
        return None
    decimals = m.group(2) or ""
    return float(f"{m.group(1)}.{decimals or 0}"), 0.5 * 10 ** -len(decimals)


# --- page furniture ---------------------------------------------------------------

def furniture_lines(doc: PdfPages, patterns: list[re.Pattern], protected, auto: bool = True) -> set[tuple[int, int]]:
    """(page, line) of every line that is page furniture.

    A line is furniture when it matches a ``furniture`` pattern, or (``auto``)
    when the same text, digits aside, stands at the same height on most pages
    (titles, dates, "Page N of M", generator lines) and either reads the same
    on every page or carries the page number. ``protected(line)`` keeps rows
    and headings out of the automatic rule (a "Vote For 1" line or a
    "Write-In Totals 0 0" row can repeat on most pages too).
    """
    out: set[tuple[int, int]] = set()
    matched: dict[str, bool] = {}  # a report repeats most of its lines: each text is tested once
    for page in doc.pages:
        for ln in page:
            hit = matched.get(ln.text)
            if hit is None:
                hit = matched[ln.text] = any(p.search(ln.text) for p in patterns)
            if hit:
                out.add((ln.page, ln.number))
    n = len(doc.pages)
    if not auto or n < 3:
        return out
    groups: dict[tuple[str, int], list[Line]] = defaultdict(list)
    shapes: dict[str, str] = {}
    for page in doc.pages:
        for ln in page:
            shape = shapes.get(ln.text)
            if shape is None:
                shape = shapes[ln.text] = _DIGITS.sub("#", ln.text)
            groups[(shape, round(ln.y1 / 3))].append(ln)
    for lines in groups.values():
        pages = {ln.page for ln in lines}
        if len(pages) < FURNITURE_SHARE * n or any(protected(ln) for ln in lines[:3]):
            continue
        same = len({ln.text for ln in lines}) == 1
        numbered = sum(str(ln.page) in _DIGITS.findall(ln.text) for ln in lines) >= 0.9 * len(lines)
        if same or numbered:
            out.update((ln.page, ln.number) for ln in lines)
    return out


# --- the result -------------------------------------------------------------------

@dataclass
class PdfIssue:
    """A line that was not read: where it is, its text, and why."""

    page: int
    line: int
    text: str
    reason: str
    hint: str = "Add a [pdf] furniture pattern if the line is page decoration, or fix the mapping (docs/pdf.md)"


@dataclass
class Contest:
    name: str
    vote_for: int | None
    units: int = 0           # units with at least one row of this contest
    labels: list[str] = field(default_factory=list)


@dataclass
class PdfRead:
    """What :func:`read_pdf` found; ``raw`` goes to ingest like any reader's RawTable."""

    raw: Any                                   # readers.RawTable
    layout: str
    contest: str | None
    vote_for: int | None
    contests: list[Contest]
    candidates: list[str]                      # output columns that are candidate counts
    fields: list[str]                          # output columns that are fields
    quarantined: list[PdfIssue]
    findings: list                             # model.Finding
    outside_selection: dict[str, int]          # rows not read, by reason (other contests, ...)
    furniture: int                             # lines dropped as page furniture
    pages: int

    def notes(self) -> dict[str, Any]:
        """What ingest should copy into the Tally metadata."""
        return {"pdf_layout": self.layout, "contest": self.contest, "vote_for": self.vote_for,
                "pdf_pages": self.pages, "furniture_lines": self.furniture,
                "multi_seat": bool(self.vote_for and self.vote_for > 1)}

    def candidate_specs(self) -> list:
        """One CandidateSpec per candidate column (for a mapping without [[candidates]])."""
        from .mapping import CandidateSpec

        taken: set[str] = set()
        return [CandidateSpec(candidate_id(c, taken), c, c) for c in self.candidates]


def candidate_id(label: str, taken: set[str]) -> str:
    """A short identifier for a candidate label ("Write-In Totals" -> "write_in_totals")."""
    from .mapping import make_identifier

    return make_identifier(label, taken, lower=True, max_len=40)


def is_pdf(path: str | Path) -> bool:
    """True when the file starts like a PDF (ingest and inspect dispatch on this).

    Only a regular file is opened: a FIFO or device would block or never end here, before the
    readers' own refusal could say so.
    """
    if not Path(path).is_file():
        return False
    try:
        with open(path, "rb") as f:
            return f.read(1024).lstrip()[:5].startswith(b"%PDF")
    except OSError:
        return False


def read_pdf(path: str | Path, options: PdfOptions | dict | None = None, *, contest: str | None = None,
             max_pages: int | None = None, origin: str = "mapping") -> PdfRead:
    """Read one contest of a results PDF into one row per unit.

    ``options`` is the mapping's ``[pdf]`` table (a dict or PdfOptions);
    ``contest`` and ``max_pages`` override it (``ingest --contest``).
    """
    opts = options if isinstance(options, PdfOptions) else pdf_options_from_dict(dict(options or {}), origin)
    if contest is not None:
        opts.contest = contest
    if max_pages is not None:
        opts.max_pages = max_pages
    doc = extract_lines(path, opts.max_pages or default_max_pages())
    if doc.textless and len(doc.textless) == len(doc.pages):
        raise InputError("the PDF has no text layer (a scanned document?); it needs OCR, which electcheck "
                         "does not do yet", file=str(path),
                         hint="Run OCR on it first (e.g. ocrmypdf IN OUT) and read the copy, or type the figures")
    if not any(doc.pages):
        raise InputError("the PDF has no text at all", file=str(path), hint="Check that this is the file you meant")
    from . import pdf_layouts

    reader = pdf_layouts.read_blocks if opts.layout == "blocks" else pdf_layouts.read_table
    result = reader(doc, opts, str(path))
    for p in doc.textless:
        result.quarantined.append(PdfIssue(p, 0, "", "page has no text layer (a scanned page?)",
                                           "It needs OCR, which electcheck does not do yet; type its figures"))
    result.quarantined.sort(key=lambda q: (q.page, q.line))
    result.raw.quarantine = [_quarantined_row(str(path), q) for q in result.quarantined]
    result.raw.sha256 = doc.sha256
    return result


def _quarantined_row(file: str, q: PdfIssue):
    from ..model import QuarantinedRow

    where = f"page {q.page}, line {q.line}" if q.line else f"page {q.page}"
    return QuarantinedRow(file, q.page, f"line {q.line}", q.text[:200], f"{where}: {q.reason}", q.hint, q.text)
