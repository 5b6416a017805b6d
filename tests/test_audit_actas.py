"""The audit's "Acta photos" section, on a small folder of synthetic acta photos made at test time.

Four clean actas from the QR decoding's CSV (tests/acta_synth.py draws them), plus: one photo
without a QR code, a second photo of acta 0 (a duplicate), acta 2 again with 7 more votes on its
first card (a conflict), and a fifth acta whose photo has 10 more votes for Maduro than the
published QR decoding it is compared with. Two of the file names are hostile (HTML, a formula).
"""

from __future__ import annotations

import csv
import json

import pytest

pytest.importorskip("zxingcpp")
pytest.importorskip("segno")
pytest.importorskip("PIL")

import acta_synth as synth  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from electcheck.cli import app  # noqa: E402
from electcheck.report import run_audit  # noqa: E402
from electcheck.report.audit import plan_steps  # noqa: E402
from electcheck.report.config import load_config  # noqa: E402

from conftest import ingest_or_skip  # noqa: E402
from test_audit import parsed_tags  # noqa: E402

NOQR = "f_<img src=x onerror=alert(1)>.jpg"
DUP = "=dup & <copy>.jpg"
LABEL = "The QR decoding (vzlapi) against our photos"



@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """(config, the actas drawn, the conflicting and the altered acta)."""
    ingest_or_skip("venezuela-2024/qr-vzlapi")
    actas = synth.load_actas(synth.qr_csv(), 5)
    clean, original = actas[:4], actas[4]
    root = tmp_path_factory.mktemp("audit-actas")
    d = root / "photos"
    d.mkdir()
    synth.write_photos(clean, d, seed=17, workers=1)
    a0, a1, a2, _ = clean
    synth.acta_photo(a1, d / NOQR, 901, qr=False)
    synth.acta_photo(a0, d / DUP, 906)
    conflicting = a2.plus_first_card(7)
    synth.acta_photo(conflicting, d / "h_conflict.jpg", 907)
    altered = original.plus_first_card(10)
    synth.acta_photo(altered, d / "i_altered.jpg", 908)
    (d / "notes.txt").write_text("not a photo")
    cfg = root / "audit.toml"
    cfg.write_text(f'''title = "Acta photos"
[[compare]]
official = "venezuela-2024/qr-vzlapi"
independent = "photos::venezuela-2024/acta-qr"
label = "{LABEL}"
''', encoding="utf-8")
    return cfg, actas, conflicting, original


