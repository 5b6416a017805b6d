"""Reading a small TOML file the user names (a batch config, a mapping): bounded, one-line errors."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .errors import InputError


def load_toml(path: str | Path, what: str, hint: str | None = None) -> dict[str, Any]:
    """The parsed document; a missing, non-regular, oversized, non-UTF-8 or invalid file is an InputError."""
    from . import limits

    p = Path(path)
    if not p.exists():
        raise InputError(f"{what} not found", file=str(p))
    text = limits.read_text(p, what=what)  # devices, FIFOs and files over the byte limit are refused
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"not a valid TOML {what} ({e})", file=str(p), hint=hint) from None
