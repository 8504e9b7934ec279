"""The XOR network of handout §1.9 as a learned basis: pure functions, an explorer, a self-check.

A 2-2-1 network with ReLU hidden units and a sigmoid output, in the book's convention
(examples are rows, ``z = x @ W + b``, ``W[i, j]`` from input ``i`` to hidden unit ``j``)::

    z = x @ W + b          (hidden pre-activations)
    h = ReLU(z)            (the learned features)
    a = h @ v + c          (the logit)
    p = sigmoid(a)         (the probability of label 1; predict 1 iff p > 0.5 iff a > 0)

The handout's solution is ``W = [[1, -1], [1, -1]]``, ``b = 0``, ``v = (1, 1)``, ``c = -1``.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import numpy as np

from ..engine import ops
from .core import Explorer, Mistake, SelfCheck

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
    "format_readout",
    "linear_separator",
    "xor_explorer",
    "xor_forward",
    "xor_selfcheck",
]


def _matrix(value, shape, name) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains nan or inf")
    return arr


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
    W_hid = _matrix(W_hid, (2, 2), "W")
    b_hid = HANDOUT_B if b_hid is None else _matrix(b_hid, (2,), "b")
    v = HANDOUT_V if v is None else _matrix(v, (2,), "v")
    c = HANDOUT_C if c is None else float(_matrix(c, (), "c"))
    X = XOR_X if X is None else np.asarray(X, dtype=np.float64)
    y = XOR_Y if y is None else np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must have shape (n, 2) and y shape (n,), got {X.shape} and {y.shape}")
    z = X @ W_hid + b_hid
    h = np.asarray(ops.relu(z))
    logits = h @ v + c
    probs = np.asarray(ops.sigmoid(logits))
    predictions = (probs > 0.5).astype(int)
    separable = linear_separator(h, y) is not None
    return XorState(
        X, y, z, h, logits, probs, predictions, float(np.mean(predictions == y)), separable, v, c
    )


def linear_separator(P, y, tol: float = 1e-9):
    """A line ``n . p = t`` with class 1 strictly above and class 0 strictly below, or None.

    Exact for points in the plane: if two finite sets can be separated by a line, the
    maximum-margin line's normal is parallel to the difference of two points or
    perpendicular to it, so trying those directions (both signs) decides the question.
    Returns ``(normal, threshold)`` with the threshold halfway between the classes.
    """
    P = np.asarray(P, dtype=np.float64)
    y = np.asarray(y)
    if P.ndim != 2 or P.shape[1] != 2 or y.shape != (P.shape[0],):
        raise ValueError(f"points must have shape (n, 2) and labels (n,), got {P.shape}, {y.shape}")
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


def xor_explorer(W_hid=HANDOUT_W, b_hid=HANDOUT_B, v=HANDOUT_V, c=HANDOUT_C) -> Explorer:
    """Sliders for W (entry ``wij`` = W[i-1, j-1], input i to hidden j), b, v and c.

    Outputs: the three linked panels (input, after x @ W + b, after ReLU) and the readout.
    """
    from ..plots import basis as plots_basis

    def slider(name, value, low=-3.0, high=3.0):
        return W.FloatSlider(
            value=float(value),
            min=low,
            max=high,
            step=0.1,
            description=name,
            continuous_update=False,
            readout_format=".1f",
        )

    W_hid = _matrix(W_hid, (2, 2), "W")
    controls = {
        "w11": slider("w11", W_hid[0, 0]),
        "w12": slider("w12", W_hid[0, 1]),
        "w21": slider("w21", W_hid[1, 0]),
        "w22": slider("w22", W_hid[1, 1]),
        "b1": slider("b1", b_hid[0]),
        "b2": slider("b2", b_hid[1]),
        "v1": slider("v1", v[0]),
        "v2": slider("v2", v[1]),
        "c": slider("c", c),
    }

    def render(w11, w12, w21, w22, b1, b2, v1, v2, c):
        state = xor_forward([[w11, w12], [w21, w22]], [b1, b2], [v1, v2], c)
        return [plots_basis.plot_xor_panels(state), format_readout(state)]

    return Explorer(controls, render)


def xor_selfcheck(W_hid, b_hid, v, c, point: int) -> SelfCheck:
    """Ask for h(x_point) = sigmoid(logit); hints for the logit, a missing ReLU, a transposed W.

    ``point`` counts from 1 (x1..x4 of the XOR data). Mistakes whose value coincides
    with the right answer are left out, so every listed hint is reachable.
    """
    if point not in (1, 2, 3, 4):
        raise ValueError(f"point must be 1, 2, 3 or 4 (x1..x4), got {point!r}")
    W_hid = _matrix(W_hid, (2, 2), "W")
    b_hid, v = _matrix(b_hid, (2,), "b"), _matrix(v, (2,), "v")
    x = XOR_X[point - 1 : point]
    right = xor_forward(W_hid, b_hid, v, c, x, XOR_Y[point - 1 : point])
    expected = float(right.probs[0])

    def sig(a):
        return float(1 / (1 + np.exp(-a)))

    no_relu = float(((x @ W_hid + b_hid) @ v + c)[0])
    transposed = xor_forward(W_hid.T, b_hid, v, c, x, XOR_Y[point - 1 : point])
    candidates = [
        Mistake(
            float(right.logits[0]),
            "That is the logit a(x) = v.h + c. The network's output "
            "is h(x) = sigmoid(a(x)) (the handout makes the same slip).",
        ),
        Mistake(
            sig(no_relu),
            "You skipped the ReLU: negative hidden pre-activations become 0 "
            "before the output layer.",
        ),
        Mistake(
            float(transposed.probs[0]),
            "You used the transposed W. In this book "
            "z_j = sum_i x_i W[i, j]: W[i, j] connects input i to hidden unit j.",
        ),
    ]
    mistakes, seen = [], [expected]
    for m in candidates:
        if all(abs(m.value - s) > 1e-6 for s in seen):
            mistakes.append(m)
            seen.append(m.value)
    prompt = (
        f"With W = {W_hid.tolist()}, b = {b_hid.tolist()}, v = {v.tolist()}, c = {float(c):g}, "
        f"what is the network's output h(x{point}) for x{point} = {XOR_X[point - 1].tolist()}? "
        "(6 decimals)"
    )
    return SelfCheck(prompt, expected, mistakes)
