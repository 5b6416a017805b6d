"""The audit config: a small TOML file naming sources, texts to check and forensic tests.

```toml
title = "Venezuela, presidential election of 28 July 2024"
seed = 20240728

[[compare]]                         # one or more reconciliations
official = "venezuela-2024/cne-bulletin-2"
independent = "venezuela-2024/opposition-v2"
registered_from = "venezuela-2024/opposition-v1"   # optional
label = "CNE bulletin 2 vs opposition tally sheets (V2)"

[published]                         # one-row published figures to check for integrity
sources = ["venezuela-2024/cne-bulletin-1"]

[claims]
files = ["examples/seed-article-en.txt"]   # relative: config dir, then $ELECTCHECK_DATA_DIR/.., then $ELECTCHECK_DATA_DIR
against = ["venezuela-2024/opposition-v2"]

[forensics]
source = "venezuela-2024/opposition-v1"
tests = ["integer-percent", "second-digit", "last-digit", "zero-five", "fingerprint", "hard-checks"]
resamples = 200
region_level = "state"              # for the margin-by-region chart
```

``sections = ["compare", "claims"]`` (top level) runs only those sections; by
default every section the config has inputs for runs (see ``report.sections``).

Sources are anything ``electcheck ingest`` accepts (built-in name, ingested
Parquet). Loading does not touch the data; it only validates the shape.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError

DEFAULT_TESTS = ["integer-percent", "second-digit", "last-digit", "zero-five", "fingerprint", "hard-checks"]


@dataclass
class CompareSpec:
    official: str
    independent: str
    registered_from: str | None = None
    label: str = ""
    level: str | None = None


@dataclass
class AuditConfig:
    title: str
    compare: list[CompareSpec] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    claim_files: list[str] = field(default_factory=list)
    claims_against: list[str] = field(default_factory=list)
    forensics_source: str | None = None
    #: how the report names the forensics source ("the opposition tally sheets (V1)")
    forensics_label: str = ""
    tests: list[str] = field(default_factory=list)
    resamples: int = 200
    calibration_sims: int = 200
    region_level: str | None = None
    seed: int = 20240728
    lead: str = ""
    #: the report sections to run (``sections = [...]``); None = every section the config has inputs for
    sections: list[str] | None = None
    #: where relative file names are looked up (the config's folder first)
    base_dir: str | None = None
    name: str = ""
    #: set by verify: claims files are looked up only in base_dir and must resolve inside these folders
    confine_to: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("base_dir", None)
        d.pop("confine_to", None)
        if d["sections"] is None:  # not chosen: the config reads (and reports) as before the key existed
            d.pop("sections")
        return d

    def resolve_file(self, name: str) -> Path:
        """A claims/article file: absolute, or relative to the config's folder, then to
        $ELECTCHECK_DATA_DIR's parent, then to $ELECTCHECK_DATA_DIR itself."""
        p = Path(name)
        if self.confine_to is not None:  # verify: nowhere but base_dir, and only inside the allowed folders
            q = p if p.is_absolute() else Path(self.base_dir or ".") / p
            roots = [Path(r).resolve() for r in self.confine_to]
            from .manifest import text_copy

            copy = text_copy(name)
            if not q.is_file() and copy is not None and (roots[0] / copy).is_file():
                q = roots[0] / copy  # the report folder's own copy of the article (texts/NAME)
            rq = q.resolve()
            if not any(rq == r or r in rq.parents for r in roots):
                raise InputError(f"text file {name!r} is outside the report folder", file=name,
                                 hint="verify reads nothing outside the report folder (see --allow-path)")
            if not q.is_file():
                raise InputError(f"text file not found: {name}", file=name)
            return rq
        if p.is_absolute():
            if p.is_file():
                return p
            raise InputError(f"text file not found: {name}", file=name)
        bases = []
        if self.base_dir:
            bases.append(Path(self.base_dir))
        dd = os.environ.get("ELECTCHECK_DATA_DIR")
        if dd:
            bases += [Path(dd).parent, Path(dd)]
        bases.append(Path.cwd())
        for b in bases:
            if (b / p).is_file():
                return (b / p).resolve()
        raise InputError(f"text file {name!r} not found; looked in " + ", ".join(str(b) for b in bases),
                         file=name, hint="Set ELECTCHECK_DATA_DIR (e.g. ../shared/datasets) or give a path "
                                         "relative to the config file")


