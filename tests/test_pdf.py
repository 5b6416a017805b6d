"""PDF reading (electcheck.sources.pdf): synthetic PDFs written at test time, hostile files, Finney County.

The synthetic PDFs are written byte by byte with the standard Helvetica font
(no PDF library needed), so every text's position, every ruled line and every
planted bad line is known to the test. The real Finney County reports are read
from ELECTCHECK_DATA_DIR; those tests skip naming the file when it is absent.
"""

from __future__ import annotations

import os
import time
import tomllib
from pathlib import Path

import pytest

from electcheck.errors import InputError
from electcheck.sources.pdf import (PdfOptions, extract_lines, pdf_options_from_dict, read_pdf, safe_pattern,
                                    split_row, to_int)
from electcheck.sources.pdf_draft import draft_pdf

FINNEY = "kansas-finney-2023-local"
PRECINCTS = "2023-11-07-General---Precinct-Summary---OFFICIAL.pdf"
SUMMARY = "2023-11-07-General---Election-Summary---OFFICIAL.pdf"
COLUMNS = ["total", "election_day", "early", "absentee", "provisional"]
FIELDS = {"Registered Voters - Total": "registered", "Ballots Cast - Total": "ballots",
          "Total Votes Cast": "votes_cast", "Overvotes": "overvotes", "Undervotes": "undervotes"}


# --- a tiny PDF writer ------------------------------------------------------------

def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _width(s: str, size: float) -> float:
    """Approximate Helvetica width (digits 0.556 em, comma/period 0.278 em, others 0.5 em)."""
    return sum(0.278 if c in ",. " else 0.556 if c.isdigit() else 0.55 for c in s) * size


def right(x: float, y: float, s: str, size: float = 9) -> tuple:
    """A text right-aligned at x (numbers in a column)."""
    return (x - _width(s, size), y, s, size)


def write_pdf(path: Path, pages: list[dict], *, encrypt: bool = False, broken_xref: bool = False,
              repeat: int = 1) -> Path:
    """Write a PDF: each page {"texts": [(x, y, text, size)], "lines": [(x0, y0, x1, y1)], "image": bool}.

    ``repeat`` > 1 repeats the single page that many times (one shared content stream).
    """
    objs: dict[int, bytes] = {3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}
    kids = []
    num = 4
    image = None
    for pg in pages:
        parts = []
        for x, y, text, size in pg.get("texts", []):
            parts.append(f"BT /F1 {size} Tf {x:.2f} {y:.2f} Td ({_esc(text)}) Tj ET")
        for x0, y0, x1, y1 in pg.get("lines", []):
            parts.append(f"0.5 w {x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l S")
        xobj = ""
        if pg.get("image"):
            if image is None:
                image, num = num, num + 1
                objs[image] = (b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
                               b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream")
            parts.append("q 500 0 0 700 50 50 cm /Im1 Do Q")
            xobj = f"/XObject << /Im1 {image} 0 R >>"
        data = "\n".join(parts).encode("cp1252")
        objs[num] = b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        content, num = num, num + 1
        for _ in range(repeat):
            objs[num] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
                         f"{xobj} >> /Contents {content} 0 R >>").encode()
            kids.append(num)
            num += 1
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objs):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objs[n] + b"\nendobj\n"
    if encrypt:
        enc = num
        offsets[enc] = len(out)
        out += (b"%d 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <" % enc + b"ab" * 32 + b"> /U <" + b"cd" * 32
                + b"> /P -44 >>\nendobj\n")
    xref = len(out)
    size = max(offsets) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        off = 0 if broken_xref else offsets.get(n, 0)
        out += b"%010d 00000 n \n" % (off + (7 if broken_xref else 0))
    trailer = b"<< /Size %d /Root 1 0 R" % size
    if encrypt:
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (enc, b"01" * 16, b"01" * 16)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


def line_number(page: dict, text: str) -> int:
    """1-based line of ``text`` on its page, counting distinct baselines from the top."""
    ys = sorted({round(t[1]) for t in page["texts"]}, reverse=True)
    y = next(round(t[1]) for t in page["texts"] if t[2] == text)
    return ys.index(y) + 1


def furniture(page_no: int, pages: int) -> list[tuple]:
    return [(40, 760, "Example County - Official Results (synthetic)", 10),
            (420, 760, "Printed 05/01/2024", 8),
            (250, 30, f"Page {page_no} of {pages}", 8)]


