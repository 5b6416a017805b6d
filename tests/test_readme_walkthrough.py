"""The README's "your own file" walk-through, run line by line as a newcomer would."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]


def _lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- walkthrough")[1].split("<!-- /walkthrough -->")[0]
    body = block.split("```")[1]
    return [ln.strip() for ln in body.splitlines() if ln.strip()]


def test_the_walkthrough_runs_start_to_end(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    outputs: dict[str, str] = {}
    for line in _lines():
        if line.startswith("cp "):
            _, src, _ = shlex.split(line)
            shutil.copy(ROOT / src, tmp_path)
        elif line.startswith("#"):  # the one edit a newcomer makes
            draft = (tmp_path / "mesas.toml").read_text(encoding="utf-8")
            edited, n = re.subn(r'(?m)^election = ""', 'election = "Example presidential election"', draft)
            assert n == 1, "the draft has no empty election line to fill in"
            (tmp_path / "mesas.toml").write_text(edited, encoding="utf-8")
        else:
            args = shlex.split(line)
            assert args[0] == "electcheck", line
            code, out, err = run_cli(args[1:], capsys)
            assert code == 0, f"{line}\n{err}"
            outputs[" ".join(args[1:3])] = out
    assert "rows read 8 = accepted 8 + quarantined 0" in outputs["ingest mesas.csv"]
    assert re.search(r"Ana Pérez\s+\S+\s+3,777", outputs["ingest mesas.csv"])
    check = next(v for k, v in outputs.items() if k.startswith("check "))
    verdicts = re.findall(r"\b(supported|contradicted|misleading|unverifiable)\b", check)
    assert verdicts == ["supported", "supported"]
    cmp = outputs["compare mesas.parquet"]
    assert re.search(r"identical\s+8\b", cmp) and re.search(r"differing\s+0\b", cmp)
