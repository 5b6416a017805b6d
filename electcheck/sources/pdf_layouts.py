"""The two PDF layouts of docs/pdf.md: ``blocks`` and ``table``.

Both walk the lines rebuilt by ``pdf.extract_lines`` in three steps:
classify each line (furniture, heading, column header, row, text), join
wrapped labels to their rows, then accumulate one row per unit. Whatever is
neither furniture, a heading nor a row is quarantined with its page and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..model import Finding
from .pdf import (FIELD_LABELS, PERCENT_COLUMNS, Contest, Line, PdfIssue, PdfOptions, PdfPages, PdfRead, furniture_lines,
                  safe_pattern, split_row, to_int, to_percent, value_kind)
from .raw_table import RawTable, unique_names

STATS = "\x00statistics"   # the statistics block: unit-level rows, read only through ``fields``
#: a wrapped label continues within this many line heights of its row
WRAP_GAP = 0.8


@dataclass
class Item:
    """A classified line."""

    kind: str               # furniture | unit | vote_for | contest | stats | header | row | numbers | text
    line: Line
    label: str = ""
    values: list[str] = field(default_factory=list)
    name: str = ""          # unit or contest name
    groups: dict[str, str] = field(default_factory=dict)
    vote_for: int | None = None


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- blocks -----------------------------------------------------------------------

@dataclass
class _Unit:
    name: str
    groups: dict[str, str]
    page: int
    values: dict[str, list[str]] = field(default_factory=dict)   # label -> values
    where: dict[str, tuple[int, int]] = field(default_factory=dict)
    in_contest: bool = False


class _Patterns:
    def __init__(self, opts: PdfOptions, origin: str):
        self.unit = safe_pattern(opts.unit_heading, "unit_heading", origin) if opts.unit_heading else None
        self.vote_for = safe_pattern(opts.vote_for, "vote_for", origin) if opts.vote_for else None
        self.contest = safe_pattern(opts.contest_heading, "contest_heading", origin) \
            if opts.contest_heading else None
        self.stats = safe_pattern(opts.statistics, "statistics", origin) if opts.statistics else None
        self.furniture = [safe_pattern(p, "furniture", origin) for p in opts.furniture]
        self.vocab = {w for c in opts.columns for w in c.lower().split("_")} | {"%", "percent", "pct"}


_HEADER_WORD = re.compile(r"[a-z0-9%]+")


def _header_like(line: Line, vocab: set[str]) -> bool:
    words = _HEADER_WORD.findall(line.text.lower())
    return bool(words) and all(w in vocab for w in words)


def classify_blocks(doc: PdfPages, opts: PdfOptions, pats: _Patterns) -> list[Item]:
    """Every line of the file as an Item, in reading order.

    Each line is classified once; rows, headings and column headers are kept
    out of the automatic furniture rule (they repeat on most pages too).
    """
    expected = len(opts.columns)
    first_only = opts.unit_heading_where == "page_top"
    pre: dict[int, Item] = {}
    seen: dict[tuple[str, ...], Item] = {}  # a report repeats most of its lines: each is classified once
    for page in doc.pages:
        for ln in page:
            key = tuple(ln.cells)
            known = seen.get(key)
            if known is None:
                pre[id(ln)] = seen[key] = _classify_line(ln, opts, pats, not first_only, split_row(ln, expected))
            else:
                pre[id(ln)] = Item(known.kind, ln, known.label, list(known.values), known.name, dict(known.groups),
                                   known.vote_for)

    def protected(ln: Line) -> bool:
        return pre[id(ln)].kind != "text"

    furniture = furniture_lines(doc, [*pats.furniture, *_default_furniture()], protected, opts.auto_furniture)
    items: list[Item] = []
    for page in doc.pages:
        first = first_only
        page_items: list[Item] = []
        for ln in page:
            if (ln.page, ln.number) in furniture:
                page_items.append(Item("furniture", ln))
                continue
            it = pre[id(ln)]
            if first and pats.unit is not None and (m := pats.unit.search(ln.text)):
                it = _unit_item(ln, m)
            page_items.append(it)
            first = False
        _name_contests(page_items)
        items.extend(join_wrapped(page_items))
    return items


def _default_furniture():
    from .pdf import DEFAULT_FURNITURE

    return [safe_pattern(p, "furniture") for p in DEFAULT_FURNITURE]


def _unit_item(ln: Line, m: re.Match) -> Item:
    groups = {k: (v or "").strip() for k, v in m.groupdict().items() if k != "unit"}
    return Item("unit", ln, name=" ".join((m.group("unit") or "").split()), groups=groups)


def _classify_line(ln: Line, opts: PdfOptions, pats: _Patterns, unit_anywhere: bool, row) -> Item:
    """What one line is, by its own text (the page_top unit heading is decided by the caller)."""
    text = ln.text
    if pats.unit and unit_anywhere and (m := pats.unit.search(text)):
        return _unit_item(ln, m)
    if pats.vote_for and (m := pats.vote_for.search(text)):
        n = m.groupdict().get("n")
        return Item("vote_for", ln, vote_for=int(n) if n and n.isdigit() else None)
    if pats.stats and pats.stats.search(text):
        return Item("stats", ln, name=STATS)
    if pats.contest and (m := pats.contest.search(text)):
        return Item("contest", ln, name=" ".join(m.groupdict().get("contest", text).split()))
    if row is None and _header_like(ln, pats.vocab):
        return Item("header", ln)
    if row is not None:
        return Item("row", ln, label=" ".join(row[0].split()), values=row[1])
    if all(value_kind(c) or _all_values(c) for c in ln.cells):
        return Item("numbers", ln, values=[v for c in ln.cells for v in c.split()])
    return Item("text", ln)


def _all_values(cell: str) -> bool:
    return all(value_kind(t) for t in cell.split())


def _name_contests(items: list[Item]) -> None:
    """Each ``Vote For N`` names the contest on the text line just above it (else just below)."""
    for i, it in enumerate(items):
        if it.kind != "vote_for":
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(items) and items[j].kind == "text":
                items[j].kind, items[j].name, items[j].vote_for = "contest", " ".join(items[j].line.text.split()), \
                    it.vote_for
                break


def join_wrapped(items: list[Item]) -> list[Item]:
    """Join labels wrapped over two lines to their row; a line of numbers takes the text beside it.

    A text line belongs to the row closest above or below it when that row is
    within WRAP_GAP line heights; otherwise it stays text (and is quarantined).
    """
    for i, it in enumerate(items):
        if it.kind == "numbers":
            above = _near(items, i, -1, "text")
            below = _near(items, i, +1, "text")
            if above is not None or below is not None:
                parts = [items[k].line.text for k in (above, below) if k is not None]
                it.kind, it.label = "row", " ".join(" ".join(parts).split())
                for k in (above, below):
                    if k is not None:
                        items[k].kind = "joined"
    for i, it in enumerate(items):
        if it.kind != "text":
            continue
        above = _near(items, i, -1, "row")
        below = _near(items, i, +1, "row")
        if above is None and below is None:
            continue
        if below is not None and (above is None or _gap(items[below], it) <= _gap(it, items[above])):
            items[below].label = " ".join(f"{it.line.text} {items[below].label}".split())
        else:
            items[above].label = " ".join(f"{items[above].label} {it.line.text}".split())
        it.kind = "joined"
    return items


def _near(items: list[Item], i: int, step: int, kind: str) -> int | None:
    j = i + step
    if not 0 <= j < len(items) or items[j].kind != kind:
        return None
    upper, lower = (items[j], items[i]) if step < 0 else (items[i], items[j])
    gap = _gap(upper, lower)
    return j if gap <= WRAP_GAP * min(upper.line.height, lower.line.height) else None


def _gap(upper: Item, lower: Item) -> float:
    return upper.line.y0 - lower.line.y1


def read_blocks(doc: PdfPages, opts: PdfOptions, file: str) -> PdfRead:
    """``blocks``: unit headings, contest headings, then label-and-numbers rows."""
    pats = _Patterns(opts, file)
    items = classify_blocks(doc, opts, pats)
    contests = _contests(items, opts)
    chosen = _choose_contest(contests, opts.contest, file)
    acc = _Accumulator(opts, file, chosen, bool(contests), doc)
    for it in items:
        acc.take(it)
    return acc.result(contests)


def _contests(items: list[Item], opts: PdfOptions) -> list[Contest]:
    found: dict[str, Contest] = {}
    units: dict[str, set[str]] = {}
    unit = opts.unit_name or "file"
    contest = None
    for it in items:
        if it.kind == "unit":
            unit = it.name
        elif it.kind == "contest":
            c = found.setdefault(norm(it.name), Contest(it.name, it.vote_for))
            units.setdefault(norm(it.name), set()).add(unit)
            contest = c
        elif it.kind == "stats":
            contest = None
        elif it.kind == "row" and contest is not None and it.label not in contest.labels:
            contest.labels.append(it.label)
    for k, c in found.items():
        c.units = len(units[k])
    return list(found.values())


def _choose_contest(contests: list[Contest], wanted: str | None, file: str) -> Contest | None:
    from ..errors import InputError

    if not contests:
        return None
    if wanted is None:
        if len(contests) == 1:
            return contests[0]
        raise InputError(f"the PDF holds {len(contests)} contests; choose one with contest = \"...\" in [pdf] "
                         "(or --contest)", file=file, hint="Contests: " + _contest_list(contests))
    exact = [c for c in contests if norm(c.name) == norm(wanted)]
    if exact:
        return exact[0]
    part = [c for c in contests if norm(wanted) in norm(c.name)]
    if len(part) == 1:
        return part[0]
    raise InputError(f"no contest named {wanted!r}" if not part else f"{len(part)} contests contain {wanted!r}",
                     file=file, hint="Contests: " + _contest_list(part or contests))


def _contest_list(contests: list[Contest], n: int = 8) -> str:
    shown = "; ".join(f"{c.name} ({c.units} units)" for c in contests[:n])
    return shown + (f"; … ({len(contests)} in all)" if len(contests) > n else "")


class _Accumulator:
    """Walks the items once, keeping the selected contest's rows per unit."""

    def __init__(self, opts: PdfOptions, file: str, chosen: Contest | None, has_contests: bool, doc: PdfPages):
        self.opts, self.file, self.chosen, self.has_contests, self.doc = opts, file, chosen, has_contests, doc
        self.fields = {norm(k): v for k, v in opts.fields.items()}
        self.units: list[_Unit] = []
        self.unit: _Unit | None = None
        if not opts.unit_heading:
            self.unit = _Unit(opts.unit_name or _stem(file), {}, 1)
            self.units.append(self.unit)
        self.contest: str | None = None
        self.quarantined: list[PdfIssue] = []
        self.outside: dict[str, int] = {}
        self.furniture = 0
        self.labels: list[str] = []
        self.seen: set[str] = set()
        self.started = False  # a heading or row was seen: text after this is not a title

    def take(self, it: Item) -> None:
        kind = it.kind
        if kind in ("unit", "contest", "stats", "row", "vote_for", "header"):
            self.started = True
        if kind == "furniture":
            self.furniture += 1
        elif kind == "unit":
            self._unit(it)
        elif kind == "contest":
            self.contest = norm(it.name)
        elif kind == "stats":
            self.contest = STATS
        elif kind == "row":
            self._row(it)
        elif kind == "text" and not self.started:
            self._outside("title lines above the first heading")
        elif kind in ("text", "numbers"):
            self._quarantine(it, "not a heading, a row of numbers or page furniture")

    def _unit(self, it: Item) -> None:
        if self.unit is not None and self.unit.name == it.name:
            return  # the same unit continues on a new page: keep its contest
        self.unit = _Unit(it.name, it.groups, it.line.page)
        self.units.append(self.unit)
        self.contest = None

    def _row(self, it: Item) -> None:
        if self.unit is None:
            return self._quarantine(it, "a row of numbers before any unit heading")
        key = norm(it.label)
        if self.contest == STATS:
            if key in self.fields:
                return self._store(it, key)
            return self._outside("statistics rows not named in [pdf] fields")
        selected = self.chosen is None and not self.has_contests or \
            (self.chosen is not None and self.contest == norm(self.chosen.name))
        if self.contest is None and self.has_contests:
            return self._quarantine(it, "a row of numbers outside any contest block")
        if not selected:
            return self._outside("rows of other contests")
        self.unit.in_contest = True
        self._store(it, key)

    def _store(self, it: Item, key: str) -> None:
        n = len(self.opts.columns)
        if len(it.values) > n:
            return self._quarantine(it, f"{len(it.values)} numbers where [pdf] columns names {n}")
        if key in self.unit.values:
            p, ln = self.unit.where[key]
            return self._quarantine(it, f"{it.label!r} was already read for {self.unit.name!r} "
                                        f"(page {p}, line {ln})")
        self.unit.values[key] = it.values
        self.unit.where[key] = (it.line.page, it.line.number)
        if key not in self.seen:
            self.seen.add(key)
            self.labels.append(it.label)

    def _outside(self, why: str) -> None:
        self.outside[why] = self.outside.get(why, 0) + 1

    def _quarantine(self, it: Item, why: str) -> None:
        self.quarantined.append(PdfIssue(it.line.page, it.line.number, it.line.text, why))

    def result(self, contests: list[Contest]) -> PdfRead:
        units = [u for u in self.units if u.in_contest or (not self.has_contests and u.values)]
        skipped = len(self.units) - len(units)
        if skipped:
            why = "units without this contest" if self.has_contests else "units without rows"
            self.outside[why] = skipped
        cand = [lb for lb in self.labels if norm(lb) not in self.fields]
        fld = [lb for lb in self.labels if norm(lb) in self.fields]
        raw, cand_cols, field_cols = _wide_table(self.file, units, cand, fld, self.fields, self.opts)
        findings = _percent_findings(units, cand, self.opts, self.file)
        chosen = self.chosen
        return PdfRead(raw, "blocks", chosen.name if chosen else None, chosen.vote_for if chosen else None,
                       contests, cand_cols, field_cols, self.quarantined, findings, self.outside,
                       self.furniture, len(self.doc.pages))


