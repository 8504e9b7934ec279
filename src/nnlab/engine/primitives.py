"""The one table of primitives.

Each primitive is defined once: its forward value (plain numpy), one VJP per
differentiable argument (reverse mode) and one JVP per differentiable argument
(forward mode). Reverse mode, forward mode, `trace` and `gradcheck` all read
this table, so adding an op means adding one entry here.

Signatures, with ``out`` the primitive's value and ``*args`` its inputs as
plain arrays (keyword parameters such as ``axis`` are passed through):

    vjp(g, out, *args, **params) -> contribution to d(loss)/d(args[i])
    jvp(t, out, *args, **params) -> contribution to d(out) from tangent t of args[i]

Arguments that are not differentiable (indices, axes, shapes) are keyword
parameters, never positional arguments, so every positional argument has a rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Rule = Callable[..., np.ndarray] | None


@dataclass(frozen=True)
class Primitive:
    name: str
    value: Callable[..., np.ndarray]
    vjps: tuple[Rule, ...]
    jvps: tuple[Rule, ...]

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


PRIMITIVES: dict[str, Primitive] = {}


def define(name: str, value, vjps, jvps) -> Primitive:
    prim = Primitive(name, value, tuple(vjps), tuple(jvps))
    PRIMITIVES[name] = prim
    return prim


def unbroadcast(g: np.ndarray, like) -> np.ndarray:
    """Sum ``g`` over the axes numpy broadcasting added to ``like``'s shape."""
    shape = like.shape if type(like) is np.ndarray else np.shape(like)
    if g.shape == shape:
        return g
    extra = g.ndim - len(shape)
    if extra:
        g = g.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if stretched:
        g = g.sum(axis=stretched, keepdims=True)
    return g


def _expand_reduced(g, x, axis, keepdims):
    """Re-insert the axes a reduction removed so ``g`` broadcasts against ``x``."""
    if axis is None or keepdims:
        return g
    return np.expand_dims(g, axis)


def _count(x, axis) -> int:
    shape = np.shape(x)
    if axis is None:
        return math.prod(shape)
    axes = (axis,) if isinstance(axis, int | np.integer) else axis
    return math.prod(shape[a] for a in axes)


def _sigmoid(x):
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    # Split by sign so exp never overflows and tiny probabilities keep full precision.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softmax(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def _logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def _as_matrices(g, a, b):
    """View 1-D matmul operands as matrices (numpy's rule), with g to match."""
    # b first: for vector @ vector, g is 0-d and gains the column axis before the row axis.
    if np.ndim(b) == 1:
        b, g = np.reshape(b, (-1, 1)), np.expand_dims(g, -1)
    if np.ndim(a) == 1:
        a, g = np.reshape(a, (1, -1)), np.expand_dims(g, -2)
    return g, a, b


# Fast paths. A batch of rows times a weight matrix is every dense layer, so the benchmark's
# training step is made of it; these tests pick out that case, where a rule needs none of
# its general form's reshapes and broadcasting sums. The results are the same numbers.
def _matrices(a, b) -> bool:
    """Both operands are plain 2-D arrays."""
    return type(a) is np.ndarray and type(b) is np.ndarray and a.ndim == 2 and b.ndim == 2


def _bias_of_rows(g, b) -> bool:
    """``b`` is a 1-D bias added to every row of the 2-D ``g``."""
    return g.ndim == 2 and type(b) is np.ndarray and b.ndim == 1


def _matmul_vjp_a(g, out, a, b):
    """g b^T, with numpy's vector promotion and batch broadcasting undone in general."""
    if _matrices(a, b):
        return g @ b.T
    g2, a2, b2 = _as_matrices(g, a, b)
    return unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2).reshape(np.shape(a))


def _matmul_vjp_b(g, out, a, b):
    """a^T g, with numpy's vector promotion and batch broadcasting undone in general."""
    if _matrices(a, b):
        return a.T @ g
    g2, a2, b2 = _as_matrices(g, a, b)
    return unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2).reshape(np.shape(b))


