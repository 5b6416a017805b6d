"""Benchmark: check a ~2,000-word article in each language after the data are loaded (target < 200 ms each).

    ELECTCHECK_DATA_DIR=../shared/datasets python benchmarks/claims.py [--repeat N] [--words 2000] [--profile LANG]

The articles are built from the project's own sentences of each language: the development and held-out
sets (``tests/claims/testset.csv``, ``holdout.csv``, ``holdout2.csv``) and the dev split of the real-sentence
corpus (``tests/claims/real/dev.csv``; never the sealed split). The distinct sentences of a language are
joined in file order, and the list is repeated until the article has ``--words`` words (Portuguese and
Indonesian have fewer distinct sentences, so more of their article repeats).

For each language it prints the best of N wall-clock times of:

- ``check``: ``Checker.check(article)`` with the language detected per sentence (what the CLI does);
- ``check --lang``: the same with the language given (no detection): a same-run baseline;
- ``number scan``: ``numbers.extract`` over the article's sentences, the floor any checker pays;

and the ratio of ``check`` to each baseline. The seed article (``shared/examples/seed-article-en.txt``)
is timed the same way for continuity with earlier figures. ``--profile LANG`` prints the cProfile top 25
of one check of that language's article.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = [ROOT / "tests" / "claims" / n for n in ("testset.csv", "holdout.csv", "holdout2.csv")]
DEV = ROOT / "tests" / "claims" / "real" / "dev.csv"
#: the reference each language's article is checked against (what most of its sentences are about)
SOURCES = {"en": "venezuela-2024/opposition-v2", "es": "venezuela-2024/opposition-v2",
           "pt": "venezuela-2024/opposition-v2", "id": "indonesia-2019/rekap"}
TARGET_MS = 200.0


def article(lang: str, words: int) -> str:
    """Distinct sentences of ``lang`` from the project's own sets, repeated up to ``words`` words."""
    seen: dict[str, None] = {}
    for path in [*SETS, DEV]:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row.get("lang") == lang and row.get("text"):
                    seen.setdefault(" ".join(row["text"].split()), None)
    sents = list(seen)
    if not sents:
        raise SystemExit(f"no sentences for {lang}")
    out, n, i = [], 0, 0
    while n < words:
        s = sents[i % len(sents)]
        out.append(s if s.endswith((".", "!", "?", "”", '"')) else s + ".")
        n += len(s.split())
        i += 1
    return "\n\n".join(out)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="best of N (default 7)")
    ap.add_argument("--words", type=int, default=2000)
    ap.add_argument("--langs", default="en,es,pt,id")
    ap.add_argument("--profile", default=None, help="print a cProfile of one check of this language's article")
    a = ap.parse_args()
    os.environ.setdefault("ELECTCHECK_DATA_DIR", str(ROOT.parent / "shared" / "datasets"))
    sys.path.insert(0, str(ROOT))
    from electcheck.claims import Checker
    from electcheck.claims.numbers import extract
    from electcheck.claims.text import fold, sentences
    from electcheck.ingest import ingest

    tallies = {}

    def tally(name):
        if name not in tallies:
            t0 = time.perf_counter()
            tallies[name] = ingest(name).tally
            print(f"data load {name}: {time.perf_counter() - t0:.2f} s (not counted)")
        return tallies[name]

    rows = []
    texts = {lang: article(lang, a.words) for lang in a.langs.split(",")}
    seed = ROOT.parent / "shared" / "examples" / "seed-article-en.txt"
    if seed.exists():
        texts["seed (en)"] = seed.read_text(encoding="utf-8")
    for lang, text in texts.items():
        lg = "en" if lang.startswith("seed") else lang
        checker = Checker([tally(SOURCES[lg])])
        r = checker.check(text)  # first check: totals and patterns computed (cold)

        def scan():
            f = fold(text)
            for s in sentences(text):
                extract(s.text, lg, base=s.start, ftext=f[s.start:s.end])

        t_check = best(lambda: checker.check(text), a.repeat)
        t_lang = best(lambda: checker.check(text, lg), a.repeat)
        t_scan = best(scan, a.repeat)
        rows.append((lang, len(text.split()), len(r.claims), t_check, t_lang, t_scan))
        if a.profile == lang:
            import cProfile
            import pstats
            pr = cProfile.Profile()
            pr.enable()
            checker.check(text)
            pr.disable()
            pstats.Stats(pr).sort_stats("cumulative").print_stats(25)

    print()
    print(f"{'article':<10} {'words':>6} {'numbers':>8} {'check ms':>9} {'--lang ms':>10} {'scan ms':>8} "
          f"{'check/--lang':>13} {'check/scan':>11}  target < {TARGET_MS:.0f} ms")
    ok = True
    for lang, words, n, tc, tl, ts in rows:
        met = tc < TARGET_MS
        ok &= met or lang.startswith("seed")
        print(f"{lang:<10} {words:>6} {n:>8} {tc:>9.1f} {tl:>10.1f} {ts:>8.1f} {tc / tl:>13.2f} {tc / ts:>11.2f}  "
              f"{'met' if met else 'NOT met'}")
    print(f"(best of {a.repeat}; after data load and one cold check; shared machine: figures vary between runs)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
