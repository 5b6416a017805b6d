"""The worked example of docs/mapping.md, run exactly as documented:
inspect → (edited mapping) → ingest --map → totals."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from electcheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "mapping.md").read_text(encoding="utf-8")
EX = ROOT / "docs" / "examples"


def _blocks(lang: str | None = None) -> list[str]:
    """Fenced code blocks of the doc (optionally only those of one language)."""
    out, cur, cur_lang = [], None, ""
    for line in DOC.splitlines(keepends=True):
        if line.startswith("```"):
            if cur is None:
                cur, cur_lang = [], line[3:].strip()
            else:
                if lang is None or cur_lang == lang:
                    out.append("".join(cur))
                cur = None
        elif cur is not None:
            cur.append(line)
    return out


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.chdir(ROOT)
    return CliRunner()


def test_inspect_draft_is_documented(runner, tmp_path):
    res = runner.invoke(app, ["inspect", "docs/examples/mesas.csv", "-o", str(tmp_path / "mesas.toml")])
    assert res.exit_code == 0, res.output
    draft = (tmp_path / "mesas.toml").read_text(encoding="utf-8")
    assert draft == (EX / "mesas.draft.toml").read_text(encoding="utf-8")
    assert draft in _blocks("toml")
    # without -o, the draft goes to stdout
    res = runner.invoke(app, ["inspect", "docs/examples/mesas.csv", "-q"])
    assert res.stdout == draft


def test_ingest_output_is_documented(runner):
    assert "electcheck ingest docs/examples/mesas.csv --map docs/examples/mesas.toml\n" in _blocks()
    res = runner.invoke(app, ["ingest", "docs/examples/mesas.csv", "--map", "docs/examples/mesas.toml"])
    assert res.exit_code == 0, res.output
    assert res.stdout in _blocks()
    assert "Ana Pérez         ana                     3,777" in res.stdout


def test_edited_mapping_differs_only_where_documented():
    draft = (EX / "mesas.draft.toml").read_text(encoding="utf-8")
    edited = (EX / "mesas.toml").read_text(encoding="utf-8")
    for same in ('[file]\nencoding = "utf-8"\ndelimiter = ";"\nheader_row = 3\nlocale = "es"',
                 '[fields]\nregistered = "Electores"\ninvalid = "Votos nulos"'):
        assert same in draft and same in edited
