"""Codebooks: a CSV of code → name (and kind) for coded result files.

Many commissions publish results with coded columns: ``p_41`` is party 41
(Georgia's CEC), ``10`` is line 10 of the Russian CEC protocol. A mapping names
the codebook instead of listing every candidate by hand::

    [codebook]
    file = "parties.csv"      # columns: code, name, and optionally kind, id, field, aliases
    column = "p_{code}"       # how a code appears as a header (default "{code}")
    kind = "party"            # default kind for rows without one: candidate | party | field
    codes = ["41", "42"]      # optional: only these codes (the file lacks the others)

Each ``candidate`` or ``party`` row becomes a ``[[candidates]]`` entry (id from
the ``id`` column, else from the name, else ``<kind>_<code>``); each ``field``
row becomes a standard count (``field`` column, else recognised from the name
by the header vocabularies, e.g. "Число действительных избирательных
бюллетеней" → valid) or, when it is none of them, an ``[extras]`` count.
Explicit ``[[candidates]]`` and ``[fields]`` in the mapping win over the codebook.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..errors import InputError
from ..model import COUNT_FIELDS

KINDS = ("candidate", "party", "field")
MAX_BYTES = 10_000_000  # a codebook is a small table; anything larger is not one


@dataclass(frozen=True)
class CodeEntry:
    code: str
    name: str
    kind: str = "candidate"
    id: str = ""
    field: str = ""
    aliases: tuple[str, ...] = ()


def norm_code(code: str) -> str:
    """Codes compare as text, with digit codes stripped of leading zeros ("041" == "41")."""
    c = str(code).strip()
    return c.lstrip("0") or "0" if c.isdigit() else c


def read_codebook(path: str | Path, default_kind: str = "candidate") -> list[CodeEntry]:
    """Rows of a codebook CSV (UTF-8, comma or semicolon); raise one line on anything unusable."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise InputError(f"codebook larger than {MAX_BYTES:,} bytes", file=str(p),
                             hint="A codebook lists codes and names; check that this is the right file")
        text = p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError("codebook not found", file=str(p)) from None
    except UnicodeDecodeError:
        raise InputError("codebook is not UTF-8 text", file=str(p), hint="Save it as CSV (UTF-8)") from None
    except OSError as e:
        raise InputError(f"cannot read codebook ({e.strerror})", file=str(p)) from None
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else "\t" if first.count("\t") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    if not rows:
        raise InputError("codebook is empty", file=str(p), hint="Write a header row: code,name,kind")
    head = [h.strip().lower() for h in rows[0]]
    if "code" not in head or "name" not in head:
        raise InputError("codebook needs columns 'code' and 'name'", file=str(p), row=1,
                         value=",".join(rows[0])[:200], hint="Write a header row: code,name,kind")
    col = {h: i for i, h in enumerate(head)}
    out: list[CodeEntry] = []
    seen: set[str] = set()
    for n, r in enumerate(rows[1:], start=2):
        if not any(x.strip() for x in r):
            continue
        get = lambda k: (r[col[k]].strip() if k in col and col[k] < len(r) else "")  # noqa: E731
        code, name = get("code"), get("name")
        kind = (get("kind") or default_kind).lower()
        if not code:
            raise InputError("empty code", file=str(p), row=n)
        if kind not in KINDS:
            raise InputError(f"unknown kind {kind!r}", file=str(p), row=n, column="kind",
                             hint=f"Kinds are {', '.join(KINDS)}")
        field = get("field").lower()
        if field and field not in COUNT_FIELDS:
            raise InputError(f"unknown field {field!r}", file=str(p), row=n, column="field",
                             hint=f"Fields are {', '.join(COUNT_FIELDS)}")
        key = norm_code(code)
        if key in seen:
            raise InputError(f"code {code!r} is listed twice", file=str(p), row=n, column="code")
        seen.add(key)
        aliases = tuple(a.strip() for a in get("aliases").split(";") if a.strip())
        out.append(CodeEntry(code, name or code, kind, get("id"), field, aliases))
    return out


def column_for(pattern: str, code: str) -> str:
    return pattern.replace("{code}", code)


def slug(name: str, taken: set[str], fallback: str) -> str:
    """A candidate id from a display name (Cyrillic transliterated); ``fallback`` when nothing is left."""
    from .russia import translit

    text = translit(unicodedata.normalize("NFC", name))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()[:40].strip("_")
    if not base or base in COUNT_FIELDS:
        base = fallback
    if base[0].isdigit():
        base = "c_" + base
    out, i = base, 2
    while out in taken:
        out, i = f"{base}_{i}", i + 1
    taken.add(out)
    return out


def field_for(entry: CodeEntry) -> str | None:
    """The standard field a ``field`` row stands for: its ``field`` column, else its name's vocabulary."""
    if entry.field:
        return entry.field
    from .inspect import classify_header

    hit = classify_header(entry.name)
    return hit.target if hit is not None and hit.kind == "field" else None


def expand_codebook(doc: dict[str, Any], base: Path, allow_paths: Iterable[str | Path], origin: str
                    ) -> dict[str, Any]:
    """``doc`` with its ``[codebook]`` turned into candidates, fields and extras."""
    from .mapping import confined_path

    cb = doc["codebook"]
    if not isinstance(cb, dict) or "file" not in cb:
        raise InputError("[codebook] needs 'file'", file=origin, hint="See docs/mapping.md")
    pattern = cb.get("column", "{code}")
    if not isinstance(pattern, str) or "{code}" not in pattern:
        raise InputError("[codebook] column must contain {code}, e.g. \"p_{code}\"", file=origin,
                         value=str(pattern))
    default_kind = str(cb.get("kind", "candidate")).lower()
    if default_kind not in KINDS:
        raise InputError(f"unknown [codebook] kind {default_kind!r}", file=origin, hint=f"Kinds are {', '.join(KINDS)}")
    path = confined_path(cb["file"], base, allow_paths, "codebook", origin)
    entries = read_codebook(path, default_kind)
    only = cb.get("codes")
    if only is not None:
        wanted = {norm_code(str(c)) for c in only}
        entries = [e for e in entries if norm_code(e.code) in wanted]
    cands = [dict(c) for c in doc.get("candidates", [])]
    used_cols = {c.get("column") for c in cands if isinstance(c.get("column"), str)}
    taken = {str(c.get("id")) for c in cands}
    fields = dict(doc.get("fields", {}))
    extras = dict(doc.get("extras", {}))
    from_book: dict[str, list[str]] = {}
    for e in entries:
        column = column_for(pattern, e.code)
        if column in used_cols:
            continue
        if e.kind == "field":
            f = field_for(e)
            if f is not None:
                from_book.setdefault(f, []).append(column)  # several rows of one field are summed
            else:
                extras.setdefault(slug(e.id or e.name, taken, f"line_{e.code}"), column)
            continue
        cid = e.id or slug(e.name, taken, f"{e.kind}_{e.code}")
        taken.add(cid)
        cands.append({"id": cid, "column": column, "name": e.name, "aliases": list(e.aliases)})
    for f, cols in from_book.items():
        fields.setdefault(f, cols[0] if len(cols) == 1 else cols)
    return {**doc, "candidates": cands, "fields": fields, "extras": extras}
