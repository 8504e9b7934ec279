"""Explorers and self-checks for backpropagation by hand (chapter 8).

Pure functions compute every readout (hand formulas next to the engine's answers); the
explorer builders only wire sliders to them, so tests can check the numbers directly.

- Chain rule on f = sigmoid(v1 ReLU(w1 x)) (handout §1.5.2): `chain_rule`, `chain_readout`,
  `chain_explorer`, `chain_selfcheck`.
- The 2-2-1 network of handout §1.6 with BCE loss: `net221`, `net221_readout`,
  `net221_explorer`, `w11_selfcheck`.
"""

from __future__ import annotations

import math

import ipywidgets as W
import numpy as np

from .. import MLP, binary_cross_entropy, grad, relu, sigmoid
from ..engine.gradcheck import numerical_grad
from ..plots import chain as chain_plot
from .core import Explorer, Mistake, SelfCheck

# --------------------------------------------------------------------------- chain rule


def chain_f(w1, v1, x):
    """f = sigmoid(v1 ReLU(w1 x)) with the engine's ops (Tensors or arrays)."""
    return sigmoid(v1 * relu(w1 * x))


def chain_rule(w1: float, v1: float, x: float) -> dict:
    """Every factor of df/dw1, the hand product, the engine's gradient and a central difference.

    Keys: ``u, h, s, f`` (forward values), ``sigma_prime, v1, indicator, x`` (the four factors),
    ``hand`` (their product), ``engine`` (``nnlab.grad``), ``fd`` (central difference, or nan
    within 1e-6 of the kink where it is meaningless) and ``handout`` (the printed formula
    sigma'(s) v1 x**2 with its ReLU case).
    """
    vals = chain_plot.chain_values(float(w1), float(v1), float(x))
    fac = vals["factors"]
    engine = float(grad(lambda w: chain_f(w, v1, x))(np.array(float(w1))))
    near_kink = abs(x) * 1e-6 >= abs(vals["u"])
    fd = (
        math.nan
        if near_kink
        else float(numerical_grad(lambda w: chain_f(w, v1, x), np.array(float(w1))))
    )
    return {
        "u": vals["u"],
        "h": vals["h"],
        "s": vals["s"],
        "f": vals["f"],
        "sigma_prime": fac["df/ds"],
        "v1": fac["ds/dh"],
        "indicator": fac["dh/du"],
        "x": fac["du/dw1"],
        "hand": vals["product"],
        "engine": engine,
        "fd": fd,
        "handout": fac["df/ds"] * v1 * x**2 * fac["dh/du"],
    }


def _z(value: float) -> float:
    """Round to 6 decimals and drop the sign of zero, so readouts never show -0.000000."""
    return round(float(value), 6) + 0.0


def chain_readout(w1: float, v1: float, x: float) -> str:
    r = chain_rule(w1, v1, x)
    fd = "undefined (kink)" if math.isnan(r["fd"]) else f"{_z(r['fd']):.6f}"
    return "\n".join(
        [
            f"forward: u = w1*x = {_z(r['u']):.4f}, h = ReLU(u) = {_z(r['h']):.4f}, "
            f"s = v1*h = {_z(r['s']):.4f}, f = sigmoid(s) = {_z(r['f']):.6f}",
            f"  sigma'(s) = f(1-f) = {_z(r['sigma_prime']):.6f}",
            f"  ds/dh     = v1     = {_z(r['v1']):.6f}",
            f"  1[w1*x>0]          = {_z(r['indicator']):.0f}",
            f"  du/dw1    = x      = {_z(r['x']):.6f}",
            f"product (by hand)    = {_z(r['hand']):.6f}",
            f"nnlab.grad           = {_z(r['engine']):.6f}",
            f"central difference   = {fd}",
        ]
    )


def _slider(value, lo, hi, step, description):
    return W.FloatSlider(
        value=value, min=lo, max=hi, step=step, description=description,
        continuous_update=False, readout_format=".2f",
    )  # fmt: skip


