"""Backpropagation as it is taught: a forward pass that caches every layer's
pre-activation ``z`` and activation ``a``, then a backward pass of deltas.

With ``a[0] = x``, ``z[l] = a[l] @ W[l] + b[l]`` and ``a[l+1] = f(z[l])``:

    delta[L-1] = dL/dz[L-1]                          (from the loss and output unit)
    delta[l]   = (delta[l+1] @ W[l+1].T) * f'(z[l])  (one layer back)
    dL/dW[l]   = a[l].T @ delta[l],   dL/db[l] = sum of delta[l] over examples

The gradients equal those of reverse-mode autodiff (tests check this); here
every step is written out so the algorithm can be read line by line.
"""

from __future__ import annotations

import numpy as np

from ..engine.errors import NnlabValueError, ShapeError, unknown_name
from . import losses
from .mlp import MLP, ForwardPass


def forward(net: MLP, x, params=None) -> ForwardPass:
    """Forward pass on arrays, caching every pre-activation ``z`` and activation ``a``."""
    return net.forward(np.asarray(x, dtype=net.dtype), params)


def backward(net: MLP, cache: ForwardPass, delta_out: np.ndarray, params=None) -> list[np.ndarray]:
    """Backward pass from ``delta_out = dL/dz`` of the last layer.

    Returns gradients in the order of ``net.parameters()``.
    """
    layers = net.layers(params)
    delta = np.asarray(delta_out)
    if delta.shape != np.shape(cache.z[-1]):
        raise ShapeError(
            f"backprop.backward: delta_out has shape {delta.shape} but the last layer's z "
            f"has shape {np.shape(cache.z[-1])} (delta_out is dL/dz of the last layer)"
        )
    grads = []
    for layer in reversed(range(len(layers))):
        W, b = layers[layer]
        a_prev = cache.a[layer]
        if b is not None:
            grads.append(delta.sum(axis=0) if delta.ndim > 1 else delta)
        grads.append(a_prev.T @ delta if delta.ndim > 1 else np.outer(a_prev, delta))
        if layer > 0:
            f = net.hidden[layer - 1]
            delta = (delta @ W.T) * f.derivative(cache.z[layer - 1], cache.a[layer])
    return grads[::-1]


# (output unit, loss) pairs whose dL/dz simplifies to (prediction - target) / n:
# sigmoid with binary cross-entropy, softmax with cross-entropy, identity with (half) MSE.
_PAIRS = {("sigmoid", "bce"), ("softmax", "softmax_ce"), ("identity", "mse")}


def output_delta(net: MLP, cache: ForwardPass, y, loss: str) -> tuple[float, np.ndarray]:
    """The loss value and dL/dz of the last layer (averaged over examples)."""
    if loss not in losses.LOSSES:
        raise unknown_name("backprop", "loss", loss, losses.LOSSES)
    if (net.output, loss) not in _PAIRS:
        raise NnlabValueError(
            f"backprop: supported output/loss pairs are {sorted(_PAIRS)}, "
            f"got ({net.output!r}, {loss!r}); "
            "use nnlab.grad for other combinations"
        )
    pred = cache.a[-1]
    # softmax cross-entropy is defined on logits; the other losses on the output itself.
    value = float(losses.get_loss(loss)(cache.z[-1] if loss == "softmax_ce" else pred, y))
    if loss == "softmax_ce":  # a mean over examples
        y = np.asarray(y)
        target = losses.one_hot(y, pred.shape[-1]) if y.ndim == 1 else y
        delta = (pred - target) / pred.shape[0]  # logits are (n, k): the loss checked that
    else:  # a mean over every entry
        target = np.asarray(y, dtype=pred.dtype).reshape(pred.shape)
        delta = (2 if loss == "mse" else 1) * (pred - target) / pred.size
    return value, delta.astype(pred.dtype, copy=False)


def loss_and_gradients(net: MLP, x, y, loss: str, params=None) -> tuple[float, list[np.ndarray]]:
    """One forward and one backward pass: ``(loss, gradients in parameters() order)``."""
    cache = forward(net, x, params)
    value, delta = output_delta(net, cache, y, loss)
    return value, backward(net, cache, delta, params)
