"""Fixed-basis regression and classification, and the learned basis of a network.

A fixed basis is a feature map chosen before seeing the data: all monomials up to a
degree (`polynomial_features`) or gaussian bumps at chosen centres (`rbf_features`).
A linear model on those features is fitted in closed form (`fit_linear`: least
squares, optionally ridge) or, for labels, by logistic regression (`fit_logistic`,
trained with `nnlab.optim`).

A network's learned basis is the output of its last hidden layer
(`learned_features`); its last layer is a linear (identity output) or logistic
(sigmoid output) model on those features. `refit_last_layer` replaces the trained
last layer by the least-squares one on the same features.

Examples are rows everywhere: ``X`` has shape (n, d), feature matrices ``Phi``
have shape (n, k).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ..engine import ops
from ..engine.errors import NnlabTypeError, NnlabValueError, ShapeError
from ..nn import losses, optim
from ..nn.mlp import MLP, check_finite
from .checks import count

__all__ = [
    "LinearFit",
    "LogisticFit",
    "fit_linear",
    "fit_logistic",
    "learned_features",
    "n_polynomial_features",
    "n_rbf_grid_features",
    "polynomial_exponents",
    "polynomial_features",
    "predict_linear",
    "rbf_features",
    "rbf_grid_centers",
    "refit_last_layer",
]


# --- inputs -------------------------------------------------------------------------------
def _design(X, where: str, what: str = "X") -> np.ndarray:
    """``X`` as a float (n, d) matrix; a vector of n numbers is n examples of dimension 1."""
    X = check_finite(X, where, what).astype(np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[0] == 0:
        raise ShapeError(
            f"{where}: {what} must have shape (n, d) with n >= 1 (examples as rows), got {X.shape}"
        )
    return X


def _targets(y, n: int, where: str) -> np.ndarray:
    y = check_finite(y, where, "y").astype(np.float64)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.shape != (n,):
        raise ShapeError(f"{where}: y must have shape ({n},) to match {n} examples, got {y.shape}")
    return y


def _ridge(ridge, where: str) -> float:
    if not (isinstance(ridge, int | float | np.floating) and np.isfinite(ridge) and ridge >= 0):
        raise NnlabValueError(f"{where}: ridge must be a number >= 0, got {ridge!r}")
    return float(ridge)


# --- polynomial features --------------------------------------------------------------------
def n_polynomial_features(d: int, degree: int) -> int:
    """Number of monomials of total degree <= ``degree`` in ``d`` variables: C(d + p, p)."""
    d, degree = (
        count("d", d, 1, "n_polynomial_features"),
        count("degree", degree, 0, "n_polynomial_features"),
    )
    return math.comb(d + degree, degree)


def polynomial_exponents(d: int, degree: int) -> list[tuple[int, ...]]:
    """Exponent tuples of every monomial of total degree <= ``degree``, constant first."""
    d, degree = (
        count("d", d, 1, "polynomial_exponents"),
        count("degree", degree, 0, "polynomial_exponents"),
    )
    out = []
    for total in range(degree + 1):
        for combo in itertools.combinations_with_replacement(range(d), total):
            powers = [0] * d
            for i in combo:
                powers[i] += 1
            out.append(tuple(powers))
    return out


def polynomial_features(X, degree: int, include_constant: bool = False) -> np.ndarray:
    """All monomials of the inputs up to total degree ``degree``: shape (n, C(d + p, p) - 1).

    The constant monomial 1 is left out unless ``include_constant`` (the fits here
    add their own bias).
    """
    X = _design(X, "polynomial_features")
    exps = polynomial_exponents(X.shape[1], degree)
    if not include_constant:
        exps = exps[1:]
    if not exps:
        return np.zeros((X.shape[0], 0))
    powers = np.array(exps, dtype=np.int64)  # (k, d)
    return np.prod(X[:, None, :] ** powers[None, :, :], axis=2)


# --- radial basis functions -----------------------------------------------------------------
def n_rbf_grid_features(d: int, k: int) -> int:
    """Number of centres of a grid with ``k`` centres per input dimension: k ** d."""
    return count("k", k, 1, "n_rbf_grid_features") ** count("d", d, 1, "n_rbf_grid_features")


def rbf_grid_centers(low, high, k: int, d: int = 1) -> np.ndarray:
    """A regular grid of ``k`` centres per dimension on [low, high]^d: shape (k ** d, d)."""
    k, d = count("k", k, 1, "rbf_grid_centers"), count("d", d, 1, "rbf_grid_centers")
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise NnlabValueError(
            f"rbf_grid_centers: needs finite low < high, got low={low!r}, high={high!r}"
        )
    axis = np.linspace(low, high, k) if k > 1 else np.array([(low + high) / 2.0])
    mesh = np.meshgrid(*([axis] * d), indexing="ij")
    return np.column_stack([m.ravel() for m in mesh])


def rbf_features(X, centers, width: float) -> np.ndarray:
    """Gaussian bumps ``exp(-|x - c_j|^2 / (2 width^2))``, one column per centre."""
    X = _design(X, "rbf_features")
    centers = _design(centers, "rbf_features", "centers")
    if centers.shape[1] != X.shape[1]:
        raise ShapeError(
            f"rbf_features: centers have dimension {centers.shape[1]} but X has {X.shape[1]}"
        )
    if not (isinstance(width, int | float | np.floating) and np.isfinite(width) and width > 0):
        raise NnlabValueError(f"rbf_features: width must be a positive number, got {width!r}")
    sq = np.sum((X[:, None, :] - centers[None, :, :]) ** 2, axis=2)
    return np.exp(-sq / (2.0 * float(width) ** 2))


# --- linear fits ------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinearFit:
    """``prediction = Phi @ w + b``."""

    w: np.ndarray
    b: float

    def predict(self, Phi) -> np.ndarray:
        return predict_linear(Phi, self.w, self.b)


def predict_linear(Phi, w, b: float = 0.0) -> np.ndarray:
    """``Phi @ w + b`` with a check that the number of features matches."""
    Phi = _design(Phi, "predict_linear", "Phi")
    w = np.asarray(w, dtype=np.float64).reshape(-1)
    if Phi.shape[1] != w.shape[0]:
        raise ShapeError(
            f"predict_linear: Phi has {Phi.shape[1]} features but w has {w.shape[0]} weights"
        )
    return Phi @ w + float(b)


def fit_linear(Phi, y, ridge: float = 0.0) -> LinearFit:
    """Least squares (ridge if ``ridge > 0``) for ``y ~ Phi w + b``, in closed form.

    Minimises ``mean((Phi w + b - y)^2) + ridge * |w|^2`` (the bias is not
    penalised). The problem is convex: with ``ridge > 0`` or full-rank features
    the minimiser is unique; otherwise the minimum-norm solution is returned.
    """
    Phi = _design(Phi, "fit_linear", "Phi")
    n, k = Phi.shape
    y = _targets(y, n, "fit_linear")
    ridge = _ridge(ridge, "fit_linear")
    A = np.column_stack([Phi, np.ones(n)])
    target = y
    if ridge > 0:
        # mean squared error + ridge |w|^2  <=>  stack sqrt(n * ridge) I under the features.
        penalty = np.zeros((k, k + 1))
        penalty[:, :k] = np.sqrt(n * ridge) * np.eye(k)
        A = np.vstack([A, penalty])
        target = np.concatenate([y, np.zeros(k)])
    coef, *_ = np.linalg.lstsq(A, target, rcond=None)
    return LinearFit(w=coef[:k], b=float(coef[k]))




# --- logistic regression ----------------------------------------------------------------------
@dataclass(frozen=True)
class LogisticFit:
    """``P(y = 1 | x) = sigmoid(Phi @ w + b)``; ``history`` is the `optim.History`."""

    w: np.ndarray
    b: float
    history: optim.History

    def logits(self, Phi) -> np.ndarray:
        return predict_linear(Phi, self.w, self.b)

    def predict_proba(self, Phi) -> np.ndarray:
        return np.asarray(ops.sigmoid(self.logits(Phi)))


def fit_logistic(
    Phi,
    y,
    ridge: float = 0.0,
    optimizer: str = "adam",
    lr: float = 0.1,
    steps: int = 500,
    seed: int = 0,
) -> LogisticFit:
    """Logistic regression on given features, trained with `nnlab.optim.train`.

    Minimises mean binary cross-entropy of ``sigmoid(Phi w + b)`` plus
    ``ridge * |w|^2``, starting from ``w = 0, b = 0`` (so the result does not
    depend on ``seed`` unless minibatches are used; it is passed on for form).
    """
    Phi = _design(Phi, "fit_logistic", "Phi")
    y = _targets(y, Phi.shape[0], "fit_logistic")
    if not np.all((y == 0) | (y == 1)):
        raise NnlabValueError("fit_logistic: labels y must be 0 or 1")
    ridge = _ridge(ridge, "fit_logistic")

    def loss(params):
        w, b = params
        z = Phi @ w + b
        value = losses.binary_cross_entropy_with_logits(z, y)
        return value + ridge * (w * w).sum() if ridge > 0 else value

    start = [np.zeros(Phi.shape[1]), np.zeros(())]
    history = optim.train(loss, start, optimizer=optimizer, lr=lr, steps=steps, seed=seed)
    w, b = history.params
    return LogisticFit(w=np.asarray(w), b=float(b), history=history)


# --- the learned basis of a network -------------------------------------------------------------
def learned_features(net: MLP, X) -> np.ndarray:
    """phi(x): the activations of the last hidden layer, shape (n, width).

    The network's output is then ``output(phi(x) @ W[-1] + b[-1])``.
    """
    if not isinstance(net, MLP):
        raise NnlabTypeError(f"learned_features: needs an nnlab.MLP, got {type(net).__name__}")
    if net.depth < 2:
        raise NnlabValueError("learned_features: the network has no hidden layer (depth 1)")
    return np.asarray(net.forward(_design(X, "learned_features")).hidden[-1])


def refit_last_layer(net: MLP, X, y, ridge: float = 0.0) -> LinearFit:
    """Least-squares last layer on the network's learned features (one output only)."""
    if net.sizes[-1] != 1:
        raise NnlabValueError(
            f"refit_last_layer: handles one output, the network has {net.sizes[-1]}"
        )
    return fit_linear(learned_features(net, X), y, ridge=ridge)
