"""inspect and mappings on hostile input: no overwritten files, drafts that round-trip any header,
a terminal summary without control characters, includes and codebooks confined to the mapping's folder,
and unreadable count cells listed rather than dropped."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from cli_helpers import run_cli
from electcheck.errors import InputError
from electcheck.ingest import ingest
from electcheck.sources.inspect import ascii_digits, classify_header, draft_mapping, inspect_file
from electcheck.sources.mapping import load_mapping, mapping_from_dict

CSV = "Mesa,Electores,Ana,Luis\n1,100,40,50\n2,120,60,40\n3,90,30,41\n"


@pytest.fixture
def tally_file(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text(CSV, encoding="utf-8")
    return p


def test_o_refuses_an_existing_file_without_force(tally_file, tmp_path, capsys):
    out = tmp_path / "m.toml"
    out.write_text("keep me", encoding="utf-8")
    code, _, err = run_cli(["inspect", str(tally_file), "-o", str(out)], capsys)
    assert code == 2 and out.read_text(encoding="utf-8") == "keep me"
    assert err.count("\n") == 1 and "--force" in err
    code, _, _ = run_cli(["inspect", str(tally_file), "-o", str(out), "--force", "-q"], capsys)
    assert code == 0 and out.read_text(encoding="utf-8").startswith("# Draft mapping")


@pytest.mark.parametrize("how", ["same", "relative", "hardlink", "symlink"])
def test_o_never_replaces_the_input_even_with_force(tally_file, tmp_path, capsys, monkeypatch, how):
    target = tally_file
    if how == "relative":
        monkeypatch.chdir(tmp_path)
        target = Path("sub/../t.csv")
        (tmp_path / "sub").mkdir()
    elif how == "hardlink":
        target = tmp_path / "link.csv"
        os.link(tally_file, target)
    elif how == "symlink":
        target = tmp_path / "sym.csv"
        target.symlink_to(tally_file)
    code, _, err = run_cli(["inspect", str(tally_file), "-o", str(target), "--force"], capsys)
    assert code == 2 and "input" in err and err.count("\n") == 1
    assert tally_file.read_text(encoding="utf-8") == CSV


HOSTILE = ['Ana "la" Pérez', "back\\slash", "esc\x1b[31mred\x1b[0m", "tab\there", "bell\x07",
           "ünïcödé ✓", "'single'", "#hash", "[brackets]", "x = 1"]


def test_any_header_round_trips_through_the_draft(tmp_path, capsys):
    import csv

    p = tmp_path / "h.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Mesa", *HOSTILE])
        for i in range(1, 4):
            w.writerow([i, *[10 * i + j for j in range(len(HOSTILE))]])
    draft = draft_mapping(inspect_file(p))
    doc = tomllib.loads(draft)  # valid TOML whatever the headers hold
    assert sorted(c["column"] for c in doc["candidates"]) == sorted(HOSTILE)
    r = ingest(p, mapping=mapping_from_dict(doc))
    assert r.report.rows_quarantined == 0
    # the terminal summary and the draft's comments hold no control characters
    code, out, err = run_cli(["inspect", str(p)], capsys)
    assert code == 0
    assert "\x1b" not in err and "\x07" not in err
    for line in out.splitlines():
        if "#" in line:
            comment = line.split("#", 1)[1]
            assert "\x1b" not in comment and "\x07" not in comment
    assert tomllib.loads(out) == doc


def test_unreadable_cells_are_kept_and_listed(tmp_path):
    p = tmp_path / "u.csv"
    rows = ["Mesa,Electores,Ana,Luis"] + [f"{i},{100 + i},{40 + i},{50 + i}" for i in range(1, 9)]
    rows += ["9,109,\"1.234,5\",51", "10,110,\u0664\u0665,52", "11,111,\uff14\uff16,53"]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ins = inspect_file(p)
    ana = next(c for c in ins.columns if c.name == "Ana")
    assert ana.role == "count" and ana.unreadable == 3 and ana.other_digits == 2
    assert "1.234,5" in ana.unreadable_examples and "\u0664\u0665" in ana.unreadable_examples
    draft = draft_mapping(ins)
    assert 'column = "Ana"' in draft
    note = next(line for line in draft.splitlines() if line.startswith("# NOTE: column 'Ana'"))
    assert "'1.234,5'" in note and "'45'" in note
    assert ascii_digits("\uff14\uff16") == "46" and ascii_digits("\u0661\u066c\u0662\u0663\u0664") == "1,234"


@pytest.mark.parametrize("header,kind,target", [
    ("REG VOTERS", "field", "registered"), ("INVALID VOTES", "field", "invalid"), ("VALID VOTES", "field", "valid"),
    ("TOTAL VOTES", "field", "ballots"), ("Electores", "field", "registered"), ("votos emitidos", "field", "ballots"),
    ("Votos en blanco", "field", "blank"), ("Eleitores", "field", "registered"), ("Brancos", "field", "blank"),
    ("Inscrits", "field", "registered"), ("Exprimés", "field", "valid"), ("Nuls", "field", "invalid"),
    ("Votants", "field", "ballots"), ("DPT", "field", "registered"), ("Suara Sah", "field", "valid"),
    ("Suara Tidak Sah", "field", "invalid"), ("Pengguna Hak Pilih", "field", "ballots"),
    ("Число избирателей, включенных в список", "field", "registered"),
    ("Число недействительных бюллетеней", "field", "invalid"),
    ("Число действительных бюллетеней", "field", "valid"),
    ("Число погашенных бюллетеней", "extra", ""), ("Ballots issued", "extra", ""),
])
def test_header_vocabulary(header, kind, target):
    hit = classify_header(header)
    assert hit is not None and (hit.kind, hit.target) == (kind, target)


def test_candidate_names_are_not_fields():
    for name in ("Ana Pérez", "MUSEVENI YOWERI", "Paslon 01", "Путин Владимир Владимирович", "Georgian Dream"):
        assert classify_header(name) is None, name


# --- mapping: include and codebook confined to the mapping's folder --------------------

def _write_mapping(folder: Path, extra: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    m = folder / "m.toml"
    top = "\n".join(line for line in extra.splitlines() if line.startswith("include"))
    rest = "\n".join(line for line in extra.splitlines() if not line.startswith("include"))
    m.write_text(top + '\n[key]\nparts = ["Mesa"]\n' + rest + "\n", encoding="utf-8")
    return m


def test_include_outside_the_folder_is_refused(tmp_path):
    (tmp_path / "shared.toml").write_text('[[candidates]]\nid = "ana"\ncolumn = "Ana"\n', encoding="utf-8")
    m = _write_mapping(tmp_path / "maps", 'include = "../shared.toml"\n')
    with pytest.raises(InputError, match="outside the mapping's folder") as e:
        load_mapping(m)
    assert "--allow-path" in str(e.value)
    for bad in ("/etc/hostname", "../../../../etc/passwd"):
        with pytest.raises(InputError, match="outside"):
            load_mapping(_write_mapping(tmp_path / "maps", f'include = "{bad}"\n'))
    ok = load_mapping(_write_mapping(tmp_path / "maps", 'include = "../shared.toml"\n'),
                      allow_paths=[tmp_path / "shared.toml"])
    assert [c.id for c in ok.candidates] == ["ana"]


def test_include_through_a_symlink_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "secret.toml").write_text('[[candidates]]\nid = "x"\ncolumn = "X"\n', encoding="utf-8")
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "inner.toml").symlink_to(tmp_path / "secret.toml")
    with pytest.raises(InputError, match="outside"):
        load_mapping(_write_mapping(maps, 'include = "inner.toml"\n'))


def test_include_inside_the_folder_is_read(tmp_path):
    (tmp_path / "maps" / "sub").mkdir(parents=True)
    (tmp_path / "maps" / "sub" / "c.toml").write_text('[[candidates]]\nid = "ana"\ncolumn = "Ana"\n',
                                                      encoding="utf-8")
    assert [c.id for c in load_mapping(_write_mapping(tmp_path / "maps", 'include = "sub/c.toml"\n')).candidates] \
        == ["ana"]


def test_codebook_outside_the_folder_is_refused(tmp_path):
    (tmp_path / "cb.csv").write_text("code,name\n1,Ana\n", encoding="utf-8")
    m = _write_mapping(tmp_path / "maps", '[codebook]\nfile = "../cb.csv"\n')
    with pytest.raises(InputError, match="outside"):
        load_mapping(m)
    assert [c.name for c in load_mapping(m, allow_paths=[tmp_path]).candidates] == ["Ana"]


@pytest.mark.parametrize("text,message", [
    ("name\nAna\n", "needs columns 'code' and 'name'"),
    ("code,name,kind\n1,Ana,wizard\n", "unknown kind"),
    ("code,name\n1,Ana\n01,Luis\n", "listed twice"),
    ("code,name,kind,field\n1,Registered,field,electors\n", "unknown field"),
])
def test_bad_codebooks_are_one_line_errors(tmp_path, text, message):
    (tmp_path / "cb.csv").write_text(text, encoding="utf-8")
    m = _write_mapping(tmp_path, '[codebook]\nfile = "cb.csv"\n')
    with pytest.raises(InputError, match=message) as e:
        load_mapping(m)
    assert "\n" not in str(e.value)


def test_codebook_fields_and_explicit_tables_win(tmp_path):
    (tmp_path / "cb.csv").write_text(
        "code,name,kind,field,id\n1,Registered electors,field,,\n7,Portable,field,ballots,\n8,Stationary,field,ballots,\n"
        "19,Ana Pérez,candidate,,ana\n20,Luis,candidate,,\n", encoding="utf-8")
    m = load_mapping(_write_mapping(tmp_path, '[codebook]\nfile = "cb.csv"\ncolumn = "L{code}"\n'
                                    '[[candidates]]\nid = "luis_by_hand"\ncolumn = "L20"\nname = "Luis G."\n'))
    assert m.fields == {"registered": "L1", "ballots": ["L7", "L8"]}
    assert {c.id: (c.column, c.name) for c in m.candidates} == {"luis_by_hand": ("L20", "Luis G."),
                                                               "ana": ("L19", "Ana Pérez")}
