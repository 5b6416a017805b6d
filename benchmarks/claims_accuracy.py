"""Verdict accuracy of ``electcheck.claims`` on the real-sentence corpus (tests/claims/real).

    python benchmarks/claims_accuracy.py --split dev [--show-mismatches] [--json]
    python benchmarks/claims_accuracy.py --split sealed10 [--json] [--no-context]   # aggregate figures only

Splits: ``dev`` (tuned on), ``sealed`` (sealed split 1: retired after its first run on
2026-12-07, recorded in docs/claims.md — now tuning data), ``sealed2`` (sealed split 2:
retired after its first run on 2026-12-07, recorded in docs/claims.md — now tuning data),
``sealed3`` (sealed split 3: retired after its first run on 2026-12-07, recorded in docs/claims.md —
now tuning data), ``sealed4`` (sealed split 4: retired after its first run on 2026-12-07, recorded in
docs/claims.md — now tuning data), ``sealed5`` (sealed split 5: retired after its first run on
2026-12-07, recorded in docs/claims.md — now tuning data), ``sealed6`` (sealed split 6: retired after its
first run on 2026-12-07, recorded in docs/claims.md — now tuning data), ``sealed7`` (sealed split 7:
retired after its first run on 2026-12-07 — now tuning data), ``sealed8`` (sealed split 8: retired after
its first run on 2026-12-07 — now tuning data), ``sealed9`` (retired after its first run on 2026-12-07 —
now tuning data), ``sealed10`` and ``sealed11`` (each row with its article context; first runs recorded in
docs/claims.md, then used in aggregate to choose between two variants of the article carrying: validation
splits, aggregate figures only).

Each row's sentence is checked with ``check_text(text, tallies, lang)`` against
the row's ``against`` datasets (first = reference); the row's claim is the one
whose character span overlaps the row's ``number`` in the text (else the first
claim whose text contains it, or is contained in it). A row is right when that
claim's verdict equals the row's ``expected_verdict`` (computed from the data by
``tests/claims/real/label.py``); a row with no such claim counts as wrong and
is reported as "not found".

The current sealed split is for honest estimates: ``--show-mismatches`` refuses it,
so that no rule is tuned on its sentences.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "claims" / "real"


def rows_of(split: str):
    with open(REAL / f"{split}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def find_claim(row, claims, offset: int = 0):
    """The checker's claim for the row's number: overlapping span first, then text containment.

    ``offset`` is where the row's sentence starts in the checked text (after its article context);
    claims in the context are never the row's."""
    text, num = row["text"], row["number"]
    claims = [c for c in claims if c.end > offset]
    start = text.find(num)
    end = offset + start + len(num)
    start += offset
    if start >= offset:
        for c in claims:
            if c.start < end and start < c.end:
                return c
    for c in claims:
        if num in c.text or (c.text and c.text in num):
            return c
    return None


def contexts_of(split: str) -> dict[str, str]:
    """Each row's article context (the text before its sentence), by id: the split's ``context``
    column, else ``contextN.csv`` beside it (gathered after the split; empty where not found)."""
    n = "1" if split in ("dev", "sealed") else split.removeprefix("sealed")  # dev + sealed 1: corpus 1
    path = REAL / f"context{n}.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        return {r["id"]: r["context"] for r in csv.DictReader(f) if r.get("found") in ("yes", "partial")}


def with_context(row, contexts: dict[str, str]) -> tuple[str, int]:
    """The text the checker reads for a row (its context, a paragraph break, the sentence) and where
    the sentence starts in it."""
    ctx = (row.get("context") or contexts.get(row["id"], "")).strip()
    if not ctx:
        return row["text"], 0
    return ctx + "\n\n" + row["text"], len(ctx) + 2


def evaluate(rows, load, contexts=None):
    from electcheck.claims import check_text

    contexts = contexts or {}
    out = []
    for r in rows:
        tallies = [load(n.strip()) for n in r["against"].split(";") if n.strip()]
        if not tallies:  # a number about nothing in any dataset (quantity other): nothing to check it against
            continue
        try:
            text, offset = with_context(r, contexts)
            result = check_text(text, tallies, r["lang"])
            c = find_claim(r, result.claims, offset)
            err = ""
        except Exception as e:  # a crash on one row is a wrong row, not a failed benchmark
            c, err = None, f"{type(e).__name__}: {e}"
        got = c.verdict if c is not None else None
        out.append({"id": r["id"], "lang": r["lang"], "quantity": r["quantity"], "expected": r["expected_verdict"],
                    "got": got, "ok": got == r["expected_verdict"], "found": c is not None, "error": err,
                    "number": r["number"], "got_quantity": getattr(c, "quantity", None),
                    "got_actual": getattr(c, "actual", None), "got_basis": getattr(c, "basis", None),
                    "actual": r["actual"], "basis": r["basis"],
                    "got_region": (getattr(c, "subject", None) or {}).get("region"),
                    "got_scope": (getattr(c, "frame", None) or {}).get("scope"),
                    "got_attribution": (getattr(c, "frame", None) or {}).get("attribution")})
    return out


