"""The §1.6 network by hand: every factor of the forward pass beside the engine's answer.

``readout`` is the pure maths (tested); ``forward_explorer`` wires sliders to it and
``forward_selfcheck`` grades a typed y-hat with hints for the usual slips.
Network: ``MLP([2, 2, 1], activation="relu", output="sigmoid", bias=[False, True])``,
``h_j = ReLU(w_1j x_1 + w_2j x_2)`` and ``y-hat = sigmoid(v0 + v1 h1 + v2 h2)``; ``w_ij`` is
``W[0][i-1, j-1]`` (input i to hidden j).
"""

from __future__ import annotations

import math

import ipywidgets as W
import numpy as np

from ..nn.mlp import MLP
from .core import Explorer, Mistake, SelfCheck

__all__ = [
    "PARAMS",
    "DEFAULTS",
    "section16_net",
    "readout",
    "readout_text",
    "forward_explorer",
    "forward_mistakes",
    "forward_selfcheck",
]

PARAMS = ("w11", "w12", "w21", "w22", "v0", "v1", "v2")
INPUTS = ("x1", "x2")
DEFAULTS = dict(w11=1.0, w12=-1.0, w21=0.5, w22=2.0, v0=-0.5, v1=1.5, v2=-1.0, x1=1.0, x2=-0.5)


def _sigmoid(t: float) -> float:
    return 1.0 / (1.0 + math.exp(-t)) if t >= 0 else math.exp(t) / (1.0 + math.exp(t))


def _check(values: dict) -> dict:
    names = (*PARAMS, *INPUTS)
    missing = [n for n in names if n not in values]
    extra = [n for n in values if n not in names]
    if missing or extra:
        raise ValueError(f"need exactly {list(names)}; missing {missing}, unexpected {extra}")
    out = {}
    for n in names:
        v = float(values[n])
        if not math.isfinite(v):
            raise ValueError(f"{n} must be a finite number, got {values[n]!r}")
        out[n] = v
    return out


def section16_net(w11, w12, w21, w22, v0, v1, v2) -> MLP:
    """The §1.6 network with these weights set by hand (engine convention W[0][i, j] = w_ij)."""
    net = MLP([2, 2, 1], activation="relu", output="sigmoid", bias=[False, True])
    net.W[0] = np.array([[w11, w12], [w21, w22]], dtype=float)
    net.W[1] = np.array([[v1], [v2]], dtype=float)
    net.b[1] = np.array([v0], dtype=float)
    return net


def readout(**values) -> dict:
    """Each factor of the hand computation, plus the engine's y-hat for the same weights."""
    v = _check(values)
    z1 = v["w11"] * v["x1"] + v["w21"] * v["x2"]
    z2 = v["w12"] * v["x1"] + v["w22"] * v["x2"]
    h1, h2 = max(z1, 0.0), max(z2, 0.0)
    logit = v["v0"] + v["v1"] * h1 + v["v2"] * h2
    y_hat = _sigmoid(logit)
    net = section16_net(*(v[p] for p in PARAMS))
    engine = float(net(np.array([[v["x1"], v["x2"]]]))[0, 0])
    return dict(z1=z1, z2=z2, h1=h1, h2=h2, logit=logit, y_hat=y_hat, engine=engine)


def readout_text(r: dict) -> str:
    """The readout as fixed-precision text, one factor per line."""
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


def _diagram(values: dict, r: dict):
    from ..plots.network import draw_network

    net = section16_net(*(values[p] for p in PARAMS))
    edges = {}
    for i in range(2):
        for j in range(2):
            edges[(0, i, j)] = f"{values[f'w{i + 1}{j + 1}']:+.2f}"
    edges[(1, 0, 0)] = f"{values['v1']:+.2f}"
    edges[(1, 1, 0)] = f"{values['v2']:+.2f}"
    edges[(1, "b", 0)] = f"{values['v0']:+.2f}"
    nodes = {
        (0, 0): f"{values['x1']:.1f}",
        (0, 1): f"{values['x2']:.1f}",
        (1, 0): f"{r['h1']:.2f}",
        (1, 1): f"{r['h2']:.2f}",
        (2, 0): f"{r['y_hat']:.2f}",
    }
    return draw_network(net, edge_labels=edges, node_labels=nodes, title="current values")


def forward_explorer(**start) -> Explorer:
    """Sliders for w11..v2 and x1, x2; shows the factor-by-factor readout and the diagram."""
    values = {**DEFAULTS, **start}
    _check(values)
    controls = {
        name: W.FloatSlider(
            value=values[name],
            min=-3.0,
            max=3.0,
            step=0.1,
            description=name,
            continuous_update=False,
            readout_format=".1f",
        )
        for name in (*PARAMS, *INPUTS)
    }

    def render(**vals):
        r = readout(**vals)
        return [readout_text(r), _diagram(vals, r)]

    return Explorer(controls, render)


def forward_mistakes(**values) -> list[Mistake]:
    """The usual wrong y-hats for these weights, each with its hint."""
    v = _check(values)
    z1 = v["w11"] * v["x1"] + v["w21"] * v["x2"]
    z2 = v["w12"] * v["x1"] + v["w22"] * v["x2"]
    h1, h2 = max(z1, 0.0), max(z2, 0.0)
    logit = v["v0"] + v["v1"] * h1 + v["v2"] * h2
    swapped = dict(v, w12=v["w21"], w21=v["w12"])
    return [
        Mistake(
            _sigmoid(v["v0"] + v["v1"] * z1 + v["v2"] * z2),
            "You used a negative pre-activation as it is: ReLU turns it into 0 first.",
        ),
        Mistake(logit, "That is the logit v0 + v1 h1 + v2 h2; y-hat applies the sigmoid to it."),
        Mistake(
            _sigmoid(v["v1"] * h1 + v["v2"] * h2),
            "You dropped the output bias v0; it is added inside the sigmoid.",
        ),
        Mistake(
            readout(**swapped)["y_hat"],
            "You swapped w12 and w21: w_ij goes from input x_i to hidden unit h_j, "
            "so h1 uses w11 and w21.",
        ),
    ]


def forward_selfcheck(**values) -> SelfCheck:
    """A box where the student types y-hat for the §1.6 network at these weights and inputs."""
    v = {**DEFAULTS, **values}
    r = readout(**v)
    shown = ", ".join(f"{k} = {v[k]:g}" for k in (*PARAMS, *INPUTS))
    prompt = f"For the §1.6 network with {shown}, what is y-hat (to 4 decimals)?"
    return SelfCheck(prompt, r["engine"], forward_mistakes(**v))
