"""Chapter 1's vocabulary, computed: parameter counts from an architecture, the usual counting
slips, and the reparametrisation that turns a sigmoid hidden layer into a tanh one.

``sigmoid_as_tanh`` backs the chapter's erratum on "non-negative outputs limit expressiveness":
since sigmoid(z) = (1 + tanh(z / 2)) / 2, a network with sigmoid hidden units computes exactly
what a tanh network with rescaled weights and shifted next-layer biases computes, so the
offset of a non-negative activation is absorbed by the next layer's bias.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engine.errors import NnlabTypeError, NnlabValueError
from ..nn.mlp import MLP
from .grading import Mistake, distinct_mistakes

__all__ = ["count_parameters", "parameter_count_mistakes", "sigmoid_as_tanh"]


def _sizes(sizes, where: str) -> list[int]:
    sizes = list(sizes)
    if len(sizes) < 2 or not all(
        isinstance(n, int | np.integer) and not isinstance(n, bool) and n > 0 for n in sizes
    ):
        raise NnlabValueError(
            f"{where}: sizes must list at least two positive integers, got {sizes}"
        )
    return [int(n) for n in sizes]


def _flags(bias, depth: int, where: str) -> list[bool]:
    flags = [bool(bias)] * depth if isinstance(bias, bool) else list(bias)
    if len(flags) != depth:
        raise NnlabValueError(
            f"{where}: bias needs one flag per weight layer ({depth}), got {flags}"
        )
    return [bool(f) for f in flags]


def count_parameters(sizes: Sequence[int], bias: bool | Sequence[bool] = True) -> int:
    """Weights plus biases of a fully connected network: sum of n_l n_{l+1} (+ n_{l+1})."""
    sizes = _sizes(sizes, "count_parameters")
    flags = _flags(bias, len(sizes) - 1, "count_parameters")
    return sum(
        n_in * n_out + (n_out if has_b else 0)
        for n_in, n_out, has_b in zip(sizes[:-1], sizes[1:], flags, strict=True)
    )


def parameter_count_mistakes(sizes: Sequence[int]) -> list[Mistake]:
    """The usual wrong counts for a network with a bias in every layer, each with its hint."""
    sizes = _sizes(sizes, "parameter_count_mistakes")
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    weights = sum(a * b for a, b in pairs)
    candidates = [
        (weights, "Those are the weights only: every non-input unit also has a bias."),
        (
            sum(a * b + a for a, b in pairs),
            "You gave each layer one bias per unit it comes from; a bias belongs to the unit "
            "it feeds, so a layer of width n_out has n_out biases.",
        ),
        (
            count_parameters(sizes) + sizes[0],
            "The inputs have no biases: they are data, not computed units.",
        ),
        (sum(sizes), "That is the number of nodes; parameters sit on the edges and biases."),
    ]
    return distinct_mistakes(count_parameters(sizes), candidates)


def sigmoid_as_tanh(net: MLP) -> MLP:
    """A tanh network computing exactly what ``net`` (every hidden layer sigmoid) computes.

    With sigmoid(z) = 1/2 + tanh(z/2)/2: each sigmoid layer's pre-activation is halved (its W
    and b scaled by 1/2), and the layer that reads it takes the tanh values with weights
    halved and the constant 1/2 folded into its bias, b + (1/2) * (column sums of W).
    Biases are required in every layer after the first (they absorb the offset).
    """
    if not isinstance(net, MLP):
        raise NnlabTypeError(f"sigmoid_as_tanh: expected an MLP, got {type(net).__name__}")
    if not net.activations or any(a != "sigmoid" for a in net.activations):
        raise NnlabValueError(
            f"sigmoid_as_tanh: every hidden layer must be sigmoid, got {net.activations}"
        )
    if any(b is None for b in net.b[1:]):
        raise NnlabValueError(
            "sigmoid_as_tanh: every layer after the first needs a bias to absorb the offset"
        )
    out = MLP(net.sizes, activation="tanh", output=net.output, bias=[b is not None for b in net.b])
    last = net.depth - 1
    for layer in range(net.depth):
        W = np.array(net.W[layer], dtype=np.float64)
        b = None if net.b[layer] is None else np.array(net.b[layer], dtype=np.float64)
        if layer > 0:  # its input is sigmoid = 1/2 + tanh/2
            b = b + 0.5 * W.sum(axis=0)
            W = 0.5 * W
        if layer < last:  # its output feeds tanh(z / 2)
            W = 0.5 * W
            b = None if b is None else 0.5 * b
        out.W[layer] = W
        out.b[layer] = b
    return out
