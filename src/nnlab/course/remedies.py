"""Chapter 12's remedies, measured: what each experiment computes, with no plotting.

- `track_run`: train in stages and report, at each checkpoint, the loss, the gradient norm,
  the weight norm and the Hessian's extreme eigenvalues (is the end point a critical point?).
- `least_squares_problem`, `excess_losses`, `window_means`: SGD's noise floor on a linear
  least-squares problem whose minimum is known exactly.
- `gd_best`, `heavy_ball_best`, `measured_rate`, `momentum_rates`: the rates of gradient descent
  and heavy-ball momentum on a quadratic, measured against their formulas.
- `set_gaussian_weights`, `signal_scales`: forward activations and backward deltas through depth.
- `momentum_steps`, `momentum_mistakes`, `clip_step`, `clip_mistakes`: the hand computations of
  the chapter's self-checks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from ..engine import ops
from ..engine.autodiff import grad
from ..engine.errors import NnlabTypeError, NnlabValueError, ShapeError
from ..nn import backprop, optim
from ..nn.mlp import MLP
from . import conditioning, curvature
from .grading import Mistake, distinct_mistakes

__all__ = [
    "clip_mistakes",
    "clip_step",
    "excess_losses",
    "gd_best",
    "heavy_ball_best",
    "least_squares_problem",
    "linear_mse",
    "noise_floor_runs",
    "measured_rate",
    "momentum_mistakes",
    "momentum_rates",
    "momentum_steps",
    "set_gaussian_weights",
    "signal_scales",
    "track_run",
    "tuned_runs",
    "weight_norm",
    "window_means",
]


def _positive(where: str, name: str, value) -> float:
    if isinstance(value, bool) or not (
        isinstance(value, int | float | np.floating) and math.isfinite(value) and value > 0
    ):
        raise NnlabValueError(f"{where}: {name} must be a positive finite number, got {value!r}")
    return float(value)


def weight_norm(params) -> float:
    """The global L2 norm of a list of parameter arrays."""
    return float(np.sqrt(sum(float(np.sum(np.asarray(p, dtype=np.float64) ** 2)) for p in params)))


# --- is the end of a run a critical point? ------------------------------------------------
def track_run(loss_fn: Callable, params, checkpoints: Sequence[int], **train_kwargs) -> list[dict]:
    """Train ``loss_fn`` from ``params`` with `optim.train`, stopping at each of the increasing
    step counts ``checkpoints`` to measure the point reached.

    One row per checkpoint: ``steps``, ``loss``, ``grad_norm`` (at that point), ``weight_norm``,
    ``eig_min`` and ``eig_max`` (of the Hessian there, by central differences). Training in
    stages is the same run as one long one for full-batch GD (the optimizer has no state).
    """
    marks = [int(c) for c in checkpoints]
    if not marks or marks[0] < 1 or any(b <= a for a, b in zip(marks, marks[1:], strict=False)):
        raise NnlabValueError(
            "track_run: checkpoints must be increasing positive step counts, "
            f"got {list(checkpoints)}"
        )
    rows, done, current = [], 0, params
    for mark in marks:
        run = optim.train(
            loss_fn, current, steps=mark - done, on_divergence="raise", **train_kwargs
        )
        current, done = run.params, mark
        H = curvature.hessian(loss_fn, current)
        g = curvature.flatten(grad(loss_fn)(current))[0]
        rows.append({
            "steps": mark, "loss": float(run.final_loss),
            "grad_norm": float(np.linalg.norm(g)), "weight_norm": weight_norm(current),
            "eig_min": H.min_eigenvalue, "eig_max": H.max_eigenvalue, "params": current,
        })  # fmt: skip
    return rows


# --- SGD's noise floor ----------------------------------------------------------------------
def least_squares_problem(n: int = 256, d: int = 5, noise: float = 0.5, seed: int = 0):
    """A linear regression with noisy targets: ``(X, y, w_star, loss_star)``.

    ``X`` is ``(n, d)`` standard normal, ``y = X w_true + noise * N(0, 1)``; ``w_star`` is the
    least-squares solution and ``loss_star`` its mean squared error, the lowest loss any
    ``w`` reaches (``loss(w) - loss_star`` is the excess loss).
    """
    if not (isinstance(n, int) and isinstance(d, int) and n > d >= 1):
        raise NnlabValueError(
            f"least_squares_problem: need integers n > d >= 1, got n={n!r}, d={d!r}"
        )
    noise = _positive("least_squares_problem", "noise", noise)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + noise * rng.standard_normal(n)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    return X, y, w_star, float(np.mean((X @ w_star - y) ** 2))


def excess_losses(history: optim.History, X, y, loss_star: float) -> np.ndarray:
    """``loss(w_k) - loss_star`` on all of ``(X, y)`` for every point of a run recorded with
    ``record_params=True`` (its ``trajectory``), for the linear model ``w -> X w``."""
    if history.trajectory is None:
        raise NnlabValueError("excess_losses: train with record_params=True to keep the trajectory")
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    W = np.array([np.asarray(w, dtype=np.float64) for w in history.trajectory])
    if W.ndim != 2 or W.shape[1] != X.shape[1]:
        raise ShapeError(f"excess_losses: weights of shape {W.shape[1:]} for inputs {X.shape}")
    return np.mean((W @ X.T - y) ** 2, axis=1) - loss_star


def linear_mse(w, X, y):
    """Mean squared error of the linear model ``X w`` (Tensors or arrays): the loss of
    `least_squares_problem`, in the ``loss_fn(params, X_batch, y_batch)`` form of `optim.train`."""
    return ops.mean((ops.matmul(X, w) - y) ** 2)


def noise_floor_runs(settings: dict, steps: int, batch_size: int, problem=None, seed: int = 0):
    """Train the linear model from ``w = 0`` once per entry of ``settings`` (name -> learning
    rate or schedule), each with minibatches of ``batch_size`` drawn with the same ``seed``.
    Returns ``{name: excess losses}``, one per point of the run (`excess_losses`). ``problem``
    is a `least_squares_problem` tuple (default: its defaults)."""
    X, y, _, loss_star = least_squares_problem() if problem is None else problem
    curves = {}
    for name, rate in settings.items():
        run = optim.train(
            linear_mse, np.zeros(X.shape[1]), "sgd", lr=rate, steps=steps, data=(X, y),
            batch_size=batch_size, seed=seed, record_params=True, on_divergence="raise",
        )  # fmt: skip
        curves[name] = excess_losses(run, X, y, loss_star)
    return curves


def window_means(values, window: int) -> np.ndarray:
    """Means of the last two windows of ``window`` values: ``[previous, last]``. Equal
    means say the curve has stopped falling (a floor); a lower last mean says it still falls."""
    values = np.asarray(values, dtype=np.float64)
    if not (isinstance(window, int) and 1 <= window and 2 * window <= values.size):
        raise NnlabValueError(
            f"window_means: window must be an integer with 2 * window <= {values.size}, "
            f"got {window!r}"
        )
    return np.array([values[-2 * window : -window].mean(), values[-window:].mean()])


# --- rates on a quadratic -------------------------------------------------------------------
def _kappa(kappa, where: str) -> float:
    kappa = _positive(where, "kappa", kappa)
    if kappa < 1:
        raise NnlabValueError(f"{where}: kappa must be >= 1, got {kappa!r}")
    return kappa


def gd_best(kappa: float, lam_min: float = 1.0) -> tuple[float, float]:
    """``(lr, rate)`` of gradient descent at its best fixed step on a quadratic with curvatures
    in ``[lam_min, kappa * lam_min]``: lr = 2 / (lam_min + lam_max), rate = (k - 1) / (k + 1)."""
    kappa = _kappa(kappa, "gd_best")
    lam_min = _positive("gd_best", "lam_min", lam_min)
    return 2.0 / (lam_min * (1.0 + kappa)), (kappa - 1.0) / (kappa + 1.0)


def heavy_ball_best(kappa: float, lam_min: float = 1.0) -> tuple[float, float, float]:
    """``(lr, mu, rate)`` of heavy-ball momentum at its best (Polyak 1964):
    lr = 4 / (sqrt(lam_max) + sqrt(lam_min))^2, mu = rate^2,
    rate = (sqrt(k) - 1) / (sqrt(k) + 1)."""
    kappa = _kappa(kappa, "heavy_ball_best")
    lam_min = _positive("heavy_ball_best", "lam_min", lam_min)
    root = math.sqrt(kappa)
    rate = (root - 1.0) / (root + 1.0)
    return 4.0 / (lam_min * (root + 1.0) ** 2), rate * rate, rate


def measured_rate(distances) -> float:
    """The factor per step by which the distances to the minimum shrink, over the second half
    of the run: ``(d[K] / d[K // 2]) ** (1 / (K - K // 2))``. The first half is left out so
    that a start-up transient does not count."""
    d = np.asarray(distances, dtype=np.float64)
    if d.ndim != 1 or d.size < 3 or not np.all(np.isfinite(d)) or np.any(d <= 0):
        raise NnlabValueError("measured_rate: need at least 3 positive finite distances")
    k, half = d.size - 1, (d.size - 1) // 2
    return float((d[-1] / d[half]) ** (1.0 / (k - half)))


def momentum_rates(kappas: Sequence[float], shrink: float = 1e-100) -> list[dict]:
    """GD and heavy-ball momentum, each at its best parameters, on ``f = 1/2 (p0^2 + k p1^2)``
    from ``(1, 1)``: for each ``k``, both run the steps momentum needs in theory to shrink the
    distance by ``shrink``. Rows: ``kappa``, ``steps``, ``gd_formula``, ``gd_measured``,
    ``hb_formula``, ``hb_measured``, ``hb_lr``, ``hb_mu``.

    Momentum's measured rate sits slightly above its formula on a finite run: at the best
    parameters its two eigenvalues coincide and the distance falls like ``k * rate**k``.
    """
    rows = []
    for kappa in kappas:
        f = conditioning.diagonal_quadratic([1.0, float(kappa)])
        gd_lr, gd_rate = gd_best(kappa)
        hb_lr, mu, hb_rate = heavy_ball_best(kappa)
        steps = max(4, math.ceil(math.log(shrink) / math.log(hb_rate))) if hb_rate > 0 else 4
        start = np.array([1.0, 1.0])
        gd = optim.train(f, start, "gd", lr=gd_lr, steps=steps, record_params=True)
        hb = optim.train(f, start, "momentum", lr=hb_lr, mu=mu, steps=steps, record_params=True)
        rows.append({
            "kappa": float(kappa), "steps": steps, "gd_lr": gd_lr,
            "gd_formula": gd_rate, "gd_measured": measured_rate(_distances(gd)),
            "hb_lr": hb_lr, "hb_mu": mu,
            "hb_formula": hb_rate, "hb_measured": measured_rate(_distances(hb)),
        })  # fmt: skip
    return rows


def _distances(history) -> np.ndarray:
    return np.array([float(np.linalg.norm(p)) for p in history.trajectory])


# --- comparing optimizers fairly ---------------------------------------------------------
def tuned_runs(loss_fn: Callable, params, lr_grid: dict, steps: int, **train_kwargs) -> dict:
    """Each optimizer at the best learning rate of its own grid: ``lr_grid`` maps an optimizer
    name to the rates to try; every run starts from ``params`` and takes ``steps`` updates.
    Returns ``{name: (best_lr, best_history, {lr: final loss or nan if diverged})}``; the best
    run is the non-diverged one with the lowest final loss (an error if all diverged)."""
    out = {}
    for name, lrs in lr_grid.items():
        runs = {float(lr): optim.train(loss_fn, params, name, lr=lr, steps=steps, **train_kwargs)
                for lr in lrs}  # fmt: skip
        finals = {lr: (math.nan if r.diverged else float(r.final_loss)) for lr, r in runs.items()}
        ok = [lr for lr, v in finals.items() if not math.isnan(v)]
        if not ok:
            raise NnlabValueError(
                f"tuned_runs: every learning rate in {list(lrs)} diverged for {name}"
            )
        best = min(ok, key=finals.get)
        out[name] = (best, runs[best], finals)
    return out


# --- signal scales through depth --------------------------------------------------------------
def set_gaussian_weights(net: MLP, std: Callable[[int], float], seed: int = 0) -> list:
    """Parameters for ``net`` with every ``W_l`` drawn from N(0, std(n_l)^2), ``n_l`` its fan-in,
    and zero biases: ``std = lambda n: (2 / n) ** 0.5`` is He's, ``(1 / n) ** 0.5`` Glorot's for
    equal widths, ``lambda n: 0.01`` a naive constant."""
    if not isinstance(net, MLP):
        raise NnlabTypeError(
            f"set_gaussian_weights: expected an nnlab.MLP, got {type(net).__name__}"
        )
    rng = np.random.default_rng(seed)
    params = []
    for W, b in net.layers():
        params.append(rng.standard_normal(W.shape) * float(std(W.shape[0])))
        if b is not None:
            params.append(np.zeros_like(b))
    return params


def signal_scales(net: MLP, X, params=None) -> tuple[np.ndarray, np.ndarray]:
    """``(forward, backward)``: the root-mean-square of the hidden activations ``a_l``
    (l = 1 .. D-1) and of the deltas ``delta_l = dL/dz_l`` (l = 0 .. D-1) when the output
    sends back ``delta_{D-1} = 1`` for every example (a unit signal, so the scale is the
    network's and not the loss's). Shapes ``(D - 1,)`` and ``(D,)``."""
    if not isinstance(net, MLP):
        raise NnlabTypeError(f"signal_scales: expected an nnlab.MLP, got {type(net).__name__}")
    cache = backprop.forward(net, X, params)
    layers = net.layers(params)
    forward = np.array([_rms(a) for a in cache.a[1:-1]])
    delta = np.ones_like(np.asarray(cache.z[-1], dtype=np.float64))
    deltas = [delta]
    for layer in range(net.depth - 1, 0, -1):
        W = np.asarray(layers[layer][0])
        act = net.hidden[layer - 1]
        delta = (delta @ W.T) * act.derivative(cache.z[layer - 1], cache.a[layer])
        deltas.append(delta)
    return forward, np.array([_rms(d) for d in reversed(deltas)])


def _rms(a) -> float:
    return float(np.sqrt(np.mean(np.asarray(a, dtype=np.float64) ** 2)))


# --- hand computations for the self-checks --------------------------------------------------
def momentum_steps(lam: float, w0: float, lr: float, mu: float, k: int) -> list[dict]:
    """``k`` heavy-ball steps on ``L(w) = lam / 2 * w^2`` from ``w0``, as a student writes them:
    rows ``t``, ``grad`` (at w_{t-1}), ``velocity`` (mu v - lr grad) and ``w`` (w + v)."""
    lam = _positive("momentum_steps", "lam", lam)
    lr = _positive("momentum_steps", "lr", lr)
    if not (isinstance(mu, int | float) and 0 <= mu < 1):
        raise NnlabValueError(f"momentum_steps: mu must be a number in [0, 1), got {mu!r}")
    if not (isinstance(k, int) and k >= 1):
        raise NnlabValueError(f"momentum_steps: k must be an integer >= 1, got {k!r}")
    w, v, rows = float(w0), 0.0, []
    for t in range(1, k + 1):
        g = lam * w
        v = mu * v - lr * g
        w = w + v
        rows.append({"t": t, "grad": g, "velocity": v, "w": w})
    return rows


def momentum_mistakes(lam: float, w0: float, lr: float, mu: float) -> list[Mistake]:
    """Wrong values of w_2 after two heavy-ball steps, each with its hint."""
    w1 = w0 - lr * lam * w0
    g1 = lam * w1
    v1 = -lr * lam * w0
    candidates = [
        (
            w1 - lr * g1,
            "That is plain gradient descent: the second step also adds mu times the "
            "first velocity.",
        ),  # fmt: skip
        (
            w1 - mu * v1 - lr * g1,
            "Check the sign: the velocity keeps its direction, v2 = mu v1 - lr g1.",
        ),
        (w1 + mu * v1 - lr * lam * w0, "The second gradient is taken at w1, not at w0."),
        (w1 + mu * v1 + lr * g1, "The gradient is subtracted: v2 = mu v1 - lr g1."),
    ]
    return distinct_mistakes(momentum_steps(lam, w0, lr, mu, 2)[-1]["w"], candidates)


def clip_step(grad: Sequence[float], max_norm: float, lr: float) -> dict:
    """One clipped GD step from 0 with gradient ``grad``: ``norm``, ``clipped`` gradient and
    ``step`` (``-lr * clipped``), computed by `optim.clip_by_global_norm`."""
    g = np.asarray(grad, dtype=np.float64)
    lr = _positive("clip_step", "lr", lr)
    clipped, norm = optim.clip_by_global_norm(g, max_norm)
    return {"norm": norm, "clipped": clipped, "step": -lr * clipped}


def clip_mistakes(grad: Sequence[float], max_norm: float, lr: float, index: int) -> list[Mistake]:
    """Wrong values of entry ``index`` of the clipped step, each with its hint."""
    g = np.asarray(grad, dtype=np.float64)
    expected = float(clip_step(g, max_norm, lr)["step"][index])
    candidates = [
        (-lr * g[index], "That step is not clipped: the norm is above the bound, so rescale."),
        (
            -lr * float(np.clip(g[index], -max_norm, max_norm)),
            "That clips each entry on its own; norm clipping rescales the whole vector by "
            "max_norm / norm.",
        ),  # fmt: skip
        (
            -lr * g[index] * max_norm / float(np.sum(np.abs(g))),
            "Use the L2 norm, not the sum of |g_i|.",
        ),
        (
            lr * g[index] * max_norm / float(np.linalg.norm(g)),
            "A descent step goes against the gradient.",
        ),
    ]
    return distinct_mistakes(expected, candidates)
