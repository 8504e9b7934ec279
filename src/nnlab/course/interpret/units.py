"""Surgery on hidden units: read them, silence them, mix them without changing the function.

`hidden_activations` reads one hidden layer (from `MLP.forward`), `ablate_units` silences
units, `reparametrize_hidden` mixes a layer's units (``W -> W M``, ``W_next -> M^-1 W_next``),
and `copy_net` makes the independent copy each edit works on.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np

from ...engine.errors import NnlabTypeError, NnlabValueError, ShapeError
from ...nn.mlp import MLP
from .scores import as_batch

__all__ = ["ablate_units", "copy_net", "hidden_activations", "reparametrize_hidden"]


def _network(net, where: str) -> MLP:
    if not isinstance(net, MLP):
        raise NnlabTypeError(f"{where}: expected an nnlab.MLP, got {type(net).__name__}")
    return net


def copy_net(net: MLP) -> MLP:
    """An independent copy of ``net`` (weights copied, so edits do not leak back)."""
    net = _network(net, "copy_net")
    new = copy.copy(net)
    new.W = [np.array(W, copy=True) for W in net.W]
    new.b = [None if b is None else np.array(b, copy=True) for b in net.b]
    return new


def _hidden_layer(net: MLP, layer, where: str) -> int:
    net = _network(net, where)
    if not (isinstance(layer, int | np.integer) and 0 <= layer < net.depth - 1):
        raise NnlabValueError(
            f"{where}: layer must index a hidden layer, 0..{net.depth - 2}, for sizes "
            f"{net.sizes}; got {layer!r}"
        )
    return int(layer)


def hidden_activations(net: MLP, X, layer: int = 0) -> np.ndarray:
    """The activations of hidden layer ``layer`` (0 = the first), shape ``(n, width)``."""
    layer = _hidden_layer(net, layer, "hidden_activations")
    return np.asarray(net.forward(as_batch(X, "hidden_activations")).hidden[layer])


def ablate_units(net: MLP, units: Sequence[int], layer: int = 0) -> MLP:
    """A copy of ``net`` in which the listed hidden units are silenced (output weights zeroed).

    Zeroing a unit's outgoing weights is the same as forcing its activation to 0.
    """
    layer = _hidden_layer(net, layer, "ablate_units")
    width = net.sizes[layer + 1]
    units = [int(u) for u in np.atleast_1d(np.asarray(units, dtype=np.int64))]
    bad = [u for u in units if not 0 <= u < width]
    if bad:
        raise NnlabValueError(
            f"ablate_units: hidden layer {layer} has units 0..{width - 1}; cannot ablate {bad}"
        )
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
    where = "reparametrize_hidden"
    layer = _hidden_layer(net, layer, where)
    width = net.sizes[layer + 1]
    M = np.asarray(M, dtype=np.float64)
    if M.shape != (width, width):
        raise ShapeError(
            f"{where}: M must be {width}x{width} for hidden layer {layer}, got {M.shape}"
        )
    if not np.all(np.isfinite(M)) or abs(np.linalg.det(M)) < 1e-12:
        raise NnlabValueError(f"{where}: M must be a finite invertible matrix")
    new = copy_net(net)
    new.W[layer] = net.W[layer] @ M
    if net.b[layer] is not None:
        new.b[layer] = net.b[layer] @ M
    new.W[layer + 1] = np.linalg.solve(M, net.W[layer + 1])
    return new
