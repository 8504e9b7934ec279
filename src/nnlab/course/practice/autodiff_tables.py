"""Skill 9: forward- and reverse-mode tables on a random small expression graph.

A graph of 2-3 inputs and 3-4 operations (at least one non-linear: a square, a ReLU or a
product; at least one value used twice, so that reverse mode has to add paths) is drawn as
data (`graph_spec`), traced with `nnlab.trace` (`build_graph`) and tabulated with
`nnlab.course.modes`: each tangent and adjoint is the engine's.
"""

from __future__ import annotations

import numpy as np

from ...engine import ops, trace
from ...engine.errors import NnlabValueError
from ...engine.trace import Graph
from .. import modes
from .problem import (
    Problem,
    check_seed,
    choice,
    draw_until,
    every_answer_has_a_mistake,
    mistakes_for_answers,
    num,
    param,
)

INPUT_VALUES = (-3.0, -2.0, -1.0, 1.0, 2.0, 3.0)
CONSTANTS = (-2.0, -1.0, 1.0, 2.0, 3.0)
UNARY = ("square", "relu", "addc", "scale")
BINARY = ("add", "sub", "mul")
NONLINEAR = ("square", "relu", "mul")
LIMIT = 60.0  # no value, tangent or adjoint larger than this (hand arithmetic)


def _apply(op: str, args: list, k: float | None):
    if op == "add":
        return args[0] + args[1]
    if op == "sub":
        return args[0] - args[1]
    if op == "mul":
        return args[0] * args[1]
    if op == "square":
        return ops.power(args[0], 2)
    if op == "relu":
        return ops.relu(args[0])
    if op == "addc":
        return args[0] + k
    if op == "scale":
        return k * args[0]
    raise NnlabValueError(f"build_graph: unknown op {op!r} in the graph spec")


def build_graph(spec: dict) -> Graph:
    """Trace the expression a graph spec describes (``inputs``: name -> value; ``nodes``: a
    list of ``{"name", "op", "args", "k"}`` in evaluation order, the last one the output)."""
    try:
        inputs, nodes = dict(spec["inputs"]), list(spec["nodes"])
    except (KeyError, TypeError):
        raise NnlabValueError(
            f"build_graph: a graph spec needs 'inputs' and 'nodes', got {spec!r}"
        ) from None
    names = list(inputs)

    def f(*xs):
        env = dict(zip(names, xs, strict=True))
        for node in nodes:
            args = [env[a] for a in node["args"]]
            env[node["name"]] = _apply(node["op"], args, node.get("k")).named(node["name"])
        return env[nodes[-1]["name"]]

    return trace(f, *(float(inputs[n]) for n in names), names=names)


def _formula(node: dict) -> str:
    a = node["args"]
    op, k = node["op"], node.get("k")
    body = {
        "add": lambda: f"{a[0]} + {a[1]}",
        "sub": lambda: f"{a[0]} - {a[1]}",
        "mul": lambda: f"{a[0]}\\,{a[1]}",
        "square": lambda: f"{a[0]}^2",
        "relu": lambda: f"\\mathrm{{ReLU}}({a[0]})",
        "addc": lambda: f"{a[0]} {'-' if k < 0 else '+'} {param(abs(k))}",
        "scale": lambda: f"{'-' if k == -1 else param(k)}\\,{a[0]}" if k != -1 else f"-{a[0]}",
    }[op]()
    return f"{node['name']} = {body}"


def _random_spec(rng: np.random.Generator) -> dict:
    n_in = int(choice(rng, (2, 3)))
    n_ops = int(choice(rng, (3, 4)))
    letters = "abcdefghij"
    inputs = {letters[i]: choice(rng, INPUT_VALUES) for i in range(n_in)}
    names = list(inputs)
    unused = list(names)
    nodes = []
    for k in range(n_ops):
        name = letters[n_in + k]
        last = k == n_ops - 1
        binary = last or len(unused) > 1 or rng.random() < 0.5
        # Prefer values nobody uses yet, so that every node ends up feeding the output.
        first = unused[int(rng.integers(len(unused)))] if unused else choice(rng, names)
        if binary:
            rest = [n for n in (unused if len(unused) > 1 else names) if n != first] or names
            second = choice(rng, rest)
            op = choice(rng, BINARY)
            args = [first, second]
        else:
            op = choice(rng, UNARY)
            args = [first]
        node = {"name": name, "op": op, "args": args}
        if op in ("addc", "scale"):
            node["k"] = choice(rng, CONSTANTS if op == "addc" else (-1.0, 2.0, 3.0, -2.0))
        nodes.append(node)
        unused = [n for n in unused if n not in args] + [name]
        names.append(name)
    return {"inputs": inputs, "nodes": nodes}


def _clean(spec: dict, graph: Graph, wrt: str) -> bool:
    if not any(n["op"] in NONLINEAR for n in spec["nodes"]):
        return False
    kids = graph.children()
    if len(kids.get(graph.output, [])) or any(
        len(kids.get(i, [])) == 0 for i in range(len(graph.nodes)) if i != graph.output
    ):
        return False  # a node that does not feed the output
    shared = any(len(set(kids.get(i, []))) > 1 for i in range(len(graph.nodes)))
    if not shared:
        return False  # reverse mode must add over two children somewhere
    for n in spec["nodes"]:
        if n["op"] == "relu" and float(graph[n["args"][0]].value) == 0:
            return False  # no argument at the kink
    numbers = [float(v) for v in (*(n.value for n in graph.nodes), *graph.tangents(wrt),
                                  *graph.adjoints())]  # fmt: skip
    if max(abs(v) for v in numbers) > LIMIT:
        return False
    if all(float(t) == 0 for t in graph.tangents(wrt)[len(graph.inputs) :]):
        return False
    return True


