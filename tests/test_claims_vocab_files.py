"""The four vocabulary files hold the same tables, and the tables every language needs (docs/claims.md,
"Adding words, or a language")."""

from __future__ import annotations

import pytest

from electcheck.claims import vocab

#: tables every language file has (a missing one silently drops that language's words from a rule)
TABLES = ("hedges", "attribution", "modality", "clauses", "quantity", "scope", "explain", "anaphora", "grammar")
#: keys that must be in every language's table (the rules look them up per language)
KEYS = {"attribution": ("report", "exit_poll", "estimate", "poll", "party", "carries", "official"),
        "quantity": ("turnout", "votes", "units", "counted", "margin"),
        "scope": ("country_wide", "sub_place", "regions_so_far"),
        "anaphora": ("subject",),
        "grammar": ("function_words",)}


@pytest.mark.parametrize("lang", vocab.LANGS)
def test_every_language_has_every_table_and_key(lang):
    raw = vocab.raw(lang)
    assert [t for t in TABLES if t not in raw] == []
    missing = [f"[{t}] {k}" for t, ks in KEYS.items() for k in ks if not raw[t].get(k)]
    assert missing == []


def test_the_read_as_words_have_the_same_keys_in_every_language():
    keys = {lang: set(vocab.raw(lang)["explain"]) for lang in vocab.LANGS}
    assert all(k == keys["en"] for k in keys.values()), keys