# --- synthetic layout 1: long blocks, unit name alone, party-candidate votes percent -------

UNITS = [("0001", "Riverside North", {"DEM-Ana Perez": 612, "REP-Luis Gomez": 403, "LIB-Otto Ruiz": 41}),
         ("0002", "Riverside South", {"DEM-Ana Perez": 380, "REP-Luis Gomez": 1204, "LIB-Otto Ruiz": 55}),
         ("0003", "Hill Top", {"DEM-Ana Perez": 75, "REP-Luis Gomez": 80, "LIB-Otto Ruiz": 90}),
         ("0004", "Old Mill", {"DEM-Ana Perez": 1500, "REP-Luis Gomez": 1499, "LIB-Otto Ruiz": 1}),
         ("0005", "Lakeside", {"DEM-Ana Perez": 0, "REP-Luis Gomez": 10, "LIB-Otto Ruiz": 3}),
         ("0006", "Airport", {"DEM-Ana Perez": 222, "REP-Luis Gomez": 111, "LIB-Otto Ruiz": 333})]
BAD_LONG = "** figures under review, see note 3 **"


def long_pages() -> list[dict]:
    pages = []
    for p in range(3):
        texts = furniture(p + 1, 3)
        y = 700
        for code, name, votes in UNITS[2 * p: 2 * p + 2]:
            texts.append((40, y, f"{code} {name}", 11))
            y -= 22
            total = sum(votes.values())
            for label, v in sorted(votes.items(), key=lambda kv: -kv[1]):  # order differs per unit
                pct = f"{100 * v / total:.2f}%"
                if code == "0003" and label.startswith("LIB"):
                    pct = "12.00%"  # planted: a printed percent that does not match the counts
                texts += [(60, y, label, 9), right(330, y, f"{v:,}"), right(420, y, pct)]
                y -= 18
                if code == "0004" and label.startswith("DEM"):
                    texts.append((60, y - 4, BAD_LONG, 9))  # planted: a line that is nothing
                    y -= 26
            texts += [(60, y, "Total Votes", 9), right(330, y, f"{total:,}"), right(420, y, "100.00%")]
            y -= 40
        pages.append({"texts": texts})
    return pages


LONG_PDF = {"layout": "blocks", "unit_heading": r"^(?P<code>\d{4}) (?P<unit>.+)$",
            "columns": ["votes", "percent"], "fields": {"Total Votes": "votes_cast"}}


def test_long_layout_reads_every_unit_with_exact_totals(tmp_path):
    pages = long_pages()
    f = write_pdf(tmp_path / "long.pdf", pages)
    r = read_pdf(f, LONG_PDF)
    cells = r.raw.cells
    assert list(cells["unit"]) == [n for _, n, _ in UNITS]
    assert list(cells["code"]) == [c for c, _, _ in UNITS]
    for label in ("DEM-Ana Perez", "REP-Luis Gomez", "LIB-Otto Ruiz"):
        assert sum(to_int(v) for v in cells[label]) == sum(u[2][label] for u in UNITS)
    assert sum(to_int(v) for v in cells["votes_cast"]) == sum(sum(u[2].values()) for u in UNITS)
    assert r.candidates == ["DEM-Ana Perez", "REP-Luis Gomez", "LIB-Otto Ruiz"]
    assert "percent" not in " ".join(cells.columns)  # a printed percent is a check, never a count
    # the planted line: quarantined with its page and line; furniture dropped, not quarantined
    assert [(q.page, q.line, q.text) for q in r.quarantined] == [(2, line_number(pages[1], BAD_LONG), BAD_LONG)]
    assert r.raw.rows_read == len(UNITS) + 1
    assert r.raw.quarantine[0].reason.startswith(f"page 2, line {line_number(pages[1], BAD_LONG)}:")
    assert r.furniture == 6  # title and date share a line; "Page N of 3"
    # the planted percent: one finding naming the unit
    (finding,) = [x for x in r.findings if x.code == "pdf-percent-mismatch"]
    assert finding.evidence["count"] == 1 and finding.evidence["first"][0]["unit"] == "Hill Top"