def engine_answers(graph: Graph, wrt: str) -> dict:
    """``tan_<node>`` (d node / d wrt, forward mode) for every non-input node and
    ``adj_<node>`` (d output / d node, reverse mode) for every node but the output."""
    tangents = [float(t) for t in graph.tangents(wrt)]
    adjoints = [float(a) for a in graph.adjoints()]
    answers = {}
    for node in graph.nodes:
        if node.index not in graph.inputs:
            answers[f"tan_{node.name}"] = tangents[node.index]
    for node in reversed(graph.nodes):
        if node.index != graph.output:
            answers[f"adj_{node.name}"] = adjoints[node.index]
    return answers


def _draw(rng: np.random.Generator, seed: int) -> Problem | None:
    spec = _random_spec(rng)
    wrt = str(choice(rng, list(spec["inputs"])))
    spec["wrt"] = wrt
    graph = build_graph(spec)
    if not _clean(spec, graph, wrt):
        return None
    answers = engine_answers(graph, wrt)
    cand = {}
    for key in answers:
        kind, name = key.split("_", 1)
        found = modes.mistakes_for(graph, name, "tangent" if kind == "tan" else "adjoint", wrt)
        cand[key] = [(m.value, m.hint) for m in found]
    mistakes = mistakes_for_answers(answers, cand)
    if not every_answer_has_a_mistake(mistakes):
        return None
    out = graph.nodes[graph.output].name
    labels = {
        k: (f"$\\partial {k[4:]}/\\partial {wrt}$ (forward mode)" if k.startswith("tan_")
            else f"$\\partial {out}/\\partial {k[4:]}$ (reverse mode)")
        for k in answers
    }  # fmt: skip
    params = {n: float(v) for n, v in spec["inputs"].items()}
    return Problem(
        skill=9,
        kind="autodiff_tables",
        seed=seed,
        title="Forward- and reverse-mode tables",
        statement=_statement(spec, out),
        params=params,
        answers=answers,
        answer_labels=labels,
        solution=_solution(spec, graph),
        mistakes=mistakes,
        skills=(9,),
        solution_figure={"kind": "graph", "graph": spec, "wrt": wrt, "panels": "three"},
        solution_figure_alt=(
            f"The computational graph of {out} in three panels: node values and edge "
            f"derivatives; forward mode seeded at {wrt} (tangents); reverse mode from {out} "
            "(adjoints)."
        ),
        extra={"graph": spec},
    )


def _statement(spec: dict, out: str) -> str:
    wrt = spec["wrt"]
    defs = ",\\qquad ".join(_formula(n) for n in spec["nodes"])
    given = ", ".join(f"${n} = {param(v)}$" for n, v in spec["inputs"].items())
    inner = [n["name"] for n in spec["nodes"]]
    before_out = [*spec["inputs"], *inner[:-1]]
    return (
        f"A computation with inputs {', '.join(f'${n}$' for n in spec['inputs'])} goes "
        f"through these nodes, in order:\n\n$${defs}$$\n\nAt {given}:\n\n"
        f"1. **Forward mode** seeded at ${wrt}$: fill in the tangent "
        f"$\\dot v = \\partial v/\\partial {wrt}$ of every node "
        f"{', '.join(f'${n}$' for n in inner)} (one pass).\n"
        f"2. **Reverse mode** from ${out}$: fill in the adjoint "
        f"$\\bar v = \\partial {out}/\\partial v$ of every node "
        f"{', '.join(f'${n}$' for n in reversed(before_out))} (one pass).\n"
        "3. Which entries of the two tables give the same number, and why?"
    )


def _solution(spec: dict, graph: Graph) -> str:
    wrt = spec["wrt"]
    out = graph.nodes[graph.output].name
    values = ", ".join(f"${n.name} = {num(float(n.value))}$" for n in graph.nodes)
    edges = graph.edge_derivatives()
    local = ", ".join(
        f"$\\partial {graph.nodes[c].name}/\\partial {graph.nodes[p].name} = {num(d)}$"
        for (p, c), d in sorted(edges.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    )
    adj = [float(a) for a in graph.adjoints()]
    tan = [float(t) for t in graph.tangents(wrt)]
    k = graph.input_position(wrt)
    return (
        f"**Values** (evaluate in order): {values}.\n\n"
        f"**Local (edge) derivatives**: {local}.\n\n"
        "Each table row is a sum over the node's parents (forward) or children (reverse) of "
        "edge derivative × the neighbour's number:\n\n"
        "```text\n"
        + modes.forward_table(graph, wrt)
        + "\n\n"
        + modes.reverse_table(graph)
        + "\n```\n\n"
        f"**Check.** The forward pass ends with $\\partial {out}/\\partial {wrt} = "
        f"{num(tan[graph.output])}$, which is the reverse table's adjoint of the input "
        f"${wrt}$ ({num(adj[graph.inputs[k]])}): both are the same derivative. Reverse mode "
        "gave the derivative with respect to every input in one pass; forward mode needs one "
        "pass per input."
    )


def autodiff_tables_problem(seed: int) -> Problem:
    """Forward- and reverse-mode tables on a random expression graph drawn from ``seed``:
    answers ``tan_<node>`` and ``adj_<node>``; params are the input values."""
    seed = check_seed(seed, "autodiff_tables_problem")
    return draw_until(lambda rng: _draw(rng, seed), seed, "autodiff_tables_problem")
