"""Neural networks on the engine: the MLP, activations, losses, explicit backprop, optimisers,
toy data sets and metrics.

Weight convention: a layer computes ``z = a @ W + b`` with examples as rows, so ``W[i, j]``
connects unit ``i`` of the previous layer to unit ``j`` of the next.
"""

from . import backprop, data, losses, optim
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    get_loss,
    mse,
    one_hot,
    softmax_cross_entropy,
)
from .mlp import ACTIVATIONS, MLP, get_activation

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "backprop",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "data",
    "get_activation",
    "get_loss",
    "losses",
    "mse",
    "one_hot",
    "optim",
    "softmax_cross_entropy",
]
