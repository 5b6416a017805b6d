"""The audit report's sections: one module each, picked by the config's ``sections = [...]``.

Synthetic tallies only (fast): the published/independent pair of test_report.py, written as Parquet.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from electcheck.errors import InputError
from electcheck.report import run_audit
from electcheck.report.audit import plan_steps
from electcheck.report.config import load_config, parse_config
from electcheck.report.manifest import build_files
from electcheck.report.sections import SECTIONS, Section, list_sections, selected

from test_report import hostile_tallies


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sections")
    pub, ind = hostile_tallies(n=150)
    pub.to_parquet(d / "published.parquet")
    ind.to_parquet(d / "independent.parquet")
    (d / "article.txt").write_text("Alpha won 45 % of the vote, with 120,000 votes.", encoding="utf-8")
    return d


def config(folder: Path, sections: str = "") -> Path:
    """Compare, published, claims and a region level (no forensic battery: it is slow)."""
    p = folder / f"audit-{abs(hash(sections))}.toml"
    p.write_text(f'''title = "Sections"
seed = 3
{sections}
[[compare]]
official = "published.parquet"
independent = "independent.parquet"
label = "The published figures against the tally"
[published]
sources = ["published.parquet"]
[claims]
files = ["article.txt"]
against = ["independent.parquet"]
''', encoding="utf-8")
    return p


def test_every_section_is_a_module_with_slug_needs_and_three_functions():
    assert list(SECTIONS) == ["compare", "actas", "published", "regions", "claims", "forensics"]
    for slug, m in SECTIONS.items():
        assert m.SLUG == slug and m.NEEDS and m.__doc__
        assert callable(m.wanted) and callable(m.plan) and callable(m.build)
    assert [s for s, _ in list_sections()] == list(SECTIONS)
    assert all(line and not line.startswith(" ") for _, line in list_sections())


def test_by_default_every_section_with_inputs_runs(folder):
    cfg = load_config(config(folder))
    assert cfg.sections is None and "sections" not in cfg.to_dict()
    assert [m.SLUG for m in selected(cfg)] == ["compare", "published", "claims"]
    cfg.region_level = "state"
    assert [m.SLUG for m in selected(cfg)] == ["compare", "published", "regions", "claims"]


def test_each_section_returns_its_data_headlines_charts_and_inputs(folder):
    steps = []
    cfg = load_config(config(folder))
    audit = run_audit(cfg, progress=steps.append)
    assert steps == plan_steps(cfg)
    assert [p.slug for p in audit.parts] == ["compare", "published", "claims"]
    assert all(isinstance(p, Section) for p in audit.parts)
    by = {p.slug: p for p in audit.parts}
    assert audit.sections == {s: by[s].data for s in ("compare", "published", "claims")}
    assert [c.slug for c in by["compare"].charts] == ["bound"]
    assert [c.slug for c in by["claims"].charts] == ["claims"]
    assert [h["kind"] for h in by["compare"].headlines] == ["bound"]
    assert {i["name"] for i in by["compare"].inputs} == {"published.parquet", "independent.parquet"}
    assert [i["name"] for i in by["published"].inputs] == ["published.parquet"]
    assert {i["name"] for i in by["claims"].inputs} == {"independent.parquet", "article.txt"}
    assert sorted(i["name"] for i in audit.inputs) == ["article.txt", "independent.parquet", "published.parquet"]


def test_sections_picks_some_and_the_report_holds_only_those(folder):
    cfg = load_config(config(folder, 'sections = ["claims", "published"]'))
    assert cfg.sections == ["claims", "published"] and cfg.to_dict()["sections"] == ["claims", "published"]
    steps = []
    audit = run_audit(cfg, progress=steps.append)
    assert steps == plan_steps(cfg) == ["ingest published.parquet", "integrity published.parquet",
                                        "ingest independent.parquet", "check claims in article.txt"]
    assert list(audit.sections) == ["published", "claims"]  # report order, not the list's
    assert [c.slug for c in audit.charts] == ["claims"]
    assert {h["kind"] for h in audit.headlines} <= {"claims", "round"}
    files = build_files(audit)
    assert "Reconciliation" not in files["report.html"].decode()
    assert json.loads(files["results.json"])["config"]["sections"] == ["claims", "published"]


def test_naming_every_section_gives_the_same_report_as_naming_none(folder):
    every = load_config(config(folder, 'sections = ["compare", "published", "claims"]'))
    default = load_config(config(folder))
    every.name = default.name  # the config files' names differ
    a, b = build_files(run_audit(every)), build_files(run_audit(default))
    assert a.keys() == b.keys()
    for rel in a:
        if rel != "results.json":
            assert a[rel] == b[rel], rel
    ja, jb = json.loads(a["results.json"]), json.loads(b["results.json"])
    assert ja["config"].pop("sections") == ["compare", "published", "claims"] and "sections" not in jb["config"]
    assert ja == jb


@pytest.mark.parametrize("value, words", [
    ('["compare", "maps"]', "config: unknown section(s) 'maps' in sections; valid: compare, actas, published, "
                            "regions, claims, forensics"),
    ("[]", "config: sections is empty; name at least one of: compare, actas"),
    ('["forensics"]', "config: section 'forensics' is selected but the config gives it nothing to run; "
                      "it needs a [forensics] source"),
    ('["actas"]', "it needs a folder of acta photos as a source"),
    ("3", "config: sections must be a section name or a list of them, not 3"),
])
def test_a_bad_sections_key_is_one_line_naming_the_valid_ones(folder, value, words):
    with pytest.raises(InputError) as e:
        load_config(config(folder, f"sections = {value}"))
    assert words in str(e.value) and "\n" not in str(e.value)


def test_a_single_name_is_a_list_of_one(folder):
    import tomllib

    data = tomllib.loads(config(folder).read_text())
    cfg = parse_config({**data, "sections": "compare"}, base_dir=str(folder))
    assert cfg.sections == ["compare"]
    assert [m.SLUG for m in selected(cfg)] == ["compare"]
    assert dataclasses.replace(cfg, sections=None).to_dict().get("sections", "absent") == "absent"
