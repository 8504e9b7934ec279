"""Score functions: what the interpretation methods look at.

A *score function* ``f`` maps a batch ``X`` of shape ``(n, d)`` (array or Tensor) to ``n``
scores, one per row, and each row's score depends on that row only (true for every
`nnlab.MLP`). Because rows do not interact, the gradient of ``sum_i f(X)_i`` with respect to
``X`` holds every row's input gradient at once, so each gradient method costs one reverse
pass per batch. `score_function(net)` builds one from a network: its logit.

The checks here (`as_batch`, `baseline_like`, `row_scores`, `labels_for`) are shared by the
other modules of `nnlab.course.interpret`; ``where`` names the public function that called.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...engine.errors import NnlabTypeError, NnlabValueError, ShapeError
from ...engine.tensor import Tensor
from ...nn.mlp import MLP

__all__ = ["as_batch", "baseline_like", "labels_for", "row_scores", "score_function"]


def as_batch(X, where: str, what: str = "X") -> np.ndarray:
    """``X`` as a finite float (n, d) array; one example (d,) becomes a batch of one."""
    X = np.asarray(X.value if isinstance(X, Tensor) else X, dtype=np.float64)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.shape[0] == 0:
        raise ShapeError(
            f"{where}: {what} must be one example (d,) or a batch (n, d), got shape {X.shape}"
        )
    if not np.all(np.isfinite(X)):
        raise NnlabValueError(f"{where}: {what} contains nan or inf")
    return X


def baseline_like(baseline, X: np.ndarray, where: str, what: str = "baseline") -> np.ndarray:
    """One reference point per row of ``X`` (zeros by default), broadcast from (d,) or (n, d)."""
    if baseline is None:
        return np.zeros_like(X)
    B = np.asarray(baseline, dtype=np.float64)
    try:
        B = np.broadcast_to(B, X.shape).copy()
    except ValueError:
        raise ShapeError(
            f"{where}: {what} of shape {B.shape} does not fit inputs of shape {X.shape}; "
            f"give one point ({X.shape[1]},) or one per example {X.shape}"
        ) from None
    if not np.all(np.isfinite(B)):
        raise NnlabValueError(f"{where}: {what} contains nan or inf")
    return B


def row_scores(f, X: np.ndarray, where: str) -> np.ndarray:
    """``f(X)`` as a float vector of one score per row (the check every method relies on)."""
    out = f(X)
    out = np.asarray(out.value if isinstance(out, Tensor) else out, dtype=np.float64)
    if out.size != X.shape[0]:
        raise ShapeError(
            f"{where}: a score function must return one score per row: {X.shape[0]} rows gave "
            f"output of shape {out.shape}"
        )
    return out.reshape(-1)


def labels_for(y, n: int, where: str) -> np.ndarray:
    """Labels ``y`` as a vector of ``n`` entries, one per example."""
    y = np.asarray(y).reshape(-1)
    if y.shape != (n,):
        raise ShapeError(f"{where}: labels y must have shape ({n},), got {y.shape}")
    return y


def score_function(net: MLP, output: int = 0) -> Callable:
    """``f(X) = net.logits(X)[:, output]``: the network's logit, usable by `nnlab.grad`.

    For a sigmoid output the logit is positive exactly where the predicted class is 1.
    """
    if not isinstance(net, MLP):
        raise NnlabTypeError(f"score_function: needs an nnlab.MLP, got {type(net).__name__}")
    if not (isinstance(output, int | np.integer) and 0 <= output < net.sizes[-1]):
        raise NnlabValueError(
            f"score_function: output must be an index in 0..{net.sizes[-1] - 1}, got {output!r}"
        )

    def f(X):
        if not isinstance(X, Tensor) and np.ndim(X) == 1:
            X = np.asarray(X)[None, :]  # one example
        return net.logits(X)[:, int(output)]

    return f
