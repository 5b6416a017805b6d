"""Expected verdicts for the real-sentence corpus, computed from the data.

An oracle independent of ``electcheck.claims``: it reads each row's human
annotation (the frame: quantity, candidate, opponent, region, scope, hedge,
precision, ...) from ``sentences.csv``, loads the ``against`` datasets with
``electcheck.ingest.ingest(name).tally`` and computes the value of that frame
on the authority's standard basis and on the alternative bases of DESIGN.md
("Claim verdicts"). The rules are documented in README.md.

    ELECTCHECK_DATA_DIR=/work/shared/datasets python tests/claims/real/label.py
    python tests/claims/real/label.py --only venezuela   # rows whose reference matches

Writes ``labels.csv`` (sentences.csv + expected_verdict, actual, basis,
interval, reason) and prints a summary.
"""

from __future__ import annotations

import csv
import math
import os
import sys
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent
SENTENCES = HERE / "sentences.csv"
LABELS = HERE / "labels.csv"
OUT_COLS = ["expected_verdict", "actual", "basis", "interval", "reason"]

NOT_RESULT_ATTRIBUTIONS = {"exit_poll", "estimate", "poll"}
UNCOUNTABLE = {"money", "other"}
# subsets the data can compute; any other `condition` on a subset row is unverifiable
COMPUTABLE_CONDITIONS = {"", "in_file", "installed", "won_by", "domestic"}
OVERSEAS = ("luar negeri", "embajadas", "за пределами", "байконур")
PERCENT_MARKS = ("%", "percent", "per cent", "persen", "por ciento", "pct")
COUNTING_UNITS = {"acta", "mesa", "tps", "uik", "unit"}


# --------------------------------------------------------------------------- data
@lru_cache(maxsize=None)
def load(name: str):
    """The Tally of a built-in dataset (cached: Russian and Indonesian files take seconds)."""
    os.environ.setdefault("ELECTCHECK_DATA_DIR", str(HERE.parents[3] / "shared" / "datasets"))
    from electcheck.ingest import ingest

    return ingest(name).tally


def _sum(df, col):
    """Sum of a column, or None when the column is absent or has no value at all."""
    if col not in df.columns:
        return None
    s = df[col]
    if s.isna().all():
        return None
    return float(s.sum(skipna=True))


def _complete_sum(df, col, rows_mask=None):
    """Sum of a column over the units that have results; None if any of them lacks it."""
    if col not in df.columns:
        return None
    s = df[col] if rows_mask is None else df.loc[rows_mask, col]
    if len(s) == 0 or s.isna().any():
        return None
    return float(s.sum())


def is_overseas(name) -> bool:
    n = str(name).lower()
    return any(k in n for k in OVERSEAS)


class Frame:
    """One tally restricted to a region (or national), with the quantities the rubric names."""

    def __init__(self, tally, region: str = ""):
        self.t = tally
        self.meta = tally.meta
        df = tally.data
        self.top = tally.meta.hierarchy[0] if tally.meta.hierarchy else None
        self.region = region
        if region:
            if self.top is None or self.top not in df.columns:
                raise Unverifiable(f"{tally.meta.source} has no regions")
            df = df[df[self.top] == region]
            if len(df) == 0:
                raise Unverifiable(f"region {region!r} not in {tally.meta.source}")
        self.df = df
        self.cands = [c.id for c in tally.meta.candidates if c.id in df.columns and c.id != "OTHERS"]
        # units with any result (units without any number, e.g. Russia 2024's annexed regions, do not count)
        res_cols = [c for c in ("ballots", "valid", *self.cands) if c in df.columns]
        self.with_results = df[res_cols].notna().any(axis=1) if res_cols else None

    # -- counts
    def votes(self, cid: str):
        if cid == "OTHERS":
            if "OTHERS" in self.df.columns:
                return _sum(self.df, "OTHERS")
            top2 = self.top_two()
            v = self.valid()
            return None if v is None else v - sum(self.votes(c) for c in top2)
        if cid not in self.df.columns:
            raise Unverifiable(f"candidate {cid!r} not in {self.meta.source}")
        return _sum(self.df, cid)

    def top_two(self):
        tot = sorted(((self.votes(c) or 0, c) for c in self.cands), reverse=True)
        return [c for _, c in tot[:2]]

    def valid(self):
        v = _sum(self.df, "valid")
        if v is not None:
            return v
        cs = [_sum(self.df, c) for c in self.cands]
        if not cs or any(x is None for x in cs):
            return None
        return float(sum(cs)) + (_sum(self.df, "OTHERS") or 0.0)

    def invalid(self):
        return _sum(self.df, "invalid")

    def ballots(self):
        b = _sum(self.df, "ballots")
        if b is not None:
            return b
        v, i = _sum(self.df, "valid"), self.invalid()
        return None if v is None or i is None else v + i

    def registered(self):
        return _complete_sum(self.df, "registered", self.with_results)

    def registered_known(self):
        """(sum over the units that state their electors, units with results lacking them)."""
        if "registered" not in self.df.columns:
            return None, None
        s = self.df["registered"] if self.with_results is None else self.df.loc[self.with_results, "registered"]
        if s.notna().sum() == 0:
            return None, None
        return float(s.sum(skipna=True)), int(s.isna().sum())

    def turnout_numerator(self):
        """(count, label): ballots issued where the authority defines turnout so (Russia), else votes cast."""
        b = self.ballots()
        if self.meta.notes.get("turnout_numerator") == "issued" and "issued" in self.df.columns:
            iss = _sum(self.df, "issued")
            if iss is not None and b is not None and iss >= 0.95 * b:
                return iss, "issued/registered"
        return b, "ballots/registered"

    def share_den(self, basis: str):
        return self.valid() if basis == "valid" else self.ballots()

    # -- units
    def level_values(self, level: str):
        """Distinct units of a hierarchy level (by code where the source has codes), overseas excluded."""
        if level not in self.df.columns:
            raise Unverifiable(f"{self.meta.source} has no level {level!r}")
        df = self.df
        if self.top:
            df = df[[not is_overseas(x) for x in df[self.top]]]
        key = f"{level}_code" if f"{level}_code" in df.columns else level
        return [v for v in df[key].dropna().unique() if not is_overseas(v)]

    def region_totals(self):
        if self.top is None:
            raise Unverifiable(f"{self.meta.source} has no regions")
        cols = [c for c in (*self.cands, "valid", "ballots") if c in self.df.columns]
        g = self.df.groupby(self.top)[cols].sum(min_count=1)
        return g[[not is_overseas(i) for i in g.index]]


