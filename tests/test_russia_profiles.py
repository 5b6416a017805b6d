"""Russian profiles: protocol lines found by substring in every year's wording."""

import json
import os
from pathlib import Path

import pytest

YEARS = [2004, 2007, 2008, 2011, 2012, 2016, 2018, 2020, 2021, 2024]


def _reference():
    p = Path(os.environ["ELECTCHECK_DATA_DIR"]) / "russia-federal-2004-2024" / "derived_reference_figures.json"
    if not p.exists():
        pytest.skip(f"reference figures not available: {p}")
    return json.loads(p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("year", YEARS)
def test_ballots_issued_and_in_boxes_match_the_reference(load, year):
    ref = _reference()[str(year)]
    t = load(f"russia-{year}")
    assert int(t.data["ballots"].sum()) == ref["ballots_in_boxes"]
    if year != 2020:  # 2020 has no issued split; the reference uses ballots in boxes there
        assert int(t.data["issued"].sum()) == ref["ballots_issued"]
        assert t.meta.notes["turnout_numerator"] == "issued"
        assert round(100 * t.data["issued"].sum() / t.data["registered"].sum(), 2) == ref["turnout_pct"]
    else:
        assert "issued" not in t.data.columns and "turnout_numerator" not in t.meta.notes
