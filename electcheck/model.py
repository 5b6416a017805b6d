"""The data model shared by every step: Tally, Finding and the ingest report.

A Tally is one source's counts, one row per counting unit, in a pandas
DataFrame with fixed column names (see ``COUNT_FIELDS``) plus one integer
column per candidate, and metadata describing where it came from.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

#: Count columns every Tally may carry (nullable where the source lacks them).
COUNT_FIELDS = ("registered", "ballots", "valid", "invalid", "blank")

Kind = Literal["official", "independent", "published"]
Severity = Literal["info", "warning", "error"]
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Candidate:
    """A candidate, party or option; ``id`` is the Tally column name."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()

    def all_names(self) -> tuple[str, ...]:
        return (self.id, self.name, *self.aliases)


@dataclass(frozen=True)
class InputFile:
    """One file read into a Tally, pinned by its SHA-256."""

    path: str
    sha256: str
    rows: int
    name: str = ""  # dataset-relative name when resolved from the registry


@dataclass
class TallyMeta:
    source: str
    kind: Kind
    election: str
    unit_level: str
    candidates: list[Candidate]
    #: hierarchy levels from the top down; a level ``L`` is column ``L`` (name)
    #: and, where the source has codes, ``L_code``.
    hierarchy: list[str] = field(default_factory=list)
    expected_units: int | None = None
    #: registered electors of the whole election (for coverage and bounds)
    registry_total: int | None = None
    #: denominator of the authority's published shares: "valid" or "ballots"
    share_basis: Literal["valid", "ballots"] = "valid"
    inputs: list[InputFile] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def candidate(self, cid: str) -> Candidate:
        for c in self.candidates:
            if c.id == cid:
                return c
        raise KeyError(cid)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "TallyMeta":
        d = dict(d)
        d["candidates"] = [Candidate(c["id"], c["name"], tuple(c.get("aliases", ()))) for c in d["candidates"]]
        d["inputs"] = [InputFile(**f) for f in d.get("inputs", [])]
        return cls(**d)


@dataclass
class Tally:
    """Counts per unit plus metadata. ``data`` has a string ``unit_id`` column."""

    data: pd.DataFrame
    meta: TallyMeta

    @property
    def candidate_ids(self) -> list[str]:
        return [c.id for c in self.meta.candidates]

    def count_columns(self) -> list[str]:
        return [c for c in (*COUNT_FIELDS, *self.candidate_ids) if c in self.data.columns]

    def level_key(self, level: str) -> str:
        """Column that identifies units of a hierarchy level (code if present)."""
        code = f"{level}_code"
        if code in self.data.columns:
            return code
        if level in self.data.columns:
            return level
        raise KeyError(f"{self.meta.source} has no hierarchy level {level!r}; "
                       f"levels: {', '.join(self.meta.hierarchy) or 'none'}")

    def totals(self) -> dict[str, int | None]:
        """Sum of every count column; None where a column has no value at all."""
        out: dict[str, int | None] = {}
        for col in self.count_columns():
            s = self.data[col]
            out[col] = None if s.isna().all() else int(s.sum(skipna=True))
        return out

    def by(self, level: str) -> pd.DataFrame:
        """Counts summed by a hierarchy level (min_count=1 keeps all-null as null)."""
        key = self.level_key(level)
        cols = self.count_columns()
        g = self.data.groupby(key, sort=True, dropna=False)[cols].sum(min_count=1)
        if key != level and level in self.data.columns:
            names = self.data.groupby(key, sort=True, dropna=False)[level].first()
            g.insert(0, level, names)
        return g

    # --- persistence -----------------------------------------------------
    def to_parquet(self, path: str | Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(self.data, preserve_index=False)
        md = dict(table.schema.metadata or {})
        md[b"electcheck.meta"] = json.dumps(self.meta.to_dict(), ensure_ascii=False).encode()
        pq.write_table(table.replace_schema_metadata(md), str(path))

    @classmethod
    def from_parquet(cls, path: str | Path) -> "Tally":
        import pyarrow.parquet as pq

        from . import limits as _limits
        from .errors import InputError

        lim = _limits.current()
        try:
            pf = pq.ParquetFile(str(path))
            md = pf.metadata
        except Exception as e:  # noqa: BLE001 - damaged or not Parquet: one line
            raise InputError(f"not readable as Parquet ({type(e).__name__})", file=str(path),
                             hint="Ingest the original file again") from None
        if md.num_columns > lim.max_columns:
            raise _limits.refuse("max_columns", f"the table has {md.num_columns:,} columns", file=str(path))
        if md.num_rows > lim.max_rows:
            raise _limits.refuse("max_rows", f"the table has {md.num_rows:,} rows", file=str(path))
        raw = (pf.schema_arrow.metadata or {}).get(b"electcheck.meta")
        if raw is None:
            raise InputError("this Parquet file was not written by electcheck (no tally metadata)",
                             file=str(path), hint="Ingest the original file with --profile or --map")
        if len(raw) > min(lim.max_bytes, 64 << 20):
            raise _limits.refuse("max_bytes", "the tally metadata is too large", file=str(path))
        try:
            meta = TallyMeta.from_dict(json.loads(raw))
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            raise InputError(f"the tally metadata in this Parquet file is damaged ({type(e).__name__})",
                             file=str(path), hint="Ingest the original file again") from None
        try:
            table = pq.read_table(str(path))
        except Exception as e:  # noqa: BLE001
            raise InputError(f"not readable as Parquet ({type(e).__name__})", file=str(path),
                             hint="Ingest the original file again") from None
        return cls(table.to_pandas(), meta)


@dataclass
class Finding:
    """One thing worth telling the user; the currency between all steps."""

    code: str
    severity: Severity
    title: str
    message: str
    location: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class QuarantinedRow:
    """A row that could not be read; ``row`` as a spreadsheet shows it."""

    file: str
    row: int
    column: str
    value: str
    reason: str
    hint: str
    cells: str = ""  # the original row, joined with the file's delimiter

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IngestReport:
    source: str
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    quarantine: list[QuarantinedRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: rows outside the profile's selection (e.g. other levels of a multi-level
    #: file), by reason; they are never part of rows_read.
    rows_outside_selection: dict[str, int] = field(default_factory=dict)
    #: accepted rows kept out of the tally: later rows of a duplicated unit key (the first is kept)
    rows_set_aside: int = 0

    def check_balance(self) -> None:
        if self.rows_read != self.rows_accepted + self.rows_quarantined:
            raise AssertionError(  # an internal bug, never a user error
                f"row accounting broken: read {self.rows_read} != accepted "
                f"{self.rows_accepted} + quarantined {self.rows_quarantined}")


@dataclass
class IngestResult:
    tally: Tally
    report: IngestReport
