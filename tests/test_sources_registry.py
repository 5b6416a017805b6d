"""Dataset resolution: offline and absent → a clear message; checksum mismatch detected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_helpers import run_cli

from electcheck.errors import DataNotFound, InputError
from electcheck.sources import registry

V2 = registry.DATASETS["venezuela-2024/opposition-v2"].file




@pytest.fixture
def offline_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("ELECTCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ELECTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ELECTCHECK_OFFLINE", "1")
    return tmp_path


def test_offline_absent_names_file_and_place(offline_empty):
    with pytest.raises(DataNotFound) as e:
        registry.resolve(V2)
    msg = str(e.value)
    assert "RESULTADOS_2024_CSV_V2.csv" in msg
    assert str(offline_empty / "data" / V2.name) in msg
    assert "ELECTCHECK_DATA_DIR" in msg and V2.url in msg


def test_data_fetch_offline_cli_one_line(offline_empty, capsys):
    code, out, err = run_cli(["data", "fetch", "venezuela-2024/opposition-v2"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("electcheck: error: venezuela-2024/RESULTADOS_2024_CSV_V2.csv")


def test_ingest_by_name_offline_cli(offline_empty, capsys):
    code, _, err = run_cli(["ingest", "venezuela-2000"], capsys)
    assert code == 2 and err.count("\n") == 1 and "resultados_elecc_2000" in err
    assert "PROVENANCE.md" in err  # no public URL: says where to copy it from


def _real(f) -> Path:
    p = registry.local_path(f)
    if p is None:
        pytest.skip(f"{f.name} not available")
    return p


def test_checksum_mismatch(tmp_path, monkeypatch, capsys):
    src = _real(V2)
    dst = tmp_path / V2.name
    dst.parent.mkdir(parents=True)
    shutil.copyfile(src, dst)
    with open(dst, "ab") as f:
        f.write(b"1,2,3\n")
    monkeypatch.setenv("ELECTCHECK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ELECTCHECK_OFFLINE", "1")
    with pytest.raises(InputError, match="checksum mismatch"):
        registry.verify(registry.resolve(V2), V2)
    code, out, err = run_cli(["data", "fetch", "venezuela-2024/opposition-v2"], capsys)
    assert code == 2 and err.count("\n") == 1 and "checksum mismatch" in err and str(dst) in err
    code, out, err = run_cli(["ingest", "venezuela-2024/opposition-v2"], capsys)
    assert code == 2 and "checksum mismatch" in err


def test_data_fetch_ok(capsys):
    p = _real(V2)
    code, out, err = run_cli(["data", "fetch", "venezuela-2024/opposition-v2"], capsys)
    assert code == 0 and out == f"{p}\n" and V2.sha256 in err


def test_unknown_name(capsys):
    code, _, err = run_cli(["data", "fetch", "venezuela-2025/nope"], capsys)
    assert code == 2 and "unknown dataset name" in err and "venezuela-2024/opposition-v2" in err
