"""Chapter 11's experiments: why training is hard, each difficulty measured.

- `critical_points`: Newton's method from named starts, each point with its gradient norm and
  Hessian, so a "minimum" or "saddle" is shown to be one.
- `descent_runs`: gradient descent from seeded random starts, with the minimum each run heads
  for and its final gradient norm (has it converged?).
- `split_at_saddle`: two starts, closer than ``1e-6``, on either side of the curve through a
  saddle that separates two basins (bisection along the saddle's downhill eigenvector).
- `depth_explosion`: the gradient norm and one step's effect as a ReLU network gets deeper,
  at the width-scaled initialisation and at a multiple of it (exploding gradients).
- `dead_relu_report`: dead ReLU units after training with two step sizes and after a bad bias.
- `quadratic_steps`, `gd_rate`, `momentum_rate`: steps to shrink a quadratic's loss for gradient
  descent and heavy-ball momentum, both at their best fixed parameters, against condition number.
- `penalised_fit_hessian`: a trained [1, 4, 1] regression net and its full Hessian.
- `stable_step_check`, `contraction_check`: answers and typical mistakes for self-checks.

Numpy only (layer ``course``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..engine.autodiff import grad
from ..engine.errors import NnlabValueError
from ..nn import data as datasets
from ..nn.losses import binary_cross_entropy, mse
from ..nn.mlp import MLP
from ..nn.optim import History, train
from . import conditioning as cond
from . import curvature
from .grading import Mistake, distinct_mistakes


def _grad_norm(loss, params) -> float:
    g = grad(loss)(params)
    leaves = g if isinstance(g, list | tuple) else [g]
    return float(np.sqrt(sum(float(np.sum(np.asarray(x) ** 2)) for x in leaves)))


@dataclass(frozen=True)
class CriticalPoint:
    """A point where the gradient vanishes, with the evidence: gradient norm and Hessian."""

    name: str
    point: np.ndarray
    grad_norm: float
    hessian: curvature.Hessian
    loss: float


def critical_points(loss, starts: Mapping[str, Sequence[float]]) -> dict[str, CriticalPoint]:
    """Run `conditioning.find_critical_point` (Newton on the gradient) from each named start.

    ``loss`` maps a 1-D point to a scalar Tensor. Returns name -> `CriticalPoint`; classify
    each with ``.hessian.classify()`` (all eigenvalues positive: a minimum; both signs: a saddle).
    """
    if not starts:
        raise NnlabValueError("critical_points: starts is empty")
    out = {}
    for name, start in starts.items():
        point, norm, H = cond.find_critical_point(loss, start)
        out[name] = CriticalPoint(name, point, norm, H, float(loss(point)))
    return out


@dataclass(frozen=True)
class Run:
    """One gradient-descent run: its start, its `History`, the named minimum nearest to where it
    ended, and the gradient norm at its final parameters (small only if it has converged)."""

    start: np.ndarray
    history: History
    nearest: str
    final_grad_norm: float


def _nearest(point, minima: Mapping[str, np.ndarray]) -> str:
    return min(minima, key=lambda name: float(np.linalg.norm(point - np.asarray(minima[name]))))


def descent_runs(
    loss,
    minima: Mapping[str, Sequence[float]],
    n_runs: int,
    box: tuple[float, float],
    seed: int = 0,
    lr: float = 1.0,
    steps: int = 400,
) -> list[Run]:
    """``n_runs`` runs of plain gradient descent from starts drawn uniformly (seeded) in the
    square ``box x box``, each labelled with the nearest of the named ``minima``."""
    if not minima:
        raise NnlabValueError("descent_runs: minima is empty")
    if not (isinstance(n_runs, int) and n_runs >= 1):
        raise NnlabValueError(f"descent_runs: n_runs must be a positive integer, got {n_runs!r}")
    low, high = box
    if not low < high:
        raise NnlabValueError(f"descent_runs: box must be (low, high) with low < high, got {box}")
    dim = np.asarray(next(iter(minima.values()))).size
    rng = np.random.default_rng(seed)
    runs = []
    for _ in range(n_runs):
        start = rng.uniform(low, high, size=dim)
        history = train(loss, start, optimizer="gd", lr=lr, steps=steps, record_params=True)
        end = np.asarray(history.params)
        runs.append(Run(start, history, _nearest(end, minima), _grad_norm(loss, end)))
    return runs


@dataclass(frozen=True)
class BasinSplit:
    """Two starts ``base + lo * direction`` and ``base + hi * direction`` that end in different
    basins, and their recorded runs (``runs[label]``), with the minimum each heads for."""

    base: np.ndarray
    direction: np.ndarray
    lo: float
    hi: float
    runs: dict
    heads_to: dict


def split_at_saddle(
    loss,
    saddle: CriticalPoint,
    minima: Mapping[str, Sequence[float]],
    offset: float = 0.5,
    t_range: tuple[float, float] = (-0.1, 0.1),
    halvings: int = 20,
    lr: float = 1.0,
    steps: int = 400,
) -> BasinSplit:
    """Bisect for the curve through a saddle that separates two basins.

    Starts lie on the line through ``saddle.point - offset * u_up`` along the downhill
    eigenvector ``u_down`` (``u_up``: the uphill one), so gradient descent first heads for the
    saddle. Each start is judged by the nearest of the two ``minima`` after a ``steps``-step
    run; the two ends of ``t_range`` must be judged differently. After ``halvings`` halvings
    the two starts differ by ``(t_range[1] - t_range[0]) / 2**halvings``.
    """
    if not isinstance(saddle, CriticalPoint) or saddle.hessian.classify() != "saddle":
        raise NnlabValueError("split_at_saddle: saddle must be a CriticalPoint classified 'saddle'")
    if len(minima) != 2:
        raise NnlabValueError(f"split_at_saddle: give exactly two minima, got {len(minima)}")
    vectors = saddle.hessian.eigenvectors
    u_down, u_up = vectors[:, 0], vectors[:, -1]
    base = saddle.point - offset * u_up

    def heads_to(t):
        end = np.asarray(train(loss, base + t * u_down, lr=lr, steps=steps).params)
        return _nearest(end, minima)

    lo, hi = t_range
    if heads_to(lo) == heads_to(hi):
        raise NnlabValueError(
            f"split_at_saddle: both ends of t_range {t_range} head for the same minimum; widen it"
        )
    side_lo = heads_to(lo)
    for _ in range(halvings):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if heads_to(mid) == side_lo else (lo, mid)
    runs, ends = {}, {}
    for label, t in (("start A", lo), ("start B", hi)):
        runs[label] = train(loss, base + t * u_down, lr=lr, steps=steps, record_params=True)
        ends[label] = _nearest(np.asarray(runs[label].params), minima)
    return BasinSplit(base, u_down, lo, hi, runs, ends)


@dataclass(frozen=True)
class DepthRow:
    """A ReLU network of one depth at initialisation: gradient norm (all parameters and first
    layer), and the loss before and after one gradient-descent step."""

    depth: int
    grad_norm: float
    first_layer_norm: float
    loss_before: float
    loss_after: float


def depth_explosion(
    X, y, depths: Sequence[int], scale: float = 1.0, width: int = 16, lr: float = 0.1,
    seed: int = 0,
) -> list[DepthRow]:  # fmt: skip
    """For each depth D, a ReLU MLP ``[n_in] + [width] * (D - 1) + [1]`` with a sigmoid output,
    its weights ``scale`` times nnlab's width-scaled (He) initialisation, on binary labels ``y``:
    the gradient norm of the mean BCE and the loss after one step of size ``lr``.

    With ``scale > 1`` every layer multiplies the backward signal by about ``scale``, so the
    gradient grows roughly like ``scale**D``: exploding gradients. The loss after the step may
    be ``inf`` (a saturated sigmoid on the wrong side); no warning is printed for it.
    """
    if not scale > 0:
        raise NnlabValueError(f"depth_explosion: scale must be positive, got {scale!r}")
    X = np.asarray(X, dtype=np.float64)
    rows = []
    for depth in depths:
        if not (isinstance(depth, int) and depth >= 2):
            raise NnlabValueError(
                f"depth_explosion: each depth must be an integer >= 2, got {depth!r}"
            )
        net = MLP([X.shape[1]] + [width] * (depth - 1) + [1], activation="relu",
                  output="sigmoid", seed=seed)  # fmt: skip
        net.W = [W * scale for W in net.W]
        params = net.parameters()

        def loss(p, net=net):
            return binary_cross_entropy(net.apply(p, X), y)

        with np.errstate(all="ignore"):
            g = grad(loss)(params)
            stepped = [p - lr * gp for p, gp in zip(params, g, strict=True)]
            after = float(loss(stepped))
        norm = float(np.sqrt(sum(float(np.sum(gp**2)) for gp in g)))
        rows.append(DepthRow(depth, norm, float(np.linalg.norm(g[0])), float(loss(params)), after))
    return rows


@dataclass(frozen=True)
class DeadReluReport:
    """Dead-unit fractions (one per hidden layer) of a ReLU net: at initialisation, after
    training with each step size (``trained[lr] = (dead, final_loss)``), and with every hidden
    bias shifted (before and after training), with that start's largest hidden-layer gradient
    entry and its loss at the first and last step."""

    initial: np.ndarray
    trained: dict
    shifted_before: np.ndarray
    shifted_after: np.ndarray
    shifted_max_grad: float
    shifted_losses: tuple[float, float]


def dead_relu_report(
    X, y, sizes: Sequence[int], lrs: Sequence[float], steps: int = 200,
    bias_shift: float = -2.0, shifted_lr: float = 0.5, seed: int = 0,
) -> DeadReluReport:  # fmt: skip
    """Train a ReLU MLP (sigmoid output, mean BCE) with each step size in ``lrs``, then from the
    same start with every hidden bias moved by ``bias_shift``; count dead units each time
    (`conditioning.dead_fraction`)."""
    net = MLP(sizes, activation="relu", output="sigmoid", seed=seed)
    if net.depth < 2:
        raise NnlabValueError("dead_relu_report: the network needs a hidden layer")

    def loss(params):
        return binary_cross_entropy(net.apply(params, X), y)

    theta0 = net.parameters()
    trained = {}
    for lr in lrs:
        run = train(loss, theta0, lr=lr, steps=steps)
        trained[lr] = (cond.dead_fraction(net, X, run.params), float(run.final_loss))
    hidden_biases = {2 * layer + 1 for layer in range(net.depth - 1)}  # [W0, b0, W1, b1, ...]
    shifted = [p + bias_shift if k in hidden_biases else p for k, p in enumerate(theta0)]
    run = train(loss, shifted, lr=shifted_lr, steps=steps)
    g = grad(loss)(shifted)
    hidden_grads = g[: 2 * (net.depth - 1)]
    return DeadReluReport(
        initial=cond.dead_fraction(net, X, theta0),
        trained=trained,
        shifted_before=cond.dead_fraction(net, X, shifted),
        shifted_after=cond.dead_fraction(net, X, run.params),
        shifted_max_grad=float(max(np.abs(gp).max() for gp in hidden_grads)),
        shifted_losses=(float(run.losses[0]), float(run.final_loss)),
    )


def _kappa(kappa, where: str) -> float:
    if (
        isinstance(kappa, bool)
        or not isinstance(kappa, int | float)
        or not (kappa >= 1 and math.isfinite(kappa))
    ):
        raise NnlabValueError(f"{where}: kappa must be a finite number >= 1, got {kappa!r}")
    return float(kappa)


def gd_rate(kappa: float) -> float:
    """``(kappa - 1) / (kappa + 1)``: the factor by which gradient descent with the best fixed
    step ``2 / (lambda_min + lambda_max)`` shrinks the distance to a quadratic's minimum, per
    step."""
    k = _kappa(kappa, "gd_rate")
    return (k - 1) / (k + 1)


def momentum_rate(kappa: float) -> float:
    """``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)``: the asymptotic factor per step of heavy-ball
    momentum with Polyak's tuned step and momentum on a quadratic of condition number kappa."""
    r = math.sqrt(_kappa(kappa, "momentum_rate"))
    return (r - 1) / (r + 1)


