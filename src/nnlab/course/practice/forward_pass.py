"""Skill 2: a forward pass through a drawn 2-2-1 or 2-3-1 network with given weights.

The figure shows every weight on its edge (the graph); the student writes the formula and
evaluates it. Hidden units are ReLU with biases; the output is linear or a sigmoid. Every
number comes from one `MLP.forward` of the drawn network.
"""

from __future__ import annotations

import numpy as np

from ...nn.mlp import MLP
from .problem import (
    Problem,
    affine_text,
    check_seed,
    choice,
    draw_until,
    every_answer_has_a_mistake,
    mistakes_for_answers,
    num,
    param,
)

WEIGHTS = (-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0)
BIASES = (-1.0, -0.5, 0.5, 1.0, 0.0)
INPUTS = (-2.0, -1.0, 1.0, 2.0)
KINK_GAP = 0.5


def _net(p: dict, width: int, output: str, W0=None) -> MLP:
    net = MLP([2, width, 1], activation="relu", output=output)
    W = np.array([[p[f"w{i}{j}"] for j in range(1, width + 1)] for i in (1, 2)])
    net.set_parameters([
        W if W0 is None else W0,
        np.array([p[f"b{j}"] for j in range(1, width + 1)]),
        np.array([[p[f"v{j}"]] for j in range(1, width + 1)]),
        np.array([p["v0"]]),
    ])  # fmt: skip
    return net


def engine_values(p: dict, width: int, output: str) -> dict:
    """Pre-activations, hidden values, logit and output from `MLP.forward`."""
    fp = _net(p, width, output).forward(np.array([[p["x1"], p["x2"]]]))
    out = {"logit": float(fp.logits[0, 0]), "yhat": float(fp.output[0, 0])}
    for j in range(width):
        out[f"z{j + 1}"] = float(fp.z[0][0, j])
        out[f"h{j + 1}"] = float(fp.a[1][0, j])
    return out


def _output_of(p, width, output, **changes) -> float:
    q = dict(p, **changes)
    return engine_values(q, width, output)["yhat"]


def _candidates(p: dict, e: dict, width: int, output: str) -> dict:
    sigmoid = output == "sigmoid"
    no_relu = e["logit"] - sum(p[f"v{j}"] * (e[f"h{j}"] - e[f"z{j}"]) for j in range(1, width + 1))
    squash = (lambda t: 1.0 / (1.0 + np.exp(-t))) if sigmoid else (lambda t: t)
    swapped = {"w12": p["w21"], "w21": p["w12"]}
    cand = {
        "yhat": [
            (float(squash(no_relu)), "ReLU turns a negative pre-activation into 0 before the "
             "output layer uses it."),
            (_output_of(p, width, output, v0=0.0), "You left out the output bias v0."),
            (_output_of(p, width, output, **swapped), "You swapped w12 and w21: w_ij goes from "
             "input x_i to hidden unit h_j."),
        ]
    }  # fmt: skip
    if sigmoid:
        cand["yhat"].insert(0, (e["logit"], "That is the logit; the output unit applies the "
                                "sigmoid to it."))  # fmt: skip
    for j in range(1, width + 1):
        z = e[f"z{j}"]
        wrong_index = p["w1" + str(j)] * p["x2"] + p["w2" + str(j)] * p["x1"] + p[f"b{j}"]
        cand[f"h{j}"] = [
            (z, f"z{j} is negative, and ReLU(z) = 0 for z < 0."),
            (max(z - p[f"b{j}"], 0.0), f"You left out the bias b{j}."),
            (max(wrong_index, 0.0), f"w_ij multiplies x_i: h{j} uses w1{j} x1 + w2{j} x2."),
            (-z, "Check the sign of each product."),
        ]
    return cand


def _draw(rng: np.random.Generator, seed: int) -> Problem | None:
    width = int(choice(rng, (2, 3)))
    output = str(choice(rng, ("identity", "sigmoid")))
    p: dict[str, float] = {}
    for i in (1, 2):
        for j in range(1, width + 1):
            p[f"w{i}{j}"] = choice(rng, WEIGHTS)
    for j in range(1, width + 1):
        p[f"b{j}"] = choice(rng, BIASES)
        p[f"v{j}"] = choice(rng, WEIGHTS)
    p["v0"] = choice(rng, BIASES)
    p["x1"], p["x2"] = choice(rng, INPUTS), choice(rng, INPUTS)
    e = engine_values(p, width, output)
    zs = [e[f"z{j}"] for j in range(1, width + 1)]
    if min(abs(z) for z in zs) < KINK_GAP or max(zs) <= 0 or abs(e["logit"]) > 4:
        return None
    answers = {f"h{j}": e[f"h{j}"] for j in range(1, width + 1)}
    answers["yhat"] = e["yhat"]
    mistakes = mistakes_for_answers(answers, _candidates(p, e, width, output))
    if not every_answer_has_a_mistake(mistakes):
        return None
    labels = {f"h{j}": f"the hidden value $h_{j}$" for j in range(1, width + 1)}
    labels["yhat"] = r"the output $\hat y$"
    return Problem(
        skill=2,
        kind="forward_pass",
        seed=seed,
        title=f"Forward pass through a 2-{width}-1 network",
        statement=_statement(p, width, output),
        params=p,
        answers=answers,
        answer_labels=labels,
        solution=_solution(p, e, width, output),
        mistakes=mistakes,
        skills=(2,),
        figure=figure_spec(p, width),
        figure_alt=(
            f"A 2-{width}-1 network: inputs x1, x2, {width} ReLU hidden units, one output; "
            "each edge is labelled with its weight, the output bias edge with v0."
        ),
        extra={"width": width, "output": output},
    )


