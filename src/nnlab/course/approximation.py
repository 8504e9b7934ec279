"""Universal approximation, made constructive: piecewise-linear interpolants as ReLU networks.

A continuous piecewise-linear function of one variable with knots ``t_0 < ... < t_K`` and
values ``y_0, ..., y_K`` is, on ``[t_0, t_K]``,

    g(x) = y_0 + sum_{k=0}^{K-1} c_k ReLU(x - t_k),
    c_0 = s_0,  c_k = s_k - s_{k-1},  s_k = (y_{k+1} - y_k) / (t_{k+1} - t_k),

a network with one hidden layer of K ReLU units: hidden weights 1, hidden biases ``-t_k``,
output weights ``c_k`` and output bias ``y_0``. `interpolant_parameters` returns exactly
these numbers in the book's convention (``z = a @ W + b``); `relu_interpolant` writes them
into an `nnlab.MLP([1, K, 1])`. The error helpers measure the sup-norm gap on a fine grid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..engine.errors import NnlabValueError
from ..nn.mlp import MLP


def _interval(a, b, where: str) -> tuple[float, float]:
    a, b = float(a), float(b)
    if not (np.isfinite(a) and np.isfinite(b)):
        raise NnlabValueError(f"{where}: the interval [a, b] must be finite, got [{a}, {b}]")
    if not a < b:
        raise NnlabValueError(f"{where}: the interval needs a < b, got a={a}, b={b}")
    return a, b


def _units(K, where: str) -> int:
    if not isinstance(K, int | np.integer) or isinstance(K, bool) or K < 1:
        raise NnlabValueError(
            f"{where}: the number of hidden units K must be a positive integer, got {K!r}"
        )
    return int(K)


def interpolant_parameters(knots, values) -> list[np.ndarray]:
    """``[W0, b0, W1, b1]`` of a one-hidden-layer ReLU net equal to ``np.interp`` on the knots.

    ``knots`` must be strictly increasing (at least two); ``values`` has the same length.
    The net has ``len(knots) - 1`` hidden units and equals the interpolant on
    ``[knots[0], knots[-1]]``; left of the first knot it is constant ``values[0]`` (like
    ``np.interp``), right of the last knot it continues the last slope (unlike ``np.interp``,
    which holds the last value).
    """
    t = np.asarray(knots, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    if t.ndim != 1 or t.size < 2:
        raise NnlabValueError(
            "interpolant_parameters: knots must be a 1-D array of at least 2 points, got shape "
            f"{t.shape}"
        )
    if y.shape != t.shape:
        raise NnlabValueError(
            f"interpolant_parameters: values must match knots: shapes {y.shape} and {t.shape}"
        )
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(y))):
        raise NnlabValueError("interpolant_parameters: knots and values must be finite")
    if np.any(np.diff(t) <= 0):
        raise NnlabValueError("interpolant_parameters: knots must be strictly increasing")
    slopes = np.diff(y) / np.diff(t)
    c = np.concatenate([slopes[:1], np.diff(slopes)])
    K = t.size - 1
    W0 = np.ones((1, K))
    b0 = 0.0 - t[:-1]  # 0.0 - t, not -t: no negative zeros
    W1 = c.reshape(K, 1)
    b1 = np.array([y[0]])
    return [W0, b0, W1, b1]


def relu_interpolant(f: Callable, K: int, a: float, b: float) -> MLP:
    """An ``MLP([1, K, 1])`` (ReLU, identity output) equal to f's interpolant at K+1 equal knots."""
    K = _units(K, "relu_interpolant")
    a, b = _interval(a, b, "relu_interpolant")
    knots = np.linspace(a, b, K + 1)
    net = MLP([1, K, 1], activation="relu", output="identity")
    net.set_parameters(interpolant_parameters(knots, _evaluate(f, knots, "relu_interpolant")))
    return net


def knots_for(K: int, a: float, b: float) -> np.ndarray:
    """The K+1 equally spaced knots `relu_interpolant` uses."""
    K = _units(K, "knots_for")
    a, b = _interval(a, b, "knots_for")
    return np.linspace(a, b, K + 1)


