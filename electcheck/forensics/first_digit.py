"""First-digit Benford test: refused for polling-station counts, with the reason.

Citation: W. K. T. Cho, B. J. Gaines, "Breaking the (Benford) law",
The American Statistician 61(3), 2007; Deckert, Myagkov & Ordeshook,
"Benford's law and the detection of election fraud", Political Analysis
19(3), 2011; Mebane, "Election forensics".

Benford's first-digit law needs values spread over several orders of
magnitude. Polling stations are built to a target size (a few hundred to a
few thousand voters), so their counts sit within one or two orders of
magnitude and their first digits follow the size rules of the electoral
administration, not Benford. A first-digit test on such counts rejects
perfectly clean elections. electcheck therefore never runs it on unit
counts; ``validate`` explains why and how much the counts span.
"""

from __future__ import annotations

import numpy as np

from .base import Applicability, TestResult
from .units import Units

SLUG = "first-digit"


def validate(units: Units) -> Applicability:
    x = units.cand[units.usable, units.leader]
    x = x[x > 0]
    span = float(np.log10(np.percentile(x, 95) / max(np.percentile(x, 5), 1))) if len(x) else 0.0
    return Applicability(False, "first-digit Benford does not apply to polling-station counts: units are "
                                f"built to a target size, so the leader's counts span {span:.1f} orders of "
                                "magnitude (5th–95th percentile) where Benford needs several; it would "
                                "reject clean elections. Use second-digit, last-digit or integer-percent.")


def run(units: Units, **_: object) -> list[TestResult]:
    app = validate(units)
    return [TestResult(SLUG, "national", "*", None, None, False, [app.reason])]
