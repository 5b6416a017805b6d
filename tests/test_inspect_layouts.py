"""inspect on seven synthetic layouts (tests/fixtures/layouts) and on the shipped datasets:
the draft ingests with the right totals after at most one edit, the election's name.

Expected totals are computed here from the fixture's cells with the csv module, independently
of electcheck's readers and number parser. The table in docs/inspect.md reports these runs.
"""

from __future__ import annotations

import csv
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from electcheck.cli import app
from electcheck.ingest import ingest
from electcheck.sources.mapping import load_mapping

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
EDIT = ('election = ""', 'election = "Test election"')

# file: (delimiter, title lines, {field: columns summed}, candidate columns, codebook, key parts, levels)
SPECS = {
    "en_stations.csv": (",", 0, {"registered": ["REG VOTERS"], "valid": ["VALID VOTES"],
                                 "invalid": ["INVALID VOTES"], "ballots": ["TOTAL VOTES"]},
                        ["AMONG SARAH", "OKELLO JAMES", "NAMUKASA RUTH"], None,
                        ["district_code", "constituency_code", "parish_code", "station_code"],
                        ["district", "constituency", "parish", "station"]),
    "fr_bureaux.csv": (";", 0, {"registered": ["Inscrits"], "ballots": ["Votants"], "blank": ["Blancs"],
                                "invalid": ["Nuls"], "valid": ["Exprimés"]},
                       ["DUPONT Marie", "MARTIN Paul", "LEROY Anne"], None, ["Code commune", "N° BV"],
                       ["department", "municipality"]),
    "pt_secoes.csv": (";", 2, {"registered": ["Eleitores aptos"], "ballots": ["Comparecimento"],
                               "blank": ["Votos brancos"], "invalid": ["Votos nulos"],
                               "valid": ["ANA SOUZA", "JOÃO LIMA"]},
                      ["ANA SOUZA", "JOÃO LIMA"], None, ["Código do município", "Zona", "Seção"],
                      ["state", "municipality", "zone"]),
    "id_tps.csv": (",", 0, {"registered": ["DPT"], "ballots": ["Pengguna Hak Pilih"], "valid": ["Suara Sah"],
                            "invalid": ["Suara Tidak Sah"]},
                   ["Paslon 01", "Paslon 02"], None, ["Kecamatan", "Kelurahan/Desa", "TPS"],
                   ["province", "regency", "district", "village"]),
    "ru_uik.csv": (",", 0, {"registered": ["Число избирателей, включенных в список избирателей"],
                            "ballots": ["Число избирательных бюллетеней в переносных ящиках для голосования",
                                        "Число избирательных бюллетеней в стационарных ящиках для голосования"],
                            "invalid": ["Число недействительных избирательных бюллетеней"],
                            "valid": ["Число действительных избирательных бюллетеней"]},
                   ["Иванов Иван Иванович", "Петрова Анна Сергеевна", "Сидоров Пётр Ильич"], None, ["УИК"],
                   ["region", "territorial_commission"]),
    "es_compuesta.csv": (",", 0, {"registered": ["Electores"], "ballots": ["Votantes"],
                                  "valid": ["Votos válidos"], "invalid": ["Votos nulos"]},
                         ["Candidata A", "Candidato B", "Candidato C"], None,
                         ["Cod. Estado", "Cod. Municipio", "Centro", "Mesa"], ["state", "municipality", "centre"]),
    "coded_precincts.csv": (",", 0, {"registered": ["registered"], "ballots": ["voted"], "invalid": ["invalid"],
                                     "valid": ["p_1", "p_4", "p_5", "p_41"]},
                            ["p_1", "p_4", "p_5", "p_41"], "coded_parties.csv", ["precinct_id"], ["district"]),
    "ru_lines.csv": (",", 0, {"registered": ["1"], "invalid": ["9"], "valid": ["10"]},
                     ["19", "20"], "ru_lines_codebook.csv", ["uik"], []),
}


def _expected(name: str) -> tuple[dict[str, int], int]:
    delim, skip, fields, cands, *_ = SPECS[name]
    with open(LAYOUTS / name, encoding="utf-8", newline="") as f:
        for _ in range(skip):
            f.readline()
        rows = list(csv.DictReader(f, delimiter=delim))
    num = lambda v: int(re.sub(r"[ .,]", "", v))  # noqa: E731 (every fixture holds whole numbers)
    totals = {col: sum(num(r[col]) for r in rows) for col in cands}
    totals.update({fld: sum(num(r[c]) for r in rows for c in cols) for fld, cols in fields.items()})
    return totals, len(rows)


