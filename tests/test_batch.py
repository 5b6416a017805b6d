"""electcheck batch: jobs as Dask tasks on a real LocalCluster (2 workers, no mock).

The batch must give byte-identical results to the single commands, go on past a
failed job, skip unchanged jobs on a re-run, and stream a feed of articles.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cli_helpers import run_cli
from conftest import ingest_or_skip

pytest.importorskip("distributed")

import electcheck.cli.batch  # noqa: E402,F401  (registers the command when the CLI list does not yet)
from electcheck.batch import load_batch_config, run_batch  # noqa: E402
from electcheck.errors import InputError  # noqa: E402

YEARS = (2004, 2007, 2008, 2011, 2012, 2016, 2018, 2020, 2021, 2024)
TESTSET = Path(__file__).parent / "claims" / "testset.csv"
FORENSICS_OPTS = 'tests = ["integer-percent"]\nseed = 7\nresamples = 99\ncalibration_sims = 0\n'


def _config(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "batch.toml"
    p.write_text(body, encoding="utf-8")
    return p


@pytest.mark.parametrize("body, words", [
    ("", "no [[jobs]]"),
    ('[[jobs]]\nname = "a"\ncommand = "dance"\n', "command must be one of"),
    ('[[jobs]]\nname = "a"\ncommand = "forensics"\nsource = "x"\n[[jobs]]\nname = "a"\ncommand = "forensics"\n'
     'source = "x"\n', "appears twice"),
    ('[[jobs]]\nname = "a"\ncommand = "forensics"\nsource = "x"\nresamples = "lots"\n', "resamples must be an integer"),
    ('[[jobs]]\nname = "../up"\ncommand = "forensics"\nsource = "x"\n', "name must be"),
    ('[[jobs]]\nname = "a"\ncommand = "check"\nagainst = "x"\n', "exactly one of feed, file, text"),
    ('[[jobs]]\nname = "a"\ncommand = "forensics"\nsource = "x"\ncolour = 1\n', "unknown key"),
])
def test_bad_configs_are_refused_before_anything_runs(tmp_path, body, words):
    with pytest.raises(InputError) as e:
        load_batch_config(_config(tmp_path, body))
    assert words in str(e.value) and "\n" not in str(e.value)


def test_bad_config_is_exit_2_and_one_line(tmp_path, capsys):
    cfg = _config(tmp_path, '[[jobs]]\nname = "a"\ncommand = "forensics"\nsource = "x"\nresamples = "lots"\n')
    code, out, err = run_cli(["batch", str(cfg), "-o", str(tmp_path / "out")], capsys)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1


def _articles(n: int) -> list[dict]:
    with open(TESTSET, encoding="utf-8", newline="") as f:
        texts = [r["text"] for r in csv.DictReader(f) if r["against"] == "venezuela-2024/opposition-v2"]
    return [{"id": f"a{i}", "text": texts[i % len(texts)]} for i in range(n)]


@pytest.mark.slow
def test_ten_russian_years_and_a_feed_on_a_local_cluster(tmp_path, capsys):
    for y in YEARS:
        ingest_or_skip(f"russia-{y}") if y in (2004, 2024) else None  # skip early, naming the file
    ingest_or_skip("venezuela-2024/opposition-v2")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in _articles(200)), encoding="utf-8")
    body = "".join(f'[[jobs]]\nname = "russia-{y}"\ncommand = "forensics"\nsource = "russia-{y}"\n{FORENSICS_OPTS}\n'
                   for y in YEARS)
    body += '[[jobs]]\nname = "broken"\ncommand = "forensics"\nsource = "no-such-file.csv"\n\n'
    body += '[[jobs]]\nname = "feed"\ncommand = "check"\nfeed = "feed.jsonl"\nagainst = ["venezuela-2024/opposition-v2"]\n'
    cfg = _config(tmp_path, body)
    out = tmp_path / "out"
    done: list[str] = []
    summary = run_batch(cfg, out, scheduler="local", workers=2, on_done=lambda r: done.append(r["name"]))
    assert summary["workers"] == 2
    status = {r["name"]: r for r in summary["jobs"]}
    assert [r["name"] for r in summary["jobs"]] == [f"russia-{y}" for y in YEARS] + ["broken", "feed"]
    assert sorted(done) == sorted(status)
    assert status["broken"]["status"] == "failed" and "no-such-file.csv" in status["broken"]["reason"]
    assert all(status[f"russia-{y}"]["status"] == "ok" for y in YEARS)
    # both worker processes did work
    assert len({r["worker_pid"] for r in summary["jobs"] if r["status"] == "ok"}) == 2
    # every Russian year flags integer percentages (Kobak et al.), as the single command does
    assert all(status[f"russia-{y}"]["figures"]["tests"] >= 1 for y in YEARS)

    # byte for byte what the single command writes, for three years
    for y in (2004, 2012, 2024):
        single = tmp_path / f"single-{y}.json"
        code, _, err = run_cli(["forensics", f"russia-{y}", "--tests", "integer-percent", "--seed", "7",
                                "--resamples", "99", "--calibration-sims", "0", "--format", "json",
                                "-o", str(single), "-q"], capsys)
        assert code == 0, err
        assert (out / f"russia-{y}" / "result.json").read_bytes() == single.read_bytes()

    # the feed: one line per article, each what `check TEXT --format json` gives (integrity findings once)
    lines = (out / "feed" / "result.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 200 and status["feed"]["figures"]["articles"] == 200
    assert status["feed"]["figures"]["articles_per_second"] > 0
    integrity = {f["code"] for f in json.loads((out / "feed" / "findings.json").read_text(encoding="utf-8"))}
    for i in (0, 1, 57):
        rec = json.loads(lines[i])
        code, single_out, err = run_cli(["check", _articles(200)[i]["text"], "--against",
                                         "venezuela-2024/opposition-v2", "--format", "json", "-q"], capsys)
        assert code == 0, err
        want = json.loads(single_out)
        want["findings"] = [f for f in want.get("findings", []) if f["code"] not in integrity]
        assert {k: v for k, v in rec.items() if k not in ("line", "id")} == want

    table = list(csv.DictReader(io.StringIO((out / "batch.csv").read_text(encoding="utf-8"))))
    assert [r["name"] for r in table] == [r["name"] for r in summary["jobs"]]

    # a re-run skips every unchanged ok job and re-runs the failed one
    again = run_batch(cfg, out, scheduler="local", workers=2)
    skipped = {r["name"] for r in again["jobs"] if r.get("skipped")}
    assert skipped == {f"russia-{y}" for y in YEARS} | {"feed"}
    # editing the feed re-runs the feed job only
    with open(feed, "a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "extra", "text": "González obtuvo 7,3 millones de votos."}, ensure_ascii=False) + "\n")
    third = run_batch(cfg, out, scheduler="local", workers=2)
    assert {r["name"] for r in third["jobs"] if not r.get("skipped")} == {"broken", "feed"}
    assert len((out / "feed" / "result.jsonl").read_text(encoding="utf-8").splitlines()) == 201


def test_feed_lines_must_be_json_objects_with_text(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": 1, "text": "ok"}\nnot json\n', encoding="utf-8")
    cfg = _config(tmp_path, '[[jobs]]\nname = "f"\ncommand = "check"\nfeed = "feed.jsonl"\n'
                  'against = ["venezuela-2024/cne-bulletin-2"]\n')
    summary = run_batch(cfg, tmp_path / "out", scheduler="threads", workers=1)
    row = summary["jobs"][0]
    assert row["status"] == "failed" and "line 2 is not JSON" in row["reason"]


def test_longest_jobs_are_estimated_by_their_input_bytes(tmp_path):
    """The scheduler starts the jobs with the most input first (longest processing time first)."""
    from electcheck.batch.config import load_batch_config
    from electcheck.batch.jobs import estimated_cost

    (tmp_path / "small.csv").write_text("unit,a\n1,2\n", encoding="utf-8")
    (tmp_path / "large.csv").write_text("unit,a\n" + "".join(f"{i},2\n" for i in range(5000)), encoding="utf-8")
    (tmp_path / "m.toml").write_text('[columns]\nunit_id = "unit"\ncandidates = ["a"]\n', encoding="utf-8")
    cfg = tmp_path / "b.toml"
    cfg.write_text("".join(f'[[jobs]]\nname = "{n}"\ncommand = "forensics"\nsource = "{n}.csv"\nmap = "m.toml"\n\n'
                           for n in ("small", "large")), encoding="utf-8")
    jobs = {j.name: j for j in load_batch_config(cfg).jobs}
    small, large = estimated_cost(jobs["small"]), estimated_cost(jobs["large"])
    assert large > small > 0
    assert large - small == (tmp_path / "large.csv").stat().st_size - (tmp_path / "small.csv").stat().st_size
