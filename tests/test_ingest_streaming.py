"""The one-pass streaming CSV reader gives exactly what the careful whole-file reader
gives, and hands every unusual file to it (blank lines, ragged rows, bad bytes deep in
the file, damaged gzip), so the bad-input guarantees hold for large files too."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pandas as pd
import pytest

from electcheck.errors import InputError
from electcheck.ingest import ingest
from electcheck.sources import readers
from electcheck.sources.readers import ReadOptions, read_table
from electcheck.sources.registry import sha256_file

MAP = Path(__file__).parent / "fixtures" / "bad" / "map.toml"
HEADER = "centre,table,name,A,B,valid\n"


def _lines(n: int = 30_000) -> list[str]:
    rnd = random.Random(3)
    return [f"{100 + i // 20},{i % 20 + 1},place {i % 7},{rnd.randint(0, 300)},{rnd.randint(0, 300)},"
            f"{rnd.randint(0, 600)}\n" for i in range(n)]


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    data = text.encode() if isinstance(text, str) else text
    p = tmp_path / name
    p.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return p


def _careful(p: Path, **kw):
    return readers._read_csv_careful(p, ReadOptions(**kw))


def _same(a, b) -> None:
    assert a.header == b.header and a.encoding == b.encoding and a.delimiter == b.delimiter
    pd.testing.assert_frame_equal(a.cells, b.cells)
    assert a.row_numbers.tolist() == b.row_numbers.tolist()
    assert a.sha256 == b.sha256


@pytest.mark.parametrize("name", ["t.csv", "t.csv.gz"])
def test_streaming_equals_careful_reader(tmp_path, name):
    p = _write(tmp_path, name, HEADER + "".join(_lines()))
    fast = readers._read_csv_streaming(p, ReadOptions())
    assert fast is not None and fast.rows_read == 30_000
    _same(fast, _careful(p))
    assert fast.sha256 == sha256_file(p)


def test_bom_crlf_and_concatenated_gzip_members(tmp_path):
    lines = _lines()
    p = tmp_path / "m.csv.gz"
    p.write_bytes(gzip.compress(("\ufeff" + HEADER + "".join(lines[:10_000])).replace("\n", "\r\n").encode())
                  + gzip.compress("".join(lines[10_000:]).replace("\n", "\r\n").encode()))
    fast = readers._read_csv_streaming(p, ReadOptions())
    assert fast is not None and fast.encoding == "utf-8-sig" and fast.header[0] == "centre"
    _same(fast, _careful(p))


@pytest.mark.parametrize("extra, where", [("\n", 20_000), ("   \n", 20_000), ("999,1,x,1,2,3,4\n", 25_000),
                                          ('999,1,"a\nb",1,2,3\n', 25_000)])
def test_unusual_rows_go_to_the_careful_reader(tmp_path, extra, where):
    lines = _lines()
    p = _write(tmp_path, "u.csv.gz", HEADER + "".join(lines[:where] + [extra] + lines[where:]))
    assert readers._read_csv_streaming(p, ReadOptions()) is None
    r = ingest(p, mapping=MAP)
    assert r.report.rows_read == r.report.rows_accepted + r.report.rows_quarantined
    if extra == "\n":  # a blank line is layout: the rows after it keep their spreadsheet numbers
        assert r.report.rows_read == 30_000 and r.tally.data["source_row"].iloc[-1] == 30_002
    if extra.startswith("999,1,x"):
        assert [q.row for q in r.report.quarantine] == [where + 2]


def test_cp1252_byte_far_into_a_large_file(tmp_path):
    lines = _lines()
    text = HEADER + "".join(lines[:25_000] + ["999,1,Mérida,1,2,3\n"] + lines[25_000:])
    p = _write(tmp_path, "l.csv.gz", text.encode("cp1252"))
    assert readers._read_csv_streaming(p, ReadOptions()) is None
    raw = read_table(p)
    assert raw.encoding == "cp1252" and "Mérida" in set(raw.cells["name"].dropna())
    with pytest.raises(InputError) as e:
        read_table(p, ReadOptions(encoding="utf-8"))
    assert e.value.row == 25_002 and "latin-1" in str(e.value)


def test_utf8_far_into_a_large_file_stays_on_the_fast_path(tmp_path):
    lines = _lines()
    p = _write(tmp_path, "u8.csv.gz", HEADER + "".join(lines[:25_000] + ["999,1,Mérida,1,2,3\n"] + lines[25_000:]))
    fast = readers._read_csv_streaming(p, ReadOptions())
    assert fast is not None and fast.encoding == "utf-8"
    _same(fast, _careful(p))


def test_truncated_gzip_is_one_clear_error(tmp_path):
    p = tmp_path / "cut.csv.gz"
    p.write_bytes(gzip.compress((HEADER + "".join(_lines())).encode())[:-5000])
    with pytest.raises(InputError) as e:
        ingest(p, mapping=MAP)
    assert "damaged gzip" in str(e.value) and "cut.csv.gz" in str(e.value)


def test_garbage_after_gzip_member_is_one_clear_error(tmp_path):
    p = tmp_path / "tail.csv.gz"
    p.write_bytes(gzip.compress((HEADER + "101,1,x,1,2,3\n").encode()) + b"not gzip at all")
    with pytest.raises(InputError) as e:
        ingest(p, mapping=MAP)
    assert "damaged gzip" in str(e.value)


def test_hexadecimal_cell_is_not_a_count(tmp_path):
    p = tmp_path / "hex.csv"
    p.write_text(HEADER + "101,1,x,0x1F,5,36\n101,2,x,7,3,10\n")
    r = ingest(p, mapping=MAP)
    q = r.report.quarantine
    assert [(x.row, x.column, x.value) for x in q] == [(2, "A", "0x1F")]
    assert r.tally.data["A"].tolist() == [7]


def test_sha256_is_of_the_bytes_on_disk(tmp_path):
    p = _write(tmp_path, "s.csv.gz", HEADER + "".join(_lines(100)))
    r = ingest(p, mapping=MAP)
    assert r.tally.meta.inputs[0].sha256 == sha256_file(p)


def test_parallel_build_gives_the_same_tally(tmp_path, monkeypatch):
    from electcheck.ingest import build

    lines = _lines(3_000)
    p = _write(tmp_path, "par.csv", HEADER + "".join(lines[:100] + ["999,1,x,abc,2,3\n", ",,,,,\n"] + lines[100:]))
    monkeypatch.setattr(build, "PARALLEL_ROWS", 10**9)
    one = ingest(p, mapping=MAP)
    monkeypatch.setattr(build, "PARALLEL_ROWS", 1)
    two = ingest(p, mapping=MAP)
    pd.testing.assert_frame_equal(one.tally.data, two.tally.data)
    assert [q.to_dict() for q in one.report.quarantine] == [q.to_dict() for q in two.report.quarantine]
    assert len(one.report.quarantine) == 2
