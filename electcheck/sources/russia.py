"""Profiles for the Russian CEC per-precinct tables (2004-2024).

Column names are the Russian protocol labels and change wording between years,
so the mapping is built from the file's own header by substring. Candidate and
party columns are those that are neither geography nor protocol lines.
"""

from __future__ import annotations

import re

import pandas as pd

from .mapping import CandidateSpec, KeyPart, LevelSpec, Mapping
from .readers import ReadOptions

GEOGRAPHY = {"name", "level", "region", "oik", "tik", "uik", "url"}

# English names and the Latin spellings the press uses, for claims about Russia.
KNOWN = {
    "Путин": ("putin", ["Putin", "Vladimir Putin"]),
    "Медведев": ("medvedev", ["Medvedev", "Dmitry Medvedev"]),
    "Зюганов": ("zyuganov", ["Zyuganov", "Gennady Zyuganov"]),
    "Жириновский": ("zhirinovsky", ["Zhirinovsky", "Vladimir Zhirinovsky"]),
    "Миронов": ("mironov", ["Mironov", "Sergei Mironov"]),
    "Прохоров": ("prokhorov", ["Prokhorov", "Mikhail Prokhorov"]),
    "Харитонов": ("kharitonov", ["Kharitonov", "Nikolai Kharitonov"]),
    "Даванков": ("davankov", ["Davankov", "Vladislav Davankov"]),
    "Слуцкий": ("slutsky", ["Slutsky", "Leonid Slutsky"]),
    "Грудинин": ("grudinin", ["Grudinin", "Pavel Grudinin"]),
    "Собчак": ("sobchak", ["Sobchak", "Ksenia Sobchak"]),
    "Явлинский": ("yavlinsky", ["Yavlinsky", "Grigory Yavlinsky"]),
    "Богданов": ("bogdanov", ["Bogdanov", "Andrei Bogdanov"]),
    "Глазьев": ("glazyev", ["Glazyev", "Sergei Glazyev"]),
    "Хакамада": ("khakamada", ["Khakamada", "Irina Khakamada"]),
    "ЕДИНАЯ РОССИЯ": ("united_russia", ["United Russia", "Edinaya Rossiya", "UR"]),
    "КОММУНИСТИЧЕСКАЯ ПАРТИЯ": ("kprf", ["Communist Party", "KPRF", "CPRF", "Communists"]),
    "ЛДПР": ("ldpr", ["LDPR", "Liberal Democratic Party"]),
    "СПРАВЕДЛИВАЯ РОССИЯ": ("just_russia", ["A Just Russia", "Just Russia", "SR"]),
    "ЯБЛОКО": ("yabloko", ["Yabloko"]),
    "Против всех": ("against_all", ["against all"]),
}
ENGLISH_OPTIONS = {"ДА": ("yes", ["Yes", "Sí"]), "НЕТ": ("no", ["No"])}

_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
                      "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))

YEARS = {2004: "presidential", 2007: "State Duma", 2008: "presidential", 2011: "State Duma",
         2012: "presidential", 2016: "State Duma (party list)", 2018: "presidential",
         2020: "constitutional amendments vote", 2021: "State Duma (party list)", 2024: "presidential"}