def _draft(tmp_path: Path, name: str) -> tuple[Path, Path, int]:
    """inspect NAME -o map.toml in a fresh folder, then the one allowed edit; returns (file, map, edits)."""
    codebook = SPECS[name][4]
    for f in [name] + ([codebook] if codebook else []):
        shutil.copy(LAYOUTS / f, tmp_path / f)
    args = ["inspect", str(tmp_path / name), "-o", str(tmp_path / "map.toml"), "-q"]
    if codebook:
        args += ["--codebook", str(tmp_path / codebook)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    mp = tmp_path / "map.toml"
    draft = mp.read_text(encoding="utf-8")
    assert draft.count(EDIT[0]) == 1
    mp.write_text(draft.replace(*EDIT), encoding="utf-8")
    return tmp_path / name, mp, 1


@pytest.mark.parametrize("name", sorted(SPECS))
def test_layout_draft_ingests_with_right_totals(tmp_path, name):
    path, mp, edits = _draft(tmp_path, name)
    assert edits <= 1
    expected, n_rows = _expected(name)
    m = load_mapping(mp)
    r = ingest(path, mapping=mp)
    assert r.report.rows_quarantined == 0 and r.report.rows_read == n_rows
    assert not [f.code for f in r.report.findings if f.code in ("duplicate-key", "rows-quarantined")]
    t = r.tally.totals()
    _, _, fields, cands, codebook, key, levels = SPECS[name]
    # exactly the expected candidate columns, with the right totals
    by_column = {c.column: c.id for c in m.candidates}
    assert sorted(by_column) == sorted(cands)
    assert {col: t[cid] for col, cid in by_column.items()} == {c: expected[c] for c in cands}
    for fld in fields:
        assert t[fld] == expected[fld], fld
    assert [p.column for p in m.key] == key
    assert [lv.level for lv in m.hierarchy] == levels
    assert r.tally.data["unit_id"].is_unique
    assert m.election == "Test election"


def test_codebook_names_the_candidates(tmp_path):
    path, mp, _ = _draft(tmp_path, "coded_precincts.csv")
    doc = tomllib.loads(mp.read_text(encoding="utf-8"))
    assert "candidates" not in doc and doc["codebook"]["column"] == "p_{code}"
    assert doc["codebook"]["codes"] == ["1", "4", "5", "41"]  # Lelo (36) is not in the file
    names = {c.column: c.name for c in load_mapping(mp).candidates}
    assert names == {"p_1": "Georgian Dream", "p_4": "United National Movement", "p_5": "For Georgia",
                     "p_41": "Strength Is in Unity"}


def test_code_name_cells_give_the_hierarchy(tmp_path):
    path, mp, _ = _draft(tmp_path, "en_stations.csv")
    data = ingest(path, mapping=mp).tally.data
    first = data.iloc[0]
    assert (first["district_code"], first["district"]) == ("101", "KAMPALA")
    assert first["station"] == "NAKASERO PRIMARY SCHOOL A"
    # constituency "001" exists in both districts: nested codes keep them apart
    assert data["constituency_code"].nunique() == 4
    draft = mp.read_text(encoding="utf-8")
    assert "# Running numbers (1..N), not votes: ORDER" in draft
    assert '"ORDER"' not in draft.split("[key]")[1].split("\n")[1]


# --- the shipped datasets ----------------------------------------------------------

def _shipped(name: str) -> Path:
    from electcheck.sources import registry

    ds = registry.DATASETS[name]
    p = registry.local_path(ds.file)
    if p is None:
        pytest.skip(f"{ds.file} not in $ELECTCHECK_DATA_DIR")
    return p


@pytest.mark.parametrize("name,totals", [
    ("venezuela-2000", {"chavez": 3_757_773, "arias": 2_359_459}),
    ("venezuela-2024/qr-vzlapi", None),
])
def test_shipped_drafts_read_without_edits(tmp_path, name, totals):
    from electcheck.sources.inspect import draft_mapping, inspect_file
    from electcheck.sources.mapping import mapping_from_dict

    path = _shipped(name)
    draft = draft_mapping(inspect_file(path)).replace(*EDIT)
    r = ingest(path, mapping=mapping_from_dict(tomllib.loads(draft)))
    assert r.report.rows_quarantined == 0
    official = ingest(name).tally.totals()
    t = r.tally.totals()
    m = mapping_from_dict(tomllib.loads(draft))
    by_column = {c.column.lower(): t[c.id] for c in m.candidates}
    assert by_column  # the candidates were drafted
    if totals:
        assert {k: by_column[k] for k in totals} == totals
    for f in ("registered", "invalid"):
        if f in official and f in t and official[f] is not None:
            assert t[f] == official[f], f
