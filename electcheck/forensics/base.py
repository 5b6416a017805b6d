"""Result objects shared by every forensic test, and the Monte Carlo batch runner.

Every random draw in this package goes through a seeded ``numpy.random.Generator``.
Resamples are processed in fixed batches; batch ``b`` always uses child ``b`` of
``SeedSequence(seed)``, so results do not depend on how many threads run them.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


@dataclass
class Applicability:
    applicable: bool
    reason: str = ""
    caveats: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.applicable


@dataclass
class TestResult:
    """One p-value (or one refusal) for one test, subject and scope."""

    test: str
    scope: str
    subject: str
    statistic: float | None
    p_value: float | None
    applicable: bool = True
    caveats: list[str] = field(default_factory=list)
    q_value: float | None = None
    calibration: str | None = None
    #: test-specific numbers (excess, sd, observed/expected frequencies, ...)
    details: dict[str, Any] = field(default_factory=dict)
    #: per-unit flags (unit index array) with a reason code, for the station list
    unit_flags: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def in_family(self) -> bool:
        """Takes part in Benjamini–Hochberg: applicable, has a p-value, not anti-conservative."""
        return self.applicable and self.p_value is not None and self.calibration != "anti-conservative"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "test": self.test, "scope": self.scope, "subject": self.subject,
            "statistic": _num(self.statistic), "p_value": _num(self.p_value),
            "q_value": _num(self.q_value), "calibration": self.calibration,
            "applicable": self.applicable, "caveats": list(self.caveats),
        }
        for k in ("excess", "sd"):
            if k in self.details:
                d[k] = _num(self.details[k])
        d["details"] = {k: _num(v) for k, v in self.details.items() if k not in ("excess", "sd")}
        return d


def _num(v: Any) -> Any:
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        v = float(v)
        return None if np.isnan(v) else round(v, 6) if abs(v) < 1e12 else v
    if isinstance(v, np.ndarray):
        return [_num(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [_num(x) for x in v]
    if isinstance(v, dict):
        return {k: _num(x) for k, x in v.items()}
    return v


def mc_p_value(observed: float, null: np.ndarray, side: str = "greater") -> float:
    """(1 + #{null ≥ observed}) / (R + 1): never 0, exact size for R+1 multiples of 1/α."""
    null = np.asarray(null, dtype=float)
    if side == "greater":
        k = int(np.sum(null >= observed - 1e-12))
    elif side == "less":
        k = int(np.sum(null <= observed + 1e-12))
    else:
        raise ValueError(side)
    return (1 + k) / (len(null) + 1)


BATCH = 16


def threads() -> int:
    env = os.environ.get("ELECTCHECK_THREADS")
    if env and env.isdigit():
        return max(1, int(env))
    return max(1, min(2, os.cpu_count() or 1))


def run_batches(seed: int | np.random.SeedSequence, resamples: int,
                fn: Callable[[np.random.Generator, int], Any], batch: int = BATCH) -> list[Any]:
    """Call ``fn(rng, size)`` for consecutive batches of resamples; results in batch order."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    sizes = [batch] * (resamples // batch) + ([resamples % batch] if resamples % batch else [])
    children = ss.spawn(len(sizes))
    jobs = [(np.random.Generator(np.random.PCG64(c)), s) for c, s in zip(children, sizes)]
    nt = threads()
    if nt == 1 or len(jobs) == 1:
        return [fn(r, s) for r, s in jobs]
    with ThreadPoolExecutor(max_workers=nt) as ex:
        return list(ex.map(lambda job: fn(*job), jobs))


def draw_binomial(rng: np.random.Generator, n: np.ndarray, p: np.ndarray, size: int,
                  exact: bool = True, normal_above: float = 9.0, dtype=np.float64) -> np.ndarray:
    """``size`` × len(n) draws of Binomial(n, p).

    ``exact=False`` uses the rounded normal approximation where n·p·(1−p) ≥
    ``normal_above`` (five times faster; the lattice error is far below Monte
    Carlo error for digit tests) and exact binomial draws elsewhere.
    """
    n_i = n.astype(np.int64)
    if exact:
        return rng.binomial(n_i, p, size=(size, len(n_i))).astype(dtype)
    var = n * p * (1 - p)
    big = var >= normal_above
    out = np.empty((size, len(n_i)), dtype=dtype)
    nb = int(big.sum())
    prefix = bool(big[:nb].all())  # callers may order units so that large ones come first
    if nb:
        sl = slice(0, nb) if prefix else big
        mu = (n[sl] * p[sl]).astype(np.float32)
        sd = np.sqrt(var[sl]).astype(np.float32)
        z = rng.standard_normal((size, nb), dtype=np.float32)
        z *= sd
        z += mu
        np.rint(z, out=z)
        np.clip(z, 0, n[sl].astype(np.float32), out=z)
        out[:, sl] = z
    if nb < len(n_i):
        sl = slice(nb, None) if prefix else ~big
        out[:, sl] = rng.binomial(n_i[sl], p[sl], size=(size, len(n_i) - nb))
    return out
