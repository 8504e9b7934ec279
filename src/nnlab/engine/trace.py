"""The computational graph of one evaluation, with both modes' numbers on it.

`trace(f, *xs)` runs ``f`` once on Tensors and returns a `Graph`: every node
with its op, value and parents, in evaluation order. ``graph.tangents(wrt)``
walks it forwards (forward mode seeded at one input); ``graph.adjoints()``
walks it backwards from the output (reverse mode). Plots and explorers draw
these numbers on the graph; they are the same walks `jvp` and `grad` use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tensor import Tensor, forward_walk, reverse_walk, toposort


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
        raise KeyError(f"no node named {name!r}; names: {[n.name for n in self.nodes]}")

    def tangents(self, wrt=0, direction=None) -> list[np.ndarray]:
        """Forward mode: d(node)/d(input ``wrt``) for every node (one forward pass).

        ``wrt`` is an input's position or name; ``direction`` (default all ones)
        is the tangent seeded at that input.
        """
        if isinstance(wrt, str):
            wrt = self.inputs.index(self[wrt].index)
        leaf = self._inputs[wrt]
        seed = np.ones_like(leaf.value) if direction is None else np.asarray(direction, float)
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
            raise ValueError(
                "edge_derivatives: every node must be a scalar for one number per edge"
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
    names = names or [f"x{i}" for i in range(len(xs))]
    inputs = [Tensor(x, name=name) for x, name in zip(xs, names, strict=True)]
    out = f(*inputs)
    if not isinstance(out, Tensor):
        raise ValueError("trace: f does not depend on its inputs, so there is no graph to draw")
    return Graph(out, inputs)
