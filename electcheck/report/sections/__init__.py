"""The sections of an audit report, one module each, run in this order on one shared context.

Each module has ``SLUG``, ``NEEDS`` (what the config must give it, in words),
``wanted(cfg)``, ``plan(cfg)`` and ``build(ctx) -> Section`` (see :mod:`.base`).
A config's ``sections = [...]`` picks some; by default every section the config
has inputs for runs. The order of the report does not depend on the order of the list.
"""

from __future__ import annotations

from types import ModuleType

from . import actas, claims, compare, forensics, published, regions
from .base import Planned, Section
from .context import AuditContext

#: every section, in the order it runs and appears in results.json
SECTIONS: dict[str, ModuleType] = {m.SLUG: m for m in (compare, actas, published, regions, claims, forensics)}


def list_sections() -> list[tuple[str, str]]:
    """(slug, first docstring line) of every section."""
    return [(slug, (m.__doc__ or "").strip().splitlines()[0]) for slug, m in SECTIONS.items()]


def selected(cfg) -> list[ModuleType]:
    """The sections ``cfg`` runs: those it names in ``sections`` (all by default) that have inputs."""
    chosen = SECTIONS if cfg.sections is None else [s for s in SECTIONS if s in cfg.sections]
    return [SECTIONS[s] for s in chosen if SECTIONS[s].wanted(cfg)]


def plan(cfg) -> list[str]:
    """The steps the selected sections announce, in order; a source or reconciliation needed by several
    sections is announced once."""
    steps, seen = [], set()
    for m in selected(cfg):
        for p in m.plan(cfg):
            if p.key is None or p.key not in seen:
                seen.add(p.key)
                steps.append(p.text)
    return steps


__all__ = ["SECTIONS", "AuditContext", "Planned", "Section", "list_sections", "plan", "selected"]
