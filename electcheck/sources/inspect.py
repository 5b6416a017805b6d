"""Look at an unknown tally file and draft a mapping for it.

``inspect_file`` reads the file the way ``ingest`` would (same encoding,
delimiter and header detection) and classifies each column:

- ``field``: a standard count (registered, ballots, valid, invalid, blank),
  recognised by its header in English, Spanish, Portuguese, French, Indonesian
  or Russian (the vocabularies are data: ``sources/vocab/*.toml``);
- ``part``: one of several columns that add up to a field (Russian ballots =
  portable + stationary boxes);
- ``extra``: a count that is neither a field nor a candidate (ballots received,
  abstentions), or a second column for a field already found;
- ``code``: identifiers (digits with leading zeros, or named id/code/mesa/...);
- ``codename``: cells written ``<code> <name>`` ("101 KAMPALA"), split into a
  hierarchy level's code and name;
- ``running``: a running number 1..N (neither a candidate nor, by preference, a key);
- ``coded``: a column named by a code of the codebook given (``p_41``);
- ``count``: whole numbers, proposed as candidate columns;
- ``name``: text (place names), proposed as hierarchy names;
- ``other``: everything else (URLs, free text, mostly empty columns).

Counts are judged on a sample of rows; keys and running numbers are proven on
the whole file. A mostly numeric column with cells that are not whole numbers
("1.234,5", digits of another script) is kept, and those cells are listed.

``draft_mapping`` turns that into TOML the user edits and passes with
``--map`` (see docs/mapping.md, docs/inspect.md). Every guess carries a
comment saying why.
"""

from __future__ import annotations

import itertools
import re
import tomllib
import unicodedata
from dataclasses import asdict, dataclass
from dataclasses import field as dc_field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..escape import toml_string
from ..model import COUNT_FIELDS
from ..numbers import parse_counts
from .mapping import make_identifier
from .readers import ReadOptions, read_table

LANGUAGES = ("en", "es", "pt", "fr", "id", "ru")
#: share of a column's filled cells that must read as whole numbers for it to be a count
MOSTLY = 0.6
#: cells "<code> <name>": digits, a separator, then a name with a letter in it
CODE_NAME = re.compile(r"^\s*(\d+)\s*[-–.:)]?\s+(\S.*?)\s*$")
_CODE_NAME_PATTERN = r"^\s*(?P<{c}>\d+)\s*[-–.:)]?\s+(?P<{n}>.*?)\s*$"


# --- vocabularies ------------------------------------------------------------------


def norm(s: str) -> str:
    """Lower case, accents and punctuation removed, words separated by one space (any script)."""
    s = unicodedata.normalize("NFKD", str(s))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", s).split())


def words(s: str) -> tuple[str, ...]:
    return tuple(norm(s).split())


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    lang: str
    text: str = ""   # as written in the vocabulary (for comments)


