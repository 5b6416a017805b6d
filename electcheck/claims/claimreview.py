"""schema.org ClaimReview JSON-LD, one object per checked claim.

Fields follow https://schema.org/ClaimReview and Google's fact-check markup:
``claimReviewed``, ``reviewRating`` (``alternateName`` and
``ratingExplanation``), ``itemReviewed`` (a ``Claim`` with ``appearance``),
``author``, ``datePublished``. Unverifiable numbers are not reviews and are
left out.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .check import CheckResult
from .explain import VERDICT_NAME

RATING = {"supported": 5, "misleading": 3, "contradicted": 1}


def claim_reviews(result: CheckResult, url: str | None = None, org: str | None = None,
                  date: str | None = None) -> list[dict[str, Any]]:
    date = date or _dt.datetime.now(_dt.timezone.utc).date().isoformat()
    out = []
    for c in result.claims:
        if c.verdict not in RATING:
            continue
        item: dict[str, Any] = {"@type": "Claim"}
        if url:
            item["appearance"] = [{"@type": "CreativeWork", "url": url}]
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": c.sentence,
            "itemReviewed": item,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": RATING[c.verdict],
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": VERDICT_NAME[c.lang][c.verdict],
                "ratingExplanation": c.explanation,
            },
            "datePublished": date,
            "inLanguage": c.lang,
        }
        if org:
            review["author"] = {"@type": "Organization", "name": org}
        if url:
            review["url"] = url
        out.append(review)
    return out