def _steps_at_rate(rate: float, tol_ratio: float) -> int:
    """Steps until ``rate**(2 k) <= tol_ratio`` (the loss is quadratic in the distance)."""
    return 1 if rate == 0 else math.ceil(math.log(tol_ratio) / math.log(rate * rate))


@dataclass(frozen=True)
class QuadraticRow:
    """Steps to shrink ``f(p) = (p_1**2 + kappa p_2**2) / 2`` by ``tol_ratio`` from ``(1, 1)``:
    gradient descent at ``eta_star`` and heavy-ball momentum at Polyak's parameters, each
    measured and predicted from its rate alone (``ceil(log(tol_ratio) / log(rate**2))``)."""

    kappa: float
    max_lr: float
    eta_star: float
    gd_steps: int
    gd_predicted: int
    momentum_steps: int
    momentum_predicted: int


def quadratic_steps(kappas: Sequence[float], tol_ratio: float = 1e-8) -> list[QuadraticRow]:
    """Measure, for each condition number, the steps gradient descent and heavy-ball momentum
    need on the model quadratic, each at its best fixed parameters:
    GD ``eta = 2 / (lambda_min + lambda_max)``; momentum ``eta = 4 / (sqrt(l_min) +
    sqrt(l_max))**2`` and ``mu = momentum_rate(kappa)**2`` (Polyak 1964)."""
    rows = []
    for kappa in kappas:
        k = _kappa(kappa, "quadratic_steps")
        lam = np.array([1.0, k])
        f = cond.diagonal_quadratic(lam)
        eta_star = float(2.0 / (lam.min() + lam.max()))
        gd = train(f, np.ones(2), lr=eta_star, steps=int(12 * k) + 10)
        gd_losses = np.array(gd.losses + [gd.final_loss])
        eta_m = 4.0 / (math.sqrt(lam.min()) + math.sqrt(lam.max())) ** 2
        mu = momentum_rate(k) ** 2
        hb = train(f, np.ones(2), optimizer="momentum", lr=eta_m, mu=mu,
                   steps=int(20 * math.sqrt(k)) + 20)  # fmt: skip
        hb_losses = np.array(hb.losses + [hb.final_loss])
        rows.append(QuadraticRow(
            kappa=k, max_lr=cond.max_stable_lr(lam), eta_star=eta_star,
            gd_steps=cond.steps_to_tolerance(gd_losses, tol_ratio * gd_losses[0]),
            gd_predicted=cond.predicted_steps(k, tol_ratio),
            momentum_steps=cond.steps_to_tolerance(hb_losses, tol_ratio * hb_losses[0]),
            momentum_predicted=_steps_at_rate(momentum_rate(k), tol_ratio),
        ))  # fmt: skip
    return rows


