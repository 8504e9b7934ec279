"""Chapter 5's experiments: a fixed basis against a learned one, compared like with like.

- `fit_polynomial`, `fit_rbf_grid`, `fit_tanh_net`: the three 1-D models, each
  ``(x, y, ...) -> predict`` (a function of new inputs), so one loop can fit them all.
- `error_table`: mean test error of every model against the training-set size.
- `converge`: train a one-hidden-layer tanh network on the penalised least-squares objective
  ``mean((net(x) - y)^2) + penalty * |theta|^2`` until its gradient vanishes (Adam to start,
  then Levenberg-Marquardt steps), with the hidden layer trained (a learned basis) or frozen
  (a fixed basis: the same network, but only the last layer is fitted, a convex problem).
- `seed_study`: `converge` from several seeds, with each end point's gradient norm and Hessian
  eigenvalues, so a point called a minimum is shown to be one.
- `polynomial_coefficients`: the least-squares polynomial of a function on an interval.
- `alignment`: how closely each hidden unit's weight vector points along a direction.
- `single_direction_task`: data for a target in d dimensions that varies along one direction.

Examples are rows: ``x`` has shape (n, d), targets ``y`` shape (n,).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..engine.autodiff import value_and_grad
from ..engine.errors import NnlabTypeError, NnlabValueError, ShapeError
from ..engine.ops import sum as tensor_sum
from ..nn import losses
from ..nn.data import function_samples
from ..nn.fit import fit
from ..nn.metrics import mse
from ..nn.mlp import MLP
from ..nn.optim import train
from . import basis
from .curvature import hessian
from .grading import Mistake, distinct_mistakes

__all__ = [
    "ConvergedFit",
    "SeedStudy",
    "alignment",
    "converge",
    "error_table",
    "fit_polynomial",
    "fit_rbf_grid",
    "fit_tanh_converged",
    "fit_tanh_net",
    "monomial_count_mistakes",
    "polynomial_coefficients",
    "residuals_and_jacobian",
    "seed_study",
    "single_direction_task",
]


# --- the three 1-D models ----------------------------------------------------------------
def fit_polynomial(x, y, seed: int = 0, degree: int = 7, ridge: float = 1e-6) -> Callable:
    """Least squares on the monomials x, ..., x^degree (plus a bias); ``seed`` is unused."""
    fitted = basis.fit_linear(basis.polynomial_features(x, degree), y, ridge=ridge)
    return lambda xs: fitted.predict(basis.polynomial_features(xs, degree))


def fit_rbf_grid(
    x, y, seed: int = 0, domain=(-1.5, 1.5), k: int = 12, width: float = 0.3, ridge=1e-4
) -> Callable:
    """Least squares on ``k`` gaussian bumps per input axis, spread evenly over ``domain``."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ShapeError(f"fit_rbf_grid: x must have shape (n, d), got {x.shape}")
    centers = basis.rbf_grid_centers(*domain, k, d=x.shape[1])
    fitted = basis.fit_linear(basis.rbf_features(x, centers, width), y, ridge=ridge)
    return lambda xs: fitted.predict(basis.rbf_features(xs, centers, width))


def fit_tanh_net(
    x, y, seed: int = 0, width: int = 8, steps: int = 1200, lr: float = 0.02, activation="tanh"
) -> Callable:
    """``MLP([d, width, 1])`` trained by Adam on the MSE for a fixed budget of ``steps``.

    The budget, not convergence, ends the run: the returned predictor has a ``history``
    attribute (the `History`) so a caller can report the last gradient norm.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ShapeError(f"fit_tanh_net: x must have shape (n, d), got {x.shape}")
    net = MLP([x.shape[1], width, 1], activation, seed=seed)
    history = fit(net, x, y, loss="mse", optimizer="adam", lr=lr, steps=steps)

    def predict(xs):
        return net(xs)[:, 0]

    predict.history, predict.net = history, net
    return predict


def fit_tanh_converged(x, y, seed: int = 0, width: int = 8, penalty: float = 1e-4) -> Callable:
    """``MLP([d, width, 1], "tanh", seed=seed)`` trained by `converge` (to a vanishing gradient
    of MSE + ``penalty`` |theta|^2). The predictor's ``result`` attribute is the `ConvergedFit`."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ShapeError(f"fit_tanh_converged: x must have shape (n, d), got {x.shape}")
    net = MLP([x.shape[1], width, 1], "tanh", seed=seed)
    result = converge(net, x, y, penalty=penalty)
    net.set_parameters(result.params)

    def predict(xs):
        return net(xs)[:, 0]

    predict.result, predict.net = result, net
    return predict