class Unverifiable(Exception):
    """The data cannot determine the quantity."""


class LowerBound(Exception):
    """Registered electors known for only some units: their sum is a lower bound of the total."""

    def __init__(self, known: float, missing: int):
        super().__init__(known, missing)
        self.known, self.missing = known, missing


# --------------------------------------------------------------------------- intervals
@dataclass
class Interval:
    low: float | None
    high: float | None
    low_closed: bool
    high_closed: bool

    def contains(self, x: float) -> bool:
        eps = 1e-9 * max(1.0, abs(x))
        if self.low is not None:
            if x < self.low - eps or (not self.low_closed and x <= self.low + eps):
                return False
        if self.high is not None:
            if x > self.high + eps or (not self.high_closed and x >= self.high - eps):
                return False
        return True

    def __str__(self) -> str:
        lo = "(-inf" if self.low is None else ("[" if self.low_closed else "(") + _fmt(self.low)
        hi = "inf)" if self.high is None else _fmt(self.high) + ("]" if self.high_closed else ")")
        return f"{lo}, {hi}"


def interval(value: float, p: float, hedge: str, high: float | None = None) -> Interval:
    """DESIGN.md's table: the values a stated number with precision p and a hedge allows."""
    if hedge == "none":
        return Interval(value - p / 2, value + p, True, False)
    if hedge == "about":
        return Interval(value - p, value + p, True, True)
    if hedge == "almost":
        return Interval(value - p, value, True, True)
    if hedge == "over":
        return Interval(value, None, False, False)
    if hedge == "at_least":
        return Interval(value, None, True, False)
    if hedge == "under":
        return Interval(None, value, False, False)
    if hedge == "range":
        if high is None:
            raise ValueError("range without value_high")
        return Interval(value - p / 2, high + p, True, False)
    raise ValueError(f"unknown hedge {hedge!r}")


def _fmt(x) -> str:
    if x is None:
        return ""
    if abs(x) >= 1000 or float(x).is_integer():
        return f"{x:.0f}" if abs(x - round(x)) < 1e-6 or abs(x) >= 1000 else f"{x:.4f}"
    return f"{x:.4f}"


# --------------------------------------------------------------------------- the frame's value
def _pct(a, b):
    if a is None or b is None or b == 0:
        return None
    return 100.0 * a / b


def is_percent(row) -> bool:
    n = row["number"].lower()
    return any(m in n for m in PERCENT_MARKS)


def candidates_of(fr: Frame, row):
    c = row["candidate"]
    o = row["opponent"]
    if not c:
        raise Unverifiable("no candidate in the frame")
    if not o:
        top = fr.top_two()
        o = top[1] if c == top[0] else top[0]
    return c, o


