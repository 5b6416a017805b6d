"""The one place where the report calls the other packages (ingest, compare, claims, forensics).

When an API elsewhere changes, only this module changes. Each function returns
plain data (dicts, lists, numpy arrays) or ``None`` with a reason when the piece
is not available, so the report can say so instead of inventing numbers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..model import Tally


class Unavailable(Exception):
    """A section cannot be computed: the piece it needs is missing (with the reason)."""


# --- ingest ---------------------------------------------------------------------------------
def load(source: str, base_dir: str | None = None) -> Tally:
    """A built-in dataset name, or an already-ingested Parquet file (relative to ``base_dir``).

    For a Parquet file the file itself is recorded as an input (with its SHA-256)
    in ``meta.notes['report_inputs']``, so that editing it is detected by verify.
    """
    if source.endswith(".parquet"):
        p = Path(source)
        if not p.is_absolute() and base_dir:
            p = Path(base_dir) / p
        if p.is_file():
            import hashlib

            t = Tally.from_parquet(p)
            t.meta.notes = dict(t.meta.notes or {})
            t.meta.notes["report_inputs"] = [{"name": source, "path": str(p.resolve()),
                                             "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                                             "rows": len(t.data)}]
            return t
    from ..ingest import ingest

    return ingest(source).tally


def inputs_of(t: Tally) -> list[dict[str, Any]]:
    extra = (t.meta.notes or {}).get("report_inputs") if isinstance(t.meta.notes, dict) else None
    if extra:
        return list(extra)
    return [{"name": f.name or Path(f.path).name, "path": f.path, "sha256": f.sha256,
                                 "rows": f.rows} for f in t.meta.inputs]


# --- compare --------------------------------------------------------------------------------
def compare(official: Tally, independent: Tally, registered_from: Tally | None = None,
            level: str | None = None) -> dict[str, Any]:
    try:
        from ..compare import reconcile
    except ImportError as e:  # pragma: no cover - depends on the other team
        raise Unavailable(f"the reconciliation module is not available ({e})") from None
    res = reconcile(official, independent, level, registered_from=registered_from)
    return res.to_dict()


# --- claims ---------------------------------------------------------------------------------
def check_claims(text: str, tallies: list[Tally]) -> dict[str, Any]:
    try:
        from ..claims import check_text
    except ImportError as e:  # pragma: no cover
        raise Unavailable(f"the claims checker is not available ({e})") from None
    return check_text(text, tallies).to_dict()


def integrity(tally: Tally) -> list[dict[str, Any]]:
    try:
        from ..claims.integrity import integrity_checks
    except ImportError as e:  # pragma: no cover
        raise Unavailable(f"integrity checks of published figures are not available ({e})") from None
    return [f.to_dict() for f in integrity_checks(tally)]


# --- forensics ------------------------------------------------------------------------------
_MODULES = {
    "integer-percent": "integer_percent",
    "second-digit": "second_digit",
    "last-digit": "last_digit",
    "zero-five": "zero_five",
    "fingerprint": "fingerprint",
    "hard-checks": "hard_checks",
    "shape": "shape",
}


@dataclass
class ForensicsData:
    tests: list[dict[str, Any]]
    family: dict[str, Any]
    flags_count: int
    #: for charts: leader id, per-unit turnout and leader share (NaN where unusable)
    leader: str
    turnout: np.ndarray
    share: np.ndarray
    registered: np.ndarray
    share_den: np.ndarray
    included: np.ndarray
    #: per candidate id: observed last-digit counts (10,) and resampled (R, 10)
    last_digits: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    second_digits: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    cannot_see: list[str] = field(default_factory=list)
    calibration: dict[str, Any] = field(default_factory=dict)


def forensics(tally: Tally, tests: list[str], *, seed: int, resamples: int,
              progress=None, calibration_sims: int = 20) -> ForensicsData:
    """Run the requested forensic tests (national scope) and gather chart inputs.

    Uses the per-test modules of ``electcheck.forensics`` (validate → run), then
    Benjamini–Hochberg across the family. Calibration labels are reported as the
    tests give them (the full calibration run is left to ``electcheck forensics``).
    """
    try:
        units_mod = importlib.import_module("electcheck.forensics.units")
        multiple = importlib.import_module("electcheck.forensics.multiple")
        digits = importlib.import_module("electcheck.forensics.digits")
    except ImportError as e:
        raise Unavailable(f"the forensics package is not available ({e})") from None
    units = units_mod.from_tally(tally)
    notes: list[str] = []
    cannot_see: list[str] = []
    calibration: dict[str, Any] = {}
    digit_seed = seed
    try:
        from ..forensics import TESTS, analyze
    except ImportError:
        analyze = None
    if analyze is not None:
        known = [t for t in tests if t in TESTS or t == "hard-checks"]
        notes += [f"unknown test {t!r} skipped" for t in tests if t not in known]
        # charts read a units object of their own: the battery (calibration) may share or cache on its units
        chart_units = units
        units = units_mod.from_tally(tally)
        rep = analyze(tally, tests=known, seed=seed, resamples=max(19, resamples), calibrate=True,
                      calibration_sims=calibration_sims, calibration_resamples=99, units=units)
        results = rep.tests
        family = rep.family
        nflags = int(len(rep.flags))
        cannot_see = list(getattr(rep, "cannot_see", []))
        calibration = {k: {kk: vv for kk, vv in v.items() if not isinstance(vv, (dict, list))}
                       for k, v in (rep.calibration or {}).items()}
        # the digit charts use the same draws as the digit tests
        kids = np.random.SeedSequence(seed).spawn(len(TESTS))
        digit_seed = int(kids[list(TESTS).index("second-digit")].generate_state(1)[0])
        resamples = max(19, resamples)
        if progress:
            progress("forensics done")
        return _finish(chart_units, results, family, nflags, tests, digit_seed, resamples, notes, cannot_see,
                       calibration, digits, importlib)
    results = []
    for slug in tests:
        modname = _MODULES.get(slug)
        if modname is None:
            notes.append(f"unknown test {slug!r} skipped")
            continue
        try:
            mod = importlib.import_module(f"electcheck.forensics.{modname}")
        except ImportError:
            notes.append(f"test {slug!r} not available in this version")
            continue
        results.extend(mod.run(units, seed=seed, resamples=resamples, scoped=False))
        if progress:
            progress(slug)
    family = multiple.adjust(results)
    try:
        flags_mod = importlib.import_module("electcheck.forensics.flags")
        nflags = int(len(flags_mod.build(units, results)))
    except Exception:  # noqa: BLE001 - the station list is optional in the report
        nflags = 0
    notes.append("calibration on simulated clean elections not run (forensics.analyze not available)")
    return _finish(units, results, family, nflags, tests, digit_seed, resamples, notes, cannot_see,
                   calibration, digits, importlib)


def _finish(units, results, family, nflags, tests, seed, resamples, notes, cannot_see, calibration,
            digits, importlib) -> "ForensicsData":
    t = units.turnout()
    s = units.share()
    inc = importlib.import_module("electcheck.forensics.integer_percent").inclusion(units)
    ld, sd = {}, {}
    if any(x in tests for x in ("last-digit", "second-digit", "zero-five")):
        for j in digits.candidates(units, digits.MIN_LAST)[:2]:
            dc = digits.counts(units, j, seed=seed, resamples=resamples, scoped=False)
            ld[dc.cand] = (dc.obsL[0].astype(float), dc.simL[:, 0, :].astype(float))
            sd[dc.cand] = (dc.obs2[0].astype(float), dc.sim2[:, 0, :].astype(float))
    return ForensicsData(
        tests=[r.to_dict() | {"details": _plain(r.details)} for r in results], family=family,
        flags_count=nflags, leader=units.leader_id, turnout=np.asarray(t, float), share=np.asarray(s, float),
        registered=np.asarray(units.registered, float), share_den=np.asarray(units.share_den, float),
        included=np.asarray(inc, bool), last_digits=ld, second_digits=sd, notes=notes,
        cannot_see=cannot_see, calibration=calibration)


def _plain(d: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        if k == "histogram":
            continue  # large; the chart carries it
        if isinstance(v, np.ndarray):
            v = v.tolist()
        elif isinstance(v, (np.integer,)):
            v = int(v)
        elif isinstance(v, (np.floating,)):
            v = float(v)
        out[k] = v
    return out
