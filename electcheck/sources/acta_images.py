"""A folder of acta photos (JPEG, PNG) → one row per acta, read from the QR code on each sheet.

    >>> from electcheck.sources.acta_images import ingest_actas
    >>> result = ingest_actas("photos/", profile="venezuela-2024/acta-qr")   # doctest: +SKIP
    >>> result.tally.totals()["EG"]                                          # doctest: +SKIP

Decoding (zxing-cpp through Pillow) tries cheap views first and stops at the first
that yields a payload the layout accepts; the view that succeeded is recorded per
photo (:data:`STRATEGIES`):

1. ``region/N``: the likely QR region (the layout's ``region``, the bottom of an acta)
   of the photo decoded at 1/N scale (JPEG's DCT scaling: the full image is never
   decoded, which is most of the saving);
2. ``full/N``: the whole photo at 1/N scale;
3. ``sharpen/N``: contrast stretch and unsharp mask at 1/N (blurred photos);
4. ``full``: the whole photo at full resolution, with zxing's own downscaling;
5. ``contrast``: full resolution after a contrast stretch (dim or unevenly lit photos),
   global-histogram binarizer;
6. ``equalize``: histogram equalisation, local binarizer;
7. ``sharpen``: unsharp mask at full resolution;
8. ``rotate±5``, ``rotate±10``: the scaled photo turned by a few degrees;
9. ``all``: zxing with every option (inverted codes, 90° turns, downscales).

Every photo is accounted for: photos read = accepted + quarantined, where
accepted photos include the second photo of an acta already read (a **duplicate**,
same code and same payload: one unit plus a finding naming both files). A
quarantined photo names its reason (:data:`REASONS`), the file and what was tried.
Two photos of one acta code with different payloads are a **conflict**: a finding
with both payloads and files, and the layout's ``conflict_rule`` decides which counts
(``first``: the first photo in file-name order; ``none``: neither).

Decoding runs in a process pool over all local cores (``concurrent.futures``, in
chunks of photos, with bounded memory); :func:`decode_images` is the picklable unit
of work for another scheduler: :func:`read_actas` and :func:`ingest_actas` take a
``decode`` function (``electcheck.batch.actas`` passes one that runs the chunks as Dask
tasks), and :func:`photo_chunks` / :func:`merge_chunks` cut the work and put it back in
file order, so the result does not depend on who decoded what. Progress goes to an
optional callback; nothing here prints.

:func:`folder_digest` pins a folder of photos (SHA-256 over each photo's name and bytes,
in file order): the value ingest records as the folder's input, which ``verify`` and
``batch`` recompute from the files.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import stat
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Protocol

import numpy as np
import pandas as pd

from ..errors import InputError
from ..model import COUNT_FIELDS, Finding, IngestReport, IngestResult, InputFile, QuarantinedRow
from .qr_payload import PROFILE, Payload, PayloadError, QrLayout, REASONS as PAYLOAD_REASONS, \
    layout_from_dict, parse_payload
from .readers import RawTable

#: file name endings read as photos (case-insensitive); other files are listed, not read
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
#: largest photo accepted, in pixels (a phone photo has 12-50 million)
MAX_PIXELS = 200_000_000
#: the first views are decoded at a scale that keeps the long side at least this long
TARGET_SIDE = 1400
#: decoding views, in the order tried (see the module docstring)
STRATEGIES = ("region/N", "full/N", "sharpen/N", "full", "contrast", "equalize", "sharpen", "rotate+5",
              "rotate-5", "rotate+10", "rotate-10", "all")

#: quarantine reason code -> description
REASONS = {
    "no-qr": "no QR code found",
    "qr-unreadable": "a QR code was found but could not be decoded (damaged, cut off or out of focus)",
    "several-codes": "the photo holds QR codes of several different actas",
    "not-an-image": "the file cannot be opened as an image",
    "image-too-large": "the image is larger than the pixel or byte limit",
    "conflict": "another photo of the same acta code has different counts, and the conflict rule set this one aside",
    **PAYLOAD_REASONS,
}
HINTS = {
    "no-qr": "Check that the photo shows the whole acta with its QR code, in focus; photograph it again if not",
    "qr-unreadable": "Photograph the QR code again, flat, in focus and without glare",
    "several-codes": "Crop the photo to one acta",
    "not-an-image": "Check that the file is a JPEG or PNG photo and not damaged",
    "image-too-large": "Scale the photo down, or raise the limit",
    "conflict": "Compare the two photos (the finding 'acta-photo-conflict' names both) and keep the right one",
}
HINT_PAYLOAD = "The QR code read, but its text does not fit the layout's [qr] table; check the layout, or the acta"

ProgressCallback = Callable[[int, int], None]


class Decoder(Protocol):
    """Decodes ``paths`` (in file order) and returns one :class:`ImageResult` per path, in that order."""

    def __call__(self, paths: list[str], layout: QrLayout, *, progress: ProgressCallback | None = None,
                 max_bytes: int | None = None, max_pixels: int = MAX_PIXELS) -> list[ImageResult]: ...


@dataclass
class ImageResult:
    """What decoding one photo gave (small and picklable: it crosses process boundaries)."""

    index: int                  # 1-based position in the sorted file list
    file: str                   # as given (path)
    status: str                 # "ok" or a key of REASONS
    strategy: str | None = None
    tried: tuple[str, ...] = ()
    payload: Payload | None = None
    text: str = ""              # the decoded text that failed to parse (quarantined payloads)
    message: str = ""
    seconds: float = 0.0
    size: tuple[int, int] = (0, 0)
    sha256: str = ""


# --- decoding one photo ------------------------------------------------------------------

def _zx():
    import zxingcpp

    return zxingcpp


def _read(img, *, full: bool = False, downscale: bool = False, binarizer=None, errors: bool = False):
    """QR codes zxing finds in ``img``: plain (fast), with its downscaling, or with every option (``full``)."""
    zx = _zx()
    kw = dict(formats=zx.BarcodeFormat.QRCode)
    if not full:
        kw.update(try_rotate=False, try_downscale=downscale, try_invert=False)
    if binarizer is not None:
        kw["binarizer"] = binarizer
    if errors:
        kw["return_errors"] = True
    return zx.read_barcodes(img, **kw)


def _open_scaled(data: bytes, scale: int):
    """The photo in grayscale at 1/``scale`` (JPEG: decoded at that scale; others: reduced)."""
    import io

    from PIL import Image

    im = Image.open(io.BytesIO(data))
    turn = _transposes().get(im.getexif().get(0x0112, 1))  # a phone's EXIF orientation
    if scale > 1 and im.format in ("JPEG", "MPO"):
        im.draft("L", (math.ceil(im.width / scale), math.ceil(im.height / scale)))
        g = im.convert("L")
    else:
        g = im.convert("L")
        g = g.reduce(scale) if scale > 1 else g
    return g.transpose(turn) if turn is not None else g


@functools.lru_cache(maxsize=1)
def _transposes() -> dict[int, int]:
    """EXIF orientation -> the transpose that undoes it (as ``PIL.ImageOps.exif_transpose``)."""
    from PIL import Image

    T = Image.Transpose
    return {2: T.FLIP_LEFT_RIGHT, 3: T.ROTATE_180, 4: T.FLIP_TOP_BOTTOM, 5: T.TRANSPOSE, 6: T.ROTATE_270,
            7: T.TRANSVERSE, 8: T.ROTATE_90}



def _views(data: bytes, layout: QrLayout, width: int, height: int):
    """(name, thunk) per strategy; a thunk returns the barcodes of its view."""
    from PIL import ImageFilter, ImageOps

    zx = _zx()
    scale = 1
    while max(width, height) / (scale * 2) >= TARGET_SIDE:
        scale *= 2
    cache: dict[str, object] = {}

    def small():
        if "small" not in cache:
            cache["small"] = _open_scaled(data, scale)
        return cache["small"]

    def full():
        if "full" not in cache:
            cache["full"] = small() if scale == 1 else _open_scaled(data, 1)
        return cache["full"]

    def region():
        im = small()
        l, t, r, b = layout.region
        w, h = im.size
        return im.crop((int(l * w), int(t * h), math.ceil(r * w), math.ceil(b * h)))

    views = []
    if layout.region != (0.0, 0.0, 1.0, 1.0):
        views.append((f"region/{scale}", lambda: _read(region())))
    views.append((f"full/{scale}", lambda: _read(small())))
    views.append((f"sharpen/{scale}", lambda: _read(ImageOps.autocontrast(small(), cutoff=1).filter(
        ImageFilter.UnsharpMask(2, 200, 0)), downscale=True)))
    if scale > 1:
        views.append(("full", lambda: _read(full(), downscale=True)))
    views.append(("contrast", lambda: _read(ImageOps.autocontrast(full(), cutoff=1), downscale=True,
                                            binarizer=zx.Binarizer.GlobalHistogram)))
    views.append(("equalize", lambda: _read(ImageOps.equalize(full()), downscale=True)))
    if scale > 1:
        views.append(("sharpen", lambda: _read(full().filter(ImageFilter.UnsharpMask(3, 250, 2)), downscale=True)))
    for angle in (5, -5, 10, -10):
        views.append((f"rotate{angle:+d}", lambda a=angle: _read(
            small().rotate(a, resample=2, expand=True, fillcolor=255))))
    views.append(("all", lambda: _read(full(), full=True, errors=True)))
    return views


def decode_image(path: str | Path, layout: QrLayout, index: int = 0, max_bytes: int | None = None,
                 max_pixels: int = MAX_PIXELS) -> ImageResult:
    """Decode one photo: the first view whose QR payload fits ``layout`` wins."""
    import io

    from PIL import Image, UnidentifiedImageError

    t0 = time.perf_counter()
    p = str(path)
    res = ImageResult(index, p, "no-qr")
    try:
        st = os.stat(p)
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device named .jpg: opening it could block
            res.status, res.message = "not-an-image", "not a regular file"
            return res
        if max_bytes is not None and st.st_size > max_bytes:
            res.sha256 = photo_sha256(p)  # pinned all the same, so the folder's digest covers it
            res.status, res.message = "image-too-large", f"the file is larger than {max_bytes:,} bytes"
            return res
        with open(p, "rb") as f:
            data = f.read()
        res.sha256 = hashlib.sha256(data).hexdigest()
        with Image.open(io.BytesIO(data)) as im:
            res.size = im.size
            if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # stored turned by 90°
                res.size = (im.height, im.width)
            if im.format not in ("JPEG", "PNG", "MPO"):
                res.status, res.message = "not-an-image", f"a {im.format} image, not JPEG or PNG"
                return res
        w, h = res.size
        if w * h > max_pixels:
            res.status, res.message = "image-too-large", f"{w}×{h} pixels is more than {max_pixels:,}"
            return res
        failed: tuple[str, PayloadError] | None = None
        seen_error = False
        for name, view in _views(data, layout, w, h):
            res.tried += (name,)
            found = view()
            good: dict[str, Payload] = {}
            for b in found:
                if getattr(b, "error", None):
                    seen_error = True
                    continue
                try:
                    pl = parse_payload(b.text, layout)
                except PayloadError as e:
                    if failed is None:
                        failed = (b.text, e)
                    continue
                good.setdefault(pl.code, pl)
            if len(good) > 1:
                res.status = "several-codes"
                res.message = "QR codes of " + ", ".join(sorted(good)) + f" (view {name})"
                res.strategy = name
                return res
            if good:
                res.status, res.strategy, res.payload = "ok", name, next(iter(good.values()))
                return res
            if failed is not None:
                break  # a QR code read, but not as this layout: more views will read the same text
        if failed is not None:
            res.text, err = failed
            res.status, res.message = err.reason, err.message
        elif seen_error:
            res.status = "qr-unreadable"
            res.message = "tried " + ", ".join(res.tried)
        else:
            res.message = "tried " + ", ".join(res.tried)
        return res
    except Image.DecompressionBombError as e:
        res.status, res.message = "image-too-large", str(e)[:200]
        return res
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        res.status, res.message = "not-an-image", f"{type(e).__name__}: {str(e)[:200]}"
        return res
    finally:
        res.seconds = time.perf_counter() - t0


def decode_images(items: list[tuple[int, str]], layout: QrLayout, max_bytes: int | None = None,
                  max_pixels: int = MAX_PIXELS) -> list[ImageResult]:
    """Decode a chunk of ``(index, path)`` photos: the unit of work of the pool (and of a Dask task)."""
    return [decode_image(p, layout, i, max_bytes, max_pixels) for i, p in items]


def photo_chunks(paths: list[str], size: int) -> list[list[tuple[int, str]]]:
    """``paths`` (in file order) as chunks of at most ``size`` ``(index, path)`` items, index 1-based."""
    size = max(1, int(size))
    items = list(enumerate(paths, 1))
    return [items[i:i + size] for i in range(0, len(items), size)]


def merge_chunks(results: Iterable[list[ImageResult]], n: int) -> list[ImageResult]:
    """Decoded chunks, in whatever order they finished, back in file order; every photo exactly once."""
    out = sorted((r for chunk in results for r in chunk), key=lambda r: r.index)
    if [r.index for r in out] != list(range(1, n + 1)):
        raise RuntimeError(f"decoded chunks do not cover photos 1..{n} exactly once")
    return out


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def decode_all(paths: list[str], layout: QrLayout, *, workers: int | None = None, chunksize: int | None = None,
               progress: ProgressCallback | None = None, max_bytes: int | None = None,
               max_pixels: int = MAX_PIXELS) -> list[ImageResult]:
    """Decode ``paths`` over ``workers`` processes (default: all local cores), in file order.

    Chunks of photos are submitted a few at a time (at most 4 per worker in flight),
    so memory stays flat however long the folder; ``progress(done, total)`` is called
    in this process after each chunk.
    """
    n = len(paths)
    workers = default_workers() if workers is None else max(1, int(workers))
    if chunksize is None:
        chunksize = max(1, min(16, math.ceil(n / (workers * 4)) if n else 1))
    chunks = photo_chunks(paths, chunksize)
    out: list[ImageResult] = []
    if workers == 1 or n <= 2:
        done = 0
        for c in chunks:
            out.extend(decode_images(c, layout, max_bytes, max_pixels))
            done += len(c)
            if progress is not None:
                progress(done, n)
        return out
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    results: dict[int, list[ImageResult]] = {}
    done = 0
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks))) as ex:
        pending = {}
        it = iter(enumerate(chunks))
        for k, c in it:
            pending[ex.submit(decode_images, c, layout, max_bytes, max_pixels)] = k
            if len(pending) >= workers * 4:
                break
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for f in finished:
                k = pending.pop(f)
                results[k] = f.result()
                done += len(results[k])
                if progress is not None:
                    progress(done, n)
                nxt = next(it, None)
                if nxt is not None:
                    pending[ex.submit(decode_images, nxt[1], layout, max_bytes, max_pixels)] = nxt[0]
    return merge_chunks((results[k] for k in range(len(chunks))), n)


# --- a folder: listing, assembling, reading -------------------------------------------------

def list_photos(path: str | Path, max_files: int | None = None) -> tuple[list[Path], list[Path]]:
    """Photos under ``path`` (a folder, searched recursively, or one file) in file-name order, and other files."""
    p = Path(path)
    if p.is_file():
        if p.suffix.lower() not in IMAGE_SUFFIXES:
            raise InputError("not a photo (JPEG or PNG) nor a folder of photos", file=str(p),
                             hint="Give the folder of acta photos; a table file needs a table profile or mapping")
        return [p], []
    if not p.is_dir():
        raise InputError("folder not found", file=str(p), hint="Give a folder of acta photos (JPEG or PNG)")
    photos, others = [], []
    for root, dirs, files in os.walk(p):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if f.startswith("."):
                continue
            (photos if f.lower().endswith(IMAGE_SUFFIXES) else others).append(Path(root) / f)
            if max_files is not None and len(photos) > max_files:
                from .. import limits as _limits

                raise _limits.refuse("max_rows", f"the folder holds more than {max_files:,} photos", file=str(p),
                                     limit=max_files)
    key = lambda q: q.relative_to(p).as_posix()  # noqa: E731
    return sorted(photos, key=key), sorted(others, key=key)


@dataclass
class ActaRead:
    """A folder of photos read: the raw table for ingest, findings and the per-photo log."""

    raw: RawTable
    layout: QrLayout
    images: list[ImageResult]
    findings: list[Finding] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)
    duplicates: int = 0          # accepted photos merged into a unit already read (same payload)
    conflicts: int = 0           # acta codes with photos of different payloads
    seconds: float = 0.0

    @property
    def images_read(self) -> int:
        return len(self.images)

    @property
    def images_quarantined(self) -> int:
        return len(self.raw.quarantine)

    @property
    def images_accepted(self) -> int:
        """Photos whose counts are in the tally, including duplicates merged into one unit."""
        return len(self.raw.cells) + self.duplicates

    @property
    def images_decoded(self) -> int:
        """Photos whose QR payload fit the layout (accepted, or set aside by the conflict rule)."""
        return sum(r.status == "ok" for r in self.images)

    @property
    def units(self) -> int:
        return len(self.raw.cells)

    def by_strategy(self) -> dict[str, int]:
        return dict(Counter(r.strategy for r in self.images if r.status == "ok" and r.strategy))

    def by_reason(self) -> dict[str, int]:
        return dict(Counter(q.column for q in self.raw.quarantine))

    def log(self) -> pd.DataFrame:
        """One row per photo: index, file, status, strategy, code, tried, seconds, message."""
        return pd.DataFrame({
            "index": [r.index for r in self.images], "file": [r.file for r in self.images],
            "status": [r.status for r in self.images], "strategy": [r.strategy for r in self.images],
            "code": [r.payload.code if r.payload else None for r in self.images],
            "tried": [", ".join(r.tried) for r in self.images],
            "seconds": [round(r.seconds, 4) for r in self.images],
            "message": [r.message for r in self.images]})

    def summary(self) -> dict:
        """The photo accounting (no timing: it goes into the tally and the findings, which must be the
        same bytes however and wherever the photos were decoded)."""
        return {"images_read": self.images_read, "images_decoded": self.images_decoded,
                "images_accepted": self.images_accepted,
                "images_quarantined": self.images_quarantined, "units": self.units,
                "duplicate_photos": self.duplicates, "conflicts": self.conflicts,
                "by_strategy": self.by_strategy(), "by_reason": self.by_reason(),
                "other_files": len(self.other_files)}


def _q(r: ImageResult, reason: str, message: str = "", value: str = "") -> QuarantinedRow:
    hint = HINTS.get(reason, HINT_PAYLOAD)
    what = REASONS.get(reason, reason)
    return QuarantinedRow(r.file, r.index, reason, value[:200], f"{what}: {message}" if message else what, hint,
                          "tried: " + ", ".join(r.tried))


def assemble(images: list[ImageResult], layout: QrLayout, other_files: Iterable[str] = ()) -> ActaRead:
    """Photos decoded → units (one per acta code), quarantine, duplicate and conflict findings."""
    quarantine: list[QuarantinedRow] = []
    groups: dict[str, list[ImageResult]] = {}
    for r in images:
        if r.status == "ok":
            groups.setdefault(r.payload.code, []).append(r)
        else:
            quarantine.append(_q(r, r.status, r.message, r.text))
    units: list[tuple[ImageResult, list[str]]] = []
    findings: list[Finding] = []
    dup_sets, conflict_sets = [], []
    n_dup = 0
    for code, rs in groups.items():
        by_content: dict[tuple, list[ImageResult]] = {}
        for r in rs:
            by_content.setdefault((r.payload.counts, tuple(sorted(r.payload.numbers.items()))), []).append(r)
        versions = list(by_content.values())  # in file order of their first photo
        if len(versions) == 1:
            units.append((rs[0], [r.file for r in rs]))
            if len(rs) > 1:
                n_dup += len(rs) - 1
                dup_sets.append({"code": code, "files": [r.file for r in rs]})
            continue
        entry = {"code": code, "payloads": [{"payload": v[0].payload.text, "files": [r.file for r in v]}
                                            for v in versions]}
        if layout.conflict_rule == "first":
            keep = versions[0]
            units.append((keep[0], [r.file for r in keep]))
            n_dup += len(keep) - 1
            entry["counted"] = keep[0].file
            set_aside = [r for v in versions[1:] for r in v]
        else:
            entry["counted"] = None
            set_aside = rs
        for r in set_aside:
            quarantine.append(_q(r, "conflict", f"acta {code}; see the finding 'acta-photo-conflict'",
                                 r.payload.text))
        conflict_sets.append(entry)
    units.sort(key=lambda u: u[0].index)
    quarantine.sort(key=lambda q: q.row)
    if dup_sets:
        findings.append(Finding(
            "acta-photo-duplicate", "info", "The same acta photographed more than once",
            f"{len(dup_sets)} acta(s) have more than one photo with the same QR payload; each is counted once "
            f"({n_dup} extra photo(s))",
            evidence={"count": len(dup_sets), "duplicates": dup_sets[:200]}))
    if conflict_sets:
        rule = ("the first photo in file-name order counts; the others are quarantined (reason 'conflict')"
                if layout.conflict_rule == "first" else
                "no photo of a conflicting acta counts; all are quarantined (reason 'conflict')")
        findings.append(Finding(
            "acta-photo-conflict", "error", "Photos of one acta with different counts",
            f"{len(conflict_sets)} acta code(s) appear on photos with different QR payloads. Rule: {rule}",
            evidence={"count": len(conflict_sets), "rule": layout.conflict_rule, "conflicts": conflict_sets[:200]}))
    raw = _raw_table(units, layout, quarantine)
    read = ActaRead(raw, layout, images, findings, [str(o) for o in other_files], n_dup, len(conflict_sets))
    return read


def _raw_table(units: list[tuple[ImageResult, list[str]]], layout: QrLayout,
               quarantine: list[QuarantinedRow]) -> RawTable:
    """Text cells, one row per unit, as every reader returns them (counts are parsed by ingest)."""
    cols: dict[str, list] = {"file": [], "files": [], "code": [], "strategy": []}
    for c in layout.card_columns:
        cols[c] = []
    for name, _ in layout.numbers:
        cols[name] = []
    for r, files in units:
        pl = r.payload
        cols["file"].append(r.file)
        cols["files"].append("; ".join(files))
        cols["code"].append(pl.code)
        cols["strategy"].append(r.strategy)
        for c, v in zip(layout.card_columns, pl.counts):
            cols[c].append(str(v))
        for name, _ in layout.numbers:
            cols[name].append(str(pl.numbers[name]))
    cells = pd.DataFrame({k: pd.array(v, dtype="string") for k, v in cols.items()})
    rows = np.array([r.index for r, _ in units], dtype=np.int64)
    return RawTable("", list(cells.columns), cells, rows, quarantine, "", "", "acta-images", "")


def read_actas(path: str | Path, layout: QrLayout | None = None, *, workers: int | None = None,
               chunksize: int | None = None, progress: ProgressCallback | None = None, limits=None,
               max_pixels: int = MAX_PIXELS, decode: Decoder | None = None) -> ActaRead:
    """Read every photo under ``path`` with ``layout`` (default: the Venezuelan 2024 acta).

    ``decode`` replaces the local process pool (``workers``, ``chunksize``): it is given the
    photos in file order and must return their results in that order (see :class:`Decoder`).
    """
    from .. import limits as _limits
    from .qr_payload import venezuela_2024

    layout = layout or venezuela_2024()
    lim = limits or _limits.current()
    t0 = time.perf_counter()
    photos, others = list_photos(path, lim.max_rows)
    paths = [str(p) for p in photos]
    if decode is None:
        images = decode_all(paths, layout, workers=workers, chunksize=chunksize, progress=progress,
                            max_bytes=lim.max_bytes, max_pixels=max_pixels)
    else:
        images = decode(paths, layout, progress=progress, max_bytes=lim.max_bytes, max_pixels=max_pixels)
        if [r.index for r in images] != list(range(1, len(paths) + 1)):
            raise RuntimeError("the decoder did not return one result per photo, in file order")
    read = assemble(images, layout, others)
    read.raw.file = str(path)
    read.seconds = time.perf_counter() - t0
    return read


# --- the mapping and ingest ---------------------------------------------------------------

def acta_mapping_doc(doc: dict, origin: str = "mapping") -> tuple[dict, QrLayout]:
    """A mapping document with a ``[qr]`` table, completed from it: candidates as the sums of their
    cards, the cards and the payload's other numbers as count columns, the code as the key."""
    if "qr" not in doc:
        raise InputError("the mapping has no [qr] table", file=origin,
                         hint="A folder of photos needs a [qr] table describing the payload (docs/actas.md)")
    layout = layout_from_dict(doc["qr"], origin)
    doc = {k: (dict(v) if isinstance(v, dict) else v) for k, v in doc.items()}
    columns = doc.setdefault("columns", {})
    for cid, cols in layout.candidate_columns().items():
        columns.setdefault(cid, cols)
    if not doc.get("candidates") and "include" not in doc:
        doc["candidates"] = [{"id": cid, "name": cid} for cid in layout.candidates()]
    fields, extras = doc.setdefault("fields", {}), doc.setdefault("extras", {})
    for c in layout.card_columns:
        extras.setdefault(c, c)
    for name, _ in layout.numbers:
        (fields if name in COUNT_FIELDS else extras).setdefault(name, name)
    if not doc.get("key"):
        doc["key"] = {"parts": ["code"]}
    doc.setdefault("file", {}).setdefault("locale", "plain")
    doc["file"].pop("format", None)
    return doc, layout


