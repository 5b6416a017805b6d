"""`electcheck verify` on an audit whose source is a folder of acta photos.

run.json records the folder as one input (``"kind": "folder"``) pinned by
``acta_images.folder_digest`` (each photo's name and SHA-256, in file order); verify
re-hashes the folder the same way, confined like every other input.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("zxingcpp")
pytest.importorskip("segno")

import acta_synth as synth  # noqa: E402
from cli_helpers import run_cli  # noqa: E402
from conftest import ingest_or_skip  # noqa: E402

from electcheck.errors import InputError  # noqa: E402
from electcheck.report import verify  # noqa: E402
from electcheck.sources import acta_images as ai  # noqa: E402




@pytest.fixture()
def audited(tmp_path, capsys):
    """(root, photo folder, report folder) of an audit of three synthetic photos in sub/ and one without a QR code."""
    ingest_or_skip("venezuela-2024/qr-vzlapi")
    actas = synth.load_actas(synth.qr_csv(), 3)
    photos = tmp_path / "photos"
    synth.write_photos(actas[:2], photos / "sub", seed=31, workers=1)
    synth.acta_photo(actas[2], photos / "c.jpg", 311)
    synth.acta_photo(actas[0], photos / "d_noqr.jpg", 312, qr=False)
    (photos / "notes.txt").write_text("not a photo")
    cfg = tmp_path / "audit.toml"
    cfg.write_text('title = "Photos"\n[[compare]]\nofficial = "venezuela-2024/qr-vzlapi"\n'
                   'independent = "photos::venezuela-2024/acta-qr"\nlabel = "QR decoding against our photos"\n',
                   encoding="utf-8")
    out = tmp_path / "report"
    code, _, err = run_cli(["audit", str(cfg), "-o", str(out), "-q"], capsys)
    assert code == 0, err
    return tmp_path, photos, out


def test_the_folder_is_recorded_with_its_digest_and_verify_passes(audited, capsys):
    root, photos, out = audited
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    (folder,) = [i for i in run["inputs"] if i["source"] == "photos::venezuela-2024/acta-qr"]
    assert folder["kind"] == "folder" and folder["name"] == "photos"
    assert folder["sha256"] == ai.folder_digest(photos)  # the digest ingest took while decoding
    assert all("kind" not in i for i in run["inputs"] if i is not folder)  # file inputs as before
    code, stdout, err = run_cli(["verify", str(out), "--allow-path", str(root)], capsys)
    assert code == 0, stdout + err
    assert "verified: the report re-runs identically" in stdout


@pytest.mark.parametrize("change", ["edit", "rename", "add", "remove"])
def test_changing_the_folder_fails_verify_naming_it(audited, capsys, change):
    root, photos, out = audited
    photo = photos / "sub" / "00001_Acta.jpg"
    if change == "edit":
        data = bytearray(photo.read_bytes())
        data[len(data) // 2] ^= 0xFF  # one byte of one photo
        photo.write_bytes(bytes(data))
    elif change == "rename":
        photo.rename(photos / "sub" / "00009_Acta.jpg")
    elif change == "add":
        synth.acta_photo(synth.load_actas(synth.qr_csv(), 4)[3], photos / "e.jpg", 313)
    else:
        photo.unlink()
    code, stdout, _ = run_cli(["verify", str(out), "--allow-path", str(root)], capsys)
    assert code == 1
    assert "input changed: photos (" in stdout and "NOT verified" in stdout
    res = verify(out, allow_paths=[root])
    assert not res.ok and [c["name"] for c in res.changed_inputs] == ["photos"]


def test_other_files_in_the_folder_do_not_count(audited):
    root, photos, out = audited
    (photos / "notes.txt").write_text("edited notes")
    assert verify(out, allow_paths=[root]).changed_inputs == []


def test_the_folder_is_confined_like_any_input(audited, tmp_path_factory):
    root, photos, out = audited
    with pytest.raises(InputError, match="outside the report folder"):
        verify(out)  # the photos are beside the report, not in it
    # a photo that is a link out of the allowed folders is refused before anything is read
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    outside = elsewhere / "secret.jpg"
    outside.write_bytes((photos / "c.jpg").read_bytes())
    (photos / "z_link.jpg").symlink_to(outside)
    with pytest.raises(InputError) as e:
        verify(out, allow_paths=[root])
    assert "has the photo" in str(e.value) and "z_link.jpg" in str(e.value) and "\n" not in str(e.value)


def test_a_recorded_folder_that_became_a_file_is_missing(audited):
    root, photos, out = audited
    import shutil

    shutil.rmtree(photos)
    photos.write_text("not a folder any more")
    res = verify(out, allow_paths=[root])
    assert not res.ok and res.missing_inputs == ["photos"]
