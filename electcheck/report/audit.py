"""The audit: config → every section's data, charts and headline findings (nothing printed).

``run_audit(config, seed=None, progress=None)`` runs the sections the config selects
(:mod:`.sections`: reconciliations, acta photos, published figures, margin by region,
claims, forensics) on one shared loading context, so each source is loaded once, and returns an
:class:`AuditResult`. A section whose piece is missing carries ``available: False`` and
the reason; the report then says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from .. import __version__ as VERSION
from . import sections as _sections
from .charts import Chart
from .config import AuditConfig

Progress = Callable[[str], None]


@dataclass
class AuditResult:
    config: AuditConfig
    seed: int
    #: JSON-ready sections: compare, actas, published, claims, forensics
    sections: dict[str, Any]
    headlines: list[dict[str, str]]
    charts: list[Chart]
    inputs: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    #: the article texts checked, by the name the config gives them: the report folder keeps a copy
    #: (texts/NAME) so that verify can re-run it without reading outside the folder
    texts: dict[str, bytes] = field(default_factory=dict)
    #: each section as it was built (its data, headlines, charts and inputs), in report order
    parts: list[_sections.Section] = field(default_factory=list)
    #: CSV files of the sections beside the charts' (relative path → table)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "electcheck_version": VERSION,
            "title": self.config.title,
            "seed": self.seed,
            "config": self.config.to_dict(),
            "headlines": self.headlines,
            "inputs": [{k: v for k, v in i.items() if k != "path"} for i in self.inputs],
            "sections": self.sections,
            "charts": [{"slug": c.slug, "title": c.title, "subtitle": c.subtitle, "source": c.source,
                        "alt": c.alt, "files": [f"charts/{c.slug}.svg", f"charts/{c.slug}.png",
                                                f"charts/{c.slug}.csv"]} for c in self.charts],
            "notes": self.notes,
        }


def plan_steps(cfg: AuditConfig) -> list[str]:
    """Names of the steps ``run_audit(cfg)`` announces, in order (a progress bar's total is their count)."""
    return _sections.plan(cfg)


def run_audit(cfg: AuditConfig, seed: int | None = None, progress: Progress | None = None) -> AuditResult:
    """Run every section ``cfg`` selects; return the data of the report (nothing printed or written).

    ``progress(name)`` is called as each step of :func:`plan_steps` begins.
    """
    seed = cfg.seed if seed is None else int(seed)
    ctx = _sections.AuditContext(cfg, seed, progress)
    parts = []
    for module in _sections.selected(cfg):
        ctx.begin_section()
        part = module.build(ctx)
        part.inputs = ctx.section_inputs()
        for c in part.charts:
            ctx.add_chart(c)
        parts.append(part)
    rank = {"bound": 0, "claims": 1, "margin-by-region": 2, "discrepancies-by-region": 3, "fingerprint": 4,
            "integer-percent": 5}
    out_charts = sorted(ctx.charts, key=lambda c: rank.get(re.sub(r"-\d+$", "", c.slug), 6))  # digits keep order
    headlines = [h for p in parts for h in p.headlines]
    for h in headlines:
        h.setdefault("title", HEADLINE_TITLES.get(h["kind"], ""))
    return AuditResult(cfg, seed, {p.slug: p.data for p in parts if p.data is not None}, _order(headlines),
                       out_charts, sorted(ctx.inputs.values(), key=lambda i: (i["name"], i["path"])), [],
                       ctx.texts, parts, {rel: df for p in parts for rel, df in p.tables.items()})


HEADLINE_TITLES = {"bound": "The count", "claims": "The article", "round": "The bulletin's arithmetic",
                   "forensics": "Forensic tests", "match": "Cross-check", "actas": "The acta photos"}


def _order(h: list[dict]) -> list[dict]:
    """Declared result vs tally, the article, published arithmetic, forensics, acta photos, cross-checks;
    without a declared result to test, the acta photos and the cross-checks of two tallies come before
    the forensic tests."""
    rank = {"bound": 0, "claims": 1, "round": 2, "forensics": 3, "match": 4}
    if not any(x["kind"] == "bound" for x in h):
        rank["match"] = 2.5
    rank["actas"] = rank["match"] - 0.1
    return sorted(h, key=lambda x: rank.get(x["kind"], 9))
