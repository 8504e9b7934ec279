"""Looking inside a trained network: attributions, perturbations, hidden units, boundaries.

A *score function* ``f`` maps a batch ``X`` of shape ``(n, d)`` (array or Tensor) to ``n``
scores, one per row, and each row's score depends on that row only (true for every
`nnlab.MLP`). `score_function(net)` builds one from a network: its logit. Because rows do
not interact, the gradient of ``sum_i f(X)_i`` with respect to ``X`` holds every row's
input gradient at once, so each method below costs one reverse pass per batch.

Attribution methods (one value per example and input feature):

- `saliency`: the input gradient ``df/dx`` (optionally its absolute value).
- `gradient_times_input`: ``(x - baseline) * df/dx`` elementwise.
- `integrated_gradients`: ``(x - x') * mean over the path x' + t (x - x') of df/dx``,
  a Riemann sum whose attributions add up to ``f(x) - f(x')`` (completeness) as the
  number of steps grows.
- `occlusion_attributions`: ``f(x) - f(x with feature j set to its baseline value)``.

Global importance (one number per feature, from the drop in accuracy):
`occlusion_importance` (feature replaced by its mean, a constant or noise) and
`permutation_importance` (feature shuffled across examples).

Mechanistic helpers: `hidden_activations`, `ablate_units`, `reparametrize_hidden`
(``W -> W M``, ``W_next -> M^-1 W_next``). Decision boundaries: `decision_map`,
`distance_to_boundary`. A readable baseline model: `fit_box_rule`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..engine.autodiff import grad
from ..engine.errors import ShapeError
from ..engine.tensor import Tensor
from ..nn.data import Grid, grid
from ..nn.mlp import MLP
from .basis import accuracy

__all__ = [
    "IGResult",
    "Importance",
    "ablate_units",
    "copy_net",
    "decision_map",
    "distance_to_boundary",
    "fit_box_rule",
    "gradient_times_input",
    "hidden_activations",
    "input_gradients",
    "integrated_gradients",
    "occlusion_attributions",
    "occlusion_importance",
    "permutation_importance",
    "reparametrize_hidden",
    "saliency",
    "score_function",
]

IG_RULES = ("left", "right", "midpoint", "trapezoid")
FILLS = ("mean", "noise")


# --- inputs and score functions -------------------------------------------------------------
def _batch(X, what: str = "X") -> np.ndarray:
    X = np.asarray(X.value if isinstance(X, Tensor) else X, dtype=np.float64)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.shape[0] == 0:
        raise ShapeError(f"{what} must be one example (d,) or a batch (n, d), got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{what} contains nan or inf")
    return X


def _baseline(baseline, X: np.ndarray) -> np.ndarray:
    if baseline is None:
        return np.zeros_like(X)
    B = np.asarray(baseline, dtype=np.float64)
    try:
        B = np.broadcast_to(B, X.shape).copy()
    except ValueError:
        raise ShapeError(
            f"baseline of shape {B.shape} does not fit inputs of shape {X.shape}; "
            f"give one point ({X.shape[1]},) or one per example {X.shape}"
        ) from None
    if not np.all(np.isfinite(B)):
        raise ValueError("baseline contains nan or inf")
    return B


def _scores(f, X: np.ndarray) -> np.ndarray:
    out = f(X)
    out = np.asarray(out.value if isinstance(out, Tensor) else out, dtype=np.float64)
    if out.size != X.shape[0]:
        raise ShapeError(
            f"a score function must return one score per row: {X.shape[0]} rows gave "
            f"output of shape {out.shape}"
        )
    return out.reshape(-1)


def score_function(net: MLP, output: int = 0) -> Callable:
    """``f(X) = net.logits(X)[:, output]``: the network's logit, usable by `nnlab.grad`.

    For a sigmoid output the logit is positive exactly where the predicted class is 1.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"score_function needs an nnlab.MLP, got {type(net).__name__}")
    if not (isinstance(output, int | np.integer) and 0 <= output < net.sizes[-1]):
        raise ValueError(f"output must be an index in 0..{net.sizes[-1] - 1}, got {output!r}")

    def f(X):
        if not isinstance(X, Tensor) and np.ndim(X) == 1:
            X = np.asarray(X)[None, :]  # one example
        return net.logits(X)[:, int(output)]

    return f


# --- gradient attributions ------------------------------------------------------------------
def input_gradients(f, X) -> np.ndarray:
    """``df/dx`` for every row of ``X`` (shape ``(n, d)``), from one reverse pass."""
    X = _batch(X)
    _scores(f, X)  # validates the output shape with a clear message
    g = grad(lambda Z: f(Z).sum())(X)
    return np.asarray(g, dtype=np.float64)