def error_table(
    f: Callable, models: Mapping[str, Callable], sizes: Sequence[int], seeds: Sequence[int],
    x_test, domain=(-1.5, 1.5), noise: float = 0.1, fitted: list | None = None,
) -> dict[str, np.ndarray]:  # fmt: skip
    """Test MSE of every model: ``{name: array (len(seeds), len(sizes))}``.

    For seed ``s`` and size ``n`` the training set is ``n`` noisy samples of ``f`` drawn with
    data seed ``100 + s``; every model sees the same set and is fitted with ``seed=s``.
    A list passed as ``fitted`` receives every predictor (to check, e.g., convergence).
    """
    if not callable(f):
        raise NnlabTypeError(f"error_table: f must be a function, got {type(f).__name__}")
    if len(sizes) == 0 or len(seeds) == 0 or len(models) == 0:
        raise NnlabValueError("error_table: need at least one model, one size and one seed")
    x_test = np.asarray(x_test, dtype=np.float64)
    y_test = f(x_test[:, 0])
    table = {name: np.zeros((len(seeds), len(sizes))) for name in models}
    for i, seed in enumerate(seeds):
        for j, n in enumerate(sizes):
            x, y = function_samples(f, n=n, domain=domain, noise=noise, seed=100 + seed)
            for name, fit_model in models.items():
                predict = fit_model(x, y, seed=seed)
                table[name][i, j] = mse(predict(x_test), y_test)
                if fitted is not None:
                    fitted.append(predict)
    return table


# --- training to convergence ---------------------------------------------------------------
def _check_net(net, where: str) -> None:
    if not isinstance(net, MLP):
        raise NnlabTypeError(f"{where}: expected an nnlab.MLP, got {type(net).__name__}")
    if net.depth != 2 or net.sizes[-1] != 1 or net.activations[0] != "tanh":
        raise NnlabValueError(
            f"{where}: needs a one-hidden-layer tanh network with one output, got {net}"
        )
    if net.output != "identity":
        raise NnlabValueError(f"{where}: needs an identity output, got {net.output!r}")


def residuals_and_jacobian(params, X, y) -> tuple[np.ndarray, np.ndarray]:
    """Residuals ``r = net(X) - y`` (n,) of ``[W0, b0, W1, b1]`` and their Jacobian (n, p).

    The columns follow the flattened parameters in order: W0 row by row (d*m), b0 (m),
    W1 (m), b1 (1). For h = tanh(X W0 + b0): dr/dW0[i, j] = X[:, i] W1[j] (1 - h_j^2),
    dr/db0[j] = W1[j] (1 - h_j^2), dr/dW1[j] = h_j, dr/db1 = 1.
    """
    W0, b0, W1, b1 = (np.asarray(p, dtype=np.float64) for p in params)
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    H = np.tanh(X @ W0 + b0)
    r = H @ W1[:, 0] + b1[0] - np.asarray(y, dtype=np.float64)
    D = (1.0 - H**2) * W1[:, 0]  # (n, m): d output / d hidden pre-activation
    dW0 = (X[:, :, None] * D[:, None, :]).reshape(n, -1)
    return r, np.concatenate([dW0, D, H, np.ones((n, 1))], axis=1)


@dataclass(frozen=True)
class ConvergedFit:
    """Where `converge` stopped.

    ``objective`` = ``mse + penalty * |theta|^2`` over the trained parameters; ``grad_norm`` is
    the engine's reverse-mode gradient norm of it there, ``eigenvalues`` the Hessian's
    (central differences of that gradient, ascending). ``converged`` is ``grad_norm < tol``.
    """

    params: list
    objective: float
    mse: float
    grad_norm: float
    eigenvalues: np.ndarray
    iterations: int
    converged: bool

    @property
    def min_eigenvalue(self) -> float:
        return float(self.eigenvalues[0])


def _unflatten(vector, shapes):
    out, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        out.append(vector[start : start + size].reshape(shape))
        start += size
    return out


