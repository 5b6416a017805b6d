"""electcheck inspect: detection on real and messy files; an unedited draft already reads real files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from electcheck.cli import app
from electcheck.ingest import ingest
from electcheck.sources import registry
from electcheck.sources.inspect import draft_mapping, inspect_file
from electcheck.sources.mapping import mapping_from_dict

BAD = Path(__file__).parent / "fixtures" / "bad"


def _real(name: str) -> Path:
    p = registry.local_path(registry.DATASETS[name].file)
    if p is None:
        pytest.skip(f"{name} not available")
    return p


def test_v1_roles():
    ins = inspect_file(_real("venezuela-2024/opposition-v1"))
    roles = {c.name: (c.role, c.field) for c in ins.columns}
    assert ins.encoding == "utf-8-sig" and ins.delimiter == "," and ins.header_row == 1
    assert roles["RE"] == ("field", "registered")
    assert roles["VOTOS_VALIDOS"] == ("field", "valid") and roles["VOTOS_NULOS"] == ("field", "invalid")
    assert roles["EG"] == ("count", None) and roles["COD_EDO"] == ("code", None)
    assert roles["EDO"] == ("name", None) and roles["URL"][0] == "other"
    assert ins.key == ["CENTRO", "MESA"]


@pytest.mark.parametrize("name,totals", [
    ("venezuela-2024/opposition-v1", {"EG": 7_156_462, "registered": 17_745_239}),
    ("venezuela-2024/opposition-v2", {"EG": 7_303_480, "NM": 3_316_142, "valid": 10_887_262}),
])
def test_unedited_draft_reads_real_file(name, totals):
    path = _real(name)
    m = mapping_from_dict(tomllib.loads(draft_mapping(inspect_file(path))))
    r = ingest(path, mapping=m)
    assert r.report.rows_quarantined == 0
    t = r.tally.totals()
    assert {k: t[k] for k in totals} == totals


def test_v2_latin1_detected():
    ins = inspect_file(_real("venezuela-2024/opposition-v2"))
    assert ins.encoding == "cp1252"


def test_es_locale_and_title_block():
    ins = inspect_file(Path(__file__).resolve().parents[1] / "docs" / "examples" / "mesas.csv")
    assert (ins.delimiter, ins.header_row, ins.locale) == (";", 3, "es")


@pytest.mark.parametrize("name", ["empty.csv", "xls_renamed.csv"])
def test_inspect_bad_files_exit_2(name):
    from electcheck.errors import InputError

    with pytest.raises(InputError):
        inspect_file(BAD / name)


def test_inspect_json_format(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    res = CliRunner().invoke(app, ["inspect", "tests/fixtures/bad/records.json", "--format", "json"])
    assert res.exit_code == 0
    import json

    d = json.loads(res.stdout)
    assert d["format"] == "json" and d["rows"] == 2 and "[[candidates]]" in d["draft_mapping"]
