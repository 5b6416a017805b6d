"""Look at an unknown tally file and draft a mapping for it.

``inspect_file`` reads the file the way ``ingest`` would (same encoding,
delimiter and header detection) and classifies each column:

- ``field``: a standard count (registered, ballots, valid, invalid, blank),
  recognised by its name in English, Spanish, Portuguese, Indonesian or Russian;
- ``code``: identifiers (digits with leading zeros, or named id/code/mesa/...);
- ``count``: whole numbers, proposed as candidate columns;
- ``name``: text (place names), proposed as hierarchy names;
- ``other``: everything else (URLs, free text, mostly empty columns).

``draft_mapping`` turns that into TOML the user edits and passes with
``--map`` (see docs/mapping.md). The draft is a guess and says so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from pathlib import Path

import pandas as pd

from ..numbers import parse_counts
from .readers import ReadOptions, read_table

FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "registered": ("registered", "electores", "inscritos", "registrados", "re", "dpt", "electors", "eligible",
                   "registro", "избирателей", "включенных", "eleitores", "padron"),
    "ballots": ("ballots", "votantes", "votos totales", "votos emitidos", "total votes", "votes cast", "cast",
                "turnout", "jum", "ballots cast", "бюллетеней", "comparecimento", "emitidos"),
    "valid": ("valid", "validos", "votos validos", "valid votes", "sah", "действительных"),
    "invalid": ("invalid", "nulos", "votos nulos", "null", "spoiled", "rejected", "tsah", "недействительных"),
    "blank": ("blank", "blancos", "votos blancos", "brancos", "empty"),
}
CODE_WORDS = ("id", "code", "cod", "codigo", "kode", "mesa", "table", "tps", "uik", "centro", "center", "centre",
              "precinct", "station", "num", "no", "nr", "number", "acta", "seccion", "circuito", "колонка")
LEVEL_WORDS = {"state": ("estado", "edo", "state", "province", "provincia", "region", "departamento", "oblast"),
               "municipality": ("municipio", "mun", "municipality", "county", "kabkota", "district", "canton"),
               "parish": ("parroquia", "par", "parish", "kecamatan", "ward"),
               "centre": ("centro", "centre", "center", "school", "desa", "village", "polling place")}


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode() or s
    return re.sub(r"[^a-z0-9а-я ]+", " ", s.lower()).strip()


def _words(name: str) -> set[str]:
    return set(_norm(name).replace("_", " ").split())


@dataclass
class ColumnProfile:
    name: str
    role: str                 # field | code | count | name | other
    field: str | None = None  # for role == "field"
    filled: int = 0
    unique: int = 0
    numeric_share: float = 0.0
    grouping: str = "none"
    examples: list[str] = dc_field(default_factory=list)


@dataclass
class Inspection:
    file: str
    format: str
    encoding: str
    delimiter: str
    header_row: int
    rows: int
    rows_unsplittable: int
    locale: str
    columns: list[ColumnProfile]
    key: list[str]
    notes: list[str] = dc_field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def by_role(self, role: str) -> list[ColumnProfile]:
        return [c for c in self.columns if c.role == role]


def _field_of(name: str) -> str | None:
    n = _norm(name)
    words = _words(name)
    for f, keys in FIELD_WORDS.items():
        for k in keys:
            if n == k or (" " in k and k in n) or (" " not in k and len(k) > 3 and k in words):
                return f
    for f, keys in FIELD_WORDS.items():
        if any(len(k) > 4 and k in n for k in keys):
            return f
    return None


def _looks_code(name: str, cells: pd.Series) -> bool:
    words = _words(name)
    if words & set(CODE_WORDS) or any(_norm(name).startswith(w + " ") or _norm(name).endswith(" " + w)
                                      for w in ("cod", "id", "kode")):
        return True
    s = cells.dropna()
    return bool(len(s)) and bool(s.str.match(r"^0\d+$").mean() > 0.2)


def _strong_code(name: str, cells: pd.Series) -> bool:
    """Named as a code (cod, id, code, kode) or written with leading zeros."""
    if _words(name) & {"cod", "code", "codigo", "id", "kode"}:
        return True
    s = cells.dropna()
    return bool(len(s)) and bool(s.str.match(r"^0\d+$").mean() > 0.2)


def inspect_file(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
                 header_row: int | None = None, sheet: str | None = None, sample: int = 200_000) -> Inspection:
    """Profile ``path`` and guess what each column is (nothing is changed)."""
    opts = ReadOptions(**{k: v for k, v in dict(encoding=encoding, delimiter=delimiter, header_row=header_row,
                                                 sheet=sheet).items() if v is not None})
    raw = read_table(path, opts)
    cells = raw.cells.head(sample)
    cols: list[ColumnProfile] = []
    groupings = []
    for name in raw.header:
        c = cells[name]
        filled = int(c.notna().sum())
        examples = [str(v) for v in c.dropna().unique()[:3]]
        prof = ColumnProfile(name, "other", filled=filled, unique=int(c.nunique()), examples=examples)
        if filled:
            p = parse_counts(c, "auto")
            present = c.notna() & (c.str.strip() != "")
            ok = present.to_numpy() & ~p.bad
            prof.numeric_share = round(float(ok.sum()) / max(1, int(present.sum())), 3)
            prof.grouping = p.grouping
            numeric = prof.numeric_share >= 0.95
            f = _field_of(name) if numeric else None
            if f is not None:
                prof.role, prof.field = "field", f
            elif (_looks_code(name, c) or _level_of(name) is not None) and prof.numeric_share > 0.5 \
                    and (prof.unique > 2 or _strong_code(name, c)):
                prof.role = "code"
            elif numeric:
                prof.role = "count"
            if numeric and prof.role in ("count", "field") and p.grouping != "none":
                groupings.append(p.grouping)
            elif prof.numeric_share < 0.5 and filled >= 0.5 * len(cells) and prof.unique < max(2, len(cells)):
                prof.role = "name" if not re.match(r"^https?://", examples[0] if examples else "") else "other"
        cols.append(prof)
    # one column per standard field: keep the first of each
    seen: set[str] = set()
    for c in cols:
        if c.role == "field":
            if c.field in seen:
                c.role, c.field = "count", None
            seen.add(c.field)
    codes = [c.name for c in cols if c.role == "code"]
    key = _choose_key(cells, codes)
    locale = "es" if "dot" in groupings else "en" if "comma" in groupings else "auto"
    notes = []
    if "mixed" in groupings or ("dot" in groupings and "comma" in groupings):
        notes.append("columns group thousands both with '.' and ','; set locale by hand")
    if "ambiguous" in groupings:
        notes.append("some numbers like '2.000' read both as 2 and 2000; set locale by hand")
    if not key:
        notes.append("no column or set of columns identifies each row; list the key parts by hand")
    return Inspection(raw.file, raw.format, raw.encoding or "n/a", raw.delimiter or "n/a",
                      int(raw.row_numbers[0]) - 1 if len(raw.row_numbers) else (header_row or 1),
                      len(raw.cells), len(raw.quarantine), locale, cols, key, notes)


def _choose_key(cells: pd.DataFrame, codes: list[str]) -> list[str]:
    if not codes or cells.empty:
        return []
    for c in reversed(codes):  # the finest single code first
        if cells[c].notna().all() and cells[c].is_unique:
            return [c]
    for i in range(len(codes)):
        sub = codes[i:]
        if not cells.duplicated(subset=sub).any():
            # drop parents that are not needed for uniqueness, from the top
            while len(sub) > 1 and not cells.duplicated(subset=sub[1:]).any():
                sub = sub[1:]
            return sub
    return []


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ident(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_]+", "_", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
    base = base.strip("_") or "c"
    if base[0].isdigit():
        base = "c_" + base
    if base in ("registered", "ballots", "valid", "invalid", "blank"):
        base += "_"
    out, i = base, 2
    while out in taken:
        out, i = f"{base}_{i}", i + 1
    taken.add(out)
    return out


def _level_of(col: str) -> str | None:
    """The hierarchy level a column name speaks of ("edo", "Estado" -> state), if any."""
    w = _words(col)
    n = _norm(col)
    for level, words in LEVEL_WORDS.items():
        if w & set(words) or n.replace(" ", "") in words:
            return level
    return None


def _level_name(col: str, used: set[str]) -> str:
    w = _words(col)
    n = _norm(col)
    for level, words in LEVEL_WORDS.items():
        if level not in used and (w & set(words) or any(x in n for x in words if len(x) > 3)):
            used.add(level)
            return level
    return _ident(col.lower(), used)


def draft_mapping(ins: Inspection) -> str:
    """A commented TOML mapping for ``ins`` (see docs/mapping.md)."""
    name = Path(ins.file).stem
    lines = [
        f"# Draft mapping for {Path(ins.file).name}, written by 'electcheck inspect'.",
        "# Check every line marked EDIT, then run:",
        f"#   electcheck ingest {Path(ins.file).name} --map THIS_FILE.toml",
        "",
        "[source]",
        f"name = {_toml_str(name)}",
        'kind = "independent"        # EDIT: official | independent',
        'election = ""               # EDIT: e.g. "Presidential election, 28 July 2024"',
        'unit_level = "unit"         # EDIT: what one row is (mesa, acta, precinct, TPS)',
        "",
        "[file]",
        f"encoding = {_toml_str(ins.encoding if ins.encoding != 'n/a' else 'auto')}",
    ]
    if ins.format == "csv":
        lines.append(f"delimiter = {_toml_str(ins.delimiter)}")
    lines.append(f"header_row = {ins.header_row}")
    lines.append(f"locale = {_toml_str(ins.locale)}" + ("          # EDIT if numbers use '.' or ',' grouping"
                                                          if ins.locale == "auto" else ""))
    fields = ins.by_role("field")
    if fields:
        lines += ["", "[fields]"]
        lines += [f"{c.field} = {_toml_str(c.name)}" for c in fields]
    codes = [c.name for c in ins.by_role("code")]
    names = [c.name for c in ins.by_role("name")]
    used: set[str] = set()
    levels = [c for c in codes if c not in ins.key[-1:]] if ins.key else codes
    for c in levels:
        lines += ["", "[[hierarchy]]", f"level = {_toml_str(_level_name(c, used))}", f"code = {_toml_str(c)}"]
        nm = _name_for(c, names)
        if nm is None and _level_of(c) is not None:
            nm = next((n for n in names if _level_of(n) == _level_of(c)), None)
        if nm:
            lines.append(f"name = {_toml_str(nm)}")
            names.remove(nm)
    lines += ["", "[key]"]
    if ins.key:
        lines.append("parts = [" + ", ".join(_toml_str(k) for k in ins.key) + "]")
    else:
        lines.append('parts = []                   # EDIT: the columns that identify a row')
    cands = ins.by_role("count")
    taken: set[str] = set()
    lines += ["", "# One table per candidate or party column. EDIT: names, and delete columns that are not votes."]
    for c in cands:
        lines += ["[[candidates]]", f"id = {_toml_str(_ident(c.name, taken))}", f"column = {_toml_str(c.name)}",
                  f"name = {_toml_str(c.name)}", ""]
    if not cands:
        lines += ["# EDIT: no count columns were found; add [[candidates]] tables by hand", ""]
    if names:
        lines.append("# Text columns not used above: " + ", ".join(names))
    for n in ins.notes:
        lines.append(f"# NOTE: {n}")
    return "\n".join(lines).rstrip() + "\n"


def _name_for(code_col: str, names: list[str]) -> str | None:
    stem = _norm(code_col).replace("cod ", "").replace("codigo ", "").replace(" id", "").replace(" code", "")
    stem = re.sub(r"^(cod|id|kode)\s*|\s*(cod|id|code)$", "", stem).strip()
    for n in names:
        if stem and (stem in _norm(n) or _norm(n) in stem):
            return n
    return None
