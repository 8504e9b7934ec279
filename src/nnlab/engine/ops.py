"""The primitives as functions that accept Tensors or plain arrays.

With Tensor arguments the result is a Tensor that remembers how it was made;
with arrays or floats it is a plain ndarray.
"""

from __future__ import annotations

from . import primitives as P
from .tensor import Tensor, apply


def add(x, y):
    return apply(P.add, x, y)


def subtract(x, y):
    return apply(P.sub, x, y)


def multiply(x, y):
    return apply(P.mul, x, y)


def divide(x, y):
    return apply(P.div, x, y)


def negative(x):
    return apply(P.neg, x)


def power(x, y):
    return apply(P.pow, x, y)


def matmul(a, b):
    """Matrix product; shapes follow numpy (``(n, k) @ (k, m) -> (n, m)``)."""
    return apply(P.matmul, a, b)


def affine(x, W, b):
    """``x @ W + b`` as one node (a dense layer); ``b`` broadcasts over the rows."""
    return apply(P.affine, x, W, b)


def maximum(x, y):
    return apply(P.maximum, x, y)


def where(condition, x, y):
    """``x`` where ``condition`` holds, ``y`` elsewhere (broadcast together, as np.where).

    The derivative flows to x and y only; the condition (a boolean array, e.g. ``t > 0``)
    is data. ``where(x > 0, x, 0.1 * x)`` is a leaky relu.
    """
    condition = condition.value if isinstance(condition, Tensor) else condition
    return apply(P.where, x, y, condition=condition)


def exp(x):
    return apply(P.exp, x)


def log(x):
    return apply(P.log, x)


def tanh(x):
    """tanh(x), range (-1, 1); derivative 1 - tanh(x)**2."""
    return apply(P.tanh, x)


def sigmoid(x):
    """1 / (1 + exp(-x)), range (0, 1); derivative s(1 - s). Stable for large |x|."""
    return apply(P.sigmoid, x)


def softplus(x):
    """log(1 + exp(x)), computed stably; derivative sigmoid(x)."""
    return apply(P.softplus, x)


def relu(x):
    """max(x, 0); derivative 1 for x > 0 and 0 otherwise (0 at the kink)."""
    return apply(P.relu, x)


def leaky_relu(x, slope: float = 0.01):
    """x for x > 0, slope * x otherwise."""
    return apply(P.leaky_relu, x, slope=slope)


def abs(x):  # noqa: A001
    return apply(P.abs, x)


def sum(x, axis=None, keepdims: bool = False):  # noqa: A001
    return apply(P.sum, x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims: bool = False):
    return apply(P.mean, x, axis=axis, keepdims=keepdims)


def softmax(x, axis: int = -1):
    """exp(x) / sum(exp(x)) along ``axis``, shifted by the max so it never overflows."""
    return apply(P.softmax, x, axis=axis)


def logsumexp(x, axis=None, keepdims: bool = False):
    """log(sum(exp(x))) along ``axis``, shifted by the max so it never overflows."""
    return apply(P.logsumexp, x, axis=axis, keepdims=keepdims)


def reshape(x, shape):
    return apply(P.reshape, x, shape=shape)


def transpose(x, axes=None):
    return apply(P.transpose, x, axes=axes)