def figure_spec(p: dict, width: int) -> dict:
    """The network with every weight and bias written on its edge."""
    edges = [
        {"layer": 0, "i": i - 1, "j": j - 1, "label": param(p[f"w{i}{j}"])}
        for i in (1, 2)
        for j in range(1, width + 1)
    ]
    # The hidden biases are listed in the statement: on the figure their labels would crowd.
    edges += [{"layer": 1, "i": j - 1, "j": 0, "label": param(p[f"v{j}"])}
              for j in range(1, width + 1)]  # fmt: skip
    edges.append({"layer": 1, "i": "b", "j": 0, "label": param(p["v0"])})
    return {"kind": "network", "sizes": [2, width, 1], "bias": [True, True], "edges": edges}


def _statement(p: dict, width: int, output: str) -> str:
    biases = ", ".join(f"$b_{j} = {param(p[f'b{j}'])}$" for j in range(1, width + 1))
    out = (
        r"a sigmoid output $\hat y = \sigma(v_0 + \sum_j v_j h_j)$"
        if output == "sigmoid"
        else r"a linear output $\hat y = v_0 + \sum_j v_j h_j$"
    )
    return (
        f"The figure shows a 2-{width}-1 network with ReLU hidden units "
        r"$h_j = \mathrm{ReLU}(w_{1j} x_1 + w_{2j} x_2 + b_j)$ and " + out + ". Each edge "
        r"carries its weight ($w_{ij}$ from input $x_i$ to hidden unit $h_j$, then $v_j$), and "
        "the output bias $v_0$ is on the dashed edge from the square node 1. The hidden biases "
        f"are {biases}.\n\n"
        "1. Write the network's formula $\\hat y = f(x_1, x_2)$.\n"
        f"2. Evaluate it at $x_1 = {param(p['x1'])}$, $x_2 = {param(p['x2'])}$: give every "
        "hidden value $h_j$ and the output $\\hat y$."
    )


def _solution(p: dict, e: dict, width: int, output: str) -> str:
    q = {k: param(v) for k, v in p.items()}
    hidden = [
        (p[f"v{j}"], "\\mathrm{ReLU}(" + affine_text(
            [(p[f"w1{j}"], "x_1"), (p[f"w2{j}"], "x_2")], p[f"b{j}"]) + ")")
        for j in range(1, width + 1)
    ]  # fmt: skip
    inner = affine_text(hidden, p["v0"])
    formula = f"\\sigma\\big({inner}\\big)" if output == "sigmoid" else inner
    lines = [f"$$\\hat y = {formula}$$", ""]
    for j in range(1, width + 1):
        z = e[f"z{j}"]
        lines.append(
            f"- $z_{j} = ({q[f'w1{j}']})({q['x1']}) + ({q[f'w2{j}']})({q['x2']}) + "
            f"({q[f'b{j}']}) = {num(z)}$, so $h_{j} = {num(e[f'h{j}'])}$"
            + (" (ReLU clips it to 0)" if z < 0 else "")
        )
    terms = " + ".join(f"({q[f'v{j}']})({num(e[f'h{j}'])})" for j in range(1, width + 1))
    lines.append(f"- logit $= {q['v0']} + {terms} = {num(e['logit'])}$")
    if output == "sigmoid":
        lines.append(f"- $\\hat y = \\sigma({num(e['logit'])}) = {num(e['yhat'])}$")
    else:
        lines.append(f"- the output is linear, so $\\hat y = {num(e['yhat'])}$")
    return "\n".join(lines)


def forward_pass_problem(seed: int) -> Problem:
    """A forward pass through a drawn 2-2-1 or 2-3-1 ReLU network, drawn from ``seed``:
    answers ``h1, h2[, h3]`` and ``yhat``."""
    seed = check_seed(seed, "forward_pass_problem")
    return draw_until(lambda rng: _draw(rng, seed), seed, "forward_pass_problem")