def compute(row, tally) -> list[tuple[str, float]]:
    """[(basis, value)] for the row's frame on one tally: the standard basis first, then alternatives.

    Raises Unverifiable when the data cannot determine the standard value.
    """
    q = row["quantity"]
    fr = Frame(tally, row["region"])
    std_basis = tally.meta.share_basis
    alt_basis = "ballots" if std_basis == "valid" else "valid"
    out: list[tuple[str, float | None]] = []
    if q == "votes":
        out = [("count", fr.votes(row["candidate"]))]
    elif q == "valid":
        out = [("count", fr.valid())]
    elif q == "ballots":
        out = [("count", fr.ballots())]
    elif q == "registered":
        reg = fr.registered()
        if reg is None:
            known, missing = fr.registered_known()
            if known is not None:
                raise LowerBound(known, missing)
        out = [("count", reg)]
    elif q == "invalid":
        if is_percent(row):
            out = [("invalid/ballots", _pct(fr.invalid(), fr.ballots()))]
        else:
            out = [("count", fr.invalid())]
    elif q == "share":
        c = row["candidate"]
        v = fr.votes(c)
        out = [(std_basis, _pct(v, fr.share_den(std_basis))), (alt_basis, _pct(v, fr.share_den(alt_basis)))]
        top = fr.top_two()
        if c in top and len(fr.cands) > 2 and (not row["opponent"] or row["opponent"] in top):
            o = top[1] if c == top[0] else top[0]
            vo = fr.votes(o)
            out.append(("two-candidate", _pct(v, v + vo) if v is not None and vo is not None else None))
    elif q in ("margin_votes", "margin_points", "ratio"):
        c, o = candidates_of(fr, row)
        vc, vo = fr.votes(c), fr.votes(o)
        if vc is None or vo is None:
            raise Unverifiable("candidate votes missing")
        if q == "margin_votes":
            out = [("count", vc - vo)]
        elif q == "ratio":
            out = [("ratio", vc / vo if vo else None)]
        else:
            out = [(std_basis, _pct(vc - vo, fr.share_den(std_basis))), (alt_basis, _pct(vc - vo, fr.share_den(alt_basis)))]
            if len(fr.cands) > 2 and {c, o} == set(fr.top_two()):
                out.append(("two-candidate", _pct(vc - vo, vc + vo)))
    elif q == "turnout":
        reg = fr.registered()
        num, label = fr.turnout_numerator()
        out = [(label, _pct(num, reg)), ("valid/registered", _pct(fr.valid(), reg))]
        rt = tally.meta.notes.get("registered_transmitted")
        if rt and not row["region"]:
            out.append(("ballots/registered-transmitted", _pct(fr.ballots(), rt)))
    elif q in ("units", "coverage"):
        out = [("count" if q == "units" else "units/expected", units_or_coverage(row, fr))]
    else:
        raise Unverifiable(f"quantity {q!r} is not in the data")
    if not out or out[0][1] is None:
        raise Unverifiable(f"{q} not computable from {tally.meta.source}" + (f" ({row['region']})" if row["region"] else ""))
    return [(b, v) for b, v in out if v is not None]


def units_or_coverage(row, fr: Frame):
    q, unit, cond = row["quantity"], row["unit"], row["condition"]
    meta = fr.meta
    one_row = meta.kind == "published" or len(fr.t.data) == 1
    if q == "coverage":
        if cond != "in_file":
            raise Unverifiable(f"coverage condition {cond!r}")
        if one_row:
            pct = meta.notes.get("actas_transmitted_pct")
            if pct is None:
                raise Unverifiable("a one-row bulletin without its coverage")
            return float(pct)
        if not meta.expected_units:
            raise Unverifiable("no expected number of units")
        return 100.0 * len(fr.df) / meta.expected_units
    # units
    if cond == "won_by" or cond.startswith("share_above:"):
        g = fr.region_totals()
        c = row["candidate"]
        if cond == "won_by":
            others = [x for x in fr.cands if x != c]
            return float(sum(1 for _, r in g.iterrows() if all(r[c] > r[o] for o in others)))
        thr = float(cond.split(":", 1)[1])
        den = g["valid"] if meta.share_basis == "valid" or "ballots" not in g.columns else g["ballots"]
        return float(((100.0 * g[c] / den) > thr).sum())
    if one_row:
        raise Unverifiable("the number of units of a one-row bulletin")
    if cond == "installed":
        if unit not in COUNTING_UNITS or not meta.expected_units:
            raise Unverifiable(f"no installed count of {unit!r}")
        return float(meta.expected_units)
    if cond in ("in_file", "domestic"):
        if unit in COUNTING_UNITS:
            df = fr.df
            if cond == "domestic" and fr.top:
                df = df[[not is_overseas(x) for x in df[fr.top]]]
            return float(len(df))
        level = fr.top if unit == "region" else unit
        return float(len(fr.level_values(level)))
    raise Unverifiable(f"units condition {cond!r}")