def _list(v: Any, what: str) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return list(v)
    raise InputError(f"config: {what} must be a string or a list of strings")


#: the config's schema: section → key → (types, description); checked before anything else
_STR, _INT = (str,), (int,)
SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], str]]] = {
    "": {"title": (_STR, "a string"), "seed": (_INT, "a whole number"), "lead": (_STR, "a string"),
         "compare": ((list, dict), "a table or a list of tables"), "published": ((dict, list, str), "a table"),
         "claims": ((dict,), "a table"), "forensics": ((dict,), "a table"),
         "sections": ((str, list), "a section name or a list of them")},
    "compare": {"official": (_STR, "a source name"), "independent": (_STR, "a source name"),
                "registered_from": (_STR, "a source name"), "label": (_STR, "a string"),
                "level": (_STR, "a level name")},
    "published": {"sources": ((str, list), "a source name or a list of them")},
    "claims": {"files": ((str, list), "a file name or a list of them"),
               "against": ((str, list), "a source name or a list of them")},
    "forensics": {"source": (_STR, "a source name"), "label": (_STR, "a string"),
                  "tests": ((str, list), "a test name or a list of them"), "resamples": (_INT, "a whole number"),
                  "calibration_sims": (_INT, "a whole number"), "region_level": (_STR, "a level name")},
}
#: ranges of the numbers: key → (lowest, highest)
RANGES = {"resamples": (1, 1_000_000), "calibration_sims": (0, 100_000), "seed": (0, 2**63 - 1)}
MAX_TEXT = 10_000   # characters in any one string of the config
MAX_ITEMS = 1_000   # entries in any list of the config


def _check_value(where: str, key: str, value: Any, types: tuple[type, ...], what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, types):
        shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
        raise InputError(f"config: {where}{key} must be {what}, not {shown[:60]}",
                         hint="Fix the config file (see 'electcheck audit --example venezuela-2024')")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise InputError(f"config: {where}{key} is {len(value):,} characters long (at most {MAX_TEXT:,})")
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise InputError(f"config: {where}{key} has {len(value):,} entries (at most {MAX_ITEMS:,})")
        for v in value:
            if not isinstance(v, (str, dict)) or (isinstance(v, str) and len(v) > MAX_TEXT):
                raise InputError(f"config: {where}{key} must hold strings, not {type(v).__name__}")
    if key in RANGES and isinstance(value, int):
        lo, hi = RANGES[key]
        if not lo <= value <= hi:
            raise InputError(f"config: {where}{key} must be between {lo:,} and {hi:,} (got {value})")


