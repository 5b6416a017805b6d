"""Generators of hostile inputs, each written into a folder given by the test (``tmp_path``).

Each function returns the path it wrote. Sizes are the ones of the issue (#16): a 21 MB header
with 2,000,000 columns, a 300 MB line without a newline, a gzip of under 1 MB that expands to
30 million rows, a link to /dev/zero, a FIFO, a 10 MB name.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

MAPPING = """[source]
name = "hostile"
unit_level = "table"

[fields]
valid = "valid"

[[hierarchy]]
level = "state"
name = "state"

[[hierarchy]]
level = "centre"
code = "centre"

[key]
parts = ["centre", {column = "table", pad = 2}]

[[candidates]]
id = "A"
column = "A"
name = "CAND_A"

[[candidates]]
id = "B"
column = "B"
name = "CAND_B"
"""

HEADER = "state,centre,table,A,B,valid\n"

#: names that must never become HTML, a link or an image in any Markdown output
HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "![t](http://evil.example/t.png)",
    "[x](javascript:alert(1))",
]


def mapping(d: Path, cand_a: str = "Alpha", cand_b: str = "Beta", name: str = "map.toml") -> Path:
    from electcheck.escape import toml_string

    p = d / name
    p.write_text(MAPPING.replace('"CAND_A"', toml_string(cand_a)).replace('"CAND_B"', toml_string(cand_b)),
                 encoding="utf-8")
    return p


def small_csv(d: Path, name: str = "t.csv", states=("North", "South")) -> Path:
    rows = [HEADER]
    for i in range(12):
        a, b = 10 + i, 5 + (i % 3)
        rows.append(f"{_csv(states[i % len(states)])},{100 + i // 2},{i % 2 + 1},{a},{b},{a + b}\n")
    p = d / name
    p.write_text("".join(rows), encoding="utf-8")
    return p


def _csv(s: str) -> str:
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n\r') else s


def dev_zero_link(d: Path) -> Path:
    p = d / "zero.csv"
    os.symlink("/dev/zero", p)
    return p


def fifo(d: Path) -> Path:
    p = d / "pipe.csv"
    os.mkfifo(p)
    return p


def wide_header(d: Path, columns: int = 2_000_000) -> Path:
    p = d / "wide.csv"
    with open(p, "w", encoding="utf-8") as f:
        f.write(",".join(f"c{i}" for i in range(columns)) + "\n1,2\n")
    return p


def long_line(d: Path, mb: int = 300) -> Path:
    p = d / "longline.csv"
    block = b"x" * (1 << 20)
    with open(p, "wb") as f:
        f.write(HEADER.encode())
        for _ in range(mb):
            f.write(block)
    return p


def gzip_bomb(d: Path, millions: int = 30) -> Path:
    """Concatenated gzip members: under 1 MB on disk, ``millions`` million rows inside."""
    p = d / "bomb.csv.gz"
    member = gzip.compress(b"North,101,1,1,1,2\n" * 1_000_000, 9)
    with open(p, "wb") as f:
        f.write(gzip.compress(HEADER.encode()))
        for _ in range(millions):
            f.write(member)
    return p


def long_cell(d: Path, mb: int = 10) -> Path:
    p = d / "longcell.csv"
    p.write_text(HEADER + "x" * (mb << 20) + ",101,1,1,1,2\n", encoding="utf-8")
    return p


def utf16(d: Path, encoding: str = "utf-16", name: str = "u16.csv", bom: bool = True) -> Path:
    text = small_csv(d, "plain-for-utf16.csv", states=("Táchira", "Zulia")).read_text(encoding="utf-8")
    data = text.encode(encoding)  # Python's utf-16/utf-32 write a BOM
    if not bom:
        data = text.encode(encoding.replace("-", "_") + ("le" if not encoding.endswith(("le", "be")) else ""))
    p = d / name
    p.write_bytes(data)
    return p


def duplicate_keys(d: Path) -> Path:
    p = d / "dups.csv"
    p.write_text(HEADER + "North,101,1,10,5,15\nNorth,101,1,1000,1,1001\nSouth,102,1,7,3,10\n", encoding="utf-8")
    return p


def deep_json(d: Path, depth: int = 200_000) -> Path:
    p = d / "deep.json"
    p.write_text("[" * depth + "]" * depth, encoding="utf-8")
    return p


def binary(d: Path) -> Path:
    p = d / "binary.csv"
    p.write_bytes(bytes(range(256)) * 400)
    return p


def run_json(folder: Path, inputs: list[dict] | None = None, **over) -> Path:
    """A report folder with a run.json (valid shape unless ``over`` changes it)."""
    folder.mkdir(parents=True, exist_ok=True)
    m = {"electcheck_version": "0.1.0", "command": [], "seed": 1,
         "config": {"name": "x", "base_dir": None, "text": 'title = "x"\n', "parsed": {}},
         "parameters": {}, "inputs": inputs or [], "outputs": {}}
    m.update(over)
    (folder / "run.json").write_text(json.dumps(m), encoding="utf-8")
    return folder
