"""Comparing two models fairly: scored on the same splits, difference by difference."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ...engine.errors import NnlabValueError, ShapeError
from ..checks import count, finite_array

__all__ = ["PairedComparison", "paired_comparison"]


@dataclass(frozen=True)
class PairedComparison:
    """Score of model A minus score of model B on the same folds / seeds.

    ``mean`` and ``std_error`` of the differences, ``t = mean / std_error`` with ``df`` degrees
    of freedom, and a percentile bootstrap interval ``(ci_low, ci_high)`` for the mean
    difference at level ``confidence``. With ``test_train_ratio`` the standard error carries the
    Nadeau-Bengio correction for cross-validation folds, whose training sets overlap.
    """

    differences: np.ndarray
    mean: float
    std_error: float
    t: float
    df: int
    ci_low: float
    ci_high: float
    confidence: float
    corrected: bool

    def summary(self, precision: int = 4) -> str:
        p = precision
        kind = "corrected " if self.corrected else ""
        return (
            f"{len(self.differences)} paired differences (A - B): mean {self.mean:+.{p}f}, "
            f"{kind}standard error {self.std_error:.{p}f}, t = {self.t:+.2f} (df {self.df}), "
            f"{100 * self.confidence:.0f}% bootstrap interval "
            f"[{self.ci_low:+.{p}f}, {self.ci_high:+.{p}f}]"
        )


def paired_comparison(
    scores_a,
    scores_b,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
    test_train_ratio: float | None = None,
) -> PairedComparison:
    """Compare two models scored on the same splits (same folds, same seeds), pair by pair.

    ``d_i = a_i - b_i``; standard error ``s / sqrt(J)`` (``s`` the sample standard deviation
    of the J differences). Cross-validation folds share most of their training data, so their
    differences are positively correlated and ``s / sqrt(J)`` is too small; giving
    ``test_train_ratio = n_val / n_train`` uses Nadeau and Bengio's corrected standard error
    ``s * sqrt(1/J + n_val/n_train)`` instead. The bootstrap resamples the J differences
    ``n_boot`` times with ``np.random.default_rng(seed)`` (it assumes independent pairs).
    """
    a = finite_array(scores_a, "paired_comparison", "scores_a").astype(np.float64)
    b = finite_array(scores_b, "paired_comparison", "scores_b").astype(np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ShapeError(
            "paired_comparison: scores_a and scores_b must be 1-D with one score per shared "
            f"split, got shapes {a.shape} and {b.shape}"
        )
    if len(a) < 2:
        raise NnlabValueError("paired_comparison: need at least 2 paired scores")
    n_boot = count("n_boot", n_boot, 1, "paired_comparison")
    if not (isinstance(confidence, numbers.Real) and 0 < confidence < 1):
        raise NnlabValueError(
            f"paired_comparison: confidence must lie in (0, 1), got {confidence!r}"
        )
    d = a - b
    J = len(d)
    s = float(np.std(d, ddof=1))
    factor = 1.0 / J
    if test_train_ratio is not None:
        if not (isinstance(test_train_ratio, numbers.Real) and test_train_ratio > 0):
            raise NnlabValueError(
                f"paired_comparison: test_train_ratio must be > 0, got {test_train_ratio!r}"
            )
        factor += float(test_train_ratio)
    se = s * math.sqrt(factor)
    mean = float(np.mean(d))
    t = mean / se if se > 0 else (math.copysign(math.inf, mean) if mean else 0.0)
    rng = np.random.default_rng(seed)
    boot = d[rng.integers(0, J, size=(n_boot, J))].mean(axis=1)
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(boot, [tail, 100 - tail])
    return PairedComparison(
        d,
        mean,
        se,
        float(t),
        J - 1,
        float(low),
        float(high),
        float(confidence),
        test_train_ratio is not None,
    )
