"""Derivatives of Python functions, in reverse and forward mode.

Reverse mode (`grad`, `value_and_grad`, `vjp`, `jacobian(mode="reverse")`) traces one
evaluation of ``f`` (Tensors record the graph) and walks it backwards with the VJP rules of
`primitives`. Forward mode (`jvp`, `jacobian(mode="forward")`) records nothing: ``f`` runs on
JVPTensors, and each primitive's JVP rule computes a tangent the moment its value is computed.
Arguments may be arrays, floats, or (nested) lists, tuples and dicts of them; gradients come
back in the same structure.

A derivative nnlab cannot compute is an error, never zeros: an output that does not depend on
the arguments (f called ``.item()``, ``.value`` or a numpy function), or a derivative of a
derivative (`NotDifferentiableError`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .errors import (
    NnlabIndexError,
    NnlabTypeError,
    NnlabValueError,
    NotDifferentiableError,
    ShapeError,
    unknown_name,
)
from .tensor import (
    JVPTensor,
    Tensor,
    forward_stream,
    is_recording,
    jvp_input,
    recording,
    reverse_walk,
    toposort,
)
from .trees import tree_leaves, tree_map

SECOND_DERIVATIVES = (
    "for second derivatives use nnlab.course.curvature.hessian or nnlab.course.curvature.hvp"
)


def nested_derivative(fname: str) -> str:
    """The message for a derivative of a derivative (grad of grad, jvp of grad, ...)."""
    return (
        f"{fname}: nnlab does not take derivatives of derivatives (grad of grad, grad of jvp, "
        "jvp of grad): the argument is already being differentiated by an outer call, to "
        "which the inner result would be a constant, so its derivative would come out as "
        f"zeros; {SECOND_DERIVATIVES}"
    )


def no_dependence(fname: str, out) -> str:
    """The message for an output that the engine did not compute from the arguments."""
    return (
        f"{fname}: the output does not depend on the arguments: did you call .item(), .value "
        f"or a numpy function? (f returned {_kind(out)}, which nnlab did not compute from the "
        "arguments with its operations, so it has no derivative to give)"
    )


def _kind(out) -> str:
    if isinstance(out, Tensor):
        return "a Tensor computed without the arguments"
    return f"a {type(out).__name__}"


def leaf_array(x, fname: str) -> np.ndarray:
    """An argument as a float array; a value already being differentiated is an error."""
    if isinstance(x, Tensor):
        if (type(x) is JVPTensor and x._stream.open) or (type(x) is Tensor and is_recording()):
            raise NotDifferentiableError(nested_derivative(fname))
        x = x.value
    x = np.asarray(x)
    return x if x.dtype.kind in "fc" else x.astype(np.float64)


def _box(tree, fname: str):
    return tree_map(lambda x: Tensor(leaf_array(x, fname)), tree)


def _reaches(order, leaves) -> bool:
    reached = set(order)
    return any(leaf in reached for leaf in leaves)


def _grads_of(boxed, adjoints, handed_out: set):
    """Gradients for the boxed leaves; ``handed_out`` holds ids of arrays already given away."""

    def grad_of(t):
        g = adjoints.get(t)
        if g is None:  # f uses other arguments, not this one: its gradient really is 0
            return np.zeros_like(t.value)
        # Optimisers update gradients in place, so each must be its own writeable array:
        # copy views (broadcasts), wrong dtypes and arrays already handed to another leaf.
        if (
            type(g) is not np.ndarray
            or g.dtype != t.value.dtype
            or not (g.flags.owndata and g.flags.writeable)
            or id(g) in handed_out
        ):
            g = np.array(g, dtype=t.value.dtype)
        handed_out.add(id(g))
        return g

    return tree_map(grad_of, boxed)


def _argnums_tuple(argnums, fname: str):
    nums = (argnums,) if isinstance(argnums, int | np.integer) else tuple(argnums)
    if not nums or not all(isinstance(n, int | np.integer) for n in nums):
        raise NnlabTypeError(f"{fname}: argnums must be an int or a tuple of ints, got {argnums!r}")
    return nums


def _check_argnums(nums, n_args: int, fname: str) -> None:
    for n in nums:
        if not -n_args <= n < n_args:
            raise NnlabIndexError(
                f"{fname}: argnums {n} is out of range for a call with {n_args} positional "
                f"argument{'s' if n_args != 1 else ''} (valid: 0 to {n_args - 1})"
            )


def _scalar_output(out, fname):
    """The output Tensor; raises unless f returned a recorded scalar."""
    shape = np.shape(out.value if isinstance(out, Tensor) else out)
    if math.prod(shape) != 1:
        raise NnlabValueError(
            f"{fname}: f must return a scalar, but it returned shape {shape}; "
            "use nnlab.vjp or nnlab.jacobian for vector outputs"
        )
    if type(out) is not Tensor:
        raise NotDifferentiableError(no_dependence(fname, out))
    return out


def _value_and_grad(f, argnums, fname: str):
    nums = _argnums_tuple(argnums, fname)

    def wrapped(*args, **kwargs):
        _check_argnums(nums, len(args), fname)
        args = list(args)
        boxed = {}
        for n in nums:
            boxed[n] = _box(args[n], fname)
            args[n] = boxed[n]
        with recording:
            out = _scalar_output(f(*args, **kwargs), fname)
        value = out.value
        adjoints = reverse_walk(toposort(out), out, np.ones_like(value), keep_interior=False)
        if not any(leaf in adjoints for n in nums for leaf in tree_leaves(boxed[n])):
            raise NotDifferentiableError(no_dependence(fname, out))
        handed_out = set()
        grads = tuple(_grads_of(boxed[n], adjoints, handed_out) for n in nums)
        return value.item(), (grads[0] if isinstance(argnums, int | np.integer) else grads)

    return wrapped


def value_and_grad(f, argnums=0):
    """Return a function computing ``(f(*args), df/d args[argnums])`` by reverse mode.

    ``f`` must return a scalar computed from the arguments with nnlab operations. With a
    tuple of ``argnums`` the gradient is a tuple.
    """
    return _value_and_grad(f, argnums, "value_and_grad")


def grad(f, argnums=0):
    """Return a function computing the gradient of scalar ``f`` by reverse mode."""
    vg = _value_and_grad(f, argnums, "grad")

    def wrapped(*args, **kwargs):
        return vg(*args, **kwargs)[1]

    return wrapped


def vjp(f, *xs):
    """Evaluate ``y = f(*xs)`` and return ``(y, pullback)``; ``pullback(g)`` is g^T J.

    One call of ``pullback`` is one reverse pass. It returns one gradient per x
    (a single array when there is one x).
    """
    boxed = [_box(x, "vjp") for x in xs]
    with recording:
        out = f(*boxed)
    if type(out) is not Tensor:
        raise NotDifferentiableError(no_dependence("vjp", out))
    order = toposort(out)
    if not _reaches(order, (leaf for b in boxed for leaf in tree_leaves(b))):
        raise NotDifferentiableError(no_dependence("vjp", out))
    y = out.value

    def pullback(g):
        g = np.asarray(g, dtype=y.dtype)
        if g.shape != y.shape:
            raise ShapeError(f"vjp: cotangent of shape {g.shape} does not match output {y.shape}")
        adjoints = reverse_walk(order, out, g, keep_interior=False)
        handed_out = {id(g)}  # never return the caller's own cotangent
        grads = tuple(_grads_of(b, adjoints, handed_out) for b in boxed)
        return grads[0] if len(grads) == 1 else grads

    return y, pullback


def _pairs(xs, vs):
    if not isinstance(xs, tuple | list):
        xs, vs = (xs,), (vs,)
    if not isinstance(vs, tuple | list) or len(xs) != len(vs):
        n_vs = len(vs) if isinstance(vs, tuple | list) else 1
        raise NnlabValueError(f"jvp: got {len(xs)} primal inputs but {n_vs} tangents")
    return list(xs), list(vs)


def _seeded(x, v, stream, fname: str):
    """``x`` with JVPTensor leaves, each seeded with the matching leaf of ``v``."""
    n_x, n_v = len(tree_leaves(x)), len(tree_leaves(v))
    if n_x != n_v:
        raise NnlabValueError(f"{fname}: an input with {n_x} arrays got {n_v} tangents")
    tangents = iter(tree_leaves(v))

    def seed(leaf):
        value = leaf_array(leaf, fname)
        tangent = np.asarray(next(tangents), dtype=value.dtype)
        if tangent.shape != value.shape:
            raise ShapeError(f"{fname}: tangent of shape {tangent.shape} for input {value.shape}")
        return jvp_input(value, tangent, stream)

    return tree_map(seed, x)


def _forward_pass(f, xs, vs, fname: str):
    """One streaming forward pass: ``(value, tangent)`` of ``f(*xs)`` along ``vs``."""
    with forward_stream() as stream:
        seeded = [_seeded(x, v, stream, fname) for x, v in zip(xs, vs, strict=True)]
        out = f(*seeded)
        if type(out) is not JVPTensor or out._stream is not stream:
            raise NotDifferentiableError(no_dependence(fname, out))
        return out.value, out.tangent


def jvp(f, xs, vs):
    """Forward mode: return ``(f(*xs), J v)``, the directional derivative along ``vs``.

    ``xs`` and ``vs`` are tuples of the same length (one tangent per input, each
    with its input's shape). One call is one forward pass: ``f`` runs once, each
    operation computing its value and tangent together, and no graph is kept.
    """
    xs, vs = _pairs(xs, vs)
    return _forward_pass(f, xs, vs, "jvp")


class JacobianResult(NamedTuple):
    """The Jacobian (shape ``y.shape + x.shape``) and how many passes it took."""

    jacobian: np.ndarray
    passes: int


JACOBIAN_MODES = ("forward", "reverse")


def jacobian(f, x, mode: str = "reverse") -> JacobianResult:
    """The Jacobian of ``f`` at ``x`` and the number of sweeps it needed.

    Forward mode takes one streaming pass per input entry (n passes for
    f: R^n -> R^m), each seeded with one unit tangent; reverse mode traces f once
    and takes one adjoint sweep per output entry (m passes).
    """
    if mode not in JACOBIAN_MODES:
        raise unknown_name("jacobian", "mode", mode, JACOBIAN_MODES)
    x = leaf_array(x, "jacobian")
    n = x.size
    if mode == "forward":
        columns = []
        for j in range(n):
            seed = np.zeros(n, dtype=x.dtype)
            seed[j] = 1
            y, t = _forward_pass(f, [x], [seed.reshape(x.shape)], "jacobian")
            columns.append(np.ravel(t))
        matrix = np.stack(columns, axis=1)
        return JacobianResult(matrix.reshape(np.shape(y) + x.shape), n)
    leaf = Tensor(x)
    with recording:
        out = f(leaf)
    if type(out) is not Tensor:
        raise NotDifferentiableError(no_dependence("jacobian", out))
    order = toposort(out)
    if not _reaches(order, [leaf]):
        raise NotDifferentiableError(no_dependence("jacobian", out))
    m = out.value.size
    rows = []
    for i in range(m):
        seed = np.zeros(m, dtype=out.value.dtype)
        seed[i] = 1
        g = reverse_walk(order, out, seed.reshape(out.shape)).get(leaf)
        rows.append(np.ravel(g))
    matrix = np.stack(rows, axis=0)
    return JacobianResult(matrix.reshape(out.shape + x.shape), m)
