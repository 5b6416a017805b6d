"""Synthetic photographs of Venezuelan 2024 actas, for the tests and the benchmark.

Each photo is a printed page (1700 × 2800 px, title block, the 38 cards with their
votes, signature lines, the QR code at the bottom) laid on a darker table and
photographed badly: rotated up to 10°, skewed in perspective, blurred, lit
unevenly and saved as JPEG at quality 50. The QR payload follows ACTA-QR.md:
``CODE!v1,…,v38!NULL!INVALID``.

A candidate's votes are spread over the candidate's cards by one fixed rule
(:func:`spread`): weights k, k-1, …, 1 for its k cards in ballot order, floors,
and the remainder to the first card, so the cards always sum back exactly.

Everything is seeded: the same ``seed`` gives the same bytes.
"""

from __future__ import annotations

import csv
import functools
import math
import os
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

#: ballot order of the 38 cards and the candidate (QR-file column) each belongs to (ACTA-QR.md)
CARDS: list[tuple[str, str]] = (
    [(c, "maduro") for c in ("PSUV", "PCV", "TUPAMARO", "PPT", "MSV", "PODEMOS", "MEP", "APC", "ORA", "UPV",
                             "EV", "PVV", "PFV")]
    + [(c, "martinez") for c in ("AD", "COPEI", "MR", "BR", "DDP", "UNE")]
    + [("EL CAMBIO", "bertucci")]
    + [(c, "brito") for c in ("PV", "VU", "UVV", "MPJ")]
    + [(c, "ecarri") for c in ("AP", "MOVEV", "CMC", "FV", "ALIANZA DEL LAPIZ", "MIN UNIDAD")]
    + [("SPV", "fermin")]
    + [(c, "ceballos") for c in ("VPA", "AREPA")]
    + [(c, "edmundo") for c in ("UNTC", "MPV", "MUD")]
    + [("CENTRADOS", "marquez"), ("CONDE", "rausseo")]
)
#: QR-file column -> electcheck candidate id
CANDIDATE_IDS = {"maduro": "NM", "martinez": "LM", "bertucci": "JABE", "brito": "JOBR", "ecarri": "AE",
                 "fermin": "CF", "ceballos": "DC", "edmundo": "EG", "marquez": "EM", "rausseo": "BERA"}
PAGE = (1700, 2800)


@dataclass
class Acta:
    """One acta: its code, the 38 card counts, null and invalid votes."""

    code: str
    cards: list[int]
    null: int = 0
    invalid: int = 0

    def payload(self) -> str:
        return f"{self.code}!{','.join(str(v) for v in self.cards)}!{self.null}!{self.invalid}"

    @property
    def unit_id(self) -> str:
        centre, table = self.code.split(".")[:2]
        return f"{centre}-{table}"

    def plus_first_card(self, votes: int) -> "Acta":
        """The same acta with ``votes`` more on its first card (a conflicting or altered photo)."""
        return Acta(self.code, [self.cards[0] + votes] + self.cards[1:], self.null, self.invalid)

    def candidate_totals(self) -> dict[str, int]:
        out = {cid: 0 for cid in CANDIDATE_IDS.values()}
        for (_, col), v in zip(CARDS, self.cards):
            out[CANDIDATE_IDS[col]] += v
        return out


