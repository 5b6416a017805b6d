"""Turn a RawTable and a Mapping into a Tally, in small named steps.

headers → derived columns → row selection → text repair → counts → key →
hierarchy → assemble. Rows with a cell that cannot be read are quarantined
(file, row, column, value, hint); everything else is kept, and problems in
rows that read but do not add up are left to ``checks``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError
from ..model import COUNT_FIELDS, IngestReport, InputFile, QuarantinedRow, Tally, TallyMeta
from ..numbers import _arrow_strings, parse_counts
from ..sources.mapping import Mapping, resolve_column
from ..sources.readers import RawTable

REASON_HUGE = "absurdly large count (more than 10^15)"
HINT_HUGE = "Check the cell for a typo or a merged number; a count cannot exceed any electorate"
#: from this many rows, independent steps run on two threads
PARALLEL_ROWS = 100_000
HINT_NUMBER = "Expected a whole number of votes; fix the cell or leave it empty if there is no figure"


def resolve_headers(raw: RawTable, m: Mapping) -> dict[str, list[str]]:
    """File columns behind each Tally count column (raises naming what is missing)."""
    header = list(raw.cells.columns)
    return {col: resolve_column(ref, header, f"{col!r}", raw.file) for col, ref in m.count_columns().items()}


def apply_derive(cells: pd.DataFrame, m: Mapping, file: str) -> pd.DataFrame:
    for source_col, pattern in m.derive:
        src = resolve_column(source_col, list(cells.columns), "[[derive]]", file)[0]
        extracted = cells[src].str.extract(pattern)
        for c in extracted.columns:
            cells[str(c)] = extracted[c].astype("string")
    return cells


def apply_select(raw: RawTable, m: Mapping, report: IngestReport) -> RawTable:
    if not m.select:
        return raw
    keep = np.ones(len(raw.cells), dtype=bool)
    for col, values in m.select.items():
        src = resolve_column(col, list(raw.cells.columns), "[select]", raw.file)[0]
        ok = raw.cells[src].isin(values).fillna(False).to_numpy(dtype=bool)
        n_out = int((keep & ~ok).sum())
        if n_out:
            report.rows_outside_selection[f"{src} not in {values}"] = n_out
        keep &= ok
    raw.cells = raw.cells[keep].reset_index(drop=True)
    raw.row_numbers = raw.row_numbers[keep]
    return raw


def apply_text_repair(cells: pd.DataFrame, m: Mapping) -> pd.DataFrame:
    for method, cols in m.text_repair.items():
        if method != "mac_roman":
            raise InputError(f"unknown text repair {method!r}", file=m.origin, hint="Known: mac_roman")
        for col in cols:
            if col in cells:
                cells[col] = cells[col].map(_unmac, na_action="ignore").astype("string")
    return cells


def _unmac(s: str) -> str:
    """Undo UTF-8 read as Mac Roman ('T√°chira' -> 'Táchira'); leave other text alone."""
    try:
        return s.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def parse_count_columns(raw: RawTable, sources: dict[str, list[str]], locale: str
                        ) -> tuple[dict[str, pd.Series], np.ndarray, list[QuarantinedRow], dict[str, str]]:
    """Parse every count; return values, a per-row bad mask, quarantine entries, groupings."""
    n = len(raw.cells)
    bad_any = np.zeros(n, dtype=bool)
    quarantine: list[QuarantinedRow] = []
    values: dict[str, pd.Series] = {}
    groupings: dict[str, str] = {}
    parsed_cache: dict[str, pd.Series] = {}
    for target, cols in sources.items():
        parts = []
        for col in cols:
            if col not in parsed_cache:
                p = parse_counts(raw.cells[col], locale)
                groupings[col] = p.grouping
                new_bad = p.bad & ~bad_any
                huge = p.huge if p.huge is not None else np.zeros(n, dtype=bool)
                for i in np.flatnonzero(new_bad):
                    reason, hint = (REASON_HUGE, HINT_HUGE) if huge[i] else (p.reason, HINT_NUMBER)
                    quarantine.append(QuarantinedRow(
                        raw.file, int(raw.row_numbers[i]), col, str(raw.cells[col].iat[i]),
                        reason, hint, _row_text(raw, i)))
                bad_any |= p.bad
                parsed_cache[col] = p.values
            parts.append(parsed_cache[col])
        values[target] = parts[0] if len(parts) == 1 else _sum_all(parts)
    return values, bad_any, quarantine, groupings


def _sum_all(parts: list[pd.Series]) -> pd.Series:
    """Row sums of Int64 columns, null where any part is null (e.g. registered = men + women)."""
    mask = np.zeros(len(parts[0]), dtype=bool)
    total = np.zeros(len(parts[0]), dtype=np.int64)
    for s in parts:
        mask |= s.isna().to_numpy(dtype=bool)
        total += s.to_numpy(dtype=np.int64, na_value=0)
    total[mask] = 0
    return pd.Series(pd.arrays.IntegerArray(total, mask), index=parts[0].index)


def _row_text(raw: RawTable, i: int) -> str:
    sep = raw.delimiter or ","
    return sep.join("" if pd.isna(v) else str(v) for v in raw.cells.iloc[i].tolist())[:2000]


_STRING = pd.StringDtype("pyarrow")


def _series(arr: pa.ChunkedArray | pa.Array, index: pd.Index) -> pd.Series:
    """An Arrow string array as a pandas string Series (no copy)."""
    return pd.Series(arr.to_pandas(types_mapper={pa.large_string(): _STRING, pa.string(): _STRING}.get),
                     index=index, dtype=_STRING)


_SPACE_BYTES = np.zeros(256, dtype=bool)
_SPACE_BYTES[[9, 10, 11, 12, 13, 32]] = True
_SPACE_BYTES[128:] = True  # a non-ASCII byte may belong to a Unicode space: trim to be sure


def _may_need_trim(arr: pa.ChunkedArray) -> bool:
    """Does any cell start or end with whitespace? Reads only each cell's first and last byte."""
    for chunk in arr.chunks:
        if chunk.type != pa.large_string() or len(chunk) == 0:
            if len(chunk) and chunk.type != pa.large_string():
                return True
            continue
        bufs = chunk.buffers()
        off = np.frombuffer(bufs[1], dtype=np.int64, count=len(chunk) + 1, offset=chunk.offset * 8)
        if bufs[2] is None:
            continue
        data = np.frombuffer(bufs[2], dtype=np.uint8)
        nonempty = off[1:] > off[:-1]
        if not nonempty.all():
            first, last = off[:-1][nonempty], off[1:][nonempty] - 1
        else:
            first, last = off[:-1], off[1:] - 1
        if _SPACE_BYTES[data[first]].any() or _SPACE_BYTES[data[last]].any():
            return True
    return False


