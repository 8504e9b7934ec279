"""The computational graph of one evaluation, with both modes' numbers on it.

`trace(f, *xs)` runs ``f`` once on Tensors and returns a `Graph`: every node
with its op, value and parents, in evaluation order. ``graph.tangents(wrt)``
walks it forwards (forward mode seeded at one input); ``graph.adjoints()``
walks it backwards from the output (reverse mode). Both apply the same rules
as `jvp` and `grad`; unlike `jvp`, which keeps nothing, the graph keeps every
node, so that tables and plots can show each one.

The graph also answers the questions drawings and hand tables ask of it:
`Graph.children`, `Graph.input_names`, `Graph.input_position` (a forward seed given
by name or position) and `Graph.edge_derivatives`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .autodiff import leaf_array, no_dependence
from .errors import NnlabIndexError, NnlabValueError, NotDifferentiableError
from .tensor import Tensor, forward_walk, recording, reverse_walk, toposort


@dataclass(frozen=True)
class Node:
    index: int
    op: str
    name: str
    value: np.ndarray
    parents: tuple[int, ...]


class Graph:
    """Nodes of one traced evaluation, parents before children; the output is last."""

    def __init__(self, output: Tensor, inputs: list[Tensor]):
        self._output = output
        self._inputs = inputs
        # Inputs first, in the order given (also those the output ignores), then the rest.
        given = set(inputs)
        self._order = list(inputs) + [t for t in toposort(output) if t not in given]
        position = {t: i for i, t in enumerate(self._order)}
        self.nodes = [
            Node(
                index=i,
                op=t.op,
                name=t.name or f"v{i}",
                value=t.value,
                parents=tuple(position[p] for p in t.parents),
            )
            for i, t in enumerate(self._order)
        ]
        self.inputs = [position[t] for t in inputs]
        self.output = position[output]

    def __len__(self) -> int:
        return len(self.nodes)

    def __getitem__(self, name: str) -> Node:
        for node in self.nodes:
            if node.name == name:
                return node
        raise NnlabIndexError(f"Graph: no node named {name!r}; nodes: {self._names(self.nodes)}")

    @staticmethod
    def _names(nodes) -> str:
        return ", ".join(n.name for n in nodes)

    def input_names(self) -> list[str]:
        """The inputs' names, in the order `trace` was given them."""
        return [self.nodes[i].name for i in self.inputs]

    def input_position(self, wrt, where: str = "Graph.tangents") -> int:
        """The position among the inputs of ``wrt`` (an input's name or position)."""
        names = ", ".join(self.input_names())
        if isinstance(wrt, str):
            for k, i in enumerate(self.inputs):
                if self.nodes[i].name == wrt:
                    return k
            raise NnlabIndexError(f"{where}: {wrt!r} is not an input of the graph; inputs: {names}")
        if not isinstance(wrt, int | np.integer) or not 0 <= wrt < len(self.inputs):
            raise NnlabIndexError(
                f"{where}: {wrt!r} is not an input's position (0 to {len(self.inputs) - 1}) "
                f"or name; inputs: {names}"
            )
        return int(wrt)

    def input_name(self, wrt, where: str = "Graph.tangents") -> str:
        """The name of input ``wrt`` (a name or a position)."""
        return self.nodes[self.inputs[self.input_position(wrt, where)]].name

    def children(self) -> dict[int, list[int]]:
        """For each node index, the indices of the nodes that use it (each listed once)."""
        kids: dict[int, list[int]] = {n.index: [] for n in self.nodes}
        for node in self.nodes:
            for p in dict.fromkeys(node.parents):
                kids[p].append(node.index)
        return kids

    def tangents(self, wrt=0, direction=None) -> list[np.ndarray]:
        """Forward mode: d(node)/d(input ``wrt``) for every node (one forward pass).

        ``wrt`` is an input's position or name; ``direction`` (default all ones)
        is the tangent seeded at that input.
        """
        leaf = self._inputs[self.input_position(wrt)]
        seed = np.ones_like(leaf.value) if direction is None else np.asarray(direction, float)
        if seed.shape != leaf.shape:
            raise NnlabValueError(
                f"Graph.tangents: direction of shape {seed.shape} for an input of shape "
                f"{leaf.shape}"
            )
        tangents = forward_walk(self._order, {leaf: seed})
        return [self._or_zero(tangents.get(t), t) for t in self._order]

    def adjoints(self, seed=None) -> list[np.ndarray]:
        """Reverse mode: d(output)/d(node) for every node (one backward pass)."""
        out = self._output
        seed = np.ones_like(out.value) if seed is None else np.asarray(seed, out.value.dtype)
        adjoints = reverse_walk(self._order, out, seed)
        return [self._or_zero(adjoints.get(t), t) for t in self._order]

    @staticmethod
    def _or_zero(x, t):
        return np.zeros_like(t.value) if x is None else np.asarray(x)

    def edge_derivatives(self) -> dict[tuple[int, int], float]:
        """Local derivative d(child)/d(parent) of every edge, keyed ``(parent, child)``.

        For graphs of scalars (the hand-drawn kind). Each is the primitive's JVP rule
        applied to a unit tangent with the other parents held fixed; a parent used twice
        by one child (``x * x``) gets the sum of both uses.
        """
        if any(t.value.size != 1 for t in self._order):
            big = self._names(n for n in self.nodes if np.size(n.value) != 1)
            raise NnlabValueError(
                "Graph.edge_derivatives: every node must be a scalar for one number per edge; "
                f"these hold arrays: {big} (trace a scalar version of the function)"
            )
        index = {t: i for i, t in enumerate(self._order)}
        local: dict[tuple[int, int], float] = {}
        for child, t in enumerate(self._order):
            for slot, parent in t._parents:
                d = t._prim.jvps[slot](np.ones_like(parent.value), t.value, *t._args, **t._params)
                key = (index[parent], child)
                local[key] = local.get(key, 0.0) + float(np.sum(d))
        return local

    def table(self, wrt=0, precision: int = 4) -> str:
        """A fixed-precision text table: node, op, parents, value, tangent, adjoint."""
        tangents, adjoints = self.tangents(wrt), self.adjoints()
        header = (
            f"{'node':>6} {'op':>10} {'parents':>12} {'value':>12} {'tangent':>12} {'adjoint':>12}"
        )
        lines = [header]
        for node, t, a in zip(self.nodes, tangents, adjoints, strict=True):
            parents = ",".join(self.nodes[p].name for p in node.parents) or "-"
            value, t, a = (_fmt(v, precision) for v in (node.value, t, a))
            lines.append(f"{node.name:>6} {node.op:>10} {parents:>12} {value:>12} {t:>12} {a:>12}")
        return "\n".join(lines)


def _fmt(x, precision):
    x = np.asarray(x)
    if x.size == 1:
        return f"{x.item():.{precision}f}"
    return np.array2string(x, precision=precision, suppress_small=True)


def trace(f, *xs, names=None) -> Graph:
    """Evaluate ``f(*xs)`` once and return its computational graph.

    ``names`` labels the inputs (default ``x0, x1, ...``); label intermediate
    values inside ``f`` with ``tensor.named("c")``.
    """
    names = [f"x{i}" for i in range(len(xs))] if names is None else list(names)
    if len(names) != len(xs):
        raise NnlabValueError(f"trace: got {len(xs)} inputs but {len(names)} names: {names}")
    inputs = [Tensor(leaf_array(x, "trace"), name=name) for x, name in zip(xs, names, strict=True)]
    with recording:
        out = f(*inputs)
    if type(out) is not Tensor:
        raise NotDifferentiableError(no_dependence("trace", out))
    reached = set(toposort(out))
    if not any(t in reached for t in inputs):
        raise NotDifferentiableError(no_dependence("trace", out))
    return Graph(out, inputs)
