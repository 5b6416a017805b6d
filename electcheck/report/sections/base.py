"""What every report section returns, and the steps it announces before it runs.

A section module has a ``SLUG`` (its key in ``results.json`` and in the config's
``sections = [...]``), a docstring whose first line says what it shows, and three
functions:

- ``wanted(cfg)``: does the config give the section anything to work on?
- ``plan(cfg)``: the steps it will announce (:class:`Planned`), for a progress bar's total;
- ``build(ctx)``: run it on the shared :class:`~.context.AuditContext`, return a :class:`Section`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Hashable

import pandas as pd

from ..charts import Chart


@dataclass
class Section:
    """One section of the report: its data, what it leads with, its charts, what it read."""

    slug: str
    #: JSON-ready data under ``sections.<slug>`` in results.json; None = the section adds no key (a chart only)
    data: Any = None
    #: findings for "What the data show": ``kind``, ``source``, ``text`` (the audit adds ``title``)
    headlines: list[dict[str, str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    #: the inputs the section read (name, path, SHA-256, rows, and the source that named them)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    #: extra CSV files of the report folder: relative path → table (cells made spreadsheet-safe when written)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class Planned:
    """A step a section will announce; steps with the same ``key`` (a source loaded, a reconciliation
    run) happen once in an audit, however many sections need them."""

    text: str
    key: Hashable | None = None


def load_step(name: str) -> Planned:
    return Planned(f"ingest {name}", ("load", name))


def compare_step(k: int, official: str, independent: str) -> Planned:
    return Planned(f"compare {official} / {independent}", ("compare", k))


def compare_plan(cfg, k: int) -> list[Planned]:
    """Loading the three sources of ``cfg.compare[k]``, then reconciling them."""
    c = cfg.compare[k]
    loads = [load_step(n) for n in (c.official, c.independent, c.registered_from) if n]
    return loads + [compare_step(k, c.official, c.independent)]
