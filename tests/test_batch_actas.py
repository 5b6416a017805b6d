"""An actas batch job: a folder of acta photos decoded as Dask tasks on a real LocalCluster (2 workers).

The photos are synthetic (tests/acta_synth.py): five clean actas from the QR decoding's CSV,
a photo without a QR code, a second photo of acta 0 (a duplicate) and acta 2 again with
7 more votes on its first card (a conflict). The job must write byte for byte what the
single `electcheck ingest` and `electcheck compare` write for the same folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("zxingcpp")
pytest.importorskip("segno")

import acta_synth as synth  # noqa: E402
from cli_helpers import run_cli  # noqa: E402
from conftest import ingest_or_skip  # noqa: E402

import electcheck.cli.batch  # noqa: E402,F401  (registers the command)
from electcheck.batch import load_batch_config, run_batch  # noqa: E402
from electcheck.batch.actas import chunk_size  # noqa: E402
from electcheck.errors import InputError  # noqa: E402
from electcheck.sources import acta_images as ai  # noqa: E402

PROFILE = "venezuela-2024/acta-qr"
QR_TALLY = "venezuela-2024/qr-vzlapi"



@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> Path:
    actas = synth.load_actas(synth.qr_csv(), 5)
    d = tmp_path_factory.mktemp("batch-actas") / "photos"
    synth.write_photos(actas, d, seed=23, workers=1)
    a0, a1, a2 = actas[:3]
    synth.acta_photo(a1, d / "f_noqr.jpg", 901, qr=False)
    synth.acta_photo(a0, d / "g_dup.jpg", 906)
    synth.acta_photo(a2.plus_first_card(7),
                     d / "h_conflict.jpg", 907)
    (d / "notes.txt").write_text("not a photo")
    return d


def _config(folder: Path, body: str) -> Path:
    p = folder / "batch.toml"
    p.write_text(body, encoding="utf-8")
    return p


def test_an_actas_job_writes_what_ingest_and_compare_write_byte_for_byte(photos, capsys):
    ingest_or_skip(QR_TALLY)
    root = photos.parent
    cfg = _config(root, f'[[jobs]]\nname = "photos"\ncommand = "actas"\nsource = "photos"\nprofile = "{PROFILE}"\n'
                        f'compare = "{QR_TALLY}"\nchunk = 3\n')
    out = root / "out"
    summary = run_batch(cfg, out, scheduler="local", workers=2)
    (row,) = summary["jobs"]
    assert row["status"] == "ok", row.get("reason")
    f = row["figures"]
    assert {k: f[k] for k in ("photos_read", "photos_accepted", "photos_quarantined", "duplicate_photos",
                               "conflicts", "actas")} == {
        "photos_read": 8, "photos_accepted": 6, "photos_quarantined": 2, "duplicate_photos": 1, "conflicts": 1,
        "actas": 5}
    assert f["chunks"] == 3 and f["decode_workers"] >= 1  # 8 photos, 3 a task: Dask ran three decode tasks
    assert f["photos_per_second"] > 0 and f["decode_seconds"] > 0
    assert {k: f[k] for k in ("matched", "differing", "only_independent")} == {
        "matched": 5, "differing": 0, "only_independent": 0}

    # the single commands on the same folder (the path as the batch resolved it)
    single = root / "single"
    single.mkdir()
    code, stdout, err = run_cli(["ingest", str(photos), "--profile", PROFILE, "-o", str(single / "tally.parquet"),
                                 "--errors", str(single / "quarantine.csv"), "--format", "json", "-q"], capsys)
    assert code == 0, err
    code, _, err = run_cli(["compare", QR_TALLY, f"{photos}::{PROFILE}", "--format", "json",
                            "-o", str(single / "compare.json"), "-q"], capsys)
    assert code == 0, err
    job = out / "photos"
    assert (job / "result.json").read_bytes() == stdout.encode("utf-8")
    for name in ("tally.parquet", "quarantine.csv", "compare.json"):
        assert (job / name).read_bytes() == (single / name).read_bytes(), name

    # a re-run skips the unchanged job; changing one photo's bytes re-runs it
    again = run_batch(cfg, out, scheduler="local", workers=2)
    assert again["jobs"][0]["skipped"] is True
    with open(photos / "00004_Acta.jpg", "ab") as fh:
        fh.write(b"\0")
    third = run_batch(cfg, out, scheduler="threads", workers=2)
    assert third["jobs"][0]["skipped"] is False and third["jobs"][0]["status"] == "ok"
    assert third["jobs"][0]["inputs_sha256"] != row["inputs_sha256"]


def test_a_missing_folder_fails_the_job_in_one_line(tmp_path):
    cfg = _config(tmp_path, f'[[jobs]]\nname = "gone"\ncommand = "actas"\nsource = "no-such-folder"\n'
                            f'profile = "{PROFILE}"\n')
    (row,) = run_batch(cfg, tmp_path / "out", scheduler="threads", workers=1)["jobs"]
    assert row["status"] == "failed" and "no-such-folder" in row["reason"] and "\n" not in row["reason"]


@pytest.mark.parametrize("body, words", [
    ('source = "p"\nresamples = 9\n', "unknown key(s) ['resamples'] for actas"),
    ('profile = "x"\n', "actas needs source"),
    ('source = "p"\nchunk = 0\n', "chunk must be an integer"),
    ('source = "p"\nprofile = 3\n', "profile must be a profile name"),
])
def test_bad_actas_jobs_are_refused_before_anything_runs(tmp_path, body, words):
    cfg = _config(tmp_path, f'[[jobs]]\nname = "a"\ncommand = "actas"\n{body}')
    with pytest.raises(InputError) as e:
        load_batch_config(cfg)
    assert words in str(e.value) and "\n" not in str(e.value)


def test_chunks_cover_every_photo_once_and_merge_back_in_file_order():
    paths = [f"p{i:03d}.jpg" for i in range(10)]
    chunks = ai.photo_chunks(paths, 4)
    assert [len(c) for c in chunks] == [4, 4, 2] and chunks[2] == [(9, "p008.jpg"), (10, "p009.jpg")]
    done = [[ai.ImageResult(i, p, "no-qr") for i, p in c] for c in reversed(chunks)]  # finished last-first
    assert [r.index for r in ai.merge_chunks(done, 10)] == list(range(1, 11))
    with pytest.raises(RuntimeError):
        ai.merge_chunks(done[:2], 10)
    assert chunk_size(25_000, 2) == 200 and chunk_size(500, 2) == 63 and chunk_size(3, 8) == 1


def test_a_decoder_that_loses_a_photo_is_an_error_not_a_smaller_tally(photos):
    def lossy(paths, layout, **kw):
        return ai.decode_all(paths, layout, workers=1, **kw)[:-1]

    with pytest.raises(RuntimeError, match="one result per photo"):
        ai.read_actas(photos, decode=lossy)
