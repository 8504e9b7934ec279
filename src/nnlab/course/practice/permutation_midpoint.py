"""Skill 7: the loss is not convex. Swap the two hidden units of a 2-2-1 network (theta ->
pi(theta)): the function, hence the loss, is unchanged. Convexity would force the loss at
the midpoint (theta + pi(theta)) / 2 to be at most L(theta); here it is larger.

This is the corrected argument of handout §1.7.1 (the book's erratum 9: equal minima do not
by themselves contradict convexity; the midpoint does). The network is
`MLP([2, 2, 1], relu, sigmoid)`, the loss mean BCE on two labelled points, the permutation
`course.curvature.permute_hidden` and the midpoint `course.curvature.interpolate`.
"""

from __future__ import annotations

import math

import numpy as np

from ...nn.losses import binary_cross_entropy
from ...nn.mlp import MLP
from ..curvature import interpolate, permute_hidden
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

WEIGHTS = (-2.0, -1.0, 1.0, 2.0)
POINTS = (-1.0, 0.0, 1.0, 2.0)
KINK_GAP = 0.5


def network(p: dict) -> MLP:
    """The 2-2-1 ReLU/sigmoid net with w_ij (input i -> hidden j), v_j and c; no hidden bias."""
    net = MLP([2, 2, 1], activation="relu", output="sigmoid", bias=[False, True])
    net.set_parameters([
        np.array([[p["w11"], p["w12"]], [p["w21"], p["w22"]]]),
        np.array([[p["v1"]], [p["v2"]]]),
        np.array([p["c"]]),
    ])  # fmt: skip
    return net


def data(p: dict) -> tuple[np.ndarray, np.ndarray]:
    X = np.array([[p["x1_1"], p["x1_2"]], [p["x2_1"], p["x2_2"]]])
    return X, np.array([p["y1"], p["y2"]])


def engine_values(p: dict) -> dict:
    """Losses at theta, pi(theta) and the midpoint, and the hidden pre-activations of each."""
    net = network(p)
    X, y = data(p)
    swapped = permute_hidden(net, 0, [1, 0])
    theta, theta_pi = net.parameters(), swapped.parameters()
    mid = interpolate(theta, theta_pi, 0.5)

    def loss(params):
        return float(binary_cross_entropy(net.apply(params, X), y))

    def z(params):
        return np.asarray(net.forward(X, params).z[0])

    L, L_pi, L_mid = loss(theta), loss(theta_pi), loss(mid)
    return {
        "loss_theta": L, "loss_perm": L_pi, "loss_mid": L_mid, "gap": L_mid - L,
        "z_theta": z(theta), "z_mid": z(mid), "theta": theta, "theta_pi": theta_pi, "mid": mid,
        "probs_theta": np.asarray(net.apply(theta, X))[:, 0],
        "probs_mid": np.asarray(net.apply(mid, X))[:, 0],
        "half_perm": loss([theta_pi[0], theta[1], theta[2]]),
        "mid_w_only": loss([mid[0], theta[1], theta[2]]),
    }  # fmt: skip


def _draw(rng: np.random.Generator, seed: int) -> Problem | None:
    p = {k: choice(rng, WEIGHTS) for k in ("w11", "w12", "w21", "w22", "v1", "v2")}
    p["c"] = choice(rng, (-1.0, -0.5, 0.0, 0.5, 1.0))
    for k in (1, 2):
        p[f"x{k}_1"], p[f"x{k}_2"] = choice(rng, POINTS), choice(rng, POINTS)
        p[f"y{k}"] = float(rng.integers(2))
    if p["y1"] == p["y2"] or (p["x1_1"], p["x1_2"]) == (p["x2_1"], p["x2_2"]):
        return None
    if p["v1"] == p["v2"] or (p["w11"], p["w21"]) == (p["w12"], p["w22"]):
        return None  # theta = pi(theta) would make the midpoint theta itself
    e = engine_values(p)
    zs = np.concatenate([e["z_theta"].ravel(), e["z_mid"].ravel()])
    if np.any((np.abs(zs) < KINK_GAP) & (zs != 0)):
        return None  # near-ties at the kink (an exact 0 is harmless: ReLU(0) = 0 either way)
    if e["gap"] < 0.05 or e["loss_theta"] > 2.0:
        return None  # the midpoint must clearly break convexity; no saturated losses
    answers = {k: e[k] for k in ("loss_theta", "loss_perm", "loss_mid", "gap")}
    hint_sum = "The loss is the mean BCE over the two points, not the sum."
    cand = {
        "loss_theta": [
            (2 * e["loss_theta"], hint_sum),
            (e["loss_theta"] / math.log(2), "Use the natural logarithm."),
        ],
        "loss_perm": [
            (e["half_perm"], "Swapping units moves their outgoing weights too: swap v1 and v2 "
             "along with the columns of W, and the function (so the loss) is unchanged."),
            (2 * e["loss_perm"], hint_sum),
        ],
        "loss_mid": [
            (e["loss_theta"], "That is the chord, (L(theta) + L(pi theta))/2; evaluate the loss "
             "at the averaged weights instead."),
            (e["mid_w_only"], "Average every parameter, the output weights v as well as W."),
            (2 * e["loss_mid"], hint_sum),
        ],
        "gap": [
            (-e["gap"], "The gap is L(midpoint) - L(theta); positive means convexity fails."),
            (e["loss_mid"], "Subtract the chord value L(theta) = L(pi theta)."),
        ],
    }  # fmt: skip
    mistakes = mistakes_for_answers(answers, cand)
    if not every_answer_has_a_mistake(mistakes):
        return None
    return Problem(
        skill=7,
        kind="permutation_midpoint",
        seed=seed,
        title="The permutation midpoint: the loss is not convex",
        statement=_statement(p),
        params=p,
        answers=answers,
        answer_labels={
            "loss_theta": r"$L(\theta)$",
            "loss_perm": r"$L(\pi\theta)$",
            "loss_mid": r"$L\big(\tfrac12(\theta + \pi\theta)\big)$",
            "gap": r"$L\big(\tfrac12(\theta + \pi\theta)\big) - L(\theta)$",
        },
        solution=_solution(p, e),
        mistakes=mistakes,
        skills=(7,),
    )