def load_acta_mapping(profile: str | None = None, mapping: str | Path | None = None, *, allow_paths=()):
    """(Mapping, QrLayout) of a built-in profile (default ``venezuela-2024/acta-qr``) or a mapping file."""
    import tomllib

    from .mapping import mapping_from_dict
    from .profiles import PROFILE_DIR

    if mapping is not None:
        from ..tomlfile import load_toml

        p = Path(mapping)
        doc = load_toml(p, "mapping file", hint="See docs/actas.md for the [qr] table")
        origin, base = str(p), p.parent
    else:
        name = profile or PROFILE
        p = PROFILE_DIR / (name.replace("/", "-") + ".toml")
        if not p.exists():
            raise InputError(f"unknown profile {name!r} for acta photos", hint=f"Use {PROFILE} or a mapping "
                             "with a [qr] table")
        doc, origin, base = tomllib.loads(p.read_text(encoding="utf-8")), f"profile {name}", PROFILE_DIR
    doc, layout = acta_mapping_doc(doc, origin)
    return mapping_from_dict(doc, origin=origin, base=base, allow_paths=allow_paths), layout


def is_acta_source(path: str | Path, profile: str | None = None, mapping: str | Path | None = None) -> bool:
    """Should ingest read ``path`` as acta photos? A folder, a JPEG/PNG file, or a profile or mapping
    with a ``[qr]`` table (cheap: no photo is opened)."""
    import tomllib

    from .profiles import PROFILE_DIR

    p = Path(str(path))
    if p.is_dir() or p.suffix.lower() in IMAGE_SUFFIXES:
        return True
    if profile is not None:
        toml = PROFILE_DIR / (profile.replace("/", "-") + ".toml")
    elif mapping is not None:
        toml = Path(mapping)
    else:
        return False
    from .. import limits
    from ..errors import ElectcheckError

    if not toml.is_file():  # a FIFO or device is refused by load_mapping, with its reason
        return False
    try:
        return "qr" in tomllib.loads(limits.read_text(toml, what="mapping"))
    except (OSError, ElectcheckError, tomllib.TOMLDecodeError):
        return False


