"""Curvature and symmetry tools for loss landscapes.

- `hessian`: the Hessian of a scalar function, built column by column from central
  differences of the reverse-mode gradient, symmetrised, with its eigenvalues.
- `hvp`: a Hessian-vector product from two gradients (no matrix is formed).
- `permute_hidden`: reorder the units of one hidden layer (incoming columns, biases and
  outgoing rows move together), which leaves the network's function unchanged.
- `loss_along_segment`: a loss evaluated on the straight line between two parameter sets.

Parameters may be one array or a (nested) list/tuple of arrays, such as ``net.parameters()``.
Everything is computed in float64.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..engine.autodiff import grad
from ..engine.errors import NnlabTypeError, NnlabValueError
from ..engine.tensor import Tensor
from ..engine.trees import tree_leaves, tree_map
from ..nn.mlp import MLP


def _leaf_array(x) -> np.ndarray:
    return np.asarray(x.value if isinstance(x, Tensor) else x, dtype=np.float64)


def flatten(params) -> tuple[np.ndarray, Callable]:
    """``(vector, unflatten)``: all entries of ``params`` in one 1-D array, and the way back."""
    leaves = [_leaf_array(p) for p in tree_leaves(params)]
    if not leaves:
        raise NnlabValueError("flatten: params holds no arrays")
    shapes = [leaf.shape for leaf in leaves]
    sizes = [leaf.size for leaf in leaves]
    vector = np.concatenate([leaf.ravel() for leaf in leaves])

    def unflatten(v):
        v = np.asarray(v, dtype=np.float64)
        if v.shape != vector.shape:
            raise NnlabValueError(
                f"unflatten: expected a vector of shape {vector.shape}, got {v.shape}"
            )
        pieces = iter(np.split(v, np.cumsum(sizes)[:-1]))
        parts = [next(pieces).reshape(s) for s in shapes]
        it = iter(parts)
        return tree_map(lambda _: next(it), params)

    return vector, unflatten


@dataclass(frozen=True)
class Hessian:
    """A Hessian at a point: ``matrix`` (symmetrised, n x n over the flattened parameters),
    ``eigenvalues`` (ascending), ``eigenvectors`` (columns, flattened) and ``asymmetry``
    (largest ``|H - H^T|`` entry before symmetrising: a check on the finite differences)."""

    matrix: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    asymmetry: float

    @property
    def min_eigenvalue(self) -> float:
        return float(self.eigenvalues[0])

    @property
    def max_eigenvalue(self) -> float:
        return float(self.eigenvalues[-1])

    def classify(self, tol: float = 1e-6) -> str:
        """'minimum-like', 'maximum-like', 'saddle' or 'degenerate' from the eigenvalue signs."""
        lo, hi = self.min_eigenvalue, self.max_eigenvalue
        if lo < -tol and hi > tol:
            return "saddle"
        if lo > tol:
            return "minimum-like"
        if hi < -tol:
            return "maximum-like"
        return "degenerate"


def _check_scalar_fn(f, where: str):
    if not callable(f):
        raise NnlabTypeError(
            f"{where}: expected a function of the parameters, got {type(f).__name__}"
        )


def _check_eps(eps, where: str):
    if not (isinstance(eps, int | float) and eps > 0):
        raise NnlabValueError(f"{where}: eps must be a positive step, got {eps!r}")


def hessian(f, x, eps: float = 1e-5) -> Hessian:
    """The Hessian of scalar ``f`` at ``x``: column ``j`` is ``(g(x + eps e_j) - g(x - eps e_j))
    / (2 eps)`` with ``g = nnlab.grad(f)``; then ``(H + H^T) / 2`` and its eigenvalues.

    ``x`` is an array or a list/tuple of arrays (the matrix indexes their flattened entries, in
    order). The error of each entry is about ``eps**2`` times third derivatives, plus rounding;
    where ``f`` has a kink (ReLU at 0) within ``eps`` of ``x`` the result is meaningless.
    """
    _check_scalar_fn(f, "hessian")
    _check_eps(eps, "hessian")
    vector, unflatten = flatten(x)
    n = vector.size
    g = grad(f)

    def grad_vec(v):
        return flatten(g(unflatten(v)))[0]

    H = np.empty((n, n))
    for j in range(n):
        step = np.zeros(n)
        step[j] = eps
        H[:, j] = (grad_vec(vector + step) - grad_vec(vector - step)) / (2 * eps)
    if not np.all(np.isfinite(H)):
        raise NnlabValueError("hessian: the gradient is not finite near x (a log(0) or overflow?)")
    asymmetry = float(np.max(np.abs(H - H.T)))
    H = (H + H.T) / 2
    eigenvalues, eigenvectors = np.linalg.eigh(H)
    return Hessian(H, eigenvalues, eigenvectors, asymmetry)


def hvp(f, x, v, eps: float = 1e-5):
    """Hessian-vector product ``H v ~ (g(x + eps v) - g(x - eps v)) / (2 eps)``, shaped like ``x``.

    Two gradient evaluations, whatever the number of parameters; ``v`` has ``x``'s structure.
    """
    _check_scalar_fn(f, "hvp")
    _check_eps(eps, "hvp")
    xv, unflatten = flatten(x)
    vv, _ = flatten(v)
    if vv.shape != xv.shape:
        raise NnlabValueError(f"hvp: v has {vv.size} entries but x has {xv.size}")
    g = grad(f)
    plus = flatten(g(unflatten(xv + eps * vv)))[0]
    minus = flatten(g(unflatten(xv - eps * vv)))[0]
    return unflatten((plus - minus) / (2 * eps))


def _layers_of(params, where: str) -> list[list[np.ndarray]]:
    """Group a flat ``[W0, b0, W1, ...]`` list by layer: each W (2-D) starts a new layer."""
    layers: list[list[np.ndarray]] = []
    for k, p in enumerate(params):
        p = _leaf_array(p)
        if p.ndim == 2:
            layers.append([p])
        elif p.ndim == 1 and layers and len(layers[-1]) == 1:
            layers[-1].append(p)
        else:
            raise NnlabValueError(
                f"{where}: permute_hidden: params[{k}] has shape {p.shape}; expected the flat list "
                "[W0, b0, W1, b1, ...] of net.parameters() (2-D weights, optional 1-D biases)"
            )
    return layers


def permute_hidden(net_or_params, layer: int, permutation: Sequence[int]):
    """Reorder the units of hidden layer ``layer`` (0 = the first hidden layer).

    Unit ``permutation[k]`` of the old network becomes unit ``k`` of the new one: columns of
    ``W[layer]``, entries of ``b[layer]`` and rows of ``W[layer + 1]`` move together, so the
    network computes the same function. Given an `MLP`, returns a new MLP (the original is not
    changed); given a flat parameter list like ``net.parameters()``, returns a new list.
    """
    if isinstance(net_or_params, MLP):
        new = copy.deepcopy(net_or_params)
        new.set_parameters(permute_hidden(net_or_params.parameters(), layer, permutation))
        return new
    if not isinstance(net_or_params, list | tuple):
        raise NnlabTypeError(
            "permute_hidden: needs an MLP or a flat list of parameters, "
            f"got {type(net_or_params).__name__}"
        )
    layers = _layers_of(net_or_params, "permute_hidden")
    n_hidden = len(layers) - 1
    if not (isinstance(layer, int | np.integer) and 0 <= layer < n_hidden):
        raise NnlabValueError(
            f"permute_hidden: layer must index a hidden layer, 0..{n_hidden - 1}, got {layer!r}"
        )
    width = layers[layer][0].shape[1]
    perm = np.asarray(permutation)
    if perm.shape != (width,) or sorted(perm.tolist()) != list(range(width)):
        raise NnlabValueError(
            f"permute_hidden: hidden layer {layer} has {width} units, so permutation must "
            f"reorder 0..{width - 1}; got {list(permutation)}"
        )
    out = [[p.copy() for p in group] for group in layers]
    out[layer][0] = out[layer][0][:, perm]
    if len(out[layer]) == 2:
        out[layer][1] = out[layer][1][perm]
    out[layer + 1][0] = out[layer + 1][0][perm, :]
    return [p for group in out for p in group]


def swap_units(width: int, i: int, j: int) -> list[int]:
    """The permutation of ``range(width)`` that swaps units ``i`` and ``j``."""
    if not (0 <= i < width and 0 <= j < width):
        raise NnlabValueError(f"swap_units: units {i}, {j} must lie in 0..{width - 1}")
    perm = list(range(width))
    perm[i], perm[j] = perm[j], perm[i]
    return perm


def interpolate(theta_a, theta_b, t: float):
    """``(1 - t) theta_a + t theta_b``, entry by entry, in ``theta_a``'s structure."""
    va, unflatten = flatten(theta_a)
    vb, _ = flatten(theta_b)
    if va.shape != vb.shape:
        raise NnlabValueError(
            f"interpolate: the two parameter sets have {va.size} and {vb.size} entries"
        )
    return unflatten((1 - t) * va + t * vb)


