"""Mapping files: how the columns of a tally file become a Tally.

A mapping is TOML (see docs/mapping.md). Built-in profiles are mappings too.
Columns are declared as data: a column reference is a header string, a table
``{contains = "text"}`` matching one header by substring, or a list of
references whose values are summed.

A mapping may name other files: ``include`` (a shared candidate list) and
``[codebook]`` (a CSV of code → name, kind, for coded files whose columns are
``p_41`` or protocol line numbers). Both are read only from the mapping's own
folder (or below it) unless the caller allows a path (``allow_paths``; the CLI's
``--allow-path``), so a mapping received from someone else cannot read
arbitrary files.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Union

from ..errors import InputError
from ..model import COUNT_FIELDS, Candidate
from .readers import ReadOptions

ColumnRef = Union[str, dict, list]


@dataclass
class LevelSpec:
    level: str
    name: ColumnRef | None = None
    code: ColumnRef | None = None
    pad: int | None = None  # zero-pad digit codes to this width
    nested: bool = False    # numbered within the parent level: code = parent code + own code


@dataclass
class CandidateSpec:
    id: str
    column: ColumnRef
    name: str
    aliases: tuple[str, ...] = ()

    def candidate(self) -> Candidate:
        return Candidate(self.id, self.name, self.aliases)


@dataclass
class KeyPart:
    column: str            # a header, a derived column, or ``<level>_code``
    pad: int | None = None



def make_identifier(label: str, taken: set[str], *, lower: bool = False, max_len: int = 60) -> str:
    """A mapping identifier (letters, digits, _) for a header or row label, unique in ``taken``.

    Cyrillic is transliterated, accents dropped, a leading digit prefixed with ``c_``, a count
    field's name suffixed with ``_`` (ids must not be registered/ballots/valid/…), repeats numbered.
    """
    import unicodedata

    if re.search(r"[\u0400-\u04ff]", label):
        from .russia import translit

        label = translit(label)
    base = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9_]+", "_", base.lower() if lower else base).strip("_")[:max_len].strip("_") or "c"
    if base[0].isdigit():
        base = "c_" + base
    if base in COUNT_FIELDS:
        base += "_"
    out, i = base, 2
    while out in taken:
        out, i = f"{base}_{i}", i + 1
    taken.add(out)
    return out


@dataclass
class Mapping:
    source: str
    kind: str = "independent"
    election: str = ""
    unit_level: str = "unit"
    expected_units: int | None = None
    registry_total: int | None = None
    share_basis: str = "valid"
    read: ReadOptions = field(default_factory=ReadOptions)
    locale: str = "auto"
    fields: dict[str, ColumnRef] = field(default_factory=dict)      # registered, ballots, valid, ...
    extras: dict[str, ColumnRef] = field(default_factory=dict)      # other count columns to keep
    hierarchy: list[LevelSpec] = field(default_factory=list)
    candidates: list[CandidateSpec] = field(default_factory=list)
    key: list[KeyPart] = field(default_factory=list)
    key_sep: str = "-"
    derive: list[tuple[str, str]] = field(default_factory=list)     # (column, regex with named groups)
    select: dict[str, list[str]] = field(default_factory=dict)      # column -> accepted values
    valid_from_candidates: bool = False  # the source has no valid total: valid = sum of candidates
    text_repair: dict[str, list[str]] = field(default_factory=dict)  # "mac_roman" -> columns
    notes: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # file or profile name, for messages
    pdf: dict[str, Any] | None = None  # the [pdf] table of a PDF's mapping (docs/pdf.md)

    def count_columns(self) -> dict[str, ColumnRef]:
        """Every Tally count column and the file column(s) it comes from."""
        out = dict(self.fields)
        out.update(self.extras)
        out.update({c.id: c.column for c in self.candidates})
        return out


def resolve_column(ref: ColumnRef, header: list[str], what: str, origin: str) -> list[str]:
    """File columns that a reference names; raise with the available headers if none."""
    if isinstance(ref, list):
        return [c for r in ref for c in resolve_column(r, header, what, origin)]
    if isinstance(ref, dict) and "contains" in ref:
        needle = ref["contains"]
        hits = [h for h in header if needle in h]
        if len(hits) != 1:
            problem = "no column" if not hits else f"{len(hits)} columns"
            raise InputError(f"{problem} contains {needle!r} (needed for {what})", file=origin,
                             hint=f"Columns are: {_short(header)}")
        return hits
    if isinstance(ref, str):
        if ref in header:
            return [ref]
        lower = {h.lower().strip(): h for h in header}
        if ref.lower().strip() in lower:
            return [lower[ref.lower().strip()]]
        raise InputError(f"column {ref!r} not found (needed for {what})", file=origin,
                         hint=f"Columns are: {_short(header)}. Fix the mapping or pick the right file")
    raise InputError(f"bad column reference for {what}: {ref!r}", file=origin,
                     hint='Use "Header", {contains = "text"} or a list of those')


def _short(header: list[str], n: int = 25) -> str:
    shown = ", ".join(repr(h) for h in header[:n])
    return shown + (f", … ({len(header)} in all)" if len(header) > n else "")


# --- TOML ----------------------------------------------------------------------

_READ_KEYS = {"encoding", "delimiter", "header_row", "sheet", "na_values", "format"}


def load_mapping(path: str | Path, *, allow_paths: Iterable[str | Path] = ()) -> Mapping:
    """Read a mapping file. Files it names (``include``, ``[codebook]``) must lie in its own
    folder or below, or under one of ``allow_paths`` (files or folders the caller allows)."""
    p = Path(path)
    try:
        from .. import limits

        doc = tomllib.loads(limits.read_text(p, what="mapping"))
    except FileNotFoundError:
        raise InputError("mapping file not found", file=str(p)) from None
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file", file=str(p), hint="Save the mapping as UTF-8 TOML") from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"not valid TOML ({e})", file=str(p), hint="See docs/mapping.md for the format") from None
    return mapping_from_dict(doc, origin=str(p), allow_paths=allow_paths)


def confined_path(name: object, base: Path, allow_paths: Iterable[str | Path], what: str, origin: str) -> Path:
    """``name`` read from ``base``; refuse (one line) a path that leaves ``base`` and is not allowed.

    Symbolic links are resolved first, so a link inside the folder that points outside is refused too.
    """
    if not isinstance(name, str) or not name:
        raise InputError(f"{what} must be a file name (text)", file=origin, value=repr(name))
    target = (base / name).resolve()
    roots = [base.resolve()] + [Path(a).resolve() for a in allow_paths]
    if not any(target == r or r in target.parents for r in roots):
        raise InputError(f"{what} {name!r} is outside the mapping's folder", file=origin,
                         hint="Move the file next to the mapping, or allow it with --allow-path PATH")
    return target


def mapping_from_dict(doc: dict[str, Any], origin: str = "mapping", base: Path | None = None,
                      allow_paths: Iterable[str | Path] = ()) -> Mapping:
    """A Mapping from parsed TOML. ``base`` is the folder that ``include`` and ``[codebook]``
    are read from (default: the folder of ``origin``)."""
    def need(d: dict, key: str, where: str):
        if key not in d:
            raise InputError(f"[{where}] needs {key!r}", file=origin, hint="See docs/mapping.md")
        return d[key]

    base = base if base is not None else Path(origin).parent
    if "codebook" in doc:  # coded columns: candidates (and fields) come from a code -> name table
        from .codebook import expand_codebook

        doc = expand_codebook(doc, base, allow_paths, origin)

    src = doc.get("source", {})
    f = doc.get("file", {})
    unknown = set(f) - _READ_KEYS - {"locale"}
    if unknown:
        raise InputError(f"unknown [file] option(s): {', '.join(sorted(unknown))}", file=origin,
                         hint=f"Known: {', '.join(sorted(_READ_KEYS | {'locale'}))}")
    read = ReadOptions(**{k: (tuple(v) if k == "na_values" else v) for k, v in f.items() if k in _READ_KEYS})
    fields = dict(doc.get("fields", {}))
    bad = set(fields) - set(COUNT_FIELDS)
    if bad:
        raise InputError(f"unknown field(s) in [fields]: {', '.join(sorted(bad))}", file=origin,
                         hint=f"Fields are {', '.join(COUNT_FIELDS)}; put other counts in [extras]")
    if "include" in doc:  # shared candidate list, e.g. one election's candidates for several files
        inc = confined_path(doc["include"], base, allow_paths, "included file", origin)
        try:
            from .. import limits

            shared = tomllib.loads(limits.read_text(inc, what="mapping include"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise InputError(f"cannot read included file {doc['include']!r} ({e})", file=origin) from None
        doc = {**doc, "candidates": doc.get("candidates", []) + shared.get("candidates", [])}
    columns = doc.get("columns", {})  # candidate id -> column, for included candidates
    for c in doc.get("candidates", []):
        if "column" not in c and c.get("id") in columns:
            c["column"] = columns[c["id"]]
    cands = [CandidateSpec(str(need(c, "id", "candidates")), need(c, "column", "candidates"),
                           c.get("name", str(c["id"])), tuple(c.get("aliases", ())))
             for c in doc.get("candidates", [])]
    if "pdf" in doc:
        from .pdf import pdf_options_from_dict

        pdf_options_from_dict(doc["pdf"], origin)  # a bad [pdf] table is refused when the mapping loads
    if not cands and "pdf" not in doc:  # a PDF's candidates may come from its contest's rows
        raise InputError("the mapping names no [[candidates]]", file=origin,
                         hint="Add one [[candidates]] table per candidate column (id, column, name)")
    for c in cands:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", c.id) or c.id in COUNT_FIELDS:
            raise InputError(f"candidate id {c.id!r} must be a short identifier (letters, digits, _) "
                             f"and not one of {', '.join(COUNT_FIELDS)}", file=origin)
    levels = [LevelSpec(need(h, "level", "hierarchy"), h.get("name"), h.get("code"), h.get("pad"),
                        bool(h.get("nested", False)))
              for h in doc.get("hierarchy", [])]
    key = doc.get("key", {})
    parts = [KeyPart(p, None) if isinstance(p, str) else KeyPart(need(p, "column", "key"), p.get("pad"))
             for p in key.get("parts", [])]
    derive = [(need(d, "from", "derive"), need(d, "pattern", "derive")) for d in doc.get("derive", [])]
    for _, pat in derive:
        try:
            re.compile(pat)
        except re.error as e:
            raise InputError(f"bad regular expression in [[derive]] ({e})", file=origin, value=pat) from None
    return Mapping(
        source=src.get("name", Path(origin).stem), kind=src.get("kind", "independent"),
        election=src.get("election", ""), unit_level=src.get("unit_level", "unit"),
        expected_units=src.get("expected_units"), registry_total=src.get("registry_total"),
        share_basis=src.get("share_basis", "valid"), read=read, locale=f.get("locale", "auto"),
        fields=fields, extras=dict(doc.get("extras", {})), hierarchy=levels, candidates=cands,
        key=parts, key_sep=key.get("sep", "-"), derive=derive,
        valid_from_candidates=bool(src.get("valid_from_candidates", False)),
        text_repair={k: list(v) for k, v in doc.get("text_repair", {}).items()},
        select={k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in doc.get("select", {}).items()},
        notes=dict(doc.get("notes", {})), origin=origin,
        pdf=dict(doc["pdf"]) if "pdf" in doc else None,
    )
