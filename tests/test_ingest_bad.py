"""The bad-input corpus: every hostile or messy file either quarantines rows with
reasons (file, spreadsheet row, column, value, hint) or stops with exit code 2 and
ONE line naming the file and what to do. Never a traceback, a hang, or a lost row.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
from cli_helpers import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from electcheck.errors import InputError
from electcheck.ingest import ingest

BAD = Path(__file__).parent / "fixtures" / "bad"
MAP = BAD / "map.toml"




def ok(name: str, **kw):
    r = ingest(BAD / name, mapping=MAP, **kw)
    rep = r.report
    assert rep.rows_read == rep.rows_accepted + rep.rows_quarantined
    return r


def codes(r) -> list[str]:
    return [f.code for f in r.report.findings]


def one_q(r):
    assert len(r.report.quarantine) == 1
    return r.report.quarantine[0]


# --- files that read, with quarantine or findings ------------------------------------

def test_latin1_detected():
    r = ok("latin1.csv")
    assert r.report.rows_accepted == 2 and r.tally.totals()["A"] == 17


def test_latin1_forced_utf8_is_one_line_error(capsys):
    code, out, err = run_cli(["ingest", str(BAD / "latin1.csv"), "--map", str(MAP), "--encoding", "utf-8"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "latin1.csv" in err and "row 2" in err and "--encoding latin-1" in err


def test_ragged_row_quarantined_with_spreadsheet_row():
    r = ok("ragged.csv")
    q = one_q(r)
    assert q.row == 3 and "8 cells" in q.reason and q.file.endswith("ragged.csv")
    assert r.tally.data["source_row"].tolist() == [2, 4]


def test_text_in_count_column():
    q = one_q(ok("text_in_count.csv"))
    assert (q.row, q.column, q.value) == (3, "A", "seven")
    assert "whole number" in q.hint


def test_duplicate_keys_kept_as_finding():
    r = ok("duplicate_keys.csv")
    assert r.report.rows_accepted == 3
    f = next(f for f in r.report.findings if f.code == "duplicate-key")
    assert f.location["rows"] == [2, 3]


def test_totals_row_without_key_is_quarantined():
    r = ok("totals_row.csv")
    q = one_q(r)
    assert q.row == 4 and "no key" in q.reason


def test_totals_row_with_key_is_a_finding(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("centre,table,name,A,B,valid\n101,1,x,10,5,15\n101,2,x,7,3,10\n102,1,x,5,5,10\nTOTAL,0,,22,13,35\n")
    r = ingest(p, mapping=MAP)
    assert "total-row" in codes(r)


def test_empty_file_exit_2(capsys):
    code, out, err = run_cli(["ingest", str(BAD / "empty.csv"), "--map", str(MAP)], capsys)
    assert code == 2 and err.count("\n") == 1 and "empty.csv: the file is empty" in err


def test_header_only_reads_zero_rows_with_finding():
    r = ok("header_only.csv")
    assert r.report.rows_read == 0 and "no-data-rows" in codes(r)


def test_both_separators():
    r = ok("both_separators.csv")
    q = one_q(r)
    assert (q.row, q.column, q.value) == (4, "A", "1.234,5")
    assert r.tally.data["A"].tolist() == [1234, 1234]
    assert "ambiguous-number-format" in codes(r)


def test_negative_and_absurd_counts():
    r = ok("negative_and_huge.csv")
    q = one_q(r)
    assert (q.row, q.column) == (3, "A") and "absurdly large" in q.reason
    assert "negative-count" in codes(r)


def test_xls_renamed_csv(capsys):
    code, _, err = run_cli(["ingest", str(BAD / "xls_renamed.csv"), "--map", str(MAP)], capsys)
    assert code == 2 and err.count("\n") == 1 and ".xls" in err and "save it as" in err


@pytest.mark.parametrize("name", ["cr_only.csv", "crlf.csv"])
def test_line_endings(name):
    r = ok(name)
    assert r.report.rows_accepted == 2 and r.tally.totals()["A"] == 17
    assert r.tally.data["source_row"].tolist() == [2, 3]


def test_blank_lines_keep_spreadsheet_rows():
    r = ok("blank_lines.csv")
    assert r.tally.data["source_row"].tolist() == [2, 4]
    assert one_q(r).row == 7


def test_semicolon_es_ve_numbers():
    r = ok("semicolon_es.csv", locale="es_VE")
    assert r.tally.data["A"].tolist() == [1234, 2000]
    assert r.tally.totals()["valid"] == 1239 + 2003
    # auto detects the dot grouping from "1.234"
    assert ok("semicolon_es.csv").tally.data["A"].tolist() == [1234, 2000]
    # read as English numbers, "1.234" is not a whole number: quarantined, never silently 1
    en = ok("semicolon_es.csv", locale="en")
    assert en.report.rows_quarantined == 2 and en.report.rows_accepted == 0


def test_ambiguous_thousands_is_a_finding(tmp_path):
    p = tmp_path / "amb.csv"
    p.write_text("centre,table,name,A,B,valid\n101,1,x,2.000,5,2005\n101,2,x,7,3,10\n")
    r = ingest(p, mapping=MAP)
    assert r.tally.data["A"].tolist() == [2000, 7]
    f = next(f for f in r.report.findings if f.code == "ambiguous-number-format")
    assert f.evidence["kind"] == "thousands-or-decimals"
    assert ingest(p, mapping=MAP, locale="en").tally.data["A"].tolist() == [2, 7]


def test_json_records():
    r = ok("records.json")
    assert r.report.rows_accepted == 2 and r.tally.totals()["valid"] == 25


# --- generated at test time ---------------------------------------------------------

def test_random_bytes_exit_2(tmp_path, capsys):
    p = tmp_path / "noise.csv"
    p.write_bytes(random.Random(7).randbytes(200_000))
    code, out, err = run_cli(["ingest", str(p), "--map", str(MAP)], capsys)
    assert code == 2 and err.count("\n") == 1 and "noise.csv" in err


def test_multi_megabyte_line(tmp_path):
    p = tmp_path / "long.csv"
    p.write_text("centre,table,name,A,B,valid\n101,1,x,10,5,15\n101,2," + "y" * 5_000_000 + ",7,3,10\n101,3,x,1,1,2\n")
    r = ingest(p, mapping=MAP)
    assert r.report.rows_read == 3 == r.report.rows_accepted + r.report.rows_quarantined
    assert r.tally.totals()["A"] == 18


def test_multi_megabyte_line_of_garbage(tmp_path, capsys):
    p = tmp_path / "long2.csv"
    p.write_text("centre,table,name,A,B,valid\n101,1,x,10,5,15\n" + "z," * 3_000_000 + "\n")
    code, out, err = run_cli(["ingest", str(p), "--map", str(MAP), "--format", "json"], capsys)
    if code == 2:
        assert err.count("\n") == 1 and "long2.csv" in err
    else:
        assert '"rows_quarantined": 1' in out


def _xlsx(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Notes"
    ws.append(["This workbook holds results"])
    ws2 = wb.create_sheet("Results")
    ws2.append(["Resultados por mesa"])
    ws2.append(["Fuente: junta electoral"])
    ws2.append([])
    ws2.append(["centre", "table", "name", "A", "B", "valid"])
    ws2.append([101, 1, "x", 10, 5, 15])
    ws2.append([101, 2, "x", "siete", 3, 10])
    ws2.append([101, 3, "x", 1, 1, 2])
    wb.save(path)


def test_xlsx_title_block_and_sheets(tmp_path):
    p = tmp_path / "book.xlsx"
    _xlsx(p)
    r = ingest(p, mapping=MAP, sheet="Results")
    assert r.report.rows_read == 3
    q = one_q(r)
    assert (q.row, q.column, q.value) == (6, "A", "siete")
    assert r.tally.data["source_row"].tolist() == [5, 7]
    assert r.tally.totals()["A"] == 11


def test_xlsx_picks_the_sheet_with_a_table(tmp_path):
    p = tmp_path / "book.xlsx"
    _xlsx(p)
    r = ingest(p, mapping=MAP)  # "Notes" comes first but holds no table
    assert r.report.rows_read == 3 and r.tally.totals()["A"] == 11


def test_xlsx_unknown_sheet(tmp_path, capsys):
    p = tmp_path / "book.xlsx"
    _xlsx(p)
    code, _, err = run_cli(["ingest", str(p), "--map", str(MAP), "--sheet", "Nope"], capsys)
    assert code == 2 and err.count("\n") == 1 and "Results" in err


def test_errors_file(tmp_path, capsys):
    err_csv = tmp_path / "errors.csv"
    code, out, err = run_cli(["ingest", str(BAD / "text_in_count.csv"), "--map", str(MAP), "--errors",
                              str(err_csv), "-q"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(err_csv.read_text(encoding="utf-8"))))
    assert [(r["row"], r["column"], r["value"]) for r in rows] == [("3", "A", "seven")]
    assert rows[0]["file"].endswith("text_in_count.csv") and rows[0]["hint"]


def test_missing_mapping_column_is_one_line(tmp_path, capsys):
    p = tmp_path / "other.csv"
    p.write_text("x,y\n1,2\n")
    code, _, err = run_cli(["ingest", str(p), "--map", str(MAP)], capsys)
    assert code == 2 and err.count("\n") == 1 and "not found" in err and "'x'" in err


# --- property: rows read = accepted + quarantined, always ---------------------------

CELL = st.one_of(st.integers(-5, 10**6).map(str), st.sampled_from(["", "-", "1.234", "1,234", "x", "1.234,5",
                                                                  "99999999999999999999", " 7 ", "Total"]),
                 st.text(alphabet="0123456789abc,;.\"' ", max_size=8))
ROW = st.lists(CELL, min_size=4, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, max_size=25), nl=st.sampled_from(["\n", "\r\n"]))
def test_rows_always_accounted_for(tmp_path_factory, rows, nl):
    p = tmp_path_factory.mktemp("prop") / "messy.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=nl)
    w.writerow(["centre", "table", "name", "A", "B", "valid"])
    for r in rows:
        w.writerow(r)
    p.write_text(buf.getvalue(), encoding="utf-8")
    try:
        r = ingest(p, mapping=MAP, delimiter=",", header_row=1)
    except InputError as e:
        assert "\n" not in str(e)
        return
    rep = r.report
    assert rep.rows_read == rep.rows_accepted + rep.rows_quarantined
    assert rep.rows_read <= len(rows)
    assert all(q.row >= 2 for q in rep.quarantine)


def test_long_line_after_the_first_thousand(tmp_path):
    """A long line late in the file (after the lines used to size Arrow's blocks) still reads."""
    p = tmp_path / "late.csv"
    body = "".join(f"101,{i},x,1,1,2\n" for i in range(1, 1501))
    p.write_text("centre,table,name,A,B,valid\n" + body + "102,1," + "y" * 3_000_000 + ",7,3,10\n")
    r = ingest(p, mapping=MAP)
    assert r.report.rows_read == 1501 == r.report.rows_accepted
    assert r.tally.data["source_row"].iloc[-1] == 1502


def test_short_and_long_rows_with_crlf_and_blank_lines(tmp_path):
    p = tmp_path / "rg.csv"
    p.write_bytes(b"centre,table,name,A,B,valid\r\n101,1,x,10,5,15\r\n\r\n101,2,x\r\n101,3,x,1,1,2\r\n"
                  b"101,4,x,1,1,2,9\r\n101,5,x,2,2,4\r\n")
    r = ingest(p, mapping=MAP)
    assert r.tally.data["source_row"].tolist() == [2, 5, 7]
    assert [(q.row, q.reason) for q in r.report.quarantine] == [
        (4, "row has 3 cells, the header has 6"), (6, "row has 7 cells, the header has 6")]
    assert r.report.rows_read == 5