def _bias_vjp(g, out, x, W, b):
    """g summed over the rows it was broadcast to."""
    return g.sum(axis=0) if _bias_of_rows(g, b) else unbroadcast(g, b)


def _pow_dbase(x, y):
    # x**0 is constant, so its slope is 0 even at x = 0 (where y * x**(y-1) would be 0 * inf).
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.equal(y, 0), 0.0, y * np.power(x, y - 1))


def _pow_dexponent(out, x):
    # d(x**y)/dy = x**y log x, taken as 0 where x <= 0 (real powers exist there only for integer y).
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.asarray(x) > 0, out * np.log(np.where(np.asarray(x) > 0, x, 1)), 0.0)


def _getitem_vjp(g, out, x, index):
    full = np.zeros(np.shape(x), dtype=np.result_type(g, x))
    np.add.at(full, index, g)
    return full


def _inverse_axes(axes, ndim):
    return None if axes is None else tuple(np.argsort([a % ndim for a in axes]))


# --- arithmetic -----------------------------------------------------------------------
add = define(
    "add",
    np.add,
    vjps=(lambda g, out, x, y: unbroadcast(g, x), lambda g, out, x, y: unbroadcast(g, y)),
    jvps=(lambda t, out, x, y: t, lambda t, out, x, y: t),
)
sub = define(
    "sub",
    np.subtract,
    vjps=(lambda g, out, x, y: unbroadcast(g, x), lambda g, out, x, y: unbroadcast(-g, y)),
    jvps=(lambda t, out, x, y: t, lambda t, out, x, y: -t),
)
mul = define(
    "mul",
    np.multiply,
    vjps=(lambda g, out, x, y: unbroadcast(g * y, x), lambda g, out, x, y: unbroadcast(g * x, y)),
    jvps=(lambda t, out, x, y: t * y, lambda t, out, x, y: x * t),
)
div = define(
    "div",
    np.divide,
    vjps=(
        lambda g, out, x, y: unbroadcast(g / y, x),
        lambda g, out, x, y: unbroadcast(-g * out / y, y),
    ),
    jvps=(lambda t, out, x, y: t / y, lambda t, out, x, y: -t * out / y),
)
neg = define("neg", np.negative, vjps=(lambda g, out, x: -g,), jvps=(lambda t, out, x: -t,))
pow = define(  # noqa: A001 - the table is keyed by math names
    "pow",
    np.power,
    vjps=(
        lambda g, out, x, y: unbroadcast(g * _pow_dbase(x, y), x),
        lambda g, out, x, y: unbroadcast(g * _pow_dexponent(out, x), y),
    ),
    jvps=(
        lambda t, out, x, y: t * _pow_dbase(x, y),
        lambda t, out, x, y: t * _pow_dexponent(out, x),
    ),
)
matmul = define(
    "matmul",
    np.matmul,
    vjps=(_matmul_vjp_a, _matmul_vjp_b),
    jvps=(lambda t, out, a, b: t @ b, lambda t, out, a, b: a @ t),
)


# x @ W + b as one node: the dense layer every MLP is made of. Fusing it halves the nodes
# (and the bookkeeping per node) of a network's graph; the rules are matmul's and add's.
affine = define(
    "affine",
    lambda x, W, b: np.matmul(x, W) + b,
    vjps=(
        lambda g, out, x, W, b: _matmul_vjp_a(g, out, x, W),
        lambda g, out, x, W, b: _matmul_vjp_b(g, out, x, W),
        _bias_vjp,
    ),
    jvps=(
        lambda t, out, x, W, b: t @ W,
        lambda t, out, x, W, b: x @ t,
        lambda t, out, x, W, b: t,
    ),
)
maximum = define(
    "maximum",
    np.maximum,
    # Ties send the whole gradient to the first argument (a valid subgradient).
    vjps=(
        lambda g, out, x, y: unbroadcast(g * (x >= y), x),
        lambda g, out, x, y: unbroadcast(g * (x < y), y),
    ),
    jvps=(lambda t, out, x, y: t * (x >= y), lambda t, out, x, y: t * (x < y)),
)