def chain_explorer(w1: float = 0.5, v1: float = -2.0, x: float = 3.0) -> Explorer:
    """Sliders for w1, v1 and x; outputs: the factor readout and the chain diagram."""
    controls = {
        "w1": _slider(w1, -2.0, 2.0, 0.05, "w1"),
        "v1": _slider(v1, -3.0, 3.0, 0.05, "v1"),
        "x": _slider(x, -4.0, 4.0, 0.1, "x"),
    }

    def render(w1, v1, x):
        return [chain_readout(w1, v1, x), chain_plot.draw_chain(w1, v1, x)]

    return Explorer(controls, render)


def _distinct(expected: float, candidates: list[tuple[float, str]]) -> list[Mistake]:
    """Mistakes whose values differ from the answer and from each other (else hints collide)."""
    out: list[Mistake] = []
    seen = [expected]
    for value, hint in candidates:
        if all(not math.isclose(value, s, rel_tol=1e-3, abs_tol=1e-6) for s in seen):
            out.append(Mistake(float(value), hint))
            seen.append(value)
    return out


HINT_INDICATOR = (
    "Is the ReLU unit active? When its input is negative, ReLU is flat there, so the factor "
    "1[input > 0] is 0 and the whole gradient is 0."
)
HINT_SIGMA = "You left out the sigmoid's derivative sigma'(s) = sigma(s)(1 - sigma(s))."
HINT_SIGN = "Check the sign: one factor is negative (or you wrote y - yhat instead of yhat - y)."
HINT_X2 = "That is the handout's slip (v1 x^2): the inner derivative d(w1 x)/dw1 is x, used once."


def chain_mistakes(w1: float, v1: float, x: float) -> list[Mistake]:
    """Each hint's value is the mistaken formula evaluated at (w1, v1, x)."""
    r = chain_rule(w1, v1, x)
    s_prime, ind = r["sigma_prime"], r["indicator"]
    return _distinct(
        r["engine"],
        [
            (s_prime * v1 * x, HINT_INDICATOR),  # no 1[w1 x > 0]
            (v1 * ind * x, HINT_SIGMA),  # no sigma'(s)
            (-r["engine"], HINT_SIGN),
            (s_prime * v1 * x**2 * ind, HINT_X2),  # handout's v x^2
        ],
    )


def chain_selfcheck(w1: float, v1: float, x: float) -> SelfCheck:
    """Type df/dw1 for f = sigmoid(v1 ReLU(w1 x)) at the given values."""
    r = chain_rule(w1, v1, x)
    prompt = (
        f"For f = sigmoid(v1 ReLU(w1 x)) with w1 = {w1:g}, v1 = {v1:g}, x = {x:g}, "
        "type df/dw1 (3 significant digits are enough)."
    )
    return SelfCheck(prompt, r["engine"], chain_mistakes(w1, v1, x))


# --------------------------------------------------------------------------- 2-2-1 network

NET221_NAMES = ("w11", "w12", "w21", "w22", "v0", "v1", "v2")


def make_net221(w11, w12, w21, w22, v0, v1, v2) -> MLP:
    """The handout §1.6 network: ReLU hidden units without biases, sigmoid output.

    Our W[0][i, j] is the handout's w_ij (input i to hidden j); v0 is the output bias.
    """
    net = MLP([2, 2, 1], activation="relu", output="sigmoid", bias=[False, True])
    net.W[0] = np.array([[w11, w12], [w21, w22]], dtype=np.float64)
    net.W[1] = np.array([[v1], [v2]], dtype=np.float64)
    net.b[1] = np.array([v0], dtype=np.float64)
    return net