def converge(
    net: MLP, X, y, penalty: float = 1e-4, freeze_hidden: bool = False, warmup: int = 1000,
    tol: float = 1e-9, max_iter: int = 2000, escapes: int = 3,
) -> ConvergedFit:  # fmt: skip
    """Minimise ``mean((net(X) - y)^2) + penalty * |theta|^2`` from ``net``'s parameters.

    ``theta`` is every parameter, or with ``freeze_hidden`` only the last layer's (the hidden
    layer keeps its values: a fixed basis, and then the objective is a convex quadratic).
    ``warmup`` Adam steps (lr 0.02) come first, then Levenberg-Marquardt steps (Gauss-Newton
    with a damping that grows when a step would raise the objective) until the gradient norm
    is below ``tol`` or ``max_iter`` steps. Where they stall next to a saddle (a negative
    Hessian eigenvalue), a step along its eigenvector starts them again (``escapes`` times at
    most). The penalty makes the objective grow without bound
    as the weights do, so a minimum exists; without it a network can keep lowering its loss by
    sharpening its units, and there is no point to converge to. ``net`` is left unchanged.
    """
    where = "converge"
    _check_net(net, where)
    if not (isinstance(penalty, int | float) and penalty >= 0):
        raise NnlabValueError(f"{where}: penalty must be a non-negative number, got {penalty!r}")
    if not (isinstance(tol, int | float) and tol > 0):
        raise NnlabValueError(f"{where}: tol must be positive, got {tol!r}")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != net.sizes[0] or y.shape != (X.shape[0],):
        raise ShapeError(
            f"{where}: X must have shape (n, {net.sizes[0]}) and y shape (n,), "
            f"got {X.shape} and {y.shape}"
        )
    params = [np.array(p, dtype=np.float64) for p in net.parameters()]
    hidden = params[:2] if freeze_hidden else []
    first = 2 if freeze_hidden else 0

    def objective(trained):
        full = hidden + list(trained)
        fit_term = losses.mse(net.apply(full, X)[:, 0], y)
        return fit_term + penalty * sum(tensor_sum(p * p) for p in trained)

    trained = params[first:]
    if warmup > 0:
        trained = [np.asarray(p) for p in train(objective, trained, "adam", lr=0.02,
                                                steps=warmup).params]  # fmt: skip
    shapes = [p.shape for p in trained]
    vector = np.concatenate([p.ravel() for p in trained])
    n, c = len(X), np.sqrt(len(X) * penalty)

    def stacked(v):
        # mean(r^2) + penalty |v|^2 = |[r; c v]|^2 / n: one least-squares problem
        r, J = residuals_and_jacobian(hidden + _unflatten(v, shapes), X, y)
        J = J[:, J.shape[1] - v.size :]
        return np.concatenate([r, c * v]), np.vstack([J, c * np.eye(v.size)])

    def marquardt(vector, budget):
        """Levenberg-Marquardt steps from ``vector``: (vector, steps taken, converged?)."""
        r, J = stacked(vector)
        value, damping = r @ r / n, 1e-3
        for taken in range(budget + 1):
            if np.linalg.norm(2.0 / n * J.T @ r) < tol:
                return vector, taken, True
            if taken == budget:
                break
            A, g = J.T @ J, J.T @ r
            while damping < 1e12:
                step = np.linalg.solve(A + damping * np.diag(np.diag(A) + 1e-12), -g)
                r_new, J_new = stacked(vector + step)
                if r_new @ r_new / n <= value:
                    vector, r, J, value = vector + step, r_new, J_new, r_new @ r_new / n
                    damping = max(damping / 3.0, 1e-15)
                    break
                damping *= 4.0
            else:
                break  # no step lowers the objective any more: rounding level
        return vector, taken, False

    def total(v):
        r, _ = stacked(v)
        return r @ r / n

    vector, iterations, done = marquardt(vector, max_iter)
    for _ in range(escapes):
        if done:
            break
        # Gauss-Newton ignores negative curvature, so it crawls near a saddle: step off it
        # along the Hessian's most negative direction, then continue.
        curvature = hessian(objective, _unflatten(vector, shapes))
        if curvature.min_eigenvalue >= 0:
            break
        direction = curvature.eigenvectors[:, 0]
        trials = [vector + t * direction for t in (0.3, -0.3, 0.1, -0.1, 0.03, -0.03)]
        vector = min(trials, key=total)
        vector, more, done = marquardt(vector, max_iter)
        iterations += more
    trained = _unflatten(vector, shapes)
    value, grads = value_and_grad(objective)(trained)
    grad_norm = float(np.sqrt(sum(np.sum(np.asarray(g) ** 2) for g in grads)))
    eigenvalues = hessian(objective, trained).eigenvalues
    full = hidden + trained
    fit_mse = float(np.mean((np.asarray(net.apply(full, X))[:, 0] - y) ** 2))
    return ConvergedFit(
        full, float(np.asarray(getattr(value, "value", value))), fit_mse, grad_norm,
        eigenvalues, iterations, grad_norm < tol,
    )  # fmt: skip


@dataclass(frozen=True)
class SeedStudy:
    """`converge` from each seed: the fits, and how many distinct objective values they reach
    (values within ``rtol`` of each other count as one)."""

    seeds: list[int]
    fits: list[ConvergedFit]
    rtol: float

    @property
    def objectives(self) -> np.ndarray:
        return np.array([fit.objective for fit in self.fits])

    @property
    def distinct(self) -> list[float]:
        values: list[float] = []
        for v in sorted(self.objectives):
            if not values or abs(v - values[-1]) > self.rtol * abs(values[-1]):
                values.append(float(v))
        return values


