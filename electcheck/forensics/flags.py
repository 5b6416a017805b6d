"""Records of the ranked station list (built by ``stations.score``) for JSON output.

The list itself — hard checks with region-aware discounts, the per-unit stuffing
score, integer percentages at the unit — is built in ``stations.py``; this module
turns its rows into plain records (NaN → None, numpy scalars → Python numbers,
reason codes → a list).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd



def records(df: pd.DataFrame, limit: int | None = None) -> list[dict[str, Any]]:
    part = df if limit is None else df.head(limit)
    out = []
    for row in part.itertuples(index=False):
        d = {}
        for k, v in zip(part.columns, row):
            if v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                v = None
            elif isinstance(v, (np.integer,)):
                v = int(v)
            elif isinstance(v, (np.floating,)):
                v = float(v)
            d[k] = v
        d["reasons"] = d["reasons"].split(";") if d.get("reasons") else []
        out.append(d)
    return out
