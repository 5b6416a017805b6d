"""Evidence for a verdict: which source, which files (SHA-256), how many units."""

from __future__ import annotations

from typing import Any

from ..model import Tally


def evidence(tally: Tally) -> dict[str, Any]:
    m = tally.meta
    return {
        "source": m.source,
        "kind": m.kind,
        "election": m.election,
        "unit_level": m.unit_level,
        "units": int(len(tally.data)),
        "share_basis": m.share_basis,
        "inputs": [{"name": f.name or f.path, "sha256": f.sha256, "rows": f.rows} for f in m.inputs],
    }
