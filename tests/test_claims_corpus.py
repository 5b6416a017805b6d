"""Integrity of the real-sentence corpus (tests/claims/real) and of its labelling oracle.

Fast: only the Venezuelan bulletins and opposition files are loaded (skipped, with
the file named, when the shared datasets are absent); the oracle's interval and
verdict rules are tested on small synthetic tallies.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from electcheck.model import Candidate, Tally, TallyMeta

REAL = Path(__file__).parent / "claims" / "real"
LANGS = ("en", "es", "pt", "id")
QUANTITIES = {"votes", "share", "margin_votes", "margin_points", "turnout", "registered", "ballots", "valid",
              "invalid", "units", "coverage", "ratio", "money", "other"}
VERDICTS = {"supported", "misleading", "contradicted", "unverifiable"}


def _module(name):
    spec = importlib.util.spec_from_file_location(f"real_{name}", REAL / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


label = _module("label")
split = _module("split")


def _read(name):
    with open(REAL / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


SENTENCES = _read("sentences.csv")
LABELS = _read("labels.csv")
#: (sentences, labels, at least this many rows, at least this many per language): the first corpus
#: (dev + retired sealed split 1) and sealed split 2 (never tuned on; only its structure is tested here)
CORPORA = {"corpus-1": (SENTENCES, LABELS, 300, 60),
           "sealed2": (_read("sentences2.csv"), _read("labels2.csv"), 200, 50),
           "sealed3": (_read("sentences3.csv"), _read("labels3.csv"), 200, 50),
           "sealed4": (_read("sentences4.csv"), _read("labels4.csv"), 200, 45),
           # (sealed 17 was gathered in a 35-minute window at the end of a stop and asked for ~200 rows)
           **{f"sealed{n}": (_read(f"sentences{n}.csv"), _read(f"labels{n}.csv"), 250 if n < 17 else 200, 40)
              for n in range(5, 30) if (REAL / f"labels{n}.csv").exists()}}
corpora = pytest.mark.parametrize("name", list(CORPORA))


# ------------------------------------------------------------------ corpus integrity
@corpora
def test_every_number_occurs_once_in_its_text(name):
    bad = [r["id"] for r in CORPORA[name][0] if r["text"].count(r["number"]) != 1]
    assert not bad


@corpora
def test_ids_unique_and_sizes(name):
    rows, _, least, per_lang = CORPORA[name]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert len(rows) >= least
    per = Counter(r["lang"] for r in rows)
    assert set(per) == set(LANGS)
    assert all(per[lg] >= per_lang for lg in LANGS), per


def test_sealed_splits_share_no_article_with_earlier_sets():
    seen = {r["url"] for r in SENTENCES}
    for name in [k for k in CORPORA if k != "corpus-1"]:
        urls = {r["url"] for r in CORPORA[name][0]}
        assert not seen & urls, name
        seen |= urls
        assert [r["id"] for r in _read(f"{name}.csv")] == [r["id"] for r in CORPORA[name][1]]


@corpora
def test_annotation_fields_are_from_the_schema(name):
    for r in CORPORA[name][0]:
        assert r["quantity"] in QUANTITIES, r["id"]
        assert r["scope"] in {"nation", "region", "subset"}, r["id"]
        assert r["attribution"] in {"author", "authority", "party", "exit_poll", "estimate", "poll"}, r["id"]
        assert r["modality"] in {"asserted", "estimated", "projected", "counterfactual", "forecast"}, r["id"]
        assert r["hedge"] in {"none", "about", "almost", "over", "at_least", "under", "range"}, r["id"]
        assert r["url"].startswith("http"), r["id"]
        float(r["value"]), float(r["precision"])
        if r["hedge"] == "range":
            assert float(r["value_high"]) > float(r["value"]), r["id"]
        # a number about nothing in the data (quantity other/money, or another election the project has
        # no data for) may name no dataset
        assert r["against"].split(";")[0] or r["quantity"] in ("other", "money") or r["other_election"] == "1", \
            r["id"]


@corpora
def test_non_election_numbers_are_at_most_a_fifth(name):
    rows = CORPORA[name][0]
    n = sum(1 for r in rows if r["quantity"] in ("money", "other") or r["other_election"] == "1")
    # the first corpora held them to a fifth; from sealed split 5 on, whole articles were taken (every number
    # of an article, so more of them are about something else) and up to 30 % are kept, unscored
    assert n <= (0.2 if name in ("corpus-1", "sealed2", "sealed3", "sealed4") else 0.3) * len(rows)


@corpora
def test_labels_match_sentences(name):
    rows, labels, _, _ = CORPORA[name]
    assert [r["id"] for r in labels] == [r["id"] for r in rows]
    for s, lab in zip(rows, labels):
        assert {k: lab[k] for k in s} == s, s["id"]
        assert lab["expected_verdict"] in VERDICTS


@pytest.mark.parametrize("n", [n for n in range(1, 30) if (REAL / f"context{n}.csv").exists()
                               or (n >= 10 and f"sealed{n}" in CORPORA)])
def test_article_contexts_belong_to_their_rows(n):
    """Each row's article context (a column of sentences10, a file beside splits 5-8) is text before the
    sentence: never the sentence itself, at most ~1,300 characters, empty when the page was not found."""
    rows = SENTENCES if n == 1 else CORPORA[f"sealed{n}"][0]
    if n >= 10:
        ctx = [(r["id"], r["url"], "yes", r["context"]) for r in rows]
    else:
        ctx = [(r["id"], r["url"], r["found"], r["context"]) for r in _read(f"context{n}.csv")]
    assert [c[0] for c in ctx] == [r["id"] for r in rows]
    assert [c[1] for c in ctx] == [r["url"] for r in rows]
    for (rid, _, found, text), r in zip(ctx, rows):
        assert found in ("yes", "partial", "no"), rid
        assert found != "no" or not text, rid
        assert len(text) <= 1400, rid
        assert not text.rstrip().endswith(r["text"].strip()), rid  # the sentence is not its own context


# ------------------------------------------------------------------ the split
def test_split_is_deterministic_and_by_article():
    dev, sealed = _read("dev.csv"), _read("sealed.csv")
    assert len(dev) + len(sealed) == len(LABELS)
    d2, s2 = split.split_rows(LABELS)
    assert [r["id"] for r in d2] == [r["id"] for r in dev]
    assert [r["id"] for r in s2] == [r["id"] for r in sealed]
    assert not ({r["url"] for r in dev} & {r["url"] for r in sealed})
    # the rule itself, pinned: sha256("electcheck-claims-2026:" + url)[0] < 128 -> sealed
    import hashlib

    for r in LABELS[:40]:
        b = hashlib.sha256(("electcheck-claims-2026:" + r["url"]).encode()).digest()[0]
        assert split.split_of(r["url"]) == ("sealed" if b < 128 else "dev")
    for part in (dev, sealed):
        per = Counter(r["lang"] for r in part)
        assert all(per[lg] >= 30 for lg in LANGS), per


# ------------------------------------------------------------------ labels reproduce (fast datasets only)
VE_FILES = {"venezuela-2024/opposition-v2": "venezuela-2024/RESULTADOS_2024_CSV_V2.csv",
            "venezuela-2024/opposition-v1": "venezuela-2024/RESULTADOS_2024_CSV_V1.csv"}


def _ve_rows():
    return [r for r in LABELS if all(n.startswith("venezuela-2024/") for n in r["against"].split(";"))]


def test_labels_are_what_label_py_gives_now_for_venezuela_rows():
    data = Path(os.environ.get("ELECTCHECK_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "datasets"))
    for name, rel in VE_FILES.items():
        if not (data / rel).exists():
            pytest.skip(f"{rel} not found under {data} (set ELECTCHECK_DATA_DIR)")
    rows = _ve_rows()
    assert len(rows) >= 60
    fresh = label.label_rows([{k: r[k] for k in SENTENCES[0]} for r in rows])
    for old, new in zip(rows, fresh):
        assert (new["expected_verdict"], new["actual"], new["basis"]) == \
            (old["expected_verdict"], old["actual"], old["basis"]), old["id"]


# ------------------------------------------------------------------ the oracle on synthetic tallies
def _tally(rows, cands=("A", "B", "C"), basis="valid", notes=None, hierarchy=("state",), kind="official",
           expected=None):
    meta = TallyMeta(source="synthetic", kind=kind, election="test", unit_level="unit",
                     candidates=[Candidate(c, c) for c in cands], hierarchy=list(hierarchy),
                     expected_units=expected, share_basis=basis, notes=notes or {})
    return Tally(pd.DataFrame(rows), meta)


def _row(**kw):
    base = {"id": "t", "lang": "en", "url": "http://x", "text": "", "number": "1", "against": "syn",
            "quantity": "share", "candidate": "A", "opponent": "", "region": "", "scope": "nation",
            "attribution": "author", "modality": "asserted", "value": "0", "precision": "1", "hedge": "none",
            "value_high": "", "unit": "", "condition": "", "other_election": "0", "note": ""}
    base.update({k: str(v) for k, v in kw.items()})
    return base


SYN = _tally([
    {"unit_id": "1", "state": "North", "registered": 1000, "ballots": 600, "valid": 580, "invalid": 20,
     "A": 400, "B": 150, "C": 30},
    {"unit_id": "2", "state": "South", "registered": 1000, "ballots": 500, "valid": 500, "invalid": 0,
     "A": 100, "B": 300, "C": 100},
])  # A 500, B 450, C 130 of 1080 valid / 1100 ballots / 2000 registered


def _verdict(**kw):
    return label.label_row(_row(**kw), load=lambda name: SYN)


def test_interval_table():
    iv = label.interval(51.2, 0.1, "none")
    assert iv.contains(51.15) and iv.contains(51.29) and not iv.contains(51.3) and not iv.contains(51.14)
    assert label.interval(38, 1, "almost").contains(37) and not label.interval(38, 1, "almost").contains(38.01)
    assert label.interval(7.3e6, 1e5, "about").contains(7.2e6) and not label.interval(7.3e6, 1e5, "about").contains(7.41e6)
    assert not label.interval(70, 1, "over").contains(70) and label.interval(70, 1, "at_least").contains(70)
    assert label.interval(14, 1, "under").contains(13.99) and not label.interval(14, 1, "under").contains(14)
    assert label.interval(65, 1, "range", 70).contains(70.9) and not label.interval(65, 1, "range", 70).contains(64.4)


def test_share_supported_misleading_contradicted():
    # A: 500/1080 = 46.30 % of valid; 500/1100 = 45.45 % of ballots; 500/950 = 52.63 % two-candidate
    assert _verdict(value=46.3, precision=0.1).verdict == "supported"
    assert _verdict(value=45.5, precision=0.1).verdict == "misleading"
    lab = _verdict(value=52.6, precision=0.1)
    assert (lab.verdict, lab.basis) == ("misleading", "two-candidate")
    assert _verdict(value=60, precision=1).verdict == "contradicted"
    # C is not one of the two leaders: no two-candidate basis for it
    assert _verdict(candidate="C", value=20.6, precision=0.1).verdict == "contradicted"


def test_ballots_basis_when_the_authority_uses_ballots():
    t = _tally(SYN.data.to_dict("records"), basis="ballots")
    lab = label.label_row(_row(value=45.5, precision=0.1), load=lambda n: t)
    assert (lab.verdict, lab.basis) == ("supported", "ballots")


def test_not_results_and_non_election_numbers_are_unverifiable():
    assert _verdict(value=46.3, precision=0.1, attribution="exit_poll").verdict == "unverifiable"
    assert _verdict(value=46.3, precision=0.1, modality="counterfactual").verdict == "unverifiable"
    assert _verdict(quantity="money", value=15e6, precision=1e6).verdict == "unverifiable"
    assert _verdict(value=46.3, precision=0.1, other_election=1).verdict == "unverifiable"
    assert _verdict(quantity="votes", value=1, scope="subset", condition="actas_in_hand").verdict == "unverifiable"


def test_margins_turnout_regions_units():
    assert _verdict(quantity="margin_votes", opponent="B", value=50, precision=10).verdict == "supported"
    assert _verdict(quantity="margin_votes", candidate="B", opponent="A", value=50, precision=10).verdict \
        == "contradicted"  # a claim that the loser won
    assert _verdict(quantity="turnout", candidate="", value=55, precision=1).verdict == "supported"  # 1100/2000
    assert _verdict(quantity="turnout", candidate="", value=54, precision=1).verdict == "misleading"  # 1080/2000
    assert _verdict(quantity="share", region="South", value=20, precision=1).verdict == "supported"
    assert _verdict(quantity="units", candidate="A", unit="region", condition="won_by", scope="subset",
                    value=1, precision=1).verdict == "supported"
    assert _verdict(quantity="units", candidate="", unit="unit", condition="in_file", value=3, precision=1).verdict \
        == "contradicted"


def test_snapshot_basis_and_missing_data():
    other = _tally([{**SYN.data.iloc[0].to_dict()}])  # only North: A 400 of 580 valid = 68.97 %
    loads = {"ref": SYN, "old": other}
    lab = label.label_row(_row(against="ref;old", value=69, precision=1), load=loads.__getitem__)
    assert (lab.verdict, lab.basis) == ("misleading", "snapshot:old")
    no_reg = _tally([{k: v for k, v in r.items() if k != "registered"} for r in SYN.data.to_dict("records")])
    assert label.label_row(_row(quantity="turnout", candidate="", value=55, precision=1),
                           load=lambda n: no_reg).verdict == "unverifiable"


def test_registered_lower_bound_when_some_units_lack_electors():
    rows = SYN.data.to_dict("records")
    rows[1]["registered"] = None
    t = _tally(rows)  # known >= 1000
    f = lambda **kw: label.label_row(_row(quantity="registered", candidate="", **kw), load=lambda n: t).verdict
    assert f(value=900, precision=100, hedge="over") == "supported"
    assert f(value=800, precision=100) == "contradicted"
    assert f(value=2000, precision=1000) == "unverifiable"
