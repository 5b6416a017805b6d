"""The result of a reconciliation: plain data with ``to_dict`` (the CLI renders it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..model import Finding
from .bound import Bound
from .candidates import CandidatePlan
from .coverage import Coverage
from .estimate import Estimate

#: roll-ups with more areas than this are left out of ``to_dict`` unless asked for
ROLLUP_ROWS_IN_JSON = 2000


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (nullable ints -> int/None)."""
    out = []
    cols = list(df.columns)
    arrays = []
    for c in cols:
        s = df[c]
        if pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_float_dtype(s.dtype):
            vals = s.astype("Float64").to_numpy(dtype=object, na_value=None)
            vals = [None if v is None else (int(v) if float(v).is_integer() else float(v)) for v in vals]
        elif pd.api.types.is_bool_dtype(s.dtype):
            vals = [bool(v) for v in s]
        else:
            vals = [None if (v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))) else str(v)
                    for v in s.to_numpy(dtype=object)]
        arrays.append(vals)
    for row in zip(*arrays):
        out.append(dict(zip(cols, row)))
    return out


@dataclass
class SideInfo:
    source: str
    kind: str
    unit_level: str
    rows: int
    inputs: list[dict[str, Any]]

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ComparisonResult:
    official: SideInfo
    independent: SideInfo
    level: str
    candidates: CandidatePlan
    units: dict[str, Any]
    totals: dict[str, dict[str, int | None]]
    margin: dict[str, Any]
    coverage: dict[str, Coverage | None]
    bound: Bound | None
    bound_note: str | None
    estimate: Estimate | None
    estimate_note: str | None
    discrepancies: pd.DataFrame
    one_side: pd.DataFrame
    #: level -> roll-up frame (a lazy mapping: each frame is built when first read)
    rollups: Mapping[str, pd.DataFrame]
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------
    def to_dict(self, rollup_levels: list[str] | None = None, max_discrepancies: int | None = None
                ) -> dict[str, Any]:
        """JSON-ready dict; field names per DESIGN.md (units, totals, margin, bound, discrepancies)."""
        rollups: dict[str, Any] = {}
        omitted = []
        for lv in self.rollups:
            rows = self.rollups.rows(lv) if hasattr(self.rollups, "rows") else len(self.rollups[lv])
            if rollup_levels is not None and lv not in rollup_levels:
                omitted.append(lv)
            elif rollup_levels is None and rows > ROLLUP_ROWS_IN_JSON:
                omitted.append(lv)
            else:
                rollups[lv] = records(self.rollups[lv])
        disc = self.discrepancies if max_discrepancies is None else self.discrepancies.head(max_discrepancies)
        return {
            "official": self.official.to_dict(),
            "independent": self.independent.to_dict(),
            "level": self.level,
            "candidates": self.candidates.to_dict(),
            "units": self.units,
            "totals": self.totals,
            "margin": self.margin,
            "coverage": {k: (v.to_dict() if v else None) for k, v in self.coverage.items()},
            "bound": self.bound.to_dict() if self.bound else {"available": False, "reason": self.bound_note},
            "estimate": (self.estimate.to_dict() if self.estimate
                         else {"available": False, "reason": self.estimate_note}),
            "discrepancies": records(disc),
            "discrepancies_total": int(len(self.discrepancies)),
            "one_side_only": records(self.one_side),
            "rollups": rollups,
            "rollups_omitted": omitted,
            "findings": [f.to_dict() for f in self.findings],
            "notes": list(self.notes),
        }

    def max_severity(self) -> str | None:
        from ..model import SEVERITY_ORDER

        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: SEVERITY_ORDER[s])
