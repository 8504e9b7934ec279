"""Skill 8: backpropagation by hand on the handout's §1.6 network.

``h_j = ReLU(w_1j x_1 + w_2j x_2)`` (no hidden biases), ``yhat = sigmoid(v0 + v1 h1 + v2 h2)``,
``L = BCE(yhat, y)``. The prediction and all seven gradients come from the engine
(`nnlab.grad` of the BCE of `course.section16.network`); some seeds have a dead unit.
"""

from __future__ import annotations

import numpy as np

from ...engine.autodiff import grad
from ...nn.losses import binary_cross_entropy
from .. import section16
from ..chain_example import HINT_SIGN
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

PARAMS = ("w11", "w12", "w21", "w22", "v0", "v1", "v2", "x1", "x2", "y")
ANSWERS = ("yhat", "dL_dw11", "dL_dw12", "dL_dw21", "dL_dw22", "dL_dv0", "dL_dv1", "dL_dv2")
WEIGHTS = (-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0)
BIASES = (-1.0, -0.5, -0.2, 0.2, 0.5, 1.0)
INPUTS = (-2.0, -1.0, 1.0, 2.0, 0.5, -0.5)
KINK_GAP = 0.5  # no pre-activation closer than this to the ReLU kink at 0


def engine_values(p: dict) -> dict:
    """The forward numbers and the seven gradients from the engine, under the handout's names."""
    weights = {k: p[k] for k in section16.PARAMS}
    net = section16.network(**weights)
    X = np.array([[p["x1"], p["x2"]]])
    Y = np.array([float(p["y"])])
    fp = net.forward(X)

    def loss(params):
        return binary_cross_entropy(net.apply(params, X), Y)

    g_W0, g_W1, g_b1 = grad(loss)(net.parameters())
    (z1, z2), (h1, h2) = fp.z[0][0], fp.a[1][0]
    out = {
        "z1": float(z1), "z2": float(z2), "h1": float(h1), "h2": float(h2),
        "logit": float(fp.logits[0, 0]), "yhat": float(fp.output[0, 0]),
        "loss": float(loss(net.parameters())),
        "dL_dv0": float(g_b1[0]), "dL_dv1": float(g_W1[0, 0]), "dL_dv2": float(g_W1[1, 0]),
    }  # fmt: skip
    for i in (1, 2):
        for j in (1, 2):
            out[f"dL_dw{i}{j}"] = float(g_W0[i - 1, j - 1])
    return out


def _candidates(p: dict, e: dict) -> dict:
    err = e["yhat"] - p["y"]
    sig = e["yhat"] * (1 - e["yhat"])
    hint_sigma = (
        "With BCE on a sigmoid output, dL/dlogit = yhat - y already contains sigma'; "
        "do not multiply by yhat(1 - yhat) again."
    )
    yhat_mistakes = [
        (m.value, m.hint) for m in section16.forward_mistakes(**{k: p[k] for k in PARAMS[:-1]})
    ]
    cand = {
        "yhat": yhat_mistakes,
        "dL_dv0": [
            (-err, "dL/dlogit is yhat - y, not y - yhat."),
            (err * sig, hint_sigma),
            (1.0, "v0 multiplies the constant 1, so dL/dv0 = dL/dlogit = yhat - y."),
        ],
    }
    for j in (1, 2):
        z, h, v = e[f"z{j}"], e[f"h{j}"], p[f"v{j}"]
        cand[f"dL_dv{j}"] = [
            (err * z, f"The factor is h{j} = ReLU(z{j}), not the pre-activation z{j}."),
            (err * sig * h, hint_sigma),
            (-err * h, HINT_SIGN),
            (err * v, f"dlogit/dv{j} is h{j}, not v{j}."),
        ]
        alive = 1.0 if z > 0 else 0.0
        for i in (1, 2):
            x, other = p[f"x{i}"], p[f"x{3 - i}"]
            cand[f"dL_dw{i}{j}"] = [
                (err * v * x, f"Unit h{j} is dead here (z{j} < 0): ReLU'(z{j}) = 0 blocks "
                 "the gradient, so every weight into it gets 0."),
                (err * sig * v * x * alive, hint_sigma),
                (-err * v * x * alive, HINT_SIGN),
                (err * v * alive, f"The last factor dz{j}/dw{i}{j} is x{i}; it is missing."),
                (err * v * other * alive, f"w{i}{j} multiplies x{i} (w_ij goes from input i to "
                 f"hidden unit j), so dz{j}/dw{i}{j} = x{i}, not x{3 - i}."),
                (err * p[f"v{3 - j}"] * x * (1.0 if e[f"z{3 - j}"] > 0 else 0.0),
                 f"w{i}{j} feeds hidden unit h{j}, so the path goes through v{j}, not "
                 f"v{3 - j}."),
            ]  # fmt: skip
    return cand