# --------------------------------------------------------------------------- verdicts
@dataclass
class Label:
    verdict: str
    actual: str = ""
    basis: str = ""
    interval: str = ""
    reason: str = ""


def label_row(row, load=load) -> Label:
    if row["attribution"] in NOT_RESULT_ATTRIBUTIONS:
        return Label("unverifiable", reason=f"attribution {row['attribution']}: not a counted result")
    if row["modality"] != "asserted":
        return Label("unverifiable", reason=f"modality {row['modality']}")
    if row["quantity"] in UNCOUNTABLE:
        return Label("unverifiable", reason=f"quantity {row['quantity']} is not in election data")
    if str(row.get("other_election", "0")) == "1":
        return Label("unverifiable", reason="about an election whose data is not given")
    if row["scope"] == "subset" and row["condition"] not in COMPUTABLE_CONDITIONS and not row["condition"].startswith("share_above:"):
        return Label("unverifiable", reason=f"subset the data cannot compute ({row['condition']})")
    if row["condition"] in ("counted_at_time", "at_time"):
        return Label("unverifiable", reason=f"condition {row['condition']}")
    value = float(row["value"])
    p = float(row["precision"])
    high = float(row["value_high"]) if row.get("value_high") else None
    iv = interval(value, p, row["hedge"], high)
    names = [n.strip() for n in row["against"].split(";") if n.strip()]
    try:
        vals = compute(row, load(names[0]))
    except Unverifiable as e:
        return Label("unverifiable", interval=str(iv), reason=str(e))
    except LowerBound as b:
        # the true total T lies in [known, inf): decided only when that ray is inside or outside the interval
        why = f"registered known for all but {b.missing} units with results: total >= {_fmt(b.known)}"
        inside = iv.high is None and (iv.low is None or b.known > iv.low or (iv.low_closed and b.known >= iv.low))
        outside = iv.high is not None and (b.known > iv.high or (not iv.high_closed and b.known >= iv.high))
        verdict = "supported" if inside else "contradicted" if outside else "unverifiable"
        return Label(verdict, f">={_fmt(b.known)}", "count (lower bound)" if verdict != "unverifiable" else "",
                     str(iv), why)
    std_basis, std = vals[0]
    tried = [f"{b}={_fmt(v)}" for b, v in vals]
    if iv.contains(std):
        return Label("supported", _fmt(std), std_basis, str(iv), "; ".join(tried))
    for b, v in vals[1:]:
        if iv.contains(v):
            return Label("misleading", _fmt(std), b, str(iv), "; ".join(tried))
    for other in names[1:]:
        try:
            ov = compute(row, load(other))[0][1]
        except Unverifiable:
            continue
        tried.append(f"snapshot:{other}={_fmt(ov)}")
        if iv.contains(ov):
            return Label("misleading", _fmt(std), f"snapshot:{other}", str(iv), "; ".join(tried))
    return Label("contradicted", _fmt(std), std_basis, str(iv), "; ".join(tried))


# --------------------------------------------------------------------------- io
def read_rows(path=SENTENCES):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def label_rows(rows, load=load):
    out = []
    for r in rows:
        lab = label_row(r, load)
        out.append({**r, "expected_verdict": lab.verdict, "actual": lab.actual, "basis": lab.basis,
                    "interval": lab.interval, "reason": lab.reason})
    return out


def summary(rows) -> str:
    lines = [f"{len(rows)} rows"]
    for key in ("lang", "expected_verdict", "quantity"):
        c = Counter(r[key] for r in rows)
        lines.append(f"per {key}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda kv: -kv[1])))
    by = Counter((r["lang"], r["expected_verdict"]) for r in rows)
    langs = sorted({r["lang"] for r in rows})
    verdicts = ["supported", "misleading", "contradicted", "unverifiable"]
    lines.append("lang  " + " ".join(f"{v:>13}" for v in verdicts))
    for lg in langs:
        lines.append(f"{lg:<5} " + " ".join(f"{by[(lg, v)]:>13}" for v in verdicts))
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    rows = read_rows()
    if "--only" in argv:
        key = argv[argv.index("--only") + 1]
        labelled = label_rows([r for r in rows if key in r["against"].split(";")[0]])
        for r in labelled:
            print(r["id"], r["number"], r["expected_verdict"], r["actual"], r["basis"], r["interval"], r["reason"], sep=" | ")
        return 0
    labelled = label_rows(rows)
    with open(LABELS, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) + OUT_COLS)
        w.writeheader()
        w.writerows(labelled)
    print(summary(labelled))
    return 0


if __name__ == "__main__":
    sys.exit(main())