def saliency(f, X, absolute: bool = True) -> np.ndarray:
    """Gradient saliency: ``|df/dx|`` (or the signed gradient with ``absolute=False``)."""
    g = input_gradients(f, X)
    return np.abs(g) if absolute else g


def gradient_times_input(f, X, baseline=None) -> np.ndarray:
    """``(x - baseline) * df/dx`` elementwise (baseline 0 by default)."""
    X = _batch(X)
    return (X - _baseline(baseline, X)) * input_gradients(f, X)


@dataclass(frozen=True)
class IGResult:
    """Integrated gradients of ``f`` at ``X`` relative to ``baseline``.

    ``attributions`` (n, d); ``f_x`` and ``f_baseline`` (n,); ``completeness_gap`` (n,) is
    ``attributions.sum(1) - (f_x - f_baseline)``, which tends to 0 as ``steps`` grows.
    """

    attributions: np.ndarray
    f_x: np.ndarray
    f_baseline: np.ndarray
    baseline: np.ndarray
    steps: int
    rule: str

    @property
    def completeness_gap(self) -> np.ndarray:
        return self.attributions.sum(axis=1) - (self.f_x - self.f_baseline)


def _path_weights(steps: int, rule: str) -> tuple[np.ndarray, np.ndarray]:
    if rule == "left":
        t = np.arange(steps) / steps
        w = np.full(steps, 1.0 / steps)
    elif rule == "right":
        t = np.arange(1, steps + 1) / steps
        w = np.full(steps, 1.0 / steps)
    elif rule == "midpoint":
        t = (np.arange(steps) + 0.5) / steps
        w = np.full(steps, 1.0 / steps)
    else:  # trapezoid: steps intervals, steps + 1 points
        t = np.arange(steps + 1) / steps
        w = np.full(steps + 1, 1.0 / steps)
        w[[0, -1]] /= 2
    return t, w


def integrated_gradients(f, X, baseline=None, steps: int = 64, rule: str = "midpoint"):
    """Integrated gradients along the straight path from ``baseline`` (default 0) to ``X``.

    ``IG_j(x) = (x_j - x'_j) * integral_0^1 df/dx_j(x' + t (x - x')) dt``, the integral
    approximated with ``steps`` intervals by the ``rule`` ("left", "right", "midpoint" or
    "trapezoid"). Exactly, ``sum_j IG_j = f(x) - f(x')`` (the fundamental theorem of
    calculus along the path); `IGResult.completeness_gap` measures the numerical error.
    """
    X = _batch(X)
    B = _baseline(baseline, X)
    if rule not in IG_RULES:
        raise ValueError(f"unknown rule {rule!r}; valid rules: {', '.join(IG_RULES)}")
    if not (isinstance(steps, int | np.integer) and not isinstance(steps, bool) and steps >= 1):
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    t, w = _path_weights(int(steps), rule)
    n, d = X.shape
    path = B[None, :, :] + t[:, None, None] * (X - B)[None, :, :]  # (k, n, d)
    grads = input_gradients(f, path.reshape(-1, d)).reshape(len(t), n, d)
    avg = np.tensordot(w, grads, axes=1)  # (n, d)
    return IGResult(
        attributions=(X - B) * avg,
        f_x=_scores(f, X),
        f_baseline=_scores(f, B),
        baseline=B,
        steps=int(steps),
        rule=rule,
    )


def occlusion_attributions(f, X, baseline=None) -> np.ndarray:
    """``f(x) - f(x with feature j replaced by baseline_j)``, for every row and feature."""
    X = _batch(X)
    B = _baseline(baseline, X)
    fx = _scores(f, X)
    out = np.empty_like(X)
    for j in range(X.shape[1]):
        Xj = X.copy()
        Xj[:, j] = B[:, j]
        out[:, j] = fx - _scores(f, Xj)
    return out


# --- global importance by perturbation --------------------------------------------------------
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


def _labels(y, n: int) -> np.ndarray:
    y = np.asarray(y).reshape(-1)
    if y.shape != (n,):
        raise ShapeError(f"labels y must have shape ({n},), got {y.shape}")
    return y


def _repeats(repeats) -> int:
    if not (
        isinstance(repeats, int | np.integer) and not isinstance(repeats, bool) and repeats > 0
    ):
        raise ValueError(f"repeats must be a positive integer, got {repeats!r}")
    return int(repeats)


def _column_drop(f, X, y, replace, repeats: int, threshold: float):
    """Accuracy on ``X``, and mean accuracy with each column j swapped for ``replace(X[:, j])``."""
    base = accuracy(_scores(f, X), y, threshold)
    perturbed = np.zeros(X.shape[1])
    for j in range(X.shape[1]):
        for _ in range(repeats):
            Xj = X.copy()
            Xj[:, j] = replace(X[:, j])
            perturbed[j] += accuracy(_scores(f, Xj), y, threshold) / repeats
    return base, perturbed


