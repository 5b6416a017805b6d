"""The audit end to end: report folder contents, byte-identical reruns, verify, hostile names.

The Venezuela audit runs once per session with few resamples (about 5 s).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from electcheck.cli import app
from electcheck.report import load_example, run_audit, verify, write_report

from conftest import ROOT, ingest_or_skip
from test_report import EVIL_CAND, EVIL_REGION, hostile_tallies

runner = CliRunner()


def parsed_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag and its attributes, as a browser's tokenizer sees them."""
    from html.parser import HTMLParser

    out = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            out.append((tag, attrs))

        handle_startendtag = handle_starttag

    P().feed(html)
    return out


def hostile_config(tmp_path: Path) -> Path:
    pub, ind = hostile_tallies()
    pub.to_parquet(tmp_path / "published.parquet")
    ind.to_parquet(tmp_path / "independent.parquet")
    (tmp_path / "article.txt").write_text(
        "Alpha won 45 % of the vote, with 120,000 votes. =cmd|' /C calc'!A0 <script>window.__pwned=3</script>",
        encoding="utf-8")
    cfg = tmp_path / "audit.toml"
    cfg.write_text(f'''title = "Audit of {EVIL_CAND.replace('"', "'")} and {EVIL_REGION.replace("'", "")}"
seed = 7
[[compare]]
official = "published.parquet"
independent = "independent.parquet"
label = "{EVIL_CAND}"
[claims]
files = ["article.txt"]
against = ["independent.parquet"]
[forensics]
source = "independent.parquet"
resamples = 30
calibration_sims = 3
region_level = "state"
''', encoding="utf-8")
    return cfg


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    cfg = hostile_config(d)
    out = d / "report"
    r = runner.invoke(app, ["audit", str(cfg), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    return cfg, out


def test_report_folder_has_everything(hostile_report):
    _, out = hostile_report
    for f in ("report.html", "report.md", "results.json", "run.json"):
        assert (out / f).is_file(), f
    svgs = sorted((out / "charts").glob("*.svg"))
    assert len(svgs) >= 5
    for s in svgs:
        assert s.with_suffix(".png").is_file() and s.with_suffix(".csv").is_file()
    run = json.loads((out / "run.json").read_text())
    assert run["seed"] == 7 and run["electcheck_version"]
    assert {i["name"] for i in run["inputs"]} >= {"published.parquet", "independent.parquet", "article.txt"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for i in run["inputs"])


def test_hostile_names_escaped_and_no_formulas(hostile_report):
    _, out = hostile_report
    html = (out / "report.html").read_text()
    assert "<script" not in html.lower()
    tags = parsed_tags(html)
    assert not [t for t, _ in tags if t in ("script", "img", "iframe", "object", "embed", "link")]
    assert not [(t, a) for t, attrs in tags for a, _ in attrs if a.lower().startswith("on")]  # no handlers
    assert not [(t, v) for t, attrs in tags for a, v in attrs
                if a.lower() in ("src", "href", "xlink:href", "action") and v and not v.startswith(("#", "data:image/"))]
    assert not re.search(r"<img\b", html)
    assert "&lt;script&gt;" in html
    assert not re.search(r'(src|href|action)\s*=\s*["\']?(https?:)?//', html, flags=re.I)  # nothing fetched
    for f in (out / "charts").glob("*.csv"):
        for row in csv.reader(f.open(encoding="utf-8")):
            for cell in row:
                assert not re.match(r"^[=+@\t\r]", cell), (f.name, cell)
                assert not (cell.startswith("-") and not re.fullmatch(r"-[\d.e+-]+", cell)), (f.name, cell)
    md = (out / "report.md").read_text()
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(md)  # what a Markdown viewer shows: no element from the data
    assert "<script" not in rendered and "<img src=\"x\"" not in rendered
    assert not [t for t, _ in parsed_tags(rendered) if t in ("script", "iframe", "object", "embed", "link")]
    assert all(v.startswith("charts/") for t, attrs in parsed_tags(rendered) for a, v in attrs if a in ("src", "href"))


def test_rerun_is_byte_identical_and_verify_passes(hostile_report, tmp_path):
    cfg, out = hostile_report
    out2 = tmp_path / "again"
    r = runner.invoke(app, ["audit", str(cfg), "-o", str(out2), "-q"])
    assert r.exit_code == 0, r.output
    for f in sorted(out.rglob("*")):
        if f.is_file() and f.name != "run.json":
            assert f.read_bytes() == (out2 / f.relative_to(out)).read_bytes(), f.name
    v = runner.invoke(app, ["verify", str(out)])
    assert v.exit_code != 0 and "outside the report folder" in str(v.exception)  # its inputs are beside it
    v = runner.invoke(app, ["verify", str(out), "--allow-path", str(cfg.parent)])
    assert v.exit_code == 0, v.output
    assert "re-runs identically" in v.output


def test_verify_names_an_edited_input(tmp_path):
    cfg = hostile_config(tmp_path)
    out = tmp_path / "r"
    assert runner.invoke(app, ["audit", str(cfg), "-o", str(out), "-q"]).exit_code == 0
    # the report keeps its own copy of each article (texts/NAME), which is what verify re-checks
    art = out / "texts" / "article.txt"
    assert art.read_bytes() == (tmp_path / "article.txt").read_bytes()
    art.write_text(art.read_text() + " 99 % turnout.", encoding="utf-8")
    v = runner.invoke(app, ["verify", str(out), "--allow-path", str(tmp_path)])
    assert v.exit_code == 1
    assert "input changed: article.txt" in v.output
    # a tally edited in place is named too
    shutil.copy(tmp_path / "published.parquet", tmp_path / "independent.parquet")
    res = verify(out, allow_paths=[tmp_path])
    assert not res.ok and {c["name"] for c in res.changed_inputs} == {"article.txt", "independent.parquet"}


def test_verify_detects_an_edited_output(hostile_report, tmp_path):
    _, out = hostile_report
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    p = copy / "report.md"
    p.write_text(p.read_text().replace("Alpha", "Omega"))
    res = verify(copy, allow_paths=[out.parent])
    assert not res.ok and res.edited_outputs == ["report.md"]


def test_audit_usage_errors():
    r = runner.invoke(app, ["audit", "-o", "x"])
    assert r.exit_code != 0
    r = runner.invoke(app, ["audit", "--example", "nowhere", "-o", "x"])
    assert r.exit_code != 0


# --- the real case ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def venezuela_audit():
    """The Venezuela audit with few resamples and its report folder, once per test process
    (test_browser.py opens the same report)."""
    import tempfile

    ingest_or_skip("venezuela-2024/opposition-v2")
    ingest_or_skip("venezuela-2024/opposition-v1")
    cfg = load_example("venezuela-2024")
    cfg.resamples = 40
    cfg.calibration_sims = 4
    audit = run_audit(cfg)
    out = Path(tempfile.mkdtemp(prefix="electcheck-ve-")) / "report"
    write_report(audit, out, command=["test"])
    return audit, out


@pytest.fixture(scope="session")
def venezuela():
    return venezuela_audit()


def test_venezuela_leads_with_the_findings(venezuela):
    audit, out = venezuela
    h = audit.headlines
    kinds = [x["kind"] for x in h]
    assert kinds[:4] == ["bound", "claims", "round", "forensics"]
    assert kinds.count("bound") == 1  # both bulletins in one headline
    bound = h[0]["text"]
    assert bound.startswith("The declared result cannot be reached from the tally sheets. CNE bulletin 2 (2 August) "
                            "declared Maduro 6,408,844 votes and González 5,326,104.")
    for n in ("7,303,480", "3,316,142", "3,349,293", "6,665,435", "638,045", "1,977,376", "83.5 %"):
        assert n in bound, n
    # bulletin 1 in one sentence, after bulletin 2
    assert bound.index("CNE bulletin 1 (29 July), with Maduro 5,150,092 and González 4,445,978") > bound.index("1,977,376")
    assert "2,857,502" in bound
    claims = h[1]["text"]
    assert "“7.3 million” (González's votes) is supported: the data give 7,303,480" in claims
    assert "“3.3 million” (Maduro's votes) is supported: the data give 3,316,142" in claims
    assert ("“almost 38 percentage points” (González's margin over Maduro) is misleading: the data give 36.62 points"
            in claims) and "two leading candidates' votes (37.55)" in claims
    rnd = h[2]["text"]
    assert rnd.startswith("CNE bulletin 1 (29 July): every count is exactly the total (10,058,774) times a percentage")
    assert "Maduro 5,150,092 = 51.2 %" in rnd and "computed from percentages" in rnd
    fx = h[3]["text"]
    assert "Benjamini–Hochberg correction over a family of" in fx and "national scope only" in fx
    assert "not prove" in fx and "not proof" in fx and "None is significant" in fx
    fam = audit.sections["forensics"]["family"]
    assert f"a family of {fam['size']} p-values" in fx
    html = (out / "report.html").read_text()
    assert html.index("The declared result cannot be reached") < html.index("every count is exactly the total") \
        < html.index("On the opposition tally sheets (V1, with registered electors), ")
    # a one-row declared result has no "matched units" to explain a margin with
    for c in audit.sections["compare"][:2]:
        assert c["aggregate"] and not [f for f in c["result"]["findings"] if f["code"] == "compare.margin-explained"]


def test_venezuela_charts(venezuela):
    audit, out = venezuela
    slugs = [c.slug for c in audit.charts]
    assert slugs[:2] == ["bound", "claims"] and len(set(slugs)) == len(slugs)
    assert {"margin-by-region", "discrepancies-by-region", "fingerprint", "integer-percent"} <= set(slugs)
    assert any(s.startswith("last-digit") for s in slugs) and any(s.startswith("second-digit") for s in slugs)
    bound = next(c for c in audit.charts if c.slug == "bound")
    assert "cannot overtake" in bound.title and "3,349,293" in bound.subtitle
    margin = next(c for c in audit.charts if c.slug == "margin-by-region")
    assert margin.title == "González leads in all 24 states"
    disc = next(c for c in audit.charts if c.slug == "discrepancies-by-region")
    assert disc.title == "7 of 21,937 matched actas differ, by 21 votes in all"
    assert "no difference in the other 19 states" in disc.subtitle
    claims = next(c for c in audit.charts if c.slug == "claims")
    assert claims.title == "3 result claim(s) checked: 1 misleading, 2 supported"
    # digit charts show the test's own expectation (from the forensics report's public fields)
    tests = {(t["test"], t["subject"]): t for t in audit.sections["forensics"]["tests"] if t["scope"] == "national"}
    for c in audit.charts:
        if c.slug.startswith(("last-digit-", "second-digit-")):
            which, cid = c.slug.split("-digit-")
            t = next(v for (k, s), v in tests.items() if k == f"{which}-digit" and s.lower() == cid)
            assert np.allclose(c.table["expected_pct"], np.array(t["details"]["expected_freq"]) * 100, atol=6e-4)
    ip = next(c for c in audit.charts if c.slug == "integer-percent")
    assert set(ip.table["measure"]) == {"turnout", "leader share"}
    for c in audit.charts:
        assert c.title and c.subtitle and c.source and c.alt
    html = (out / "report.html").read_text()
    assert html.count("<svg") == len(audit.charts) and html.count('role="img"') == len(audit.charts)
    assert "<script" not in html and "http://" not in html.split("</head>")[1].replace("http://www.w3.org", "")


def test_readme_image_is_current(venezuela):
    """docs/img/venezuela-bound.png (shown in the README) is the bound chart of today's Venezuela audit.

    The chart's data must equal the committed CSV on every machine. The PNG bytes are compared too when
    this matplotlib is the one that drew the committed image (docs/img/venezuela-bound.json): its
    wheels ship their own FreeType and the chart uses matplotlib's own DejaVu font, so the same
    version draws the same bytes on any machine, while another version may legitimately shift a pixel.
    Re-make all three files with the command in that JSON.
    """
    import matplotlib

    from electcheck.report.safe import frame_csv

    img = ROOT / "docs" / "img"
    meta = json.loads((img / "venezuela-bound.json").read_text(encoding="utf-8"))
    audit, _ = venezuela
    bound = next(c for c in audit.charts if c.slug == "bound")
    assert frame_csv(bound.table) == (img / "venezuela-bound.csv").read_text(encoding="utf-8"), \
        f"the README chart's data changed; re-make it: {meta['made_with']}"
    png = (img / "venezuela-bound.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and hashlib.sha256(png).hexdigest() == meta["sha256"]
    if matplotlib.__version__ == meta["matplotlib"]:
        assert bound.png == png, f"the README chart looks different now; re-make it: {meta['made_with']}"


def test_venezuela_results_json_stable_fields(venezuela):
    _, out = venezuela
    d = json.loads((out / "results.json").read_text())
    comp = d["sections"]["compare"][0]["result"]
    assert comp["bound"]["declared_margin_reachable"] is False
    assert comp["totals"]["independent"]["EG"] == 7303480
    assert d["sections"]["forensics"]["available"] is True


def test_audit_cli_messages_on_stderr_only_and_quiet(tmp_path):
    cfg = hostile_config(tmp_path)
    r = runner.invoke(app, ["audit", str(cfg), "-o", str(tmp_path / "a"), "--seed", "11"])
    assert r.exit_code == 0, r.output
    assert r.stdout == "" and "wrote" in r.stderr  # data (none) on stdout, messages on stderr
    # piped (not a terminal): no progress bar, only the closing line
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("wrote ")
    assert "\x1b" not in r.stderr and "\r" not in r.stderr and "ingest" not in r.stderr
    assert json.loads((tmp_path / "a" / "run.json").read_text())["seed"] == 11
    q = runner.invoke(app, ["audit", str(cfg), "-o", str(tmp_path / "b"), "-q"])
    assert q.exit_code == 0 and q.stdout == "" and q.stderr == ""


def test_progress_bar_only_on_a_terminal_and_not_quiet(tmp_path):
    """Piped (CliRunner's stderr is not a terminal) or -q: no bar at all; on a terminal: a bar with
    steps done / total and the current step's name."""
    import io

    from electcheck.cli.audit import _Progress
    from electcheck.report.audit import plan_steps

    cfg = hostile_config(tmp_path)
    class Tty(io.StringIO):
        def isatty(self):
            return True

    steps = []
    c = parse_config_file(cfg)
    c.forensics_source = None  # its step is one call either way; the battery is slow
    run_audit(c, progress=steps.append)
    assert steps == plan_steps(c)  # the bar's total is the real number of steps
    assert steps[-1] == "check claims in article.txt" and plan_steps(parse_config_file(cfg))[-1].startswith("forensics")

    quiet = Tty()
    with _Progress(True, total=3, stream=quiet) as p:
        p("ingest x")
    assert quiet.getvalue() == ""
    piped = io.StringIO()
    with _Progress(False, total=3, stream=piped) as p:
        p("ingest x")
    assert p.live is None and piped.getvalue() == ""
    tty = Tty()
    with _Progress(False, total=len(steps) + 1, stream=tty) as p:
        for name in steps:
            p(name)
        p("writing report")
        p.live.refresh()
        shown = tty.getvalue()
    assert f"{len(steps)}/{len(steps) + 1}" in shown and "writing report" in shown


def parse_config_file(path: Path):
    from electcheck.report.config import load_config

    return load_config(path)


def test_verify_json_output(hostile_report):
    _, out = hostile_report
    r = runner.invoke(app, ["verify", str(out), "--format", "json", "--allow-path", str(out.parent)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["ok"] is True and d["changed_inputs"] == [] and d["changed_outputs"] == []


@pytest.mark.slow
def test_russia_example_reads_right():
    """Russia 2024 (≈ 95,000 precincts, few resamples): Russian names shortened from the Latin aliases,
    margins on all ballots (the CEC's basis), hard checks counted, significance limited by resamples
    said as such rather than read as "no evidence"."""
    ingest_or_skip("russia-2024")
    cfg = load_example("russia-2024")
    cfg.resamples, cfg.calibration_sims = 40, 2
    audit = run_audit(cfg)
    fx = next(h for h in audit.headlines if h["kind"] == "forensics")["text"]
    assert fx.startswith("On the official precinct protocols (CEC), ")
    assert "2,420 units with 100 % turnout" in fx and "214 units with every vote for one candidate" in fx
    assert "turnout rising with the leader's share (Putin, q < 0.001)" in fx and "= <" not in fx
    assert "p is the smallest 40 resamples can give" in fx  # a 29-SD excess is not "a lead at most"
    margin = next(c for c in audit.charts if c.slug == "margin-by-region")
    assert margin.title == "Putin leads in all 87 regions" and "points of all ballots" in margin.subtitle
    assert "ballots" in margin.table.columns
    assert not any("Владимир" in c.title for c in audit.charts)


@pytest.mark.slow
def test_venezuela_report_verifies_without_reading_outside_its_folder(tmp_path):
    """The founding example's folder carries its article (texts/examples/seed-article-en.txt), so
    verify re-runs it with nothing but the folder and the built-in datasets."""
    import tomllib

    from electcheck.report.config import example_text, parse_config

    ingest_or_skip("venezuela-2024/opposition-v2")
    text = example_text("venezuela-2024") + "\n"
    data = tomllib.loads(text)
    data.setdefault("forensics", {}).update(resamples=40, calibration_sims=4)
    import json as _json

    small = text.split("[forensics]")[0] + "[forensics]\n" + "\n".join(
        f"{k} = {_json.dumps(v)}" for k, v in data["forensics"].items()) + "\n"
    cfg = parse_config(tomllib.loads(small), base_dir=None, name="venezuela-2024")
    out = tmp_path / "report"
    write_report(run_audit(cfg), out, command=["test"], config_text=small)
    assert (out / "texts" / "examples" / "seed-article-en.txt").is_file()
    res = verify(out)
    assert res.ok, res.to_dict()