def _stem(file: str) -> str:
    from pathlib import Path

    return Path(file).stem


def _wide_table(file: str, units: list[_Unit], cand: list[str], fld: list[str], fields: dict[str, str],
                opts: PdfOptions) -> tuple[RawTable, list[str], list[str]]:
    """One row per unit: ``unit`` (+ heading groups), then one column per label and number column."""
    groups = list(dict.fromkeys(k for u in units for k in u.groups))
    data: dict[str, list] = {"unit": [u.name for u in units]}
    for g in groups:
        data[g] = [u.groups.get(g) or None for u in units]
    count = opts.count_column
    cand_cols, field_cols = [], []
    for label in [*cand, *fld]:
        key = norm(label)
        base = fields.get(key, label)
        for j, col in enumerate(opts.columns):
            if col in PERCENT_COLUMNS:
                continue  # a check, never a count
            name = base if col == count else f"{base} [{col}]"
            column = [(u.values.get(key) or [])[j] if j < len(u.values.get(key) or []) else None for u in units]
            if col == count or any(v is not None for v in column):  # "registered [early]": never printed
                data[name] = column
        (field_cols if key in fields else cand_cols).append(base)
    cells = pd.DataFrame({k: pd.Series(v, dtype="string") for k, v in data.items()})
    raw = RawTable(file, list(cells.columns), cells, np.array([u.page for u in units], dtype=np.int64),
                   [], "", "", "pdf")
    return raw, cand_cols, field_cols