def _draw(rng: np.random.Generator, seed: int) -> Problem | None:
    p = {k: choice(rng, WEIGHTS) for k in ("w11", "w12", "w21", "w22", "v1", "v2")}
    p["v0"] = choice(rng, BIASES)
    p["x1"], p["x2"] = choice(rng, INPUTS), choice(rng, INPUTS)
    p["y"] = float(rng.integers(2))
    p = {k: p[k] for k in PARAMS}
    e = engine_values(p)
    if min(abs(e["z1"]), abs(e["z2"])) < KINK_GAP or max(e["z1"], e["z2"]) <= 0:
        return None  # a near-tie at the kink, or both units dead (every w-gradient zero)
    if not 0.2 <= abs(e["logit"]) <= 3.0:
        return None  # a saturated sigmoid gives gradients too small to compute by hand
    answers = {k: e[k] for k in ANSWERS}
    mistakes = mistakes_for_answers(answers, _candidates(p, e))
    if not every_answer_has_a_mistake(mistakes):
        return None
    return Problem(
        skill=8,
        kind="backprop16",
        seed=seed,
        title="Backpropagation on the §1.6 network",
        statement=_statement(p),
        params=p,
        answers=answers,
        answer_labels=_labels(),
        solution=_solution(p, e),
        mistakes=mistakes,
        skills=(8,),
        figure=figure_spec(),
        figure_alt=(
            "The §1.6 network: inputs x1, x2 feed two ReLU hidden units h1, h2 through weights "
            "w_ij (input i to unit j), no hidden biases; h1, h2 and a bias v0 feed the sigmoid "
            "output yhat through v1, v2."
        ),
    )


def figure_spec() -> dict:
    """The §1.6 network with its edges named w_ij, v_j and the output bias v0."""
    edges = [
        {"layer": 0, "i": i - 1, "j": j - 1, "label": f"$w_{{{i}{j}}}$"}
        for i in (1, 2)
        for j in (1, 2)
    ]
    edges += [{"layer": 1, "i": j - 1, "j": 0, "label": f"$v_{j}$"} for j in (1, 2)]
    edges.append({"layer": 1, "i": "b", "j": 0, "label": "$v_0$"})
    return {"kind": "network", "sizes": [2, 2, 1], "bias": [False, True], "edges": edges}


def _labels() -> dict:
    labels = {"yhat": r"the prediction $\hat y$", "dL_dv0": r"$\partial L/\partial v_0$"}
    for j in (1, 2):
        labels[f"dL_dv{j}"] = rf"$\partial L/\partial v_{j}$"
        for i in (1, 2):
            labels[f"dL_dw{i}{j}"] = rf"$\partial L/\partial w_{{{i}{j}}}$"
    return {k: labels[k] for k in ANSWERS}


