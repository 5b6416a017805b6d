"""Draft a mapping's ``[pdf]`` table for ``electcheck inspect FILE.pdf``.

The draft is a guess and says why for every line it guesses: the layout
(``blocks`` when the file has ``Vote For N`` lines or unit headings followed
by label-and-numbers rows, ``table`` when one header line of several cells is
followed by rows of numbers), the contests, the unit heading, the column names
read from the (possibly two-line) column header, and which row labels are
fields rather than candidates. A file with one contest ingests with the draft
unedited; with several, the draft names the contest with the most units and
marks it EDIT.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .pdf import (FIELD_LABELS, PERCENT_COLUMNS, Contest, Line, PdfOptions, PdfPages, extract_lines, safe_pattern, split_row,
                  value_kind)
from .pdf_layouts import Item, _contests, _Patterns, classify_blocks, norm

#: The reader's field columns that are Tally fields ([fields]); the rest go to [extras].
TALLY_FIELDS = {"registered": "registered", "ballots": "ballots", "votes_cast": "valid",
                "invalid": "invalid", "blank": "blank"}


@dataclass
class PdfDraft:
    file: str
    layout: str
    pages: int
    contests: list[Contest]
    columns: list[str]
    column_titles: list[str]
    unit_heading: str | None
    unit_heading_where: str
    units: int
    candidates: list[str]
    fields: dict[str, str]
    header: str | None = None
    notes: list[str] = field(default_factory=list)
    text: str = ""

    def summary(self) -> list[str]:
        """Human lines for stderr: what was found and why."""
        out = [f"{Path(self.file).name}: PDF, {self.pages} pages, layout {self.layout!r}"]
        if self.contests:
            out.append(f"{len(self.contests)} contests:")
            out += [f"  {c.name}  (Vote For {c.vote_for}, {c.units} units)" for c in self.contests]
        out.append("columns: " + ", ".join(f"{t} -> {c}" for t, c in zip(self.column_titles, self.columns)))
        out += [f"note: {n}" for n in self.notes]
        return out


def toml_str(s: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(s, ensure_ascii=False)


def draft_pdf(path: str | Path, *, max_pages: int | None = None) -> PdfDraft:
    """Look at a results PDF and draft its mapping (``PdfDraft.text``)."""
    doc = extract_lines(path, max_pages)
    vote_for = safe_pattern(PdfOptions().vote_for, "vote_for")
    has_vote_for = any(vote_for.search(ln.text) for page in doc.pages for ln in page)
    table = None if has_vote_for else _table_header(doc)
    draft = _draft_table(doc, table) if table is not None else _draft_blocks(doc)
    draft.text = render(draft)
    return draft


# --- blocks -----------------------------------------------------------------------

def _draft_blocks(doc: PdfPages) -> PdfDraft:
    probe = PdfOptions(columns=["c"], auto_furniture=True)
    pats = _Patterns(probe, doc.file)
    items = classify_blocks(doc, probe, pats)
    titles, columns = _column_header(items)
    if not columns:
        width = Counter(len(it.values) for it in items if it.kind == "row").most_common(1)
        n = width[0][0] if width else 1
        columns = ["votes", "percent"][:n] if n <= 2 else [f"n{k + 1}" for k in range(n)]
        titles = list(columns)
    probe = PdfOptions(columns=columns)
    pats = _Patterns(probe, doc.file)
    heading, where, why = _unit_heading(doc, probe, pats)
    opts = PdfOptions(columns=columns, unit_heading=heading, unit_heading_where=where)
    items = classify_blocks(doc, opts, _Patterns(opts, doc.file))
    contests = _contests(items, opts)
    labels = [it.label for it in items if it.kind == "row"]
    fields = {lb: FIELD_LABELS[norm(lb)] for lb in dict.fromkeys(labels) if norm(lb) in FIELD_LABELS}
    units = sum(1 for it in items if it.kind == "unit")
    chosen = max(contests, key=lambda c: c.units) if contests else None
    cands = [lb for lb in (chosen.labels if chosen else dict.fromkeys(labels)) if norm(lb) not in FIELD_LABELS]
    notes = [why]
    if len(contests) > 1:
        notes.append(f"{len(contests)} contests; the draft reads {chosen.name!r} (the most units): "
                     "change contest = to read another")
    return PdfDraft(doc.file, "blocks", len(doc.pages), contests, columns, titles, heading, where,
                    len({it.name for it in items if it.kind == "unit"}) or units, cands, fields, notes=notes)


def _column_header(items: list[Item]) -> tuple[list[str], list[str]]:
    """Column titles from the text lines between the first contest heading and its first row.

    A two-line title ("Election" over "Day") is joined by x position.
    """
    for i, it in enumerate(items):
        if it.kind not in ("contest", "stats", "vote_for"):
            continue
        block: list[Line] = []
        for nxt in items[i + 1:i + 6]:
            if nxt.kind == "row":
                break
            if nxt.kind == "text" and not any(value_kind(c) for c in nxt.line.cells):
                block.append(nxt.line)
        else:
            continue
        cells = sorted(((a, b, text, ln.y1) for ln in block for text, (a, b) in zip(ln.cells, ln.cell_x)),
                       key=lambda c: c[0])
        groups: list[list[tuple]] = []
        for c in cells:
            if groups and c[0] <= max(g[1] for g in groups[-1]) + 1:
                groups[-1].append(c)
            else:
                groups.append([c])
        if len(groups) < 1:
            continue
        titles = [" ".join(t for _, _, t, _ in sorted(g, key=lambda c: -c[3])) for g in groups]
        ids = [_ident(t) for t in titles]
        return titles, ids
    return [], []


def _ident(title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_") or "n"
    if base in ("%", "") or title.strip() == "%":
        return "percent"
    return "c_" + base if base[0].isdigit() else base


def _unit_heading(doc: PdfPages, opts: PdfOptions, pats: _Patterns) -> tuple[str | None, str, str]:
    """The unit heading: lines of text directly followed by a block (rows, a column header, a contest).

    When every such line is the first line of its page and they differ from
    page to page, the heading is "the page's first line"; when most start with
    a code, a coded pattern; else any such line.
    """
    items = classify_blocks(doc, opts, pats)
    firsts: dict[int, int] = {}
    for k, it in enumerate(items):
        if it.kind != "furniture" and it.line.page not in firsts:
            firsts[it.line.page] = k
    starts = ("row", "header", "contest", "stats", "vote_for")
    heads = [k for k, it in enumerate(items) if it.kind == "text" and k + 1 < len(items)
             and items[k + 1].kind in starts and items[k + 1].line.page == it.line.page]
    texts = [items[k].line.text for k in heads]
    top = [items[k].line.text for k in firsts.values() if items[k].kind == "text"]
    mid_page = [k for k in heads if k not in set(firsts.values())]
    if len(doc.pages) >= 3 and not mid_page and len(top) >= 0.8 * len(doc.pages) and len(set(top)) >= 2:
        return (r"^(?P<unit>.+)$", "page_top",
                f"unit heading: the first line under the page header changes from page to page "
                f"({len(set(top))} different texts on {len(doc.pages)} pages)")
    coded = [t for t in texts if re.match(r"^\d{2,}\s", t)]
    if texts and len(coded) >= 0.6 * len(texts):
        return (r"^(?P<code>\d{2,}) (?P<unit>.+)$", "any",
                f"unit heading: {len(coded)} lines that start with a code are each followed by rows")
    if len(set(texts)) >= 2:
        return (r"^(?P<unit>[^\d].*)$", "any",
                f"unit heading: {len(set(texts))} lines of text are each followed by rows (check the pattern)")
    return None, "any", "one unit: no line before the rows changes from page to page"


# --- table ------------------------------------------------------------------------

def _table_header(doc: PdfPages) -> Line | None:
    """A line of several text cells followed by rows of numbers, on the first page with one."""
    for page in doc.pages[:3]:
        for i, ln in enumerate(page):
            if len(ln.cells) >= 3 and not any(value_kind(c) for c in ln.cells) \
                    and any(split_row(x) is not None and len(split_row(x)[1]) >= 2 for x in page[i + 1:i + 4]):
                return ln
    return None


def _draft_table(doc: PdfPages, header: Line) -> PdfDraft:
    titles = list(header.cells)
    fields = {t: FIELD_LABELS[norm(t)] for t in titles[1:] if norm(t) in FIELD_LABELS}
    cands = [t for t in titles[1:] if t not in fields and _ident(t) not in PERCENT_COLUMNS]
    notes = [f"layout table: page {header.page}, line {header.number} has {len(titles)} header cells "
             "followed by rows of numbers"]
    return PdfDraft(doc.file, "table", len(doc.pages), [], [_ident(t) for t in titles], titles, None, "any",
                    0, cands, fields, header="^" + re.escape(titles[0]), notes=notes)


# --- rendering --------------------------------------------------------------------

def render(d: PdfDraft) -> str:
    """The draft as commented TOML (see docs/pdf.md and docs/mapping.md)."""
    name = Path(d.file).name
    out = [f"# Draft mapping for {name}, written by 'electcheck inspect'.",
           "# Check every line marked EDIT, then run:",
           f"#   electcheck ingest {name} --map THIS_FILE.toml", "",
           "[source]", f"name = {toml_str(Path(d.file).stem)}",
           'kind = "official"           # EDIT: official | independent (guess: a printed results report)',
           'election = ""               # EDIT: e.g. "General election, 7 November 2023"',
           f"unit_level = {toml_str('precinct' if d.unit_heading else 'area')}"
           "        # EDIT: what one row is", "",
           "[pdf]", f"layout = {toml_str(d.layout)}        # {d.notes[0] if d.layout == 'table' else _why_blocks(d)}"]
    out += _pdf_keys(d)
    out += _mapping_fields(d)
    out += ["", "[key]", f"parts = [{toml_str('unit' if d.layout == 'blocks' else d.column_titles[0])}]"]
    out += _candidates(d)
    out += [f"# NOTE: {n}" for n in d.notes[1:]]
    return "\n".join(out).rstrip() + "\n"


def _why_blocks(d: PdfDraft) -> str:
    if d.contests:
        return f"'Vote For N' lines head {len(d.contests)} contest blocks of label-and-numbers rows"
    return "headings followed by label-and-numbers rows"


def _pdf_keys(d: PdfDraft) -> list[str]:
    out = []
    if d.layout == "blocks":
        if d.contests:
            chosen = max(d.contests, key=lambda c: c.units)
            edit = "EDIT: the contest to read; " if len(d.contests) > 1 else ""
            out.append(f"contest = {toml_str(chosen.name)}   # {edit}Vote For {chosen.vote_for}, {chosen.units} units")
            if len(d.contests) > 1:
                out.append("# Contests in this file (name, Vote For, units):")
                out += [f"#   {c.name}  (Vote For {c.vote_for}, {c.units} units)" for c in d.contests]
        if d.unit_heading:
            out.append(f"unit_heading = {{pattern = {toml_str(d.unit_heading)}, where = "
                       f"{toml_str(d.unit_heading_where)}}}")
            out.append(f"# why: {d.notes[0]}")
        else:
            out.append(f"unit_name = {toml_str(Path(d.file).stem)}   # EDIT: the area this file covers ({d.notes[0]})")
    else:
        out.append(f"header = {toml_str(d.header or '')}   # why: the header line starts with this text")
    out.append("columns = [" + ", ".join(toml_str(c) for c in d.columns) + "]   # why: read from the column header "
               + "(" + ", ".join(toml_str(t) for t in d.column_titles) + ")")
    if any(c in PERCENT_COLUMNS for c in d.columns):
        out.append("# percent columns are checks: each printed percent is recomputed, a mismatch is a finding")
    if d.fields and d.layout == "blocks":
        out.append("# Row labels that are fields, not candidates (why: known report wording):")
        out.append("fields = {" + ", ".join(f"{toml_str(k)} = {toml_str(v)}" for k, v in d.fields.items()) + "}")
    return out


def _mapping_fields(d: PdfDraft) -> list[str]:
    cols = d.fields if d.layout == "table" else {v: v for v in d.fields.values()}
    tally = {TALLY_FIELDS[v]: k for k, v in cols.items() if v in TALLY_FIELDS}
    extras = {v: k for k, v in cols.items() if v not in TALLY_FIELDS}
    out = []
    chosen = max(d.contests, key=lambda c: c.units) if d.contests else None
    multi = bool(chosen and chosen.vote_for and chosen.vote_for > 1)
    if tally:
        out += ["", "[fields]"]
        for f, col in tally.items():
            if f == "ballots" and multi:
                out.append(f"# ballots = {toml_str(col)}   # left out: in a Vote For {chosen.vote_for} contest the "
                           "votes exceed the ballots; put it back for a Vote For 1 contest")
                continue
            why = {"valid": "   # why: total votes cast = the sum of the candidate rows (with write-ins); "
                            "in a Vote For N contest these are votes, not voters",
                   "ballots": "   # why: ballots cast in the unit (all contests)"}.get(f, "")
            out.append(f"{f} = {toml_str(col)}{why}")
    if extras:
        out += ["", "[extras]"] + [f"{k} = {toml_str(v)}" for k, v in extras.items()]
    return out


def _candidates(d: PdfDraft) -> list[str]:
    if d.layout == "blocks" and len(d.contests) > 1:
        return ["", "# No [[candidates]]: every candidate row of the chosen contest is read (ids from the labels).",
                "# To name them, add one [[candidates]] table per label (id, column = the label, name)."]
    from .pdf import candidate_id

    taken: set[str] = set()
    out = ["", "# One table per candidate. EDIT: names, and delete columns that are not votes."]
    for c in d.candidates:
        why = "   # write-in votes, counted as one candidate" if "write" in c.lower() else ""
        out += ["[[candidates]]", f"id = {toml_str(candidate_id(c, taken))}", f"column = {toml_str(c)}{why}",
                f"name = {toml_str(c)}", ""]
    return out
