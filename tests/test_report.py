"""Report building blocks: theme/charts bytes, safe CSV cells, HTML escaping, config parsing.

Synthetic tallies only (fast); the real Venezuela audit is in test_audit.py.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib

import numpy as np
import pandas as pd
import pytest

from electcheck.errors import InputError
from electcheck.model import Candidate, Tally, TallyMeta
from electcheck.report import charts
from electcheck.report.config import example_names, load_example, parse_config
from electcheck.report.html import inline_svg
from electcheck.report.safe import frame_csv, safe_cell

EVIL_CAND = '<script>window.__pwned=1</script>'
EVIL_IMG = '<img src="http://127.0.0.1:9/x.png" onerror="window.__pwned=2">'
EVIL_REGION = "=cmd|' /C calc'!A0"


def hostile_tallies(n: int = 400, seed: int = 3) -> tuple[Tally, Tally]:
    """(one-row published tally, per-unit independent tally) with hostile names everywhere."""
    rng = np.random.default_rng(seed)
    reg = rng.integers(300, 900, n)
    ballots = rng.binomial(reg, 0.6)
    a = rng.binomial(ballots, 0.55)
    b = ballots - a
    regions = [EVIL_REGION, "+SUM(1,2)", "@evil", "-2+3", EVIL_IMG]
    df = pd.DataFrame({
        "unit_id": [f"u{i:04d}" for i in range(n)],
        "state_code": [str(i % 5) for i in range(n)],
        "state": [regions[i % 5] for i in range(n)],
        "registered": pd.array(reg, dtype="Int64"), "ballots": pd.array(ballots, dtype="Int64"),
        "valid": pd.array(ballots, dtype="Int64"), "invalid": pd.array(np.zeros(n, int), dtype="Int64"),
        "A": pd.array(a, dtype="Int64"), "B": pd.array(b, dtype="Int64"),
    })
    cands = [Candidate("A", EVIL_CAND + " Alpha Beta"), Candidate("B", "=HYPERLINK(\"http://x\") " + EVIL_IMG)]
    meta = TallyMeta(source="test/independent", kind="independent", election="test", unit_level="unit",
                     candidates=cands, hierarchy=["state"], expected_units=n + 100,
                     registry_total=int(reg.sum() * 1.2))
    ind = Tally(df, meta)
    tot = {"A": int(b.sum() + 5000), "B": int(a.sum() - 4000)}
    pub = pd.DataFrame({"unit_id": ["nation"], "registered": pd.array([int(reg.sum() * 1.2)], dtype="Int64"),
                        "valid": pd.array([tot["A"] + tot["B"]], dtype="Int64"),
                        "A": pd.array([tot["A"]], dtype="Int64"), "B": pd.array([tot["B"]], dtype="Int64")})
    pmeta = TallyMeta(source="test/published", kind="published", election="test", unit_level="nation",
                      candidates=cands, registry_total=int(reg.sum() * 1.2))
    return Tally(pub, pmeta), ind


def test_safe_cell_neutralises_formulas_not_numbers():
    assert safe_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    for p in "=+-@":
        assert safe_cell(p + "x").startswith("'")
    assert safe_cell(-5) == -5 and safe_cell(3.5) == 3.5 and safe_cell("ok") == "ok"


def test_frame_csv_has_no_formula_cells():
    df = pd.DataFrame({"=x": ["=1+1", "+a", "@b", "-c", "plain"], "n": [-1, 2, 3, 4, 5]})
    rows = list(csv.reader(io.StringIO(frame_csv(df))))
    for r in rows:
        for cell in r:
            assert not re.match(r"^[=+@]", cell), cell
            assert not (cell.startswith("-") and not re.fullmatch(r"-\d+(\.\d+)?", cell)), cell
    assert rows[1][1] == "-1"  # numbers stay numbers


def test_chart_bytes_deterministic_and_svg_clean():
    pub, ind = hostile_tallies()
    t = ind.data
    turn = (t["ballots"] / t["registered"]).to_numpy(float)
    share = (t["A"] / t["valid"]).to_numpy(float)
    c1 = charts.fingerprint(turn, share, EVIL_CAND, "source " + EVIL_REGION, 0.1)
    c2 = charts.fingerprint(turn, share, EVIL_CAND, "source " + EVIL_REGION, 0.1)
    assert c1.svg == c2.svg and c1.png == c2.png
    s = c1.svg.decode()
    assert "<script" not in s and "Date" not in s and "<dc:date" not in s
    assert b"Software" not in c1.png[:200] and b"matplotlib" not in c1.png
    assert EVIL_CAND in c1.title  # the title keeps the text; HTML escapes it
    html = str(inline_svg(c1.svg, "c0", c1.alt))
    assert "<script" not in html and "&lt;script&gt;" in html  # alt escaped in aria-label


def test_inline_svg_refuses_active_content():
    with pytest.raises(ValueError):
        inline_svg(b'<svg width="1" height="1"><script>alert(1)</script></svg>', "c", "x")


def test_ids_are_prefixed_per_chart():
    svg = b'<svg width="2" height="2"><defs><clipPath id="p1"/></defs><g clip-path="url(#p1)"/></svg>'
    out = str(inline_svg(svg, "c7", "alt"))
    assert 'id="c7-p1"' in out and "url(#c7-p1)" in out


def test_examples_parse():
    names = example_names()
    assert {"venezuela-2024", "indonesia-2019", "russia-2024"} <= set(names)
    v = load_example("venezuela-2024")
    assert v.compare[0].official == "venezuela-2024/cne-bulletin-2"
    assert v.compare[0].registered_from == "venezuela-2024/opposition-v1"
    assert v.forensics_source == "venezuela-2024/opposition-v1"
    assert not any(f.startswith("/") for f in v.claim_files)


def test_config_errors_are_input_errors():
    with pytest.raises(InputError, match="unknown key"):
        parse_config({"titel": "x"})
    with pytest.raises(InputError, match="official"):
        parse_config(tomllib.loads('[[compare]]\nofficial = "a"\n'))
    with pytest.raises(InputError, match="resamples"):
        parse_config({"forensics": {"source": "x", "resamples": 0}})


def test_claims_file_resolves_relative_to_data_dir_parent(monkeypatch, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "a.txt").write_text("x")
    monkeypatch.setenv("ELECTCHECK_DATA_DIR", str(tmp_path / "data"))
    cfg = parse_config({"claims": {"files": ["examples/a.txt"], "against": ["x"]}})
    assert cfg.resolve_file("examples/a.txt") == (tmp_path / "examples" / "a.txt").resolve()
    with pytest.raises(InputError, match="not found"):
        cfg.resolve_file("examples/missing.txt")


def test_left_margin_fits_the_labels():
    """The plot's left edge follows the widest y label: long region names are not cut, short ones
    leave no wasted margin; a table chart (no axes) sets its own."""
    from electcheck.report import theme

    def left(labels):
        frame = pd.DataFrame({"region": labels, "units_differing": [1] * len(labels),
                              "abs_votes": list(range(len(labels), 0, -1)), "margin_effect": [0] * len(labels)})
        c = charts.discrepancies_by_region(frame, "state", "src", "what")
        m = re.search(rb'<g id="patch_2">\s*<path d="M ([\d.]+) ', c.svg)
        return float(m.group(1))

    short, long = left(["A", "B"]), left(["Territory outside the country", "B"])
    assert short < 60 < long  # pixels of an 800-pixel-wide chart
    claims = charts.claims_table([{"text": "7.3 million", "quantity": "votes", "actual": 7303480,
                                   "verdict": "contradicted"}], "src")
    assert "1 result claim(s) checked: 1 contradicted" == claims.title
    assert theme.finish is not None


def test_discrepancies_chart_draws_only_regions_that_differ():
    frame = pd.DataFrame({"region": ["Zero A", "Big", "Zero B", "Small"], "units_differing": [0, 2, 0, 1],
                          "abs_votes": [0, 40, 0, 1], "margin_effect": [0, 3, 0, -1]})
    c = charts.discrepancies_by_region(frame, "state", "src", "what", unit_word="acta", matched=100)
    assert c.title == "3 of 100 matched actas differ, by 41 votes in all"
    assert "no difference in the other 2 states" in c.subtitle
    assert list(c.table["region"]) == ["Big", "Small", "Zero A", "Zero B"]  # zeros last in the CSV
    assert "Zero A" not in c.alt and "1 vote in 1 acta" in c.alt


def test_digit_chart_uses_the_test_result():
    """The digit chart shows what the test compared (its observed and expected frequencies), not a
    re-drawn band: the CSV's expected column is the test's expected_freq."""
    exp = np.array([0.104, 0.102, 0.101, 0.1, 0.1, 0.099, 0.099, 0.099, 0.098, 0.098])
    obs = exp + np.array([0.002, -0.002, 0, 0, 0, 0, 0.001, -0.001, 0, 0])
    r = {"test": "last-digit", "subject": "A", "p_value": 0.4, "q_value": 0.8, "applicable": True, "caveats": [],
         "details": {"observed_freq": obs.tolist(), "expected_freq": exp.tolist(), "n_values": 5000}}
    c = charts.digits(r, "Alpha", "last", "src", slug_id="A")
    assert c.slug == "last-digit-a"
    assert np.allclose(c.table["expected_pct"], np.round(exp * 100, 3))
    assert np.allclose(c.table["observed_pct"], np.round(obs * 100, 3))
    se = np.sqrt(exp * (1 - exp) / 5000) * 100
    assert np.allclose(c.table["range_high_pct"] - c.table["range_low_pct"], np.round(2 * 1.96 * se, 3), atol=2e-3)
    assert "stay within" in c.title and "q = 0.8" in c.subtitle


def test_config_unknown_keys_in_tables_are_errors():
    with pytest.raises(InputError, match=r"unknown key\(s\) in \[forensics\]: sorce"):
        parse_config({"forensics": {"sorce": "x"}})
    with pytest.raises(InputError, match=r"\[compare\]"):
        parse_config(tomllib.loads('[[compare]]\nofficial = "a"\nindependent = "b"\nlabl = "x"\n'))
