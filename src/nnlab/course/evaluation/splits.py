"""Cross-validation folds: which rows each fold fits on and which it scores on."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...engine.errors import NnlabValueError, ShapeError
from ..checks import count, finite_array

__all__ = ["Fold", "kfold_indices", "stack_folds"]


class Fold(NamedTuple):
    """Row indices of one cross-validation fold: fit on ``train``, score on ``val``."""

    train: np.ndarray
    val: np.ndarray


def kfold_indices(n: int, k: int = 5, seed: int = 0, shuffle: bool = True) -> list[Fold]:
    """Split ``range(n)`` into ``k`` folds of sizes differing by at most one.

    Fold ``i`` validates on part ``i`` and trains on the other ``k - 1`` parts, so every
    example is validated on exactly once. The rows are shuffled with
    ``np.random.default_rng(seed)`` first (``shuffle=False`` keeps their order). Two models
    compared fairly use the same folds: call this once and reuse the list.
    """
    n = count("n", n, 2, "kfold_indices")
    k = count("k", k, 2, "kfold_indices")
    if k > n:
        raise NnlabValueError(f"kfold_indices: k = {k} folds need at least k examples, got n = {n}")
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    parts = np.array_split(order, k)
    return [
        Fold(np.sort(np.concatenate(parts[:i] + parts[i + 1 :])), np.sort(part))
        for i, part in enumerate(parts)
    ]


def stack_folds(X, y, folds):
    """The folds' training and validation sets stacked along a new first axis.

    Returns ``(xs_train, ys_train, xs_val, ys_val)`` with shapes (k, n_train, d), (k, n_train),
    (k, n_val, d), (k, n_val): the form `fit_mlps` takes, so one call trains a network per fold.
    The folds must have equal sizes (``len(X)`` divisible by ``k``).
    """
    X, y = finite_array(X, "stack_folds", "X"), finite_array(y, "stack_folds", "y")
    if X.ndim != 2 or y.shape != (len(X),):
        raise ShapeError(f"stack_folds: X must be (n, d) and y (n,), got {X.shape} and {y.shape}")
    folds = list(folds)
    if not folds:
        raise NnlabValueError("stack_folds: no folds given")
    if len({len(fold.train) for fold in folds}) != 1 or len({len(fold.val) for fold in folds}) != 1:
        raise NnlabValueError(
            f"stack_folds: folds of unequal sizes cannot be stacked; use n = {len(X)} divisible "
            f"by k = {len(folds)}, or loop over the folds"
        )
    return (
        np.stack([X[fold.train] for fold in folds]),
        np.stack([y[fold.train] for fold in folds]),
        np.stack([X[fold.val] for fold in folds]),
        np.stack([y[fold.val] for fold in folds]),
    )
