"""Global feature importance by perturbation: one number per feature, the drop in accuracy.

`occlusion_importance` replaces a feature by its mean, a constant or noise;
`permutation_importance` shuffles it across examples. Accuracy counts ``f(X) > threshold``
as label 1 (``f`` a score function returning logits: threshold 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine.errors import NnlabValueError
from ...nn.metrics import accuracy
from .scores import as_batch, labels_for, row_scores

__all__ = ["FILLS", "Importance", "occlusion_importance", "permutation_importance"]

FILLS = ("mean", "noise")


@dataclass(frozen=True)
class Importance:
    """Accuracy with intact inputs (``base``), after perturbing each feature (``perturbed``,
    averaged over repeats) and the drops ``base - perturbed`` (one per feature)."""

    base: float
    perturbed: np.ndarray
    method: str

    @property
    def drops(self) -> np.ndarray:
        return self.base - self.perturbed


def _repeats(repeats, where: str) -> int:
    if not (
        isinstance(repeats, int | np.integer) and not isinstance(repeats, bool) and repeats > 0
    ):
        raise NnlabValueError(f"{where}: repeats must be a positive integer, got {repeats!r}")
    return int(repeats)


def _column_drop(f, X, y, replace, repeats: int, threshold: float, where: str):
    """Accuracy on ``X``, and mean accuracy with each column j swapped for ``replace(X[:, j])``."""

    def score(Z):
        # scores > threshold exactly when scores - threshold > 0 (IEEE subtraction is exact
        # about the sign), so this is accuracy at any threshold
        return accuracy(row_scores(f, Z, where) - threshold, y, from_logits=True)

    base = score(X)
    perturbed = np.zeros(X.shape[1])
    for j in range(X.shape[1]):
        for _ in range(repeats):
            Xj = X.copy()
            Xj[:, j] = replace(X[:, j])
            perturbed[j] += score(Xj) / repeats
    return base, perturbed


def occlusion_importance(
    f, X, y, fill="mean", repeats: int = 1, seed: int = 0, threshold: float = 0.0
) -> Importance:
    """Accuracy drop when one feature at a time is replaced, for every example.

    ``fill``: "mean" (the feature's mean over ``X``), "noise" (fresh gaussian noise with the
    feature's mean and standard deviation, averaged over ``repeats`` draws) or a number.
    Accuracy counts ``f(X) > threshold`` as label 1 (logits: threshold 0).
    """
    where = "occlusion_importance"
    X = as_batch(X, where)
    y = labels_for(y, X.shape[0], where)
    if isinstance(fill, str) and fill not in FILLS:
        raise NnlabValueError(f"{where}: unknown fill {fill!r}; use 'mean', 'noise' or a number")
    if not isinstance(fill, str) and not np.isfinite(np.asarray(fill, dtype=np.float64)).all():
        raise NnlabValueError(
            f"{where}: fill must be 'mean', 'noise' or a finite number, got {fill!r}"
        )
    repeats = _repeats(repeats, where) if fill == "noise" else 1
    rng = np.random.default_rng(seed)

    def replace(column):
        if fill == "mean":
            return np.full_like(column, column.mean())
        if fill == "noise":
            return column.mean() + column.std() * rng.standard_normal(len(column))
        return np.full_like(column, float(fill))

    base, perturbed = _column_drop(f, X, y, replace, repeats, threshold, where)
    return Importance(base, perturbed, f"occlusion ({fill})")


def permutation_importance(
    f, X, y, repeats: int = 10, seed: int = 0, threshold: float = 0.0
) -> Importance:
    """Accuracy drop when one feature's column is shuffled across examples (``repeats`` times).

    Shuffling keeps the feature's distribution but breaks its link to the label and to the
    other features.
    """
    where = "permutation_importance"
    X = as_batch(X, where)
    y = labels_for(y, X.shape[0], where)
    repeats = _repeats(repeats, where)
    rng = np.random.default_rng(seed)
    base, perturbed = _column_drop(
        f, X, y, lambda column: column[rng.permutation(len(column))], repeats, threshold, where
    )
    return Importance(base, perturbed, "permutation")