def translit(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", translit(text)).strip("_")
    return s if s and not s[0].isdigit() else f"c_{s}"


def candidate_for(column: str) -> tuple[str, str, list[str]]:
    """(id, display name, aliases) for a candidate or party column."""
    name = re.sub(r"^\d+\.\s*", "", column).strip()
    if name in ENGLISH_OPTIONS:
        cid, aliases = ENGLISH_OPTIONS[name]
        return cid, name, aliases
    for needle, (cid, aliases) in KNOWN.items():
        if needle.strip() in name:
            return cid, name, aliases
    quoted = re.search(r"[«\"](.+?)[»\"]", name)
    base = quoted.group(1) if quoted else name.split()[0]
    return _slug(base), name, [translit(base).title()]


def _find(header: list[str], *needles: str) -> list[str]:
    return [h for h in header if any(n in h for n in needles)]


def mapping_for(year: int, header: list[str]) -> Mapping:
    registered = _find(header, "Число избирателей, вкл", "Число избирателей, внес",
                       "Число участников голосования, вкл")
    if year == 2020:
        ballots = _find(header, "содержащихся в ящиках")
        # "issued to participants" is not split into early/inside/outside as in other years; the
        # provenance reads 2020 turnout from ballots in boxes, so no `issued` column is kept
        issued = []
    else:
        ballots = _find(header, "в переносных ящиках", "в стационарных ящиках")
        # early + inside + outside; wording varies ("в день голосования", "в помещениях", double spaces)
        issued = [h for h in header if "бюллетен" in h and "выданных" in h and "открепительн" not in h]
    invalid = [h for h in header if h.startswith("Число недействительных")]
    valid = [h for h in header if h.startswith("Число действительных")]
    cand_cols = [h for h in header if h not in GEOGRAPHY and not h.startswith("Число")]
    seen: dict[str, int] = {}
    candidates = []
    for col in cand_cols:
        cid, name, aliases = candidate_for(col)
        if cid in seen:  # two columns with the same slug: keep both, distinguished
            seen[cid] += 1
            cid = f"{cid}_{seen[cid]}"
        seen.setdefault(cid, 0)
        candidates.append(CandidateSpec(cid, col, name, tuple(aliases)))
    hierarchy = [LevelSpec("region", name="region", code=None)]
    if "tik" in header:
        hierarchy.append(LevelSpec("tik", name="tik", code="tik_code"))
    fields: dict = {"registered": registered[:1], "ballots": ballots, "invalid": invalid[:1], "valid": valid[:1]}
    fields = {k: v for k, v in fields.items() if v}
    return Mapping(
        source=f"russia-{year}", kind="official",
        election=f"Russia {YEARS.get(year, 'federal vote')} {year}", unit_level="uik",
        share_basis="ballots",  # the CEC's shares are of all ballots found in the boxes
        read=ReadOptions(encoding="utf-8", delimiter=",", header_row=1),
        locale="plain", fields=fields, extras={"issued": issued} if issued else {},
        hierarchy=hierarchy, candidates=candidates,
        key=[KeyPart("region"), KeyPart("tik_code" if "tik" in header else "region"), KeyPart("uik_no")],
        key_sep="|",
        # the CEC reports turnout as ballots issued / registered
        notes={"year": year, "turnout_numerator": "issued"} if issued else {"year": year}, origin=f"russia-{year}",
        derive=[],
    )


def prepare(cells: pd.DataFrame, year: int) -> pd.DataFrame:
    """Add the columns the Russian key and flags need (uik number, tik code, pseudo)."""
    out = cells.copy()
    uik = out["uik"].astype("string").str.replace(r"^\D*", "", regex=True) if "uik" in out else \
        pd.Series(pd.NA, index=out.index, dtype="string")
    if "tik" in out:
        out["tik_code"] = out["region"].fillna("") + " / " + out["tik"].fillna("")
    tik = out["tik"].fillna("") if "tik" in out else pd.Series("", index=out.index)
    electronic = tik.str.contains("электронное голосование", case=False, regex=False)
    num = pd.to_numeric(uik, errors="coerce")
    moscow_deg = (year == 2021) & out["region"].fillna("").str.contains("Москва", regex=False) & \
        num.between(5001, 5015)
    out["pseudo"] = (electronic | moscow_deg).astype(bool)
    # pseudo-stations without a number get a stable one from their order in the file
    blank = uik.isna() | (uik == "")
    if blank.any():
        uik = uik.copy()
        uik[blank] = ["e" + str(i) for i in range(1, int(blank.sum()) + 1)]
    out["uik_no"] = uik
    return out
