"""The XOR network of handout §1.9 as a learned basis: the data, the handout's weights, every
intermediate value, a test for linear separability and the usual wrong answers.

A 2-2-1 network with ReLU hidden units and a sigmoid output, in the book's convention
(examples are rows, ``z = x @ W + b``, ``W[i, j]`` from input ``i`` to hidden unit ``j``)::

    z = x @ W + b          (hidden pre-activations)
    h = ReLU(z)            (the learned features)
    a = h @ v + c          (the logit)
    p = sigmoid(a)         (the probability of label 1; predict 1 iff p > 0.5 iff a > 0)

The handout's solution is ``W = [[1, -1], [1, -1]]``, ``b = 0``, ``v = (1, 1)``, ``c = -1``.
The numbers come from `MLP.forward` of `xor_network`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.errors import NnlabValueError, ShapeError
from ..nn.metrics import accuracy, predicted_labels
from ..nn.mlp import MLP
from .grading import Mistake, distinct_mistakes

XOR_X = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]])
XOR_Y = np.array([1, 0, 0, 1])
HANDOUT_W = np.array([[1.0, -1.0], [1.0, -1.0]])
HANDOUT_B = np.zeros(2)
HANDOUT_V = np.array([1.0, 1.0])
HANDOUT_C = -1.0

__all__ = [
    "HANDOUT_B",
    "HANDOUT_C",
    "HANDOUT_V",
    "HANDOUT_W",
    "XOR_X",
    "XOR_Y",
    "XorState",
    "best_line_accuracy",
    "check_weights",
    "format_readout",
    "linear_separator",
    "xor_forward",
    "xor_mistakes",
    "xor_network",
]


def _matrix(value, shape, name, where: str) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape != shape:
        raise ShapeError(f"{where}: {name} must have shape {shape}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise NnlabValueError(f"{where}: {name} contains nan or inf")
    return arr


def check_weights(W_hid, b_hid, v, c, where: str):
    """The four weight arguments checked, the handout's values where None is given."""
    W_hid = HANDOUT_W if W_hid is None else _matrix(W_hid, (2, 2), "W", where)
    b_hid = HANDOUT_B if b_hid is None else _matrix(b_hid, (2,), "b", where)
    v = HANDOUT_V if v is None else _matrix(v, (2,), "v", where)
    c = HANDOUT_C if c is None else float(_matrix(c, (), "c", where))
    return W_hid, b_hid, v, c


def xor_network(
    W_hid=None, b_hid=None, v=None, c=None, activation: str = "relu", where="xor_network"
) -> MLP:
    """The 2-2-1 network with these weights (default: the handout's solution).

    ``activation="identity"`` gives the same weights with the ReLU left out (a usual slip).
    """
    W_hid, b_hid, v, c = check_weights(W_hid, b_hid, v, c, where)
    net = MLP([2, 2, 1], activation=activation, output="sigmoid")
    net.set_parameters([W_hid, b_hid, v[:, None], np.array([c])])
    return net


@dataclass(frozen=True)
class XorState:
    """Every intermediate value of the 2-2-1 network on the points ``X``."""

    X: np.ndarray
    y: np.ndarray
    z: np.ndarray  # (n, 2) hidden pre-activations x @ W + b
    h: np.ndarray  # (n, 2) ReLU(z)
    logits: np.ndarray  # (n,) h @ v + c
    probs: np.ndarray  # (n,) sigmoid(logits)
    predictions: np.ndarray  # (n,) 1 where probs > 0.5
    accuracy: float
    separable: bool  # can some line separate the classes in hidden space?
    v: np.ndarray  # output weights
    c: float  # output bias


def xor_forward(W_hid, b_hid=None, v=None, c=None, X=None, y=None) -> XorState:
    """Run the 2-2-1 ReLU/sigmoid network (defaults: the handout's solution on the XOR data)."""
    where = "xor_forward"
    W_hid, b_hid, v, c = check_weights(W_hid, b_hid, v, c, where)
    X, y = _points_and_labels(XOR_X if X is None else X, XOR_Y if y is None else y, where)
    fp = xor_network(W_hid, b_hid, v, c, where=where).forward(X)
    z, h = np.asarray(fp.z[0]), np.asarray(fp.a[1])
    logits, probs = np.asarray(fp.logits)[:, 0], np.asarray(fp.output)[:, 0]
    predictions = predicted_labels(probs)
    separable = linear_separator(h, y) is not None
    return XorState(X, y, z, h, logits, probs, predictions, accuracy(probs, y), separable, v, c)


