"""Seeded split of the real-sentence corpus into dev and sealed.

A row goes to ``sealed`` when the first byte of
sha256("electcheck-claims-2026:" + url) is below 128, otherwise to ``dev``:
about half each, and every sentence of one article lands in the same split.

    python tests/claims/real/split.py          # writes dev.csv and sealed.csv from labels.csv
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
SALT = "electcheck-claims-2026:"
MIN_PER_LANG = 30


def split_of(url: str) -> str:
    """'sealed' or 'dev' for an article address."""
    return "sealed" if hashlib.sha256((SALT + url).encode("utf-8")).digest()[0] < 128 else "dev"


def split_rows(rows):
    """(dev rows, sealed rows), order kept."""
    dev, sealed = [], []
    for r in rows:
        (sealed if split_of(r["url"]) == "sealed" else dev).append(r)
    return dev, sealed


def main(argv=None) -> int:
    src = HERE / "labels.csv"
    with open(src, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        rows = list(reader)
    dev, sealed = split_rows(rows)
    ok = True
    for name, part in (("dev", dev), ("sealed", sealed)):
        with open(HERE / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(part)
        per = Counter(r["lang"] for r in part)
        print(f"{name}: {len(part)} rows, {len({r['url'] for r in part})} articles, per language {dict(sorted(per.items()))}")
        for lang in ("en", "es", "pt", "id"):
            if per[lang] < MIN_PER_LANG:
                ok = False
                print(f"  WARNING: {name} has {per[lang]} {lang} rows (< {MIN_PER_LANG}): gather more sentences")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
