"""What a Jacobian costs in forward and in reverse mode (chapter 10).

For f: R^n -> R^m, forward mode needs one pass per input (n), reverse mode one pass per
output (m). The functions here read those pass counts from `nnlab.jacobian`, count the work
deterministically (rule applications = passes x edges of the traced graph: every pass
applies one JVP or VJP rule per edge), measure wall-clock times (machine-dependent), and
count what each mode keeps in memory: reverse mode the recorded graph's values, all alive
until the backward sweep (`trace_memory`, `mode_memory`); forward mode only the values and
tangents still in use (`mode_memory` counts the most alive at once). `peak_bytes` measures
the same with tracemalloc (machine-dependent).
"""

from __future__ import annotations

import time
import tracemalloc
from dataclasses import dataclass

import numpy as np

from ..engine import ops
from ..engine.autodiff import jacobian, jvp, leaf_array, vjp
from ..engine.errors import NnlabTypeError, NnlabValueError, NotDifferentiableError, unknown_name
from ..engine.tensor import Tensor, forward_stream, jvp_input, toposort
from ..engine.trace import trace
from ..nn.losses import softmax_cross_entropy
from ..nn.mlp import MLP
from .grading import Mistake, distinct_mistakes

MODES = ("forward", "reverse")


def tanh_layer(n: int, m: int, seed: int = 0):
    """The test family f(x) = tanh(A x), A of shape (m, n) with seeded N(0, 1/n) entries.

    Returns ``(f, x)``: the function R^n -> R^m and a seeded point x in R^n.
    """
    for name, value in (("n", n), ("m", m)):
        if not isinstance(value, int | np.integer) or value < 1:
            raise NnlabValueError(f"tanh_layer: {name} must be a positive integer, got {value!r}")
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((m, n)) / np.sqrt(n)
    x = rng.standard_normal(n)

    def f(v):
        return ops.tanh(ops.matmul(A, v))

    return f, x


def tanh_chain(width: int, depth: int, batch: int | None = None, seed: int = 0):
    """``depth`` tanh layers of ``width`` units: f(v) = tanh(... tanh(v @ A_1) ... @ A_depth).

    `tanh_layer`'s family made deep (square seeded N(0, 1/width) matrices, no biases), written
    as one loop that keeps only the current layer, so forward mode can free each value once
    the next one is computed. Returns ``(f, x)``: x in R^width, or a seeded batch of shape
    ``(batch, width)``.
    """
    for name, value in (("width", width), ("depth", depth), ("batch", batch or 1)):
        if not isinstance(value, int | np.integer) or value < 1:
            raise NnlabValueError(f"tanh_chain: {name} must be a positive integer, got {value!r}")
    rng = np.random.default_rng(seed)
    matrices = [rng.standard_normal((width, width)) / np.sqrt(width) for _ in range(depth)]
    x = rng.standard_normal(width if batch is None else (batch, width))

    def f(v):
        for A in matrices:
            v = ops.tanh(ops.matmul(v, A))
        return v

    return f, x


@dataclass(frozen=True)
class GraphSize:
    """The traced graph of one evaluation: ``nodes`` (inputs included), ``edges`` (parent
    links, one per rule application in a pass) and ``stored`` (floats held by all nodes)."""

    nodes: int
    edges: int
    stored: int


def graph_size(f, x) -> GraphSize:
    """Trace ``f`` once at ``x`` and count its nodes, edges and stored floats."""
    leaf = Tensor(np.asarray(x, dtype=np.float64))
    out = f(leaf)
    if not isinstance(out, Tensor):
        raise NotDifferentiableError("graph_size: f does not depend on x, so there is no graph")
    order = toposort(out)
    edges = sum(len(t._parents) for t in order)
    stored = sum(int(t.value.size) for t in order)
    return GraphSize(nodes=len(order), edges=edges, stored=stored)


@dataclass(frozen=True)
class JacobianCost:
    """Deterministic costs of the full Jacobian of f: R^n -> R^m, both ways."""

    n: int
    m: int
    forward_passes: int
    reverse_passes: int
    edges: int
    forward_rules: int
    reverse_rules: int
    agree: bool

    @property
    def cheaper(self) -> str:
        if self.forward_passes == self.reverse_passes:
            return "tie"
        return "forward" if self.forward_passes < self.reverse_passes else "reverse"


def jacobian_cost(f, x) -> JacobianCost:
    """Compute the Jacobian both ways with `nnlab.jacobian` and count passes and rule uses.

    ``agree`` says whether the two Jacobians are equal (to 1e-10), a check that both modes
    computed the same thing.
    """
    fwd = jacobian(f, x, mode="forward")
    rev = jacobian(f, x, mode="reverse")
    size = graph_size(f, x)
    n = int(np.size(x))
    m = int(np.size(fwd.jacobian)) // n
    return JacobianCost(
        n=n,
        m=m,
        forward_passes=fwd.passes,
        reverse_passes=rev.passes,
        edges=size.edges,
        forward_rules=fwd.passes * size.edges,
        reverse_rules=rev.passes * size.edges,
        agree=bool(np.allclose(fwd.jacobian, rev.jacobian, rtol=1e-10, atol=1e-12)),
    )


