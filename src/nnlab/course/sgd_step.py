"""One stochastic-gradient step on the handout's §1.6 network, by hand (chapter 8).

The handout writes the update W <- W - eta grad L (§1.5) and asks in 1.6(b) to "update with
SGD" on one example, but never takes the step. Here it is, with the handout's names:

- `full_gradient`: all seven partials dL/dw11 ... dL/dv2 of the BCE loss on one example, by the
  hand formulas (err = yhat - y; dL/dv0 = err, dL/dv_j = err h_j,
  dL/dw_ij = err v_j x_i 1[z_j > 0]), beside the engine's gradient.
- `sgd_step`: the updated weights w - lr * dL/dw, and the loss before and after the step, with
  the first-order prediction L_after ~ L_before - lr ||grad||^2.
- `step_text`: the step as a fixed-precision table, one weight a row.
- `updated_weight_mistakes`: the usual wrong updated values of one weight, with hints.

Weights follow `nnlab.course.section16`: ``w_ij = W_0[i-1, j-1]``, ``v_j = W_1[j-1, 0]``,
``v0 = b_1[0]``.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.autodiff import grad
from ..engine.errors import NnlabValueError
from ..nn.losses import binary_cross_entropy
from .chain_example import rounded
from .grading import Mistake, distinct_mistakes
from .section16 import INPUTS, PARAMS, check_values, network

__all__ = [
    "full_gradient",
    "sgd_step",
    "step_text",
    "updated_weight_mistakes",
]


def _values(values: dict, where: str) -> tuple[dict, int]:
    """The seven weights and two inputs as floats, and the label y (0 or 1)."""
    rest = {k: v for k, v in values.items() if k != "y"}
    if "y" not in values or values["y"] not in (0, 1):
        raise NnlabValueError(f"{where}: the label y must be 0 or 1, got {values.get('y')!r}")
    return check_values(rest, (*PARAMS, *INPUTS), where), int(values["y"])


def _loss(v: dict, y: int) -> float:
    net = network(*(v[p] for p in PARAMS))
    x = np.array([[v["x1"], v["x2"]]])
    return float(binary_cross_entropy(net(x), np.array([float(y)])))


def _forward(v: dict) -> dict:
    """z_j = w_1j x1 + w_2j x2, h_j = ReLU(z_j), logit, yhat (plain floats)."""
    z1 = v["w11"] * v["x1"] + v["w21"] * v["x2"]
    z2 = v["w12"] * v["x1"] + v["w22"] * v["x2"]
    h1, h2 = max(z1, 0.0), max(z2, 0.0)
    logit = v["v0"] + v["v1"] * h1 + v["v2"] * h2
    yhat = 1.0 / (1.0 + math.exp(-logit))
    return dict(z1=z1, z2=z2, h1=h1, h2=h2, logit=logit, yhat=yhat)


def full_gradient(**values) -> dict:
    """All seven partials of the BCE loss on one example, by hand and by the engine.

    ``values``: w11, w12, w21, w22, v0, v1, v2, x1, x2 and the label y. Returns the forward
    values (``z1, z2, h1, h2, logit, yhat``), ``err = yhat - y``, ``loss``, ``hand`` and
    ``engine`` (each a dict from weight name to dL/d(weight)). At ``z_j = 0`` the ReLU
    subgradient 0 is used, as the engine does.
    """
    v, y = _values(values, "full_gradient")
    fw = _forward(v)
    err = fw["yhat"] - y
    active = {j: 1.0 if fw[f"z{j}"] > 0 else 0.0 for j in (1, 2)}
    hand = {"v0": err, "v1": err * fw["h1"], "v2": err * fw["h2"]}
    for i in (1, 2):
        for j in (1, 2):
            hand[f"w{i}{j}"] = err * v[f"v{j}"] * v[f"x{i}"] * active[j]
    net = network(*(v[p] for p in PARAMS))
    X, Y = np.array([[v["x1"], v["x2"]]]), np.array([float(y)])
    g_W0, g_W1, g_b1 = grad(lambda p: binary_cross_entropy(net.apply(p, X), Y))(net.parameters())
    engine = {f"w{i + 1}{j + 1}": float(g_W0[i, j]) for i in range(2) for j in range(2)}
    engine.update(v0=float(g_b1[0]), v1=float(g_W1[0, 0]), v2=float(g_W1[1, 0]))
    return {
        **fw,
        "err": err,
        "loss": _loss(v, y),
        "hand": {k: hand[k] + 0.0 for k in PARAMS},
        "engine": {k: engine[k] for k in PARAMS},
    }


def sgd_step(lr: float, **values) -> dict:
    """One SGD step ``w <- w - lr dL/dw`` on one example, every weight at once.

    Returns ``gradient`` (the `full_gradient` result), ``old`` and ``new`` (weight name ->
    value), ``loss_before``, ``loss_after`` (the loss at the new weights, same example),
    ``yhat_after``, ``grad_norm_sq`` (the squared length of the gradient) and ``predicted``
    (the first-order prediction ``loss_before - lr * grad_norm_sq``).
    """
    if not (isinstance(lr, int | float) and math.isfinite(lr) and lr > 0):
        raise NnlabValueError(f"sgd_step: lr must be a positive number, got {lr!r}")
    r = full_gradient(**values)
    v, y = _values(values, "sgd_step")
    g = r["hand"]
    old = {k: v[k] for k in PARAMS}
    new = {k: old[k] - lr * g[k] + 0.0 for k in PARAMS}
    after = {**new, "x1": v["x1"], "x2": v["x2"]}
    norm_sq = sum(g[k] ** 2 for k in PARAMS)
    return {
        "gradient": r,
        "lr": float(lr),
        "old": old,
        "new": new,
        "loss_before": r["loss"],
        "loss_after": _loss(after, y),
        "yhat_after": _forward(after)["yhat"],
        "grad_norm_sq": norm_sq,
        "predicted": r["loss"] - lr * norm_sq,
    }


def step_text(step: dict) -> str:
    """`sgd_step` as text: each weight's old value, partial, and new value; then the losses."""
    g, lr = step["gradient"], step["lr"]
    head = f"new = old - {lr:g} * dL/dw"
    lines = [f"{'weight':>6} {'old':>9} {'dL/dw':>11} {head:>24}"]
    for k in PARAMS:
        lines.append(
            f"{k:>6} {rounded(step['old'][k]):9.4f} {rounded(g['hand'][k]):11.6f} "
            f"{rounded(step['new'][k]):24.6f}"
        )
    lines += [
        f"yhat: {rounded(g['yhat']):.6f} -> {rounded(step['yhat_after']):.6f}",
        f"loss: {rounded(step['loss_before']):.6f} -> {rounded(step['loss_after']):.6f}",
    ]
    return "\n".join(lines)


