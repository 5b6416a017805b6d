"""Built-in profiles: how each dataset of ``registry.DATASETS`` is read.

Most are TOML mappings in ``profiles/`` (the same format users write); the
Russian tables build their mapping from the file's header, and the CNE
bulletins are typed figures read by ``published``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .mapping import Mapping, mapping_from_dict
from .russia import mapping_for

PROFILE_DIR = Path(__file__).parent / "profiles"


def profile_names() -> list[str]:
    names = [p.stem.replace("venezuela-2024-", "venezuela-2024/").replace("indonesia-2019-", "indonesia-2019/")
             .replace("kansas-finney-2023-", "kansas-finney-2023/")
             for p in sorted(PROFILE_DIR.glob("*.toml")) if not p.name.startswith("_")]
    return sorted(names + [f"russia-{y}" for y in (2004, 2007, 2008, 2011, 2012, 2016, 2018, 2020, 2021, 2024)]
                  + ["russia-2024-electronic", "venezuela-2024/cne-bulletin-1", "venezuela-2024/cne-bulletin-2"])


def is_russian(name: str) -> bool:
    return name.startswith("russia-")


def russian_year(name: str) -> int:
    return int(name.split("-")[1])


def is_published(name: str) -> bool:
    return name.startswith("venezuela-2024/cne-bulletin-")


def load_profile(name: str, header: list[str] | None = None) -> Mapping:
    """The Mapping of a built-in profile (Russian ones need the file's header)."""
    if is_russian(name):
        if header is None:
            raise ValueError("Russian profiles are built from the file header")
        m = mapping_for(russian_year(name), header)
        if name.endswith("-electronic"):
            m.source, m.unit_level, m.key = name, "region", m.key[:1]
            m.hierarchy = m.hierarchy[:1]
        return m
    path = PROFILE_DIR / (name.replace("/", "-") + ".toml")
    if not path.exists():
        raise InputError(f"unknown profile {name!r}", hint=f"Profiles: {', '.join(profile_names())}")
    import tomllib

    m = mapping_from_dict(tomllib.loads(path.read_text(encoding="utf-8")), origin=f"profile {name}",
                          base=PROFILE_DIR)
    return m