def _statement(p: dict) -> str:
    q = {k: param(v) for k, v in p.items()}
    return (
        "A network $\\hat y = \\sigma\\big(v_1 h_1 + v_2 h_2 + c\\big)$ with "
        "$h_j = \\mathrm{ReLU}(w_{1j} x_1 + w_{2j} x_2)$ has parameters $\\theta$: "
        f"$w_{{11}} = {q['w11']}$, $w_{{12}} = {q['w12']}$, $w_{{21}} = {q['w21']}$, "
        f"$w_{{22}} = {q['w22']}$, $v_1 = {q['v1']}$, $v_2 = {q['v2']}$, $c = {q['c']}$. "
        "The loss $L$ is the mean binary cross-entropy on the two points "
        f"$x^{{(1)}} = ({q['x1_1']}, {q['x1_2']})$ with $y^{{(1)}} = {q['y1']}$ and "
        f"$x^{{(2)}} = ({q['x2_1']}, {q['x2_2']})$ with $y^{{(2)}} = {q['y2']}$.\n\n"
        "Let $\\pi\\theta$ be the same network with hidden units 1 and 2 swapped (their "
        "incoming and outgoing weights move with them).\n\n"
        "1. Compute $L(\\theta)$ and $L(\\pi\\theta)$.\n"
        "2. Compute the loss at the midpoint $\\tfrac12(\\theta + \\pi\\theta)$.\n"
        "3. Compute the gap $L(\\text{midpoint}) - L(\\theta)$. What does its sign say about "
        "the convexity of $L$?"
    )


def _solution(p: dict, e: dict) -> str:
    q = {k: param(v) for k, v in p.items()}
    W = e["mid"][0]
    v = e["mid"][1][:, 0]
    unit = [affine_text([(W[0, j], "x_1"), (W[1, j], "x_2")]) for j in (0, 1)]
    rows = [
        ", ".join(f"$\\hat y^{{({i + 1})}} = {num(pr)}$" for i, pr in enumerate(probs)) + where
        for probs, where in ((e["probs_theta"], " at $\\theta$"),
                             (e["probs_mid"], " at the midpoint"))
    ]  # fmt: skip
    return (
        "Swapping the units permutes the hidden values, and $v_1 h_1 + v_2 h_2$ is a sum, so "
        "$\\pi\\theta$ computes the same function: "
        f"$L(\\pi\\theta) = L(\\theta) = {num(e['loss_theta'])}$. "
        f"Predictions: {rows[0]}; $L(\\theta) = -\\tfrac12 \\sum_i \\log "
        "p(\\text{true label of } x^{(i)})$.\n\n"
        "The midpoint averages each weight with its swapped partner: both hidden units become "
        f"the same, $h_1 = h_2 = \\mathrm{{ReLU}}({unit[0]})$, with output weights "
        f"$v_1 = v_2 = {num(v[0])}$ and $c = {q['c']}$. Predictions: {rows[1]}, so the "
        f"midpoint loss is {num(e['loss_mid'])}.\n\n"
        f"The gap is ${num(e['loss_mid'])} - {num(e['loss_theta'])} = {num(e['gap'])} > 0$. "
        "A convex $L$ would satisfy "
        "$L(\\tfrac12(\\theta + \\pi\\theta)) \\le \\tfrac12 L(\\theta) + \\tfrac12 L(\\pi\\theta)"
        " = L(\\theta)$, so $L$ is **not convex**. (Two equal losses alone would not prove "
        "this: a convex function can have many minimisers. The midpoint does.)"
    )


def permutation_midpoint_problem(seed: int) -> Problem:
    """Losses at theta, pi(theta) and their midpoint for a 2-2-1 net, drawn from ``seed``:
    answers ``loss_theta``, ``loss_perm``, ``loss_mid`` and ``gap``."""
    seed = check_seed(seed, "permutation_midpoint_problem")
    return draw_until(lambda rng: _draw(rng, seed), seed, "permutation_midpoint_problem")