def occlusion_importance(
    f, X, y, fill="mean", repeats: int = 1, seed: int = 0, threshold: float = 0.0
) -> Importance:
    """Accuracy drop when one feature at a time is replaced, for every example.

    ``fill``: "mean" (the feature's mean over ``X``), "noise" (fresh gaussian noise with the
    feature's mean and standard deviation, averaged over ``repeats`` draws) or a number.
    Accuracy counts ``f(X) > threshold`` as label 1 (logits: threshold 0).
    """
    X = _batch(X)
    y = _labels(y, X.shape[0])
    if isinstance(fill, str) and fill not in FILLS:
        raise ValueError(f"unknown fill {fill!r}; use 'mean', 'noise' or a number")
    if not isinstance(fill, str) and not np.isfinite(np.asarray(fill, dtype=np.float64)).all():
        raise ValueError(f"fill must be 'mean', 'noise' or a finite number, got {fill!r}")
    repeats = _repeats(repeats) if fill == "noise" else 1
    rng = np.random.default_rng(seed)

    def replace(column):
        if fill == "mean":
            return np.full_like(column, column.mean())
        if fill == "noise":
            return column.mean() + column.std() * rng.standard_normal(len(column))
        return np.full_like(column, float(fill))

    base, perturbed = _column_drop(f, X, y, replace, repeats, threshold)
    return Importance(base, perturbed, f"occlusion ({fill})")


def permutation_importance(
    f, X, y, repeats: int = 10, seed: int = 0, threshold: float = 0.0
) -> Importance:
    """Accuracy drop when one feature's column is shuffled across examples (``repeats`` times).

    Shuffling keeps the feature's distribution but breaks its link to the label and to the
    other features.
    """
    X = _batch(X)
    y = _labels(y, X.shape[0])
    repeats = _repeats(repeats)
    rng = np.random.default_rng(seed)
    base, perturbed = _column_drop(
        f, X, y, lambda column: column[rng.permutation(len(column))], repeats, threshold
    )
    return Importance(base, perturbed, "permutation")


# --- hidden units ---------------------------------------------------------------------------
def copy_net(net: MLP) -> MLP:
    """An independent copy of ``net`` (weights copied, so edits do not leak back)."""
    if not isinstance(net, MLP):
        raise TypeError(f"expected an nnlab.MLP, got {type(net).__name__}")
    new = copy.copy(net)
    new.W = [np.array(W, copy=True) for W in net.W]
    new.b = [None if b is None else np.array(b, copy=True) for b in net.b]
    return new


def _hidden_layer(net: MLP, layer) -> int:
    if not isinstance(net, MLP):
        raise TypeError(f"expected an nnlab.MLP, got {type(net).__name__}")
    if not (isinstance(layer, int | np.integer) and 0 <= layer < net.depth - 1):
        raise ValueError(
            f"layer must index a hidden layer, 0..{net.depth - 2}, for sizes {net.sizes}; "
            f"got {layer!r}"
        )
    return int(layer)


def hidden_activations(net: MLP, X, layer: int = 0) -> np.ndarray:
    """The activations of hidden layer ``layer`` (0 = the first), shape ``(n, width)``."""
    layer = _hidden_layer(net, layer)
    a = _batch(X)
    net.check_input(a)
    for k in range(layer + 1):
        z = a @ net.W[k] if net.b[k] is None else a @ net.W[k] + net.b[k]
        a = np.asarray(net.hidden[k].fn(z))
    return a


def ablate_units(net: MLP, units: Sequence[int], layer: int = 0) -> MLP:
    """A copy of ``net`` in which the listed hidden units are silenced (output weights zeroed).

    Zeroing a unit's outgoing weights is the same as forcing its activation to 0.
    """
    layer = _hidden_layer(net, layer)
    width = net.sizes[layer + 1]
    units = [int(u) for u in np.atleast_1d(np.asarray(units, dtype=np.int64))]
    bad = [u for u in units if not 0 <= u < width]
    if bad:
        raise ValueError(f"hidden layer {layer} has units 0..{width - 1}; cannot ablate {bad}")
    new = copy_net(net)
    new.W[layer + 1][units, :] = 0.0
    return new


