"""Tracing: a Tensor remembers which primitive made it and from what.

Applying a primitive to at least one Tensor records a node (micrograd style);
applying it to plain arrays just computes the value. The derivative rules live
in `primitives`; this module only records the graph and walks it backwards.
"""

from __future__ import annotations

import itertools

import numpy as np

from . import primitives as P
from .errors import ShapeError


class Tensor:
    """An array that records the computation that produced it.

    Attributes: ``value`` (ndarray), ``grad`` (ndarray or None, filled by
    ``backward``), ``name`` (optional label used by tables and plots).
    """

    __slots__ = ("value", "grad", "name", "_prim", "_args", "_parents", "_params", "_seq")
    # Make numpy defer to our reflected operators: ndarray + Tensor -> Tensor.__radd__.
    __array_ufunc__ = None

    def __init__(self, value, name: str | None = None):
        value = np.asarray(value)
        if value.dtype.kind in "biu":
            value = value.astype(np.float64)
        self.value = value
        self.grad = None
        self.name = name
        self._prim = None
        self._args = ()
        self._parents = ()
        self._params = {}
        self._seq = next(_creation_order)

    # --- introspection -------------------------------------------------------------
    @property
    def shape(self):
        return self.value.shape

    @property
    def ndim(self):
        return self.value.ndim

    @property
    def dtype(self):
        return self.value.dtype

    @property
    def op(self) -> str:
        return self._prim.name if self._prim is not None else "input"

    @property
    def parents(self) -> tuple[Tensor, ...]:
        return tuple(p for _, p in self._parents)

    def item(self) -> float:
        return self.value.item()

    def named(self, name: str) -> Tensor:
        """Label this node (for tables and graph plots); returns self."""
        self.name = name
        return self

    def __len__(self):
        return len(self.value)

    def __repr__(self) -> str:
        label = f", name={self.name!r}" if self.name else ""
        return f"Tensor({np.array2string(self.value, precision=6)}, op={self.op}{label})"

    # --- reverse mode --------------------------------------------------------------
    def backward(self, seed=None) -> None:
        """Fill ``.grad`` of every node this one depends on with d(self)/d(node).

        A scalar output is seeded with 1; a non-scalar one needs an explicit seed
        (the vector in the vector-Jacobian product). Gradients of leaf Tensors
        accumulate across calls, as in micrograd and PyTorch; interior nodes are
        overwritten.
        """
        if seed is None:
            if self.value.size != 1:
                raise ValueError(
                    f"backward() on a non-scalar output of shape {self.shape} needs a seed: "
                    "pass seed= an array of that shape (or reduce the output to a scalar first)"
                )
            seed = np.ones_like(self.value)
        else:
            seed = np.asarray(seed, dtype=self.value.dtype)
            if seed.shape != self.shape:
                raise ShapeError(
                    f"backward: seed of shape {seed.shape} does not match output shape {self.shape}"
                )
        order = toposort(self)
        adjoints = reverse_walk(order, self, seed)
        for node in order:
            g = adjoints.get(node)
            if node._prim is not None or g is None:
                node.grad = g
            elif node.grad is None:
                node.grad = np.array(g)  # leaves get their own writeable array
            else:
                node.grad = node.grad + g

    # --- operators: each is one primitive ------------------------------------------
    def __add__(self, other):
        return apply(P.add, self, other)

    def __radd__(self, other):
        return apply(P.add, other, self)

    def __sub__(self, other):
        return apply(P.sub, self, other)

    def __rsub__(self, other):
        return apply(P.sub, other, self)

    def __mul__(self, other):
        return apply(P.mul, self, other)

    def __rmul__(self, other):
        return apply(P.mul, other, self)

    def __truediv__(self, other):
        return apply(P.div, self, other)

    def __rtruediv__(self, other):
        return apply(P.div, other, self)

    def __pow__(self, other):
        return apply(P.pow, self, other)

    def __rpow__(self, other):
        return apply(P.pow, other, self)

    def __matmul__(self, other):
        return apply(P.matmul, self, other)

    def __rmatmul__(self, other):
        return apply(P.matmul, other, self)

    def __neg__(self):
        return apply(P.neg, self)

    def __abs__(self):
        return apply(P.abs, self)

    def __getitem__(self, index):
        if isinstance(index, Tensor):  # Tensors hold floats; indices must be integers
            index = index.value
            if index.dtype.kind == "f":
                if not np.all(index == np.round(index)):
                    raise IndexError(f"index Tensor holds non-integer values {index}")
                index = index.astype(np.intp)
        return apply(P.getitem, self, index=index)

    @property
    def T(self):
        return apply(P.transpose, self)

    def sum(self, axis=None, keepdims=False):
        return apply(P.sum, self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        return apply(P.mean, self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape):
        shape = shape[0] if len(shape) == 1 else shape
        return apply(P.reshape, self, shape=shape)

    def transpose(self, axes=None):
        return apply(P.transpose, self, axes=axes)


# Every Tensor is created after the Tensors it is computed from, so sorting a graph's
# nodes by creation number gives a topological order without a recursive search.
_creation_order = itertools.count()


def apply(prim: P.Primitive, *args, **params):
    """Evaluate ``prim`` on ``args``; record a node if any argument is a Tensor."""
    values = [a.value if type(a) is Tensor else a for a in args]
    parents = [(i, a) for i, a in enumerate(args) if type(a) is Tensor]
    try:
        out = prim.value(*values, **params)
    except ValueError as err:
        shapes = " and ".join(str(np.shape(v)) for v in values)
        raise ShapeError(f"{prim.name}: invalid operands of shapes {shapes}: {err}") from None
    if not parents:
        return out
    node = Tensor.__new__(Tensor)
    node.value = np.asarray(out)
    node.grad = None
    node.name = None
    node._prim = prim
    node._args = values
    node._parents = parents
    node._params = params
    node._seq = next(_creation_order)
    return node


def toposort(out: Tensor) -> list[Tensor]:
    """Nodes that ``out`` depends on, each after all of its parents."""
    reached = {out}
    stack = [out]
    while stack:
        for _, parent in stack.pop()._parents:
            if parent not in reached:
                reached.add(parent)
                stack.append(parent)
    return sorted(reached, key=_creation_number)


def _creation_number(node: Tensor) -> int:
    return node._seq


def reverse_walk(
    order: list[Tensor], out: Tensor, seed, keep_interior: bool = True
) -> dict[Tensor, np.ndarray]:
    """Adjoints d(out)/d(node) for every node, by one backward sweep of the VJP rules.

    With ``keep_interior=False`` only the leaves' adjoints are returned, and each interior
    adjoint is freed as soon as it has been passed on, as a hand-written backward pass
    does: less memory alive at once, and buffers reused while still in cache.
    """
    adjoints = {out: seed}
    adjoint_of = adjoints.get  # this loop runs once per node per step: keep lookups local
    for node in reversed(order):
        if node._prim is None:
            continue
        g = adjoint_of(node) if keep_interior else adjoints.pop(node, None)
        if g is None:
            continue
        vjps, args, params, value = node._prim.vjps, node._args, node._params, node.value
        for i, parent in node._parents:
            contribution = vjps[i](g, value, *args, **params)
            previous = adjoint_of(parent)
            adjoints[parent] = contribution if previous is None else previous + contribution
    return adjoints


def forward_walk(order: list[Tensor], seeds: dict[Tensor, np.ndarray]) -> dict[Tensor, np.ndarray]:
    """Tangents d(node)/d(inputs)·v for every node, by one forward sweep of the JVP rules."""
    tangents = dict(seeds)
    for node in order:
        if node._prim is None:
            continue
        total = None
        jvps = node._prim.jvps
        for i, parent in node._parents:
            t = tangents.get(parent)
            if t is None:
                continue
            contribution = jvps[i](t, node.value, *node._args, **node._params)
            total = contribution if total is None else total + contribution
        if total is not None:
            if np.shape(total) != node.value.shape:
                total = np.broadcast_to(total, node.value.shape)
            tangents[node] = total
    return tangents
