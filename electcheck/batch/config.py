"""The batch config: a TOML file listing jobs, validated before anything runs.

    [[jobs]]
    name = "russia-2012"       # unique; the job's folder under the output folder
    command = "forensics"      # forensics | check | compare | audit | actas
    source = "russia-2012"     # or a file, with map = "m.toml" (or "FILE::MAP.toml")
    seed = 1
    resamples = 1000

Relative file paths are taken from the config's folder. Every problem is an
``InputError`` naming the job and the key, so a bad config stops before any job runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

COMMANDS = ("forensics", "check", "compare", "audit", "actas")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_COMMON = {"name", "command", "seed"}
_KEYS = {
    "forensics": _COMMON | {"source", "map", "profile", "tests", "resamples", "calibration_sims", "by", "power",
                            "power_share", "power_reps"},
    "check": _COMMON | {"feed", "file", "text", "against", "map", "profile", "lang"},
    "compare": _COMMON | {"official", "independent", "map_official", "map_independent", "level",
                          "registered_from"},
    "audit": _COMMON | {"config"},
    "actas": {"name", "command", "source", "map", "profile", "compare", "chunk"},
}
_INTS = {"seed": (0, 2**32 - 1), "resamples": (19, 10**6), "calibration_sims": (0, 10**5), "power_reps": (1, 10**4),
         "chunk": (1, 100_000)}
_MAX_JOBS = 10_000


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    options: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


@dataclass
class BatchConfig:
    path: Path
    jobs: list[Job]


def load_batch_config(path: str | Path) -> BatchConfig:
    from ..tomlfile import load_toml

    p = Path(path)
    raw = load_toml(p, "batch config", hint="See docs/batch.md")
    jobs = raw.get("jobs")
    if not isinstance(jobs, list) or not jobs:
        raise InputError("the batch config lists no [[jobs]]", file=str(p),
                         hint="Add [[jobs]] tables with name, command and their options (docs/batch.md)")
    if len(jobs) > _MAX_JOBS:
        raise InputError(f"{len(jobs):,} jobs is more than the {_MAX_JOBS:,} a batch may hold", file=str(p))
    extra = set(raw) - {"jobs"}
    if extra:
        raise InputError(f"unknown top-level key(s) {sorted(extra)}", file=str(p), hint="Only [[jobs]] is read")
    seen: set[str] = set()
    out = [_job(j, i, p, seen) for i, j in enumerate(jobs, 1)]
    return BatchConfig(p, out)


def _job(raw: Any, i: int, path: Path, seen: set[str]) -> Job:
    where = f"job {i}"
    if not isinstance(raw, dict):
        raise InputError(f"{where} is not a table", file=str(path))
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise InputError(f"{where}: name must be letters, digits, '.', '_' or '-' (got {name!r})", file=str(path),
                         hint="The name is the job's folder: keep it short and plain")
    where = f"job {name!r}"
    if name in seen:
        raise InputError(f"{where} appears twice", file=str(path), hint="Job names must be unique")
    seen.add(name)
    command = raw.get("command")
    if command not in COMMANDS:
        raise InputError(f"{where}: command must be one of {', '.join(COMMANDS)} (got {command!r})", file=str(path))
    unknown = set(raw) - _KEYS[command]
    if unknown:
        raise InputError(f"{where}: unknown key(s) {sorted(unknown)} for {command}", file=str(path),
                         hint=f"Allowed: {', '.join(sorted(_KEYS[command]))}")
    for k, (lo, hi) in _INTS.items():
        if k in raw and (not isinstance(raw[k], int) or isinstance(raw[k], bool) or not lo <= raw[k] <= hi):
            raise InputError(f"{where}: {k} must be an integer from {lo:,} to {hi:,} (got {raw[k]!r})",
                             file=str(path))
    opts = {k: v for k, v in raw.items() if k not in ("name", "command")}
    _require(opts, command, where, path)
    base = path.parent
    for k in ("map", "map_official", "map_independent", "feed", "file", "config"):
        if k in opts:
            if not isinstance(opts[k], str):
                raise InputError(f"{where}: {k} must be a path (got {opts[k]!r})", file=str(path))
            opts[k] = str(_from(base, opts[k]))
    if "profile" in opts and not isinstance(opts["profile"], str):
        raise InputError(f"{where}: profile must be a profile name (got {opts['profile']!r})", file=str(path))
    for k in ("source", "official", "independent", "registered_from", "compare"):
        if k in opts:
            opts[k] = _source(base, opts[k], where, k, path)
    if "against" in opts:
        a = opts["against"]
        a = [a] if isinstance(a, str) else a
        if not isinstance(a, list) or not a or not all(isinstance(x, str) for x in a):
            raise InputError(f"{where}: against must be a source or a list of sources", file=str(path))
        opts["against"] = [_source(base, x, where, "against", path) for x in a]
    if "tests" in opts:
        t = opts["tests"]
        t = [t] if isinstance(t, str) else t
        if not isinstance(t, list) or not all(isinstance(x, str) for x in t):
            raise InputError(f"{where}: tests must be a list of test slugs", file=str(path))
        opts["tests"] = t
    return Job(name, command, opts)


def _require(opts: dict, command: str, where: str, path: Path) -> None:
    need = {"forensics": ["source"], "compare": ["official", "independent"], "audit": ["config"],
            "check": ["against"], "actas": ["source"]}[command]
    missing = [k for k in need if k not in opts]
    if command == "check" and sum(k in opts for k in ("feed", "file", "text")) != 1:
        missing.append("exactly one of feed, file, text")
    if missing:
        raise InputError(f"{where}: {command} needs {', '.join(missing)}", file=str(path))


def _from(base: Path, value: str) -> Path:
    p = Path(value)
    return p if p.is_absolute() else base / p


def _source(base: Path, value: Any, where: str, key: str, path: Path) -> str:
    """A built-in name stays a name; a relative file (or FILE::MAP) is taken from the config's folder."""
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}: {key} must be a dataset name or a file (got {value!r})", file=str(path))
    from ..sources.spec import SEPARATOR

    left, sep, right = value.partition(SEPARATOR)
    if (base / left).exists() and not Path(left).is_absolute():
        left = str(base / left)
    if sep and right.lower().endswith(".toml") and not Path(right).is_absolute():
        right = str(base / right)
    return left + sep + right
