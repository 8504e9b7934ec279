"""Attributions: one value per example and input feature, saying how much it moved the score.

- `saliency`: the input gradient ``df/dx`` (optionally its absolute value).
- `gradient_times_input`: ``(x - baseline) * df/dx`` elementwise.
- `integrated_gradients`: ``(x - x') * mean over the path x' + t (x - x') of df/dx``,
  a Riemann sum whose attributions add up to ``f(x) - f(x')`` (completeness) as the
  number of steps grows.
- `occlusion_attributions`: ``f(x) - f(x with feature j set to its baseline value)``.
- `point_attributions`: all of them for one point of a 2-input network, and
  `attribution_readout`, the text the attribution explorer shows.

``f`` is a score function (see `nnlab.course.interpret.scores`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine import ops
from ...engine.autodiff import grad
from ...engine.errors import NnlabValueError
from ...nn.mlp import MLP
from .scores import as_batch, baseline_like, row_scores, score_function

__all__ = [
    "IG_RULES",
    "IGResult",
    "attribution_readout",
    "gradient_times_input",
    "input_gradients",
    "integrated_gradients",
    "occlusion_attributions",
    "point_attributions",
    "saliency",
]

IG_RULES = ("left", "right", "midpoint", "trapezoid")


def _input_gradients(f, X: np.ndarray, where: str) -> np.ndarray:
    row_scores(f, X, where)  # validates the output shape with a clear message
    g = grad(lambda Z: f(Z).sum())(X)
    return np.asarray(g, dtype=np.float64)


def input_gradients(f, X) -> np.ndarray:
    """``df/dx`` for every row of ``X`` (shape ``(n, d)``), from one reverse pass."""
    return _input_gradients(f, as_batch(X, "input_gradients"), "input_gradients")


def saliency(f, X, absolute: bool = True) -> np.ndarray:
    """Gradient saliency: ``|df/dx|`` (or the signed gradient with ``absolute=False``)."""
    g = _input_gradients(f, as_batch(X, "saliency"), "saliency")
    return np.abs(g) if absolute else g


def gradient_times_input(f, X, baseline=None) -> np.ndarray:
    """``(x - baseline) * df/dx`` elementwise (baseline 0 by default)."""
    where = "gradient_times_input"
    X = as_batch(X, where)
    return (X - baseline_like(baseline, X, where)) * _input_gradients(f, X, where)


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
    where = "integrated_gradients"
    X = as_batch(X, where)
    B = baseline_like(baseline, X, where)
    if rule not in IG_RULES:
        raise NnlabValueError(f"{where}: unknown rule {rule!r}; valid rules: {', '.join(IG_RULES)}")
    if not (isinstance(steps, int | np.integer) and not isinstance(steps, bool) and steps >= 1):
        raise NnlabValueError(f"{where}: steps must be a positive integer, got {steps!r}")
    t, w = _path_weights(int(steps), rule)
    n, d = X.shape
    path = B[None, :, :] + t[:, None, None] * (X - B)[None, :, :]  # (k, n, d)
    grads = _input_gradients(f, path.reshape(-1, d), where).reshape(len(t), n, d)
    avg = np.tensordot(w, grads, axes=1)  # (n, d)
    return IGResult(
        attributions=(X - B) * avg,
        f_x=row_scores(f, X, where),
        f_baseline=row_scores(f, B, where),
        baseline=B,
        steps=int(steps),
        rule=rule,
    )


def occlusion_attributions(f, X, baseline=None) -> np.ndarray:
    """``f(x) - f(x with feature j replaced by baseline_j)``, for every row and feature."""
    where = "occlusion_attributions"
    X = as_batch(X, where)
    B = baseline_like(baseline, X, where)
    fx = row_scores(f, X, where)
    out = np.empty_like(X)
    for j in range(X.shape[1]):
        Xj = X.copy()
        Xj[:, j] = B[:, j]
        out[:, j] = fx - row_scores(f, Xj, where)
    return out


def point_attributions(net: MLP, x, baseline=None, steps: int = 64) -> dict:
    """Every attribution of one 2-D point: logit, probability, gradient, gradient x input,
    integrated gradients and the completeness check ``sum IG`` vs ``f(x) - f(baseline)``,
    with the baseline's own logit (IG explains the change from it, not from 0)."""
    if not isinstance(net, MLP) or net.sizes[0] != 2 or net.sizes[-1] != 1:
        raise NnlabValueError("point_attributions: needs a 2-input, 1-output nnlab.MLP")
    x = as_batch(np.asarray(x, dtype=np.float64).reshape(1, -1), "point_attributions", "x")
    f = score_function(net)
    ig = integrated_gradients(f, x, baseline=baseline, steps=steps)
    logit = float(ig.f_x[0])
    return {
        "x": x[0],
        "baseline": ig.baseline[0],
        "baseline_logit": float(ig.f_baseline[0]),
        "logit": logit,
        "probability": float(ops.sigmoid(np.float64(logit))),
        "gradient": saliency(f, x, absolute=False)[0],
        "grad_x_input": gradient_times_input(f, x, baseline=baseline)[0],
        "ig": ig.attributions[0],
        "ig_sum": float(ig.attributions.sum()),
        "difference": float(ig.f_x[0] - ig.f_baseline[0]),
        "steps": steps,
    }


def _pair(v) -> str:
    return f"({v[0]:+.4f}, {v[1]:+.4f})"


def attribution_readout(info: dict) -> str:
    """A fixed-precision text table of `point_attributions` (with the baseline's own logit
    last, when the dict has it)."""
    predicted = 1 if info["logit"] > 0 else 0
    lines = [
        f"point x = {_pair(info['x'])}   baseline x' = {_pair(info['baseline'])}",
        f"logit f(x) = {info['logit']:+.4f}   p(y=1|x) = {info['probability']:.4f}"
        f"   predicted label {predicted}",
        f"gradient df/dx          = {_pair(info['gradient'])}",
        f"gradient x (x - x')     = {_pair(info['grad_x_input'])}",
        f"integrated gradients    = {_pair(info['ig'])}   ({info['steps']} midpoint steps)",
        f"sum of IG = {info['ig_sum']:+.4f}   f(x) - f(x') = {info['difference']:+.4f}"
        f"   gap = {info['ig_sum'] - info['difference']:+.2e}",
    ]
    if "baseline_logit" in info:
        lines.append(f"logit of the baseline f(x') = {round(info['baseline_logit'], 4) + 0.0:+.4f}")
    return "\n".join(lines)
