"""Writing the report folder, run.json, and ``verify``: re-run from run.json and compare.

run.json holds: electcheck version, the command line, the config (verbatim,
so that a packaged example re-runs the same even if the package changes), the
seed, the parameters, each input's path and SHA-256, and the SHA-256 of every
output file. ``verify(dir)`` first re-hashes every input (an edited input is
named), then re-runs the audit into a temporary folder and compares every
output byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import __version__ as VERSION
from .safe import frame_csv

RUN_JSON = "run.json"


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _dump(o: Any) -> str:
    return json.dumps(o, ensure_ascii=False, indent=2, sort_keys=False, allow_nan=False,
                      default=_default) + "\n"


def _default(o: Any) -> Any:
    import numpy as np

    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return None if not np.isfinite(o) else float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if hasattr(o, "to_dict"):
        return o.to_dict()
    return str(o)


def _clean(o: Any) -> Any:
    import math

    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {str(k): _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    return o


def build_files(audit) -> dict[str, bytes]:
    """Every output file of the report (except run.json) as bytes, keyed by relative path."""
    from .html import render_html
    from .markdown import render_markdown

    files: dict[str, bytes] = {}
    for c in audit.charts:
        files[f"charts/{c.slug}.svg"] = c.svg
        files[f"charts/{c.slug}.png"] = c.png
        files[f"charts/{c.slug}.csv"] = frame_csv(c.table).encode("utf-8")
    files["results.json"] = _dump(_clean(audit.to_dict())).encode("utf-8")
    files["report.md"] = render_markdown(audit).encode("utf-8")
    names = sorted(list(files) + ["report.html", RUN_JSON])
    files["report.html"] = render_html(audit, names).encode("utf-8")
    return dict(sorted(files.items()))


def write_report(audit, outdir: str | Path, command: list[str] | None = None,
                 config_text: str | None = None) -> dict[str, Any]:
    """Write the report folder; return the run manifest (also written as run.json)."""
    out = Path(outdir)
    (out / "charts").mkdir(parents=True, exist_ok=True)
    files = build_files(audit)
    # charts of an earlier run into the same folder that this run does not make are removed, so the
    # folder holds exactly what run.json lists
    for old in sorted((out / "charts").iterdir()):
        if old.is_file() and old.suffix in (".svg", ".png", ".csv") and f"charts/{old.name}" not in files:
            old.unlink()
    for rel, data in files.items():
        (out / rel).write_bytes(data)
    cfg = audit.config
    manifest = {
        "electcheck_version": VERSION,
        "command": list(command) if command is not None else [],
        "config": {"name": cfg.name, "base_dir": cfg.base_dir, "text": config_text,
                   "parsed": cfg.to_dict()},
        "seed": audit.seed,
        "parameters": {"resamples": cfg.resamples, "calibration_sims": cfg.calibration_sims, "tests": cfg.tests, "region_level": cfg.region_level},
        "inputs": [{"name": i["name"], "source": i["source"], "path": i["path"], "sha256": i["sha256"]}
                   for i in audit.inputs],
        "outputs": {rel: _sha(b) for rel, b in files.items()},
    }
    (out / RUN_JSON).write_text(_dump(_clean(manifest)), encoding="utf-8")
    return manifest


def _locate(i: dict) -> Path | None:
    """The recorded path, or (report moved to another machine) the same name under $ELECTCHECK_DATA_DIR
    or its parent folder."""
    p = Path(i["path"])
    if p.is_file():
        return p
    dd = os.environ.get("ELECTCHECK_DATA_DIR")
    if dd:
        for base in (Path(dd), Path(dd).parent):
            q = base / i["name"]
            if q.is_file():
                return q
    return None


@dataclass
class VerifyResult:
    ok: bool
    changed_inputs: list[dict[str, str]] = field(default_factory=list)
    missing_inputs: list[str] = field(default_factory=list)
    changed_outputs: list[str] = field(default_factory=list)
    edited_outputs: list[str] = field(default_factory=list)
    version_note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def verify(outdir: str | Path, progress: Callable[[str], None] | None = None) -> VerifyResult:
    from ..errors import InputError
    from .audit import run_audit
    from .config import load_config, parse_config

    out = Path(outdir)
    try:
        m = json.loads((out / RUN_JSON).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"no {RUN_JSON} in {outdir}", file=str(out / RUN_JSON),
                         hint="verify a folder written by 'electcheck audit'") from None
    res = VerifyResult(ok=True)
    if m.get("electcheck_version") != VERSION:
        res.version_note = f"report made with electcheck {m.get('electcheck_version')}, this is {VERSION}"
    for i in m.get("inputs", []):
        p = _locate(i)
        if p is None:
            res.missing_inputs.append(i["name"])
            continue
        h = _sha(p.read_bytes())
        if h != i["sha256"]:
            res.changed_inputs.append({"name": i["name"], "path": i["path"], "expected": i["sha256"], "found": h})
    for rel, h in m.get("outputs", {}).items():
        f = out / rel
        if not f.is_file() or _sha(f.read_bytes()) != h:
            res.edited_outputs.append(rel)
    if res.changed_inputs or res.missing_inputs:
        res.ok = False
        return res
    c = m["config"]
    if c.get("text"):
        import tomllib

        cfg = parse_config(tomllib.loads(c["text"]), base_dir=c.get("base_dir"), name=c.get("name", ""))
    else:
        cfg = load_config(Path(c["base_dir"]) / f"{c['name']}.toml")
    audit = run_audit(cfg, seed=m["seed"], progress=progress)
    files = build_files(audit)
    new = {rel: _sha(b) for rel, b in files.items()}
    old = m.get("outputs", {})
    res.changed_outputs = sorted(k for k in set(new) | set(old) if new.get(k) != old.get(k))
    res.ok = not (res.changed_outputs or res.edited_outputs)
    return res
