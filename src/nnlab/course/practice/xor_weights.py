"""Skill 4: does a given weight set of the 2-2-1 ReLU network classify the four XOR points,
and what is their hidden representation (the learned basis h = ReLU(x W + b))?

The network and the data are `course.xor`'s (handout §1.9, eq. (3) as corrected: the output
bias inside the sigmoid); every number comes from `xor_forward` (one `MLP.forward`). Even seeds
draw a weight set that solves XOR, odd seeds one that does not.
"""

from __future__ import annotations

import numpy as np

from ..xor import XOR_X, XOR_Y, xor_forward, xor_network
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

WEIGHTS = (-2.0, -1.0, 1.0, 2.0)
BIASES = (-1.0, 0.0, 1.0)
OUT_WEIGHTS = (-2.0, -1.0, 1.0, 2.0)
OUT_BIASES = (-2.0, -1.0, -0.5, 0.5, 1.0)
KINK_GAP = 0.5


def _weights(p: dict):
    W = np.array([[p["w11"], p["w12"]], [p["w21"], p["w22"]]])
    return W, np.array([p["b1"], p["b2"]]), np.array([p["v1"], p["v2"]]), p["c"]


def engine_values(p: dict):
    """`xor_forward` of the weight set, and the same with the usual slips (for the hints)."""
    W, b, v, c = _weights(p)
    return {
        "right": xor_forward(W, b, v, c),
        "transposed": xor_forward(W.T, b, v, c),
        "no_bias": xor_forward(W, np.zeros(2), v, c),
        "no_relu": np.asarray(xor_network(W, b, v, c, activation="identity")(XOR_X))[:, 0],
    }


def _random_weights(rng: np.random.Generator) -> dict:
    p = {k: choice(rng, WEIGHTS) for k in ("w11", "w12", "w21", "w22")}
    p["b1"], p["b2"] = choice(rng, BIASES), choice(rng, BIASES)
    p["v1"], p["v2"] = choice(rng, OUT_WEIGHTS), choice(rng, OUT_WEIGHTS)
    p["c"] = choice(rng, OUT_BIASES)
    return p


def _solution_candidate(rng: np.random.Generator) -> dict:
    """Weights of the handout's kind (random solutions are rare): two units that fire on
    opposite sides of x1 + x2 = 0 (detecting label 1, output weights up) or of x1 - x2 = 0
    (detecting label 0, output weights down), in either order. The engine still decides."""
    sign = 1.0 if rng.random() < 0.5 else -1.0  # +: the x1 + x2 family, -: x1 - x2
    alpha, beta = choice(rng, (1.0, 2.0)), choice(rng, (1.0, 2.0))
    units = [(alpha, alpha * sign), (-beta, -beta * sign)]
    if rng.random() < 0.5:
        units.reverse()
    p = {"w11": units[0][0], "w12": units[1][0], "w21": units[0][1], "w22": units[1][1]}
    p["b1"], p["b2"] = choice(rng, (0.0, -1.0)), choice(rng, (0.0, -1.0))
    up = sign > 0
    p["v1"], p["v2"] = (choice(rng, (1.0, 2.0)) * (1 if up else -1) for _ in range(2))
    p["c"] = choice(rng, (-1.0, -0.5) if up else (0.5, 1.0))
    return p