def test_long_layout_draft_reads_unedited(tmp_path):
    f = write_pdf(tmp_path / "long.pdf", long_pages())
    d = draft_pdf(f)
    doc = tomllib.loads(d.text)  # valid TOML
    assert doc["pdf"]["layout"] == "blocks"
    assert doc["pdf"]["columns"][:1] == ["votes"]
    r = read_pdf(f, doc["pdf"])
    assert len(r.raw.cells) == len(UNITS)
    assert sum(to_int(v) for v in r.raw.cells["DEM-Ana Perez"]) == sum(u[2]["DEM-Ana Perez"] for u in UNITS)
    tally = _ingest(f, d.text)
    assert tally.totals()[_id(tally, "REP-Luis Gomez")] == sum(u[2]["REP-Luis Gomez"] for u in UNITS)


# --- synthetic layout 2: a ruled 3-page table ------------------------------------------

RULED_HEADER = ["Precinct", "Ana Perez", "Luis Gomez", "Others"]
RULED_ROWS = [[f"Precinct {k:02d}", 100 + k, 50 + 2 * k, k % 7] for k in range(1, 25)]
BAD_RULED = "Precinct 13"  # its first count is printed "1O5" (a letter O)


def ruled_pages() -> list[dict]:
    pages = []
    xs = [40, 200, 300, 400, 480]
    per_page = 9
    chunks = [RULED_ROWS[i:i + per_page] for i in range(0, len(RULED_ROWS), per_page)]
    for p, chunk in enumerate(chunks):
        texts = furniture(p + 1, len(chunks))
        if p == 0:
            texts.append((40, 730, "Results by precinct, general election (synthetic)", 11))
        rows = [RULED_HEADER] + chunk
        if p == len(chunks) - 1:
            rows.append(["Total", *[sum(r[j] for r in RULED_ROWS) for j in (1, 2, 3)]])
        top = 700
        heights = []
        for r in rows:
            tall = r[0] == "Precinct 05"
            heights.append(34 if tall else 20)
        lines = []
        y = top
        for r, h in zip(rows, heights):
            lines.append((xs[0], y, xs[-1], y))
            base = y - 14
            if r[0] == "Precinct 05":  # a name wrapped over two lines inside its cell
                texts += [(xs[0] + 4, base, "Precinct 05", 9), (xs[0] + 4, base - 12, "Annex", 9)]
            else:
                texts.append((xs[0] + 4, base, str(r[0]), 9))
            for j in (1, 2, 3):
                v = r[j] if isinstance(r[j], str) else f"{r[j]:,}"
                if r[0] == BAD_RULED and j == 1:
                    v = "1O5"
                texts.append(right(xs[j + 1] - 6, base, v) if r is not rows[0] else (xs[j] + 4, base, v, 9))
            y -= h
        lines.append((xs[0], y, xs[-1], y))
        lines += [(x, top, x, y) for x in xs]
        pages.append({"texts": texts, "lines": lines})
    return pages


RULED_PDF = {"layout": "table", "ruled": True}


def test_ruled_table_header_repeated_totals_row_is_a_finding(tmp_path):
    pages = ruled_pages()
    f = write_pdf(tmp_path / "ruled.pdf", pages)
    r = read_pdf(f, RULED_PDF)
    cells = r.raw.cells
    assert r.raw.header == RULED_HEADER
    good = [row for row in RULED_ROWS if row[0] != BAD_RULED]
    assert len(cells) == len(good)  # the header on pages 2 and 3 is not a row; the totals row is not a unit
    assert "Precinct 05 Annex" in set(cells["Precinct"])  # wrapped name joined
    for j, name in enumerate(RULED_HEADER[1:], start=1):
        assert sum(to_int(v) for v in cells[name]) == sum(row[j] for row in good)
    (q,) = r.quarantined
    assert q.page == 2 and "1O5" in q.text
    assert q.line == line_number(pages[1], BAD_RULED)
    (tot,) = [x for x in r.findings if x.code == "pdf-totals-row"]
    assert tot.location["page"] == 3
    # the printed total includes the bad row, which was set aside: the finding names the difference
    assert tot.evidence["differences"]["Ana Perez"]["printed"] == sum(row[1] for row in RULED_ROWS)
    assert r.raw.rows_read == len(good) + 1


# --- synthetic layout 3: blocks with wrapped candidate names --------------------------

WRAP_UNITS = [("101", "North", [("Adanari Lopez de", "Luna-Carlson", 944, 747), ("Tom Nguyen", None, 17, 12),
                                ("Frank Urteaga", "III", 846, 676)]),
              ("102", "South", [("Tom Nguyen", None, 5, 5), ("Adanari Lopez de", "Luna-Carlson", 1, 0),
                                ("Frank Urteaga", "III", 2, 2)])]
