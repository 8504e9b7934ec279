"""Loss functions (mean over examples) that accept Tensors or arrays.

Labels are checked before any arithmetic, so a wrong label set fails with a
message about labels, not with a nan three layers later.
"""

from __future__ import annotations

import numpy as np

from ..engine import ops
from ..engine import primitives as P
from ..engine.errors import NnlabValueError, ShapeError, unknown_name
from ..engine.tensor import Tensor, apply
from .mlp import check_finite


def _values(x):
    return x.value if isinstance(x, Tensor) else np.asarray(x)


def _match_targets(pred, y, loss: str) -> np.ndarray:
    """Targets shaped like the predictions; (n,) targets fit (n, 1) predictions."""
    y = check_finite(y, loss, "targets")
    shape = np.shape(_values(pred))
    if y.shape == shape:
        return y
    if len(shape) == 2 and shape[1] == 1 and y.shape == (shape[0],):
        return y[:, None]
    raise ShapeError(f"{loss}: predictions have shape {shape} but targets have shape {y.shape}")


def _check_binary(y, loss: str) -> np.ndarray:
    if not ((y == 0) | (y == 1)).all():
        bad = np.unique(y[(y != 0) & (y != 1)])
        raise NnlabValueError(f"{loss}: labels must be 0 or 1, got {bad[:5].tolist()}")
    return y.astype(np.result_type(y, np.float32), copy=False)


def mse(pred, y):
    """Mean squared error, mean over all entries of (pred - y)**2."""
    y = _match_targets(pred, y, "mse")
    diff = pred - y
    return ops.mean(diff * diff)


def binary_cross_entropy(p, y):
    """-mean(y log p + (1 - y) log(1 - p)) for probabilities p in [0, 1] and labels in {0, 1}.

    p = 0 with y = 1 (or p = 1 with y = 0) gives an infinite loss: prefer
    `binary_cross_entropy_with_logits` when the network outputs logits.
    """
    y = _check_binary(_match_targets(p, y, "binary_cross_entropy"), "binary_cross_entropy")
    pv = _values(p)
    if np.any((pv < 0) | (pv > 1)):
        raise NnlabValueError(
            "binary_cross_entropy: predictions must be probabilities in [0, 1], got values in "
            f"[{np.min(pv):.4g}, {np.max(pv):.4g}] (an output layer without a sigmoid?)"
        )
    # With y in {0, 1}, y p + (1 - y)(1 - p) is the probability given to the true label;
    # taking its log avoids 0 * log(0) = nan for a confident correct prediction.
    with np.errstate(divide="ignore"):
        return -ops.mean(ops.log(y * p + (1 - y) * (1 - p)))


def binary_cross_entropy_with_logits(z, y):
    """Binary cross-entropy of sigmoid(z), computed as mean(softplus(z) - y z): no overflow.

    One fused primitive, whose gradient is (sigmoid(z) - y) / n.
    """
    where = "binary_cross_entropy_with_logits"
    y = _check_binary(_match_targets(z, y, where), where)
    return apply(P.bce_with_logits, z, y)


def one_hot(labels, num_classes: int) -> np.ndarray:
    """Rows of the identity: label k becomes e_k (float64)."""
    return _one_hot(labels, num_classes, "one_hot")


def _one_hot(labels, num_classes: int, where: str) -> np.ndarray:
    labels = np.asarray(labels)
    integral = labels.dtype.kind in "iu" or (
        labels.dtype.kind == "f" and np.all(labels == np.round(labels))
    )
    if labels.ndim != 1 or not integral:
        raise NnlabValueError(
            f"{where}: labels must be a 1-D array of integers, got {labels!r:.80}"
        )
    labels = labels.astype(int)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise NnlabValueError(
            f"{where}: labels must lie in 0..{num_classes - 1} for {num_classes} classes, "
            f"got values from {labels.min()} to {labels.max()}"
        )
    return np.eye(num_classes)[labels]


def softmax_cross_entropy(logits, y):
    """Mean of -log softmax(logits)[label], with integer labels (n,) or one-hot rows (n, k).

    One fused primitive, whose gradient is (softmax(logits) - one_hot) / n.
    """
    shape = np.shape(_values(logits))
    if len(shape) != 2:
        raise ShapeError(f"softmax_cross_entropy: logits must have shape (n, k), got {shape}")
    y = check_finite(y, "softmax_cross_entropy", "labels")
    if y.ndim == 1:
        if y.shape[0] != shape[0]:
            raise ShapeError(
                f"softmax_cross_entropy: {shape[0]} rows of logits but {y.shape[0]} labels"
            )
        y = _one_hot(y, shape[1], "softmax_cross_entropy")
    elif y.shape != shape:
        raise ShapeError(
            f"softmax_cross_entropy: logits have shape {shape} but one-hot labels {y.shape}"
        )
    y = y.astype(np.result_type(_values(logits).dtype, np.float32), copy=False)
    return apply(P.softmax_cross_entropy, logits, y)


LOSSES = {
    "mse": mse,
    "bce": binary_cross_entropy,
    "bce_logits": binary_cross_entropy_with_logits,
    "softmax_ce": softmax_cross_entropy,
}


def get_loss(name: str):
    """Look up a loss by name; the error lists the valid names."""
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise unknown_name("get_loss", "loss", name, LOSSES) from None
