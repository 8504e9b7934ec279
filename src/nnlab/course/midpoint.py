"""The permutation midpoint by hand (chapter 7): a ReLU network with one input and two hidden
units, yhat = v1 ReLU(w1 x) + v2 ReLU(w2 x), mean squared error on a few points.

Swapping the two units maps (w1, w2, v1, v2) to (w2, w1, v2, v1): the same function, so the
same loss. `midpoint_losses` gives the loss at theta, at the swapped pi(theta) and at their
midpoint, with every prediction (the numbers a student writes down); `midpoint_mistakes` the
usual wrong midpoint losses, for a self-check.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..engine.errors import NnlabValueError
from .grading import Mistake, distinct_mistakes

__all__ = ["midpoint_losses", "midpoint_mistakes", "predict"]


def _pair(values, name: str, where: str) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.shape != (2,) or not np.all(np.isfinite(arr)):
        raise NnlabValueError(f"{where}: {name} must be two finite numbers, got {values!r}")
    return arr


def _data(x, y, where: str) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape or x.size == 0:
        raise NnlabValueError(
            f"{where}: x and y must be 1-D and of the same non-zero length, got shapes "
            f"{x.shape} and {y.shape}"
        )
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise NnlabValueError(f"{where}: x and y must be finite")
    return x, y


def predict(w: Sequence[float], v: Sequence[float], x) -> np.ndarray:
    """yhat = v1 ReLU(w1 x) + v2 ReLU(w2 x) for each entry of the 1-D array ``x``."""
    w, v = _pair(w, "w", "predict"), _pair(v, "v", "predict")
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(np.outer(x, w), 0.0) @ v


def midpoint_losses(w, v, x, y) -> dict:
    """Mean squared error at theta = (w, v), at the swapped pi(theta) and at the midpoint.

    Returns ``theta``, ``pi_theta`` and ``mid`` (each a dict with ``w``, ``v``, ``yhat`` and
    ``loss``) and ``gap`` = L(mid) - L(theta); convexity would need ``gap <= 0``.
    """
    w, v = _pair(w, "w", "midpoint_losses"), _pair(v, "v", "midpoint_losses")
    x, y = _data(x, y, "midpoint_losses")
    points = {"theta": (w, v), "pi_theta": (w[::-1], v[::-1])}
    points["mid"] = ((w + w[::-1]) / 2, (v + v[::-1]) / 2)
    out = {}
    for name, (wp, vp) in points.items():
        yhat = predict(wp, vp, x)
        out[name] = {"w": wp, "v": vp, "yhat": yhat, "loss": float(np.mean((yhat - y) ** 2))}
    out["gap"] = out["mid"]["loss"] - out["theta"]["loss"]
    return out


def midpoint_mistakes(w, v, x, y) -> list[Mistake]:
    """The usual wrong midpoint losses for these weights and data, each with its hint."""
    r = midpoint_losses(w, v, x, y)
    x, y = _data(x, y, "midpoint_mistakes")
    w, v = _pair(w, "w", "midpoint_mistakes"), _pair(v, "v", "midpoint_mistakes")
    mid_w, mid_v = r["mid"]["w"], r["mid"]["v"]
    no_relu = np.outer(x, mid_w) @ mid_v
    candidates = [
        (
            float(np.sum((r["mid"]["yhat"] - y) ** 2)),
            "The loss is the mean of the squared errors: divide the sum by the number of points.",
        ),
        (
            float(np.mean((no_relu - y) ** 2)),
            "Apply ReLU to each hidden unit's input first: a negative w x gives 0.",
        ),
        (
            float(np.mean((predict(mid_w, v, x) - y) ** 2)),
            "The outgoing weights are swapped and averaged too: v becomes (v1 + v2) / 2 for both.",
        ),
        (
            (r["theta"]["loss"] + r["pi_theta"]["loss"]) / 2,
            "That is the chord, the average of the two end losses; evaluate the loss at the "
            "midpoint's weights instead.",
        ),
    ]
    return distinct_mistakes(r["mid"]["loss"], [(val, h) for val, h in candidates
                                                 if math.isfinite(val)])  # fmt: skip
