"""Who and where a number is about: candidates (names, surnames, aliases) and regions.

Aliases come from the Tally metadata and from ``vocab/names.toml`` (the names the
press uses in four languages, by candidate id or by words of the name in the data).
Matching is accent- and case-insensitive, except for all-capital acronyms
("EGU"), which must match in capitals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Tally
from . import places, vocab
from .roles import apposition, role_patterns
from .text import fold, fold_key

# Roles ("the incumbent", "la oposición", "chavismo") are not aliases: they live in ``roles.py``.
#: words never used alone as a candidate name even if a name contains them
_STOP = {"de", "del", "la", "el", "los", "las", "y", "and", "the", "party", "partido", "yes", "si", "no", "da",
         "net", "others", "otros", "other"}

_REGION_PREFIX = re.compile(r"^(edo|estado|state|dtto|distrito|district|provinsi|province|provincia|prov|"
                            r"respublika|republic|oblast|krai|kray|mp|mun|municipio|municipality)\b\.?\s*", re.I)
_REGION_EXPAND = {"nva": "nueva", "amac": "amacuro", "gral": "general", "sta": "santa", "sto": "santo",
                  "dtto": "distrito", "blvno": "bolivariano"}


def region_aliases(tally: Tally) -> dict[str, tuple[str, ...]]:
    """Other names of the top-level regions from the user's mapping: a ``[notes.region_aliases]`` table
    (region name as in the data → list of names the press uses), which ``ingest`` keeps in the metadata:

        [notes.region_aliases]
        Capital = ["Caracas", "Distrito Capital"]
    """
    table = (tally.meta.notes or {}).get("region_aliases") or {}
    if not isinstance(table, dict):
        return {}
    return {str(k): tuple(str(a) for a in (v if isinstance(v, (list, tuple)) else [v])) for k, v in table.items()}


@dataclass(frozen=True)
class NameHit:
    key: str  # candidate id or region name as in the data
    start: int
    end: int
    possessive: bool = False
    locative: bool = False  # introduced as the place: "in Chechnya", "en el estado Miranda"
    carried: bool = False  # not named in the sentence: the place an earlier sentence named (discourse.py)


class Resolver:
    """Finds candidates and regions of one Tally in text."""

    def __init__(self, tally: Tally):
        self.tally = tally
        self.cand_patterns = self._candidate_patterns(tally)
        self.role_patterns = role_patterns(tally)
        self.region_level, self.region_names = self._regions(tally)
        self.sub_level, self.sub_names = self._subregions(tally)
        # compiled once: regions_in runs for every sentence
        self._region_rx = [(raw, [re.compile(r"(?<![\w])" + r"[\s.\-]+".join(re.escape(w) for w in form.split())
                                             + r"(?![\w-])") for form in forms])
                           for raw, forms in self.region_names.items()]
        self._sub_rx = [(re.compile(r"(?<![\w])" + r"[\s.\-]+".join(re.escape(w) for w in form.split())
                                    + r"(?![\w])"), owners) for form, owners in self.sub_names.items()]

    @staticmethod
    def _candidate_patterns(tally: Tally):
        names: dict[str, set[str]] = {}
        explicit = {c.id: set(c.aliases) | {c.name} for c in tally.meta.candidates}
        token_owner: dict[str, set[str]] = {}
        for c in tally.meta.candidates:
            ns = set(c.aliases) | {c.name} | set(vocab.names_for(c.id, c.name))
            if len(c.id) >= 3 and not c.id.isupper():
                ns.add(c.id)
            ns = {n for n in ns if n and n.strip()}
            names[c.id] = ns | {v for n in ns for v in translit_variants(n)}
            for tok in fold_key(c.name).split():
                if len(tok) >= 4 and tok not in _STOP:
                    token_owner.setdefault(tok, set()).add(c.id)
        for tok, owners in token_owner.items():
            if len(owners) == 1:
                names[next(iter(owners))].add(tok)
        if "OTHERS" not in names and len(names) > 2:
            # "outros candidatos somaram 261 mil votos": all but the two leading candidates (facts.py)
            names["OTHERS"] = set(vocab.names_for("OTHERS", ""))
            explicit["OTHERS"] = set(names["OTHERS"])
        pats = []
        for cid, ns in names.items():
            for n in ns:
                if n.isupper() and len(n) <= 4 and n.isalpha():
                    pats.append((cid, n, True))  # acronym: exact case
                else:
                    k = fold(n)
                    if k.strip() in _STOP and n not in explicit[cid]:
                        continue
                    pats.append((cid, k, False))
        pats.sort(key=lambda t: -len(t[1]))
        return pats

    @staticmethod
    def _regions(tally: Tally):
        if not tally.meta.hierarchy:
            return None, {}
        level = tally.meta.hierarchy[0]
        if level not in tally.data.columns:
            return None, {}
        out: dict[str, tuple[str, ...]] = {}
        user = region_aliases(tally)
        for raw in tally.data[level].dropna().unique():
            key = region_key(str(raw))
            if not key:
                continue
            forms = {key} | set(places.EXTRA_FORMS.get(key, ())) | set(places.english_forms(fold(str(raw))))
            forms |= {" ".join(fold(a).split()) for a in user.get(str(raw), ()) if a.strip()}
            out[str(raw)] = tuple(sorted(forms, key=len, reverse=True))
        return level, out

    @staticmethod
    def _subregions(tally: Tally):
        """Second hierarchy level: normalised name -> [(top-level value, value)]."""
        h = tally.meta.hierarchy or []
        if len(h) < 2 or h[0] not in tally.data.columns or h[1] not in tally.data.columns:
            return None, {}
        pairs = tally.data[[h[0], h[1]]].dropna().drop_duplicates()
        out: dict[str, list[tuple[str, str]]] = {}
        for top, sub in pairs.itertuples(index=False):
            key = region_key(str(sub))
            if not key:
                continue
            forms = {key}
            if key.startswith("bolivariano "):
                forms.add(key[len("bolivariano "):])
            for form in forms:
                out.setdefault(form, []).append((str(top), str(sub)))
        return h[1], out

    def candidates_in(self, text: str, ftext: str | None = None, base: int = 0) -> list[NameHit]:
        f = ftext if ftext is not None else fold(text)
        hits: list[NameHit] = []
        used = [False] * len(text)
        for cid, pat, exact in self.cand_patterns:
            hay = text if exact else f
            for m in re.finditer(r"(?<![\w])" + re.escape(pat) + r"(?![\w])", hay):
                a, b = m.start(), m.end()
                if any(used[a:b]):
                    continue
                for i in range(a, b):
                    used[i] = True
                poss = bool(re.match(r"['’]s\b", text[b:b + 3]))
                hits.append(NameHit(cid, a + base, b + base, poss))
        for cid, rx, _role in self.role_patterns:  # roles only where no name was found
            for m in rx.finditer(f):
                a, b = m.start(), m.end()
                if any(used[a:b]):
                    continue
                if apposition(text, b):
                    continue  # "el presidente Gustavo Petro": the name says who; a candidate's name is a hit
                for i in range(a, b):
                    used[i] = True
                hits.append(NameHit(cid, a + base, b + base, bool(re.match(r"['’]s\b", text[b:b + 3]))))
        hits.sort(key=lambda h: h.start)
        return hits

    def regions_in(self, text: str, base: int = 0) -> list[NameHit]:
        """Top-level regions named in ``text`` (datelines and "Moscow time" are not places), then
        second-level ones (``key`` = (top, sub)) named as such ("municipio Maracaibo") and unambiguous."""
        if not self.region_names:
            return []
        k = fold(text)
        hits: list[NameHit] = []
        for raw, rxs in self._region_rx:
            for rx in rxs:
                found = False
                for m in rx.finditer(k):
                    if places.is_dateline(k, m.start(), m.end()) or places.not_a_place(k, m.end()):
                        continue
                    hits.append(NameHit(raw, m.start() + base, m.end() + base,
                                        locative=places.locative(k[:m.start()])))
                    found = True
                    break
                if found:
                    break
        # a longer name wins over a shorter one inside it ("Moscow region" over "Moscow")
        hits.sort(key=lambda h: -(h.end - h.start))
        kept: list[NameHit] = []
        for h in hits:
            if not any(h.start < o.end and o.start < h.end for o in kept):
                kept.append(h)
        kept += self._subregions_in(k, kept, base)
        kept.sort(key=lambda h: h.start)
        return kept

    def _subregions_in(self, k: str, tops: list[NameHit], base: int) -> list[NameHit]:
        out: list[NameHit] = []
        if not self.sub_names:
            return out
        named_tops = {h.key for h in tops}
        if not re.search(r"\bmunicip", k):
            return out
        for rx, owners in self._sub_rx:
            for m in rx.finditer(k):
                if not places.municipality_cue(k[:m.start()], k[m.end():]):
                    continue
                cands = owners if len(owners) == 1 else [o for o in owners if o[0] in named_tops]
                if len(cands) != 1:
                    continue  # "municipio Libertador" without its state: several municipalities
                out.append(NameHit(cands[0], m.start() + base, m.end() + base, locative=True))
        return out


_TRANSLIT = ((re.compile(r"(?<=\w)sk(?:y|iy|ii)\b"), "ski"), (re.compile(r"(?<=\w)ski\b"), "sky"),
             (re.compile(r"\bKh(?=[aeiou])"), "J"), (re.compile(r"\bZh(?=[aeiou])"), "Y"),
             # "Suraykin" / "Suraikin", "Zhirinovsky" / "Jirinovski" (French, Portuguese), "Sobchak" / "Sobtchak"
             (re.compile(r"(?<=[aeiou])y(?=[bcdfghjklmnpqrstvwxz])"), "i"), (re.compile(r"\bZh(?=[aeiou])"), "J"),
             (re.compile(r"(?<=[aeiou])ch(?=[aeiou])"), "tch"),
             # "Prokhorov" / "Prójorov", "Mikhail" / "Mijaíl" (Spanish); "Zyuganov" / "Ziugánov"
             (re.compile(r"(?<=[aeiou])kh(?=[aeiou])"), "j"), (re.compile(r"(?<=[bcdfgklmnprstvz])yu", re.I), "iu"))


def translit_variants(name: str) -> set[str]:
    """Other Latin spellings of a romanised Russian name as the Spanish/English press writes them:
    "Slutsky" / "Slutski", "Kharitonov" / "Jaritonov", "Zhirinovsky" / "Yirinovski"."""
    if not name.isascii():
        return set()
    out = {name}
    for rx, rep in _TRANSLIT:
        out |= {rx.sub(rep, n) for n in out}
    out.discard(name)
    return out


@lru_cache(maxsize=4096)
def region_key(name: str) -> str:
    """'EDO. ZULIA' -> 'zulia'; 'EDO.NVA.ESPARTA' -> 'nueva esparta'; 'estado Zulia' -> 'zulia'."""
    k = fold(name).replace(".", ". ")
    k = " ".join(k.split())
    while True:
        k2 = _REGION_PREFIX.sub("", k)
        if k2 == k:
            break
        k = k2
    words = [_REGION_EXPAND.get(w.strip(". "), w.strip(". ")) for w in re.split(r"[\s]+", k)]
    k = " ".join(w for w in words if w)
    if k == "capital":
        k = "distrito capital"
    return k