def reparametrize_hidden(net: MLP, M, layer: int = 0) -> MLP:
    """Mix a hidden layer's units: ``W[l] -> W[l] @ M``, ``b[l] -> b[l] @ M``,
    ``W[l+1] -> M^-1 @ W[l+1]`` (``l = layer``).

    With identity activations on that layer the function is unchanged for every invertible
    ``M`` (the hidden units are rotated/mixed). With ReLU it is unchanged only when ``M`` is
    a permutation times a positive diagonal scaling.
    """
    layer = _hidden_layer(net, layer)
    width = net.sizes[layer + 1]
    M = np.asarray(M, dtype=np.float64)
    if M.shape != (width, width):
        raise ShapeError(f"M must be {width}x{width} for hidden layer {layer}, got {M.shape}")
    if not np.all(np.isfinite(M)) or abs(np.linalg.det(M)) < 1e-12:
        raise ValueError("M must be a finite invertible matrix")
    new = copy_net(net)
    new.W[layer] = net.W[layer] @ M
    if net.b[layer] is not None:
        new.b[layer] = net.b[layer] @ M
    new.W[layer + 1] = np.linalg.solve(M, net.W[layer + 1])
    return new


# --- decision boundaries ------------------------------------------------------------------------
def decision_map(f, xlim=(-3, 3), ylim=(-3, 3), steps: int = 150) -> tuple[Grid, np.ndarray]:
    """Scores of a 2-input score function on a grid: ``(grid, scores)`` with scores shaped
    like ``grid.xx``. The decision boundary is the zero contour of the scores."""
    g = grid(xlim, ylim, steps)
    return g, _scores(f, g.points).reshape(g.xx.shape)


def distance_to_boundary(f, X, direction=None, t_max: float = 10.0, samples: int = 400):
    """How far each point must move along ``direction`` (unit vectors; default: the gradient,
    towards the other class) before its predicted class flips.

    Scans ``t`` in ``(0, t_max]`` on ``samples`` points, then refines the first sign change
    by bisection. Returns distances ``(n,)``, ``inf`` where no flip happens within ``t_max``.
    """
    X = _batch(X)
    if not (np.isfinite(t_max) and t_max > 0):
        raise ValueError(f"t_max must be a positive number, got {t_max!r}")
    f0 = _scores(f, X)
    if direction is None:
        D = input_gradients(f, X) * -np.sign(f0)[:, None]
    else:
        D = _baseline(direction, X)
    norms = np.linalg.norm(D, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError("a direction (or a gradient) is zero: no direction to move in")
    D = D / norms
    ts = np.linspace(0.0, t_max, int(samples) + 1)[1:]
    out = np.full(len(X), np.inf)
    for i in range(len(X)):
        vals = _scores(f, X[i] + ts[:, None] * D[i])
        flips = np.nonzero(np.sign(vals) != np.sign(f0[i]))[0]
        if flips.size == 0:
            continue
        hi = ts[flips[0]]
        lo = ts[flips[0] - 1] if flips[0] > 0 else 0.0
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if np.sign(_scores(f, (X[i] + mid * D[i])[None, :])[0]) == np.sign(f0[i]):
                lo = mid
            else:
                hi = mid
        out[i] = 0.5 * (lo + hi)
    return out


# --- a readable model -----------------------------------------------------------------------
@dataclass(frozen=True)
class BoxRule:
    """``predict 1 iff |x_i| <= a and |x_j| <= a`` (an axis-aligned square around 0)."""

    features: tuple[int, int]
    half_width: float
    train_accuracy: float

    def scores(self, X) -> np.ndarray:
        X = _batch(X)
        i, j = self.features
        inside = np.maximum(np.abs(X[:, i]), np.abs(X[:, j])) <= self.half_width
        return np.where(inside, 1.0, -1.0)

    def describe(self) -> str:
        i, j = (k + 1 for k in self.features)
        return f"predict 1 if |x{i}| <= {self.half_width:.2f} and |x{j}| <= {self.half_width:.2f}"


def fit_box_rule(X, y, candidates=None) -> BoxRule:
    """The best square rule ``|x_i|, |x_j| <= a`` on the training data, by exhaustive search
    over feature pairs and half-widths ``a`` (default: 60 values in (0, max |x|])."""
    X = _batch(X)
    y = _labels(y, X.shape[0])
    if X.shape[1] < 2:
        raise ValueError("fit_box_rule needs at least two features")
    if candidates is None:
        candidates = np.linspace(0.05, np.abs(X).max(), 60)
    best = None
    d = X.shape[1]
    for i in range(d):
        for j in range(i + 1, d):
            for a in np.asarray(candidates, dtype=np.float64):
                rule = BoxRule((i, j), float(a), 0.0)
                acc = accuracy(rule.scores(X), y)
                if best is None or acc > best.train_accuracy + 1e-12:
                    best = BoxRule((i, j), float(a), acc)
    return best
