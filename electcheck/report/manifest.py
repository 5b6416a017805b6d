"""Writing the report folder, run.json, and ``verify``: re-run from run.json and compare.

run.json holds: electcheck version, the command line, the config (verbatim,
so that a packaged example re-runs the same even if the package changes), the
seed, the parameters, each input's path and SHA-256, and the SHA-256 of every
output file. An input that is a folder of acta photos is recorded with
``"kind": "folder"`` and the folder's digest (``acta_images.folder_digest``: each
photo's name and SHA-256, in file order). ``verify(dir)`` first re-hashes every
input (a folder the same way; an edited input is named), then re-runs the audit
into a temporary folder and compares every output byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import __version__ as VERSION
from .safe import frame_csv

RUN_JSON = "run.json"
#: ``kind`` of an input that is a folder (of acta photos); a file input has no ``kind``
FOLDER = "folder"


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


TEXTS = "texts"


def text_copy(name: str) -> str | None:
    """Where the report folder keeps its copy of the article ``name`` (``texts/NAME``), or None when
    the name is absolute or climbs out (``..``): such a text stays outside and verify needs --allow-path."""
    p = Path(name)
    if p.is_absolute() or not p.parts or ".." in p.parts or p.drive:
        return None
    return f"{TEXTS}/{p.as_posix()}"


def build_files(audit) -> dict[str, bytes]:
    """Every output file of the report (except run.json) as bytes, keyed by relative path."""
    from .html import render_html
    from .markdown import render_markdown

    files: dict[str, bytes] = {}
    for c in audit.charts:
        files[f"charts/{c.slug}.svg"] = c.svg
        files[f"charts/{c.slug}.png"] = c.png
        files[f"charts/{c.slug}.csv"] = frame_csv(c.table).encode("utf-8")
    for rel, table in getattr(audit, "tables", {}).items():  # a section's own CSV (acta-photos.csv)
        files[rel] = frame_csv(table).encode("utf-8")
    for name, data in getattr(audit, "texts", {}).items():
        rel = text_copy(name)
        if rel is not None:
            files[rel] = data
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
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    cfg = audit.config

    def recorded_path(i: dict) -> str:
        """A checked article is recorded at its copy in the folder: verify reads nothing outside."""
        rel = text_copy(i["name"]) if i["source"] == "claims" else None
        return str((out / rel).resolve()) if rel is not None and rel in files else i["path"]

    def recorded(i: dict) -> dict:
        entry = {"name": i["name"], "source": i["source"], "path": recorded_path(i), "sha256": i["sha256"]}
        if i.get("path") and Path(i["path"]).is_dir():  # a folder of photos, pinned by folder_digest
            entry["kind"] = FOLDER
        return entry

    manifest = {
        "electcheck_version": VERSION,
        "command": list(command) if command is not None else [],
        "config": {"name": cfg.name, "base_dir": cfg.base_dir, "text": config_text,
                   "parsed": cfg.to_dict()},
        "seed": audit.seed,
        "parameters": {"resamples": cfg.resamples, "calibration_sims": cfg.calibration_sims, "tests": cfg.tests, "region_level": cfg.region_level},
        "inputs": [recorded(i) for i in audit.inputs],
        "outputs": {rel: _sha(b) for rel, b in files.items()},
    }
    (out / RUN_JSON).write_text(_dump(_clean(manifest)), encoding="utf-8")
    return manifest


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


# --- run.json: schema, confinement --------------------------------------------------------

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
MAX_RUN_JSON = 64 << 20


def _bad(message: str, run_json: Path, hint: str | None = None):
    from ..errors import InputError

    return InputError(message, file=str(run_json),
                      hint=hint or "verify a folder written by 'electcheck audit'; do not edit run.json")


def validate_run_json(m: Any, run_json: Path) -> None:
    """Types of every field verify uses (one line naming the first problem)."""
    def need(cond: bool, what: str) -> None:
        if not cond:
            raise _bad(f"run.json: {what}", run_json)

    need(isinstance(m, dict), "must be a JSON object")
    for key in ("electcheck_version", "config", "seed", "inputs", "outputs"):
        need(key in m, f"lacks the field {key!r}")
    need(isinstance(m["electcheck_version"], str), "electcheck_version must be a string")
    need(isinstance(m["seed"], int) and not isinstance(m["seed"], bool) and 0 <= m["seed"] < 2**63,
         "seed must be a whole number ≥ 0")
    c = m["config"]
    need(isinstance(c, dict), "config must be an object")
    need(isinstance(c.get("text"), str) or c.get("text") is None, "config.text must be a string")
    need(isinstance(c.get("name", ""), str), "config.name must be a string")
    need(c.get("base_dir") is None or isinstance(c.get("base_dir"), str), "config.base_dir must be a string")
    need(isinstance(c.get("text"), str) or isinstance(c.get("name"), str) and c.get("name"),
         "config needs its text (or its name)")
    need(isinstance(m["inputs"], list) and len(m["inputs"]) <= 10_000, "inputs must be a list")
    for n, i in enumerate(m["inputs"], start=1):
        need(isinstance(i, dict), f"input #{n} must be an object")
        for key in ("name", "source", "path", "sha256"):
            need(isinstance(i.get(key), str), f"input #{n} lacks a text field {key!r}")
        need(bool(_HEX64.match(i["sha256"])), f"input #{n} has no valid SHA-256")
        need(i.get("kind", "file") in ("file", FOLDER), f"input #{n} has a kind other than 'file' or 'folder'")
    need(isinstance(m["outputs"], dict) and len(m["outputs"]) <= 100_000, "outputs must be an object")
    for rel, h in m["outputs"].items():
        need(isinstance(h, str) and bool(_HEX64.match(h)), f"output {rel[:60]!r} has no valid SHA-256")
    if "parameters" in m:
        need(isinstance(m["parameters"], dict), "parameters must be an object")


def _inside(p: Path, roots: list[Path]) -> bool:
    try:
        rp = p.resolve()
    except (OSError, RuntimeError):
        return False
    return any(rp == r or r in rp.parents for r in roots)


def _is_builtin(name: str) -> bool:
    from ..sources import registry

    return name in registry.DATASETS


def _source_paths(source: str, base: Path) -> list[Path]:
    """The files a config source string names (none for a built-in dataset or profile name)."""
    if _is_builtin(source):
        return []
    parts = source.split("::", 1)
    out = [parts[0]]
    if len(parts) == 2 and parts[1].lower().endswith(".toml"):
        out.append(parts[1])
    return [Path(x) if Path(x).is_absolute() else base / x for x in out]


def confine(m: dict, out: Path, allow: list[Path] | None = None) -> tuple[Path, list[Path]]:
    """Check that every path in run.json stays inside the report folder (or a folder the user allowed).

    Returns the folder to resolve the config's relative names in, and the allowed roots. Raises
    (reading nothing) on the first path outside.
    """
    run_json = out / RUN_JSON
    roots = [out.resolve()] + [Path(a).resolve() for a in (allow or [])]
    where = "the report folder" + (" or the folders given with --allow-path" if allow else "")
    hint = f"verify reads nothing outside {where}; if you trust that file, pass --allow-path FOLDER"

    def refuse(what: str, path: str):
        return _bad(f"run.json: {what} {path[:120]!r} is outside {where}", run_json, hint)

    c = m["config"]
    base = out.resolve()
    if c.get("base_dir") and _inside(Path(c["base_dir"]), roots):
        base = Path(c["base_dir"]).resolve()
    if not c.get("text"):
        cfg_file = base / f"{c['name']}.toml"
        if not _inside(cfg_file, roots) or "/" in c["name"] or "\\" in c["name"]:
            raise refuse("config file", str(cfg_file))
    for i in m["inputs"]:
        if _is_builtin(i["source"]):
            continue  # found again through the dataset registry, never through the recorded path
        if not _inside(Path(i["path"]), roots):
            raise refuse(f"input {i['name'][:60]!r} has the path", i["path"])
        if _is_folder(i):
            for photo in _folder_photos(Path(i["path"]), run_json):
                if not _inside(photo, roots):  # a photo that is a link out of the folder
                    raise refuse(f"input {i['name'][:60]!r} has the photo", str(photo))
    for rel in m["outputs"]:
        if Path(rel).is_absolute() or ".." in Path(rel).parts or not _inside(out / rel, roots[:1]):
            raise refuse("output", rel)
    if c.get("text"):
        import tomllib

        try:
            data = tomllib.loads(c["text"])
        except (tomllib.TOMLDecodeError, RecursionError) as e:
            raise _bad(f"run.json: the recorded config is not valid TOML ({str(e)[:80]})", run_json) from None
        from .config import parse_config

        cfg = parse_config(data, base_dir=str(base), name=c.get("name", ""))
        sources = [x for spec in cfg.compare for x in (spec.official, spec.independent, spec.registered_from) if x]
        sources += list(cfg.published) + list(cfg.claims_against)
        sources += [cfg.forensics_source] if cfg.forensics_source else []
        for src in sources:
            for p in _source_paths(src, base):
                if not _inside(p, roots):
                    raise refuse("source", src)
        for fn in cfg.claim_files:
            p = Path(fn) if Path(fn).is_absolute() else base / fn
            copy = text_copy(fn)
            if not _inside(p, roots) and not (copy is not None and _inside(out / copy, roots[:1])):
                raise refuse("claims file", fn)
    return base, roots


def _is_folder(i: dict) -> bool:
    """A folder input: recorded as one, or (reports written before ``kind``) a folder at its path."""
    return i.get("kind") == FOLDER or (not _is_builtin(i["source"]) and Path(i["path"]).is_dir())


def _folder_photos(folder: Path, run_json: Path) -> list[Path]:
    """The photos ingest reads in ``folder`` (listed, not opened); none when it is no longer a folder."""
    from .. import limits as _limits
    from ..errors import ElectcheckError
    from ..sources.acta_images import list_photos

    if not folder.is_dir():
        return []
    try:
        return list_photos(folder, _limits.current().max_rows)[0]
    except ElectcheckError as e:
        raise _bad(f"run.json: the folder {str(folder)[:120]!r} cannot be listed ({e})", run_json) from None


def _locate(i: dict, roots: list[Path]) -> Path | None:
    """An input's file (or folder): a built-in dataset through the registry, anything else at its
    (confined) path."""
    from ..sources import registry

    if _is_builtin(i["source"]):
        return registry.local_path(registry.DATASETS[i["source"]].file)
    p = Path(i["path"])
    if _is_folder(i):
        return p if p.is_dir() and _inside(p, roots) else None
    return p if p.is_file() and _inside(p, roots) else None


def input_sha256(i: dict, p: Path) -> str:
    """The SHA-256 verify compares with the recorded one: a file's bytes, or a folder's digest (each
    photo's name and bytes, as ingest pinned it)."""
    from .. import limits as _limits

    if _is_folder(i):
        from ..sources.acta_images import folder_digest

        return folder_digest(p, _limits.current().max_rows)
    return _sha(_limits.read_bytes(p, what="input"))


def verify(outdir: str | Path, progress: Callable[[str], None] | None = None,
           allow_paths: list[str | Path] | None = None) -> VerifyResult:
    """Re-run the audit recorded in ``outdir/run.json`` and compare every output.

    Confined: run.json is checked against its schema, and every path in it must resolve (symlinks
    followed) inside ``outdir`` (or a folder in ``allow_paths``) or name a built-in dataset; anything
    else is refused before a single input is read.
    """
    from .. import limits as _limits
    from ..errors import InputError
    from .audit import run_audit
    from .config import parse_config

    out = Path(outdir)
    run_json = out / RUN_JSON
    if not run_json.exists():
        raise InputError(f"no {RUN_JSON} in {outdir}", file=str(run_json),
                         hint="verify a folder written by 'electcheck audit'")
    if not _inside(run_json, [out.resolve()]):
        raise _bad("run.json is a link to a file outside the report folder", run_json)
    with _limits.using(max_bytes=min(_limits.current().max_bytes, MAX_RUN_JSON)):
        text = _limits.read_text(run_json, what="run.json")
    try:
        m = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise _bad(f"run.json is not valid JSON ({str(e)[:80]})", run_json) from None
    validate_run_json(m, run_json)
    base, roots = confine(m, out, [Path(a) for a in (allow_paths or [])])

    res = VerifyResult(ok=True)
    if m.get("electcheck_version") != VERSION:
        res.version_note = f"report made with electcheck {m.get('electcheck_version')}, this is {VERSION}"
    for i in m["inputs"]:
        p = _locate(i, roots)
        if p is None:
            res.missing_inputs.append(i["name"])
            continue
        h = input_sha256(i, p)
        if h != i["sha256"]:
            res.changed_inputs.append({"name": i["name"], "path": i["path"], "expected": i["sha256"], "found": h})
    for rel, h in m["outputs"].items():
        f = out / rel
        if not f.is_file() or _sha(_limits.read_bytes(f, what="output")) != h:
            res.edited_outputs.append(rel)
    if res.changed_inputs or res.missing_inputs:
        res.ok = False
        return res
    c = m["config"]
    if c.get("text"):
        import tomllib

        cfg = parse_config(tomllib.loads(c["text"]), base_dir=str(base), name=c.get("name", ""))
    else:
        from .config import load_config

        cfg = load_config(base / f"{c['name']}.toml")
        cfg.base_dir = str(base)
    cfg.confine_to = [str(r) for r in roots]
    audit = run_audit(cfg, seed=m["seed"], progress=progress)
    files = build_files(audit)
    new = {rel: _sha(b) for rel, b in files.items()}
    old = m["outputs"]
    res.changed_outputs = sorted(k for k in set(new) | set(old) if new.get(k) != old.get(k))
    res.ok = not (res.changed_outputs or res.edited_outputs)
    return res
