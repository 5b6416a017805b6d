"""One way to name a source in every command: a built-in name, a file, ``FILE::MAP`` or ``FILE::PROFILE``.

``FILE::MAP.toml`` lets a command that takes several sources (``compare``,
``check --against`` repeated, an audit config) give each file its own mapping
without one option per position. A right-hand side ending in ``.toml`` is a
mapping file; anything else is a built-in profile name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SEPARATOR = "::"


@dataclass(frozen=True)
class SourceSpec:
    source: str
    mapping: str | None = None
    profile: str | None = None


def parse_source(source: str, *, mapping: str | Path | None = None, profile: str | None = None,
                 base_dir: str | Path | None = None) -> SourceSpec:
    """Split ``FILE::MAP`` and resolve relative paths against ``base_dir`` (an audit config's folder).

    An explicit ``mapping``/``profile`` wins over one written after ``::``; giving both
    forms for one source is refused by the caller's usage check, not silently merged.
    """
    from ..errors import InputError

    text = str(source)
    inline = None
    if SEPARATOR in text:
        text, inline = text.split(SEPARATOR, 1)
        if not text or not inline:
            raise InputError(f"'{source}' is not FILE::MAP", hint="Write the file, '::', then a mapping .toml "
                             "or a built-in profile name")
        if mapping is not None or profile is not None:
            raise InputError(f"'{source}' names its mapping after '::' and also with --map/--profile",
                             hint="Give the mapping one way only")
    m = str(mapping) if mapping is not None else None
    p = profile
    if inline is not None:
        if inline.lower().endswith(".toml"):
            m = inline
        else:
            p = inline
    if base_dir is not None:
        text = _under(text, base_dir)
        m = _under(m, base_dir) if m is not None else None
    return SourceSpec(text, m, p)


def _under(path: str, base_dir: str | Path) -> str:
    """A relative file path taken from ``base_dir``; built-in names ('russia-2012') stay as written."""
    p = Path(path)
    if p.is_absolute() or not (Path(base_dir) / p).exists():
        return path
    return str(Path(base_dir) / p)