def seed_study(
    X, y, seeds: Sequence[int], width: int = 8, penalty: float = 1e-4,
    freeze_hidden: bool = False, hidden_seed: int = 0, rtol: float = 1e-6, **converge_kwargs,
) -> SeedStudy:  # fmt: skip
    """Train ``MLP([d, width, 1], "tanh", seed=s)`` to convergence for every seed ``s``.

    With ``freeze_hidden`` every run keeps the hidden layer of the seed-``hidden_seed``
    network (one fixed basis for all) and starts its last layer from seed ``s``'s values.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ShapeError(f"seed_study: X must have shape (n, d), got {X.shape}")
    if len(seeds) == 0:
        raise NnlabValueError("seed_study: need at least one seed")
    shared = MLP([X.shape[1], width, 1], "tanh", seed=hidden_seed)
    fits = []
    for s in seeds:
        net = MLP([X.shape[1], width, 1], "tanh", seed=int(s))
        if freeze_hidden:
            net.set_parameters(shared.parameters()[:2] + net.parameters()[2:])
        fits.append(converge(net, X, y, penalty, freeze_hidden, **converge_kwargs))
    return SeedStudy([int(s) for s in seeds], fits, rtol)


# --- reading coefficients and directions -----------------------------------------------------
def polynomial_coefficients(f: Callable, degree: int, domain, n: int = 2001) -> np.ndarray:
    """Coefficients ``c_0..c_degree`` of the least-squares polynomial fit of ``f`` (no noise)
    at ``n`` evenly spaced points of ``domain``."""
    if not callable(f):
        raise NnlabTypeError(
            f"polynomial_coefficients: f must be a function, got {type(f).__name__}"
        )
    low, high = float(domain[0]), float(domain[1])
    if not low < high:
        raise NnlabValueError(f"polynomial_coefficients: domain must have low < high, got {domain}")
    x = np.linspace(low, high, n)[:, None]
    fitted = basis.fit_linear(basis.polynomial_features(x, degree), f(x[:, 0]))
    return np.concatenate([[fitted.b], fitted.w])


def alignment(W, u) -> np.ndarray:
    """``|cos|`` of the angle between each column of ``W`` (d, m) and the direction ``u`` (d,)."""
    W = np.asarray(W, dtype=np.float64)
    u = np.asarray(u, dtype=np.float64)
    if W.ndim != 2 or u.shape != (W.shape[0],):
        raise ShapeError(f"alignment: W must be (d, m) and u (d,), got {W.shape} and {u.shape}")
    norms = np.linalg.norm(W, axis=0) * np.linalg.norm(u)
    if np.any(norms == 0):
        raise NnlabValueError("alignment: u and every column of W must be nonzero")
    return np.abs(u @ W) / norms


def monomial_count_mistakes(d: int, degree: int) -> tuple[float, list[Mistake]]:
    """The number of monomials of degree <= ``degree`` in ``d`` inputs, constant included
    (C(d + p, p)), and the usual wrong counts, for a self-check."""
    expected = basis.n_polynomial_features(d, degree)
    return float(expected), distinct_mistakes(
        float(expected),
        [
            (expected - 1, "Almost: you left out the constant monomial 1."),
            (basis.n_polynomial_features(d, degree) - basis.n_polynomial_features(d, degree - 1)
             if degree >= 1 else -1.0,
             "That counts only the monomials of degree exactly p. Add those of lower degree."),
            ((degree + 1) ** d, "That lets every input reach degree p on its own (a grid of "
             "powers); the total degree of a monomial must be at most p."),
            (d**degree, "That counts ordered products; x1 x2 and x2 x1 are the same monomial."),
        ],
    )  # fmt: skip


def single_direction_task(d: int = 4, n_train: int = 200, n_test: int = 2000,
                          noise: float = 0.05, seed: int = 7):  # fmt: skip
    """Data for ``g(x) = sin(2 x . u)`` with ``u = (1, ..., 1) / sqrt(d)`` on ``[-1, 1]^d``:
    ``(X_train, y_train, X_test, y_test, u)``; training targets carry N(0, noise^2) noise.

    The target varies along the one direction ``u`` only (a test of whether a basis can find it).
    """
    if not (isinstance(d, int) and d >= 1):
        raise NnlabValueError(f"single_direction_task: d must be a positive int, got {d!r}")
    u = np.ones(d) / np.sqrt(d)
    rng = np.random.default_rng(seed)
    X_train = rng.uniform(-1, 1, (n_train, d))
    y_train = np.sin(2 * X_train @ u) + noise * rng.standard_normal(n_train)
    X_test = rng.uniform(-1, 1, (n_test, d))
    return X_train, y_train, X_test, np.sin(2 * X_test @ u), u