# Picks x where the condition holds and y elsewhere; the condition is data, not an argument
# to differentiate (a step function), so it is a keyword parameter.
where = define(
    "where",
    lambda x, y, condition: np.where(condition, x, y),
    vjps=(
        lambda g, out, x, y, condition: unbroadcast(np.where(condition, g, 0), x),
        lambda g, out, x, y, condition: unbroadcast(np.where(condition, 0, g), y),
    ),
    jvps=(
        lambda t, out, x, y, condition: np.where(condition, t, 0),
        lambda t, out, x, y, condition: np.where(condition, 0, t),
    ),
)

# --- elementwise functions ------------------------------------------------------------
exp = define("exp", np.exp, vjps=(lambda g, out, x: g * out,), jvps=(lambda t, out, x: t * out,))
log = define("log", np.log, vjps=(lambda g, out, x: g / x,), jvps=(lambda t, out, x: t / x,))
tanh = define(
    "tanh",
    np.tanh,
    vjps=(lambda g, out, x: g * (1 - out * out),),
    jvps=(lambda t, out, x: t * (1 - out * out),),
)
sigmoid = define(
    "sigmoid",
    _sigmoid,
    vjps=(lambda g, out, x: g * (out * (1 - out)),),
    jvps=(lambda t, out, x: t * (out * (1 - out)),),
)
# softplus' = sigmoid = 1 - exp(-softplus), which expm1 evaluates to full precision.
softplus = define(
    "softplus",
    lambda x: np.logaddexp(0, x),
    vjps=(lambda g, out, x: g * -np.expm1(-out),),
    jvps=(lambda t, out, x: t * -np.expm1(-out),),
)
# ReLU's derivative at exactly 0 is taken as 0 (a subgradient), as most libraries do.
relu = define(
    "relu",
    lambda x: np.maximum(x, 0),
    vjps=(lambda g, out, x: g * (x > 0),),
    jvps=(lambda t, out, x: t * (x > 0),),
)
leaky_relu = define(
    "leaky_relu",
    lambda x, slope=0.01: np.where(x > 0, x, slope * x),
    vjps=(lambda g, out, x, slope=0.01: g * np.where(x > 0, 1.0, slope).astype(g.dtype),),
    jvps=(lambda t, out, x, slope=0.01: t * np.where(x > 0, 1.0, slope).astype(t.dtype),),
)
abs = define(  # noqa: A001
    "abs",
    np.abs,
    vjps=(lambda g, out, x: g * np.sign(x),),
    jvps=(lambda t, out, x: t * np.sign(x),),
)

# --- reductions and normalisers -------------------------------------------------------
sum = define(  # noqa: A001
    "sum",
    lambda x, axis=None, keepdims=False: np.sum(x, axis=axis, keepdims=keepdims),
    vjps=(
        lambda g, out, x, axis=None, keepdims=False: np.broadcast_to(
            _expand_reduced(g, x, axis, keepdims), np.shape(x)
        ),
    ),
    jvps=(lambda t, out, x, axis=None, keepdims=False: np.sum(t, axis=axis, keepdims=keepdims),),
)
mean = define(
    "mean",
    # sum / count: np.mean's Python-level wrapper costs more than the sum on small arrays.
    lambda x, axis=None, keepdims=False: np.sum(x, axis=axis, keepdims=keepdims) / _count(x, axis),
    vjps=(
        lambda g, out, x, axis=None, keepdims=False: np.broadcast_to(
            _expand_reduced(g, x, axis, keepdims) / _count(x, axis), np.shape(x)
        ),
    ),
    jvps=(lambda t, out, x, axis=None, keepdims=False: np.mean(t, axis=axis, keepdims=keepdims),),
)
softmax = define(
    "softmax",
    _softmax,
    vjps=(lambda g, out, x, axis=-1: out * (g - np.sum(g * out, axis=axis, keepdims=True)),),
    jvps=(lambda t, out, x, axis=-1: out * (t - np.sum(t * out, axis=axis, keepdims=True)),),
)
logsumexp = define(
    "logsumexp",
    _logsumexp,
    vjps=(
        lambda g, out, x, axis=None, keepdims=False: (
            _expand_reduced(g, x, axis, keepdims)
            * np.exp(x - _expand_reduced(out, x, axis, keepdims))
        ),
    ),
    jvps=(
        lambda t, out, x, axis=None, keepdims=False: np.sum(
            t * np.exp(x - _expand_reduced(out, x, axis, keepdims)), axis=axis, keepdims=keepdims
        ),
    ),
)

