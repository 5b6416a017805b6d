"""Acta photos → tally (issue 17): payload layouts, decoding, faults, duplicates, conflicts, compare.

The photos are generated at test time (tests/acta_synth.py) from rows of
``qr_resultados_vzlapi.csv``: rotated up to 10°, skewed, blurred, unevenly lit, JPEG
quality 50. The default set is small (60 actas + planted faults); the 500-acta
decode-rate check is marked slow.
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("zxingcpp")
pytest.importorskip("segno")
pytest.importorskip("PIL")

sys.path.insert(0, str(Path(__file__).parent))
import acta_synth as synth  # noqa: E402

from electcheck.errors import InputError  # noqa: E402
from electcheck.sources import acta_images as ai  # noqa: E402
from electcheck.sources.qr_payload import (  # noqa: E402
    PayloadError, layout_from_dict, parse_payload, venezuela_2024)

N_CLEAN = 60
EXAMPLE = ("110601011.04.1.0001!122,1,0,0,4,2,0,0,2,1,0,1,2,1,0,0,0,5,0,2,0,0,0,0,0,0,0,0,1,0,0,0,0,8,22,406,0,1"
           "!0!0")



# --- the payload ----------------------------------------------------------------------------

def test_venezuela_payload_reads_the_vzlapi_example():
    lay = venezuela_2024()
    p = parse_payload(EXAMPLE, lay)
    assert p.code == "110601011.04.1.0001"
    assert len(p.counts) == 38 and p.counts[0] == 122 and p.counts[35] == 406
    assert p.numbers == {"invalid": 0, "qr_invalid": 0}
    totals = p.candidate_totals(lay)
    assert totals["NM"] == sum(p.counts[:13]) and totals["EG"] == 8 + 22 + 406 and totals["BERA"] == 1
    assert sum(totals.values()) == sum(p.counts)


@pytest.mark.parametrize("text, reason, words", [
    ("110601011.04.1.0001!1,2,3!0", "payload-fields", "3 field"),
    ("110601011.04.1.0001!" + ",".join(["1"] * 37) + "!0!0", "payload-count-list", "37 counts"),
    ("110601011.04.1.0001!" + ",".join(["1"] * 37 + ["x"]) + "!0!0", "payload-number", "CONDE"),
    ("110601011.04.1.0001!" + ",".join(["1"] * 38) + "!-1!0", "payload-number", "invalid"),
    ("1106.04!" + ",".join(["1"] * 38) + "!0!0", "payload-code", "does not match"),
    ("https://example.org/", "payload-fields", "1 field"),
])
def test_malformed_payloads_name_their_reason(text, reason, words):
    with pytest.raises(PayloadError) as e:
        parse_payload(text, venezuela_2024())
    assert e.value.reason == reason
    assert words in e.value.message


def test_profile_columns_agree_with_its_qr_cards():
    """The built-in profile is a complete mapping; its [columns]/[extras] are what [qr] generates."""
    from electcheck.sources.profiles import PROFILE_DIR, load_profile

    doc = tomllib.loads((PROFILE_DIR / "venezuela-2024-acta-qr.toml").read_text(encoding="utf-8"))
    lay = venezuela_2024()
    assert [c.name for c in lay.cards] == [c for c, _ in synth.CARDS]
    assert [c.candidate for c in lay.cards] == [synth.CANDIDATE_IDS[k] for _, k in synth.CARDS]
    assert doc["columns"] == lay.candidate_columns()
    assert set(lay.card_columns) <= set(doc["extras"])
    m = load_profile("venezuela-2024/acta-qr")  # loads through the ordinary profile path too
    assert {c.id for c in m.candidates} == set(lay.candidates())


@pytest.mark.parametrize("qr, words", [
    ({"cards": []}, "needs 'cards'"),
    ({"cards": [{"name": "A", "candidate": "X"}], "code": 7}, "'code' must be a field number"),
    ({"cards": [{"name": "A B", "candidate": "X"}, {"name": "A-B", "candidate": "Y"}]}, "share the column"),
    ({"cards": [{"name": "A", "candidate": "X"}], "region": [0, 0.5, 2, 1]}, "'region'"),
    ({"cards": [{"name": "A", "candidate": "X"}], "conflict_rule": "last"}, "conflict_rule"),
    ({"cards": [{"name": "A", "candidate": "X"}], "separatr": "!"}, "unknown key"),
    ({"cards": [{"name": "A", "candidate": "X"}], "code_pattern": "("}, "not a regular expression"),
])
def test_bad_qr_tables_are_refused_in_one_line(qr, words):
    with pytest.raises(InputError) as e:
        layout_from_dict(qr, origin="m.toml")
    assert words in str(e.value)


# --- the folder of photos ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """60 clean acta photos plus planted faults; returns (folder, clean actas, faults, extra acta)."""
    actas = synth.load_actas(synth.qr_csv(), N_CLEAN + 1)
    clean, altered = actas[:N_CLEAN], actas[N_CLEAN]
    d = tmp_path_factory.mktemp("actas")
    synth.write_photos(clean, d, seed=17, workers=2)
    a0, a1, a2, a3 = clean[:4]
    bad37 = f"{a3.code}!{','.join(str(v) for v in a3.cards[:37])}!{a3.null}!{a3.invalid}"
    letter_o = f"{a3.code}!{','.join(['1O'] + [str(v) for v in a3.cards[1:]])}!{a3.null}!{a3.invalid}"
    conflicting = a2.plus_first_card(7)
    # an acta whose photo disagrees with the published figures (+10 for Maduro's first card)
    tampered = altered.plus_first_card(10)
    faults = {
        "f_noqr.jpg": ("no-qr", lambda p: synth.acta_photo(a1, p, 901, qr=False)),
        "f_cropped.jpg": ("no-qr", lambda p: synth.acta_photo(a1, p, 902, crop_bottom=0.855, max_angle=3)),
        "f_37numbers.jpg": ("payload-count-list", lambda p: synth.acta_photo(a3, p, 903, payload=bad37)),
        "f_text.jpg": ("payload-number", lambda p: synth.acta_photo(a3, p, 904, payload=letter_o)),
        "f_fields.jpg": ("payload-fields", lambda p: synth.acta_photo(a3, p, 905, payload=a3.payload() + "!9")),
        "f_broken.jpg": ("not-an-image", lambda p: p.write_bytes(b"\xff\xd8\xff\xe0 this is not a jpeg")),
    }
    for name, (_, make) in faults.items():
        make(d / name)
    # duplicates: another photo of acta 0; an exact copy (PNG) of acta 1's photo
    synth.acta_photo(a0, d / "g_dup_photo.jpg", 906)
    page = synth.render_page(a1, a1.payload(), seed=17 * 100_003 + 1)
    synth.save(page, d / "g_dup_scan.png")
    # conflict: acta 2 again, with 7 more votes on its first card (sorts after 00002_Acta.jpg)
    synth.acta_photo(conflicting, d / "h_conflict.jpg", 907)
    synth.acta_photo(tampered, d / "i_tampered.jpg", 908)
    (d / "notes.txt").write_text("not a photo")
    return d, clean, {k: v[0] for k, v in faults.items()}, tampered, conflicting


@pytest.fixture(scope="module")
def read(folder):
    d = folder[0]
    calls = []
    r = ai.read_actas(d, workers=2, chunksize=8, progress=lambda done, total: calls.append((done, total)))
    r.progress_calls = calls
    return r


def test_every_photo_is_accounted_for(folder, read):
    d, clean, faults, *_ = folder
    n_photos = len(clean) + len(faults) + 4  # + two duplicates, the conflict and the tampered acta
    assert read.images_read == n_photos
    assert read.images_accepted + read.images_quarantined == read.images_read
    assert read.units == len(clean) + 1  # the tampered acta is one more unit
    assert read.duplicates == 2
    assert read.other_files and read.other_files[0].endswith("notes.txt")
    assert read.progress_calls[-1] == (n_photos, n_photos)
    assert [c[0] for c in read.progress_calls] == sorted(c[0] for c in read.progress_calls)


def test_every_clean_acta_is_reproduced_exactly(folder, read):
    d, clean, *_ = folder
    cells = read.raw.cells.set_index("code")
    lay = venezuela_2024()
    for a in clean:
        row = cells.loc[a.code]
        assert [int(row[c]) for c in lay.card_columns] == a.cards, a.code
        assert int(row["invalid"]) == a.null and int(row["qr_invalid"]) == a.invalid
    strategies = read.by_strategy()
    assert sum(strategies.values()) == read.images_decoded == read.images_accepted + 1  # + the conflict set aside
    assert set(strategies) <= {v.replace("/N", "/2") for v in ai.STRATEGIES}


def test_each_fault_is_quarantined_with_its_reason(folder, read):
    d, _, faults, *_ = folder
    got = {Path(q.file).name: q for q in read.raw.quarantine}
    for name, reason in faults.items():
        assert name in got, name
        assert got[name].column == reason, (name, got[name].reason)
        assert got[name].reason.startswith(ai.REASONS[reason])
        assert got[name].hint
    assert "37 counts" in got["f_37numbers.jpg"].reason and "38 cards" in got["f_37numbers.jpg"].reason
    assert got["f_noqr.jpg"].cells == "tried: " + ", ".join(v.replace("/N", "/2") for v in ai.STRATEGIES)
    assert got["f_37numbers.jpg"].value.count(",") == 36
    rows = sorted(q.row for q in read.raw.quarantine)
    assert len(set(rows)) == len(rows)  # the row is the photo's position in file order


def test_duplicates_are_one_unit_with_a_finding_naming_both_files(folder, read):
    d, clean, *_ = folder
    f = next(x for x in read.findings if x.code == "acta-photo-duplicate")
    pairs = {e["code"]: [Path(p).name for p in e["files"]] for e in f.evidence["duplicates"]}
    assert pairs[clean[0].code] == ["00000_Acta.jpg", "g_dup_photo.jpg"]
    assert pairs[clean[1].code] == ["00001_Acta.jpg", "g_dup_scan.png"]
    assert (read.raw.cells["code"] == clean[0].code).sum() == 1


def test_a_conflict_names_both_payloads_and_the_rule(folder, read):
    d, clean, faults, tampered, conflicting = folder
    f = next(x for x in read.findings if x.code == "acta-photo-conflict")
    assert f.severity == "error" and "first photo in file-name order counts" in f.message
    (entry,) = f.evidence["conflicts"]
    assert entry["code"] == clean[2].code
    assert [e["payload"] for e in entry["payloads"]] == [clean[2].payload(), conflicting.payload()]
    assert [Path(x).name for e in entry["payloads"] for x in e["files"]] == ["00002_Acta.jpg", "h_conflict.jpg"]
    assert Path(entry["counted"]).name == "00002_Acta.jpg"
    q = next(q for q in read.raw.quarantine if q.file.endswith("h_conflict.jpg"))
    assert q.column == "conflict" and q.value == conflicting.payload()
    row = read.raw.cells.set_index("code").loc[clean[2].code]
    assert int(row["card_PSUV"]) == clean[2].cards[0]


def test_conflict_rule_none_counts_neither_photo(folder, read):
    import dataclasses

    lay = dataclasses.replace(venezuela_2024(), conflict_rule="none")
    r = ai.assemble(read.images, lay)
    assert clean_code_absent(r, folder[1][2].code)
    assert r.images_accepted + r.images_quarantined == r.images_read
    f = next(x for x in r.findings if x.code == "acta-photo-conflict")
    assert f.evidence["conflicts"][0]["counted"] is None and "no photo" in f.message


def clean_code_absent(r, code) -> bool:
    return not (r.raw.cells["code"] == code).any()


def test_one_process_gives_the_same_result(folder, read):
    d = folder[0]
    sub = d.parent / "actas_sub"
    sub.mkdir(exist_ok=True)
    for name in ("00000_Acta.jpg", "00005_Acta.jpg", "f_noqr.jpg", "f_37numbers.jpg", "g_dup_photo.jpg"):
        shutil.copy(d / name, sub / name)
    one = ai.read_actas(sub, workers=1)
    two = ai.read_actas(sub, workers=2, chunksize=1)
    assert one.raw.cells.drop(columns=["file", "files"]).equals(two.raw.cells.drop(columns=["file", "files"]))
    assert [(q.row, q.column) for q in one.raw.quarantine] == [(q.row, q.column) for q in two.raw.quarantine]
    assert one.summary()["by_reason"] == {"no-qr": 1, "payload-count-list": 1}


# --- the tally: ingest and compare ---------------------------------------------------------

@pytest.fixture(scope="module")
def ingested(folder):
    return ai.ingest_actas(folder[0], profile="venezuela-2024/acta-qr", workers=2)


def test_ingest_builds_the_tally_with_cards_and_candidate_sums(folder, ingested):
    d, clean, *_ = folder
    t, rep = ingested.tally, ingested.report
    assert rep.rows_read == rep.rows_accepted + rep.rows_quarantined
    assert rep.rows_accepted == len(clean) + 1
    assert rep.rows_outside_selection == {"photos of an acta already read (same QR payload)": 2}
    data = t.data.set_index("unit_id")
    for a in clean:
        row = data.loc[a.unit_id]
        for cid, v in a.candidate_totals().items():
            assert row[cid] == v, (a.code, cid)
        assert row["valid"] == sum(a.cards) and row["invalid"] == a.null
        assert row["card_UNTC"] == a.cards[33]
    assert data.loc[clean[0].unit_id, "photo"].endswith("00000_Acta.jpg")
    codes = {f.code for f in rep.findings}
    assert {"acta-photos", "acta-photo-duplicate", "acta-photo-conflict", "rows-quarantined"} <= codes
    photos = next(f for f in rep.findings if f.code == "acta-photos").evidence
    assert photos["images_read"] == photos["images_accepted"] + photos["images_quarantined"]
    assert t.meta.inputs[0].rows == photos["images_read"] and len(t.meta.inputs[0].sha256) == 64
    assert t.meta.source == "venezuela-2024/acta-qr" and t.meta.hierarchy == ["state", "municipality", "parish",
                                                                              "centre"]


def test_compare_names_the_acta_whose_photo_disagrees(folder, ingested, load):
    """Against the shipped QR decoding: 0 differing among the clean actas; the tampered photo is named."""
    from electcheck.compare import reconcile

    d, clean, faults, tampered, _ = folder
    qr = load("venezuela-2024/qr-vzlapi")
    res = reconcile(qr, ingested.tally)
    known = set(qr.data["unit_id"])
    in_qr = [a for a in clean if a.unit_id in known]
    assert len(in_qr) >= 0.9 * len(clean)
    differing = set(res.discrepancies["unit_id"])
    assert not differing & {a.unit_id for a in clean}
    if tampered.unit_id in known:
        assert differing == {tampered.unit_id}
        row = res.discrepancies.set_index("unit_id").loc[tampered.unit_id]
        assert row["NM_diff"] == -10  # official − independent
    assert res.units["matched"] == len(in_qr) + (tampered.unit_id in known)


def test_units_join_the_opposition_csv(folder, ingested, load):
    v2 = load("venezuela-2024/opposition-v2")
    shared = set(v2.data["unit_id"]) & set(ingested.tally.data["unit_id"])
    assert len(shared) >= 0.8 * len(folder[1])


# --- another country's payload, described in a mapping ---------------------------------------

def test_a_mapping_with_a_qr_table_reads_another_layout(tmp_path):
    """A made-up layout: 'v1;CODE;a|b|c;blank' with three cards for two candidates."""
    qr_toml = '''
[source]
name = "elsewhere-2030"
kind = "independent"
unit_level = "polling station"

[qr]
separator = ";"
fields = 4
code = 2
code_pattern = '^PS-\\d{4}$'
counts = 3
list_separator = "|"
cards = [{name = "Red Party", candidate = "A"}, {name = "Blue", candidate = "B"}, {name = "Red List", candidate = "A"}]
[qr.numbers]
blank = 4
'''
    (tmp_path / "m.toml").write_text(qr_toml, encoding="utf-8")
    photos = tmp_path / "photos"
    photos.mkdir()
    payloads = {"PS-0001": "v1;PS-0001;10|20|5;2", "PS-0002": "v1;PS-0002;0|7|1;0"}
    for i, p in enumerate(payloads.values()):
        synth.acta_photo(None, photos / f"p{i}.png", i, payload=p, distort=False)
    synth.acta_photo(None, photos / "p9.png", 9, payload="v1;PS-0003;1|2;0", distort=False)
    res = ai.ingest_actas(photos, mapping=tmp_path / "m.toml", workers=1)
    data = res.tally.data.set_index("unit_id")
    assert data.loc["PS-0001", "A"] == 15 and data.loc["PS-0001", "B"] == 20
    assert data.loc["PS-0002", "blank"] == 0 and data.loc["PS-0002", "card_Red_List"] == 1
    (q,) = res.report.quarantine
    assert q.column == "payload-count-list" and q.file.endswith("p9.png")
    assert res.report.rows_read == 3


def test_a_mapping_without_qr_table_is_refused(tmp_path):
    (tmp_path / "m.toml").write_text('[source]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"no \[qr\] table"):
        ai.load_acta_mapping(mapping=tmp_path / "m.toml")


def test_missing_folder_is_one_line(tmp_path):
    with pytest.raises(InputError, match="folder not found"):
        ai.read_actas(tmp_path / "nope", workers=1)
    (tmp_path / "t.csv").write_text("a,b\n")
    with pytest.raises(InputError, match="not a photo"):
        ai.read_actas(tmp_path / "t.csv", workers=1)


def test_an_empty_folder_reads_no_photos_with_a_warning(tmp_path):
    (tmp_path / "readme.txt").write_text("nothing here")
    res = ai.ingest_actas(tmp_path, profile="venezuela-2024/acta-qr", workers=1)
    assert res.report.rows_read == 0 and len(res.tally.data) == 0
    assert res.report.findings[0].code == "no-data-rows"


# --- the decode rate on 500 distorted photos -------------------------------------------------

@pytest.mark.slow
def test_at_least_99_percent_of_500_distorted_photos_decode(tmp_path):
    actas = synth.load_actas(synth.qr_csv(), 500)
    synth.write_photos(actas, tmp_path, seed=5, workers=2)
    r = ai.read_actas(tmp_path, workers=2)
    assert r.images_read == 500
    decoded = r.images_accepted
    assert decoded >= 495, r.summary()
    cells = r.raw.cells.set_index("code")
    lay = venezuela_2024()
    for a in actas:
        if a.code in cells.index:
            assert [int(cells.loc[a.code, c]) for c in lay.card_columns] == a.cards
    # and compare against the shipped QR decoding finds no differing acta
    from electcheck.compare import reconcile
    from electcheck.ingest import ingest

    m, _ = ai.load_acta_mapping("venezuela-2024/acta-qr")
    res = reconcile(ingest("venezuela-2024/qr-vzlapi").tally, ai.result_from_read(r, m).tally)
    assert res.units["matched"] >= 0.9 * decoded and res.units["differing"] == 0


def test_ingest_reads_a_folder_when_the_dispatch_is_wired(folder, tmp_path):
    """`electcheck ingest DIR --profile venezuela-2024/acta-qr` through electcheck.ingest.ingest."""
    from electcheck.ingest import ingest

    d, clean, *_ = folder
    sub = tmp_path / "few"
    sub.mkdir()
    for name in ("00000_Acta.jpg", "00001_Acta.jpg", "f_noqr.jpg"):
        shutil.copy(d / name, sub / name)
    try:
        res = ingest(str(sub), profile="venezuela-2024/acta-qr")
    except InputError as e:
        pytest.skip(f"needs the ingest dispatch (electcheck/ingest/__init__.py, see docs/actas.md): {e}")
    assert res.report.rows_read == 3 and res.report.rows_accepted == 2
    assert set(res.tally.data["unit_id"]) == {clean[0].unit_id, clean[1].unit_id}


def test_fallback_views_read_what_the_fast_view_misses(folder, tmp_path):
    """Upside down (the QR code at the top: outside the likely region) and a dim, flat photo."""
    from PIL import Image, ImageOps

    d, clean, *_ = folder
    src = Image.open(d / "00004_Acta.jpg")
    src.rotate(180).save(tmp_path / "upside_down.jpg", quality=50)
    ImageOps.autocontrast(src, cutoff=0).point(lambda v: 90 + v // 6).save(tmp_path / "dim.jpg", quality=50)
    lay = venezuela_2024()
    up = ai.decode_image(tmp_path / "upside_down.jpg", lay)
    assert up.status == "ok" and up.strategy != "region/2" and up.tried[0] == "region/2"
    assert up.payload.counts == tuple(clean[4].cards)
    dim = ai.decode_image(tmp_path / "dim.jpg", lay)
    assert dim.status == "ok" and dim.payload.code == clean[4].code
    big = ai.decode_image(d / "00004_Acta.jpg", lay, max_pixels=1000)
    assert big.status == "image-too-large" and "pixels" in big.message