def _trim(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(arr) if _may_need_trim(arr) else arr


def _strip(s: pd.Series) -> pd.Series:
    """Names trimmed of surrounding whitespace, in Arrow (only when a cell needs it)."""
    arr = _arrow_strings(s)
    out = _trim(arr)
    return s if out is arr and isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow" \
        and s.dtype.na_value is pd.NA else _series(out, s.index)


def _pad(s: pd.Series, width: int | None) -> pd.Series:
    """Codes as text: trimmed, spreadsheet ".0" tails dropped, digit codes zero-padded to ``width``.

    Works on the Arrow array; trimming is one pass (cheaper than testing first), the
    other steps run only when some cell needs them (large files).
    """
    arr = _trim(_arrow_strings(s))
    if pc.any(pc.match_substring(arr, ".")).as_py():
        arr = pc.replace_substring_regex(arr, r"\.0+$", "")
    if width:
        digits = pc.fill_null(pc.match_substring_regex(arr, r"^\d+$"), False)
        short = pc.fill_null(pc.less(pc.utf8_length(arr), width), False)
        need = pc.and_(digits, short)
        if pc.any(need).as_py():
            arr = pc.if_else(need, pc.utf8_lpad(arr, width=width, padding="0"), arr)
    return _series(arr, s.index)


def build_keys(cells: pd.DataFrame, m: Mapping, file: str) -> pd.Series:
    if not m.key:
        codes = [lv.code for lv in m.hierarchy if isinstance(lv.code, str)]
        if not codes:
            return pd.Series([f"r{i}" for i in range(1, len(cells) + 1)], dtype="string")
        parts = [(c, None) for c in codes]
    else:
        parts = [(p.column, p.pad) for p in m.key]
    arrs = []
    for col, pad in parts:
        src = resolve_column(col, list(cells.columns), "the key", file)[0]
        arrs.append(_arrow_strings(_pad(cells[src], pad)))
    # a key with an empty part is missing (quarantined as "no key")
    missing = None
    for a in arrs:
        m_a = pc.fill_null(pc.equal(a, ""), True)
        missing = m_a if missing is None else pc.or_(missing, m_a)
    key = arrs[0] if len(arrs) == 1 else pc.binary_join_element_wise(*arrs, pa.scalar(m.key_sep, pa.large_string()))
    if pc.any(missing).as_py():
        key = pc.if_else(missing, pa.scalar(None, key.type), key)
    return _series(key, cells.index)


def build_hierarchy(cells: pd.DataFrame, m: Mapping, file: str) -> dict[str, pd.Series]:
    out: dict[str, pd.Series] = {}
    parent_code: pd.Series | None = None
    for lv in m.hierarchy:
        code = None
        if lv.code is not None:
            src = resolve_column(lv.code, list(cells.columns), f"level {lv.level!r}", file)[0]
            code = _pad(cells[src], lv.pad)
            if lv.nested and parent_code is not None:
                code = (parent_code + code).astype("string")
            out[f"{lv.level}_code"] = code
        if lv.name is not None:
            src = resolve_column(lv.name, list(cells.columns), f"level {lv.level!r}", file)[0]
            out[lv.level] = _strip(cells[src])
        parent_code = code if code is not None else parent_code
    return out


def build_tally(raw: RawTable, m: Mapping, inputs: list[InputFile], report: IngestReport
                ) -> tuple[Tally, dict[str, str]]:
    raw.cells = apply_derive(raw.cells, m, raw.file)
    raw = apply_select(raw, m, report)
    raw.cells = apply_text_repair(raw.cells, m)
    sources = resolve_headers(raw, m)
    if len(raw.cells) >= PARALLEL_ROWS:  # text columns on a second thread (Arrow kernels, no GIL)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="electcheck-build") as ex:
            f_keys = ex.submit(build_keys, raw.cells, m, raw.file)
            f_levels = ex.submit(build_hierarchy, raw.cells, m, raw.file)
            values, bad, quarantine, groupings = parse_count_columns(raw, sources, m.locale)
            keys, levels = f_keys.result(), f_levels.result()
    else:
        values, bad, quarantine, groupings = parse_count_columns(raw, sources, m.locale)
        keys, levels = build_keys(raw.cells, m, raw.file), build_hierarchy(raw.cells, m, raw.file)

    no_key = keys.isna().to_numpy() & ~bad
    for i in np.flatnonzero(no_key):
        quarantine.append(QuarantinedRow(raw.file, int(raw.row_numbers[i]), ", ".join(p.column for p in m.key),
                                         "", "no key: the columns that identify the unit are empty",
                                         "Fill in the unit's codes, or drop the row if it is not a unit",
                                         _row_text(raw, i)))
    keep = ~(bad | no_key)
    quarantine.sort(key=lambda q: q.row)
    report.quarantine.extend(quarantine)

    data = {"unit_id": keys}
    data.update(levels)
    for f in COUNT_FIELDS:
        if f in values:
            data[f] = values[f]
    for cid in [c.id for c in m.candidates]:
        data[cid] = values[cid]
    for extra in m.extras:
        data[extra] = values[extra]
    for col in ("pseudo",):
        if col in raw.cells.columns:
            data[col] = raw.cells[col].astype(bool)
    data["source_row"] = pd.Series(raw.row_numbers, dtype="int64")
    df = pd.DataFrame(data, copy=False)
    if not keep.all():
        df = df[keep].reset_index(drop=True)
    if m.valid_from_candidates and "valid" not in df:
        df["valid"] = df[[c.id for c in m.candidates]].sum(axis=1, min_count=1).astype("Int64")
    meta = TallyMeta(source=m.source, kind=m.kind, election=m.election, unit_level=m.unit_level,
                     candidates=[c.candidate() for c in m.candidates],
                     hierarchy=[lv.level for lv in m.hierarchy], expected_units=m.expected_units,
                     registry_total=m.registry_total, share_basis=m.share_basis, inputs=inputs,
                     notes=dict(m.notes))
    if m.valid_from_candidates:
        meta.notes["valid_from_candidates"] = True
    return Tally(df, meta), groupings