def _draw(rng: np.random.Generator, seed: int) -> Problem | None:
    # Even seeds solve XOR, odd ones do not: decided once per seed, so redraws keep it.
    want_solution = seed % 2 == 0
    p = _solution_candidate(rng) if want_solution else _random_weights(rng)
    e = engine_values(p)
    s = e["right"]
    n_correct = int(np.sum(s.predictions == XOR_Y))
    if (n_correct == 4) != want_solution:
        return None
    z, logits = s.z.ravel(), s.logits
    if np.any((np.abs(z) < KINK_GAP) & (z != 0)) or np.min(np.abs(logits)) < 0.5:
        return None  # a near-tie at the ReLU kink, or a point on the decision boundary
    answers: dict[str, float] = {}
    cand: dict[str, list] = {}
    for k in range(4):
        for j in range(2):
            name = f"x{k + 1}_h{j + 1}"
            answers[name] = float(s.h[k, j])
            cand[name] = [
                (float(s.z[k, j]), "ReLU sends a negative pre-activation to 0."),
                (float(e["transposed"].h[k, j]), "W[i, j] connects input i to hidden unit j: "
                 "h_j = ReLU(w_1j x_1 + w_2j x_2 + b_j)."),
                (float(e["no_bias"].h[k, j]), f"You left out the hidden bias b{j + 1}."),
            ]  # fmt: skip
    answers["n_correct"] = float(n_correct)
    answers["classifies"] = 1.0 if n_correct == 4 else 0.0
    half = int(np.sum((s.logits > 0.5).astype(int) == XOR_Y))  # handout erratum 6
    cand["n_correct"] = [
        (float(half), "Predict 1 when h(x) = sigmoid(a) > 0.5, i.e. when the logit a > 0 "
         "(not when a > 0.5)."),
        (float(4 - n_correct), "That is the number of misclassified points."),
        (float(np.sum((e["no_relu"] > 0.5).astype(int) == XOR_Y)), "Apply the ReLU to the "
         "hidden pre-activations before the output layer."),
    ]  # fmt: skip
    cand["classifies"] = [(1.0 - answers["classifies"], "The weights classify the data only "
                           "if all four points get their label.")]  # fmt: skip
    mistakes = mistakes_for_answers(answers, cand)
    if not every_answer_has_a_mistake(mistakes):
        return None
    labels = {f"x{k + 1}_h{j + 1}": f"$h_{j + 1}$ at $x_{k + 1}$" for k in range(4)
              for j in range(2)}  # fmt: skip
    labels["n_correct"] = "the number of correctly classified points"
    labels["classifies"] = "1 if all four are classified correctly, 0 if not"
    return Problem(
        skill=4,
        kind="xor_weights",
        seed=seed,
        title="XOR weights: a learned basis",
        statement=_statement(p),
        params=p,
        answers=answers,
        answer_labels=labels,
        solution=_solution(p, s, n_correct),
        mistakes=mistakes,
        skills=(4,),
        solution_figure={
            "kind": "xor",
            "W": [[p["w11"], p["w12"]], [p["w21"], p["w22"]]],
            "b": [p["b1"], p["b2"]],
            "v": [p["v1"], p["v2"]],
            "c": p["c"],
        },
        solution_figure_alt=(
            "Three panels: the four XOR points in input space, after the linear map "
            "z = xW + b, and at their hidden representation h = ReLU(z) with the output "
            "layer's line; the two labels drawn with different markers and colours."
        ),
    )


def _statement(p: dict) -> str:
    q = {k: param(v) for k, v in p.items()}
    pts = ", ".join(
        f"$x_{k + 1} = ({param(x[0])}, {param(x[1])})$ with $y_{k + 1} = {int(y)}$"
        for k, (x, y) in enumerate(zip(XOR_X, XOR_Y, strict=True))
    )
    return (
        "A 2-2-1 network computes "
        "$h_j = \\mathrm{ReLU}(w_{1j} x_1 + w_{2j} x_2 + b_j)$ and "
        "$h(x) = \\sigma(v_1 h_1 + v_2 h_2 + c)$, and predicts 1 iff $h(x) > 0.5$. Its weights "
        f"are $w_{{11}} = {q['w11']}$, $w_{{12}} = {q['w12']}$, $w_{{21}} = {q['w21']}$, "
        f"$w_{{22}} = {q['w22']}$, $b_1 = {q['b1']}$, $b_2 = {q['b2']}$, $v_1 = {q['v1']}$, "
        f"$v_2 = {q['v2']}$, $c = {q['c']}$.\n\n"
        f"The XOR data: {pts}.\n\n"
        "1. Compute the hidden representation $(h_1, h_2)$ of each point.\n"
        "2. How many of the four points does the network classify correctly? Does it solve "
        "XOR (1 for yes, 0 for no)?"
    )


def _solution(p: dict, s, n_correct: int) -> str:
    lines = [
        "| point | $(x_1, x_2)$ | $z = (z_1, z_2)$ | $h = \\mathrm{ReLU}(z)$ | logit $a$ | "
        "$\\sigma(a)$ | predicted | $y$ |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for k in range(4):
        x = s.X[k]
        lines.append(
            f"| $x_{k + 1}$ | $({param(x[0])}, {param(x[1])})$ | "
            f"$({num(s.z[k, 0])}, {num(s.z[k, 1])})$ | $({num(s.h[k, 0])}, {num(s.h[k, 1])})$ "
            f"| ${num(s.logits[k])}$ | ${num(s.probs[k])}$ | {int(s.predictions[k])} | "
            f"{int(s.y[k])} |"
        )
    verdict = (
        "All four points get their label: this weight set **solves XOR**. In hidden space "
        "the classes are linearly separable, which the input space does not allow."
        if n_correct == 4
        else f"Only {n_correct} of the four points get their label: this weight set does "
        "**not** solve XOR."
        + (" Its hidden representation is linearly separable, though, so other output "
           "weights would." if s.separable else " Its hidden points are not even linearly "
           "separable, so no choice of v and c would fix it.")
    )  # fmt: skip
    return (
        "Predict 1 iff $\\sigma(a) > 0.5$, i.e. iff the logit $a = v_1 h_1 + v_2 h_2 + c > 0$."
        "\n\n" + "\n".join(lines) + "\n\n" + verdict
    )


def xor_weights_problem(seed: int) -> Problem:
    """A weight set for the XOR network, drawn from ``seed``: answers the hidden values
    ``x{k}_h{j}``, ``n_correct`` and ``classifies`` (1 or 0)."""
    seed = check_seed(seed, "xor_weights_problem")
    return draw_until(lambda rng: _draw(rng, seed), seed, "xor_weights_problem")