BAD_WRAP = "Recount requested by a candidate"


def wrap_pages() -> list[dict]:
    texts = furniture(1, 1)
    y = 700
    for code, name, rows in WRAP_UNITS:
        texts.append((40, y, f"{code} {name}", 11))
        y -= 20
        texts += [(40, y, "MAYOR OF EXAMPLE CITY", 10)]
        y -= 14
        texts += [(40, y, "Vote For 1", 9)]
        y -= 18
        texts += [(240, y, "TOTAL", 8), (300, y, "Election", 8), (370, y, "Early", 8)]
        texts += [(300, y - 9, "Day", 8)]
        y -= 28
        for first, second, total, day in rows:
            if second and first.startswith("Adanari"):  # numbers beside the first line
                texts += [(40, y, first, 9), right(270, y, f"{total:,}"), right(330, y, f"{day:,}"),
                          right(390, y, f"{total - day:,}"), (40, y - 10.5, second, 9)]
                y -= 30
            elif second:  # numbers beside the second line
                texts += [(40, y, first, 9), (40, y - 10.5, second, 9), right(270, y - 10.5, f"{total:,}"),
                          right(330, y - 10.5, f"{day:,}"), right(390, y - 10.5, f"{total - day:,}")]
                y -= 30
            else:
                texts += [(40, y, first, 9), right(270, y, f"{total:,}"), right(330, y, f"{day:,}"),
                          right(390, y, f"{total - day:,}")]
                y -= 20
        if code == "101":
            texts.append((40, y - 6, BAD_WRAP, 9))
            y -= 30
        y -= 20
    return [{"texts": texts}]


def test_wrapped_candidate_names_are_joined(tmp_path):
    pages = wrap_pages()
    f = write_pdf(tmp_path / "wrap.pdf", pages)
    r = read_pdf(f, {"unit_heading": r"^(?P<code>\d{3}) (?P<unit>.+)$",
                     "columns": ["total", "election_day", "early"]})
    assert r.contest == "MAYOR OF EXAMPLE CITY" and r.vote_for == 1
    assert r.candidates == ["Adanari Lopez de Luna-Carlson", "Tom Nguyen", "Frank Urteaga III"]
    cells = r.raw.cells
    assert [to_int(v) for v in cells["Adanari Lopez de Luna-Carlson"]] == [944, 1]
    assert [to_int(v) for v in cells["Frank Urteaga III [election_day]"]] == [676, 2]
    assert [(q.page, q.line, q.text) for q in r.quarantined] == [(1, line_number(pages[0], BAD_WRAP), BAD_WRAP)]


# --- an aligned table without rules --------------------------------------------------

def test_aligned_table_with_repeated_header(tmp_path):
    pages = []
    for p in range(3):
        texts = furniture(p + 1, 3)
        texts += [(40, 700, "Mesa", 9), (200, 700, "Ana", 9), (280, 700, "Luis", 9), (360, 700, "Registered", 9)]
        for k in range(5):
            y = 680 - 18 * k
            texts += [(40, y, f"Mesa {p * 5 + k + 1}", 9), right(220, y, str(10 + k)), right(300, y, str(20 + k)),
                      right(400, y, "1,000")]
        pages.append({"texts": texts})
    f = write_pdf(tmp_path / "aligned.pdf", pages)
    r = read_pdf(f, {"layout": "table", "ruled": False})
    assert r.raw.header == ["Mesa", "Ana", "Luis", "Registered"]
    assert len(r.raw.cells) == 15 and not r.quarantined  # the header repeated on pages 2 and 3 is not a row
    assert sum(to_int(v) for v in r.raw.cells["Registered"]) == 15_000
    assert r.furniture == 6  # title and date, "Page N of 3"
    d = draft_pdf(f)
    assert d.layout == "table" and d.columns == ["mesa", "ana", "luis", "registered"]
    assert tomllib.loads(d.text)["pdf"]["layout"] == "table"


# --- hostile files -------------------------------------------------------------------

def _one_line_error(f: Path, **kw) -> str:
    t = time.perf_counter()
    with pytest.raises(InputError) as e:
        read_pdf(f, {"columns": ["votes"]}, **kw)
    assert time.perf_counter() - t < 5
    msg = str(e.value)
    assert "\n" not in msg and str(f) in msg
    return msg