def passes_from_shapes(n: int, m: int) -> dict:
    """Pass counts for f: R^n -> R^m without running anything: forward n, reverse m."""
    return {"n": n, "m": m, "forward": n, "reverse": m,
            "cheaper": "tie" if n == m else ("forward" if n < m else "reverse")}  # fmt: skip


def time_jacobian(f, x, mode: str, repeats: int = 3) -> float:
    """Best-of-``repeats`` wall-clock seconds for the full Jacobian (machine-dependent)."""
    if mode not in MODES:
        raise unknown_name("time_jacobian", "mode", mode, MODES)
    if repeats < 1:
        raise NnlabValueError(f"time_jacobian: repeats must be at least 1, got {repeats}")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        jacobian(f, x, mode=mode)
        best = min(best, time.perf_counter() - start)
    return best


@dataclass(frozen=True)
class SweepPoint:
    n: int
    m: int
    cost: JacobianCost
    forward_seconds: float | None = None
    reverse_seconds: float | None = None


def sweep(ns, m: int, seed: int = 0, timed: bool = False, repeats: int = 3) -> list[SweepPoint]:
    """Jacobians of `tanh_layer` (n, m) for each n in ``ns`` at a fixed m.

    Counts are always computed; times only with ``timed=True``.
    """
    points = []
    for n in ns:
        f, x = tanh_layer(int(n), int(m), seed)
        cost = jacobian_cost(f, x)
        fs = rs = None
        if timed:
            fs = time_jacobian(f, x, "forward", repeats)
            rs = time_jacobian(f, x, "reverse", repeats)
        points.append(SweepPoint(int(n), int(m), cost, fs, rs))
    return points


def crossover(points: list[SweepPoint], key: str = "rules") -> int | None:
    """The first n at which forward mode stops being cheaper (by ``"rules"`` or ``"seconds"``)."""
    for p in points:
        if key == "rules":
            fwd, rev = p.cost.forward_rules, p.cost.reverse_rules
        elif key == "seconds":
            if p.forward_seconds is None:
                raise NnlabValueError("crossover: these points were not timed (use timed=True)")
            fwd, rev = p.forward_seconds, p.reverse_seconds
        else:
            raise unknown_name("crossover", "key", key, ("rules", "seconds"))
        if fwd >= rev:
            return p.n
    return None


def flat_loss(net, X, y, loss) -> tuple:
    """``(f, theta)``: the loss as a function of one flat parameter vector, for `jacobian`.

    ``loss(pred, y)`` is an nnlab loss (e.g. `nnlab.mse`); ``theta`` holds
    ``net.parameters()`` flattened in order, and f slices it back into the layer shapes
    (slicing a Tensor keeps the graph, so both modes work).
    """
    params = net.parameters()
    shapes = [np.shape(p) for p in params]
    sizes = [int(np.prod(s)) for s in shapes]
    theta = np.concatenate([np.ravel(p) for p in params]).astype(np.float64)
    bounds = np.cumsum([0, *sizes])

    def f(t):
        pieces = [t[bounds[k] : bounds[k + 1]].reshape(shapes[k]) for k in range(len(shapes))]
        return loss(net.apply(pieces, X), y)

    return f, theta


@dataclass(frozen=True)
class TraceMemory:
    """What a reverse pass keeps from the forward pass: ``nodes`` computed by operations
    (inputs excluded) and ``floats``, the numbers they hold."""

    nodes: int
    floats: int


def trace_memory(graph) -> TraceMemory:
    """Count the intermediate nodes of an `nnlab.trace` Graph and the floats they store."""
    inner = [n for n in graph.nodes if n.index not in graph.inputs]
    return TraceMemory(nodes=len(inner), floats=int(sum(np.size(n.value) for n in inner)))


@dataclass(frozen=True)
class ModeMemory:
    """Numbers (array entries) each mode keeps for one derivative pass of f, inputs excluded.

    ``reverse``: the values of the recorded graph, all alive until the backward sweep ends
    (what `trace_memory` counts). ``forward``: the most values and tangents that are alive at
    once during one streaming `jvp` (each is freed when nothing uses it any more).
    """

    reverse: int
    forward: int


def mode_memory(f, x) -> ModeMemory:
    """Count what reverse and forward mode keep while differentiating ``f`` at ``x``.

    Deterministic: the forward count is the stream's own tally of the values and tangents
    its JVPTensors hold, updated as each is made and freed.
    """
    x = leaf_array(x, "mode_memory")
    reverse = trace_memory(trace(f, x, names=["x"])).floats
    with forward_stream() as stream:
        out = f(jvp_input(x, np.ones_like(x), stream))
        if not isinstance(out, Tensor):
            raise NotDifferentiableError("mode_memory: f does not depend on x")
        forward = stream.peak
    return ModeMemory(reverse=reverse, forward=forward)


