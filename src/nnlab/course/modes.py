"""Forward and reverse mode by hand on a traced graph (chapters 9 and 10), numpy only.

The handout's fixed examples and the tables a student writes by hand, built from an
`nnlab.trace` Graph, with the grading of a hand-filled table; the widgets only wire
controls to these functions.

- Graphs: `olah_graph(a, b)` for e = (a + b)(b + 1) (handout Figure 2, after Olah; the
  function is `olah_f`), `neuron_graph(w1, w2, b, x1, x2)` for
  y = sigmoid(w1 x1 + w2 x2 + b), and `exp_graph(x, y)` for g = exp(x y)(x + y) (a non-linear
  node and two products; both inputs have two children; the function is `exp_f`).
- Tables: `forward_steps` / `forward_table` (one pass per seed input) and `reverse_steps` /
  `reverse_table` (one pass from the output); each row is a sum of edge derivative x
  neighbour's number, and its total is the engine's.
- Grading: `mistakes_for` (typical wrong answers with hints), `grade_entry`,
  `grade_table(entries, graph, kind, wrt)` -> `RowGrade` rows, `table_summary`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..engine import trace
from ..engine.errors import NnlabValueError, unknown_name
from ..engine.ops import exp, sigmoid
from ..engine.tensor import Tensor
from ..engine.trace import Graph
from .grading import Mistake, close, grade

# --------------------------------------------------------------------------- graphs


def olah_f(a, b):
    """e = (a + b)(b + 1), with the intermediate nodes named c and d (Tensors or numbers)."""
    c = _named(a + b, "c")
    d = _named(b + 1, "d")
    return _named(c * d, "e")


def _named(x, name: str):
    return x.named(name) if isinstance(x, Tensor) else x


def olah_graph(a: float = 2.0, b: float = 1.0) -> Graph:
    """The traced graph of e = (a + b)(b + 1) at (a, b); inputs named a and b."""
    where = "olah_graph"
    return trace(olah_f, _finite(a, "a", where), _finite(b, "b", where), names=["a", "b"])


def neuron_graph(w1=0.8, w2=-1.2, b=0.1, x1=1.5, x2=-0.5) -> Graph:
    """y = sigmoid(w1 x1 + w2 x2 + b) traced in the weights (w1, w2, b); x1, x2 are data.

    Nodes: p1 = w1 x1, p2 = w2 x2, s = p1 + p2, z = s + b, y = sigmoid(z).
    """
    where = "neuron_graph"
    x1, x2 = _finite(x1, "x1", where), _finite(x2, "x2", where)

    def f(w1, w2, b):
        p1 = (w1 * x1).named("p1")
        p2 = (w2 * x2).named("p2")
        s = (p1 + p2).named("s")
        z = (s + b).named("z")
        return sigmoid(z).named("y")

    weights = (_finite(w1, "w1", where), _finite(w2, "w2", where), _finite(b, "b", where))
    return trace(f, *weights, names=["w1", "w2", "b"])


def exp_f(x, y):
    """g = exp(x y) (x + y), with the intermediate nodes named u = x y, v = exp(u), s = x + y."""
    u = _named(x * y, "u")
    v = _named(exp(u), "v")
    s = _named(x + y, "s")
    return _named(v * s, "g")


def exp_graph(x: float = 0.5, y: float = 1.0) -> Graph:
    """The traced graph of g = exp(x y)(x + y) at (x, y); inputs named x and y.

    Edge derivatives: du/dx = y, du/dy = x, dv/du = exp(u) = v, ds/dx = ds/dy = 1,
    dg/dv = s, dg/ds = v.
    """
    where = "exp_graph"
    return trace(exp_f, _finite(x, "x", where), _finite(y, "y", where), names=["x", "y"])


def _finite(x, name: str, where: str) -> float:
    try:
        value = float(x)
    except (TypeError, ValueError):
        raise NnlabValueError(f"{where}: {name} must be a number, got {x!r}") from None
    if not math.isfinite(value):
        raise NnlabValueError(f"{where}: {name} must be a finite number, got {x!r}")
    return value


# --------------------------------------------------------------------------- the two tables


@dataclass(frozen=True)
class Step:
    """One row of a hand table: ``total = sum(edge * neighbour_number for each term)``.

    ``terms`` holds ``(neighbour name, edge derivative, neighbour's tangent or adjoint)``;
    ``seed`` is True for a row set by the seed rather than by a sum.
    """

    name: str
    terms: tuple[tuple[str, float, float], ...]
    total: float
    seed: bool = False


def forward_steps(graph: Graph, wrt=0) -> list[Step]:
    """Forward mode, in evaluation order: tangent(node) = sum over parents of
    d(node)/d(parent) x tangent(parent). Totals are the engine's ``graph.tangents(wrt)``."""
    edges = graph.edge_derivatives()
    k = graph.input_position(wrt, "forward_steps")
    tangents = [float(t) for t in graph.tangents(k)]
    steps = []
    for node in graph.nodes:
        if node.index in graph.inputs:
            steps.append(Step(node.name, (), tangents[node.index], seed=True))
            continue
        terms = tuple(
            (graph.nodes[p].name, edges[(p, node.index)], tangents[p])
            for p in dict.fromkeys(node.parents)
        )
        steps.append(Step(node.name, terms, tangents[node.index]))
    return steps


def reverse_steps(graph: Graph) -> list[Step]:
    """Reverse mode, output first: adjoint(node) = sum over children of
    adjoint(child) x d(child)/d(node). Totals are the engine's ``graph.adjoints()``."""
    edges = graph.edge_derivatives()
    kids = graph.children()
    adjoints = [float(a) for a in graph.adjoints()]
    steps = []
    for node in reversed(graph.nodes):
        if node.index == graph.output:
            steps.append(Step(node.name, (), adjoints[node.index], seed=True))
            continue
        terms = tuple(
            (graph.nodes[c].name, edges[(node.index, c)], adjoints[c]) for c in kids[node.index]
        )
        steps.append(Step(node.name, terms, adjoints[node.index]))
    return steps


def _z(x: float, precision: int) -> str:
    return f"{round(float(x), precision) + 0.0:.{precision}f}"


def _factor(x: float, precision: int) -> str:
    """A number inside a product: negative ones in parentheses."""
    text = _z(x, precision)
    return f"({text})" if text.startswith("-") else text


def _layout(title: str, rows: list[tuple[str, str, str, str]]) -> str:
    """Align ``(name, symbolic sum, numeric sum, total)`` rows in columns."""
    widths = [max(len(r[k]) for r in rows) for k in range(3)]
    lines = [title]
    for name, symbolic, numeric, total in rows:
        eq = "=" if numeric else " "
        left = f"  {name:>{widths[0]}}: {symbolic:<{widths[1]}}"
        lines.append(f"{left}  {eq} {numeric:<{widths[2]}}  = {total}")
    return "\n".join(lines)


def forward_table(graph: Graph, wrt=0, precision: int = 4) -> str:
    """Text table of one forward pass: each tangent t(node) = d node / d seed as its sum."""
    seed = graph.input_name(wrt, "forward_table")
    rows = []
    for step in forward_steps(graph, wrt):
        total = _z(step.total, precision)
        if step.seed:
            why = "seed: this input" if step.name == seed else "seed: another input"
            rows.append((step.name, why, "", total))
            continue
        symbolic = " + ".join(f"d{step.name}/d{p}*t({p})" for p, _, _ in step.terms)
        numeric = " + ".join(
            f"{_factor(e, precision)}*{_factor(t, precision)}" for _, e, t in step.terms
        )
        rows.append((step.name, symbolic, numeric, total))
    return _layout(f"forward mode seeded at {seed}: t(node) = d node/d{seed}", rows)


def reverse_table(graph: Graph, precision: int = 4) -> str:
    """Text table of one reverse pass: each adjoint adj(node) = d output / d node as its sum."""
    out = graph.nodes[graph.output].name
    rows = []
    for step in reverse_steps(graph):
        total = _z(step.total, precision)
        if step.seed:
            rows.append((step.name, "seed: the output", "", total))
            continue
        symbolic = " + ".join(f"adj({c})*d{c}/d{step.name}" for c, _, _ in step.terms)
        numeric = " + ".join(
            f"{_factor(a, precision)}*{_factor(e, precision)}" for _, e, a in step.terms
        )
        rows.append((step.name, symbolic, numeric, total))
    return _layout(f"reverse mode from {out}: adj(node) = d{out}/d node", rows)


# --------------------------------------------------------------------------- grading

KINDS = ("adjoint", "tangent")
HINT_SIGN = "Check the sign of each product."


def _merged(expected: float, candidates: list[tuple[float, str]]) -> list[Mistake]:
    """Mistakes away from the answer; candidates with the same value share one merged hint."""
    groups: list[tuple[float, list[str]]] = []
    for value, hint in candidates:
        if not math.isfinite(value) or close(value, expected):
            continue
        for v, hints in groups:
            if close(v, value):
                if hint not in hints:
                    hints.append(hint)
                break
        else:
            groups.append((value, [hint]))
    return [Mistake(float(v), " Or: ".join(hints)) for v, hints in groups]


def _step(graph: Graph, name: str, kind: str, wrt, where: str) -> Step:
    if kind not in KINDS:
        raise unknown_name(where, "kind", kind, KINDS)
    graph[name]  # an unknown name is an error naming the graph's nodes
    steps = reverse_steps(graph) if kind == "adjoint" else forward_steps(graph, wrt)
    return next(s for s in steps if s.name == name)


def mistakes_for(graph: Graph, name: str, kind: str = "adjoint", wrt=0) -> list[Mistake]:
    """Typical wrong answers for node ``name``'s adjoint or tangent, each with its hint."""
    step = _step(graph, name, kind, wrt, "mistakes_for")
    out = graph.nodes[graph.output].name
    contributions = [e * t for _, e, t in step.terms]
    cand: list[tuple[float, str]] = []
    if kind == "adjoint":
        others = lambda c: ", ".join(x for x, _, _ in step.terms if x != c)  # noqa: E731
        if len(step.terms) > 1:
            for (c, _, _), value in zip(step.terms, contributions, strict=True):
                cand.append((
                    value,
                    f"You summed only the path through {c}; {name} also reaches {out} through "
                    f"{others(c)}. Add the contributions of every child.",
                ))  # fmt: skip
            cand.append(
                (
                    math.prod(contributions),
                    "The contributions of different paths add; they do not multiply.",
                )
            )
        for c, _e, a in step.terms:
            cand.append(
                (
                    a,
                    f"That is d{out}/d{c} (the adjoint of the child {c}); multiply it "
                    f"by the edge derivative d{c}/d{name} and add over children.",
                )
            )
        if step.terms:
            cand.append(
                (
                    sum(e for _, e, _ in step.terms),
                    "You added the edge derivatives but left out the children's adjoints.",
                )
            )
    else:
        seed = graph.input_name(wrt, "mistakes_for")
        if step.seed:
            cand.append(
                (
                    1.0 - step.total,
                    f"Only the seed input {seed} gets tangent 1; every other input gets 0.",
                )
            )
        if len(step.terms) > 1:
            for (p, _, _), value in zip(step.terms, contributions, strict=True):
                cand.append(
                    (
                        value,
                        f"You used only the parent {p}; add the contribution of "
                        "every parent of the node.",
                    )
                )
            cand.append(
                (
                    math.prod(contributions),
                    "The contributions of different parents add; they do not multiply.",
                )
            )
        for p, e, t in step.terms:
            if not close(t, 1.0):
                cand.append(
                    (
                        e,
                        f"That is the edge derivative d{name}/d{p} alone; multiply it "
                        f"by the tangent of {p}.",
                    )
                )
        for other in graph.input_names():
            if other != seed:
                wrong = next(s for s in forward_steps(graph, other) if s.name == name).total
                cand.append(
                    (
                        wrong,
                        f"That is d{name}/d{other}: the seed is {seed}, so only "
                        f"{seed} starts with tangent 1.",
                    )
                )
    if kind == "tangent" or not step.seed:
        cand.append((-step.total, HINT_SIGN))
    return _merged(step.total, cand)


def grade_entry(answer, graph: Graph, name: str, kind: str = "adjoint", wrt=0):
    """Grade one hand-computed entry: ``(correct, message)`` against the engine's number."""
    step = _step(graph, name, kind, wrt, "grade_entry")
    if answer is None or str(answer).strip() == "":
        return False, "Empty: fill in this row."
    return grade(answer, step.total, mistakes_for(graph, name, kind, wrt))


@dataclass(frozen=True)
class RowGrade:
    name: str
    correct: bool
    message: str
    expected: float


def grade_table(entries: dict, graph: Graph, kind: str = "adjoint", wrt=0) -> list[RowGrade]:
    """Grade a hand-filled table row by row.

    ``entries`` maps node names to answers (numbers or strings; missing or blank rows are
    graded as empty). Rows come in the order one fills them in: evaluation order for
    tangents, output first for adjoints.
    """
    names = {n.name for n in graph.nodes}
    unknown = set(entries) - names
    if unknown:
        raise NnlabValueError(
            f"grade_table: unknown node(s) {sorted(unknown)}; nodes: {sorted(names)}"
        )
    steps = reverse_steps(graph) if kind == "adjoint" else forward_steps(graph, wrt)
    rows = []
    for step in steps:
        correct, message = grade_entry(entries.get(step.name), graph, step.name, kind, wrt)
        rows.append(RowGrade(step.name, correct, message, step.total))
    return rows


def table_summary(rows: list[RowGrade]) -> str:
    """One line per row plus a score, as plain text."""
    lines = [f"{r.name:>3}: {'ok ' if r.correct else 'no '} {r.message}" for r in rows]
    score = sum(r.correct for r in rows)
    lines.append(f"score: {score}/{len(rows)}")
    return "\n".join(lines)
