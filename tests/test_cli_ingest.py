"""electcheck ingest on the command line: exact output, JSON fields, Parquet round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from electcheck.cli import app
from electcheck.ingest import ingest

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "docs" / "examples"


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.chdir(ROOT)
    return CliRunner()


def test_v2_json_fields(runner, ingested):
    ingested("venezuela-2024/opposition-v2")  # skips when the file is absent
    res = runner.invoke(app, ["ingest", "venezuela-2024/opposition-v2", "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert (d["rows_read"], d["rows_accepted"], d["rows_quarantined"]) == (25_073, 25_073, 0)
    assert d["totals"]["EG"] == 7_303_480 and d["totals"]["NM"] == 3_316_142
    assert d["totals"]["valid"] == 10_887_262
    assert d["findings"] == []
    assert d["inputs"][0]["sha256"] == "296d35bbda1d6bd12e7011ed93da1973a3f22beb73cc05dbb0554efc31b2deaa"


def test_exact_table_output(runner):
    res = runner.invoke(app, ["ingest", "docs/examples/mesas.csv", "--map", "docs/examples/mesas.toml"])
    assert res.exit_code == 0
    assert res.stdout == (
        "ejemplo-mesas: Example presidential election (invented data) (mesa)\n"
        "rows read 8 = accepted 8 + quarantined 0\n"
        "\n"
        "  Ana Pérez         ana                     3,777\n"
        "  Luis Gómez        luis                    3,252\n"
        "  Other candidates  others                    227\n"
        "  registered                                8,505\n"
        "  valid                                     7,256\n"
        "  invalid                                      72\n"
        "input docs/examples/mesas.csv  sha256 aea4aabd0b89c246cac8434f45717aad6120f4f9998b8f19f2d37a3b9e5773a4\n")


def test_exact_csv_output(runner):
    res = runner.invoke(app, ["ingest", "docs/examples/mesas.csv", "--map", "docs/examples/mesas.toml",
                              "--format", "csv"])
    assert res.stdout.replace("\r\n", "\n") == ("field,total\r\nregistered,8505\r\nvalid,7256\r\ninvalid,72\r\nana,3777\r\n"
                          "luis,3252\r\nothers,227\r\n").replace("\r\n", "\n")


def test_summary_line_with_quarantine(runner):
    res = runner.invoke(app, ["ingest", "tests/fixtures/bad/text_in_count.csv", "--map",
                              "tests/fixtures/bad/map.toml"])
    assert "rows read 3 = accepted 2 + quarantined 1\n" in res.stdout
    assert "[error] rows-quarantined: 1 of 3 rows could not be read" in res.stdout


def _roundtrip(tmp_path, runner, args):
    out = tmp_path / "x.parquet"
    res = runner.invoke(app, ["ingest", *args, "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    back = ingest(out)
    return back, out


def test_parquet_roundtrip_example(tmp_path, runner):
    orig = ingest("docs/examples/mesas.csv", mapping="docs/examples/mesas.toml")
    back, out = _roundtrip(tmp_path, runner, ["docs/examples/mesas.csv", "--map", "docs/examples/mesas.toml"])
    pd.testing.assert_frame_equal(orig.tally.data, back.tally.data)
    assert back.tally.meta == orig.tally.meta
    assert back.tally.data["unit_id"].tolist()[0] == "010101001-01"
    res = runner.invoke(app, ["ingest", str(out), "--format", "json"])
    assert json.loads(res.stdout)["totals"]["ana"] == 3_777


def test_parquet_roundtrip_v1(tmp_path, runner, ingested):
    orig = ingested("venezuela-2024/opposition-v1")
    back, _ = _roundtrip(tmp_path, runner, ["venezuela-2024/opposition-v1"])
    pd.testing.assert_frame_equal(orig.tally.data, back.tally.data)
    assert back.tally.meta == orig.tally.meta
    assert back.tally.totals() == orig.tally.totals()


def test_parquet_not_ours(tmp_path, runner):
    p = tmp_path / "plain.parquet"
    pd.DataFrame({"a": [1]}).to_parquet(p)
    res = runner.invoke(app, ["ingest", str(p)])
    assert res.exit_code != 0 and "not written by electcheck" in str(res.exception)


def test_csv_output(tmp_path, runner):
    out = tmp_path / "x.csv"
    runner.invoke(app, ["ingest", "docs/examples/mesas.csv", "--map", "docs/examples/mesas.toml", "-o", str(out)])
    df = pd.read_csv(out, dtype=str)
    assert df["unit_id"].iloc[0] == "010101001-01" and len(df) == 8


def test_no_profile_for_file(runner):
    res = runner.invoke(app, ["ingest", "docs/examples/mesas.csv"])
    assert "electcheck inspect" in str(res.exception)
