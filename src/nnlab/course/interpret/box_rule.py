"""A readable baseline model: ``predict 1 iff |x_i| <= a and |x_j| <= a``, found by search."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine.errors import NnlabValueError
from ...nn.metrics import accuracy
from .scores import as_batch, labels_for

__all__ = ["BoxRule", "fit_box_rule"]


@dataclass(frozen=True)
class BoxRule:
    """``predict 1 iff |x_i| <= a and |x_j| <= a`` (an axis-aligned square around 0)."""

    features: tuple[int, int]
    half_width: float
    train_accuracy: float

    def scores(self, X) -> np.ndarray:
        """+1 inside the square, -1 outside: a score that is positive exactly for label 1."""
        X = as_batch(X, "BoxRule.scores")
        i, j = self.features
        inside = np.maximum(np.abs(X[:, i]), np.abs(X[:, j])) <= self.half_width
        return np.where(inside, 1.0, -1.0)

    def describe(self) -> str:
        i, j = (k + 1 for k in self.features)
        return f"predict 1 if |x{i}| <= {self.half_width:.2f} and |x{j}| <= {self.half_width:.2f}"


def fit_box_rule(X, y, candidates=None) -> BoxRule:
    """The best square rule ``|x_i|, |x_j| <= a`` on the training data, by exhaustive search
    over feature pairs and half-widths ``a`` (default: 60 values in (0, max |x|])."""
    X = as_batch(X, "fit_box_rule")
    y = labels_for(y, X.shape[0], "fit_box_rule")
    if X.shape[1] < 2:
        raise NnlabValueError("fit_box_rule: needs at least two features")
    if candidates is None:
        candidates = np.linspace(0.05, np.abs(X).max(), 60)
    best = None
    d = X.shape[1]
    for i in range(d):
        for j in range(i + 1, d):
            for a in np.asarray(candidates, dtype=np.float64):
                rule = BoxRule((i, j), float(a), 0.0)
                acc = accuracy(rule.scores(X), y, from_logits=True)
                if best is None or acc > best.train_accuracy + 1e-12:
                    best = BoxRule((i, j), float(a), acc)
    return best
