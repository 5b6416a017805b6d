"""Quantities computed from a Tally, on the standard basis and on alternative bases.

Every function returns a list of ``Value``: the first on the standard basis of
the source (``TallyMeta.share_basis``), the rest on alternative bases a
``misleading`` verdict may name. An empty list means the data cannot
determine the quantity.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ..model import Tally

QUANTITIES = ("votes", "share", "margin_votes", "margin_points", "turnout", "registered", "ballots", "valid",
              "invalid", "units", "coverage", "ratio", "regions_won", "regions")


#: top-level "regions" that are not territory: votes cast abroad (not counted as regions won or regions)
NON_TERRITORIAL = ("luar negeri", "exterior", "extranjero", "abroad", "за пределами", "байконур")


@dataclass(frozen=True)
class Value:
    basis: str  # machine name, e.g. "valid", "two-candidate", "ballots"
    value: float
    formula: str  # human-readable computation with the numbers used
    source: str = ""


#: basis of a value known only as a lower bound (registered electors when some units lack them)
LOWER_BOUND = "lower-bound"


def _fmt(v) -> str:
    return f"{int(v):,}"


class Facts:
    """Totals of one Tally (national and per region), computed once."""

    def __init__(self, tally: Tally):
        self.tally = tally
        self.meta = tally.meta

    @cached_property
    def national(self) -> dict:
        t = self.tally.totals()
        if "issued" in self.tally.data.columns:  # ballots issued (Russia): the CEC's turnout numerator
            t["issued"] = int(self.tally.data["issued"].sum())
        t["_units"] = len(self.tally.data)
        return self._complete(t, self.tally.data)

    @cached_property
    def _regional(self) -> pd.DataFrame | None:
        if not self.meta.hierarchy:
            return None
        level = self.meta.hierarchy[0]
        if level not in self.tally.data.columns:
            return None
        d = self.tally.data
        cols = self.tally.count_columns() + [c for c in ("issued",) if c in d.columns]
        g = d.groupby(level, sort=True, dropna=True)[cols].sum(min_count=1)
        g["_units"] = d.groupby(level, sort=True, dropna=True).size()
        return g

    def counts(self, region: "str | tuple[str, str] | None" = None) -> dict:
        """Totals nationally, for a top-level region value, or for (top-level value, second-level value)."""
        if region is None:
            return self.national
        if isinstance(region, tuple):
            return self._sub_counts(region)
        g = self._regional
        if g is None or region not in g.index:
            return {}
        row = g.loc[region]
        t = {k: (None if pd.isna(v) else int(v)) for k, v in row.items()}
        mask = self.tally.data[self.meta.hierarchy[0]] == region
        return self._complete(t, self.tally.data[mask])

    def _sub_counts(self, region: tuple[str, str]) -> dict:
        cache = self.__dict__.setdefault("_sub_cache", {})
        if region not in cache:
            h = self.meta.hierarchy or []
            d = self.tally.data
            if len(h) < 2 or h[1] not in d.columns:
                cache[region] = {}
            else:
                rows = d[(d[h[0]] == region[0]) & (d[h[1]] == region[1])]
                if not len(rows):
                    cache[region] = {}
                else:
                    cols = self.tally.count_columns() + [c for c in ("issued",) if c in d.columns]
                    t = {c: (None if rows[c].isna().all() else int(rows[c].sum())) for c in cols}
                    t["_units"] = len(rows)
                    cache[region] = self._complete(t, rows)
        return cache[region]

    def _complete(self, t: dict, rows: pd.DataFrame) -> dict:
        cands = {c: t.get(c) for c in self.tally.candidate_ids if t.get(c) is not None}
        t["_cands"] = cands
        if t.get("valid") is None and cands:
            t["valid"] = sum(cands.values())
        if t.get("ballots") is None and t.get("valid") is not None and t.get("invalid") is not None:
            t["ballots"] = t["valid"] + t["invalid"]
        # registered is usable only when every unit that reports results has it (units without any
        # result, e.g. precincts whose protocols were never published, do not count)
        if "registered" in rows.columns and len(rows):
            counted = [c for c in ("ballots", "valid", *cands) if c in rows.columns]
            reporting = rows[counted].notna().any(axis=1) if counted else pd.Series(True, index=rows.index)
            if rows.loc[reporting, "registered"].isna().any():
                t["registered_partial"] = t.get("registered")
                t["registered"] = None
        # ballots issued can only be a turnout numerator if it is not smaller than the ballots found
        # in the boxes (a column that holds only early or mobile-box ballots is not it)
        if t.get("issued") is not None and t.get("ballots") and t["issued"] < 0.95 * t["ballots"]:
            t["issued_implausible"] = t.pop("issued")
        return t

    # --- helpers ---------------------------------------------------------
    def ranked(self, region=None) -> list[str]:
        c = self.counts(region).get("_cands", {})
        return sorted(c, key=lambda k: -c[k])

    def opponent(self, cid: str, region=None, named: str | None = None) -> str | None:
        if named and named != cid:
            return named
        r = self.ranked(region)
        others = [x for x in r if x != cid]
        return others[0] if others else None

    def _share_bases(self, t: dict) -> list[tuple[str, int]]:
        std = self.meta.share_basis
        out = []
        for b in (std, "ballots" if std == "valid" else "valid"):
            if t.get(b):
                out.append((b, t[b]))
        return out

    # --- quantities ------------------------------------------------------
    @staticmethod
    def _with_others(t: dict, cid) -> dict:
        """Candidate counts, with ``OTHERS`` = valid − the two leading candidates when the tally has no
        OTHERS column of its own ("the other candidates together")."""
        c = t.get("_cands", {})
        if cid != "OTHERS" or cid in c or len(c) < 3:
            return c
        top = sorted(c.values(), reverse=True)
        valid = t.get("valid") or sum(top)
        return {**c, "OTHERS": valid - top[0] - top[1]}

    def votes(self, cid, region=None, **_):
        t = self.counts(region)
        v = self._with_others(t, cid).get(cid)
        return [] if v is None else [Value("count", v, f"{cid} = {_fmt(v)}")]

    def ballots(self, region=None, **_):
        t = self.counts(region)
        out = []
        if not t.get("ballots"):
            return []  # without invalid votes the votes cast are not determined
        for b in ("ballots", "valid"):
            if t.get(b):
                out.append(Value(b, t[b], f"{b} = {_fmt(t[b])}"))
        return out

    def valid(self, region=None, **_):
        t = self.counts(region)
        out = []
        for b in ("valid", "ballots"):
            if t.get(b):
                out.append(Value(b, t[b], f"{b} = {_fmt(t[b])}"))
        return out

    def share(self, cid, region=None, opponent=None, **_):
        t = self.counts(region)
        c = self._with_others(t, cid)
        if cid not in c:
            return []
        out = [Value(b, 100 * c[cid] / d, f"{cid} / {b} × 100 = {_fmt(c[cid])} / {_fmt(d)} × 100")
               for b, d in self._share_bases(t)]
        o = self.opponent(cid, region, opponent)
        if o and o in c and (c[cid] + c[o]) and self._leading_pair(cid, o, region):
            d = c[cid] + c[o]
            out.append(Value("two-candidate", 100 * c[cid] / d,
                             f"{cid} / ({cid} + {o}) × 100 = {_fmt(c[cid])} / {_fmt(d)} × 100"))
        # share of registered electors is not an alternative basis of DESIGN.md's rubric
        return out

    def _leading_pair(self, cid, o, region) -> bool:
        """True when ``cid`` and ``o`` are the two leading candidates (of the region when one is given)."""
        r = self.ranked(region)
        return len(r) >= 2 and {cid, o} == {r[0], r[1]}

    def _pair(self, cid, region, opponent):
        """(counts, candidate, opponent) for a two-candidate quantity; the top two when no candidate."""
        t = self.counts(region)
        c = t.get("_cands", {})
        if cid is None:
            r = self.ranked(region)
            if len(r) < 2:
                return t, c, None, None
            cid, opponent = r[0], r[1]
        return t, c, cid, self.opponent(cid, region, opponent)

    def margin_votes(self, cid, region=None, opponent=None, **_):
        _, c, cid, o = self._pair(cid, region, opponent)
        if cid not in c or o not in c:
            return []
        return [Value("count", c[cid] - c[o], f"{cid} − {o} = {_fmt(c[cid])} − {_fmt(c[o])}")]

    def margin_points(self, cid, region=None, opponent=None, **_):
        t, c, cid, o = self._pair(cid, region, opponent)
        if cid not in c or o not in c:
            return []
        diff = c[cid] - c[o]
        out = [Value(b, 100 * diff / d, f"({cid} − {o}) / {b} × 100 = {_fmt(diff)} / {_fmt(d)} × 100")
               for b, d in self._share_bases(t)]
        d = c[cid] + c[o]
        if not self._leading_pair(cid, o, region):
            return out  # the two-candidate basis is for the two leading candidates only (DESIGN.md)
        out.append(Value("two-candidate", 100 * diff / d,
                         f"({cid} − {o}) / ({cid} + {o}) × 100 = {_fmt(diff)} / {_fmt(d)} × 100"))
        return out

    def turnout(self, region=None, **_):
        t = self.counts(region)
        reg = t.get("registered")
        out = []
        if not (reg and t.get("ballots")):
            return []  # the standard turnout needs ballots and registered electors of the same units
        issued = (self.meta.notes or {}).get("turnout_numerator") == "issued" and t.get("issued")
        if issued:
            out.append(Value("issued/registered", 100 * t["issued"] / reg,
                             f"ballots issued / registered × 100 = {_fmt(t['issued'])} / {_fmt(reg)} × 100"))
        # where the authority counts ballots issued (Russia's CEC), ballots found / registered is not one
        # of the alternative bases of the rubric (DESIGN.md lists valid / registered only)
        if reg and t.get("ballots") and not issued:
            out.append(Value("ballots/registered", 100 * t["ballots"] / reg,
                             f"ballots / registered × 100 = {_fmt(t['ballots'])} / {_fmt(reg)} × 100"))
        if reg and t.get("valid"):
            out.append(Value("valid/registered", 100 * t["valid"] / reg,
                             f"valid / registered × 100 = {_fmt(t['valid'])} / {_fmt(reg)} × 100"))
        notes = self.meta.notes or {}
        rtx = notes.get("registered_transmitted")
        if region is None and isinstance(rtx, (int, float)) and rtx and t.get("ballots"):
            out.append(Value("ballots/registered-transmitted", 100 * t["ballots"] / rtx,
                             f"ballots / electors of the transmitted actas × 100 = {_fmt(t['ballots'])} / "
                             f"{_fmt(rtx)} × 100"))
        rt = self.meta.registry_total
        if region is None and rt and t.get("ballots") and rt != reg and out:
            out.append(Value("ballots/registry", 100 * t["ballots"] / rt,
                             f"ballots / registry total × 100 = {_fmt(t['ballots'])} / {_fmt(rt)} × 100"))
        return out

    def registered(self, region=None, **_):
        t = self.counts(region)
        out = []
        if t.get("registered"):
            out.append(Value("registered", t["registered"], f"registered = {_fmt(t['registered'])}"))
        rt = self.meta.registry_total
        if region is None and rt and rt != t.get("registered") and out:
            out.append(Value("registry", rt, f"registry total = {_fmt(rt)}"))
        elif region is None and rt and not out and len(self.tally.data) == 1:
            out.append(Value("registry", rt, f"registry total = {_fmt(rt)}"))
        if not out and t.get("registered_partial"):
            # some units with results lack electors: the known sum is a lower bound (verdicts.decide)
            low = t["registered_partial"]
            out.append(Value(LOWER_BOUND, low, f"registered ≥ {_fmt(low)} (electors missing for some units "
                                               f"with results)"))
        return out

    def invalid(self, region=None, percent=False, **_):
        t = self.counts(region)
        inv = t.get("invalid")
        if inv is None:
            return []
        if not percent:
            return [Value("count", inv, f"invalid = {_fmt(inv)}")]
        out = []
        for b in ("ballots", "valid"):
            if t.get(b):
                out.append(Value(b, 100 * inv / t[b], f"invalid / {b} × 100 = {_fmt(inv)} / {_fmt(t[b])} × 100"))
        return out

    def units(self, region=None, scope="all", cid=None, percent=False, **_):
        """Units in the file; or a subset the data computes (``full_turnout``, ``won_by`` a candidate)."""
        if self.tally.meta.kind == "published" and len(self.tally.data) == 1 and scope != "installed":
            return []  # a bulletin is one row: its number of units is not in the data
        if scope and scope.startswith("level:"):
            return self._level_units(scope[len("level:"):], region, percent)
        if scope == "installed":
            e = self.meta.expected_units
            if e and not percent and region is None:
                return [Value("count", e, f"units the election had, as published ({self.meta.unit_level}) = "
                                          f"{_fmt(e)}")]
            scope = "all"
        if scope in (None, "all"):
            if percent or self.meta.unit_level in (self.meta.hierarchy or ()):
                # a file whose rows are regions (the KPU recapitulation: one row per province) does not count
                # the counting units (TPS); its regions are counted as ``regions``
                return []
            t = self.counts(region)
            n = t.get("_units")
            return [] if not n else [Value("count", n, f"units ({self.meta.unit_level}) = {_fmt(n)}")]
        rows = self._rows(region)
        if rows is None or not len(rows):
            return []
        lvl = self.meta.unit_level
        if scope == "full_turnout":
            if "registered" not in rows or "ballots" not in rows or rows["ballots"].isna().all():
                return []
            reg, bal = rows["registered"], rows["ballots"]
            sub = int(((reg > 0) & (bal >= reg)).fillna(False).sum())
            what = f"units ({lvl}) with ballots ≥ registered"
        elif scope == "won_by":
            cands = [c for c in self.tally.candidate_ids if c in rows.columns]
            if cid not in cands or len(cands) < 2:
                return []
            others = rows[[c for c in cands if c != cid]].max(axis=1)
            sub = int((rows[cid] > others).fillna(False).sum())
            what = f"units ({lvl}) where {cid} has the most votes"
        else:
            return []  # a subset the data does not compute
        if percent:
            n = len(rows)
            return [Value("units", 100 * sub / n, f"{what} / all units × 100 = {_fmt(sub)} / {_fmt(n)} × 100")]
        return [Value("count", sub, f"{what} = {_fmt(sub)}")]

    def _level_units(self, level: str, region, percent: bool) -> list[Value]:
        """Distinct units of a hierarchy level (kabkota, kecamatan, municipality…), votes abroad excluded."""
        h = [c for c in (self.meta.hierarchy or []) if c in self.tally.data.columns]
        if percent or level not in h:
            return []
        rows = self._rows(region)
        if rows is None or not len(rows):
            return []
        from .text import fold

        top = h[0]
        tops = rows[top].dropna().unique()
        keep = [v for v in tops if not any(w in fold(str(v)) for w in NON_TERRITORIAL)]
        rows = rows[rows[top].isin(keep)]
        cols = h[: h.index(level) + 1]
        codes = [c + "_code" for c in cols if c + "_code" in rows.columns]
        n = int(len(rows[codes if len(codes) == len(cols) else cols].dropna().drop_duplicates()))
        return [Value("count", n, f"distinct {level} units in the data = {_fmt(n)}")]

    def _rows(self, region):
        d = self.tally.data
        if region is None:
            return d
        h = self.meta.hierarchy or []
        if isinstance(region, tuple):
            if len(h) < 2:
                return None
            return d[(d[h[0]] == region[0]) & (d[h[1]] == region[1])]
        return d[d[h[0]] == region] if h and h[0] in d.columns else None

    @cached_property
    def _territorial(self):
        """Top-level regions without the votes cast abroad ("LUAR NEGERI", "exterior", outside Russia)."""
        g = self._regional
        if g is None:
            return None
        from .text import fold

        keep = [i for i in g.index if not any(w in fold(str(i)) for w in NON_TERRITORIAL)]
        return g.loc[keep]

    def regions_won(self, cid, **_):
        """Number of top-level regions where ``cid`` has the most votes."""
        g = self._territorial
        cands = [c for c in self.tally.candidate_ids if g is not None and c in g.columns]
        if g is None or cid not in cands or len(g) < 2:
            return []
        others = g[[c for c in cands if c != cid]].max(axis=1)
        won = int((g[cid] > others).fillna(False).sum())
        lvl = self.meta.hierarchy[0]
        return [Value("count", won, f"regions ({lvl}) where {cid} leads = {_fmt(won)} of {_fmt(len(g))}")]

    def regions(self, **_):
        g = self._territorial
        if g is None or len(g) < 2:
            return []
        return [Value("count", len(g), f"regions ({self.meta.hierarchy[0]}) in the data = {_fmt(len(g))}")]

    def coverage(self, region=None, **_):
        if region is not None:
            return []
        if self.tally.meta.kind == "published" and len(self.tally.data) == 1:
            stated = (self.meta.notes or {}).get("actas_transmitted_pct")
            return [] if stated is None else [Value("stated", float(stated),
                                                    f"actas transmitted as stated by the source = {stated} %")]
        if not self.meta.expected_units:
            return []
        n = len(self.tally.data)
        e = self.meta.expected_units
        out = [Value("units", 100 * n / e, f"units / expected units × 100 = {_fmt(n)} / {_fmt(e)} × 100")]
        t = self.national
        rt = self.meta.registry_total
        if rt and t.get("registered"):
            out.append(Value("electors", 100 * t["registered"] / rt,
                             f"registered covered / registry × 100 = {_fmt(t['registered'])} / {_fmt(rt)} × 100"))
        return out

    def ratio(self, cid, region=None, opponent=None, **_):
        _, c, cid, o = self._pair(cid, region, opponent)
        if cid not in c or not c.get(o):
            return []
        return [Value("count", c[cid] / c[o], f"{cid} / {o} = {_fmt(c[cid])} / {_fmt(c[o])}")]

    def compute(self, quantity: str, cid=None, region=None, opponent=None, percent=False, scope="all") -> list[Value]:
        """Values of ``quantity`` (standard basis first); memoised: a tally does not change once loaded."""
        key = (quantity, cid, region, opponent, bool(percent), scope)
        memo = self.__dict__.setdefault("_memo", {})
        if key not in memo:
            memo[key] = self._compute(quantity, cid, region, opponent, percent, scope)
        return list(memo[key])

    def _compute(self, quantity: str, cid=None, region=None, opponent=None, percent=False, scope="all") -> list[Value]:
        src = self.meta.source
        fn = getattr(self, quantity)
        if quantity in ("votes", "share", "regions_won") and cid is None:
            return []
        if quantity == "units":
            vals = fn(region=region, scope=scope, cid=cid, percent=percent)
        elif quantity in ("votes", "share", "margin_votes", "margin_points", "ratio", "regions_won"):
            vals = fn(cid=cid, region=region, opponent=opponent, percent=percent)
        else:
            vals = fn(region=region, percent=percent)
        return [Value(v.basis, float(v.value), v.formula, src) for v in vals]
