"""Numeric claims in English and Spanish text, checked against tallies.

    from electcheck.claims import check_text
    result = check_text(article, [tally])      # CheckResult
    result.to_dict()["claims"]                 # verdicts with evidence

Modules, one concept each: ``text`` (offsets, sentences, language),
``numbers`` (numbers as written), ``hedges`` (hedge words and intervals),
``subjects`` (candidates and regions), ``resolve`` (what a number counts),
``facts`` (quantities from a Tally on each basis), ``verdicts`` (the rubric),
``explain`` (plain-language explanations), ``evidence``, ``claimreview``
(schema.org JSON-LD), ``integrity`` (checks of one-row published tallies).
"""

from .check import Checker, CheckResult, Claim, check_text

__all__ = ["Checker", "CheckResult", "Claim", "check_text"]