def validate_config(data: Any) -> None:
    """Check types and ranges of a parsed config against :data:`SCHEMA` (one line naming the first problem)."""
    if not isinstance(data, dict):
        raise InputError("config: must be a TOML table of settings")
    known = SCHEMA[""]
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise InputError(f"config: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    for key, value in data.items():
        _check_value("", key, value, *known[key])
    for sec, keys in SCHEMA.items():
        if not sec or sec not in data:
            continue
        tables = data[sec]
        if sec == "published" and not isinstance(tables, dict):
            continue  # a bare list of sources
        for n, tbl in enumerate(tables if isinstance(tables, list) else [tables], start=1):
            label = f"[[{sec}]] #{n}" if isinstance(tables, list) else f"[{sec}]"
            if not isinstance(tbl, dict):
                raise InputError(f"config: {label} must be a table")
            extra = sorted(set(tbl) - set(keys))
            if extra:
                raise InputError(f"config: unknown key(s) in [{sec}]: {', '.join(extra)}; "
                                 f"known: {', '.join(sorted(keys))}")
            for key, value in tbl.items():
                _check_value(f"{label} ", key, value, *keys[key])


def parse_config(data: dict[str, Any], base_dir: str | None = None, name: str = "") -> AuditConfig:
    validate_config(data)
    comps = []
    raw = data.get("compare", [])
    if isinstance(raw, dict):
        raw = [raw]
    for i, c in enumerate(raw):
        if not isinstance(c, dict) or "official" not in c or "independent" not in c:
            raise InputError(f"config: [[compare]] #{i + 1} needs 'official' and 'independent'")
        comps.append(CompareSpec(str(c["official"]), str(c["independent"]), c.get("registered_from"),
                                 str(c.get("label", "")), c.get("level")))
    pub = data.get("published", {})
    claims = data.get("claims", {})
    fx = data.get("forensics", {})
    cfg = AuditConfig(
        title=str(data.get("title", name or "Election audit")),
        compare=comps,
        published=_list(pub.get("sources") if isinstance(pub, dict) else pub, "published.sources"),
        claim_files=_list(claims.get("files"), "claims.files"),
        claims_against=_list(claims.get("against"), "claims.against"),
        forensics_source=fx.get("source"),
        forensics_label=str(fx.get("label", "")),
        tests=_list(fx.get("tests"), "forensics.tests") or (DEFAULT_TESTS if fx.get("source") else []),
        resamples=int(fx.get("resamples", 200)),
        calibration_sims=int(fx.get("calibration_sims", 200)),
        region_level=fx.get("region_level"),
        seed=int(data.get("seed", 20240728)),
        lead=str(data.get("lead", "")),
        base_dir=base_dir,
        name=name,
    )
    if cfg.claim_files and not cfg.claims_against:
        cfg.claims_against = [comps[0].independent] if comps else []
    if cfg.resamples < 1:
        raise InputError("config: forensics.resamples must be ≥ 1")
    if "sections" in data:
        cfg.sections = _sections(_list(data["sections"], "sections"), cfg)
    return cfg


def _sections(names: list[str], cfg: AuditConfig) -> list[str]:
    """The config's ``sections``: known names, each with something to run (one line naming the problem)."""
    from .sections import SECTIONS

    valid = ", ".join(SECTIONS)
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise InputError(f"config: unknown section(s) {', '.join(map(repr, unknown))} in sections; "
                         f"valid: {valid}")
    if not names:
        raise InputError(f"config: sections is empty; name at least one of: {valid} (or leave the key out)")
    idle = [n for n in names if not SECTIONS[n].wanted(cfg)]
    if idle:
        raise InputError(f"config: section {idle[0]!r} is selected but the config gives it nothing to run; "
                         f"it needs {SECTIONS[idle[0]].NEEDS}")
    return list(dict.fromkeys(names))


def load_config(path: str | Path) -> AuditConfig:
    return load_config_text(path)[0]


def load_config_text(path: str | Path) -> tuple[AuditConfig, str]:
    """The config and its text, read once (bounded: a config is never more than 16 MB)."""
    from .. import limits as _limits

    p = Path(path)
    with _limits.using(max_bytes=min(_limits.current().max_bytes, 16 << 20)):
        text = _limits.read_text(p, what="config file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"config is not valid TOML: {e}", file=str(path)) from None
    except RecursionError:
        raise InputError("config is nested too deeply", file=str(path)) from None
    return parse_config(data, base_dir=str(p.resolve().parent), name=p.stem), text


def example_names() -> list[str]:
    root = resources.files("electcheck") / "examples"
    return sorted(f.name[:-5] for f in root.iterdir() if f.name.endswith(".toml"))


def example_text(name: str) -> str:
    f = resources.files("electcheck") / "examples" / f"{name}.toml"
    if not f.is_file():
        raise InputError(f"no example config {name!r}; examples: {', '.join(example_names())}")
    return f.read_text(encoding="utf-8")


def load_example(name: str) -> AuditConfig:
    return parse_config(tomllib.loads(example_text(name)), base_dir=None, name=name)