def ingest_actas(path: str | Path, *, profile: str | None = None, mapping: str | Path | None = None,
                 layout: QrLayout | None = None, workers: int | None = None, chunksize: int | None = None,
                 progress: ProgressCallback | None = None, allow_paths=(),
                 decode: Decoder | None = None) -> IngestResult:
    """A folder of acta photos → checked Tally + IngestReport (the shape ``electcheck.ingest.ingest`` returns).

    The report counts units: ``rows_read`` = units + quarantined photos; duplicate photos
    (merged into their unit) are counted in ``rows_outside_selection``; the finding
    ``acta-photos`` carries the photo accounting (read = accepted + quarantined), the
    views that decoded and the reasons. The Tally has a ``photo`` column (the first file
    of each unit) and ``source_row`` = the photo's position in file-name order. ``decode``: see
    :func:`read_actas` (the result is the same whoever decodes).
    """
    if profile is None and mapping is None and layout is None:
        raise InputError("no --profile or --map given for this folder of photos", file=str(path),
                         hint=f"Use --profile {PROFILE}, or a mapping with a [qr] table (docs/actas.md)")
    if profile is None and mapping is None:
        profile = PROFILE
    m, profile_layout = load_acta_mapping(profile, mapping, allow_paths=allow_paths)
    read = read_actas(path, layout or profile_layout, workers=workers, chunksize=chunksize, progress=progress,
                      decode=decode)
    return result_from_read(read, m)


