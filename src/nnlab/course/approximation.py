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


# --- trained networks of the same architecture, for comparison with the construction ---------
@dataclass(frozen=True)
class TrainedRun:
    """One ``MLP([1, K, 1])`` (ReLU) fitted by Adam to samples of f, and what it reached.

    ``loss_at_check`` is the training MSE after ``check`` steps and ``final_loss`` after all
    steps, so a run whose loss still moves between the two has not converged. ``dead_units``
    counts hidden units that output 0 at every point of [a, b]; ``kinks_inside`` counts units
    whose kink ``-b/w`` lies strictly inside (a, b).
    """

    seed: int
    net: MLP
    loss_at_check: float
    final_loss: float
    grad_norm: float
    sup_error: float
    dead_units: int
    kinks_inside: int


def trained_runs(
    f: Callable,
    K: int,
    a: float,
    b: float,
    seeds: Sequence[int],
    steps: int = 6000,
    check: int = 3000,
    lr: float = 0.01,
    n_samples: int = 200,
) -> list[TrainedRun]:
    """Fit ``MLP([1, K, 1])`` to ``n_samples`` noiseless samples of f on [a, b], once per seed.

    Each run starts from the network's seeded weights with its hidden biases drawn uniformly
    from [a, b] (so every kink starts inside the interval), and trains with Adam on the mean
    squared error for ``steps`` steps; the loss after ``check`` steps is kept too.
    """
    from ..nn.data import function_samples
    from ..nn.fit import fit

    K = _units(K, "trained_runs")
    a, b = _interval(a, b, "trained_runs")
    if not (isinstance(check, int) and isinstance(steps, int) and 0 < check < steps):
        raise NnlabValueError(
            f"trained_runs: need integers 0 < check < steps, got check={check!r}, steps={steps!r}"
        )
    X, y = function_samples(f, n_samples, (a, b), noise=0.0, seed=0)
    grid = np.linspace(a, b, 2001)[:, None]
    runs = []
    for seed in seeds:
        net = MLP([1, K, 1], activation="relu", seed=int(seed))
        net.b[0] = np.random.default_rng(int(seed)).uniform(a, b, K)
        history = fit(net, X, y, loss="mse", optimizer="adam", lr=lr, steps=steps, seed=0)
        hidden = np.maximum(grid @ net.W[0] + net.b[0], 0.0)
        w = net.W[0][0]
        with np.errstate(divide="ignore", invalid="ignore"):
            kinks = np.where(w != 0, -net.b[0] / w, np.nan)
        runs.append(
            TrainedRun(
                seed=int(seed),
                net=net,
                loss_at_check=float(history.losses[check]),
                final_loss=float(history.final_loss),
                grad_norm=float(history.grad_norms[-1]),
                sup_error=sup_error(net, f, a, b),
                dead_units=int(np.sum(np.all(hidden == 0.0, axis=0))),
                kinks_inside=int(np.sum((kinks > a) & (kinks < b))),
            )
        )
    return runs


def output_weight_check(knots, values, k: int) -> tuple[float, list]:
    """The broken line's output weight ``c_k`` and the usual wrong answers (for a self-check).

    ``c_0 = s_0`` and ``c_k = s_k - s_{k-1}`` for ``k >= 1``. Mistakes: the slope ``s_k``
    itself, the difference the wrong way round, and the value ``f(t_k)``.
    """
    from .grading import distinct_mistakes

    W0, b0, W1, b1 = interpolant_parameters(knots, values)
    K = W1.shape[0]
    if not (isinstance(k, int | np.integer) and not isinstance(k, bool) and 1 <= k < K):
        raise NnlabValueError(f"output_weight_check: k must be an integer in 1..{K - 1}, got {k!r}")
    t = np.asarray(knots, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    slopes = np.diff(v) / np.diff(t)
    expected = float(W1[k, 0])
    candidates = [
        (
            slopes[k],
            "That is the slope s_k after the knot; the unit adds only the change of slope.",
        ),
        (slopes[k - 1] - slopes[k], "Right size, wrong sign: c_k = s_k - s_(k-1), new minus old."),
        (v[k], "That is the value f(t_k); the output weight is a change of slope."),
    ]
    return expected, distinct_mistakes(expected, candidates)
