"""Limits on every read: one object, defaults that fit a 24 GB machine, each raised by a flag.

Every reader checks its input against :func:`current` limits *while* reading, so a
hostile file (a gzip bomb, a 2,000,000-column header, a 300 MB line, a link to
``/dev/zero``) is refused early, with one line that names the limit and the flag that
raises it, instead of exhausting memory.

Each limit is raised by an environment variable and by a global command-line flag
(before the command name)::

    ELECTCHECK_MAX_BYTES=8G electcheck ingest big.csv.gz ...
    electcheck --max-bytes 8G --max-rows 100M ingest big.csv.gz ...

Sizes accept K, M, G and T suffixes (powers of 1024 for bytes, of 1000 for counts).
"""

from __future__ import annotations

import dataclasses
import os
import stat
import sys
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

from .errors import InputError


@dataclass(frozen=True)
class Limits:
    #: bytes read from a file, and bytes a compressed file expands to
    max_bytes: int = 4 << 30
    #: longest line of a text file, in bytes
    max_line: int = 64 << 20
    #: columns of a table (checked on the raw header line, before any parser sees it)
    max_columns: int = 10_000
    #: data rows (lines) of a table
    max_rows: int = 10_000_000
    #: characters in one cell
    max_cell: int = 100_000
    #: characters in a name (candidate, party, region); longer names are cut, with a finding
    max_name: int = 1_000
    #: pages of a PDF
    max_pages: int = 2_000


#: field → (environment variable, flag, unit: "bytes" for sizes in bytes, "count" otherwise)
SETTINGS: dict[str, tuple[str, str, str]] = {
    "max_bytes": ("ELECTCHECK_MAX_BYTES", "--max-bytes", "bytes"),
    "max_line": ("ELECTCHECK_MAX_LINE", "--max-line", "bytes"),
    "max_columns": ("ELECTCHECK_MAX_COLUMNS", "--max-columns", "count"),
    "max_rows": ("ELECTCHECK_MAX_ROWS", "--max-rows", "count"),
    "max_cell": ("ELECTCHECK_MAX_CELL", "--max-cell", "count"),
    "max_name": ("ELECTCHECK_MAX_NAME", "--max-name", "count"),
    "max_pages": ("ELECTCHECK_MAX_PAGES", "--max-pages", "count"),
}

_SUFFIX = {"": 0, "K": 1, "M": 2, "G": 3, "T": 4}


def parse_size(text: str | int, unit: str = "count", what: str = "limit") -> int:
    """``"8G"`` → 8 GiB (bytes) or 8,000,000,000 (counts); plain integers as given."""
    if isinstance(text, int):
        value = text
    else:
        s = str(text).strip().upper().replace("_", "").replace(",", "")
        if s.endswith("B") and unit == "bytes":
            s = s[:-1]
        suffix = s[-1:] if s[-1:] in _SUFFIX and s[-1:] else ""
        num = s[: len(s) - len(suffix)]
        base = 1024 if unit == "bytes" else 1000
        try:
            f = float(num) if len(num) <= 30 else float("nan")
        except ValueError:
            f = float("nan")
        if not (f == f) or f < 0 or f > 1e18:
            raise InputError(f"{what}: {str(text)[:40]!r} is not a size",
                             hint="Give a whole number, optionally with K, M, G or T (e.g. 8G)")
        value = int(f * base ** _SUFFIX[suffix])
    if value < 1:
        raise InputError(f"{what}: must be at least 1 (got {value})")
    return value


def from_env(environ: dict[str, str] | None = None) -> Limits:
    """The defaults, raised (or lowered) by the ELECTCHECK_MAX_* environment variables."""
    env = os.environ if environ is None else environ
    values = {}
    for name, (var, _flag, unit) in SETTINGS.items():
        if env.get(var, "").strip():
            values[name] = parse_size(env[var], unit, var)
    return Limits(**values)


_current: Limits | None = None


def current() -> Limits:
    """The limits in force: those set by the command line, else the environment's."""
    return _current if _current is not None else from_env()


def set_current(limits: Limits | None) -> None:
    """Set the process-wide limits (the CLI does this once per command); None = environment."""
    global _current
    _current = limits


@contextmanager
def using(limits: Limits | None = None, **changes):
    """Run a block with other limits: ``with using(max_rows=1000): ingest(...)``."""
    global _current
    old = _current
    _current = dataclasses.replace(limits or current(), **changes)
    try:
        yield _current
    finally:
        _current = old