def spread(total: int, k: int) -> list[int]:
    """``total`` votes over ``k`` cards: weights k … 1, floors, remainder to the first card."""
    weights = list(range(k, 0, -1))
    parts = [total * w // sum(weights) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def acta_from_row(row: dict[str, str]) -> Acta:
    """An Acta from a row of ``qr_resultados_vzlapi.csv`` (candidate totals spread over the cards)."""
    cards: list[int] = []
    i = 0
    while i < len(CARDS):
        col = CARDS[i][1]
        k = sum(1 for _, c in CARDS if c == col)
        cards.extend(spread(int(row[col]), k))
        i += k
    return Acta(row["codigo"], cards, int(row["total_nulo"] or 0), int(row["total_invalido"] or 0))


QR_CSV = "venezuela-2024/qr_resultados_vzlapi.csv"


def qr_csv() -> Path:
    """The shipped QR decoding CSV under ``ELECTCHECK_DATA_DIR`` (default ``../shared/datasets``); the
    calling test is skipped, naming the file, when it is absent."""
    import pytest

    d = Path(os.environ.get("ELECTCHECK_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "datasets"))
    if not (d / QR_CSV).exists():
        pytest.skip(f"dataset file not available: {QR_CSV} (set ELECTCHECK_DATA_DIR)")
    return d / QR_CSV


def load_actas(csv_path: str | Path, n: int | None = None) -> list[Acta]:
    """The first ``n`` actas of ``qr_resultados_vzlapi.csv`` with distinct codes."""
    out: list[Acta] = []
    seen: set[str] = set()
    with open(csv_path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["codigo"] in seen:
                continue
            seen.add(row["codigo"])
            out.append(acta_from_row(row))
            if n is not None and len(out) >= n:
                break
    return out


def fake_actas(n: int, seed: int = 0) -> list[Acta]:
    """Plausible actas with made-up codes (for the benchmark when the CSV is absent)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        code = f"{rng.randint(10, 24):02d}{rng.randint(1, 9999):04d}{rng.randint(1, 999):03d}.{i % 15 + 1:02d}.1.0001"
        totals = {"maduro": rng.randint(20, 300), "edmundo": rng.randint(20, 600)}
        row = {col: str(totals.get(col, rng.randint(0, 8))) for _, col in CARDS}
        row.update(codigo=code, total_nulo=str(rng.randint(0, 3)), total_invalido="0")
        out.append(acta_from_row(row))
    return out


# --- the printed page ------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _font(size: int):
    return ImageFont.load_default(size=size)


@functools.lru_cache(maxsize=1)
def _template() -> Image.Image:
    """The page without numbers and QR (drawn once per process)."""
    page = Image.new("L", PAGE, 242)
    d = ImageDraw.Draw(page)
    big, mid = _font(44), _font(30)
    for i, line in enumerate(("REPUBLICA BOLIVARIANA DE VENEZUELA", "CONSEJO NACIONAL ELECTORAL",
                              "ACTA DE ESCRUTINIO", "ELECCION PRESIDENCIAL 28 DE JULIO DE 2024")):
        d.text((PAGE[0] // 2, 80 + 60 * i), line, fill=20, font=big if i < 3 else mid, anchor="mm")
    d.line((80, 330, PAGE[0] - 80, 330), fill=40, width=3)
    for i, (card, _) in enumerate(CARDS):
        col, r = divmod(i, 19)
        x, y = 110 + col * 780, 440 + r * 46
        d.text((x, y), f"{i + 1:2d}  {card}", fill=25, font=mid)
        d.line((x, y + 38, x + 640, y + 38), fill=170, width=1)
    y = 440 + 19 * 46 + 40
    for label in ("VOTOS NULOS", "VOTOS VALIDOS", "TOTAL"):
        d.text((110, y), label, fill=25, font=mid)
        y += 50
    for j, label in enumerate(("PRESIDENTE", "MIEMBRO", "SECRETARIO", "TESTIGO")):
        x = 110 + (j % 2) * 780
        yy = y + 70 + (j // 2) * 120
        d.line((x, yy, x + 560, yy), fill=40, width=2)
        d.text((x, yy + 10), label, fill=40, font=mid)
    return page


def render_page(acta: Acta | None, payload: str | None, seed: int = 0, qr: bool = True) -> Image.Image:
    """The printed page: numbers of ``acta`` (if given) and the QR code of ``payload``."""
    import segno

    page = _template().copy()
    d = ImageDraw.Draw(page)
    mid = _font(30)
    rng = random.Random(seed)
    if acta is not None:
        d.text((110, 360), f"CODIGO {acta.code}", fill=20, font=mid)
        for i, v in enumerate(acta.cards):
            col, r = divmod(i, 19)
            d.text((110 + col * 780 + 560, 440 + r * 46), f"{v:4d}", fill=20, font=mid)
        y = 440 + 19 * 46 + 40
        for v in (acta.null, sum(acta.cards), sum(acta.cards) + acta.null):
            d.text((560, y), f"{v:5d}", fill=20, font=mid)
            y += 50
    if qr and payload is not None:
        code = segno.make(payload, error="m", micro=False)
        scale = 8
        m = np.pad(np.array(code.matrix, dtype=bool), 4)  # 4-module quiet zone
        qimg = Image.fromarray(np.where(m, 15, 242).astype(np.uint8), "L")
        qimg = qimg.resize((qimg.width * scale, qimg.height * scale), Image.Resampling.NEAREST)
        x = PAGE[0] // 2 - qimg.width // 2 + rng.randint(-250, 250)
        y = PAGE[1] - qimg.height - 60 - rng.randint(0, 40)
        page.paste(qimg, (x, y))
    return page


# --- the photograph --------------------------------------------------------------

def _homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """3×3 H with H·src = dst (four points)."""
    a = []
    for (x, y), (u, v) in zip(src, dst):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y, -u])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y, -v])
    _, _, vt = np.linalg.svd(np.asarray(a, dtype=float))
    h = vt[-1].reshape(3, 3)
    return h / h[2, 2]


def photograph(page: Image.Image, seed: int, *, max_angle: float = 10.0, skew: float = 0.04,
               crop_bottom: float | None = None, quality: int = 50) -> Image.Image:
    """A bad photo of ``page``: rotation, perspective, blur, uneven light (JPEG quality is applied on save).

    ``crop_bottom``: keep only this fraction of the page's height (a photo that cuts the QR code).
    """
    rng = random.Random(seed)
    w, h = page.size
    margin = 110
    cw, ch = w + 2 * margin, h + 2 * margin
    angle = math.radians(rng.uniform(-max_angle, max_angle))
    cx, cy = cw / 2, ch / 2
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=float)
    dst = []
    for x, y in corners:  # page corner -> rotated, jittered position on the canvas
        px, py = x - w / 2, y - h / 2
        rx = px * math.cos(angle) - py * math.sin(angle)
        ry = px * math.sin(angle) + py * math.cos(angle)
        sc = 0.92
        dst.append([cx + sc * rx + rng.uniform(-skew, skew) * w, cy + sc * ry + rng.uniform(-skew, skew) * h])
    dst = np.array(dst)
    inv = _homography(dst, corners)  # canvas -> page (what PIL's transform wants)
    coeffs = (inv / inv[2, 2]).flatten()[:8]
    background = rng.randint(60, 110)
    photo = page.transform((cw, ch), Image.Transform.PERSPECTIVE, tuple(coeffs), Image.Resampling.BILINEAR,
                           fillcolor=background)
    photo = photo.filter(ImageFilter.BoxBlur(rng.uniform(0.5, 1.2)))
    # uneven light: a smooth gain field from a tiny random grid, darker on one side
    grid = np.clip(rng.uniform(0.55, 0.75) + np.random.default_rng(seed).uniform(0, 0.45, (3, 3)), 0, 1)
    gain = Image.fromarray((grid * 255).astype(np.uint8), "L").resize((cw, ch), Image.Resampling.BICUBIC)
    photo = ImageChops.multiply(photo, gain)
    if crop_bottom is not None:
        photo = photo.crop((0, 0, cw, int(ch * crop_bottom)))
    return photo


def save(img: Image.Image, path: str | Path, quality: int = 50) -> Path:
    path = Path(path)
    if path.suffix.lower() == ".png":
        img.save(path, optimize=False, compress_level=1)
    else:
        img.save(path, quality=quality)
    return path


def acta_photo(acta: Acta, path: str | Path, seed: int, *, payload: str | None = None, qr: bool = True,
               distort: bool = True, **photo_options) -> Path:
    """Render and photograph ``acta`` (its own payload unless ``payload`` is given) into ``path``.

    ``photo_options`` go to :func:`photograph` (``max_angle``, ``skew``, ``crop_bottom``).
    """
    page = render_page(acta, payload if payload is not None else acta.payload(), seed=seed, qr=qr)
    if not distort:
        return save(page, path)
    return save(photograph(page, seed, **photo_options), path)


def _one(args) -> str:
    acta, path, seed = args
    return str(acta_photo(acta, path, seed))


def write_photos(actas: list[Acta], folder: str | Path, seed: int = 0, workers: int = 1,
                 name: str = "{i:05d}_Acta.jpg") -> list[Path]:
    """One distorted photo per acta in ``folder`` (``workers`` processes), named in order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(a, folder / name.format(i=i, code=a.code), seed * 100_003 + i) for i, a in enumerate(actas)]
    if workers <= 1:
        return [Path(_one(j)) for j in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as ex:
        return [Path(p) for p in ex.map(_one, jobs, chunksize=max(1, len(jobs) // (workers * 8)))]


def default_workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 2))
