"""Hostile input (issue 16): each case ends in exit 2 with ONE line (or a correct result), fast and
within a memory limit, with no traceback; Markdown outputs carry no HTML, link or image from data.

The CLI runs as a subprocess under RLIMIT_AS (1.5 GB of address space) with a per-case timeout;
the corpus is generated into tmp_path (tests/hostile/corpus.py).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

import pytest
from cli_helpers import run_cli
from hostile import corpus

MEMORY = 1536 << 20
#: seconds per case; the issue asks for < 5 s, the slack is for the shared 2-core test machine
TIMEOUT = float(os.environ.get("ELECTCHECK_HOSTILE_TIMEOUT", "30"))
#: RLIMIT_AS counts reserved address space, and glibc reserves 64 MB per thread arena (Arrow runs a
#: thread pool): two arenas keep the reservation close to what is really used
ENV = {**os.environ, "ELECTCHECK_OFFLINE": "1", "NO_COLOR": "1", "MALLOC_ARENA_MAX": "2"}
ENV.pop("ELECTCHECK_DEBUG", None)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


#: the child writes its own peak resident memory (VmHWM, KiB) to $ELECTCHECK_TEST_RSS at exit. Not
#: ru_maxrss: Linux carries it across fork and exec, so the forking test process's size would count
CHILD = ("import atexit, os\n"
         "def _peak():\n"
         "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
         "    open(os.environ['ELECTCHECK_TEST_RSS'], 'w').write(hwm)\n"
         "atexit.register(_peak)\n"
         "from electcheck.cli import console_main\nconsole_main()")
PEAK_KB: dict[str, int] = {}


def cli(*args: str, stdin=None, timeout: float = TIMEOUT, env=None) -> tuple[int, str, str, float]:
    """(exit code, stdout, stderr, seconds) of ``electcheck ARGS`` in a memory-limited child process;
    the child's peak resident memory is left in ``PEAK_KB['last']``."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".rss") as f:
        t0 = time.monotonic()
        r = subprocess.run([sys.executable, "-c", CHILD, *map(str, args)],
                           capture_output=True, text=True, timeout=timeout, preexec_fn=_limit_memory,
                           stdin=stdin if stdin is not None else subprocess.DEVNULL,
                           env={**(env or ENV), "ELECTCHECK_TEST_RSS": f.name})
        secs = time.monotonic() - t0
        text = open(f.name).read().strip()
        PEAK_KB["last"] = int(text) if text else 0
    return r.returncode, r.stdout, r.stderr, secs


#: seconds of each refusal, printed at the end of the session (pytest -s) for the record
TIMES: dict[str, float] = {}


def refused(args, *words, **kw) -> str:
    code, out, err, secs = cli(*args, **kw)
    TIMES[os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]] = secs
    assert 0 < PEAK_KB["last"] < (1 << 30) // 1024  # < 1 GB resident, this child alone
    assert code == 2, (code, err[-2000:])
    assert err.count("\n") == 1 and err.startswith("electcheck: error: "), err[-2000:]
    assert "Traceback" not in err and out == ""
    for w in words:
        assert w in err, (w, err)
    return err


# --- bounded reads ---------------------------------------------------------------------------

def test_dev_zero_behind_a_symlink(tmp_path):
    m = corpus.mapping(tmp_path)
    refused(["ingest", corpus.dev_zero_link(tmp_path), "--map", m], "zero.csv", "not a regular file", "'-'")


def test_fifo_is_refused_without_blocking(tmp_path):
    m = corpus.mapping(tmp_path)
    refused(["ingest", corpus.fifo(tmp_path), "--map", m], "FIFO")


def test_stdin_is_read_when_asked(tmp_path):
    m = corpus.mapping(tmp_path)
    with open(corpus.small_csv(tmp_path), "rb") as f:
        code, out, err, _ = cli("ingest", "-", "--map", m, "--format", "json", "-q", stdin=f)
    assert code == 0, err
    assert json.loads(out)["rows_read"] == 12


def test_two_million_column_header(tmp_path):
    m = corpus.mapping(tmp_path)
    err = refused(["ingest", corpus.wide_header(tmp_path), "--map", m], "2,000,000 columns", "--max-columns")
    assert "row 1" in err


def test_300_mb_line_without_newline(tmp_path):
    m = corpus.mapping(tmp_path)
    refused(["ingest", corpus.long_line(tmp_path), "--map", m], "line limit", "64 MB", "--max-line")


def test_gzip_bomb_rows(tmp_path):
    m = corpus.mapping(tmp_path)
    refused(["ingest", corpus.gzip_bomb(tmp_path), "--map", m], "10,000,000 rows", "--max-rows")


