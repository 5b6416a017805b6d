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


def _without_comments(text: str) -> str:
    return "\n".join(line.split(" #")[0].rstrip() for line in text.splitlines())


def test_edited_mapping_differs_only_where_documented():
    draft = _without_comments(next(b for b in _blocks("toml") if b.startswith("# Draft mapping for mesas.csv")))
    edited = _without_comments((EX / "mesas.toml").read_text(encoding="utf-8"))
    for same in ('[file]\nencoding = "utf-8"\ndelimiter = ";"\nheader_row = 3\nlocale = "es"',
                 '[fields]\nregistered = "Electores"\ninvalid = "Votos nulos"', "valid_from_candidates = true"):
        assert same in draft and same in edited


def test_the_draft_ingests_unedited(tmp_path):
    """The documented draft already reads the example with the documented totals."""
    import tomllib

    from electcheck.ingest import ingest
    from electcheck.sources.mapping import mapping_from_dict

    draft = next(b for b in _blocks("toml") if b.startswith("# Draft mapping for mesas.csv"))
    t = ingest(EX / "mesas.csv", mapping=mapping_from_dict(tomllib.loads(draft))).tally.totals()
    assert (t["Ana_Perez"], t["Luis_Gomez"], t["Otros"], t["registered"], t["valid"], t["invalid"]) == \
        (3_777, 3_252, 227, 8_505, 7_256, 72)