def test_zero_pages(tmp_path):
    assert "no pages" in _one_line_error(write_pdf(tmp_path / "empty.pdf", []))


def test_encrypted(tmp_path):
    f = write_pdf(tmp_path / "secret.pdf", [{"texts": [(40, 700, "Ana 12", 9)]}], encrypt=True)
    assert "encrypted" in _one_line_error(f)


def test_broken_cross_reference_table_is_repaired_or_refused(tmp_path):
    f = write_pdf(tmp_path / "broken.pdf", [{"texts": [(40, 700, "Ana", 9), right(200, 700, "12")]}],
                  broken_xref=True)
    try:
        r = read_pdf(f, {"columns": ["votes"]})
    except InputError as e:  # refused: one line
        assert "\n" not in str(e)
    else:  # PDFium rebuilt the table: the text is read
        assert to_int(r.raw.cells["Ana"].iloc[0]) == 12


def test_not_a_pdf_and_truncated(tmp_path):
    f = tmp_path / "fake.pdf"
    f.write_text("Precinct,Ana\n1,2\n")
    assert "not a PDF" in _one_line_error(f)
    good = write_pdf(tmp_path / "good.pdf", [{"texts": [(40, 700, "Ana", 9)]}]).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(good[:40])
    _one_line_error(cut)


def test_scanned_pdf_says_it_needs_ocr(tmp_path):
    f = write_pdf(tmp_path / "scan.pdf", [{"image": True}, {"image": True}])
    assert "OCR" in _one_line_error(f)


def test_one_scanned_page_among_text_pages_is_quarantined(tmp_path):
    pages = long_pages()
    f = write_pdf(tmp_path / "mixed.pdf", [pages[0], {"image": True}])
    r = read_pdf(f, LONG_PDF)
    assert len(r.raw.cells) == 2
    (q,) = r.quarantined
    assert q.page == 2 and "no text layer" in q.reason and "OCR" in q.hint


def test_five_thousand_pages_of_furniture_stop_at_the_page_limit(tmp_path):
    f = write_pdf(tmp_path / "huge.pdf", [{"texts": furniture(1, 1)}], repeat=5000)
    msg = _one_line_error(f)
    assert "5,000 pages" in msg and "2,000" in msg
    assert "more than the limit of 10" in _one_line_error(write_pdf(tmp_path / "small.pdf",
                                                                    [{"texts": furniture(1, 1)}], repeat=11),
                                                          max_pages=10)


def test_unsafe_and_bad_patterns_are_refused():
    with pytest.raises(InputError, match="repeats a repeated group"):
        safe_pattern(r"^(a+)+$", "unit_heading")
    with pytest.raises(InputError, match="bad regular expression"):
        pdf_options_from_dict({"unit_heading": "^(?P<unit>"})
    with pytest.raises(InputError, match="needs a \\(\\?P<unit>"):
        pdf_options_from_dict({"unit_heading": "^Precinct"})
    with pytest.raises(InputError, match="unknown \\[pdf\\] option"):
        pdf_options_from_dict({"layuot": "blocks"})
    assert safe_pattern(r"^(?P<unit>\d{3,} .+)$", "unit_heading").search("122 WARD 1")


def test_split_row_keeps_numbers_that_belong_to_the_label():
    from electcheck.sources.pdf import Line

    def line(*cells):
        return Line(1, 1, 0, 10, 0, list(cells), [(i * 50.0, i * 50.0 + 40) for i in range(len(cells))])

    assert split_row(line("WEST PLAINS EXTENSION DST 19")) is None
    assert split_row(line("Tom Nguyen", "1,705", "1,356")) == ("Tom Nguyen", ["1,705", "1,356"])
    assert split_row(line("Precincts Complete", "73 of 73", "71")) == ("Precincts Complete", ["73 of 73", "71"])
    assert split_row(line("Tom Nguyen 1,705 1,356 273")) == ("Tom Nguyen", ["1,705", "1,356", "273"])
    assert split_row(line("November 7, 2023")) is None


