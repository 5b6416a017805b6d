"""Shared fixtures: real datasets resolved by name through ELECTCHECK_DATA_DIR.

A test that needs a raw file that is absent is skipped with a reason naming it.
Loaded tallies are cached for the whole session (real files are large).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "datasets"
if "ELECTCHECK_DATA_DIR" not in os.environ and DEFAULT_DATA.is_dir():
    os.environ["ELECTCHECK_DATA_DIR"] = str(DEFAULT_DATA)

FIXTURES = Path(__file__).parent / "fixtures"


@functools.lru_cache(maxsize=None)
def _ingest(name: str):
    from electcheck.ingest import ingest

    return ingest(name)


def ingest_or_skip(name: str):
    """IngestResult of a built-in dataset, or skip naming the missing file."""
    from electcheck.errors import DataNotFound

    try:
        return _ingest(name)
    except DataNotFound as e:
        pytest.skip(f"dataset file not available: {e}")


@pytest.fixture(scope="session")
def load():
    """``load(name)`` -> Tally of a built-in dataset (cached; skips if absent)."""
    return lambda name: ingest_or_skip(name).tally


@pytest.fixture(scope="session")
def ingested():
    """``ingested(name)`` -> IngestResult (tally + report), cached."""
    return ingest_or_skip