# --- fused losses ---------------------------------------------------------------------
# Each is a mean over its entries (rows for softmax cross-entropy). They are primitives for
# the reason frameworks fuse them: the gradient (sigmoid(z) - y, softmax(z) - y) is simpler
# and more accurate than the chain of its pieces, and one node is cheaper than five.


def _bce_with_logits(z, y):
    return np.sum(np.logaddexp(0, z) - y * z) / z.size


def _bce_error(z, y):
    # sigmoid(z) - y. The tanh form is 3 array passes instead of _sigmoid's 6; its error in
    # sigmoid is below 1e-16 in absolute terms, which is what a gradient needs.
    s = np.tanh(0.5 * z)
    s += 1
    s *= 0.5
    s -= y
    return s


bce_with_logits = define(
    "bce_with_logits",
    _bce_with_logits,
    vjps=(
        lambda g, out, z, y: g * _bce_error(z, y) / z.size,
        lambda g, out, z, y: unbroadcast(-g * np.broadcast_to(z, np.shape(y)), y) / np.size(z),
    ),
    jvps=(
        lambda t, out, z, y: np.sum(t * _bce_error(z, y)) / np.size(z),
        lambda t, out, z, y: -np.sum(t * z) / np.size(z),
    ),
)


def _log_softmax(z):
    return z - _logsumexp(z, axis=1, keepdims=True)


def _softmax_cross_entropy(z, target):
    return -np.sum(target * _log_softmax(z)) / z.shape[0]


softmax_cross_entropy = define(
    "softmax_cross_entropy",
    _softmax_cross_entropy,
    vjps=(
        # d/dz of -sum(target * log_softmax(z)) is softmax(z) * rowsum(target) - target.
        lambda g, out, z, target: (
            g * (_softmax(z, axis=1) * np.sum(target, axis=1, keepdims=True) - target) / z.shape[0]
        ),
        lambda g, out, z, target: -g * _log_softmax(z) / z.shape[0],
    ),
    jvps=(
        lambda t, out, z, target: (
            np.sum(t * (_softmax(z, axis=1) * np.sum(target, axis=1, keepdims=True) - target))
            / z.shape[0]
        ),
        lambda t, out, z, target: -np.sum(t * _log_softmax(z)) / z.shape[0],
    ),
)

# --- shape ----------------------------------------------------------------------------
reshape = define(
    "reshape",
    lambda x, shape: np.reshape(x, shape),
    vjps=(lambda g, out, x, shape: np.reshape(g, np.shape(x)),),
    jvps=(lambda t, out, x, shape: np.reshape(t, shape),),
)
transpose = define(
    "transpose",
    lambda x, axes=None: np.transpose(x, axes),
    vjps=(lambda g, out, x, axes=None: np.transpose(g, _inverse_axes(axes, np.ndim(x))),),
    jvps=(lambda t, out, x, axes=None: np.transpose(t, axes),),
)
getitem = define(
    "getitem",
    lambda x, index: np.asarray(x)[index],
    vjps=(_getitem_vjp,),
    jvps=(lambda t, out, x, index: np.asarray(t)[index],),
)