def test_gzip_bomb_bytes(tmp_path):
    m = corpus.mapping(tmp_path)
    refused(["--max-bytes", "40M", "ingest", corpus.gzip_bomb(tmp_path, 5), "--map", m], "byte limit", "40 MB",
            "--max-bytes")


def test_raised_limit_reads_what_the_default_refuses(tmp_path):
    m = corpus.mapping(tmp_path)
    p = corpus.small_csv(tmp_path)
    refused(["--max-rows", "5", "ingest", p, "--map", m], "rows", "--max-rows")
    code, out, err, _ = cli("--max-rows", "100", "ingest", p, "--map", m, "-q", "--format", "json")
    assert code == 0 and json.loads(out)["rows_read"] == 12, err
    env = {**ENV, "ELECTCHECK_MAX_ROWS": "5"}
    refused(["ingest", p, "--map", m], "ELECTCHECK_MAX_ROWS", env=env)


def test_10_mb_cell(tmp_path):
    m = corpus.mapping(tmp_path)
    refused(["ingest", corpus.long_cell(tmp_path), "--map", m], "row 2", "column 'state'", "--max-cell")


def test_10_mb_candidate_name_is_cut_with_a_finding(tmp_path):
    m = corpus.mapping(tmp_path, cand_a="N" * (10 << 20))
    code, out, err, _ = cli("ingest", corpus.small_csv(tmp_path), "--map", m, "--format", "json", "-q")
    assert code == 0, err[-1000:]
    d = json.loads(out)
    assert len(d["candidates"][0]["name"]) == 1000 and d["candidates"][0]["name"].endswith("…")
    assert "long-name" in [f["code"] for f in d["findings"]]
    assert len(out) < 200_000


def test_deep_json(tmp_path):
    m = corpus.mapping(tmp_path)
    refused(["ingest", corpus.deep_json(tmp_path), "--map", m], "deep.json")


def test_binary_file(tmp_path):
    m = corpus.mapping(tmp_path)
    refused(["ingest", corpus.binary(tmp_path), "--map", m], "binary")


def test_bad_limit_value(tmp_path):
    refused(["--max-rows", "lots", "data", "list"], "--max-rows", "not a size")


# --- encodings -------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-be"])
def test_utf16_and_utf32_with_a_bom_read_as_text(tmp_path, encoding):
    m = corpus.mapping(tmp_path)
    p = tmp_path / "u.csv"
    text = corpus.small_csv(tmp_path, states=("Táchira", "Zulia")).read_text(encoding="utf-8")
    p.write_bytes(("\ufeff" + text).encode(encoding) if encoding.endswith("be") else text.encode(encoding))
    code, out, err, _ = cli("ingest", p, "--map", m, "--format", "json", "-q")
    assert code == 0, err
    d = json.loads(out)
    assert d["rows_read"] == 12 and d["totals"]["A"] == sum(10 + i for i in range(12))


def test_encoding_option_is_honoured_before_binary_sniffing(tmp_path):
    m = corpus.mapping(tmp_path)
    p = tmp_path / "nobom.csv"
    p.write_bytes(corpus.small_csv(tmp_path).read_text(encoding="utf-8").encode("utf-16-le"))
    refused(["ingest", p, "--map", m], "binary")
    code, out, err, _ = cli("ingest", p, "--map", m, "--encoding", "utf-16-le", "--format", "json", "-q")
    assert code == 0, err
    assert json.loads(out)["rows_read"] == 12


# --- never overwrite an input ------------------------------------------------------------------

def test_output_naming_the_input_is_refused(tmp_path):
    m = corpus.mapping(tmp_path)
    p = corpus.small_csv(tmp_path)
    before = p.read_bytes()
    refused(["ingest", p, "--map", m, "-o", p], "never overwrites")
    link = tmp_path / "link.csv"
    link.symlink_to(p)
    refused(["ingest", p, "--map", m, "--errors", link], "never overwrites")
    hard = tmp_path / "hard.csv"
    os.link(p, hard)
    refused(["ingest", hard, "--map", m, "-o", p], "never overwrites")
    refused(["ingest", p, "--map", m, "-o", m], "never overwrites")
    assert p.read_bytes() == before


# --- duplicate keys: one rule ----------------------------------------------------------------