def _points_and_labels(X, y, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Points in the plane, shape (n, 2), and their labels, shape (n,), or a ShapeError."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
        raise ShapeError(
            f"{where}: points must have shape (n, 2) and labels shape (n,), "
            f"got {X.shape} and {y.shape}"
        )
    return X, y


def linear_separator(P, y, tol: float = 1e-9):
    """A line ``n . p = t`` with class 1 strictly above and class 0 strictly below, or None.

    Exact for points in the plane: if two finite sets can be separated by a line, the
    maximum-margin line's normal is parallel to the difference of two points or
    perpendicular to it, so trying those directions (both signs) decides the question.
    Returns ``(normal, threshold)`` with the threshold halfway between the classes.
    """
    P, y = _points_and_labels(P, y, "linear_separator")
    ones, zeros = P[y == 1], P[y == 0]
    if len(ones) == 0 or len(zeros) == 0:
        return np.array([1.0, 0.0]), (np.min(P[:, 0]) - 1.0 if len(ones) else np.max(P[:, 0]) + 1.0)
    candidates = []
    for i in range(len(P)):
        for j in range(i + 1, len(P)):
            d = P[j] - P[i]
            if np.linalg.norm(d) > tol:
                candidates += [d, np.array([-d[1], d[0]])]
    best = None
    for d in candidates:
        for normal in (d, -d):
            normal = normal / np.linalg.norm(normal)
            low, high = np.max(zeros @ normal), np.min(ones @ normal)
            gap = high - low
            if gap > tol and (best is None or gap > best[0]):
                best = (gap, normal, (low + high) / 2.0)
    return None if best is None else (best[1], float(best[2]))


def format_readout(state: XorState) -> str:
    """A plain-text table of every point's z, h, logit and probability, then the verdicts."""
    lines = [
        "point  x          z = xW+b           h = ReLU(z)        logit a   h(x)=sig(a)  pred  y"
    ]
    for k in range(len(state.X)):
        x, z, h = state.X[k], state.z[k], state.h[k]
        lines.append(
            f"x{k + 1:<4} ({x[0]:+.0f},{x[1]:+.0f})  ({z[0]:+.3f}, {z[1]:+.3f})  "
            f"({h[0]:+.3f}, {h[1]:+.3f})  {state.logits[k]:+.4f}   {state.probs[k]:.6f}     "
            f"{state.predictions[k]}     {state.y[k]}"
        )
    lines.append(
        "hidden points linearly separable: "
        + ("yes" if state.separable else "no")
        + f"   network accuracy: {int(round(state.accuracy * len(state.X)))}/{len(state.X)}"
    )
    return "\n".join(lines)


def xor_mistakes(W_hid, b_hid, v, c, point: int) -> tuple[float, list[Mistake]]:
    """The right output h(x_point) and the usual wrong ones: the logit, a missing ReLU, a
    transposed W.

    ``point`` counts from 1 (x1..x4 of the XOR data). Mistakes that `grade` could not tell
    from the right answer (or from an earlier mistake) are left out, so every hint is reachable.
    """
    where = "xor_mistakes"
    if point not in (1, 2, 3, 4):
        raise NnlabValueError(f"{where}: point must be 1, 2, 3 or 4 (x1..x4), got {point!r}")
    W_hid, b_hid, v, c = check_weights(W_hid, b_hid, v, c, where)
    x, y = XOR_X[point - 1 : point], XOR_Y[point - 1 : point]
    right = xor_forward(W_hid, b_hid, v, c, x, y)
    expected = float(right.probs[0])
    no_relu = xor_network(W_hid, b_hid, v, c, activation="identity", where=where)(x)
    transposed = xor_forward(W_hid.T, b_hid, v, c, x, y)
    return expected, distinct_mistakes(
        expected,
        [
            (
                float(right.logits[0]),
                "That is the logit a(x) = v.h + c. The network's output "
                "is h(x) = sigmoid(a(x)) (the handout makes the same slip).",
            ),
            (
                float(no_relu[0, 0]),
                "You skipped the ReLU: negative hidden pre-activations become 0 "
                "before the output layer.",
            ),
            (
                float(transposed.probs[0]),
                "You used the transposed W. In this book "
                "z_j = sum_i x_i W[i, j]: W[i, j] connects input i to hidden unit j.",
            ),
        ],
    )


def best_line_accuracy(X, y, n_angles: int = 720, offsets=None) -> tuple[float, int]:
    """The best accuracy of the lines ``x . (cos t, sin t) + beta > 0`` over a grid of
    ``n_angles`` directions and ``offsets`` (default 121 values in [-3, 3]), and how many lines
    were tried. A brute-force check of `linear_separator` on small point sets."""
    X, y = _points_and_labels(X, y, "best_line_accuracy")
    if not (isinstance(n_angles, int) and n_angles >= 1):
        raise NnlabValueError(
            f"best_line_accuracy: n_angles must be a positive int, got {n_angles!r}"
        )
    offsets = np.linspace(-3, 3, 121) if offsets is None else np.asarray(offsets, dtype=np.float64)
    angles = np.linspace(0, 2 * np.pi, n_angles, endpoint=False)
    U = np.stack([np.cos(angles), np.sin(angles)])  # (2, n_angles)
    scores = (X @ U)[:, :, None] + offsets[None, None, :]  # (n, angles, offsets)
    correct = (scores > 0) == (y[:, None, None] == 1)
    return float(np.max(np.mean(correct, axis=0))), int(angles.size * offsets.size)
