"""``base.walk_cdf`` (sequential binomial inversion, placed walkers masked and compacted in halves) against
a one-draw-at-a-time reference."""

from __future__ import annotations

import numpy as np

from electcheck.forensics.base import walk_cdf


def _one(u: float, n: float, p: float) -> float:
    k, pm = 0.0, (1 - p) ** n
    c = pm
    while not (u <= c or k >= n):
        pm = pm * ((n - k) / (k + 1.0)) * (p / (1 - p))
        k += 1
        c += pm
    return k


def test_walk_cdf_places_each_draw_where_its_own_walk_ends():
    rng = np.random.default_rng(5)
    m = 400
    n = rng.integers(0, 300, m).astype(float)
    p = rng.uniform(0.01, 0.5, m)
    u = rng.uniform(size=m)
    pm = (1 - p) ** n
    flat = np.full(m + 7, -1.0)
    act = np.arange(7, m + 7)  # positions in a larger array
    walk_cdf(flat, act, u.copy(), pm.copy(), np.zeros(m), pm.copy(), n.copy(), p / (1 - p))
    assert (flat[:7] == -1).all()
    assert flat[7:].tolist() == [_one(u[i], n[i], p[i]) for i in range(m)]