def test_several_contests_need_a_choice(tmp_path):
    pages = wrap_pages()
    pages[0]["texts"] = [t if t[2] != "MAYOR OF EXAMPLE CITY" or t[1] > 600 else (t[0], t[1], "CITY COUNCIL", 10)
                         for t in pages[0]["texts"]]
    f = write_pdf(tmp_path / "two.pdf", pages)
    opts = {"unit_heading": r"^(?P<code>\d{3}) (?P<unit>.+)$", "columns": ["total", "election_day", "early"]}
    with pytest.raises(InputError, match="holds 2 contests") as e:
        read_pdf(f, opts)
    assert "MAYOR OF EXAMPLE CITY (1 units)" in str(e.value)
    r = read_pdf(f, opts, contest="city council")
    assert list(r.raw.cells["unit"]) == ["South"] and r.outside_selection["units without this contest"] == 1


# --- Finney County, Kansas (real files) -----------------------------------------------

def _finney(name: str) -> Path:
    base = Path(os.environ.get("ELECTCHECK_DATA_DIR", "")) / FINNEY / name
    if not base.is_file():
        pytest.skip(f"real file not available: {FINNEY}/{name} (set ELECTCHECK_DATA_DIR)")
    return base


PRECINCT_PDF = {"unit_heading": {"pattern": "^(?P<unit>.+)$", "where": "page_top"}, "columns": COLUMNS,
                "fields": FIELDS}
SUMMARY_PDF = {"unit_name": "Finney County", "columns": COLUMNS, "fields": FIELDS}


def test_finney_golden_city_commissioner():
    r = read_pdf(_finney(PRECINCTS), dict(PRECINCT_PDF, contest="CITY COMMISSIONER GARDEN CITY"))
    assert r.vote_for == 3 and len(r.raw.cells) == 39 and not r.quarantined
    sums = {c: sum(to_int(v) for v in r.raw.cells[c].dropna()) for c in r.candidates + r.fields}
    assert sums == {"Tom Nguyen": 1705, "Roy Cessna": 1216, "Bryce Landgraf": 1184, "Deborah Oyler": 1180,
                    "Shannon L. Dick": 1040, "Write-In Totals": 22, "votes_cast": 6347, "undervotes": 1225,
                    "overvotes": 0, "registered": sums["registered"], "ballots": sums["ballots"]}
    assert r.raw.rows_read == 39 and r.raw.sha256 == \
        "1e7341fed56e49af095c10c970014486ae5166cf183a3c67c68c0e200800b5c4"


def test_finney_golden_community_college():
    r = read_pdf(_finney(PRECINCTS), dict(PRECINCT_PDF, contest="COMMUNITY COLLEGE BD GARDEN CITY"))
    sums = {c: sum(to_int(v) for v in r.raw.cells[c]) for c in r.candidates + ["votes_cast"]}
    assert sums == {"Jean Clifford": 2376, "David Rupp": 1942, "Shanda Smith": 1535,
                    "Angelica Castillo Chappel": 1495, "Sean B Sheets": 950, "Write-In Totals": 26,
                    "votes_cast": 8324}


def test_finney_every_contest_sums_to_the_election_summary():
    precincts, summary = _finney(PRECINCTS), _finney(SUMMARY)
    county = read_pdf(summary, dict(SUMMARY_PDF, contest="MAYOR HOLCOMB"))
    assert len(county.contests) == 12
    assert county.raw.cells["registered"].tolist() == ["21,675"] and county.raw.cells["ballots"].tolist() == ["3,433"]
    for contest in county.contests:
        a = read_pdf(precincts, dict(PRECINCT_PDF, contest=contest.name))
        b = read_pdf(summary, dict(SUMMARY_PDF, contest=contest.name))
        assert not a.quarantined and not b.quarantined and len(b.raw.cells) == 1
        assert sorted(a.candidates) == sorted(b.candidates), contest.name
        for col in a.candidates + ["votes_cast", "overvotes", "undervotes"]:
            for suffix in [""] + [f" [{c}]" for c in COLUMNS[1:]]:
                assert sum(to_int(v) for v in a.raw.cells[col + suffix]) == \
                    to_int(b.raw.cells[col + suffix].iloc[0]), (contest.name, col + suffix)