def net221(w11, w12, w21, w22, v0, v1, v2, x1, x2, y) -> dict:
    """yhat, dL/dv1 and dL/dw11 for BCE loss: by the hand formulas and by the engine.

    Hand formulas: dL/dv1 = (yhat - y) ReLU(w11 x1 + w21 x2) and
    dL/dw11 = (yhat - y) v1 x1 1[w11 x1 + w21 x2 > 0].
    """
    if y not in (0, 1):
        raise ValueError(f"net221: the label y must be 0 or 1, got {y!r}")
    net = make_net221(w11, w12, w21, w22, v0, v1, v2)
    X = np.array([[x1, x2]], dtype=np.float64)
    Y = np.array([float(y)])

    def loss(params):
        return binary_cross_entropy(net.apply(params, X), Y)

    g_W0, g_W1, _g_b1 = grad(loss)(net.parameters())
    z1 = w11 * x1 + w21 * x2
    z2 = w12 * x1 + w22 * x2
    yhat = float(net(X)[0, 0])
    err = yhat - y
    return {
        "z1": z1,
        "z2": z2,
        "h1": max(z1, 0.0),
        "h2": max(z2, 0.0),
        "yhat": yhat,
        "loss": float(loss(net.parameters())),
        "dv1_hand": err * max(z1, 0.0),
        "dw11_hand": err * v1 * x1 * (1.0 if z1 > 0 else 0.0),
        "dv1_engine": float(g_W1[0, 0]),
        "dw11_engine": float(g_W0[0, 0]),
        "dead1": z1 <= 0,
    }


def net221_readout(**values) -> str:
    r = net221(**values)
    state = "DEAD (input <= 0, gradient blocked)" if r["dead1"] else "active"
    return "\n".join(
        [
            f"hidden 1: w11*x1 + w21*x2 = {_z(r['z1']):.4f} -> h1 = {_z(r['h1']):.4f}  [{state}]",
            f"hidden 2: w12*x1 + w22*x2 = {_z(r['z2']):.4f} -> h2 = {_z(r['h2']):.4f}",
            f"yhat = {_z(r['yhat']):.6f},  loss = {_z(r['loss']):.6f},  yhat - y = "
            f"{_z(r['yhat'] - values['y']):.6f}",
            f"dL/dv1 : hand {_z(r['dv1_hand']):.6f}   engine {_z(r['dv1_engine']):.6f}",
            f"dL/dw11: hand {_z(r['dw11_hand']):.6f}   engine {_z(r['dw11_engine']):.6f}",
        ]
    )


NET221_DEFAULTS = dict(w11=1.0, w12=-0.5, w21=0.5, w22=1.0, v0=-0.5, v1=1.5, v2=-1.0,
                       x1=1.0, x2=2.0, y=1)  # fmt: skip


def net221_explorer(**defaults) -> Explorer:
    """Sliders for the seven weights, the input and the label; readout of hand vs engine."""
    unknown = set(defaults) - set(NET221_DEFAULTS)
    if unknown:
        raise ValueError(f"net221_explorer: unknown value(s) {sorted(unknown)}")
    v = {**NET221_DEFAULTS, **defaults}
    controls = {
        name: _slider(v[name], -3.0, 3.0, 0.1, name)
        for name in ("w11", "w12", "w21", "w22", "v0", "v1", "v2", "x1", "x2")
    }
    controls["y"] = W.IntSlider(value=int(v["y"]), min=0, max=1, step=1, description="y")

    def render(**values):
        return [net221_readout(**values)]

    return Explorer(controls, render)


def w11_mistakes(**values) -> list[Mistake]:
    r = net221(**values)
    y, v1, x1 = values["y"], values["v1"], values["x1"]
    err = r["yhat"] - y
    alive = 0.0 if r["dead1"] else 1.0
    return _distinct(
        r["dw11_engine"],
        [
            (err * v1 * x1, HINT_INDICATOR),  # forgot 1[z1 > 0]
            (
                err * r["yhat"] * (1 - r["yhat"]) * v1 * x1 * alive,
                "After the BCE + sigmoid simplification, (yhat - y) already contains sigma'; "
                "do not multiply by yhat(1 - yhat) again.",
            ),  # fmt: skip
            (-r["dw11_engine"], HINT_SIGN),
            (err * v1 * alive, "The last factor d(w11 x1 + w21 x2)/dw11 is x1; it is missing."),
        ],
    )


def w11_selfcheck(**values) -> SelfCheck:
    """Type dL/dw11 for the 2-2-1 network at the given weights, input and label."""
    r = net221(**values)
    listed = ", ".join(f"{k} = {values[k]:g}" for k in (*NET221_NAMES, "x1", "x2", "y"))
    prompt = f"For the 2-2-1 network with {listed}, type dL/dw11 (BCE loss)."
    return SelfCheck(prompt, r["dw11_engine"], w11_mistakes(**values))