def peak_bytes(f, x, mode: str) -> int:
    """Peak bytes allocated (tracemalloc) by one derivative pass of ``f`` at ``x``.

    ``"reverse"``: `vjp` and one pullback of an all-ones cotangent; ``"forward"``: one `jvp`
    along all ones. Machine- and version-dependent (allocator, numpy temporaries): for
    tables that must not change, use `mode_memory`.
    """
    if mode not in MODES:
        raise unknown_name("peak_bytes", "mode", mode, MODES)
    x = leaf_array(x, "peak_bytes")
    ones = np.ones_like(x)
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        if mode == "forward":
            jvp(f, (x,), (ones,))
        else:
            y, pullback = vjp(f, x)
            pullback(np.ones_like(y))
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        if started:
            tracemalloc.stop()


# --- Self-checks (chapter 10): answers and the mistakes students make, for `SelfCheck` ---


def _positive_int(value, name: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise NnlabValueError(f"{where}: {name} must be a positive integer, got {value!r}")
    return int(value)


def cheaper_mode_check(n: int, m: int) -> tuple[int, list[Mistake]]:
    """The sweeps the cheaper mode needs for the full Jacobian of f: R^n -> R^m, ``min(n, m)``,
    with the wrong answers a student is likely to give (each with its hint).

    Returns ``(expected, mistakes)`` for `nnlab.widgets.SelfCheck`; mistakes whose value equals
    the answer or an earlier mistake are left out (`grading.distinct_mistakes`).
    """
    n = _positive_int(n, "n", "cheaper_mode_check")
    m = _positive_int(m, "m", "cheaper_mode_check")
    expected = min(n, m)
    candidates = [
        (max(n, m), "That is the dearer mode. Forward mode needs one sweep per input (n), "
                    "reverse mode one per output (m): take the smaller count."),
        (n * m, "One sweep fills a whole column (forward) or a whole row (reverse) of the "
                "Jacobian, not a single entry."),
        (1, "One sweep gives one column or one row; the full Jacobian needs one sweep per "
            "input or one per output."),
    ]  # fmt: skip
    return expected, distinct_mistakes(expected, candidates)


def gradient_sweeps_check(sizes) -> tuple[int, list[Mistake]]:
    """Forward sweeps for the gradient of an MLP's loss (with biases) with respect to all its
    parameters: the loss maps R^P -> R, so forward mode needs P sweeps, one per parameter.

    ``sizes`` are the layer widths ``[n_0, ..., n_D]``; P = sum of ``n_l * n_{l+1} + n_{l+1}``.
    Returns ``(P, mistakes)`` for `nnlab.widgets.SelfCheck`.
    """
    try:
        widths = [_positive_int(s, "each layer width", "gradient_sweeps_check") for s in sizes]
    except TypeError:
        raise NnlabValueError(
            f"gradient_sweeps_check: sizes must be a list of layer widths, got {sizes!r}"
        ) from None
    if len(widths) < 2:
        raise NnlabValueError(
            f"gradient_sweeps_check: need at least two layer widths (input, output), got {widths}"
        )
    weights = sum(a * b for a, b in zip(widths[:-1], widths[1:], strict=True))
    biases = sum(widths[1:])
    expected = weights + biases
    candidates = [
        (1, "One sweep is what reverse mode needs (the loss is one number). The question "
            "asks for forward mode: one sweep per parameter."),
        (weights, "Close: count the biases too, one per unit of every layer after the input."),
        (widths[0], "The loss's inputs, for training, are the parameters, not the network's "
                    "input features: one forward sweep per parameter."),
        (widths[-1], "The network's outputs do not set the forward count; the loss is one "
                     "number of all P parameters, and forward mode needs one sweep per parameter."),
    ]  # fmt: skip
    return expected, distinct_mistakes(expected, candidates)


def mlp_loss_trace(net, batch: int, seed: int = 0):
    """The traced graph of a softmax classifier's mean cross-entropy on a seeded batch.

    ``net`` is an `nnlab.MLP` with ``output="softmax"``; the batch has ``batch`` rows of
    standard-normal inputs (``net.sizes[0]`` columns) and seeded labels. Returns the `Graph`
    reverse mode keeps until its backward sweep (count it with `trace_memory`): per layer the
    pre-activation and, for hidden layers, the activation, ``batch`` rows each, and the loss.
    """
    if not isinstance(net, MLP):
        raise NnlabTypeError(f"mlp_loss_trace: expected an nnlab.MLP, got {type(net).__name__}")
    if net.output != "softmax":
        raise NnlabValueError(
            f"mlp_loss_trace: the network's output must be 'softmax', got {net.output!r}"
        )
    batch = _positive_int(batch, "batch", "mlp_loss_trace")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, net.sizes[0]))
    y = rng.integers(0, net.sizes[-1], batch)
    return trace(lambda *p: softmax_cross_entropy(net.logits(X, list(p)), y), *net.parameters())