@dataclass
class Vocabulary:
    fields: dict[str, list[Phrase]]
    extras: list[Phrase]
    parts: dict[str, list[Phrase]]
    levels: dict[str, list[Phrase]]
    codes: set[str]
    running: list[Phrase]
    ignore: list[Phrase]
    split: set[str]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The header vocabularies of every language, read from ``sources/vocab/*.toml``."""
    v = Vocabulary({f: [] for f in COUNT_FIELDS}, [], {}, {}, set(), [], [], set())
    folder = resources.files(__package__) / "vocab"
    for lang in LANGUAGES:
        doc = tomllib.loads((folder / f"{lang}.toml").read_text(encoding="utf-8"))
        ph = lambda items: [Phrase(_phrase_words(x), lang, x) for x in items]  # noqa: E731
        for f, items in doc.get("fields", {}).items():
            v.fields[f].extend(ph(items))
        v.extras.extend(ph(doc.get("extras", {}).get("words", [])))
        for f, items in doc.get("parts", {}).items():
            v.parts.setdefault(f, []).extend(ph(items))
        for lv, items in doc.get("levels", {}).items():
            v.levels.setdefault(lv, []).extend(ph(items))
        v.codes |= {w for p in ph(doc.get("codes", {}).get("words", [])) for w in p.words}
        v.running.extend(ph(doc.get("running", {}).get("words", [])))
        v.ignore.extend(ph(doc.get("ignore", {}).get("words", [])))
        v.split |= {w for p in ph(doc.get("split", {}).get("words", [])) for w in p.words}
    return v


def _phrase_words(text: str) -> tuple[str, ...]:
    ws = list(words(text))
    if text.rstrip().endswith("*") and ws:
        ws[-1] += "*"
    return tuple(ws)


def _has(phrase: tuple[str, ...], ws: tuple[str, ...]) -> bool:
    n = len(phrase)
    for i in range(len(ws) - n + 1):
        if all(h.startswith(p[:-1]) if p.endswith("*") else h == p for p, h in zip(phrase, ws[i:i + n])):
            return True
    return False


@dataclass(frozen=True)
class HeaderMatch:
    kind: str      # field | part | extra | ignore
    target: str    # the field (field, part), "" for extra
    phrase: Phrase

    def why(self) -> str:
        return f'header has "{self.phrase.text}" ({self.phrase.lang})'


def classify_header(name: str) -> HeaderMatch | None:
    """What a header says a column is, by the vocabularies: the longest phrase found wins;
    a "not votes" word (received, issued, abstentions) beats a one-word field phrase."""
    ws = words(name)
    if not ws:
        return None
    v = vocabulary()
    hits: list[tuple[tuple[float, int], HeaderMatch]] = []
    for f, phrases in v.fields.items():
        hits += [((len(p.words), len(' '.join(p.words))), HeaderMatch("field", f, p)) for p in phrases if _has(p.words, ws)]
    for f, phrases in v.parts.items():
        hits += [((len(p.words), len(' '.join(p.words))), HeaderMatch("part", f, p)) for p in phrases if _has(p.words, ws)]
    hits += [((len(p.words) + 0.5, len(' '.join(p.words))), HeaderMatch("extra", "", p)) for p in v.extras
             if _has(p.words, ws)]
    hits += [((len(p.words) + 0.6, len(' '.join(p.words))), HeaderMatch("ignore", "", p)) for p in v.ignore
             if _has(p.words, ws)]
    return max(hits, key=lambda h: h[0])[1] if hits else None


def level_of(name: str) -> tuple[str, Phrase] | None:
    """The hierarchy level a header speaks of ("edo", "Estado" -> state), by the longest phrase."""
    ws = words(name)
    best = None
    for level, phrases in vocabulary().levels.items():
        for p in phrases:
            if _has(p.words, ws) and (best is None or len(p.text) > len(best[1].text)):
                best = (level, p)
    return best


def _is_code_word(name: str) -> bool:
    return bool(set(words(name)) & vocabulary().codes)


def _running_word(name: str) -> bool:
    ws = words(name)
    return any(_has(p.words, ws) for p in vocabulary().running)


# --- digits ------------------------------------------------------------------------

_SEPARATORS = {"\u066c": ",", "\u066b": ".", "\u060c": ","}  # Arabic thousands / decimal separators


def ascii_digits(cell: str) -> str:
    """``cell`` with decimal digits of any script (Arabic-Indic, full-width, Devanagari) as ASCII."""
    out = []
    for ch in cell:
        if not ch.isascii() and unicodedata.category(ch) == "Nd":
            out.append(str(unicodedata.digit(ch)))
        else:
            out.append(_SEPARATORS.get(ch, ch))
    return "".join(out)


# --- the inspection ------------------------------------------------------------------


@dataclass
class ColumnProfile:
    name: str
    role: str                 # field | part | extra | code | codename | running | coded | count | name | other
    field: str | None = None  # for role field / part
    filled: int = 0
    unique: int = 0
    numeric_share: float = 0.0
    grouping: str = "none"
    examples: list[str] = dc_field(default_factory=list)
    level: str | None = None   # hierarchy level the column names (codes, names, code-name cells)
    why: str = ""              # the reason for the role, written into the draft
    unreadable: int = 0        # filled cells that are not whole numbers (in a mostly numeric column)
    unreadable_examples: list[str] = dc_field(default_factory=list)
    other_digits: int = 0      # of those, cells that are whole numbers in another script's digits
    code: str | None = None    # for role coded: the code, and its codebook entry name in ``why``


@dataclass
class Level:
    level: str
    code: str | None = None         # a header, or a derived column (``district_code``)
    name: str | None = None
    derive_from: str | None = None  # the "<code> <name>" column the code and name come from
    why: str = ""
    nested: bool = False            # codes numbered within the parent level


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
    hierarchy: list[Level] = dc_field(default_factory=list)
    key_why: str = ""
    locale_why: str = ""
    sums: dict[str, list[str]] = dc_field(default_factory=dict)  # field -> columns summed
    codebook: dict | None = None    # file, column pattern, codes (None = all), matched columns

    def to_dict(self) -> dict:
        return asdict(self)

    def by_role(self, role: str) -> list[ColumnProfile]:
        return [c for c in self.columns if c.role == role]

    def column(self, name: str) -> ColumnProfile | None:
        return next((c for c in self.columns if c.name == name), None)


def _strong_code(name: str, cells: pd.Series) -> bool:
    """Named as a code (cod, id, code, kode) or written with leading zeros."""
    if set(words(name)) & {"cod", "code", "codigo", "id", "kode", "код"}:
        return True
    return _leading_zeros(cells)


def _leading_zeros(cells: pd.Series) -> bool:
    s = cells.dropna()
    return bool(len(s)) and bool(s.str.match(r"^0\d+$").mean() > 0.2)


def _fmt_examples(values, n: int = 3) -> str:
    return ", ".join(repr(str(v)) for v in list(values)[:n])


def _profile(name: str, c: pd.Series, n_rows: int) -> tuple[ColumnProfile, object | None]:
    filled = int(c.notna().sum())
    examples = [str(v) for v in c.dropna().unique()[:3]]
    prof = ColumnProfile(name, "other", filled=filled, unique=int(c.nunique()), examples=examples)
    if not filled:
        prof.why = "empty"
        return prof, None
    p = parse_counts(c, "auto")
    present = (c.notna() & (c.str.strip() != "")).to_numpy()
    ok = present & ~p.bad
    n_present = max(1, int(present.sum()))
    bad_cells = c[present & p.bad]
    other = 0
    if len(bad_cells):
        converted = bad_cells.map(ascii_digits)
        changed = converted != bad_cells
        if changed.any():
            other = int((~parse_counts(converted[changed].astype("string"), "auto").bad).sum())
    prof.numeric_share = round(float(ok.sum()) / n_present, 3)
    prof.grouping = p.grouping
    if (ok.sum() + other) / n_present >= MOSTLY and len(bad_cells):
        prof.unreadable = int(len(bad_cells))
        prof.unreadable_examples = [str(v) for v in bad_cells.unique()[:5]]
        prof.other_digits = other
    return prof, p


def inspect_file(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
                 header_row: int | None = None, sheet: str | None = None, sample: int = 200_000,
                 codebook: str | Path | None = None) -> Inspection:
    """Profile ``path`` and guess what each column is (nothing is changed).

    ``codebook``: a CSV of code → name (see ``sources/codebook.py``) whose codes name columns.
    """
    opts = ReadOptions(**{k: v for k, v in dict(encoding=encoding, delimiter=delimiter, header_row=header_row,
                                                 sheet=sheet).items() if v is not None})
    raw = read_table(path, opts)
    full = raw.cells
    cells = full.head(sample)
    n = len(cells)
    book = _match_codebook(codebook, list(raw.header)) if codebook is not None else None
    cols: list[ColumnProfile] = []
    groupings = []
    for name in raw.header:
        c = cells[name]
        prof, p = _profile(name, c, n)
        cols.append(prof)
        if p is None:
            continue
        lv = level_of(name)
        prof.level = lv[0] if lv else None
        # mostly whole numbers, counting cells written in another script's digits
        numeric = prof.numeric_share >= MOSTLY or prof.unreadable > 0
        hit = classify_header(name) if numeric else None
        present_cells = c.dropna()
        code_name_share = float(present_cells.str.match(CODE_NAME).mean()) if len(present_cells) else 0.0
        if book is not None and name in book["columns"]:
            code, entry = book["columns"][name]
            prof.role, prof.code = "coded", code
            if entry.kind == "field":
                from .codebook import field_for

                prof.field = field_for(entry)
            prof.why = f"code {code} in the codebook: {entry.name} ({entry.kind})"
        elif hit is not None and hit.kind == "ignore":
            prof.why = f"a number but not a count: {hit.why()}"
        elif numeric and n >= 10 and _flag(c):
            prof.why = "only 0 and 1: a flag, not votes"
        elif hit is not None:
            prof.role = hit.kind
            prof.field = hit.target or None
            prof.why = hit.why() if hit.kind != "extra" else f"a count, not votes: {hit.why()}"
        elif numeric and _is_running(full[name]):
            prof.role = "running"
            prof.why = f"a running number 1..{len(full):,}" + (" (and its header says so)"
                                                              if _running_word(name) else "")
        elif numeric and (prof.level is not None or ((_is_code_word(name) or _leading_zeros(c))
                                                      and (prof.unique > 2 or _strong_code(name, c)))):
            prof.role = "code"
            prof.why = ("written with leading zeros" if _leading_zeros(c) else
                        f"header names a level ({prof.level})" if prof.level else "header names a code")
        elif numeric:
            prof.role = "count"
            share = "all" if not prof.unreadable else f"{prof.filled - prof.unreadable:,} of {prof.filled:,}"
            prof.why = f"whole numbers in {share} {'filled ' if prof.filled < n else ''}rows"
        elif not numeric and prof.filled == n and prof.unique == n and n > 1 \
                and (_is_code_word(name) or prof.level is not None):
            prof.role = "code"
            prof.why = "header names a code" + (f" ({prof.level})" if prof.level else "") + " and no value repeats"
        elif code_name_share >= 0.9 and prof.unique > 1:
            prof.role = "codename"
            prof.level = prof.level or _ident(name.lower(), set())
            ex = next((e for e in prof.examples if CODE_NAME.match(e)), prof.examples[0])
            prof.why = f'cells are "<code> <name>", e.g. {toml_string(ex)}'
        elif prof.numeric_share < 0.5 and prof.filled >= 0.5 * n and prof.unique < max(2, n):
            if re.match(r"^https?://", prof.examples[0] if prof.examples else ""):
                prof.why = "web addresses"
            else:
                prof.role = "name"
                prof.why = "text that repeats"
        else:
            prof.why = "neither counts nor repeated names"
        if prof.role in ("count", "field", "part", "coded") and p.grouping != "none":
            groupings.append(p.grouping)
    sums = _fields_and_parts(cols)
    hierarchy, derived = _hierarchy(cols, set(raw.header))
    key, key_why = _choose_key(full, cells, cols, hierarchy, derived)
    _drop_key_level(hierarchy, key, cols)
    _mark_nested(full, hierarchy, derived)
    locale, locale_why = _locale(groupings)
    notes = []
    if "mixed" in groupings or ("dot" in groupings and "comma" in groupings):
        notes.append("columns group thousands both with '.' and ','; set locale by hand")
    if "ambiguous" in groupings:
        notes.append("some numbers like '2.000' read both as 2 and 2000; set locale by hand")
    if not key:
        notes.append("no column or set of columns identifies each row; list the key parts by hand")
    for c in cols:
        if c.unreadable and c.role in ("count", "field", "part", "extra", "coded"):
            notes.append(_unreadable_note(c))
    return Inspection(raw.file, raw.format, raw.encoding or "n/a", raw.delimiter or "n/a",
                      int(raw.row_numbers[0]) - 1 if len(raw.row_numbers) else (header_row or 1),
                      len(raw.cells), len(raw.quarantine), locale, cols, key, notes, hierarchy, key_why,
                      locale_why, sums, book["summary"] if book else None)


def _unreadable_note(c: ColumnProfile) -> str:
    text = (f"column {c.name!r}: {c.unreadable:,} cell(s) are not whole numbers, e.g. "
            f"{_fmt_examples(c.unreadable_examples, 5)}; ingest sets those rows aside (with --errors FILE)")
    if c.other_digits:
        ex = next((e for e in c.unreadable_examples if ascii_digits(e) != e), c.unreadable_examples[0])
        text += (f"; {c.other_digits:,} of them are whole numbers in another script's digits "
                 f"(e.g. {ex!r} = {ascii_digits(ex)!r}): convert them to 0-9 in the file")
    return text


def _flag(cells: pd.Series) -> bool:
    s = cells.dropna().str.strip()
    return bool(len(s)) and bool(s.isin(["0", "1"]).all())


def _is_running(col: pd.Series) -> bool:
    """The column is 1..N (or 0..N-1) in file order, on every row of the file."""
    n = len(col)
    if n < 3 or col.isna().any():
        return False
    head = col.head(50).str.strip()
    start = head.iat[0]
    if start not in ("0", "1") or not head.str.fullmatch(r"\d+").all():
        return False
    p = parse_counts(col, "plain")
    if p.bad.any() or p.values.isna().any():
        return False
    v = p.values.to_numpy(dtype=np.int64)
    return bool((v == np.arange(int(start), int(start) + n)).all())


def _fields_and_parts(cols: list[ColumnProfile]) -> dict[str, list[str]]:
    """One column per standard field (the first); parts summed when the field has no column of its own."""
    seen: dict[str, str] = {}
    split: dict[str, list[str]] = {}
    sex = vocabulary().split
    for c in cols:
        if c.role == "field":
            first = seen.get(c.field)
            if first is not None and _split_pair(first, c.name, sex):
                split.setdefault(c.field, [first]).append(c.name)
                c.why = f"{c.field} is split by sex: {' + '.join(split[c.field])} ({c.why})"
                continue
            if c.field in seen:
                c.role = "extra"
                c.why = f"also reads as {c.field} ({c.why}); the first such column, {seen[c.field]!r}, is used"
                c.field = None
            else:
                seen[c.field] = c.name
    sums: dict[str, list[str]] = dict(split)
    for f, names in split.items():
        for c in cols:
            if c.name in names:
                c.role = "part"
                c.why = f"{f} = the sum of {' + '.join(names)}: the headers differ only by sex"
    v = vocabulary()
    for f, phrases in v.parts.items():
        parts = [c for c in cols if c.role == "part" and c.field == f]
        per_phrase = [[c for c in parts if _has(p.words, words(c.name))] for p in phrases]
        complete = all(len(x) == 1 for x in per_phrase) and len({x[0].name for x in per_phrase}) == len(phrases)
        langs = {p.lang for p in phrases}
        if parts and f not in seen and complete:
            sums[f] = [x[0].name for x in per_phrase]
            for c in parts:
                c.why = f"{f} = the sum of {len(phrases)} columns ({'/'.join(sorted(langs))})"
        else:
            for c in parts:
                c.role, c.field = "extra", None
                c.why = f"a part of {f} whose other parts were not all found"
    return sums


def _split_pair(a: str, b: str, sex: set[str]) -> bool:
    """Headers that differ only by words for sex (dpt_male / dpt_female)."""
    wa, wb = words(a), words(b)
    if len(wa) != len(wb) or wa == wb:
        return False
    diff = [(x, y) for x, y in zip(wa, wb) if x != y]
    return all(x in sex and y in sex for x, y in diff)


def _hierarchy(cols: list[ColumnProfile], header: set[str]) -> tuple[list[Level], dict[str, str]]:
    """Levels top down from code columns, code/name pairs, names and "<code> <name>" cells.

    Returns the levels and, for "<code> <name>" columns, the derived code column of each source column.
    """
    names = [c for c in cols if c.role == "name"]
    used_levels: set[str] = set()
    used_names: set[str] = set()
    levels: list[tuple[int, Level]] = []
    derived: dict[str, str] = {}
    taken = set(header)
    for i, c in enumerate(cols):
        if c.role == "codename":
            lv = _unique_level(c.level or "level", used_levels)
            code_col, name_col = _fresh(f"{lv}_code", taken), _fresh(f"{lv}_name", taken)
            derived[c.name] = code_col
            levels.append((i, Level(lv, code_col, name_col, c.name, c.why)))
        elif c.role == "code":
            nm = _name_for(c.name, [x.name for x in names if x.name not in used_names])
            if nm is None and c.level is not None:
                nm = next((x.name for x in names if x.level == c.level and x.name not in used_names), None)
            lv = _unique_level(c.level or _level_guess(c.name, nm), used_levels)
            why = c.why + (f"; name from {nm!r}" if nm else "")
            if nm:
                used_names.add(nm)
            levels.append((i, Level(lv, c.name, nm, None, why)))
    for i, c in enumerate(cols):
        if c.role == "name" and c.name not in used_names and c.level is not None \
                and not any(lv.level == c.level for _, lv in levels):
            lv = _unique_level(c.level, used_levels)
            used_names.add(c.name)
            levels.append((i, Level(lv, None, c.name, None, f"header names a level ({c.level})")))
    levels.sort(key=lambda t: t[0])
    return [lv for _, lv in levels], derived


def _level_guess(code_col: str, name_col: str | None) -> str:
    for text in (code_col, name_col or ""):
        lv = level_of(text)
        if lv:
            return lv[0]
    stem = re.sub(r"^(cod|codigo|code|id|kode|код)\s+|\s+(cod|id|code)$", "", norm(code_col))
    return _ident(stem or code_col, set()).lower()


def _unique_level(level: str, used: set[str]) -> str:
    out, i = level, 2
    while out in used:
        out, i = f"{level}_{i}", i + 1
    used.add(out)
    return out


def _fresh(name: str, taken: set[str]) -> str:
    out, i = name, 2
    while out in taken:
        out, i = f"{name}_{i}", i + 1
    taken.add(out)
    return out


def _key_frame(frame: pd.DataFrame, cols: list[str], derived: dict[str, str]) -> pd.DataFrame:
    """The columns that may make a key, trimmed, with "<code> <name>" columns reduced to their code."""
    out = {}
    for c in cols:
        src = next((s for s, d in derived.items() if d == c), None)
        s = frame[src].str.extract(CODE_NAME)[0] if src is not None else frame[c]
        s = s.astype("string").str.strip()
        out[c] = s.where(s != "")
    return pd.DataFrame(out)


def _choose_key(full: pd.DataFrame, sample: pd.DataFrame, cols: list[ColumnProfile], levels: list[Level],
                derived: dict[str, str]) -> tuple[list[str], str]:
    """The smallest set of code columns unique on the whole file (finest first), else names too,
    else a running number."""
    if full.empty:
        return [], ""
    order = {c.name: i for i, c in enumerate(cols)}
    codes = []
    for c in cols:
        if c.role == "codename":
            codes.append(derived[c.name])
        elif c.role == "code":
            codes.append(c.name)
    names = [lv.name for lv in levels if lv.name and lv.derive_from is None]
    running = [c.name for c in cols if c.role == "running"]
    n = len(full)
    for pool, what in ((codes, "codes"), (codes + names, "codes and names")):
        pool = sorted(dict.fromkeys(pool), key=lambda x: order.get(x, order.get(
            next((s for s, d in derived.items() if d == x), ""), 0)))[-10:]
        if not pool:
            continue
        kf = _key_frame(full, pool, derived)
        ks = kf.head(len(sample))
        for k in range(1, min(4, len(pool)) + 1):
            for combo in _combos(pool, k):
                sub = list(combo)
                if ks[sub].isna().any().any() or ks.duplicated(subset=sub).any():
                    continue
                if kf[sub].isna().any().any() or kf.duplicated(subset=sub).any():
                    continue
                label = " + ".join(sub)
                why = (f"{label} is unique on all {n:,} rows (checked on the whole file)")
                if running:
                    why += f"; {running[0]} is a running number, used only when nothing else is unique"
                return sub, why
    if running:
        return [running[0]], (f"no codes are unique; {running[0]} is a running number 1..{n:,}: "
                              "rows of another file will not match by it")
    return [], ""


def _combos(pool: list[str], k: int):
    """Subsets of size k, the finest (rightmost, contiguous) first."""
    windows = [tuple(pool[i:i + k]) for i in range(len(pool) - k, -1, -1)]
    yield from windows
    for combo in sorted(itertools.combinations(pool, k), key=lambda t: [-pool.index(x) for x in t]):
        if combo not in windows:
            yield combo


def _drop_key_level(levels: list[Level], key: list[str], cols: list[ColumnProfile]) -> None:
    """The finest key part is the unit itself, not a level, when it has no name (mesa, TPS number)."""
    if not key:
        return
    last = key[-1]
    for lv in list(levels):
        if lv.code == last and lv.name is None and lv.derive_from is None:
            levels.remove(lv)


def _mark_nested(full: pd.DataFrame, levels: list[Level], derived: dict[str, str]) -> None:
    """A level whose codes repeat under different parents is numbered within its parent (nested)."""
    coded = [lv for lv in levels if lv.code]
    if len(coded) < 2 or full.empty:
        return
    kf = _key_frame(full, [lv.code for lv in coded], derived)
    for parent, child in zip(coded, coded[1:]):
        pairs = kf[[parent.code, child.code]].dropna().drop_duplicates()
        if pairs[child.code].duplicated().any():
            child.nested = True
            child.why += f"; its codes repeat under different {parent.level} codes, so they are numbered within them"


def _locale(groupings: list[str]) -> tuple[str, str]:
    if groupings and set(groupings) == {"space"}:
        return "auto", 'counts group thousands with spaces ("1 234"), which every locale reads'
    if "dot" in groupings and "comma" not in groupings:
        return "es", 'counts group thousands with "." ("1.234")'
    if "comma" in groupings and "dot" not in groupings:
        return "en", 'counts group thousands with "," ("1,234")'
    if "dot" in groupings:
        return "es", 'some counts group thousands with "." and some with ","'
    return "auto", ""


def _match_codebook(path: str | Path, header: list[str]) -> dict:
    """Columns named by the codebook's codes, and the column pattern they share ("p_{code}")."""
    from .codebook import read_codebook

    entries = read_codebook(path)
    by_code = {e.code: e for e in entries}
    patterns: dict[str, list[tuple[str, str]]] = {}
    for h in header:
        for m in re.finditer(r"\d+", h):
            code = m.group(0)
            if code in by_code:
                pattern = h[:m.start()] + "{code}" + h[m.end():]
                patterns.setdefault(pattern, []).append((h, code))
    if not patterns:
        return {"columns": {}, "summary": {"file": str(path), "column": "{code}", "codes": None, "matched": 0}}
    pattern, hits = max(patterns.items(), key=lambda kv: (len(kv[1]), kv[0] == "{code}"))
    present = {code for _, code in hits}
    codes = None if present == set(by_code) else [e.code for e in entries if e.code in present]
    return {"columns": {h: (code, by_code[code]) for h, code in hits},
            "summary": {"file": str(path), "column": pattern, "codes": codes, "matched": len(hits),
                        "listed": len(entries)}}


def _ident(name: str, taken: set[str]) -> str:
    return make_identifier(name, taken)


def _name_for(code_col: str, names: list[str]) -> str | None:
    stem = re.sub(r"^(cod|codigo|code|id|kode|код|numero|no)\s+|\s+(cod|id|code|no)$", "", norm(code_col)).strip()
    for n in names:
        if stem and (stem in norm(n) or norm(n) in stem):
            return n
    return None


# --- the draft ---------------------------------------------------------------------

_COMMENT_AT = 36


def _line(text: str, comment: str = "") -> str:
    if not comment:
        return text
    comment = " ".join(comment.split())  # a comment is one line, whatever the header held
    comment = "".join(ch if ch.isprintable() else "\ufffd" for ch in comment)
    return f"{text.ljust(_COMMENT_AT - 1)} # {comment}"


def _ref(cols: list[str]) -> str:
    return toml_string(cols[0]) if len(cols) == 1 else "[" + ", ".join(toml_string(c) for c in cols) + "]"


def draft_mapping(ins: Inspection, codebook_ref: str | None = None) -> str:
    """A commented TOML mapping for ``ins`` (see docs/mapping.md). Every guess says why.

    ``codebook_ref``: how the mapping names the codebook (a path from the mapping's folder);
    default: the path given to :func:`inspect_file`.
    """
    fname = Path(ins.file).name
    name = Path(ins.file).name.split(".")[0] or Path(ins.file).stem
    cands = ins.by_role("count")
    coded = ins.by_role("coded")
    voting = [c for c in coded if c.field is None and "(field)" not in c.why]
    fields = ins.by_role("field")
    has_valid = any(c.field == "valid" for c in fields + coded) or "valid" in ins.sums
    lines = [
        "# Draft mapping for " + "".join(ch if ch.isprintable() else "\ufffd" for ch in fname)
        + ", written by 'electcheck inspect'.",
        "# Comments say why each line was guessed. Check them and every EDIT, then run:",
        f"#   electcheck ingest {_one_line(fname)} --map THIS_FILE.toml",
        "",
        "[source]",
        f"name = {toml_string(name)}",
        'kind = "independent"        # EDIT: official | independent',
        'election = ""               # EDIT: e.g. "Presidential election, 28 July 2024"',
        'unit_level = "unit"         # EDIT: what one row is (mesa, acta, precinct, TPS)',
    ]
    if not has_valid and (cands or voting):
        lines.append(_line("valid_from_candidates = true", "guess: no valid-votes column, so valid = the "
                           "sum of the candidates"))
    lines += ["", "[file]", f"encoding = {toml_string(ins.encoding if ins.encoding != 'n/a' else 'auto')}"]
    if ins.format == "csv":
        lines.append(f"delimiter = {toml_string(ins.delimiter)}")
    lines.append(f"header_row = {ins.header_row}")
    if ins.locale == "auto" and ins.locale_why:
        lines.append(_line(f"locale = {toml_string(ins.locale)}", f"guess: {ins.locale_why}"))
    elif ins.locale == "auto":
        lines.append(_line(f"locale = {toml_string(ins.locale)}", "EDIT if numbers use '.' or ',' grouping"))
    else:
        lines.append(_line(f"locale = {toml_string(ins.locale)}", f"guess: {ins.locale_why}"))
    if fields or ins.sums:
        lines += ["", "[fields]"]
        for c in fields:
            lines.append(_line(f"{c.field} = {toml_string(c.name)}", f"guess: {c.why}"))
        for f, parts in ins.sums.items():
            why = ins.column(parts[0]).why if ins.column(parts[0]) else ""
            lines.append(_line(f"{f} = {_ref(parts)}", f"guess: {why}"))
    extras = ins.by_role("extra")
    taken_ids: set[str] = set(COUNT_FIELDS)
    if extras:
        lines += ["", "# Counts kept beside the votes (not candidates). Delete what you do not need.", "[extras]"]
        for c in extras:
            lines.append(_line(f"{_ident(c.name, taken_ids)} = {toml_string(c.name)}", f"guess: {c.why}"))
    for lv in ins.hierarchy:
        if lv.derive_from:
            pattern = _CODE_NAME_PATTERN.format(c=lv.code, n=lv.name)
            lines += ["", _line("[[derive]]", f"guess: {lv.why}"), f"from = {toml_string(lv.derive_from)}",
                      f"pattern = {toml_string(pattern)}"]
    for lv in ins.hierarchy:
        lines += ["", _line("[[hierarchy]]", f"guess: {lv.why}"), f"level = {toml_string(lv.level)}"]
        if lv.code:
            lines.append(f"code = {toml_string(lv.code)}")
        if lv.name:
            lines.append(f"name = {toml_string(lv.name)}")
        if lv.nested:
            lines.append("nested = true")
    lines += ["", "[key]"]
    if ins.key:
        lines.append(_line("parts = [" + ", ".join(toml_string(k) for k in ins.key) + "]", f"guess: {ins.key_why}"))
    else:
        lines.append('parts = []                   # EDIT: the columns that identify a row')
    if ins.codebook and coded:
        cb = ins.codebook
        ref = codebook_ref if codebook_ref is not None else cb["file"]
        lines += ["", _line("[codebook]", f"guess: {cb['matched']} columns named like {cb['column']!r} have codes "
                            f"of the codebook"), f"file = {toml_string(ref)}", f"column = {toml_string(cb['column'])}"]
        if cb.get("codes") is not None:
            lines.append(_line("codes = [" + ", ".join(toml_string(c) for c in cb["codes"]) + "]",
                               f"guess: the file has {len(cb['codes'])} of the {cb.get('listed', 0)} codes listed"))
    taken: set[str] = set()
    if cands or not coded:
        lines += ["", "# One table per candidate or party column. EDIT: names, and delete columns that are not votes."]
    for c in cands:
        lines += [_line("[[candidates]]", f"guess: {c.why}"), f"id = {toml_string(_ident(c.name, taken))}",
                  f"column = {toml_string(c.name)}", f"name = {toml_string(c.name)}", ""]
    if not cands and not coded:
        lines += ["# EDIT: no count columns were found; add [[candidates]] tables by hand", ""]
    leftover = [c.name for c in ins.by_role("name") if not any(c.name == lv.name for lv in ins.hierarchy)]
    if leftover:
        lines.append("# Text columns not used above: " + ", ".join(_one_line(n) for n in leftover))
    running = [c.name for c in ins.by_role("running") if c.name not in ins.key]
    if running:
        lines.append("# Running numbers (1..N), not votes: " + ", ".join(_one_line(n) for n in running))
    for note in ins.notes:
        lines.append(f"# NOTE: {_one_line(note)}")
    return "\n".join(lines).rstrip() + "\n"


def _one_line(text: str) -> str:
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in " ".join(str(text).split()))