@pytest.fixture(scope="module")
def report(photos):
    cfg = photos[0]
    out = cfg.parent / "report"
    r = CliRunner().invoke(app, ["audit", str(cfg), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    return out


def test_the_section_accounts_for_every_photo(photos, report):
    _, actas, conflicting, original = photos
    a0, _, a2 = actas[:3]
    (sec,) = json.loads((report / "results.json").read_text())["sections"]["actas"]
    assert sec["source"] == "photos::venezuela-2024/acta-qr" and sec["label"] == "our photos"
    assert sec["folder"] == "photos"
    assert sec["photos"] == {"read": 8, "accepted": 6, "unreadable": 1, "set_aside_by_conflict_rule": 1,
                             "actas": 5, "duplicate_photos": 1, "conflicts": 1, "other_files": 1}
    (unread,) = sec["unreadable"]
    assert unread["reason"] == "no-qr" and unread["meaning"] == "no QR code found"
    assert [f["file"] for f in unread["files"]] == [NOQR]
    assert unread["files"][0]["detail"].startswith("no QR code found: tried region/")
    assert sec["duplicates"] == [{"acta": a0.code, "files": ["00000_Acta.jpg", DUP]}]
    assert sec["conflicts"] == [{
        "acta": a2.code,
        "payloads": [{"payload": a2.payload(), "files": ["00002_Acta.jpg"]},
                     {"payload": conflicting.payload(), "files": ["h_conflict.jpg"]}],
        "differing": [{"figure": "card_PSUV", "by_payload": [a2.cards[0], a2.cards[0] + 7]}],
        "counted": "00002_Acta.jpg"}]
    assert sec["conflict_rule"] == "first"
    assert sec["conflict_rule_text"] == "the first photo in file-name order counts; the others are set aside"


def test_the_acta_whose_photo_disagrees_is_named_with_its_figures(photos, report, load):
    _, actas, _, original = photos
    known = set(load("venezuela-2024/qr-vzlapi").data["unit_id"])
    assert {a.unit_id for a in actas} <= known  # the five actas drawn are all in the published decoding
    nm, valid = original.candidate_totals()["NM"], sum(original.cards)
    (sec,) = json.loads((report / "results.json").read_text())["sections"]["actas"]
    assert sec["disagreements"] == [{
        "compared_with": "venezuela-2024/qr-vzlapi", "label": LABEL, "available": True,
        "matched": 5, "differing": 1,
        "actas": [{"acta": original.unit_id, "file": "i_altered.jpg", "figures": [
            {"figure": "NM", "name": "Nicolás Maduro Moros", "photo": nm + 10, "compared": nm, "difference": 10},
            {"figure": "valid", "name": "valid", "photo": valid + 10, "compared": valid, "difference": 10}]}]}]
    heads = json.loads((report / "results.json").read_text())["headlines"]
    h = next(x for x in heads if x["kind"] == "actas")
    assert h["title"] == "The acta photos"
    assert h["text"].startswith("Our photos: 8 photos read, 6 accepted (5 actas, 1 duplicate photo), 1 unreadable "
                                f"(no QR code found: {NOQR}). 1 acta photographed with different counts")
    assert h["text"].endswith(f"Against venezuela-2024/qr-vzlapi, 1 of 5 actas found in both differs: "
                              f"{original.unit_id} (i_altered.jpg).")


def test_names_are_escaped_in_html_markdown_and_csv(photos, report):
    html = (report / "report.html").read_text()
    assert '<section id="actas">' in html and "<h2>Acta photos</h2>" in html
    assert "f_&lt;img src=x onerror=alert(1)&gt;.jpg" in html and "=dup &amp; &lt;copy&gt;.jpg" in html
    assert "<img" not in html and not [t for t, _ in parsed_tags(html) if t in ("img", "script")]
    assert "i_altered.jpg" in html and "h_conflict.jpg" in html
    md = (report / "report.md").read_text()
    assert "## Acta photos: our photos" in md
    assert r"f\_\<img src=x onerror=alert\(1\)\>.jpg" in md and r"=dup \& \<copy\>.jpg" in md
    from markdown_it import MarkdownIt

    tags = parsed_tags(MarkdownIt("commonmark").render(md))  # what a Markdown viewer shows
    assert not [t for t, _ in tags if t == "script"]
    assert [dict(a)["src"] for t, a in tags if t == "img"] == ["charts/discrepancies-by-region.png"]
    rows = list(csv.DictReader((report / "acta-photos.csv").open(encoding="utf-8")))
    assert [(r["file"], r["finding"], r["reason"]) for r in rows] == [
        (NOQR, "unreadable", "no-qr"), ("00000_Acta.jpg", "duplicate", "same counts"),
        ("'" + DUP, "duplicate", "same counts"), ("00002_Acta.jpg", "conflict", "counted"),
        ("h_conflict.jpg", "conflict", "set aside"), ("i_altered.jpg", "disagrees", "venezuela-2024/qr-vzlapi")]
    assert rows[-1]["detail"].startswith("NM: photo ")
    run = json.loads((report / "run.json").read_text())
    assert "acta-photos.csv" in run["outputs"]


def test_the_section_alone_still_finds_the_disagreement(photos):
    """``sections = ["actas"]``: the reconciliation it needs runs (and is announced) without the compare section."""
    cfg_path = photos[0]
    text = cfg_path.read_text()
    only = cfg_path.with_name("only-actas.toml")
    only.write_text(text.replace('title = "Acta photos"', 'title = "Acta photos"\nsections = ["actas"]'))
    cfg = load_config(only)
    steps = []
    audit = run_audit(cfg, progress=steps.append)
    assert steps == plan_steps(cfg) == [
        "ingest photos::venezuela-2024/acta-qr", "ingest venezuela-2024/qr-vzlapi",
        "compare venezuela-2024/qr-vzlapi / photos::venezuela-2024/acta-qr"]
    assert list(audit.sections) == ["actas"] and audit.charts == []
    (sec,) = audit.sections["actas"]
    assert [a["file"] for g in sec["disagreements"] for a in g["actas"]] == ["i_altered.jpg"]
