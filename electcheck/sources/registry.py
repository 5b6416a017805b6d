"""Built-in dataset names and how their files are found.

A name resolves to files looked up, in order, in ``$ELECTCHECK_DATA_DIR``, in
the user cache, then downloaded from a public address where one exists. Every
file is verified against its SHA-256 before use.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataNotFound, InputError

#: Published figures typed into the project (``datasets/`` at the repository root).
PROJECT_DATASETS = Path(__file__).resolve().parents[2] / "datasets"

_GH = "https://raw.githubusercontent.com"
_FINNEY = "openelections/openelections-sources-ks/2c82a3750b74d9255de9eff5be28d6f3528ac418/2023/Finney"
_VZ_COMMIT = "Enyer182/analisis-votaciones-venezuela-2024/40543fbb0cc7288ea31f746d2d95335da6ef4d05"
_QR_COMMIT = "ipince/vzlapi/71e08f6e652ec44f32077ffcaec4d89779fe745c"


@dataclass(frozen=True)
class DataFile:
    """One raw file: its path relative to the data folder, SHA-256, and public URL if any."""

    name: str
    sha256: str
    url: str | None = None


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    profile: str
    file: DataFile
    extra_files: tuple[DataFile, ...] = field(default=())


def _ru(year: int, sha: str, desc: str) -> Dataset:
    return Dataset(f"russia-{year}", f"Russia {desc}, per precinct (UIK), official CEC protocols",
                   f"russia-{year}", DataFile(f"russia-federal-2004-2024/{year}.csv.gz", sha))


_INDONESIA_TPS = DataFile("indonesia-2019-presidential/tps.csv.gz",
                          "70858cee8efed6c34c548d7a545e203c065fbf50f30e7f1ee8f54bcfd0ea3c3f")
_INDONESIA_REKAP = DataFile("indonesia-2019-presidential/rekap.csv.gz",
                            "b57e91a39d5cb75e5e4a87cf05b14b46aeba9bef37f807a7f728bd19dcdace62")
_BULLETINS = DataFile("venezuela-2024-cne-bulletins.csv", "", None)  # project file, not hashed here

DATASETS: dict[str, Dataset] = {d.name: d for d in [
    Dataset("venezuela-2024/opposition-v1", "Venezuela 2024: opposition acta CSV, version 1 (24,532 actas, with RE)",
            "venezuela-2024/opposition-v1",
            DataFile("venezuela-2024/RESULTADOS_2024_CSV_V1.csv",
                     "d5096b015bb38c54139ae7b55b5279baaff3d3ccc42fb088e8e2323689452145",
                     f"{_GH}/{_VZ_COMMIT}/RESULTADOS_2024_CSV_V1.csv")),
    Dataset("venezuela-2024/opposition-v2", "Venezuela 2024: opposition acta CSV, version 2, final (25,073 actas)",
            "venezuela-2024/opposition-v2",
            DataFile("venezuela-2024/RESULTADOS_2024_CSV_V2.csv",
                     "296d35bbda1d6bd12e7011ed93da1973a3f22beb73cc05dbb0554efc31b2deaa",
                     f"{_GH}/{_VZ_COMMIT}/RESULTADOS_2024_CSV_V2.csv")),
    Dataset("venezuela-2024/qr-vzlapi", "Venezuela 2024: independent decoding of the actas' QR codes (21,952 actas)",
            "venezuela-2024/qr-vzlapi",
            DataFile("venezuela-2024/qr_actas_vzlapi.csv",
                     "d68803c36eeda06a3f5b5fe5f4a8a6a5e8d7f45972539dd1e98b80caf8774f9c",
                     f"{_GH}/{_QR_COMMIT}/api/cmd/store_results/actas.csv")),
    Dataset("venezuela-2024/cne-bulletin-1", "Venezuela 2024: CNE bulletin 1 as announced (published, one row)",
            "venezuela-2024/cne-bulletin-1", _BULLETINS),
    Dataset("venezuela-2024/cne-bulletin-2", "Venezuela 2024: CNE bulletin 2 as announced (published, one row)",
            "venezuela-2024/cne-bulletin-2", _BULLETINS),
    Dataset("venezuela-2000", "Venezuela 2000 presidential, per mesa (Esdata compilation of CNE results)",
            "venezuela-2000",
            DataFile("venezuela-2000/resultados_elecc_2000_presidencial_por_mesa.csv",
                     "bbdcbf9d7c5d750a6066144f2ffd1d650a400e41bef5c21cad2217825679b598")),
    Dataset("kansas-finney-2023/precincts", "Finney County, Kansas, 7 Nov 2023: official precinct summary PDF "
            "(73 precincts, 12 contests; --contest NAME)", "kansas-finney-2023/precincts",
            DataFile("kansas-finney-2023-local/2023-11-07-General---Precinct-Summary---OFFICIAL.pdf",
                     "1e7341fed56e49af095c10c970014486ae5166cf183a3c67c68c0e200800b5c4",
                     f"{_GH}/{_FINNEY}/2023-11-07-General---Precinct-Summary---OFFICIAL.pdf")),
    Dataset("kansas-finney-2023/county", "Finney County, Kansas, 7 Nov 2023: official election summary PDF "
            "(county totals; --contest NAME)", "kansas-finney-2023/county",
            DataFile("kansas-finney-2023-local/2023-11-07-General---Election-Summary---OFFICIAL.pdf",
                     "47acff4291fa517d4da6324eac1e400f9474eee681d752316626b9506ea07e6d",
                     f"{_GH}/{_FINNEY}/2023-11-07-General---Election-Summary---OFFICIAL.pdf")),
    Dataset("indonesia-2019/official", "Indonesia 2019 presidential: KPU Situng figures per TPS (813,336 TPS)",
            "indonesia-2019/official", _INDONESIA_TPS),
    Dataset("indonesia-2019/kawalpemilu", "Indonesia 2019 presidential: KawalPemilu volunteer tally per TPS",
            "indonesia-2019/kawalpemilu", _INDONESIA_TPS),
    *[Dataset(f"indonesia-2019/rekap{suffix}", f"Indonesia 2019: official recapitulation, {lvl} level",
              f"indonesia-2019/rekap-{lvl}", _INDONESIA_REKAP)
      for suffix, lvl in [("", "province"), ("-kabkota", "kabkota"), ("-kecamatan", "kecamatan"),
                          ("-desa", "desa")]],
    _ru(2004, "4fdd8a20746d0cc5464136998e7368fb73945b4d5dafe244f5354c1a18ddd445", "presidential 2004"),
    _ru(2007, "689eda613b38cfea4ee4b06be8096642f1c76f67026c124396b64cd20e3e7fd7", "State Duma 2007"),
    _ru(2008, "9b46af901c0f980393c9438fa4123f03fb9ddb645c3e2ecfa05a6f3f08dc5d9a", "presidential 2008"),
    _ru(2011, "76402d1904a87ae4a77e49406f21d1cb41e105a5aedcd5a010842289bccb1a57", "State Duma 2011"),
    _ru(2012, "1b2d89eb13670c593dc3e7b95f1208a56766837ab68eee4b7131f7772b7d4a5b", "presidential 2012"),
    _ru(2016, "68a596487695e8ae8bb02e7d6f373d8c43de213073d7b827cf4e56266def830f", "State Duma 2016"),
    _ru(2018, "101f68d7ebaa600eea9d499f9157c48d64c7406f539bc7cff5b63215014791b6", "presidential 2018"),
    _ru(2020, "f95e86c38dc3b03f7374cc7ecfc7ca3f5e5125165b4e8fdfcfe54d97ff50617c", "constitutional vote 2020"),
    _ru(2021, "cbff85e38756ee6e5c205f1db095626d6324db73a1e9b2af59a9a742be53f79d", "State Duma 2021"),
    _ru(2024, "a8149222e907ad6482cd79d4f685f5891c6bfc28ca0368779c3a80896ff1df42", "presidential 2024"),
    Dataset("russia-2024-electronic", "Russia 2024 presidential: remote electronic voting, per region",
            "russia-2024-electronic",
            DataFile("russia-federal-2004-2024/2024-electronic-voting.csv",
                     "330834edc558df924a0d0421b4f34c448ab9737d4b0ef822a3cd723337501b8c",
                     f"{_GH}/dkobak/elections/8003707eb94e3a1e69f8b1b965cdf93f80153808/data/2024-electronic-voting.csv")),
]}


def data_dir() -> Path | None:
    d = os.environ.get("ELECTCHECK_DATA_DIR")
    return Path(d).expanduser() if d else None


def cache_dir() -> Path:
    base = os.environ.get("ELECTCHECK_CACHE_DIR")
    if base:
        return Path(base).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "electcheck"


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    from .. import limits as _limits

    _limits.check_regular_file(path)  # never hash a device or a FIFO (it would not end)
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def get_dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        import difflib

        close = [n for n in DATASETS if name.split("/")[0] in n] or \
            difflib.get_close_matches(name, list(DATASETS), n=4, cutoff=0.5)
        hint = f"Did you mean: {', '.join(close)}?" if close else "Run 'electcheck data list' for the names."
        raise InputError(f"unknown dataset name {name!r}", hint=hint) from None


def is_project_file(f: DataFile) -> bool:
    return f.sha256 == ""


def local_path(f: DataFile) -> Path | None:
    """Where the file is already on disk (data dir, then cache), or None."""
    if is_project_file(f):
        p = PROJECT_DATASETS / f.name
        return p if p.exists() else None
    candidates = []
    if (d := data_dir()) is not None:
        candidates.append(d / f.name)
    candidates.append(cache_dir() / f.name)
    for p in candidates:
        if p.is_file():
            return p
    return None


def verify(path: Path, f: DataFile, digest: str | None = None) -> str:
    """SHA-256 of ``path``; raise if it is not the expected file.

    ``digest`` is the SHA-256 already computed while reading the file (no second read).
    """
    digest = digest or sha256_file(path)
    if f.sha256 and digest != f.sha256:
        raise InputError(
            f"checksum mismatch: expected SHA-256 {f.sha256[:16]}…, got {digest[:16]}…",
            file=str(path),
            hint="The file was changed or is a different version; restore the original "
                 "(see the dataset's PROVENANCE.md) or run 'electcheck data fetch' again")
    return digest


def resolve(f: DataFile, *, download: bool = True) -> Path:
    """Path of a verified copy of ``f``; downloads into the cache when allowed."""
    p = local_path(f)
    if p is not None:
        return p
    if download and f.url and not os.environ.get("ELECTCHECK_OFFLINE"):
        return _download(f)
    where = [str(d / f.name) for d in (data_dir(),) if d is not None]
    where.append(str(cache_dir() / f.name))
    how = "download it from " + f.url if f.url else "copy it from the dataset's source (see PROVENANCE.md)"
    raise DataNotFound(f"{f.name} not found; put it at {' or '.join(where)} "
                       f"(set ELECTCHECK_DATA_DIR to the folder holding the datasets), or {how}")


def _download(f: DataFile) -> Path:
    import pooch

    target = cache_dir() / f.name
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        path = pooch.retrieve(f.url, known_hash=f"sha256:{f.sha256}", fname=target.name,
                              path=target.parent, progressbar=False)
    except Exception as e:  # offline, 404, or hash mismatch: all mean "not available"
        raise DataNotFound(f"{f.name} is not available locally and could not be downloaded "
                           f"from {f.url} ({type(e).__name__}); put the file at {target} or set "
                           f"ELECTCHECK_DATA_DIR") from None
    return Path(path)