def figures(results, split: str) -> dict:
    def agg(key):
        d = defaultdict(lambda: [0, 0])
        for x in results:
            d[x[key]][0] += x["ok"]
            d[x[key]][1] += 1
        return {k: {"correct": v[0], "rows": v[1], "accuracy": round(v[0] / v[1], 4)} for k, v in sorted(d.items())}

    n = len(results)
    ok = sum(x["ok"] for x in results)
    return {"split": split, "rows": n, "correct": ok, "accuracy": round(ok / n, 4) if n else None,
            "not_found": sum(not x["found"] for x in results), "errors": sum(bool(x["error"]) for x in results),
            "per_language": agg("lang"), "per_quantity": agg("quantity"), "per_expected_verdict": agg("expected")}


def table(title: str, d: dict) -> str:
    lines = [f"{title:<16} {'rows':>5} {'correct':>8} {'accuracy':>9}"]
    for k, v in d.items():
        lines.append(f"{k:<16} {v['rows']:>5} {v['correct']:>8} {v['accuracy']:>9.1%}")
    return "\n".join(lines)


#: splits never tuned on: aggregate figures only
SEALED = {"sealed10", "sealed11", "sealed12", "sealed13", "sealed14", "sealed15", "sealed16", "sealed17"}
#: every split in the corpus: dev, sealed (split 1), sealed2 … sealedN
SPLITS = ("dev", "sealed") + tuple(sorted((p.stem for p in REAL.glob("sealed[0-9]*.csv")),
                                         key=lambda s: int(s.removeprefix("sealed"))))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=SPLITS, required=True)
    ap.add_argument("--show-mismatches", action="store_true", help="list wrong rows (dev split only)")
    ap.add_argument("--json", action="store_true", help="emit the figures as JSON")
    ap.add_argument("--no-context", action="store_true",
                    help="check each sentence alone, without the article text before it")
    a = ap.parse_args(argv)
    if a.show_mismatches and a.split in SEALED:
        print("refused: --show-mismatches is not available for the sealed split (aggregate figures only)",
              file=sys.stderr)
        return 2
    os.environ.setdefault("ELECTCHECK_DATA_DIR", str(ROOT.parent / "shared" / "datasets"))
    from electcheck.ingest import ingest

    load = lru_cache(maxsize=None)(lambda name: ingest(name).tally)
    t0 = time.perf_counter()
    rows = rows_of(a.split)
    contexts = {} if a.no_context else contexts_of(a.split)
    if a.no_context:
        rows = [{**r, "context": ""} for r in rows]
    results = evaluate(rows, load, contexts)
    unscored = len(rows) - len(results)
    fig = figures(results, a.split)
    fig["seconds"] = round(time.perf_counter() - t0, 1)
    fig["with_context"] = sum(bool(with_context(r, contexts)[1]) for r in rows)
    if a.json:
        print(json.dumps(fig, indent=2, ensure_ascii=False))
    else:
        print(f"split {a.split}: {fig['correct']}/{fig['rows']} = {fig['accuracy']:.1%} verdicts right; "
              f"no claim found for {fig['not_found']} rows; {fig['errors']} rows raised ({fig['seconds']} s)"
              + (f"; {unscored} rows name no dataset and are not scored" if unscored else "")
              + f"; {fig['with_context']} rows read after their article context")
        print()
        print(table("language", fig["per_language"]))
        print()
        print(table("quantity", fig["per_quantity"]))
        print()
        print(table("expected", fig["per_expected_verdict"]))
    if a.show_mismatches:
        print("\nmismatches:")
        for x in results:
            if not x["ok"]:
                print(f"  {x['id']} {x['number']!r} [{x['quantity']}] expected {x['expected']} "
                      f"(actual {x['actual']} {x['basis']}) got {x['got'] or 'no claim'}"
                      f"{' ' + str(x['got_quantity']) if x['found'] else ''}"
                      f"{' actual ' + str(x['got_actual']) if x['found'] else ''}"
                      f"{' [' + str(x['got_region']) + ' ' + str(x['got_scope']) + ' ' + str(x['got_attribution']) + ']' if x['found'] else ''}"
                      f"{' ' + x['error'] if x['error'] else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
