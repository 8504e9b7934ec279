"""Why training is hard, in numbers: curvature, conditioning and saturation statistics.

- `condition_number`, `max_stable_lr`: from Hessian eigenvalues (or a symmetric matrix).
- `diagonal_quadratic`: ``f(p) = 1/2 sum_i lambda_i p_i**2``, the model problem of gradient descent.
- `steps_to_tolerance`: the first step at which a loss curve falls below a tolerance.
- `find_critical_point`: Newton's method on the gradient; finds minima *and* saddles.
- `layer_gradient_norms`, `activation_derivative_means`, `dead_fraction`: per-layer statistics
  of an `MLP` on data (vanishing gradients, saturation, dead ReLU units).

Numpy only, like the rest of the core.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..engine.autodiff import grad
from ..engine.errors import NnlabTypeError, NnlabValueError
from ..nn import backprop
from ..nn.mlp import MLP
from . import curvature


def _eigenvalues(eigenvalues_or_matrix, where: str) -> np.ndarray:
    """Ascending eigenvalues from a 1-D array of them, a square symmetric matrix or a Hessian."""
    if isinstance(eigenvalues_or_matrix, curvature.Hessian):
        return np.asarray(eigenvalues_or_matrix.eigenvalues, dtype=np.float64)
    a = np.asarray(eigenvalues_or_matrix, dtype=np.float64)
    if a.ndim == 2:
        if a.shape[0] != a.shape[1]:
            raise NnlabValueError(f"{where}: expected a square matrix, got shape {a.shape}")
        if not np.allclose(a, a.T, rtol=1e-10, atol=1e-12):
            raise NnlabValueError(
                f"{where}: expected a symmetric matrix (a Hessian); this one is not symmetric"
            )
        a = np.linalg.eigvalsh(a)
    elif a.ndim != 1:
        raise NnlabValueError(
            f"{where}: expected eigenvalues (1-D) or a symmetric matrix (2-D), got {a.ndim}-D"
        )
    if a.size == 0 or not np.all(np.isfinite(a)):
        raise NnlabValueError(f"{where}: eigenvalues must be a non-empty array of finite numbers")
    return np.sort(a)


def condition_number(eigenvalues_or_matrix) -> float:
    """``kappa = lambda_max / lambda_min`` of a positive-definite Hessian (at a minimum).

    Accepts eigenvalues, a symmetric matrix or a `curvature.Hessian`. A zero or negative
    eigenvalue (a flat direction or a saddle) is an error: kappa is then not defined.
    """
    lam = _eigenvalues(eigenvalues_or_matrix, "condition_number")
    if lam[0] <= 0:
        raise NnlabValueError(
            f"condition_number: the smallest eigenvalue is {lam[0]:.3g} <= 0, so the matrix is not "
            "positive definite (a saddle or a flat direction); kappa is defined only at a minimum"
        )
    return float(lam[-1] / lam[0])


def max_stable_lr(eigenvalues_or_matrix) -> float:
    """``2 / lambda_max``: gradient descent on a quadratic with this curvature converges for
    ``0 < lr < 2 / lambda_max`` and diverges for larger steps."""
    lam = _eigenvalues(eigenvalues_or_matrix, "max_stable_lr")
    if lam[-1] <= 0:
        raise NnlabValueError(
            f"max_stable_lr: the largest eigenvalue is {lam[-1]:.3g} <= 0; there is no upward "
            "curvature, so no step size bound comes from it"
        )
    return float(2.0 / lam[-1])


def diagonal_quadratic(eigenvalues: Sequence[float]):
    """``f(p) = 1/2 * sum_i lambda_i * p_i**2`` (Tensors or arrays); its Hessian is
    ``diag(lambda)`` and its minimum is ``p = 0`` with ``f = 0``."""
    lam = np.asarray(eigenvalues, dtype=np.float64)
    if lam.ndim != 1 or lam.size == 0 or not np.all(np.isfinite(lam)):
        raise NnlabValueError(
            "diagonal_quadratic: eigenvalues must be a non-empty 1-D list of numbers"
        )

    def f(p):
        shape = p.value.shape if hasattr(p, "value") else np.shape(p)
        if shape != lam.shape:
            raise NnlabValueError(
                f"f: diagonal_quadratic: expected a point of shape {lam.shape}, got {shape}"
            )
        return 0.5 * (lam * p * p).sum()

    return f


def steps_to_tolerance(losses: Sequence[float], tol: float) -> int | None:
    """The first index ``k`` with ``losses[k] <= tol`` (``None`` if the curve never gets there)."""
    if not (isinstance(tol, int | float) and tol > 0):
        raise NnlabValueError(f"steps_to_tolerance: tol must be a positive number, got {tol!r}")
    values = np.asarray(losses, dtype=np.float64)
    hits = np.flatnonzero(values <= tol)
    return int(hits[0]) if hits.size else None


def predicted_steps(kappa: float, tol_ratio: float) -> int:
    """Steps that gradient descent with the best fixed step ``2 / (lambda_min + lambda_max)``
    needs to shrink the loss of a quadratic by ``tol_ratio``: every step multiplies each
    coordinate by at most ``r = (kappa - 1) / (kappa + 1)`` in size, so the loss by ``r**2``;
    the answer is ``ceil(log(tol_ratio) / log(r**2))`` (0 when kappa = 1: one step is exact)."""
    if not (kappa >= 1 and math.isfinite(kappa)):
        raise NnlabValueError(f"predicted_steps: kappa must be a finite number >= 1, got {kappa!r}")
    if not 0 < tol_ratio < 1:
        raise NnlabValueError(f"predicted_steps: tol_ratio must lie in (0, 1), got {tol_ratio!r}")
    r = (kappa - 1) / (kappa + 1)
    if r == 0:
        return 1
    return math.ceil(math.log(tol_ratio) / math.log(r * r))


def find_critical_point(f, x0, steps: int = 50, tol: float = 1e-10):
    """Newton's method on the gradient, ``x <- x - H(x)^{-1} grad f(x)``, from ``x0``.

    Newton's method solves ``grad f = 0``, so it converges to a nearby critical point of any
    kind (minimum, maximum or saddle), unlike gradient descent, which runs away from saddles.
    Returns ``(x, grad_norm, Hessian)``; raises if the Hessian becomes singular or the gradient
    norm is still above ``tol`` after ``steps`` iterations.
    """
    x = np.array(x0, dtype=np.float64)
    if x.ndim != 1:
        raise NnlabValueError(f"find_critical_point: x0 must be a 1-D point, got shape {x.shape}")
    g = grad(f)
    for _ in range(steps):
        gx = np.asarray(g(x), dtype=np.float64)
        if np.linalg.norm(gx) <= tol:
            break
        H = curvature.hessian(f, x).matrix
        try:
            x = x - np.linalg.solve(H, gx)
        except np.linalg.LinAlgError:
            raise NnlabValueError(f"find_critical_point: the Hessian is singular at {x}") from None
    norm = float(np.linalg.norm(np.asarray(g(x), dtype=np.float64)))
    if not norm <= tol:
        raise NnlabValueError(
            f"find_critical_point: no critical point reached from {list(np.ravel(x0))} in {steps} "
            f"Newton steps (gradient norm {norm:.3g}); start closer"
        )
    return x, norm, curvature.hessian(f, x)


def _check_net(net, where: str):
    if not isinstance(net, MLP):
        raise NnlabTypeError(f"{where}: expected an nnlab.MLP, got {type(net).__name__}")


def layer_gradient_norms(net: MLP, X, y, loss: str, params=None) -> np.ndarray:
    """``||dL/dW_l||`` (Frobenius norm) for each weight layer ``l = 0 .. depth-1``, from one
    forward and one backward pass of `nnlab.backprop` (``loss``: "bce", "softmax_ce" or "mse",
    matching the network's output unit)."""
    _check_net(net, "layer_gradient_norms")
    _, grads = backprop.loss_and_gradients(net, X, y, loss, params)
    has_bias = [b is not None for b in net.b]
    it = iter(grads)
    norms = []
    for flag in has_bias:
        norms.append(float(np.linalg.norm(next(it))))
        if flag:
            next(it)
    return np.array(norms)


def activation_derivative_means(net: MLP, X, params=None) -> np.ndarray:
    """The mean of ``f'(z)`` over examples and units, one number per hidden layer: the factor by
    which, on average, a gradient is multiplied when it passes back through that layer's
    activation (at most 1/4 for sigmoid, 1 for tanh and ReLU)."""
    _check_net(net, "activation_derivative_means")
    cache = backprop.forward(net, X, params)
    return np.array(
        [
            float(np.mean(act.derivative(cache.z[layer], cache.a[layer + 1])))
            for layer, act in enumerate(net.hidden)
        ]
    )


def dead_fraction(net: MLP, X, params=None) -> np.ndarray:
    """For each hidden layer, the fraction of units whose pre-activation is ``<= 0`` on every
    example of ``X``. For ReLU such a unit outputs 0 and passes back no gradient, on all of
    this data: it is *dead*, and gradient descent cannot revive it through its own weights."""
    _check_net(net, "dead_fraction")
    if net.depth < 2:
        raise NnlabValueError("dead_fraction: the network has no hidden layer")
    cache = backprop.forward(net, X, params)
    return np.array([float(np.mean(np.all(z <= 0, axis=0))) for z in cache.z[:-1]])
