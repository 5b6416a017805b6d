"""How the report names candidates and sources in its sentences."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from .. import adapters


def short(name: str) -> str:
    """'Nicolás Maduro Moros' → 'Maduro' style short label when no alias gives one (second word if 3+ words)."""
    parts = name.split()
    if len(parts) >= 3:
        return parts[1]
    return parts[-1] if parts else name


def short_names(t) -> dict[str, str]:
    """Candidate id → short name for headlines: the first one-word alias in Latin letters
    ('Maduro', 'Putin', 'Jokowi'), else a word of the full name."""
    out = {}
    for c in t.meta.candidates:
        one = [a for a in (c.aliases or ()) if re.fullmatch(r"[A-Za-zÀ-ÿ'’-]{3,}", a) and not a.isupper()]
        out[c.id] = one[0] if one else short(c.name)
    return out


def source_label(t) -> str:
    """'venezuela-2024/opposition-v2 (RESULTADOS_2024_CSV_V2.csv)': the source and its files, for source lines."""
    files = ", ".join(i["name"] for i in adapters.inputs_of(t))
    return f"{t.meta.source} ({files})" if files else t.meta.source


def parties(spec) -> tuple[str, str]:
    """('CNE bulletin 2 (2 August)', 'the opposition tally sheets (V2)') from a label 'X against Y'."""
    lab = spec.label or ""
    if " against " in lab:
        x, y = lab.split(" against ", 1)
        return x.strip(), y.strip()
    return spec.official, spec.independent


def capital(s: str) -> str:
    return s[:1].upper() + s[1:]


def number(v: Any) -> str:
    """A figure in a sentence: whole numbers with thousands separators, others with two decimals."""
    if isinstance(v, (int, np.integer)) or (isinstance(v, float) and float(v).is_integer() and abs(v) > 100):
        return f"{int(v):,}"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)
