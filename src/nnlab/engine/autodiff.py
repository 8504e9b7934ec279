"""Derivatives of Python functions, in reverse and forward mode.

Both modes trace one evaluation of ``f`` (Tensors record the graph) and then
walk that graph with the rules of `primitives`: backwards with the VJPs, or
forwards with the JVPs. Arguments may be arrays, floats, or (nested) lists,
tuples and dicts of them; gradients come back in the same structure.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .errors import ShapeError
from .tensor import Tensor, forward_walk, reverse_walk, toposort
from .trees import tree_leaves, tree_map


def _as_float_array(x):
    x = np.asarray(x.value if isinstance(x, Tensor) else x)
    return x if x.dtype.kind in "fc" else x.astype(np.float64)


def _box(tree):
    return tree_map(lambda x: Tensor(_as_float_array(x)), tree)


def _grads_of(boxed, adjoints, handed_out: set):
    """Gradients for the boxed leaves; ``handed_out`` holds ids of arrays already given away."""

    def grad_of(t):
        g = adjoints.get(t)
        if g is None:
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


def _argnums_tuple(argnums):
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


def _scalar_output(out, fname):
    """The output Tensor (None if f ignored its arguments); raises unless it is a scalar."""
    shape = np.shape(out.value if isinstance(out, Tensor) else out)
    if math.prod(shape) != 1:
        raise ValueError(
            f"{fname} needs f to return a scalar, but it returned shape {shape}; "
            "use nnlab.vjp or nnlab.jacobian for vector outputs"
        )
    return out if isinstance(out, Tensor) else None


def value_and_grad(f, argnums=0):
    """Return a function computing ``(f(*args), df/d args[argnums])`` by reverse mode.

    ``f`` must return a scalar. With a tuple of ``argnums`` the gradient is a tuple.
    """
    nums = _argnums_tuple(argnums)

    def wrapped(*args, **kwargs):
        args = list(args)
        boxed = {}
        for n in nums:
            boxed[n] = _box(args[n])
            args[n] = boxed[n]
        result = f(*args, **kwargs)
        out = _scalar_output(result, "grad")
        if out is None:  # f does not depend on the arguments at all
            value, adjoints = np.asarray(result), {}
        else:
            value = out.value
            adjoints = reverse_walk(toposort(out), out, np.ones_like(value), keep_interior=False)
        handed_out = set()
        grads = tuple(_grads_of(boxed[n], adjoints, handed_out) for n in nums)
        return np.asarray(value).item(), (grads[0] if isinstance(argnums, int) else grads)

    return wrapped


def grad(f, argnums=0):
    """Return a function computing the gradient of scalar ``f`` by reverse mode."""
    vg = value_and_grad(f, argnums)

    def wrapped(*args, **kwargs):
        return vg(*args, **kwargs)[1]

    return wrapped


def vjp(f, *xs):
    """Evaluate ``y = f(*xs)`` and return ``(y, pullback)``; ``pullback(g)`` is g^T J.

    One call of ``pullback`` is one reverse pass. It returns one gradient per x
    (a single array when there is one x).
    """
    boxed = [_box(x) for x in xs]
    out = f(*boxed)
    order = toposort(out) if isinstance(out, Tensor) else []
    y = out.value if isinstance(out, Tensor) else np.asarray(out)

    def pullback(g):
        g = np.asarray(g, dtype=y.dtype)
        if g.shape != y.shape:
            raise ShapeError(f"vjp: cotangent of shape {g.shape} does not match output {y.shape}")
        adjoints = reverse_walk(order, out, g, keep_interior=False) if order else {}
        handed_out = {id(g)}  # never return the caller's own cotangent
        grads = tuple(_grads_of(b, adjoints, handed_out) for b in boxed)
        return grads[0] if len(grads) == 1 else grads

    return y, pullback


def _pairs(xs, vs):
    if not isinstance(xs, tuple | list):
        xs, vs = (xs,), (vs,)
    if len(xs) != len(vs):
        raise ValueError(f"jvp: got {len(xs)} primal inputs but {len(vs)} tangents")
    return list(xs), list(vs)


def jvp(f, xs, vs):
    """Forward mode: return ``(f(*xs), J v)``, the directional derivative along ``vs``.

    ``xs`` and ``vs`` are tuples of the same length (one tangent per input, each
    with its input's shape). One call is one forward pass.
    """
    xs, vs = _pairs(xs, vs)
    boxed = [_box(x) for x in xs]
    out = f(*boxed)
    if not isinstance(out, Tensor):
        y = np.asarray(out)
        return y, np.zeros_like(y, dtype=float)
    seeds = {}
    for b, v in zip(boxed, vs, strict=True):
        for leaf, tangent in zip(tree_leaves(b), tree_leaves(v), strict=True):
            tangent = np.asarray(tangent, dtype=leaf.value.dtype)
            if tangent.shape != leaf.shape:
                raise ShapeError(f"jvp: tangent of shape {tangent.shape} for input {leaf.shape}")
            seeds[leaf] = tangent
    tangents = forward_walk(toposort(out), seeds)
    t = tangents.get(out)
    return out.value, (np.zeros_like(out.value) if t is None else t)


class JacobianResult(NamedTuple):
    """The Jacobian (shape ``y.shape + x.shape``) and how many passes it took."""

    jacobian: np.ndarray
    passes: int


def jacobian(f, x, mode: str = "reverse") -> JacobianResult:
    """The Jacobian of ``f`` at ``x`` and the number of sweeps it needed.

    Forward mode takes one tangent sweep per input entry (n passes for
    f: R^n -> R^m); reverse mode one adjoint sweep per output entry (m passes).
    Both walk the same traced graph.
    """
    if mode not in ("forward", "reverse"):
        raise ValueError(f"unknown jacobian mode {mode!r}; valid names: 'forward', 'reverse'")
    leaf = Tensor(_as_float_array(x))
    out = f(leaf)
    if not isinstance(out, Tensor):
        y = np.asarray(out)
        return JacobianResult(np.zeros(y.shape + leaf.shape), 0)
    order = toposort(out)
    n, m = leaf.value.size, out.value.size
    if mode == "forward":
        columns = []
        for j in range(n):
            seed = np.zeros(n, dtype=leaf.value.dtype)
            seed[j] = 1
            t = forward_walk(order, {leaf: seed.reshape(leaf.shape)}).get(out)
            columns.append(np.zeros(m) if t is None else np.ravel(t))
        matrix = np.stack(columns, axis=1)
        passes = n
    else:
        rows = []
        for i in range(m):
            seed = np.zeros(m, dtype=out.value.dtype)
            seed[i] = 1
            g = reverse_walk(order, out, seed.reshape(out.shape)).get(leaf)
            rows.append(np.zeros(n) if g is None else np.ravel(g))
        matrix = np.stack(rows, axis=0)
        passes = m
    return JacobianResult(matrix.reshape(out.shape + leaf.shape), passes)
