"""Calibrated election forensics: tests that do not cry wolf, and that say what they could have seen.

``analyze(tally)`` runs the battery: each test validates (does it apply?),
then runs with a Monte Carlo null drawn from the data's own unit sizes and
rates; each test is calibrated on simulated clean elections of the same
shape before its p-values are shown; Benjamini–Hochberg controls the false
discovery rate across the whole family; hard checks and statistical flags
merge into one ranked station list. ``power.run`` plants fraud in the data
and reports what each test detects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ElectcheckError
from . import (calibration, fingerprint, first_digit, flags as flags_mod, hard_checks, integer_percent,
               last_digit, multiple, second_digit, shape, stations as stations_mod, zero_five)
from .base import TestResult
from .units import Units, from_tally

#: every test, in the order they run and are listed
TESTS: dict[str, ModuleType] = {m.SLUG: m for m in (
    integer_percent, second_digit, last_digit, zero_five, fingerprint, shape, hard_checks, first_digit)}
#: tests with p-values, calibrated on simulated clean elections
CALIBRATED = ("integer-percent", "second-digit", "last-digit", "zero-five", "fingerprint")

#: what no test here can see, stated in every report
CANNOT_SEE = [
    "Proportional ballot stuffing (extra ballots split like the real votes) leaves every share unchanged: "
    "digit and share tests cannot see it; only turnout-based tests (fingerprint, distribution-shape) might.",
    "Moderate vote switching spread evenly over many units stays inside the natural spread: no test here "
    "separates it from genuine support.",
    "Fabricated protocols whose numbers mimic natural variation (random, non-round) pass every test.",
    "Fraud before the count (voter intimidation, carousel voting, pressure on public employees) changes "
    "real ballots, not the arithmetic of the protocol.",
    "Manipulation of aggregates above the unit level (changing totals, not protocols) is invisible "
    "in per-unit data; compare with an independent tally (electcheck compare).",
]


class ForensicsError(ElectcheckError):
    pass


def list_tests() -> list[tuple[str, str]]:
    """(slug, first docstring line) of every test."""
    return [(slug, (m.__doc__ or "").strip().splitlines()[0]) for slug, m in TESTS.items()]


def resolve_tests(names: list[str] | None) -> list[str]:
    if not names:
        return list(TESTS)
    out = []
    for n in names:
        for part in n.split(","):
            part = part.strip()
            if not part:
                continue
            if part not in TESTS:
                raise ForensicsError(f"unknown test {part!r}; known: {', '.join(TESTS)} (see --list)")
            if part not in out:
                out.append(part)
    return out


@dataclass
class ForensicsReport:
    source: str
    election: str
    parameters: dict[str, Any]
    units: dict[str, Any]
    tests: list[TestResult]
    family: dict[str, Any]
    calibration: dict[str, Any]
    flags: pd.DataFrame
    power: dict[str, Any] | None = None
    #: the station list's summary: baseline level, reasons, discounted categories, extreme regions
    stations: dict[str, Any] = field(default_factory=dict)
    #: wall time of each step in seconds (not part of the stable JSON)
    timings: dict[str, float] = field(default_factory=dict)
    cannot_see: list[str] = field(default_factory=lambda: list(CANNOT_SEE))

    def significant(self, q_max: float = 0.05) -> list[TestResult]:
        return [r for r in self.tests if r.q_value is not None and r.q_value <= q_max]

    def to_dict(self, max_flags: int = 100) -> dict[str, Any]:
        return {
            "source": self.source, "election": self.election, "parameters": self.parameters,
            "units": self.units, "family": self.family,
            "tests": [r.to_dict() for r in self.tests],
            "calibration": self.calibration,
            "flags_total": int(len(self.flags)),
            "flags": flags_mod.records(self.flags, max_flags),
            "stations": self.stations,
            "power": self.power, "cannot_see": self.cannot_see,
        }


def analyze(tally: Any, *, tests: list[str] | None = None, by: str | None = None, seed: int = 20240728,
            resamples: int = 1000, calibrate: bool = True, calibration_sims: int = calibration.DEFAULT_SIMS,
            calibration_resamples: int = calibration.DEFAULT_RESAMPLES,
            calibration_units: int = calibration.DEFAULT_UNITS,
            units: Units | None = None, level: str | None = None, discount: bool = True) -> ForensicsReport:
    """Run the selected tests on a Tally (or prepared Units) and return the report.

    The station list judges each unit against its region at ``level`` (default: ``by``, else the
    deepest hierarchy level with enough units per region); ``discount=False`` lists every hard
    check, regional customs and systematic slips included.
    """
    slugs = resolve_tests(tests)
    if units is None:
        units = from_tally(tally, by=by)
    if resamples < 19:
        raise ForensicsError(f"--resamples must be at least 19 (got {resamples}); 1000 is the default")
    scoped = by is not None
    ss = np.random.SeedSequence(seed)
    seeds = {slug: int(s.generate_state(1)[0]) for slug, s in zip(TESTS, ss.spawn(len(TESTS)))}
    # the digit tests share one set of draws (one pass per candidate serves all three)
    for slug in ("last-digit", "zero-five"):
        seeds[slug] = seeds["second-digit"]
    import time

    timings: dict[str, float] = {}
    results: list[TestResult] = []
    for slug in slugs:
        t0 = time.perf_counter()
        results.extend(TESTS[slug].run(units, seed=seeds[slug], resamples=resamples, scoped=scoped))
        timings[slug] = time.perf_counter() - t0
    t0 = time.perf_counter()
    cal: dict[str, Any] = {}
    to_cal = [TESTS[s] for s in slugs if s in CALIBRATED]
    if calibrate and to_cal:
        cal = calibration.calibrate_many(units, to_cal, sims=calibration_sims,
                                         resamples=calibration_resamples, seed=seed,
                                         max_units=calibration_units)
    timings["calibration"] = time.perf_counter() - t0
    for c in cal.values():
        c["scope"] = "national"  # simulated from all units; regional results (--by) reuse this label
    for r in results:
        c = cal.get(r.test)
        if r.test in CALIBRATED and r.applicable:
            r.calibration = c["label"] if c else "not calibrated"
            if c is None:
                r.caveats.append("calibration was skipped: this p-value has not been checked on clean "
                                 "simulated elections")
        elif r.applicable:
            r.calibration = "descriptive (no p-value)" if r.test == "distribution-shape" else "no p-value (count)"
        if c and r.applicable and r.scope != "national" and r.test in CALIBRATED:
            # the clean simulations are national-shaped (all units' sizes and turnout, scope national):
            # the label is not a per-region calibration, and the output says so
            n_reg = r.details.get("n_tested") or r.details.get("n_units") or r.details.get("n_values")
            r.details["calibration_scope"] = "national"
            r.caveats.append(
                f"calibration label is national: it comes from clean elections simulated from all units "
                f"({c['units_per_sim']:,} units per simulation, national scope), not from elections the "
                f"size of this region" + (f" ({int(n_reg):,} units or values here)" if n_reg else "")
                + "; a test calibrated nationally may be mis-sized on a small region")
        if c and r.applicable and r.calibration in ("unverified", "provisional") and r.p_value is not None:
            r.caveats.append(
                f"calibration {r.calibration}: this test rejected {c['rejection_rate']:.1%} ± {c['mc_se']:.1%} "
                f"(upper 95 % bound {c['rate_upper_95']:.1%}) of clean simulated elections in {c['sims']} "
                "simulations; 'calibrated' needs the upper bound ≤ 10 %"
                + (" and 200 simulations" if r.calibration == "provisional" else ""))
        if c and r.applicable and r.calibration == "anti-conservative" and r.p_value is not None:
            r.details["p_value_withheld"] = r.p_value
            r.p_value = None
            r.caveats.append(f"withheld: this test rejected {c['rejection_rate']:.0%} of clean simulated "
                             "elections of this shape at α = 0.05; its p-value is not evidence")
        tb = r.details.get("textbook_p_value")
        if c and tb is not None and "textbook" in c:
            r.details["textbook_calibration"] = c["textbook"]["label"]
            r.details["textbook_rejection_rate"] = c["textbook"]["rejection_rate"]
            if c["textbook"]["label"] == "anti-conservative" and tb <= 0.05:
                r.caveats.append(
                    f"the textbook null would reject here (p = {tb:.2g}), but it rejects "
                    f"{c['textbook']['rejection_rate']:.0%} of clean simulated elections built from these "
                    "unit sizes: anti-conservative, not evidence; the resampled null is the one reported")
    family = multiple.adjust(results)
    t0 = time.perf_counter()
    st = stations_mod.score(units, level=level or by, discount=discount)
    fl = st.flags
    timings["flags"] = time.perf_counter() - t0
    used = int(units.usable.sum())
    return ForensicsReport(
        source=units.source, election=str(units.notes.get("election", "")),
        parameters={"tests": slugs, "by": by, "seed": seed, "resamples": resamples,
                    "calibration_sims": calibration_sims if calibrate else 0,
                    "calibration_resamples": calibration_resamples,
                    "calibration_units": calibration_units, "alpha": calibration.ALPHA},
        units={"rows": units.n, "usable": used, "excluded": int(units.excluded.sum())
               if units.excluded is not None else 0, "without_numbers": int(np.isnan(units.share_den).sum()),
               "leader": units.leader_id, "share_basis": units.share_basis,
               "turnout_basis": units.turnout_basis},
        tests=results, family=family, calibration=cal, flags=fl, stations=st.summary,
        timings={k: round(v, 3) for k, v in timings.items()})