def _percent_findings(units: list[_Unit], cand: list[str], opts: PdfOptions, file: str) -> list[Finding]:
    """Recompute every printed percent from the counts; a mismatch is a finding, never a count."""
    pcols = [j for j, c in enumerate(opts.columns) if c in PERCENT_COLUMNS]
    if not pcols:
        return []
    cj = opts.columns.index(opts.count_column)
    keys = [norm(c) for c in cand]
    bad = []
    for u in units:
        counts = {k: to_int((u.values.get(k) or [None] * (cj + 1))[cj]) if len(u.values.get(k) or []) > cj
                  else None for k in keys}
        total = sum(v for v in counts.values() if v is not None)
        for k, label in zip(keys, cand):
            vals = u.values.get(k) or []
            for j in pcols:
                printed = to_percent(vals[j]) if j < len(vals) else None
                if printed is None or counts[k] is None or total == 0:
                    continue
                actual = 100.0 * counts[k] / total
                if abs(actual - printed[0]) > printed[1] + 1e-9:
                    bad.append({"unit": u.name, "label": label, "printed": vals[j],
                                "recomputed": round(actual, 4), "page": u.where[k][0], "line": u.where[k][1]})
    if not bad:
        return []
    return [Finding("pdf-percent-mismatch", "warning", "Printed percentages that do not match the counts",
                    f"{len(bad)} printed percentages differ from the count divided by the unit's total "
                    "(percent columns are checks, never counts)", location={"file": file},
                    evidence={"count": len(bad), "first": bad[:10]})]


