"""The one place where the report calls the other packages (ingest, compare, claims, forensics).

When an API elsewhere changes, only this module changes. Each function returns
plain data (dicts, lists, numpy arrays) or ``None`` with a reason when the piece
is not available, so the report can say so instead of inventing numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..model import IngestReport, Tally


class Unavailable(Exception):
    """A section cannot be computed: the piece it needs is missing (with the reason)."""


# --- ingest ---------------------------------------------------------------------------------
def load(source: str, base_dir: str | None = None) -> Tally:
    """A built-in dataset name, or an already-ingested Parquet file (relative to ``base_dir``).

    For a Parquet file the file itself is recorded as an input (with its SHA-256)
    in ``meta.notes['report_inputs']``, so that editing it is detected by verify.
    """
    return load_with_report(source, base_dir)[0]


def load_with_report(source: str, base_dir: str | None = None) -> tuple[Tally, IngestReport | None]:
    """:func:`load`, with the ingest report of what was read (None for an already-ingested Parquet file)."""
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
            return t, None
    from ..ingest import ingest
    from ..sources.spec import parse_source

    spec = parse_source(source, base_dir=base_dir)
    result = ingest(spec.source, mapping=spec.mapping, profile=spec.profile)
    return result.tally, result.report


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
@dataclass
class ForensicsData:
    """What the report needs from ``electcheck.forensics.analyze``: its public fields, plus per-unit
    arrays for the fingerprint and integer-percentage charts."""

    tests: list[dict[str, Any]]
    #: the multiple-testing family as the forensics report states it (method, size, members, by_test, ...)
    family: dict[str, Any]
    flags_count: int
    #: leader id, per-unit turnout and leader share (NaN where unusable)
    leader: str
    turnout: np.ndarray
    share: np.ndarray
    registered: np.ndarray
    share_den: np.ndarray
    included: np.ndarray
    units: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    cannot_see: list[str] = field(default_factory=list)
    calibration: dict[str, Any] = field(default_factory=dict)
    #: the station list's summary (baseline level, reasons, discounted categories, extreme regions)
    stations: dict[str, Any] = field(default_factory=dict)


def forensics(tally: Tally, tests: list[str], *, seed: int, resamples: int,
              calibration_sims: int | None = None) -> ForensicsData:
    """Run the requested forensic tests (national scope) with calibration, through
    ``electcheck.forensics.analyze``, and return its public fields.

    Everything shown about a test (statistic, p, q, calibration, observed and expected digit
    frequencies, excess and SD) comes from the forensics report itself; nothing is re-drawn here.
    The per-unit turnout and share for the fingerprint and integer-percentage charts come from the
    same prepared units the tests ran on. ``calibration_sims``: the audit config's value (None = the
    forensics default, 200; fewer give "provisional" labels).
    """
    try:
        from ..forensics import TESTS, analyze, calibration as fx_calibration
        from ..forensics.integer_percent import inclusion
        from ..forensics.units import from_tally
    except ImportError as e:
        raise Unavailable(f"the forensics package is not available ({e})") from None
    known = [t for t in tests if t in TESTS]
    notes = [f"unknown test {t!r} skipped" for t in tests if t not in known]
    units = from_tally(tally)
    # chart inputs read before the battery runs (it may cache on, or share, its units)
    turnout, share = np.array(units.turnout(), float), np.array(units.share(), float)
    registered, share_den = np.array(units.registered, float), np.array(units.share_den, float)
    included, leader = np.array(inclusion(units), bool), units.leader_id
    if calibration_sims is None:
        calibration_sims = fx_calibration.DEFAULT_SIMS
    rep = analyze(tally, tests=known, seed=seed, resamples=max(19, resamples), calibrate=calibration_sims > 0,
                  calibration_sims=max(1, calibration_sims), units=units)
    calibration = {k: {kk: vv for kk, vv in v.items() if not isinstance(vv, (dict, list))}
                   for k, v in (rep.calibration or {}).items()}
    return ForensicsData(
        tests=[_slim_test(r.to_dict()) for r in rep.tests], family=dict(rep.family), flags_count=int(len(rep.flags)),
        leader=leader, turnout=turnout, share=share, registered=registered, share_den=share_den,
        included=included,
        units=dict(rep.units), parameters=dict(rep.parameters), notes=notes,
        cannot_see=list(rep.cannot_see), calibration=calibration,
        stations={k: v for k, v in (rep.stations or {}).items() if k != "reason_words"})


def _slim_test(d: dict[str, Any]) -> dict[str, Any]:
    """A test's JSON without the fingerprint's 2-D histogram (its chart and CSV carry it)."""
    det = d.get("details")
    if isinstance(det, dict) and "histogram" in det:
        d = {**d, "details": {k: v for k, v in det.items() if k != "histogram"}}
    return d


# --- acta photos ----------------------------------------------------------------------------
def is_acta_photos(source: str, base_dir: str | None = None) -> bool:
    """Is ``source`` a folder (or a photo) of actas read through their QR codes? Cheap: no photo is opened."""
    from ..errors import ElectcheckError

    if source.endswith(".parquet"):
        return False
    try:
        from ..sources.acta_images import is_acta_source
        from ..sources.spec import parse_source

        spec = parse_source(source, base_dir=base_dir)
        return is_acta_source(spec.source, spec.profile, spec.mapping)
    except (ImportError, ElectcheckError, OSError):
        return False  # ingest names the problem when the source is loaded


def acta_card_counts(source: str, payloads: list[str], base_dir: str | None = None) -> list[dict[str, int]]:
    """Each QR payload's counts (card columns, then the payload's other numbers), read with the layout
    of ``source``'s profile or mapping; a payload that does not parse gives an empty dict."""
    from ..sources.acta_images import load_acta_mapping
    from ..sources.qr_payload import PayloadError, parse_payload
    from ..sources.spec import parse_source

    spec = parse_source(source, base_dir=base_dir)
    layout = load_acta_mapping(spec.profile, spec.mapping)[1]
    out = []
    for text in payloads:
        try:
            p = parse_payload(text, layout)
        except PayloadError:
            out.append({})
            continue
        out.append({**dict(zip(layout.card_columns, (int(v) for v in p.counts))),
                    **{k: int(v) for k, v in p.numbers.items()}})
    return out


def acta_reasons() -> dict[str, str]:
    """Reason code of an acta photo set aside → what it means ('no-qr' → 'no QR code found')."""
    from ..sources.acta_images import REASONS

    return dict(REASONS)
