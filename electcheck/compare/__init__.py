"""Reconciliation of an official tally with an independent one.

``reconcile(official, independent, level=None, registered_from=None)`` aligns the
two tallies unit by unit (or at a common level), computes signed differences
(official − independent), rolls them up by every hierarchy level, measures
coverage, and — for a published aggregate against per-unit tally sheets —
computes the worst-case bound and a stratified ratio estimate. It returns a
:class:`ComparisonResult`; nothing here prints. See ``docs/compare.md``.
"""

from .bound import Bound, compute_bound
from .estimate import Estimate, ratio_estimate
from .reconcile import reconcile
from .result import ComparisonResult

__all__ = ["reconcile", "ComparisonResult", "Bound", "compute_bound", "Estimate", "ratio_estimate"]