def _statement(p: dict) -> str:
    q = {k: param(v) for k, v in p.items()}
    return (
        "The network of handout §1.6 (figure) has two ReLU hidden units without biases and a "
        "sigmoid output:\n\n"
        r"$$h_j = \mathrm{ReLU}(w_{1j} x_1 + w_{2j} x_2),\qquad "
        r"\hat y = \sigma(v_0 + v_1 h_1 + v_2 h_2),$$" "\n\n"
        r"with the loss $L = -\big(y \log \hat y + (1 - y)\log(1 - \hat y)\big)$ and "
        r"$w_{ij}$ the weight from input $x_i$ to hidden unit $h_j$. Take" "\n\n"
        f"$w_{{11}} = {q['w11']}$, $w_{{12}} = {q['w12']}$, $w_{{21}} = {q['w21']}$, "
        f"$w_{{22}} = {q['w22']}$, $v_0 = {q['v0']}$, $v_1 = {q['v1']}$, $v_2 = {q['v2']}$, "
        f"and the example $x_1 = {q['x1']}$, $x_2 = {q['x2']}$ with label $y = {q['y']}$.\n\n"
        r"Compute $\hat y$ and the seven gradients $\partial L/\partial w_{11}$, "
        r"$\partial L/\partial w_{12}$, $\partial L/\partial w_{21}$, "
        r"$\partial L/\partial w_{22}$, $\partial L/\partial v_0$, "
        r"$\partial L/\partial v_1$, $\partial L/\partial v_2$."
    )  # fmt: skip


def _solution(p: dict, e: dict) -> str:
    q = {k: param(v) for k, v in p.items()}
    err = e["yhat"] - p["y"]
    lines = [
        "**Forward pass.**",
        "",
        f"- $z_1 = w_{{11}} x_1 + w_{{21}} x_2 = ({q['w11']})({q['x1']}) + ({q['w21']})"
        f"({q['x2']}) = {num(e['z1'])}$, so $h_1 = {num(e['h1'])}$"
        + (" (unit 1 is **dead**: $z_1 < 0$)" if e["z1"] < 0 else ""),
        f"- $z_2 = w_{{12}} x_1 + w_{{22}} x_2 = ({q['w12']})({q['x1']}) + ({q['w22']})"
        f"({q['x2']}) = {num(e['z2'])}$, so $h_2 = {num(e['h2'])}$"
        + (" (unit 2 is **dead**: $z_2 < 0$)" if e["z2"] < 0 else ""),
        f"- logit $= v_0 + v_1 h_1 + v_2 h_2 = {num(e['logit'])}$, "
        f"$\\hat y = \\sigma({num(e['logit'])}) = {num(e['yhat'])}$",
        "",
        "**Backward pass.** For BCE on a sigmoid, "
        f"$\\partial L/\\partial\\,\\mathrm{{logit}} = \\hat y - y = {num(err)}$.",
        "",
        f"- $\\partial L/\\partial v_0 = \\hat y - y = {num(e['dL_dv0'])}$",
    ]
    for j in (1, 2):
        lines.append(
            f"- $\\partial L/\\partial v_{j} = (\\hat y - y)\\,h_{j} = ({num(err)})"
            f"({num(e[f'h{j}'])}) = {num(e[f'dL_dv{j}'])}$"
        )
    for j in (1, 2):
        gate = 1 if e[f"z{j}"] > 0 else 0
        for i in (1, 2):
            lines.append(
                f"- $\\partial L/\\partial w_{{{i}{j}}} = (\\hat y - y)\\,v_{j}\\,"
                f"\\mathbb{{1}}[z_{j} > 0]\\,x_{i} = ({num(err)})({q[f'v{j}']})({gate})"
                f"({q[f'x{i}']}) = {num(e[f'dL_dw{i}{j}'])}$"
            )
    return "\n".join(lines)


def backprop_problem(seed: int) -> Problem:
    """A §1.6 backpropagation problem drawn from ``seed``: params ``w11, w12, w21, w22, v0,
    v1, v2, x1, x2, y``; answers ``yhat`` and the seven ``dL_d*`` gradients."""
    seed = check_seed(seed, "backprop_problem")
    return draw_until(lambda rng: _draw(rng, seed), seed, "backprop_problem")
