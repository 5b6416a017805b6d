"""Docs that cannot go stale: commands, test slugs and the README's first lines."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))


def _commands() -> list[str]:
    from electcheck.cli import app

    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    names += [g.name for g in app.registered_groups]
    return names


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second():
    first = [ln.strip() for ln in README.splitlines()[:2]]
    assert first[0].startswith("pip install -e . && ") and "electcheck audit --example venezuela-2024" in first[0]
    assert first[1].startswith("pip install -e '.[test]' && ") and "pytest" in first[1]
    assert first[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented(command):
    assert f"electcheck {command}" in README + DOCS, f"'electcheck {command}' appears in no doc"


def test_every_forensic_test_has_a_methods_page():
    from electcheck.forensics import TESTS

    for slug in TESTS:
        page = ROOT / "docs" / "methods" / f"{slug}.md"
        assert page.exists(), f"docs/methods/{slug}.md is missing"
        text = page.read_text(encoding="utf-8").lower()
        if "refuse" in text:  # a test that is always refused explains why instead
            continue
        # what it detects, what it cannot, when it does not apply
        assert "detect" in text and "appl" in text, f"docs/methods/{slug}.md lacks what it detects/applies to"
        assert any(w in text for w in ("cannot", "can't", "does not", "invisible")), \
            f"docs/methods/{slug}.md does not say what it cannot see"


def test_every_builtin_dataset_is_documented():
    from electcheck.sources.registry import DATASETS

    for name in DATASETS:
        if name.startswith("russia-") and name != "russia-2024-electronic":
            continue  # documented as russia-YEAR
        assert name in README + DOCS, f"dataset {name} appears in no doc"