def flag(name: str) -> str:
    """``--max-rows`` (or ELECTCHECK_MAX_ROWS) — how the user raises limit ``name``."""
    var, fl, _unit = SETTINGS[name]
    return f"{fl} (or {var})"


def human(name: str, value: int) -> str:
    """A limit's value as people read it: 4 GB, 64 MB, 10,000."""
    if SETTINGS[name][2] == "bytes":
        for unit, shift in (("GB", 30), ("MB", 20), ("KB", 10)):
            if value >= 1 << shift and value % (1 << shift) == 0:
                return f"{value >> shift:,} {unit}"
        return f"{value:,} bytes"
    return f"{value:,}"


def refuse(name: str, what: str, *, file: str | None = None, row: int | None = None,
           column: str | None = None, value: str | None = None, limit: int | None = None) -> InputError:
    """The one-line refusal for a crossed limit, naming the limit and the flag that raises it."""
    lim = getattr(current(), name) if limit is None else limit
    return InputError(f"{what} (limit {human(name, lim)})", file=file, row=row, column=column, value=value,
                      hint=f"If the file is genuine, raise the limit with {flag(name)}")


def all_flags() -> str:
    return ", ".join(fl for _v, fl, _u in SETTINGS.values())


# --- opening files ---------------------------------------------------------------------

def check_regular_file(path: str | Path, what: str = "file") -> Path:
    """``path`` if it is a regular file (symlinks followed) within the byte limit; else a refusal.

    Devices (``/dev/zero``), FIFOs and sockets never end or block: they are refused unless
    the user passes ``-`` to read standard input on purpose.
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError("file not found", file=str(p),
                         hint="Check the path, or use a built-in dataset name (electcheck data list)") from None
    except OSError as e:
        raise InputError(f"cannot open the {what} ({e.strerror or type(e).__name__})", file=str(p)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("this is a folder, not a file", file=str(p))
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else
                "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise InputError(f"this is {kind}, not a regular file", file=str(p),
                         hint="Pass a file, or '-' to read standard input on purpose")
    lim = current().max_bytes
    if st.st_size > lim:
        raise refuse("max_bytes", f"the file is larger than the byte limit ({st.st_size:,} bytes)",
                     file=str(p))
    return p


def read_bytes(path: str | Path, what: str = "file") -> bytes:
    """A whole (small) file's bytes, refused if it is not a regular file or exceeds the byte limit.

    ``-`` reads standard input, bounded by the same limit.
    """
    lim = current().max_bytes
    if str(path) == "-":
        return _read_bounded(sys.stdin.buffer, lim, "standard input", "-")
    p = check_regular_file(path, what)
    with open(p, "rb") as f:
        return _read_bounded(f, lim, "the file", str(p))


def _read_bounded(f, lim: int, what: str, name: str) -> bytes:
    """Up to ``lim`` bytes in chunks: ``f.read(lim + 1)`` would allocate the whole limit (GBs) up front."""
    parts, n = [], 0
    while True:
        chunk = f.read(min(1 << 20, lim + 1 - n))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        n += len(chunk)
        if n > lim:
            raise refuse("max_bytes", f"{what} is larger than the byte limit", file=name)


def read_text(path: str | Path, encoding: str = "utf-8", what: str = "file") -> str:
    """A whole text file (or ``-``), bounded; a file that does not decode is one line, not a traceback."""
    data = read_bytes(path, what)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(f"cannot be read as {encoding}", file=str(path), row=line,
                         hint="Save the file as UTF-8 text") from None


def spool_stdin(suffix: str = "") -> Path:
    """Standard input copied (bounded by the byte limit) into a temporary file, for readers that seek."""
    import tempfile

    lim = current().max_bytes
    fd, name = tempfile.mkstemp(prefix="electcheck-stdin-", suffix=suffix)
    size = 0
    with os.fdopen(fd, "wb") as out:
        while True:
            piece = sys.stdin.buffer.read(1 << 20)
            if not piece:
                break
            size += len(piece)
            if size > lim:
                out.close()
                os.unlink(name)
                raise refuse("max_bytes", "standard input is larger than the byte limit", file="-")
            out.write(piece)
    return Path(name)


def describe(limits: Limits | None = None) -> list[dict[str, str]]:
    """Every limit with its value, flag and variable (for docs and ``--help`` text)."""
    lim = limits or current()
    return [{"limit": f.name, "value": human(f.name, getattr(lim, f.name)), "flag": SETTINGS[f.name][1],
             "env": SETTINGS[f.name][0]} for f in fields(lim)]