def _evaluate(f: Callable, x: np.ndarray, where: str) -> np.ndarray:
    y = np.asarray(f(x), dtype=np.float64)
    if y.shape != x.shape:
        raise NnlabValueError(
            f"{where}: f must map an array of shape {x.shape} to the same shape, got {y.shape}"
        )
    return y


def net_on(net: MLP, x) -> np.ndarray:
    """A 1-input, 1-output network evaluated on a 1-D array of points (returns a 1-D array)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise NnlabValueError(f"net_on: expects a 1-D array of inputs, got shape {x.shape}")
    if net.sizes[0] != 1 or net.sizes[-1] != 1:
        raise NnlabValueError(f"net_on: needs a network with 1 input and 1 output, got {net.sizes}")
    return np.asarray(net(x[:, None]))[:, 0]


def sup_error(net: MLP, f: Callable, a: float, b: float, n: int = 20001) -> float:
    """``max |net(x) - f(x)|`` over ``n`` equally spaced points of ``[a, b]``."""
    a, b = _interval(a, b, "sup_error")
    if n < 2:
        raise NnlabValueError(f"sup_error: the grid needs at least 2 points, got n={n}")
    x = np.linspace(a, b, n)
    return float(np.max(np.abs(net_on(net, x) - _evaluate(f, x, "sup_error"))))


@dataclass(frozen=True)
class Convergence:
    """Sup-norm errors of the K-unit interpolant for each K, and the fitted rate."""

    Ks: np.ndarray
    errors: np.ndarray
    rate: float  # slope of log(error) against log(K)
    constant: float  # C in error ~ C * K**rate

    def rows(self) -> list[tuple[int, int, float]]:
        """``(K, number of parameters, error)`` per row."""
        return [
            (int(K), 3 * int(K) + 1, float(e)) for K, e in zip(self.Ks, self.errors, strict=True)
        ]


def fit_rate(Ks: Sequence, errors: Sequence) -> tuple[float, float]:
    """Least-squares fit of ``log error = log C + p log K``; returns ``(p, C)``."""
    Ks = np.asarray(Ks, dtype=np.float64)
    errors = np.asarray(errors, dtype=np.float64)
    if Ks.shape != errors.shape or Ks.ndim != 1 or Ks.size < 2:
        raise NnlabValueError("fit_rate: needs two 1-D arrays of the same length (at least 2)")
    if np.any(Ks <= 0) or np.any(errors <= 0):
        raise NnlabValueError("fit_rate: needs positive K and positive errors (it fits logarithms)")
    p, logC = np.polyfit(np.log(Ks), np.log(errors), 1)
    return float(p), float(np.exp(logC))


def convergence(f: Callable, Ks: Sequence[int], a: float, b: float, n: int = 20001) -> Convergence:
    """Build the K-unit interpolant for each K and measure its sup error on ``[a, b]``."""
    Ks = np.array([_units(K, "convergence") for K in Ks])
    errors = np.array([sup_error(relu_interpolant(f, int(K), a, b), f, a, b, n) for K in Ks])
    rate, constant = fit_rate(Ks, errors)
    return Convergence(Ks, errors, rate, constant)


def hat_parameters(center: float = 0.0, half_width: float = 1.0) -> list[np.ndarray]:
    """``[W0, b0, W1, b1]`` of a 3-unit ReLU net for the hat of height 1 at ``center``.

    hat(x) = (ReLU(x - c + h) - 2 ReLU(x - c) + ReLU(x - c - h)) / h.
    """
    h = float(half_width)
    if not h > 0:
        raise NnlabValueError(f"hat_parameters: half_width must be positive, got {half_width}")
    c = float(center)
    W0 = np.ones((1, 3))
    b0 = np.array([-(c - h), -c, -(c + h)])
    W1 = np.array([[1.0], [-2.0], [1.0]]) / h
    return [W0, b0, W1, np.zeros(1)]
