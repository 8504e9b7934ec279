"""The handout's chain-rule example (§1.5.2): f = sigmoid(v1 ReLU(w1 x)), derived by hand.

The chain w1 -> u = w1 x -> h = ReLU(u) -> s = v1 h -> f = sigmoid(s). `chain_values` gives
each forward value and local derivative, `chain_rule` their product beside the engine's
gradient and a central difference, `chain_readout` the same as text, and `chain_mistakes`
the usual wrong answers with their hints (for a self-check).
"""

from __future__ import annotations

import math

import numpy as np

from ..engine import ops
from ..engine.autodiff import grad
from ..engine.errors import NnlabValueError
from ..engine.gradcheck import numerical_grad
from .grading import Mistake, distinct_mistakes

__all__ = [
    "HINT_INDICATOR",
    "HINT_SIGMA",
    "HINT_SIGN",
    "HINT_X2",
    "chain_f",
    "chain_mistakes",
    "chain_readout",
    "chain_rule",
    "chain_values",
    "rounded",
]

HINT_INDICATOR = (
    "Is the ReLU unit active? When its input is negative, ReLU is flat there, so the factor "
    "1[input > 0] is 0 and the whole gradient is 0."
)
HINT_SIGMA = "You left out the sigmoid's derivative sigma'(s) = sigma(s)(1 - sigma(s))."
HINT_SIGN = "Check the sign: one factor is negative (or you wrote y - yhat instead of yhat - y)."
HINT_X2 = "That is the handout's slip (v1 x^2): the inner derivative d(w1 x)/dw1 is x, used once."


def chain_f(w1, v1, x):
    """f = sigmoid(v1 ReLU(w1 x)) with the engine's ops (Tensors or arrays)."""
    return ops.sigmoid(v1 * ops.relu(w1 * x))


def chain_values(w1: float, v1: float, x: float) -> dict:
    """Forward values and local derivatives of the chain (plain floats).

    At ``u = w1 x = 0`` ReLU has no derivative; the subgradient 0 is used, as the engine does.
    """
    for name, value in (("w1", w1), ("v1", v1), ("x", x)):
        if not (isinstance(value, int | float) and math.isfinite(value)):
            raise NnlabValueError(f"chain_values: {name} must be a finite number, got {value!r}")
    u = w1 * x + 0.0  # + 0.0 turns a signed zero into 0.0, so labels never show -0.000
    h = max(u, 0.0)
    s = v1 * h + 0.0
    f = float(ops.sigmoid(np.float64(s)))
    factors = {"du/dw1": x, "dh/du": 1.0 if u > 0 else 0.0, "ds/dh": v1, "df/ds": f * (1 - f)}
    product = factors["df/ds"] * factors["ds/dh"] * factors["dh/du"] * factors["du/dw1"] + 0.0
    return {"u": u, "h": h, "s": s, "f": f, "factors": factors, "product": product}


def chain_rule(w1: float, v1: float, x: float) -> dict:
    """Every factor of df/dw1, the hand product, the engine's gradient and a central difference.

    Keys: ``u, h, s, f`` (forward values), ``sigma_prime, v1, indicator, x`` (the four factors),
    ``hand`` (their product), ``engine`` (``nnlab.grad``), ``fd`` (central difference, or nan
    within 1e-6 of the kink where it is meaningless) and ``handout`` (the printed formula
    sigma'(s) v1 x**2 with its ReLU case).
    """
    vals = chain_values(float(w1), float(v1), float(x))
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


def rounded(value: float) -> float:
    """Round to 6 decimals and drop the sign of zero, so readouts never show -0.000000."""
    return round(float(value), 6) + 0.0


def chain_readout(w1: float, v1: float, x: float) -> str:
    """`chain_rule` as fixed-precision text, one factor per line."""
    r = chain_rule(w1, v1, x)
    fd = "undefined (kink)" if math.isnan(r["fd"]) else f"{rounded(r['fd']):.6f}"
    return "\n".join(
        [
            f"forward: u = w1*x = {rounded(r['u']):.4f}, h = ReLU(u) = {rounded(r['h']):.4f}, "
            f"s = v1*h = {rounded(r['s']):.4f}, f = sigmoid(s) = {rounded(r['f']):.6f}",
            f"  sigma'(s) = f(1-f) = {rounded(r['sigma_prime']):.6f}",
            f"  ds/dh     = v1     = {rounded(r['v1']):.6f}",
            f"  1[w1*x>0]          = {rounded(r['indicator']):.0f}",
            f"  du/dw1    = x      = {rounded(r['x']):.6f}",
            f"product (by hand)    = {rounded(r['hand']):.6f}",
            f"nnlab.grad           = {rounded(r['engine']):.6f}",
            f"central difference   = {fd}",
        ]
    )


def chain_mistakes(w1: float, v1: float, x: float) -> list[Mistake]:
    """The usual wrong df/dw1: each hint's value is the mistaken formula at (w1, v1, x)."""
    r = chain_rule(w1, v1, x)
    s_prime, ind = r["sigma_prime"], r["indicator"]
    return distinct_mistakes(
        r["engine"],
        [
            (s_prime * v1 * x, HINT_INDICATOR),  # no 1[w1 x > 0]
            (v1 * ind * x, HINT_SIGMA),  # no sigma'(s)
            (-r["engine"], HINT_SIGN),
            (s_prime * v1 * x**2 * ind, HINT_X2),  # handout's v x^2
        ],
    )