def result_from_read(read: ActaRead, m) -> IngestResult:
    """The Tally and IngestReport of photos already read (``read``) with mapping ``m``."""
    from ..ingest.build import build_tally
    from ..ingest.checks import grouping_findings, run_checks

    import dataclasses

    path = read.raw.file
    raw = dataclasses.replace(read.raw, cells=read.raw.cells.copy(), quarantine=list(read.raw.quarantine))
    photo_of_row = dict(zip(raw.row_numbers.tolist(), raw.cells["file"].tolist()))
    inputs = [InputFile(str(path), _folder_digest(read), read.images_read, Path(path).name)]
    report = IngestReport(source=m.source)
    report.quarantine.extend(raw.quarantine)
    tally, groupings = build_tally(raw, m, inputs, report)
    tally.data["photo"] = pd.array([photo_of_row.get(int(r)) for r in tally.data["source_row"]], dtype="string")
    report.rows_read = raw.rows_read
    report.rows_accepted = len(tally.data)
    report.rows_quarantined = len(report.quarantine)
    if read.duplicates:
        report.rows_outside_selection["photos of an acta already read (same QR payload)"] = read.duplicates
    report.check_balance()
    tally.meta.notes["acta_photos"] = read.summary()
    totals = {c: v for c, v in tally.totals().items() if c in tally.candidate_ids and v is not None}
    if totals:
        tally.meta.notes["leader"] = max(totals, key=totals.get)
    findings = [_photo_finding(read)] + read.findings
    if report.rows_quarantined:
        findings.insert(0, Finding(
            "rows-quarantined", "error", "Photos that could not be read",
            f"{report.rows_quarantined} of {read.images_read} photos could not be read and were set aside "
            "(write them with --errors FILE)", location={"file": str(path)},
            evidence={"count": report.rows_quarantined, "by_reason": read.by_reason(),
                      "first": [q.to_dict() for q in report.quarantine[:5]]}))
    if read.images_read == 0:
        findings.insert(0, Finding(
            "no-data-rows", "warning", "No photos",
            f"no JPEG or PNG photo was found ({len(read.other_files)} other files); the tally is empty",
            location={"file": str(path)}, evidence={"count": 0, "other_files": read.other_files[:20]}))
    report.findings = findings + grouping_findings(groupings, str(path)) + run_checks(tally)
    return IngestResult(tally, report)


