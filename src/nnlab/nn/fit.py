"""Fitting a network to data in one call: the loss closure, `optim.train`, and writing the
trained parameters back into the network.

Chapters that train an MLP on a data set all follow this pattern; `fit` is it, once.
"""

from __future__ import annotations

from ..engine.errors import NnlabTypeError, unknown_name
from . import losses
from .mlp import MLP, check_finite
from .optim import History, train

# The loss each output unit is trained with by default, computed on the logits where the
# fused loss is more accurate (sigmoid + BCE, softmax + cross-entropy).
DEFAULT_LOSS = {"identity": "mse", "sigmoid": "bce", "softmax": "softmax_ce"}
FIT_LOSSES = ("mse", "bce", "softmax_ce")


def loss_closure(net: MLP, X, y, loss: str | None = None):
    """``params -> mean loss of net on (X, y)``, the function `optim.train` minimises.

    The closure also takes a minibatch, ``closure(params, X_batch, y_batch)``, which is how
    `optim.train` calls it when given ``data`` and a ``batch_size``.

    ``loss`` is ``"mse"`` (on the output), ``"bce"`` (binary cross-entropy on the logits;
    for a sigmoid output) or ``"softmax_ce"`` (on the logits; for a softmax output); by
    default the one that matches ``net.output``.
    """
    return _closure(net, X, y, loss, "loss_closure")


def _closure(net: MLP, X, y, loss: str | None, where: str):
    if not isinstance(net, MLP):
        raise NnlabTypeError(f"{where}: expected an MLP, got {type(net).__name__}")
    check_finite(X, where, "inputs X")
    check_finite(y, where, "targets y")
    loss = DEFAULT_LOSS[net.output] if loss is None else loss
    if loss == "mse":
        return lambda params, X=X, y=y: losses.mse(net.apply(params, X), y)
    if loss == "bce":
        return lambda params, X=X, y=y: losses.binary_cross_entropy_with_logits(
            net.logits(X, params), y
        )
    if loss == "softmax_ce":
        return lambda params, X=X, y=y: losses.softmax_cross_entropy(net.logits(X, params), y)
    raise unknown_name(where, "loss", loss, FIT_LOSSES)


def fit(
    net: MLP, X, y, loss: str | None = None, optimizer: str = "adam", **train_kwargs
) -> History:
    """Train ``net`` on ``(X, y)`` from its current parameters and keep the result in it.

    ``train_kwargs`` go to `optim.train` (``lr``, ``steps``, ``seed``, ...); with a
    ``batch_size`` each step sees one shuffled minibatch of ``(X, y)``. Returns the
    `History`; after a diverged run the network holds the last finite parameters,
    and ``History.diverged`` and ``History.message`` say what happened.
    """
    if train_kwargs.get("batch_size") is not None:
        train_kwargs.setdefault("data", (X, y))
    history = train(_closure(net, X, y, loss, "fit"), net.parameters(), optimizer, **train_kwargs)
    net.set_parameters(history.params)
    return history


def train_classifier(net: MLP, X, y, steps: int = 600, lr: float = 0.02, seed: int = 0) -> MLP:
    """A binary classifier trained with Adam on the mean BCE of its logits; returns ``net``."""
    fit(net, X, y, loss="bce", optimizer="adam", lr=lr, steps=steps, seed=seed)
    return net
