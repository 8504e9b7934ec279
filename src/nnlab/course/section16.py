"""The handout's §1.6 network by hand: its forward pass and BCE gradients, named as in the
handout, and the usual wrong answers.

``MLP([2, 2, 1], activation="relu", output="sigmoid", bias=[False, True])``:
``h_j = ReLU(w_1j x_1 + w_2j x_2)`` and ``y-hat = sigmoid(v0 + v1 h1 + v2 h2)``; ``w_ij`` is
``W[0][i-1, j-1]`` (input i to hidden j), ``v_j`` is ``W[1][j-1, 0]`` and ``v0`` the output
bias. Every number comes from one `MLP.forward` (its cached ``z`` and ``a``), so the readouts
show the engine's own intermediate values under the handout's names.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine import ops
from ..engine.autodiff import grad
from ..engine.errors import NnlabValueError
from ..nn.losses import binary_cross_entropy
from ..nn.mlp import MLP, ForwardPass
from .chain_example import HINT_INDICATOR, HINT_SIGN, rounded
from .grading import Mistake, distinct_mistakes

__all__ = [
    "FORWARD_DEFAULTS",
    "GRADIENT_DEFAULTS",
    "INPUTS",
    "PARAMS",
    "check_values",
    "forward_mistakes",
    "forward_readout",
    "forward_text",
    "gradients",
    "gradients_text",
    "network",
    "w11_mistakes",
]

PARAMS = ("w11", "w12", "w21", "w22", "v0", "v1", "v2")
INPUTS = ("x1", "x2")
# The starting values of chapter 2's forward explorer and of chapter 8's gradient explorer.
FORWARD_DEFAULTS = dict(w11=1.0, w12=-1.0, w21=0.5, w22=2.0, v0=-0.5, v1=1.5, v2=-1.0,
                        x1=1.0, x2=-0.5)  # fmt: skip
GRADIENT_DEFAULTS = dict(w11=1.0, w12=-0.5, w21=0.5, w22=1.0, v0=-0.5, v1=1.5, v2=-1.0,
                         x1=1.0, x2=2.0, y=1)  # fmt: skip


def network(w11, w12, w21, w22, v0, v1, v2) -> MLP:
    """The §1.6 network with these weights set by hand (engine convention W[0][i, j] = w_ij)."""
    net = MLP([2, 2, 1], activation="relu", output="sigmoid", bias=[False, True])
    net.W[0] = np.array([[w11, w12], [w21, w22]], dtype=np.float64)
    net.W[1] = np.array([[v1], [v2]], dtype=np.float64)
    net.b[1] = np.array([v0], dtype=np.float64)
    return net


def check_values(values: dict, names, where: str) -> dict:
    """Exactly the values ``names`` as finite floats, or an error naming what is wrong."""
    missing = [n for n in names if n not in values]
    extra = [n for n in values if n not in names]
    if missing or extra:
        raise NnlabValueError(
            f"{where}: need exactly {list(names)}; missing {missing}, unexpected {extra}"
        )
    out = {}
    for n in names:
        v = float(values[n])
        if not math.isfinite(v):
            raise NnlabValueError(f"{where}: {n} must be a finite number, got {values[n]!r}")
        out[n] = v
    return out


def _run(v: dict) -> tuple[MLP, np.ndarray, ForwardPass]:
    net = network(*(v[p] for p in PARAMS))
    x = np.array([[v["x1"], v["x2"]]])
    return net, x, net.forward(x)


def forward_readout(**values) -> dict:
    """Each factor of the forward pass under the handout's names, from `MLP.forward`.

    ``z1, z2`` are ``z[0]``, ``h1, h2`` are ``a[1]``, ``logit`` is ``z[1]`` and ``y_hat`` is
    ``a[2]``; ``engine`` is ``net(x)``, the value the rest of the book uses.
    """
    v = check_values(values, (*PARAMS, *INPUTS), "forward_readout")
    net, x, fp = _run(v)
    (z1, z2), (h1, h2) = fp.z[0][0], fp.a[1][0]
    return dict(
        z1=float(z1),
        z2=float(z2),
        h1=float(h1),
        h2=float(h2),
        logit=float(fp.logits[0, 0]),
        y_hat=float(fp.output[0, 0]),
        engine=float(net(x)[0, 0]),
    )


def forward_text(r: dict) -> str:
    """`forward_readout` as fixed-precision text, one factor per line."""
    agree = "yes" if math.isclose(r["y_hat"], r["engine"], rel_tol=1e-12, abs_tol=1e-12) else "NO"
    return "\n".join(
        [
            f"z1 = w11*x1 + w21*x2        = {r['z1']:+.4f}",
            f"z2 = w12*x1 + w22*x2        = {r['z2']:+.4f}",
            f"h1 = ReLU(z1)               = {r['h1']:+.4f}",
            f"h2 = ReLU(z2)               = {r['h2']:+.4f}",
            f"logit = v0 + v1*h1 + v2*h2  = {r['logit']:+.4f}",
            f"y_hat = sigmoid(logit)      = {r['y_hat']:.6f}",
            f"engine net(x)               = {r['engine']:.6f}   (agree: {agree})",
        ]
    )


def _sigmoid(t: float) -> float:
    return float(ops.sigmoid(np.float64(t)))


def forward_mistakes(**values) -> list[Mistake]:
    """The usual wrong y-hats for these weights, each with its hint."""
    v = check_values(values, (*PARAMS, *INPUTS), "forward_mistakes")
    r = forward_readout(**v)
    swapped = dict(v, w12=v["w21"], w21=v["w12"])
    return [
        Mistake(
            _sigmoid(v["v0"] + v["v1"] * r["z1"] + v["v2"] * r["z2"]),
            "You used a negative pre-activation as it is: ReLU turns it into 0 first.",
        ),
        Mistake(
            r["logit"], "That is the logit v0 + v1 h1 + v2 h2; y-hat applies the sigmoid to it."
        ),
        Mistake(
            _sigmoid(v["v1"] * r["h1"] + v["v2"] * r["h2"]),
            "You dropped the output bias v0; it is added inside the sigmoid.",
        ),
        Mistake(
            forward_readout(**swapped)["y_hat"],
            "You swapped w12 and w21: w_ij goes from input x_i to hidden unit h_j, "
            "so h1 uses w11 and w21.",
        ),
    ]


def gradients(w11, w12, w21, w22, v0, v1, v2, x1, x2, y) -> dict:
    """yhat, dL/dv1 and dL/dw11 for BCE loss: by the hand formulas and by the engine.

    Hand formulas: dL/dv1 = (yhat - y) ReLU(w11 x1 + w21 x2) and
    dL/dw11 = (yhat - y) v1 x1 1[w11 x1 + w21 x2 > 0].
    """
    if y not in (0, 1):
        raise NnlabValueError(f"gradients: the label y must be 0 or 1, got {y!r}")
    v = check_values(
        dict(w11=w11, w12=w12, w21=w21, w22=w22, v0=v0, v1=v1, v2=v2, x1=x1, x2=x2),
        (*PARAMS, *INPUTS),
        "gradients",
    )
    net, X, fp = _run(v)
    Y = np.array([float(y)])

    def loss(params):
        return binary_cross_entropy(net.apply(params, X), Y)

    g_W0, g_W1, _g_b1 = grad(loss)(net.parameters())
    z1, z2 = (float(t) for t in fp.z[0][0])
    h1, h2 = (float(t) for t in fp.a[1][0])
    yhat = float(fp.output[0, 0])
    err = yhat - y
    return {
        "z1": z1,
        "z2": z2,
        "h1": h1,
        "h2": h2,
        "yhat": yhat,
        "loss": float(loss(net.parameters())),
        "dv1_hand": err * h1,
        "dw11_hand": err * v1 * x1 * (1.0 if z1 > 0 else 0.0),
        "dv1_engine": float(g_W1[0, 0]),
        "dw11_engine": float(g_W0[0, 0]),
        "dead1": z1 <= 0,
    }


def gradients_text(**values) -> str:
    """`gradients` as fixed-precision text: the hidden units, the loss, hand vs engine."""
    r = gradients(**values)
    state = "DEAD (input <= 0, gradient blocked)" if r["dead1"] else "active"
    z = rounded
    return "\n".join(
        [
            f"hidden 1: w11*x1 + w21*x2 = {z(r['z1']):.4f} -> h1 = {z(r['h1']):.4f}  [{state}]",
            f"hidden 2: w12*x1 + w22*x2 = {z(r['z2']):.4f} -> h2 = {z(r['h2']):.4f}",
            f"yhat = {z(r['yhat']):.6f},  loss = {z(r['loss']):.6f},  yhat - y = "
            f"{z(r['yhat'] - values['y']):.6f}",
            f"dL/dv1 : hand {z(r['dv1_hand']):.6f}   engine {z(r['dv1_engine']):.6f}",
            f"dL/dw11: hand {z(r['dw11_hand']):.6f}   engine {z(r['dw11_engine']):.6f}",
        ]
    )


def w11_mistakes(**values) -> list[Mistake]:
    """The usual wrong dL/dw11 for these weights, input and label, each with its hint."""
    r = gradients(**values)
    y, v1, x1 = values["y"], values["v1"], values["x1"]
    err = r["yhat"] - y
    alive = 0.0 if r["dead1"] else 1.0
    return distinct_mistakes(
        r["dw11_engine"],
        [
            (err * v1 * x1, HINT_INDICATOR),  # forgot 1[z1 > 0]
            (
                err * r["yhat"] * (1 - r["yhat"]) * v1 * x1 * alive,
                "After the BCE + sigmoid simplification, (yhat - y) already contains sigma'; "
                "do not multiply by yhat(1 - yhat) again.",
            ),
            (-r["dw11_engine"], HINT_SIGN),
            (err * v1 * alive, "The last factor d(w11 x1 + w21 x2)/dw11 is x1; it is missing."),
        ],
    )