def loss_along_segment(loss_fn, theta_a, theta_b, ts) -> np.ndarray:
    """``loss_fn((1 - t) theta_a + t theta_b)`` for each ``t`` in ``ts`` (a float64 array).

    ``t = 0`` is ``theta_a``, ``t = 1`` is ``theta_b``. A convex loss lies on or below the
    chord between the two ends; a bump above it (a *barrier*) proves non-convexity.
    """
    _check_scalar_fn(loss_fn, "loss_along_segment")
    ts = np.atleast_1d(np.asarray(ts, dtype=np.float64))
    if ts.ndim != 1 or not np.all(np.isfinite(ts)):
        raise NnlabValueError("loss_along_segment: ts must be a 1-D array of finite numbers")
    out = np.empty(ts.size)
    for k, t in enumerate(ts):
        value = loss_fn(interpolate(theta_a, theta_b, t))
        out[k] = float(_leaf_array(value))
    return out


@dataclass(frozen=True)
class PointReport:
    """What the first two derivatives say about a point: ``grad_norm`` (Euclidean norm of the
    gradient), ``hessian`` (a `Hessian`) and ``kind``: 'not a critical point' when the gradient
    norm exceeds the tolerance, else 'minimum', 'maximum', 'saddle' or 'degenerate critical
    point' from the eigenvalue signs."""

    grad_norm: float
    hessian: Hessian
    kind: str


def point_report(f, x, grad_tol: float = 1e-6, eig_tol: float = 1e-6) -> PointReport:
    """Gradient norm and Hessian of scalar ``f`` at ``x``, and what kind of point it is.

    A point is only called a minimum, maximum or saddle when its gradient norm is at most
    ``grad_tol``; a Hessian without negative eigenvalues at a point where the gradient does not
    vanish says the loss curves upwards there, not that the point is a minimum.
    """
    _check_scalar_fn(f, "point_report")
    for name, tol in (("grad_tol", grad_tol), ("eig_tol", eig_tol)):
        if not (isinstance(tol, int | float) and tol > 0):
            raise NnlabValueError(f"point_report: {name} must be a positive number, got {tol!r}")
    g = flatten(grad(f)(x))[0]
    H = hessian(f, x)
    norm = float(np.linalg.norm(g))
    if norm > grad_tol:
        kind = "not a critical point"
    else:
        kind = {
            "minimum-like": "minimum",
            "maximum-like": "maximum",
            "saddle": "saddle",
            "degenerate": "degenerate critical point",
        }[H.classify(eig_tol)]
    return PointReport(norm, H, kind)
