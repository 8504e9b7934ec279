"""The two kinds of node, and `apply`, which evaluates one primitive on them.

- A `Tensor` records (micrograd style): a primitive applied to at least one Tensor makes a
  new Tensor that remembers the primitive and its arguments, so that reverse mode can walk
  the graph backwards afterwards (`toposort`, `reverse_walk`).
- A `JVPTensor` (HIPS autograd's JVPNode) carries a tangent instead: a primitive applied to
  it computes the value and, with the primitive's JVP rules, the tangent at once, and
  records nothing, so every value can be freed as soon as nothing uses it. Only `jvp` makes
  them, inside a `forward_stream`.

Plain arrays in, plain array out. The derivative rules live in `primitives`. `forward_walk`
is forward mode over a recorded graph, for `trace`, which keeps the whole graph for teaching.
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager

import numpy as np

from . import primitives as P
from .errors import (
    NnlabIndexError,
    NnlabTypeError,
    NnlabValueError,
    NotDifferentiableError,
    ShapeError,
)


class Tensor:
    """An array that records the computation that produced it.

    Attributes: ``value`` (ndarray), ``grad`` (ndarray or None, filled by
    ``backward``), ``name`` (optional label used by tables and plots).
    """

    __slots__ = ("value", "grad", "name", "_prim", "_args", "_parents", "_params", "_seq")
    # Comparisons return arrays, so identity must be the hash (Tensors are dict keys).
    __hash__ = object.__hash__

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
                raise NnlabValueError(
                    f"backward: a non-scalar output of shape {self.shape} needs a seed: "
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
                    raise NnlabIndexError(f"getitem: the index Tensor holds non-integers {index}")
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

    # --- comparisons: plain boolean arrays -------------------------------------------
    # A step function's derivative is zero wherever it exists, so nothing is recorded:
    # ``x * (x > 0)`` is relu, its derivative flowing through x only (as in autograd).
    def __lt__(self, other):
        return np.less(self.value, _value_of(other))

    def __le__(self, other):
        return np.less_equal(self.value, _value_of(other))

    def __gt__(self, other):
        return np.greater(self.value, _value_of(other))

    def __ge__(self, other):
        return np.greater_equal(self.value, _value_of(other))

    def __eq__(self, other):
        return np.equal(self.value, _value_of(other))

    def __ne__(self, other):
        return np.not_equal(self.value, _value_of(other))

    # --- numpy functions -------------------------------------------------------------
    # numpy's own functions would compute on the numbers and drop the derivative, a silent
    # wrong answer; so each says which nnlab function to use. The operators' ufuncs
    # (ndarray + Tensor calls np.add) record as the operators do.
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "__call__" and not kwargs:
            prim = _OPERATOR_UFUNCS.get(ufunc)
            if prim is not None:
                return apply(prim, *inputs)
            if ufunc in _PREDICATES:
                return ufunc(*(_value_of(x) for x in inputs))
        name = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        raise NnlabTypeError(numpy_on_tensor(name))

    def __array_function__(self, func, types, args, kwargs):
        if func in _SHAPE_QUERIES:
            return func(*(_value_of(a) for a in args), **kwargs)
        raise NnlabTypeError(numpy_on_tensor(func.__name__))

    def __array__(self, dtype=None, copy=None):
        raise NnlabTypeError(
            "np.asarray: a Tensor is not a numpy array (converting it would drop its "
            "derivative); use .value for its numbers, as a constant"
        )


class JVPTensor(Tensor):
    """A value with its tangent, as `jvp` computes them (HIPS autograd's JVPNode).

    ``value`` is f's intermediate value, ``tangent`` its directional derivative along the
    seeded direction. Operations on it compute both at once and keep no graph: nothing
    refers back to the arguments, so each value is freed when no later step needs it.
    """

    __slots__ = ("tangent", "_stream", "_held")

    def __init__(self, *args, **kwargs):
        raise NnlabTypeError("JVPTensor: made by nnlab.jvp only; use nnlab.Tensor for a value")

    def __del__(self):
        stream = getattr(self, "_stream", None)  # None if __init__ refused to make it
        if stream is not None:
            stream.held -= self._held  # the stream's tally of what forward mode keeps

    def backward(self, seed=None) -> None:
        raise NotDifferentiableError(
            "backward: this value was computed in forward mode (inside nnlab.jvp), which "
            "keeps no graph to walk back; use nnlab.grad or nnlab.vjp for reverse mode"
        )


def _value_of(x):
    return x.value if isinstance(x, Tensor) else x


_OPERATOR_UFUNCS = {
    np.add: P.add,
    np.subtract: P.sub,
    np.multiply: P.mul,
    np.divide: P.div,
    np.power: P.pow,
    np.matmul: P.matmul,
}
_PREDICATES = {
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.isfinite, np.isnan, np.isinf,
}  # fmt: skip
_SHAPE_QUERIES = {np.shape, np.ndim, np.size}
# numpy name -> what to write instead (an nnlab function unless said otherwise).
_INSTEAD = {
    "absolute": "nnlab.abs",
    "add.reduce": "nnlab.sum",
    "dot": "nnlab.matmul",
    "exp": "nnlab.exp",
    "log": "nnlab.log",
    "logaddexp": "nnlab.softplus (log(1 + exp(x)) = np.logaddexp(0, x))",
    "maximum": "nnlab.maximum",
    "mean": "nnlab.mean",
    "negative": "nnlab.negative",
    "reshape": "nnlab.reshape",
    "sqrt": "nnlab.power(x, 0.5)",
    "square": "x ** 2",
    "sum": "nnlab.sum",
    "tanh": "nnlab.tanh",
    "transpose": "nnlab.transpose",
    "where": "nnlab.where",
}


def numpy_on_tensor(name: str) -> str:
    """The message for a numpy function given a Tensor, naming what to use instead."""
    instead = _INSTEAD.get(name)
    if instead is None:
        instead = (
            f"nnlab operations (nnlab has no {name} primitive; nnlab.primitives.PRIMITIVES "
            "lists those it has), or .value for a constant"
        )
    function = f"np.{name}"
    return f"{function}: numpy functions do not record on a Tensor: use {instead}"


# Every Tensor is created after the Tensors it is computed from, so sorting a graph's
# nodes by creation number gives a topological order without a recursive search.
_creation_order = itertools.count()


def apply(prim: P.Primitive, *args, **params):
    """Evaluate ``prim`` on ``args``: record a node if any argument is a Tensor, carry the
    tangent forward if one is a JVPTensor of a running `jvp`, else just compute the value."""
    if _open_streams:
        streamed = _apply_forward(prim, args, params)
        if streamed is not None:
            return streamed
    values = [a.value if isinstance(a, Tensor) else a for a in args]
    parents = [(i, a) for i, a in enumerate(args) if type(a) is Tensor]
    try:
        out = prim.value(*values, **params)
    except ValueError as err:
        raise ShapeError(_operand_message(prim, values, err)) from None
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


def _operand_message(prim, values, err) -> str:
    shapes = " and ".join(str(np.shape(v)) for v in values)
    return f"{prim.name}: invalid operands of shapes {shapes}: {err}"


# --- forward mode: JVPTensors stream their tangents ---------------------------------------
class _Stream:
    """One running `jvp`. Its JVPTensors carry tangents while it is open; afterwards any
    that escaped are constants, like any other value computed earlier.

    ``held`` counts the numbers (value and tangent entries) that the stream's computed
    JVPTensors hold right now, ``peak`` the most they held at once: what forward mode keeps.
    """

    __slots__ = ("open", "held", "peak")

    def __init__(self):
        self.open = True
        self.held = self.peak = 0


_open_streams: list[_Stream] = []


@contextmanager
def forward_stream():
    """Open a stream for one forward pass; yields it (give it to `jvp_input`)."""
    stream = _Stream()
    _open_streams.append(stream)
    try:
        yield stream
    finally:
        stream.open = False
        _open_streams.remove(stream)


def jvp_input(value: np.ndarray, tangent: np.ndarray, stream: _Stream) -> JVPTensor:
    """A forward-mode input: ``value`` seeded with ``tangent``."""
    return _jvp_node(value, tangent, stream, None)


def _jvp_node(value, tangent, stream, prim) -> JVPTensor:
    node = JVPTensor.__new__(JVPTensor)
    node.value, node.tangent, node._stream = value, tangent, stream
    node.grad, node.name, node._prim = None, None, prim
    node._args, node._parents, node._params = (), (), {}
    node._seq = next(_creation_order)
    # Computed values count towards what forward mode holds; the inputs are the caller's.
    node._held = value.size + np.size(tangent) if prim is not None else 0
    stream.held += node._held
    stream.peak = max(stream.peak, stream.held)
    return node


def _apply_forward(prim, args, params):
    """Value and tangent of ``prim`` at once, from its JVP rules; nothing is recorded.

    Returns None when no argument carries a tangent of an open stream. The tangent is the
    sum over tangent-carrying arguments, in argument order, as `forward_walk` adds them.
    """
    stream = None
    for a in args:
        if type(a) is JVPTensor and a._stream.open:
            if stream is None:
                stream = a._stream
            elif a._stream is not stream:
                raise NotDifferentiableError(
                    f"jvp: {prim.name} got values of two nested jvp calls; nnlab does not nest "
                    "forward mode (jvp of a function that calls jvp on the same variables)"
                )
    if stream is None:
        return None
    if any(type(a) is Tensor for a in args):
        raise NotDifferentiableError(
            f"jvp: {prim.name} got a forward-mode value (inside nnlab.jvp) and a Tensor that "
            "reverse mode is recording: nnlab does not nest the two modes (grad of a function "
            "that calls jvp, or jvp of grad). For second derivatives use "
            "nnlab.course.curvature.hessian or nnlab.course.curvature.hvp"
        )
    values = [a.value if isinstance(a, Tensor) else a for a in args]
    try:
        out = np.asarray(prim.value(*values, **params))
    except ValueError as err:
        raise ShapeError(_operand_message(prim, values, err)) from None
    tangent = None
    jvps = prim.jvps
    for i, a in enumerate(args):
        if type(a) is JVPTensor and a._stream is stream:
            contribution = jvps[i](a.tangent, out, *values, **params)
            tangent = contribution if tangent is None else tangent + contribution
    if np.shape(tangent) != out.shape:
        tangent = np.broadcast_to(tangent, out.shape)
    return _jvp_node(out, tangent, stream, prim)


# --- reverse mode: walking a recorded graph ---------------------------------------------
_recordings = 0  # how many reverse-mode evaluations (grad, vjp, trace, ...) are running


class _Recording:
    """``with recording:`` marks f's evaluation by a reverse-mode function, so that a
    derivative called inside it can tell (a class, not a generator: grad runs it every step)."""

    __slots__ = ()

    def __enter__(self):
        global _recordings
        _recordings += 1

    def __exit__(self, *exc_info):
        global _recordings
        _recordings -= 1


recording = _Recording()


def is_recording() -> bool:
    return _recordings > 0


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
