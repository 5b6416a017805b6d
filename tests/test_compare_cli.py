"""``electcheck compare`` through typer's CliRunner: exact text, formats, exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from electcheck.cli import app

from compare_helpers import make_tally, pair, unit

runner = CliRunner()

EXPECTED_HEAD = """\
off (official) vs ind (independent), compared at level table

Units (table)
                   official  independent
-----------------  --------  -----------
with figures              6            5
matched                   4
  identical               2
  differing               2
only on this side         2            1
  parent missing          1
  parent present          1
  parent missing                       1

Totals
            official  independent  difference on matched units
----------  --------  -----------  ---------------------------
Cand A           380          335                          +10
Cand B           280          240                           -5
Cand C            15           19                           +0
registered       880          770                           +0

Margin and coverage
Margin Cand A − Cand B, official: +100 (+14.81 points of sum of candidates)
Margin Cand A − Cand B, independent: +95 (+15.99 points of sum of candidates)
Discrepancies on matched units move the margin by +15 (15.00% of the official margin).
Coverage of ind: 5 units; 770 electors of 920 (83.70 %)
"""

EXPECTED_TAIL = """\
Discrepancies, official − independent (largest 1 of 2, by effect on margin)
unit    Cand A  Cand B  Cand C  margin effect
------  ------  ------  ------  -------------
001-02     +10      +0      +0            +10

Findings (by effect on margin)
severity  finding                                                                                      margin effect
--------  -------------------------------------------------------------------------------------------  -------------
warning   S01: official count higher for Cand A (+10 net, higher in 1 of 2 differing units)                      +15
warning   2 units differ in one candidate only                                                                   +15
info      Discrepancies on matched units move the margin by +15 votes (15.00% of the official margin)            +15
info      1 unit only in off: the whole enclosing centre is missing from the other side                          -10
info      1 unit only in ind: the whole enclosing centre is missing from the other side                           +0
info      1 unit only in off: the enclosing centre is on the other side, this unit is not                         +0
"""


@pytest.fixture()
def files(tmp_path):
    off, ind = pair()
    o, i = tmp_path / "off.parquet", tmp_path / "ind.parquet"
    off.to_parquet(o)
    ind.to_parquet(i)
    return str(o), str(i)


def test_table_output_exact(files):
    r = runner.invoke(app, ["compare", *files, "-q", "--limit", "1"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(EXPECTED_HEAD)
    assert r.stdout.endswith(EXPECTED_TAIL)
    assert r.stderr == ""


def test_table_has_top_level_rollup(files):
    r = runner.invoke(app, ["compare", *files, "-q"])
    assert (
        "By state\n"
        "state  units off.  units ind.  differing  margin official  margin independent  margin effect\n"
        "-----  ----------  ----------  ---------  ---------------  ------------------  -------------\n"
        "S01             4           3          2             +120                +105            +15\n"
        "S02             2           2          0              -20                 -10             +0\n"
    ) in r.stdout


def test_json_fields(files):
    r = runner.invoke(app, ["compare", *files, "-q", "--format", "json"])
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert {k: d["units"][k] for k in ("official", "independent", "matched", "differing", "only_official",
                                       "only_independent")} == {
        "official": 6, "independent": 5, "matched": 4, "differing": 2, "only_official": 2, "only_independent": 1}
    assert d["totals"]["official"]["A"] == 380 and d["totals"]["independent"]["A"] == 335
    assert d["margin"]["official"]["votes"] == 100
    assert d["bound"]["uncovered_electors"] == 150
    assert [x["unit_id"] for x in d["discrepancies"]] == ["001-02", "002-01"]


def test_csv_sorted_by_impact_and_rollup(files):
    r = runner.invoke(app, ["compare", *files, "-q", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [x["unit_id"] for x in rows] == ["001-02", "002-01"]
    assert [x["margin_effect"] for x in rows] == ["10", "5"]
    r = runner.invoke(app, ["compare", *files, "-q", "-f", "csv", "--rollup", "state"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["area"], x["A_diff"], x["B_diff"]) for x in rows] == [("01", "10", "-5"), ("02", "0", "0")]


def test_csv_neutralises_formulas(tmp_path):
    off = make_tally([unit("=cmd|' /C calc'!A0", "01", "1", 10, 5, 1)])
    ind = make_tally([unit("=cmd|' /C calc'!A0", "01", "1", 9, 5, 1)], kind="independent")
    o, i = tmp_path / "o.parquet", tmp_path / "i.parquet"
    off.to_parquet(o)
    ind.to_parquet(i)
    r = runner.invoke(app, ["compare", str(o), str(i), "-q", "-f", "csv"])
    assert r.exit_code == 0
    assert "\n'=cmd|" in r.stdout.replace("\r\n", "\n")


def test_markdown(files):
    r = runner.invoke(app, ["compare", *files, "-q", "-f", "markdown"])
    assert r.exit_code == 0
    assert r.stdout.startswith("# off vs ind\n")
    assert "| 001-02 | +10 | +0 | +0 | +10 |" in r.stdout


def test_fail_on_sets_exit_code(files):
    assert runner.invoke(app, ["compare", *files, "-q", "--fail-on", "warning"]).exit_code == 1
    assert runner.invoke(app, ["compare", *files, "-q", "--fail-on", "error"]).exit_code == 0


def test_output_file(files, tmp_path):
    out = tmp_path / "r.json"
    r = runner.invoke(app, ["compare", *files, "-q", "-f", "json", "-o", str(out)])
    assert r.exit_code == 0 and r.stdout == ""
    assert json.loads(out.read_text())["units"]["matched"] == 4


def test_bad_level_is_one_line_and_exit_2(files):
    r = runner.invoke(app, ["compare", *files, "-q", "--level", "parish"])
    assert r.exit_code == 2
    assert r.stderr == ("electcheck: error: off cannot be compared at level 'parish': its units are 'table' "
                        "and its hierarchy is state, centre. Choose one of: state, centre\n")


@pytest.mark.slow
def test_real_bulletin2_vs_v2_json(load):
    load("venezuela-2024/opposition-v2")  # skips if the raw file is absent
    r = runner.invoke(app, ["compare", "venezuela-2024/cne-bulletin-2", "venezuela-2024/opposition-v2",
                            "--registered-from", "venezuela-2024/opposition-v1", "-q", "-f", "json",
                            "--fail-on", "error"])
    assert r.exit_code == 1  # the declared result is out of reach: an error-level finding
    d = json.loads(r.stdout)
    b = d["bound"]
    assert b["uncovered_electors"] == 3_349_293 and b["max_winner_margin"] == -638_045
    assert b["declared_result_reachable"] is False
    assert d["units"]["independent_source_units"] == 25_073
    assert d["findings"][0]["code"] == "compare.declared-unreachable"
