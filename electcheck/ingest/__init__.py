"""Ingest: any tally file (or built-in dataset name) → a checked Tally + IngestReport.

    >>> from electcheck.ingest import ingest
    >>> result = ingest("venezuela-2024/opposition-v2")
    >>> result.tally.totals()["EG"]
    7303480

Every input row is accounted for: rows_read = rows_accepted + rows_quarantined.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from ..errors import InputError
from ..model import Finding, IngestReport, IngestResult, InputFile, Tally
from ..sources import profiles, registry
from ..sources.mapping import Mapping, load_mapping
from ..sources.readers import ReadOptions, read_table
from .build import build_tally
from .checks import grouping_findings, run_checks
from .rules import limit_names, set_aside_duplicates

__all__ = ["ingest", "load_tally"]


def load_tally(source: str, **kwargs) -> Tally:
    """Just the Tally of :func:`ingest`."""
    return ingest(source, **kwargs).tally


def ingest(source: str | Path, *, profile: str | None = None, mapping: str | Path | Mapping | None = None,
           encoding: str | None = None, locale: str | None = None, delimiter: str | None = None,
           header_row: int | None = None, sheet: str | None = None, contest: str | None = None,
           allow_paths: tuple[str | Path, ...] | list[str | Path] = (), progress=None) -> IngestResult:
    """Read ``source`` (a built-in name, a file, or an electcheck Parquet file).

    A file needs ``profile`` (a built-in profile name) or ``mapping`` (a TOML
    mapping file or a Mapping); the read options override the mapping's. A PDF's
    mapping has a ``[pdf]`` table (``contest`` overrides the contest it reads); a
    folder of acta photos (or a mapping with a ``[qr]`` table) is read by
    :func:`electcheck.sources.acta_images.ingest_actas`, calling ``progress(done,
    total)`` as photos are decoded. ``allow_paths``: folders a mapping's
    ``include``/``[codebook]`` may read outside its own folder.
    """
    from ..sources.spec import parse_source

    if isinstance(mapping, Mapping):
        source = str(source)
    else:
        spec = parse_source(str(source), mapping=mapping, profile=profile)
        source, mapping, profile = spec.source, spec.mapping, spec.profile
    name = None
    if mapping is None and profile is None and source in registry.DATASETS:
        name = source
        profile = registry.DATASETS[source].profile
    if profile is not None and profiles.is_published(profile):
        from ..sources.published import load_bulletin

        tally, n = load_bulletin(profile)
        report = IngestReport(source=source, rows_read=n, rows_accepted=n)
        tally, early = _apply_rules(tally, report)
        report.findings = early + run_checks(tally)
        return IngestResult(tally, report)

    if name is None and not isinstance(mapping, Mapping):
        from ..sources import acta_images

        if acta_images.is_acta_source(source, profile, mapping):  # a folder of photos, or a [qr] profile
            return acta_images.ingest_actas(source, profile=profile, mapping=mapping, progress=progress)
    if name is not None:
        ds = registry.DATASETS[name]
        path = registry.resolve(ds.file)
        display = ds.file.name
    else:
        path = Path(source)
        display = source
        if path.suffix.lower() == ".parquet" and mapping is None and profile is None and path.exists():
            return _from_parquet(path)
        if mapping is None and profile is None:
            if not path.exists():
                if not path.suffix:
                    registry.get_dataset(source)  # unknown name: raises with suggestions
                raise InputError("file not found", file=source,
                                 hint="Check the path, or use a built-in name (electcheck data list)")
            raise InputError("no --profile or --map given for this file", file=source,
                             hint="Run 'electcheck inspect FILE' to draft a mapping, edit it, and pass --map")
    if isinstance(mapping, Mapping):
        m = mapping
    elif mapping is not None:
        from .. import limits as _limits

        if Path(mapping).exists():  # a missing one is said by load_mapping
            with _limits.using(max_bytes=min(_limits.current().max_bytes, 16 << 20)):
                _limits.check_regular_file(mapping, "mapping")  # never /dev/zero or a FIFO; a mapping is small
        m = load_mapping(mapping, allow_paths=allow_paths)
    else:
        m = None
    overrides = {k: v for k, v in dict(encoding=encoding, delimiter=delimiter, header_row=header_row,
                                       sheet=sheet).items() if v is not None}

    base_opts = m.read if m is not None else _profile_read_options(profile)
    opts = dataclasses.replace(base_opts, **overrides)
    known = m if m is not None else (None if profiles.is_russian(profile) else profiles.load_profile(profile))
    if known is not None:
        opts = dataclasses.replace(opts, select_columns=lambda header: _needed_columns(known, header))
    from ..sources.pdf import is_pdf, read_pdf

    pdf_read = None
    if is_pdf(path):
        spec_map = m if m is not None else known
        if spec_map is None or spec_map.pdf is None:
            raise InputError("this is a PDF; its mapping needs a [pdf] table", file=str(path),
                             hint="Run 'electcheck inspect FILE.pdf' to draft one (docs/pdf.md)")
        pdf_read = read_pdf(path, spec_map.pdf, contest=contest, origin=spec_map.origin)
        raw = pdf_read.raw
        m = spec_map
        if not m.candidates or (contest and pdf_read.contest != spec_map.pdf.get("contest")):
            m = dataclasses.replace(m, candidates=pdf_read.candidate_specs())
    else:
        if contest is not None:
            raise InputError("--contest applies to PDF results only", file=str(path))
        raw = read_table(path, opts)
    if m is None:
        m = profiles.load_profile(profile, list(raw.cells.columns))
        if profiles.is_russian(profile):
            from ..sources.russia import prepare

            raw.cells = prepare(raw.cells, profiles.russian_year(profile))
    if locale is not None:
        m = dataclasses.replace(m, locale=locale)
    # the readers hash the bytes they read (CSV, JSON): the file is not read twice
    sha = registry.verify(path, registry.DATASETS[name].file, raw.sha256) if name else \
        (raw.sha256 or registry.sha256_file(path))
    inputs = [InputFile(str(path), sha, raw.rows_read, display)]
    report = IngestReport(source=name or m.source)
    report.quarantine.extend(raw.quarantine)
    tally, groupings = build_tally(raw, m, inputs, report)
    tally, early = _apply_rules(tally, report)
    report.rows_read = raw.rows_read
    report.rows_accepted = len(tally.data) + report.rows_set_aside
    report.rows_quarantined = len(report.quarantine)
    report.check_balance()
    if name is None:
        tally.meta.source = m.source or Path(source).stem
    _set_leader(tally)
    report.findings = grouping_findings(groupings, str(path)) + early + run_checks(tally)
    if pdf_read is not None:
        report.findings = pdf_read.findings + report.findings
        report.rows_outside_selection.update(pdf_read.outside_selection)
        tally.meta.notes.update(pdf_read.notes())
    if report.rows_read == 0:
        report.findings.insert(0, Finding(
            "no-data-rows", "warning", "No data rows",
            "the file has a header but no data rows (or only blank lines); the tally is empty",
            location={"file": str(path)}, evidence={"count": 0}))
    if report.rows_quarantined:
        report.findings.insert(0, Finding(
            "rows-quarantined", "error", "Rows that could not be read",
            f"{report.rows_quarantined} of {report.rows_read} rows could not be read and were set aside "
            "(write them with --errors FILE)", location={"file": str(path)},
            evidence={"count": report.rows_quarantined,
                      "first": [q.to_dict() for q in report.quarantine[:5]]}))
    return IngestResult(tally, report)


def _apply_rules(tally: Tally, report: IngestReport) -> tuple[Tally, list[Finding]]:
    """The rules every source goes through (rules.py): duplicate keys set aside, long names cut."""
    tally, dup, n_aside = set_aside_duplicates(tally)
    report.rows_set_aside = n_aside
    return tally, dup + limit_names(tally)


def _needed_columns(m: Mapping, header: list[str]) -> list[str] | None:
    """File columns a mapping uses, or None (read everything) if any cannot be resolved here."""
    from ..sources.mapping import resolve_column

    refs = list(m.count_columns().values())
    refs += [r for lv in m.hierarchy for r in (lv.code, lv.name) if r is not None]
    refs += [src for src, _ in m.derive] + list(m.select)
    refs += [c for cols in m.text_repair.values() for c in cols if c in header]
    derived = {g for _, pat in m.derive for g in re.findall(r"\(\?P<(\w+)>", pat)}
    refs += [p.column for p in m.key if p.column not in derived and not p.column.endswith("_code")]
    if not m.key:
        return None
    out: list[str] = []
    try:
        for r in refs:
            out.extend(resolve_column(r, header, "", ""))
    except InputError:
        return None
    return out


def _profile_read_options(profile: str) -> ReadOptions:
    if profiles.is_russian(profile):
        return ReadOptions(encoding="utf-8", delimiter=",", header_row=1)
    return profiles.load_profile(profile).read


def _set_leader(t: Tally) -> None:
    totals = {c: v for c, v in t.totals().items() if c in t.candidate_ids and v is not None}
    if totals:
        t.meta.notes["leader"] = max(totals, key=totals.get)


def _from_parquet(path: Path) -> IngestResult:
    from .. import limits as _limits

    _limits.check_regular_file(path)
    try:
        t = Tally.from_parquet(path)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise InputError(f"not readable as an electcheck Parquet tally ({type(e).__name__})", file=str(path),
                         hint="Ingest the original file again, or pass a mapping with --map") from None
    n = len(t.data)
    report = IngestReport(source=t.meta.source, rows_read=n, rows_accepted=n)
    t, early = _apply_rules(t, report)
    report.findings = early + run_checks(t)
    return IngestResult(t, report)