def test_finney_draft_needs_at_most_the_contest():
    f = _finney(PRECINCTS)
    d = draft_pdf(f)
    assert d.layout == "blocks" and d.columns == COLUMNS and len(d.contests) == 12
    assert {c.name: c.units for c in d.contests}["CITY COMMISSIONER GARDEN CITY"] == 39
    doc = tomllib.loads(d.text)
    assert doc["pdf"]["unit_heading"] == {"pattern": "^(?P<unit>.+)$", "where": "page_top"}
    edited = d.text.replace(f'contest = "{doc["pdf"]["contest"]}"', 'contest = "CITY COMMISSIONER GARDEN CITY"')
    tally = _ingest(f, edited)
    totals = tally.totals()
    assert totals[_id(tally, "Tom Nguyen")] == 1705 and totals["valid"] == 6347
    assert len(tally.data) == 39


def test_finney_summary_draft_is_one_unit():
    d = draft_pdf(_finney(SUMMARY))
    assert d.unit_heading is None and len(d.contests) == 12
    tally = _ingest(_finney(SUMMARY), d.text, contest="CITY COMMISSIONER GARDEN CITY")
    assert len(tally.data) == 1 and tally.totals()[_id(tally, "Tom Nguyen")] == 1705
    assert tally.totals()["registered"] == 21675


def test_finney_whole_file_read_is_fast():
    f = _finney(PRECINCTS)
    read_pdf(f, dict(PRECINCT_PDF, contest="MAYOR HOLCOMB"))  # warm imports
    t = time.perf_counter()
    r = read_pdf(f, dict(PRECINCT_PDF, contest="BOE GARDEN CITY U.S.D. 457"))
    assert time.perf_counter() - t < 2.0
    assert len(r.raw.cells) == 71 and r.pages == 162


def test_finney_lines_keep_statistics_numbers_with_their_label():
    doc = extract_lines(_finney(PRECINCTS))
    texts = [ln.text for ln in doc.pages[18 - 1]]
    assert "Ballots Cast - Total 188 154 24 3 7" in [ln.text for ln in doc.pages[19]]
    assert "Election" in texts and "Day" in texts  # the two-line column header stays two lines


# --- the ingest wiring the lead adds (simulated here with the library pieces) --------------

def _ingest(path: Path, toml_text: str, contest: str | None = None):
    """What ``ingest(path, mapping=...)`` does for a PDF once dispatch is wired (see docs/pdf.md)."""
    from electcheck.ingest.build import build_tally
    from electcheck.model import IngestReport, InputFile
    from electcheck.sources.mapping import mapping_from_dict

    doc = tomllib.loads(toml_text)
    r = read_pdf(path, doc.pop("pdf"), contest=contest)
    if not doc.get("candidates"):
        doc["candidates"] = [{"id": c.id, "column": c.column, "name": c.name} for c in r.candidate_specs()]
    m = mapping_from_dict(doc, origin=str(path))
    report = IngestReport(source=m.source)
    report.quarantine.extend(r.raw.quarantine)
    tally, _ = build_tally(r.raw, m, [InputFile(str(path), r.raw.sha256, r.raw.rows_read, path.name)], report)
    report.rows_read = r.raw.rows_read
    report.rows_accepted = len(tally.data)
    report.rows_quarantined = len(report.quarantine)
    report.check_balance()
    return tally


def _id(tally, label: str) -> str:
    return next(c.id for c in tally.meta.candidates if c.name == label)


def test_options_defaults():
    o = PdfOptions(columns=["votes", "percent"])
    assert o.count_column == "votes"


@pytest.mark.parametrize("name,file,units", [("kansas-finney-2023/precincts", PRECINCTS, 39),
                                              ("kansas-finney-2023/county", SUMMARY, 1)])
def test_finney_builtin_profiles(name, file, units):
    from electcheck.ingest.build import build_tally
    from electcheck.model import IngestReport, InputFile
    from electcheck.sources.profiles import PROFILE_DIR, load_profile

    path = _finney(file)
    m = load_profile(name)
    pdf = tomllib.loads((PROFILE_DIR / (name.replace("/", "-") + ".toml")).read_text(encoding="utf-8"))["pdf"]
    r = read_pdf(path, pdf)
    report = IngestReport(source=name)
    tally, _ = build_tally(r.raw, m, [InputFile(str(path), r.raw.sha256, r.raw.rows_read, file)], report)
    assert len(tally.data) == units and not report.quarantine
    totals = tally.totals()
    assert {c: totals[c] for c in ("nguyen", "cessna", "landgraf", "oyler", "dick", "write_in", "valid")} == \
        {"nguyen": 1705, "cessna": 1216, "landgraf": 1184, "oyler": 1180, "dick": 1040, "write_in": 22, "valid": 6347}
