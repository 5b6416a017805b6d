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
    calibration_sims: int = 20
    region_level: str | None = None
    seed: int = 20240728
    lead: str = ""
    #: where relative file names are looked up (the config's folder first)
    base_dir: str | None = None
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("base_dir", None)
        return d

    def resolve_file(self, name: str) -> Path:
        """A claims/article file: absolute, or relative to the config's folder, then to
        $ELECTCHECK_DATA_DIR's parent, then to $ELECTCHECK_DATA_DIR itself."""
        p = Path(name)
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


def parse_config(data: dict[str, Any], base_dir: str | None = None, name: str = "") -> AuditConfig:
    known = {"title", "seed", "lead", "compare", "published", "claims", "forensics"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(f"config: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    sub_known = {"compare": {"official", "independent", "registered_from", "label", "level"},
                 "published": {"sources"}, "claims": {"files", "against"},
                 "forensics": {"source", "label", "tests", "resamples", "calibration_sims", "region_level"}}
    for sec, keys in sub_known.items():
        tables = data.get(sec, [])
        for tbl in (tables if isinstance(tables, list) else [tables]):
            if isinstance(tbl, dict) and set(tbl) - keys:
                raise InputError(f"config: unknown key(s) in [{sec}]: {', '.join(sorted(set(tbl) - keys))}; "
                                 f"known: {', '.join(sorted(keys))}")
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
        calibration_sims=int(fx.get("calibration_sims", 20)),
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
    return cfg


def load_config(path: str | Path) -> AuditConfig:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"config file not found: {path}", file=str(path)) from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"config is not valid TOML: {e}", file=str(path)) from None
    return parse_config(data, base_dir=str(p.resolve().parent), name=p.stem)


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