def _photo_finding(read: ActaRead) -> Finding:
    s = read.summary()
    return Finding("acta-photos", "info", "Acta photos read",
                   f"{s['images_read']} photos read: {s['images_accepted']} accepted ({s['units']} actas, "
                   f"{s['duplicate_photos']} duplicate photos), {s['images_quarantined']} quarantined",
                   location={"file": read.raw.file}, evidence=s)


# --- pinning a folder ------------------------------------------------------------------------

def photo_sha256(path: str | Path) -> str:
    """SHA-256 of one photo's bytes, read in pieces; "" when it is not a regular file or cannot be read."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return ""
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for piece in iter(lambda: f.read(1 << 20), b""):
                h.update(piece)
        return h.hexdigest()
    except OSError:
        return ""


def _photo_name(root: Path, file: str | Path) -> str:
    """A photo's name as the digest records it: its path relative to the folder (the file's name for a
    single photo)."""
    f = Path(file)
    try:
        rel = f.relative_to(root)
    except ValueError:
        return f.name
    return rel.as_posix() if rel.parts else f.name


def digest_photos(named_hashes: Iterable[tuple[str, str]]) -> str:
    """SHA-256 over ``(name, sha256)`` of each photo, in file order."""
    h = hashlib.sha256()
    for name, sha in named_hashes:
        h.update(name.encode("utf-8", "surrogateescape") + b"\0" + sha.encode() + b"\n")
    return h.hexdigest()


def folder_digest(path: str | Path, max_files: int | None = None) -> str:
    """The SHA-256 that ingest records for a folder of photos (or one photo), recomputed from the files:
    the photos :func:`list_photos` finds, in file order, each by its name relative to the folder and the
    SHA-256 of its bytes. Other files do not count (ingest does not read them)."""
    root = Path(path)
    photos, _ = list_photos(root, max_files)
    return digest_photos((_photo_name(root, p), photo_sha256(p)) for p in photos)


def _folder_digest(read: ActaRead) -> str:
    """:func:`folder_digest` of a folder already read, from the hashes taken while decoding."""
    root = Path(read.raw.file)
    return digest_photos((_photo_name(root, r.file), r.sha256) for r in read.images)