def penalised_fit_hessian(penalty: float = 1e-3, steps: int = 2000, seed: int = 0):
    """Fit a [1, 4, 1] tanh net (13 parameters) with Adam to 40 noisy samples of sin on [-3, 3],
    loss ``mse + penalty * ||theta||**2`` (the penalty makes a strict minimum possible), and
    return ``(history, hessian)`` at the trained parameters."""
    if not penalty > 0:
        raise NnlabValueError(f"penalised_fit_hessian: penalty must be positive, got {penalty!r}")
    x, y = datasets.function_samples(np.sin, n=40, domain=(-3, 3), noise=0.1, seed=seed)
    net = MLP([1, 4, 1], activation="tanh", output="identity", seed=seed)

    def loss(params):
        return mse(net.apply(params, x), y) + penalty * sum((p * p).sum() for p in params)

    fit = train(loss, net.parameters(), optimizer="adam", lr=0.02, steps=steps)
    return fit, curvature.hessian(loss, fit.params)


# --- Self-checks: answers and the mistakes a student is likely to make ---


def stable_step_check(eigenvalues: Sequence[float]) -> tuple[float, list[Mistake]]:
    """The largest stable gradient-descent step on a quadratic with these Hessian eigenvalues,
    ``2 / lambda_max``, and typical wrong answers with hints (for `SelfCheck`)."""
    lam = np.asarray(eigenvalues, dtype=np.float64)
    if lam.ndim != 1 or lam.size < 2 or not np.all(lam > 0) or not np.all(np.isfinite(lam)):
        raise NnlabValueError(
            f"stable_step_check: give at least two positive eigenvalues, got {eigenvalues!r}"
        )
    expected = cond.max_stable_lr(lam)
    candidates = [
        (2.0 / lam.min(), "That is the limit of the flattest direction. Every direction must "
                          "shrink, so the steepest one (the largest eigenvalue) sets the limit."),
        (1.0 / lam.max(), "Each direction is multiplied by 1 - eta * lambda, which must stay "
                          "above -1: that allows eta up to 2 / lambda, not 1 / lambda."),
        (2.0 / (lam.min() + lam.max()), "That is the best fixed step, which balances the two "
                                        "extreme directions; the question asks where "
                                        "divergence starts."),
    ]  # fmt: skip
    return expected, distinct_mistakes(expected, candidates)


def contraction_check(kappa: float) -> tuple[float, list[Mistake]]:
    """Per-step factor by which gradient descent with the best fixed step shrinks the distance
    to a quadratic's minimum, ``(kappa - 1) / (kappa + 1)``, with typical wrong answers."""
    k = _kappa(kappa, "contraction_check")
    if k == 1:
        raise NnlabValueError("contraction_check: kappa = 1 makes every answer 0; use kappa > 1")
    expected = gd_rate(k)
    candidates = [
        (expected**2, "That is the factor for the loss, which is quadratic in the distance. "
                      "The question asks for the distance (each coordinate)."),
        (momentum_rate(k), "That is tuned heavy-ball momentum's rate, with sqrt(kappa). Plain "
                           "gradient descent gets (kappa - 1) / (kappa + 1)."),
        (1 - 1 / k, "That is the flat direction's factor with the step 1 / lambda_max. The best "
                    "fixed step 2 / (lambda_min + lambda_max) does better."),
    ]  # fmt: skip
    return expected, distinct_mistakes(expected, candidates)