def updated_weight_mistakes(name: str, lr: float, **values) -> list[Mistake]:
    """The usual wrong values of weight ``name`` after one step, each with its hint."""
    if name not in PARAMS:
        raise NnlabValueError(
            f"updated_weight_mistakes: name must be one of {PARAMS}, got {name!r}"
        )
    step = sgd_step(lr, **values)
    old, g, new = step["old"][name], step["gradient"]["hand"][name], step["new"][name]
    r = step["gradient"]
    candidates = [
        (old + lr * g, "The step goes against the gradient: subtract lr * dL/dw, do not add it."),
        (old - g, "You left out the learning rate: the change is lr * dL/dw, not dL/dw."),
        (-lr * g, "That is only the change -lr * dL/dw; add it to the old weight."),
    ]
    if name.startswith("w"):
        j = name[2]
        i = name[1]
        # forgot the ReLU indicator (matters only when unit j is inactive)
        no_ind = r["err"] * values[f"v{j}"] * values[f"x{i}"]
        candidates.append(
            (old - lr * no_ind, "Is hidden unit h_" + j + " active? If its input is not "
             "positive, ReLU passes no gradient and the weight does not move.")
        )  # fmt: skip
        # multiplied by sigma'(logit) again after the BCE + sigmoid simplification
        candidates.append(
            (
                old - lr * g * r["yhat"] * (1 - r["yhat"]),
                "yhat - y already contains the sigmoid's derivative; do not multiply by "
                "yhat(1 - yhat) again.",
            )
        )
    return distinct_mistakes(new, candidates)
