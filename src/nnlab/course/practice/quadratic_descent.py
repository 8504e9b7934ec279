"""Skill 12: gradient descent on L(w) = a w^2 / 2 from w0 with step eta for k steps.

The stability threshold is eta_max = 2 / a (the update multiplies w by 1 - eta a, and
|1 - eta a| < 1 iff 0 < eta < 2 / a). Answers come from the engine: ``w_k`` and ``loss_k``
from k steps with `nnlab.grad`, ``eta_max`` from the curvature, the slope of the
engine's gradient.
"""

from __future__ import annotations

import numpy as np

from ...engine.autodiff import grad
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

CURVATURES = (1.0, 2.0, 4.0, 5.0, 10.0)
STEPS = (0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 0.8, 1.0, 1.5)
STARTS = (-3.0, -2.0, -1.0, 1.0, 2.0, 3.0)


def quadratic_loss(a: float):
    """L(w) = a w^2 / 2, as a function the engine can differentiate."""
    return lambda w: 0.5 * a * w * w


def engine_values(a: float, w0: float, eta: float, k: int) -> dict:
    """k steps of w <- w - eta dL/dw with `nnlab.grad`; eta_max from the engine's Hessian."""
    loss = quadratic_loss(a)
    g = grad(loss)
    path = [float(w0)]
    for _ in range(k):
        path.append(path[-1] - eta * float(g(path[-1])))
    # The gradient of a quadratic is linear, so its slope (the curvature) is exact from two
    # engine gradients; `course.curvature.hessian` would add finite-difference noise.
    curvature = float(g(1.0)) - float(g(0.0))
    return {
        "eta_max": 2.0 / curvature,
        "w_k": path[-1],
        "loss_k": float(loss(path[-1])),
        "path": path,
        "factor": 1.0 - eta * a,
    }


def _draw(rng: np.random.Generator, seed: int) -> Problem | None:
    a, eta = choice(rng, CURVATURES), choice(rng, STEPS)
    w0, k = choice(rng, STARTS), int(choice(rng, (2, 3, 4)))
    r = 1.0 - eta * a
    if abs(r) < 0.15 or abs(abs(r) - 1.0) < 0.15 or abs(r) > 2.0:
        return None  # no landing on the minimum, no near-marginal step, no huge numbers
    e = engine_values(a, w0, eta, k)
    if not 0.01 <= e["loss_k"] <= 1000.0:
        return None  # numbers too small or too large to carry by hand
    answers = {"eta_max": e["eta_max"], "w_k": e["w_k"], "loss_k": e["loss_k"],
               "stable": 1.0 if eta < e["eta_max"] else 0.0}  # fmt: skip
    w_km1 = r ** (k - 1) * w0
    cand = {
        "eta_max": [
            (1.0 / a, "eta = 1/a lands on the minimum in one step; divergence starts at "
             "|1 - eta a| = 1, i.e. eta = 2/a."),
            (2.0 * a, "The threshold is 2 divided by the curvature a, not 2 times it."),
            (a / 2.0, "The curvature of a w^2/2 is a; the threshold is 2/a."),
        ],
        "w_k": [
            (w_km1, f"That is w after {k - 1} steps; the question asks for {k}."),
            (r ** (k + 1) * w0, f"That is w after {k + 1} steps; w_0 is the start."),
            ((1.0 - eta) ** k * w0, "The gradient of a w^2/2 is a w, so each step multiplies "
             "w by 1 - eta a."),
            ((1.0 + eta * a) ** k * w0, "Gradient descent steps against the gradient: "
             "w - eta a w."),
            (-e["w_k"], "Check the sign: (1 - eta a)^k is negative for odd k when eta a > 1."),
        ],
        "loss_k": [
            (a * e["w_k"] ** 2, "L = a w^2 / 2: you left out the 1/2."),
            (0.5 * e["w_k"] ** 2, "L = a w^2 / 2: you left out the curvature a."),
            (0.5 * a * w_km1**2, f"That is the loss after {k - 1} steps."),
            (e["w_k"], "That is w_k; the loss is a w_k^2 / 2."),
        ],
        "stable": [
            (1.0 - answers["stable"], "Compare eta with eta_max = 2/a: the iterates shrink "
             "iff |1 - eta a| < 1."),
        ],
    }  # fmt: skip
    mistakes = mistakes_for_answers(answers, cand)
    if not every_answer_has_a_mistake(mistakes):
        return None
    params = {"a": a, "w0": w0, "eta": eta, "k": float(k)}
    return Problem(
        skill=12,
        kind="quadratic_descent",
        seed=seed,
        title="Gradient descent on a quadratic",
        statement=(
            f"Gradient descent minimises $L(w) = \\frac{{a}}{{2}} w^2$ with $a = {param(a)}$, "
            f"starting from $w_0 = {param(w0)}$ with step size $\\eta = {param(eta)}$.\n\n"
            "1. Find the stability threshold $\\eta_{\\max}$: gradient descent converges for "
            "$0 < \\eta < \\eta_{\\max}$ and diverges above it.\n"
            f"2. Compute $w_{{{k}}}$ and the loss $L(w_{{{k}}})$ after ${k}$ steps.\n"
            "3. Is this step size stable? Answer 1 for yes, 0 for no."
        ),
        params=params,
        answers=answers,
        answer_labels={
            "eta_max": r"$\eta_{\max}$",
            "w_k": f"$w_{{{k}}}$",
            "loss_k": f"$L(w_{{{k}}})$",
            "stable": "1 if the step size is stable, 0 if not",
        },
        solution=_solution(a, w0, eta, k, e),
        mistakes=mistakes,
        skills=(12,),
        figure={"kind": "descent", "a": a, "path": [round(w, 10) for w in e["path"]]},
        figure_alt=(
            f"The parabola L(w) = {param(a)} w^2 / 2 with the {k} gradient-descent steps "
            f"from w0 = {param(w0)} drawn on it."
        ),
    )