# --- table ------------------------------------------------------------------------

def read_table(doc: PdfPages, opts: PdfOptions, file: str) -> PdfRead:
    """``table``: a header repeated on each page, one row per unit; ruled tables through pdfplumber."""
    ruled = opts.ruled
    if ruled == "auto":
        ruled = doc.ruled_hint  # the first page draws lines: try the ruled-table finder first
    elif isinstance(ruled, str):
        ruled = ruled.lower() == "true"
    reader = _TableReader(doc, opts, file)
    if ruled:
        reader.read_ruled()
    if not ruled or not reader.header:
        reader.reset()
        reader.read_aligned()
    return reader.result()


class _TableReader:
    def __init__(self, doc: PdfPages, opts: PdfOptions, file: str):
        self.doc, self.opts, self.file = doc, opts, file
        self.header_re = safe_pattern(opts.header, "header", file) if opts.header else None
        self.totals_re = safe_pattern(opts.totals, "totals", file)
        pats = [safe_pattern(p, "furniture", file) for p in opts.furniture] + _default_furniture()
        keep = self._header_candidates(doc)
        self.furniture = furniture_lines(doc, pats, lambda ln: id(ln) in keep or split_row(ln) is not None,
                                         opts.auto_furniture)
        self.reset()

    def _header_candidates(self, doc: PdfPages) -> set[int]:
        """Lines that may be the header: repeated on every page, but never furniture."""
        keep: set[int] = set()
        for page in doc.pages:
            for i, ln in enumerate(page):
                if self.header_re is not None and self.header_re.search(ln.text):
                    keep.add(id(ln))
                elif len(ln.cells) >= 2 and i + 1 < len(page) and split_row(page[i + 1]) is not None:
                    keep.add(id(ln))
        return keep

    def reset(self) -> None:
        self.header: list[str] = []
        self.spans: list[tuple[float, float]] = []
        self.rows: list[tuple[int, int, list[str]]] = []       # page, line, cells by column
        self.quarantined: list[PdfIssue] = []
        self.totals: list[dict] = []
        self.title = 0
        self.outside: dict[str, int] = {}

    # aligned columns -------------------------------------------------------------
    def read_aligned(self) -> None:
        for page in self.doc.pages:
            lines = [ln for ln in page if (ln.page, ln.number) not in self.furniture]
            start = self._find_header(lines)
            if start is None and not self.header:
                for ln in lines:  # no header yet: nothing here is a table row
                    self._quarantine(ln, "no table header on or before this page")
                continue
            if start is None:
                start = -1  # the table continues without repeating its header
            self.title += max(start, 0)  # lines above the header
            body = lines[start + 1:]
            while body and not self._cells_by_column(body[0]) and split_row(body[0]) is None:
                self._extend_header(body.pop(0))  # second line of a two-line header
            self._take_lines(body)

    def _find_header(self, lines: list[Line]) -> int | None:
        """Index of the header line on this page (the first page's header, or the ``header`` pattern).

        Detected: a line of two or more text cells directly followed by a row
        (else followed by one more text line and then a row: a two-line header).
        """
        for i, ln in enumerate(lines):
            if self.header and norm(ln.text) == norm(self._header_text):
                return i
            if self.header_re is not None and self.header_re.search(ln.text):
                self._set_header(ln)
                return i
        if self.header or self.header_re is not None:
            return None
        for skip in (1, 2):
            for i, ln in enumerate(lines[:-skip]):
                if len(ln.cells) >= 2 and not any(value_kind(c) for c in ln.cells) \
                        and split_row(lines[i + skip]) is not None \
                        and all(split_row(x) is None for x in lines[i + 1:i + skip]):
                    self._set_header(ln)
                    return i
        return None

    def _set_header(self, ln: Line) -> None:
        if not self.header:
            self.header = list(ln.cells)
            self.spans = list(ln.cell_x)
            self._header_text = ln.text

    def _extend_header(self, ln: Line) -> None:
        for cell, (a, b) in zip(ln.cells, ln.cell_x):
            j = self._column_of((a + b) / 2)
            if j is not None and len(self.header) > j and cell not in self.header[j]:
                self.header[j] = f"{self.header[j]} {cell}"

    def _column_of(self, x: float) -> int | None:
        centres = [(a + b) / 2 for a, b in self.spans]
        bounds = [(centres[k] + centres[k + 1]) / 2 for k in range(len(centres) - 1)]
        return int(np.searchsorted(bounds, x))

    def _cells_by_column(self, ln: Line) -> list[str] | None:
        """The line's text per header column, or None when it has no number at all."""
        out = [""] * len(self.header)
        for cell, (a, b) in zip(ln.cells, ln.cell_x):
            j = self._column_of(a if not value_kind(cell.split()[-1]) else (a + b) / 2)
            if j is None:
                continue
            out[j] = f"{out[j]} {cell}".strip()
        if not any(value_kind(v.split()[-1]) for v in out[1:] if v):
            return None
        return out

    def _take_lines(self, body: list[Line]) -> None:
        items = []
        for ln in body:
            cells = self._cells_by_column(ln) if self.header else None
            if cells is not None and cells[0]:
                items.append(Item("row", ln, label=cells[0], values=cells[1:]))
            elif cells is not None:
                items.append(Item("numbers", ln, values=cells[1:]))
            else:
                items.append(Item("text", ln))
        for it in join_wrapped(items):
            if it.kind == "row":
                self._row(it.line.page, it.line.number, [it.label, *it.values], it.line.text)
            elif it.kind in ("text", "numbers"):
                self._quarantine(it.line, "not a table row, the header or page furniture")

    # ruled tables (pdfplumber) -----------------------------------------------------
    def read_ruled(self) -> None:
        import pdfplumber

        with pdfplumber.open(self.file) as pdf:
            for i, page in enumerate(pdf.pages[: len(self.doc.pages)]):
                lines = [ln for ln in self.doc.pages[i] if (ln.page, ln.number) not in self.furniture]
                used: set[int] = set()
                height = float(page.height)
                for table in page.find_tables():
                    for row in table.rows:
                        cells = [" ".join((c or "").split()) for c in _row_text(page, row)]
                        top, bottom = row.bbox[1], row.bbox[3]
                        inside = [ln for ln in lines if height - bottom - 1 <= (ln.y0 + ln.y1) / 2 <= height - top + 1]
                        used.update(ln.number for ln in inside)
                        number = inside[0].number if inside else 0
                        if not self.header:
                            self.header = cells
                            continue
                        if [norm(c) for c in cells] == [norm(h) for h in self.header]:
                            continue  # the header repeated on a new page
                        self._row(i + 1, number, cells, " | ".join(cells))
                before = True
                for ln in lines:
                    if ln.number in used:
                        before = False
                        continue
                    if before:
                        self.title += 1
                    else:
                        self._quarantine(ln, "text outside the ruled table")

    # rows ------------------------------------------------------------------------
    def _row(self, page: int, line: int, cells: list[str], text: str) -> None:
        label = " ".join(cells[0].split())
        if self.totals_re.search(label):
            self.totals.append({"page": page, "line": line, "label": label, "cells": cells})
            return
        for name, v in zip(self.header[1:], cells[1:]):
            if v and not all(value_kind(t) for t in v.split()):
                return self._quarantine_text(page, line, text, f"column {name!r} holds {v!r}, not a number")
        if not label:
            return self._quarantine_text(page, line, text, "a row without a name in the first column")
        self.rows.append((page, line, [label, *cells[1:]]))

    def _quarantine(self, ln: Line, why: str) -> None:
        self._quarantine_text(ln.page, ln.number, ln.text, why)

    def _quarantine_text(self, page: int, line: int, text: str, why: str) -> None:
        self.quarantined.append(PdfIssue(page, line, text, why))

    def result(self) -> PdfRead:
        from ..errors import InputError

        if not self.header:
            raise InputError("no table header found in the PDF", file=self.file,
                             hint="Name the header line with header = \"^...\" in [pdf], or use layout = \"blocks\"")
        header = unique_names([" ".join(h.split()) or f"column_{k + 1}" for k, h in enumerate(self.header)])
        width = len(header)
        body = [(r + [""] * width)[:width] for _, _, r in self.rows]
        cells = pd.DataFrame(body, columns=header, dtype="string") if body else \
            pd.DataFrame({h: pd.Series([], dtype="string") for h in header})
        cells = cells.replace("", pd.NA)
        raw = RawTable(self.file, header, cells, np.array([p for p, _, _ in self.rows], dtype=np.int64), [],
                       "", "", "pdf")
        findings = self._totals_findings(header)
        if self.title:
            self.outside["title lines above the table header"] = self.title
        furniture = len(self.furniture)
        cands = [h for h in header[1:] if norm(h) not in FIELD_LABELS and h.lower() not in PERCENT_COLUMNS]
        fields = [h for h in header[1:] if norm(h) in FIELD_LABELS]
        return PdfRead(raw, "table", None, None, [], cands, fields, self.quarantined, findings, self.outside,
                       furniture, len(self.doc.pages))

    def _totals_findings(self, header: list[str]) -> list[Finding]:
        """A printed totals row is a check of the rows above it, never a unit (it would count twice)."""
        out = []
        for t in self.totals:
            rows = [r for p, ln, r in self.rows if (p, ln) < (t["page"], t["line"])]
            diffs = {}
            for j, name in enumerate(header[1:], start=1):
                printed = to_int(t["cells"][j]) if j < len(t["cells"]) else None
                if printed is None:
                    continue
                summed = sum(to_int(r[j]) or 0 for r in rows if j < len(r))
                if summed != printed:
                    diffs[name] = {"printed": printed, "sum_of_rows": summed}
            ok = not diffs
            out.append(Finding(
                "pdf-totals-row", "info" if ok else "warning",
                "Totals row in the PDF" + ("" if ok else " that does not match its rows"),
                f"page {t['page']}, line {t['line']}: {t['label']!r} is a totals row, kept as a check and not "
                "as a unit; " + ("it equals the sum of the rows above it" if ok else
                                 f"{len(diffs)} columns differ from the sum of the rows above it"),
                location={"file": self.file, "page": t["page"], "line": t["line"]},
                evidence={"cells": t["cells"], "differences": diffs}))
        return out


def _row_text(page, row) -> list[str | None]:
    """The text of each cell of a pdfplumber table row (None for a missing cell)."""
    out = []
    for bbox in row.cells:
        if bbox is None:
            out.append(None)
            continue
        out.append(page.crop(bbox).extract_text() or "")
    return out