def test_duplicate_key_first_row_kept_everywhere(tmp_path):
    m = corpus.mapping(tmp_path)
    p = corpus.duplicate_keys(tmp_path)
    code, out, err, _ = cli("ingest", p, "--map", m, "--format", "json", "-q")
    assert code == 0, err
    d = json.loads(out)
    assert d["totals"]["A"] == 17 and d["units"] == 2  # the second row of key 101-01 (A = 1000) is set aside
    assert (d["rows_read"], d["rows_accepted"], d["rows_set_aside"]) == (3, 3, 1)
    f = next(f for f in d["findings"] if f["code"] == "duplicate-key")
    assert "first row of each key" in f["message"] and f["evidence"]["set_aside_rows"][0]["source_row"] == 3
    # compare sees the same rows as the totals
    code, out, err, _ = cli("compare", f"{p}::{m}", f"{p}::{m}", "--format", "json", "-q")
    assert code == 0, err
    c = json.loads(out)
    assert c["totals"]["official"]["A"] == 17 and c["units"]["matched"] == 2


# --- one error path --------------------------------------------------------------------------

def test_unexpected_error_is_exit_3_with_a_pointer_to_verbose(tmp_path, capsys, monkeypatch):
    import electcheck.cli.ingest as ci

    def boom(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(ci, "run_ingest", boom)
    monkeypatch.delenv("ELECTCHECK_DEBUG", raising=False)
    code, out, err = run_cli(["ingest", "whatever.csv"], capsys)
    assert code == 3 and err.count("\n") == 1 and "Traceback" not in err
    assert "-v" in err and "ZeroDivisionError" in err
    code, out, err = run_cli(["-v", "ingest", "whatever.csv"], capsys)
    assert code == 3 and "Traceback" in err
    monkeypatch.delenv("ELECTCHECK_DEBUG", raising=False)


def test_memory_error_is_exit_2_naming_the_limits(capsys, monkeypatch):
    import electcheck.cli.ingest as ci

    def oom(*a, **k):
        raise MemoryError

    monkeypatch.setattr(ci, "run_ingest", oom)
    code, out, err = run_cli(["ingest", "whatever.csv"], capsys)
    assert code == 2 and err.count("\n") == 1 and "--max-bytes" in err


def test_audit_config_with_wrong_types(tmp_path):
    cfg = tmp_path / "a.toml"
    cfg.write_text('title = "x"\n[forensics]\nsource = "venezuela-2024/opposition-v2"\nresamples = "lots"\n')
    refused(["audit", cfg, "-o", tmp_path / "out"], "resamples", "whole number", "lots")
    cfg.write_text('title = "x"\n[forensics]\nsource = "venezuela-2024/opposition-v2"\nresamples = -5\n')
    refused(["audit", cfg, "-o", tmp_path / "out"], "resamples", "between")
    cfg.write_text('title = ["x"]\n')
    refused(["audit", cfg, "-o", tmp_path / "out"], "title")


def test_audit_output_must_not_be_an_input(tmp_path):
    cfg = tmp_path / "a.toml"
    cfg.write_text('title = "x"\n')
    refused(["audit", cfg, "-o", cfg], "folder")
    out = tmp_path / "rep"
    out.mkdir()
    cfg2 = out / "report.md"  # a config kept where audit writes its Markdown report
    cfg2.write_text('title = "x"\n')
    refused(["audit", cfg2, "-o", out], "never overwrites")


# --- verify stays in its folder --------------------------------------------------------------

@pytest.mark.parametrize("path", ["/etc/hostname", "../../../../etc/passwd", "PIPE"])
def test_verify_refuses_paths_outside_its_folder_and_reads_nothing(tmp_path, path):
    outside = tmp_path / "outside.fifo"
    os.mkfifo(outside)  # reading it would block: the timeout proves nothing is read
    path = str(outside) if path == "PIPE" else path
    folder = corpus.run_json(tmp_path / "rep", inputs=[
        {"name": "x", "source": "x.parquet", "path": path, "sha256": "0" * 64}])
    err = refused(["verify", folder], "outside the report folder", "--allow-path", timeout=TIMEOUT)
    assert "0" * 64 not in err


def test_verify_refuses_an_output_outside(tmp_path):
    folder = corpus.run_json(tmp_path / "rep", outputs={"../../etc/passwd": "0" * 64})
    refused(["verify", folder], "outside the report folder")


def test_verify_refuses_a_config_source_outside(tmp_path):
    text = 'title = "x"\n[forensics]\nsource = "/etc/passwd::/etc/x.toml"\ntests = ["hard-checks"]\n'
    folder = corpus.run_json(tmp_path / "rep", config={"name": "x", "base_dir": "/etc", "text": text})
    refused(["verify", folder], "source", "outside the report folder")


@pytest.mark.parametrize("content, words", [
    ("[1, 2]", ["JSON object"]),
    ('{"electcheck_version": "0.1.0"}', ["lacks the field"]),
    ("not json", ["not valid JSON"]),
    ('{"electcheck_version": "0.1.0", "config": {"text": "x"}, "seed": "s", "inputs": [], "outputs": {}}',
     ["seed"]),
])
def test_verify_validates_run_json(tmp_path, content, words):
    folder = tmp_path / "rep"
    folder.mkdir()
    (folder / "run.json").write_text(content)
    refused(["verify", folder], *words)


# --- escaping by output kind -----------------------------------------------------------------

def _rendered_is_inert(md: str) -> None:
    """Rendered by a CommonMark renderer, the Markdown holds no HTML element and no link/image."""
    from html.parser import HTMLParser

    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(md)
    tags = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

    P().feed(html)
    allowed = {"h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "em", "strong", "ul", "li",
               "code", "br", "hr", "ol", "img", "a", "pre", "blockquote"}
    assert not [t for t, _ in tags if t not in allowed], tags
    for t, attrs in tags:
        if t in ("a", "img"):  # only the report's own chart files
            target = attrs.get("href") or attrs.get("src") or ""
            assert target.startswith("charts/"), (t, attrs)
    assert "<script" not in html and "onerror=" not in html.replace("onerror=alert(1)&gt;", "")


@pytest.mark.parametrize("name", corpus.HOSTILE_NAMES)
def test_compare_and_ingest_markdown_are_inert(tmp_path, name):
    m = corpus.mapping(tmp_path, cand_a=name, cand_b=name + " B")
    p = corpus.small_csv(tmp_path, states=(name, "South " + name))
    q = tmp_path / "other.csv"
    q.write_text(p.read_text(encoding="utf-8").replace(",10,", ",11,", 1), encoding="utf-8")
    code, out, err, _ = cli("compare", f"{p}::{m}", f"{q}::{m}", "--format", "markdown", "-q")
    assert code == 0, err
    _rendered_is_inert(out)
    code, out, err, _ = cli("ingest", p, "--map", m, "--format", "markdown", "-q")
    assert code == 0, err
    _rendered_is_inert(out)


def test_audit_report_md_is_inert(tmp_path):
    from electcheck.report import run_audit
    from electcheck.report.config import parse_config
    from electcheck.report.markdown import render_markdown

    import test_report

    pub, ind = test_report.hostile_tallies(n=120)
    for name in corpus.HOSTILE_NAMES:
        import dataclasses

        for t in (pub, ind):
            t.meta.candidates = [dataclasses.replace(t.meta.candidates[0], name=name), *t.meta.candidates[1:]]
            if "state" in t.data.columns:
                t.data["state"] = name
        pub.to_parquet(tmp_path / "p.parquet")
        ind.to_parquet(tmp_path / "i.parquet")
        cfg = parse_config({"title": name, "compare": [{"official": "p.parquet", "independent": "i.parquet",
                                                          "label": name}]}, base_dir=str(tmp_path), name="t")
        _rendered_is_inert(render_markdown(run_audit(cfg)))


def test_terminal_output_has_no_control_characters(tmp_path):
    m = corpus.mapping(tmp_path, cand_a="\x1b]0;pwned\x07\x1b[2JAlpha")
    p = corpus.small_csv(tmp_path, states=("\x1b[31mRed\x1b[0m", "South"))
    code, out, err, _ = cli("ingest", p, "--map", m)
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out


def test_csv_exports_keep_negative_numbers_as_numbers():
    import pandas as pd

    from electcheck.report.safe import frame_csv

    text = frame_csv(pd.DataFrame({"name": ["-2+3", "=x"], "margin": [-28.49, 1.5]}))
    assert text.splitlines()[1:] == ["'-2+3,-28.49", "'=x,1.5"]


@pytest.mark.parametrize("name", corpus.HOSTILE_NAMES)
def test_check_and_forensics_markdown_are_inert(tmp_path, name):
    """Names from the data and words from the article never become HTML, links or images."""
    m = corpus.mapping(tmp_path, cand_a=name, cand_b=name + " B")
    p = corpus.small_csv(tmp_path, states=(name, "South " + name))
    article = f"{name} won 120 votes in {name}, about 60 % of the vote. {name} B got 5 votes."
    code, out, err, _ = cli("check", article, "--against", f"{p}::{m}", "--format", "markdown", "-q")
    assert code == 0, err
    _rendered_is_inert(out)
    code, out, err, _ = cli("forensics", f"{p}::{m}", "--tests", "hard-checks", "--calibration-sims", "0",
                            "--format", "markdown", "-q")
    assert code == 0, err
    _rendered_is_inert(out)