def _solution(a, w0, eta, k, e) -> str:
    r = e["factor"]
    steps = ", ".join(f"$w_{t} = {num(w)}$" for t, w in enumerate(e["path"]))
    verdict = (
        f"$\\eta = {param(eta)} < {num(e['eta_max'])}$: stable ($|1 - \\eta a| = {num(abs(r))}"
        " < 1$, the iterates shrink towards 0)"
        if abs(r) < 1
        else f"$\\eta = {param(eta)} > {num(e['eta_max'])}$: unstable ($|1 - \\eta a| = "
        f"{num(abs(r))} > 1$, each step overshoots further and the loss grows)"
    )
    return (
        f"$L'(w) = a w$, so one step is $w \\leftarrow w - \\eta a w = (1 - \\eta a) w$: "
        f"a multiplication by $1 - \\eta a = 1 - ({param(eta)})({param(a)}) = {num(r)}$. "
        "The iterates shrink iff $|1 - \\eta a| < 1$, i.e. $0 < \\eta < 2/a$, so "
        f"$\\eta_{{\\max}} = 2/{param(a)} = {num(e['eta_max'])}$.\n\n"
        f"Here {verdict}.\n\n"
        f"Steps: {steps}, i.e. $w_{{{k}}} = ({num(r)})^{{{k}}} \\cdot {param(w0)} = "
        f"{num(e['w_k'])}$, and $L(w_{{{k}}}) = \\frac{{{param(a)}}}{{2}} ({num(e['w_k'])})^2 "
        f"= {num(e['loss_k'])}$."
    )


def quadratic_descent_problem(seed: int) -> Problem:
    """Gradient descent on L(w) = a w^2/2, drawn from ``seed``: params ``a, w0, eta, k``;
    answers ``eta_max``, ``w_k``, ``loss_k`` and ``stable`` (1 or 0)."""
    seed = check_seed(seed, "quadratic_descent_problem")
    return draw_until(lambda rng: _draw(rng, seed), seed, "quadratic_descent_problem")
