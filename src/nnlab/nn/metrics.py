"""Scores of predictions as plain floats: one accuracy, one mean squared error, one log loss.

Every metric takes ``(pred, y)`` in that order, as the losses do. An ``(n, 1)`` column of
predictions counts as ``(n,)`` against ``(n,)`` targets. Unlike the losses these are not
differentiable: they are for reporting, never for training.
"""

from __future__ import annotations

import numpy as np

from ..engine.errors import NnlabValueError, ShapeError
from .mlp import check_finite


def _paired(pred, y, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Predictions and targets as finite arrays of one shape."""
    pred = np.asarray(check_finite(pred, where, "predictions"))
    y = np.asarray(check_finite(y, where, "targets"))
    if pred.ndim == 2 and pred.shape[1] == 1 and y.ndim == 1:
        pred = pred[:, 0]
    if y.ndim == 2 and y.shape[1] == 1 and pred.ndim == 1:
        y = y[:, 0]
    if y.shape != pred.shape:
        raise ShapeError(
            f"{where}: predictions of shape {pred.shape} and targets of shape {y.shape} "
            "do not match (one prediction per target)"
        )
    if y.size == 0:
        raise NnlabValueError(f"{where}: no examples to score")
    return pred, y


def mse(pred, y) -> float:
    """``mean((pred - y)**2)`` over all entries, as a float."""
    pred, y = _paired(pred, y, "mse")
    return float(np.mean((pred - y) ** 2))


def predicted_labels(pred, from_logits: bool = False) -> np.ndarray:
    """Class labels from predictions.

    ``pred`` is integer labels (returned as they are), one row of class scores per example
    (arg max), or one number per example: a probability of label 1 (label 1 when
    ``pred > 0.5``, the handout's rule) or, with ``from_logits=True``, a logit (label 1
    when ``pred > 0``; the same decision, since sigmoid(z) > 1/2 exactly when z > 0).
    """
    return _labels(pred, from_logits, "predicted_labels")


def _labels(pred, from_logits: bool, where: str) -> np.ndarray:
    pred = np.asarray(check_finite(pred, where, "predictions"))
    if pred.ndim == 2 and pred.shape[1] > 1:
        return np.argmax(pred, axis=1)
    if pred.dtype.kind in "biu":
        return pred
    if from_logits:
        return (pred > 0).astype(np.int64)
    if np.any((pred < 0) | (pred > 1)):
        raise NnlabValueError(
            f"{where}: float predictions must be probabilities in [0, 1]; pass "
            "from_logits=True for logits, or integer labels, or an (n, k) array of class scores"
        )
    return (pred > 0.5).astype(np.int64)


def accuracy(pred, y, from_logits: bool = False) -> float:
    """Fraction of examples whose predicted label (see `predicted_labels`) equals ``y``."""
    pred = np.asarray(check_finite(pred, "accuracy", "predictions"))
    y = np.asarray(check_finite(y, "accuracy", "labels"))
    if pred.ndim == 2 and pred.shape[1] > 1 and (y.ndim != 1 or len(y) != len(pred)):
        raise ShapeError(
            f"accuracy: {len(pred)} rows of class scores for labels of shape {y.shape}"
        )
    labels, y = _paired(_labels(pred, from_logits, "accuracy"), y, "accuracy")
    return float(np.mean(labels == y))


def log_loss(pred, y, eps: float = 1e-12) -> float:
    """Average negative log-probability of the true label (cross-entropy), as a float.

    Binary: ``pred`` holds P(label 1), one per example, and ``y`` labels in {0, 1}. Several
    classes: ``pred`` has one row of probabilities per example (rows summing to 1) and ``y``
    integer labels. Probabilities are clipped to [eps, 1 - eps] so a confident mistake costs
    about ``-log(eps)`` instead of infinity.
    """
    p = np.asarray(check_finite(pred, "log_loss", "probabilities"))
    y = np.asarray(check_finite(y, "log_loss", "labels"))
    if np.any((p < 0) | (p > 1)):
        raise NnlabValueError("log_loss: probabilities must lie in [0, 1]")
    if p.ndim == 2 and p.shape[1] > 1:
        if y.ndim != 1 or len(y) != len(p):
            raise ShapeError(f"log_loss: {len(p)} rows of probabilities for labels {y.shape}")
        if not np.allclose(p.sum(axis=1), 1.0, atol=1e-6):
            raise NnlabValueError("log_loss: each row of class probabilities must sum to 1")
        if not np.all((y == np.round(y)) & (y >= 0) & (y < p.shape[1])):
            raise NnlabValueError(f"log_loss: labels must be integers in 0..{p.shape[1] - 1}")
        picked = p[np.arange(len(y)), y.astype(np.int64)]
        return float(-np.mean(np.log(np.clip(picked, eps, 1.0))))
    p, y = _paired(p, y, "log_loss")
    if not np.all((y == 0) | (y == 1)):
        raise NnlabValueError("log_loss: binary labels must be 0 or 1")
    p = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
