"""One batch job, run where Dask puts it: the single command, in-process, writing into the job's folder.

A forensics, compare or audit job *is* the command line it stands for
(``electcheck forensics SOURCE --format json -o DIR/NAME/result.json …``), run
through the same typer app, so a batch result is byte for byte what the single
command writes. A check job over a feed (JSON lines, one article per line) has no
single-command twin: it writes ``result.jsonl``, one line per article holding what
``electcheck check TEXT --format json`` gives for that article (the data's own
integrity findings, the same for every article, go once into ``findings.json``).
An actas job (a folder of acta photos, :mod:`.actas`) writes what ``electcheck ingest``
writes, its photos decoded as Dask tasks of their own.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ElectcheckError, InputError
from .config import Job

MAX_FEED_LINE = 4 << 20  # one article: 4 MB of JSON is already a book


def job_argv(job: Job, out: Path) -> list[str]:
    """The ``electcheck`` arguments that run ``job`` alone and write its result into ``out``."""
    o = job.options
    if job.command == "forensics":
        argv = ["forensics", o["source"]]
        argv += _flag("--map", o.get("map")) + _flag("--profile", o.get("profile"))
        for t in o.get("tests", []):
            argv += ["--tests", t]
        argv += _flag("--by", o.get("by")) + _flag("--seed", o.get("seed"))
        argv += _flag("--resamples", o.get("resamples")) + _flag("--calibration-sims", o.get("calibration_sims"))
        if o.get("power"):
            argv += ["--power"] + _flag("--power-share", o.get("power_share")) \
                + _flag("--power-reps", o.get("power_reps"))
        return argv + ["--format", "json", "-o", str(out / "result.json"), "-q"]
    if job.command == "compare":
        argv = ["compare", o["official"], o["independent"]]
        argv += _flag("--map-official", o.get("map_official")) + _flag("--map-independent", o.get("map_independent"))
        argv += _flag("--level", o.get("level")) + _flag("--registered-from", o.get("registered_from"))
        return argv + ["--format", "json", "-o", str(out / "result.json"), "-q"]
    if job.command == "check":
        argv = ["check"] + ([o["text"]] if "text" in o else ["--file", o["file"]])
        for a in o["against"]:
            argv += ["--against", a]
        argv += _flag("--map", o.get("map")) + _flag("--profile", o.get("profile")) + _flag("--lang", o.get("lang"))
        return argv + ["--format", "json", "-o", str(out / "result.json"), "-q"]
    if job.command == "audit":
        return ["audit", o["config"], "-o", str(out / "report"), "-q"]
    raise InputError(f"unknown command {job.command!r}")


def _flag(name: str, value: Any) -> list[str]:
    return [] if value is None else [name, str(value)]


def run_cli(argv: list[str]) -> None:
    """``electcheck ARGV`` in this process; a usage or input problem raises InputError (one line)."""
    from ..cli import app

    try:
        rc = app(argv, standalone_mode=False)
    except SystemExit as e:  # commands that end with an explicit exit code
        rc = e.code
    except ElectcheckError:
        raise
    except Exception as e:
        if hasattr(e, "format_message") and hasattr(e, "exit_code"):  # click usage errors
            raise InputError(e.format_message()) from None
        raise
    if isinstance(rc, int) and rc not in (0, 1):
        raise InputError(f"the command ended with exit code {rc}")


def run_job(job: Job, out_dir: str, digest: str) -> dict[str, Any]:
    """Run ``job`` into ``out_dir/NAME``; never raises: a failure is a row with its one-line reason."""
    out = Path(out_dir) / job.name
    out.mkdir(parents=True, exist_ok=True)
    t0, c0 = time.perf_counter(), time.process_time()
    row: dict[str, Any] = {"name": job.name, "command": job.command, "status": "ok", "reason": None,
                           "seconds": 0.0, "cpu_seconds": 0.0, "inputs_sha256": digest, "worker_pid": os.getpid()}
    try:
        if job.command == "check" and "feed" in job.options:
            row["figures"] = run_feed(job, out)
        elif job.command == "actas":
            from .actas import run_actas

            row["figures"] = run_actas(job, out)
        else:
            run_cli(job_argv(job, out))
            row["figures"] = key_figures(job, out)
    except ElectcheckError as e:
        row.update(status="failed", reason=str(e).splitlines()[0] if str(e) else type(e).__name__)
    except MemoryError:
        row.update(status="failed", reason="out of memory (raise the machine's memory or split the job)")
    except Exception as e:  # a bug in one job must not stop the batch; the reason names it
        row.update(status="failed", reason=f"unexpected {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                   .rstrip(": "))
    row["seconds"] = round(time.perf_counter() - t0, 3)
    row["cpu_seconds"] = round(time.process_time() - c0, 3)
    return row


def key_figures(job: Job, out: Path) -> dict[str, Any]:
    """The few numbers a newsroom sorts a batch by, read back from what the job wrote."""
    if job.command == "audit":
        manifest = json.loads((out / "report" / "run.json").read_text(encoding="utf-8"))
        return {"outputs": len(manifest.get("outputs", {}))}
    d = json.loads((out / "result.json").read_text(encoding="utf-8"))
    if job.command == "forensics":
        tests = d.get("tests", [])
        qs = [t["q_value"] for t in tests if t.get("q_value") is not None]
        return {"tests": len(tests), "significant": sum(q <= 0.05 for q in qs),
                "min_q": min(qs) if qs else None, "flags": len(d.get("flags") or [])}
    if job.command == "compare":
        u = d.get("units", {})
        return {k: u.get(k) for k in ("matched", "differing", "only_official", "only_independent")}
    return verdict_counts(d.get("claims", []))


def verdict_counts(claims: list[dict]) -> dict[str, int]:
    out = {"claims": len(claims)}
    for v in ("supported", "misleading", "contradicted", "unverifiable"):
        out[v] = sum(c.get("verdict") == v for c in claims)
    return out


@lru_cache(maxsize=8)
def _checker(against: tuple[str, ...], mapping: str | None, profile: str | None):
    """One Checker per worker process and source list: tallies load once for many articles."""
    from ..claims import Checker
    from ..claims.integrity import integrity_checks
    from ..cli.common import load_source

    tallies = [load_source(a, *((mapping, profile) if i == 0 else (None, None))) for i, a in enumerate(against)]
    findings = [f for t in tallies for f in integrity_checks(t)]
    return Checker(tallies), findings


def run_feed(job: Job, out: Path) -> dict[str, Any]:
    """Check every article of a JSON-lines feed, streaming: memory does not grow with the feed."""
    o = job.options
    checker, findings = _checker(tuple(o["against"]), o.get("map"), o.get("profile"))
    counts = {"articles": 0, "claims": 0, "supported": 0, "misleading": 0, "contradicted": 0, "unverifiable": 0}
    t0 = time.perf_counter()
    with open(o["feed"], "rb") as src, open(out / "result.jsonl", "w", encoding="utf-8", newline="\n") as dst:
        for n, line in enumerate(_lines(src, o["feed"]), 1):
            if not line.strip():
                continue
            article = _article(line, n, o["feed"])
            result = checker.check(article["text"], o.get("lang") or article.get("lang"))
            d = result.to_dict()
            rec = {"line": n, "id": article.get("id", n), **d}
            dst.write(json.dumps(rec, ensure_ascii=False, sort_keys=False, default=_default) + "\n")
            counts["articles"] += 1
            for k, v in verdict_counts(d.get("claims", [])).items():
                counts[k] += v
    (out / "findings.json").write_text(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2,
                                                  default=_default) + "\n", encoding="utf-8")
    secs = time.perf_counter() - t0
    counts["articles_per_second"] = round(counts["articles"] / secs, 1) if secs > 0 else None
    return counts


def _lines(src, name: str):
    """Lines of at most MAX_FEED_LINE bytes (a longer one is refused, not read whole)."""
    n = 0
    while True:
        line = src.readline(MAX_FEED_LINE + 1)
        if not line:
            return
        n += 1
        if len(line) > MAX_FEED_LINE:
            raise InputError(f"line {n} is longer than {MAX_FEED_LINE >> 20} MB", file=name,
                             hint="Put one article per line")
        yield line


def _article(line: bytes, n: int, name: str) -> dict[str, Any]:
    try:
        a = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"line {n} is not JSON ({e.__class__.__name__})", file=name,
                         hint='Write one object a line: {"id": …, "text": "…"}') from None
    if not isinstance(a, dict) or not isinstance(a.get("text"), str):
        raise InputError(f'line {n} has no "text" string', file=name, hint='Write {"id": …, "text": "…"}')
    return a


def _default(o: Any) -> Any:
    from ..cli.common import _json_default

    return _json_default(o)


# --- what a job depends on --------------------------------------------------------------------
def job_digest(job: Job) -> str:
    """SHA-256 over the job's options and the bytes of every file it reads (mapping, feed, config, photos…).

    A built-in dataset is fixed by its name (the registry pins its SHA-256), so it is
    hashed by name; a file is hashed by content, so editing it re-runs the job.
    """
    h = hashlib.sha256()
    h.update(json.dumps({"command": job.command, **job.options}, sort_keys=True, default=str).encode())
    for p in sorted(_files_of(job)):
        h.update(p.encode())
        h.update(_sha(p).encode())
    if job.command == "actas":  # a folder: its photos' names and bytes, as ingest pins it
        from .actas import folder_sha

        h.update(folder_sha(job).encode())
    from .. import __version__

    h.update(__version__.encode())
    return h.hexdigest()


def estimated_cost(job: Job) -> int:
    """Bytes of input a job reads (its files, and the raw files of the built-in datasets it names): a
    stand-in for its running time, so the scheduler can start the longest jobs first and no core idles at
    the end waiting on one long job (longest processing time first)."""
    from ..sources.registry import DATASETS, local_path

    total = 0
    for p in _files_of(job):
        try:
            total += Path(p).stat().st_size
        except OSError:
            pass
    for v in job.options.values():
        for name in ([v] if isinstance(v, str) else v if isinstance(v, list) else []):
            ds = DATASETS.get(name) if isinstance(name, str) else None
            for f in ([ds.file, *ds.extra_files] if ds else []):
                lp = local_path(f)
                total += lp.stat().st_size if lp is not None else 0
    return total


def _files_of(job: Job) -> set[str]:
    from ..sources.spec import SEPARATOR

    found: set[str] = set()
    values: list[Any] = list(job.options.values())
    if job.command == "audit":
        from ..sources.registry import data_dir
        from ..tomlfile import load_toml

        cfg = Path(job.options["config"])
        # audit configs name files from their own folder, or (claims files) from the data folder's parent
        roots = [cfg.parent] + ([data_dir().parent] if data_dir() else [])
        try:
            values += list(_strings(load_toml(cfg, "audit config"), roots))
        except ElectcheckError:
            pass  # the job itself will say what is wrong with its config
    for v in values:
        for s in ([v] if isinstance(v, str) else v if isinstance(v, list) else []):
            if not isinstance(s, str):
                continue
            for part in s.split(SEPARATOR):
                if Path(part).is_file():
                    found.add(str(Path(part).resolve()))
    return found


def _strings(obj: Any, roots: list[Path]):
    """Every string in a parsed TOML document that names a file under one of ``roots`` (both sides of ``::``)."""
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v, roots)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v, roots)
    elif isinstance(obj, str) and len(obj) < 4096:
        for part in obj.split("::"):
            for root in roots:
                if (root / part).is_file():
                    yield str(root / part)
                    break


def _sha(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
