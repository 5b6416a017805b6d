"""A batch job that reads a folder of acta photos, the photos decoded as Dask tasks.

    [[jobs]]
    name = "actas-caracas"
    command = "actas"
    source = "photos/"                    # a folder of JPEG/PNG photos (or "photos/::venezuela-2024/acta-qr")
    profile = "venezuela-2024/acta-qr"    # or map = "m.toml", a mapping with a [qr] table
    compare = "venezuela-2024/qr-vzlapi"  # optional: a per-acta tally to set the photos against
    chunk = 200                           # optional: photos per Dask task

The job is one Dask task. It cuts the folder's photos (in file-name order) into chunks and
submits each chunk to the same cluster as a task of its own, running
:func:`electcheck.sources.acta_images.decode_images` (what the local process pool runs);
each task returns the plain decoded records of its photos. The records are put back in
file order and the tally is built once, by the code ``electcheck ingest`` runs, so the
job writes byte for byte what the single commands write:

==================  ====================================================================
``tally.parquet``   ``electcheck ingest SOURCE --profile P -o tally.parquet``
``quarantine.csv``  ``… --errors quarantine.csv``
``result.json``     ``… --format json``
``compare.json``    ``electcheck compare COMPARE SOURCE::P --format json`` (with ``compare``)
==================  ====================================================================

While it waits for its chunks the job's task leaves its worker's thread pool
(``distributed.worker_client``), so its own core decodes too.
"""

from __future__ import annotations

import math
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..errors import ElectcheckError, InputError
from .config import Job

#: photos per Dask task at most; a smaller folder is cut so that every worker thread gets about four chunks
CHUNK = 200
TALLY = "tally.parquet"
ERRORS = "quarantine.csv"
RESULT = "result.json"
COMPARE = "compare.json"


def chunk_size(n: int, slots: int, most: int = CHUNK) -> int:
    """Photos per chunk for ``n`` photos on ``slots`` worker threads: at most ``most``, about four chunks per slot."""
    return max(1, min(most, math.ceil(n / (4 * max(1, slots))) if n else 1))


def dask_decoder(client: Any, chunk: int | None = None, label: str = "photos", stats: dict | None = None):
    """A :class:`~electcheck.sources.acta_images.Decoder` that decodes chunks of photos as tasks on ``client``.

    ``chunk``: photos per task (default :func:`chunk_size`). ``stats`` (if given) receives
    ``chunks``, ``chunk``, ``decode_workers`` (how many workers held a decoded chunk) and
    ``decode_seconds`` (the photos' decoding time summed over every worker).
    """
    from distributed import as_completed

    from ..sources.acta_images import MAX_PIXELS, decode_images, merge_chunks, photo_chunks

    def decode(paths: list[str], layout, *, progress=None, max_bytes: int | None = None,
               max_pixels: int = MAX_PIXELS):
        n = len(paths)
        size = chunk or chunk_size(n, sum(client.nthreads().values()))
        chunks = photo_chunks(paths, size)
        token = uuid.uuid4().hex[:8]
        futures = [client.submit(decode_images, c, layout, max_bytes, max_pixels,
                                 key=f"decode-{label}-{token}-{k}") for k, c in enumerate(chunks)]
        results, done = [], 0
        try:
            for fut in as_completed(futures):
                part = fut.result()
                results.append(part)
                done += len(part)
                if progress is not None:
                    progress(done, n)
            if stats is not None:
                held = client.who_has(futures) if futures else {}
                stats.update(chunks=len(chunks), chunk=size,
                             decode_workers=len({w for ws in held.values() for w in ws}),
                             decode_seconds=round(sum(r.seconds for part in results for r in part), 3))
        finally:
            for fut in futures:
                fut.release()
        return merge_chunks(results, n)

    return decode


@contextmanager
def cluster_decoder(label: str, chunk: int | None, stats: dict) -> Iterator[Any]:
    """Inside a Dask task: a decoder on the task's own cluster; elsewhere None (the local process pool)."""
    try:
        from distributed import get_worker, worker_client

        get_worker()
    except (ImportError, ValueError):
        yield None
        return
    with worker_client() as client:  # secedes: this worker's slot decodes chunks while the job waits
        yield dask_decoder(client, chunk, label, stats)


def _spec(job: Job):
    from ..sources.spec import parse_source

    o = job.options
    return parse_source(o["source"], mapping=o.get("map"), profile=o.get("profile"))


def folder_sha(job: Job) -> str:
    """The photo folder's digest (what ingest records as its input), or "" when it cannot be listed
    (the job itself then says why)."""
    from ..sources.acta_images import folder_digest

    try:
        return folder_digest(_spec(job).source)
    except (ElectcheckError, OSError):
        return ""


def run_actas(job: Job, out: Path) -> dict[str, Any]:
    """Ingest the job's folder of photos (decoded as Dask tasks), write what ``ingest`` writes; key figures."""
    from ..cli.common import to_json
    from ..cli.ingest import ingest_summary, quarantine_csv, write_tally
    from ..sources import acta_images as ai

    spec = _spec(job)
    if not ai.is_acta_source(spec.source, spec.profile, spec.mapping):
        raise InputError("not a folder of acta photos, nor read with a profile or mapping that has a [qr] table",
                         file=spec.source, hint="An actas job reads photos; use forensics or compare for a "
                         "table file (docs/batch.md)")
    stats: dict[str, Any] = {}
    t0 = time.perf_counter()
    with cluster_decoder(job.name, job.get("chunk"), stats) as decode:
        result = ai.ingest_actas(spec.source, profile=spec.profile, mapping=spec.mapping, decode=decode)
    seconds = time.perf_counter() - t0
    write_tally(result, out / TALLY)
    (out / ERRORS).write_text(quarantine_csv(result.report), encoding="utf-8", newline="")
    (out / RESULT).write_text(to_json(ingest_summary(result)), encoding="utf-8", newline="")
    s = result.tally.meta.notes.get("acta_photos", {})
    figures: dict[str, Any] = {
        "photos_read": s.get("images_read"), "photos_accepted": s.get("images_accepted"),
        "photos_quarantined": s.get("images_quarantined"), "duplicate_photos": s.get("duplicate_photos"),
        "conflicts": s.get("conflicts"), "actas": s.get("units"),
        "photos_per_second": round(s.get("images_read", 0) / seconds, 1) if seconds > 0 else None,
        "chunks": stats.get("chunks"), "decode_workers": stats.get("decode_workers"),
        "decode_seconds": stats.get("decode_seconds")}
    if job.get("compare"):
        d = compare_photos(job.get("compare"), result.tally)
        (out / COMPARE).write_text(to_json(d), encoding="utf-8", newline="")
        u = d.get("units", {})
        figures.update({k: u.get(k) for k in ("matched", "differing", "only_official", "only_independent")})
    return figures


def compare_photos(official: str, photos) -> dict[str, Any]:
    """What ``electcheck compare OFFICIAL PHOTOS::PROFILE --format json`` gives, for photos already read."""
    from ..cli.common import load_source
    from ..cli.compare import profile_registered_from
    from ..compare import reconcile

    off = load_source(official)
    registered_from = profile_registered_from(photos)  # the profile's default, as compare takes it
    reg = load_source(registered_from) if registered_from and registered_from.lower() != "none" else None
    return reconcile(off, photos, None, registered_from=reg, strata_level=None).to_dict()
