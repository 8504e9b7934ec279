"""Neural networks on the engine: the MLP, activations, losses, explicit backprop, optimisers,
toy data sets and metrics.

Weight convention: a layer computes ``z = a @ W + b`` with examples as rows, so ``W[i, j]``
connects unit ``i`` of the previous layer to unit ``j`` of the next.
"""

from . import backprop, data, losses, metrics, optim
from .fit import fit, loss_closure, train_classifier
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    get_loss,
    mse,
    one_hot,
    softmax_cross_entropy,
)
from .mlp import ACTIVATIONS, MLP, ForwardPass, get_activation

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "ForwardPass",
    "backprop",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "data",
    "fit",
    "get_activation",
    "get_loss",
    "loss_closure",
    "losses",
    "metrics",
    "mse",
    "one_hot",
    "optim",
    "softmax_cross_entropy",
    "train_classifier",
]
