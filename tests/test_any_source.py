"""A user's own file works in every command that takes a source: --map/--profile, FILE::MAP, ingested Parquet.

The file is docs/examples/mesas.csv (invented data written for the docs) with its
mapping; the expected figures are its own sums (Ana Pérez 3,777, Luis Gómez 3,252).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from cli_helpers import run_cli

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
CSV = str(EXAMPLES / "mesas.csv")
MAP = str(EXAMPLES / "mesas.toml")

HARD_CHECKS_CSV = """\
test,scope,subject,statistic,p,q,calibration,note
hard-checks,national,VOTES_GT_REGISTERED,0,,,no p-value (count),
hard-checks,national,TURNOUT_100,0,,,no p-value (count),
hard-checks,national,ONE_CANDIDATE_100,0,,,no p-value (count),
hard-checks,national,SUM_CANDIDATES,0,,,no p-value (count),
hard-checks,national,SUM_BALLOTS,0,,,no p-value (count),
hard-checks,national,NEGATIVE,0,,,no p-value (count),
"""


def _forensics(source: list[str], capsys) -> tuple[int, str, str]:
    return run_cli(["forensics", *source, "-t", "hard-checks", "--calibration-sims", "0", "--format", "csv", "-q"],
                   capsys)


def test_forensics_takes_a_file_with_its_mapping(capsys):
    code, out, err = _forensics([CSV, "--map", MAP], capsys)
    assert code == 0, err
    assert out.replace("\r\n", "\n") == HARD_CHECKS_CSV


def test_file_double_colon_map_is_the_same_source(capsys):
    code, out, err = _forensics([f"{CSV}::{MAP}"], capsys)
    assert code == 0, err
    assert out.replace("\r\n", "\n") == HARD_CHECKS_CSV


def test_ingested_parquet_is_a_source_everywhere(tmp_path, capsys):
    pq = tmp_path / "mesas.parquet"
    code, _, err = run_cli(["ingest", CSV, "--map", MAP, "-o", str(pq), "-q"], capsys)
    assert code == 0, err
    code, out, err = _forensics([str(pq)], capsys)
    assert code == 0, err
    assert out.replace("\r\n", "\n") == HARD_CHECKS_CSV
    code, out, err = run_cli(["compare", str(pq), f"{CSV}::{MAP}", "--format", "json", "-q"], capsys)
    assert code == 0, err
    units = json.loads(out)["units"]
    assert (units["matched"], units["differing"], units["only_official"], units["only_independent"]) == (8, 0, 0, 0)


def test_compare_takes_one_mapping_per_side(capsys):
    code, out, err = run_cli(["compare", CSV, CSV, "--map-official", MAP, "--map-independent", MAP,
                              "--format", "json", "-q"], capsys)
    assert code == 0, err
    d = json.loads(out)
    assert d["units"]["matched"] == 8 and d["units"]["differing"] == 0
    assert d["margin"]["official"]["ana"] == 3777 and d["margin"]["official"]["luis"] == 3252


def test_check_against_a_file_uses_its_mapping_and_aliases(capsys):
    code, out, err = run_cli(["check", "Ana Pérez obtuvo 3.777 votos y Gómez 3.400.", "--against", CSV,
                              "--map", MAP, "--format", "csv", "-q"], capsys)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    got = [(r["text"], r["subject"], r["actual"], r["verdict"]) for r in rows]
    assert got == [("3.777", "ana", "3,777", "supported"), ("3.400", "luis", "3,252", "contradicted")]


def test_both_map_forms_for_one_source_is_a_usage_error(capsys):
    code, out, err = _forensics([f"{CSV}::{MAP}", "--map", MAP], capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "::" in err


def test_a_file_without_mapping_says_what_to_do(capsys):
    code, _, err = _forensics([CSV], capsys)
    assert code == 2
    assert "electcheck inspect" in err and len(err.strip().splitlines()) == 1


def test_audit_config_names_a_user_file_relative_to_its_folder(tmp_path, capsys):
    for f in ("mesas.csv", "mesas.toml"):
        shutil.copy(EXAMPLES / f, tmp_path / f)
    (tmp_path / "article.txt").write_text("Ana Pérez obtuvo 3.777 votos.", encoding="utf-8")
    cfg = tmp_path / "audit.toml"
    cfg.write_text('title = "Example"\nseed = 1\n\n'
                   '[claims]\nfiles = ["article.txt"]\nagainst = ["mesas.csv::mesas.toml"]\n\n'
                   '[forensics]\nsource = "mesas.csv::mesas.toml"\ntests = ["hard-checks"]\n'
                   'resamples = 99\ncalibration_sims = 0\n', encoding="utf-8")
    out_dir = tmp_path / "report"
    code, _, err = run_cli(["audit", str(cfg), "-o", str(out_dir), "-q"], capsys)
    assert code == 0, err
    md = (out_dir / "report.md").read_text(encoding="utf-8")
    assert "| 3.777 | votes | 3,777 | supported |" in md
    inputs = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))["inputs"]
    assert any(i["source"] == "mesas.csv::mesas.toml" and i["path"].endswith("mesas.csv") for i in inputs)
