"""Backpropagation by hand (nnlab.course.chain_example, nnlab.course.section16) and the
explorers and self-checks of nnlab.widgets.backprop agree with the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.figure import Figure

import nnlab
from nnlab.course import chain_example as ce
from nnlab.course import section16 as s16
from nnlab.engine.gradcheck import numerical_grad
from nnlab.plots import chain as chain_plot
from nnlab.plots.live import FigureSnapshot
from nnlab.widgets import backprop as wb

# nnlab.widgets.core.SelfCheck uses Text.on_submit, deprecated in ipywidgets 8 (reported).
pytestmark = pytest.mark.filterwarnings("ignore:on_submit is deprecated:DeprecationWarning")


def engine_df_dw1(w1, v1, x):
    return float(nnlab.grad(lambda w: nnlab.sigmoid(v1 * nnlab.relu(w * x)))(np.array(w1)))


def test_chain_rule_handout_numbers():
    r = ce.chain_rule(0.5, -2.0, 3.0)
    assert round(r["fd"], 6) == -0.271060
    assert round(r["hand"], 6) == -0.271060
    assert round(r["engine"], 6) == -0.271060
    assert round(r["handout"], 6) == -0.813180
    s = 1 / (1 + math.exp(3.0))
    assert r["sigma_prime"] == pytest.approx(s * (1 - s))
    assert (r["v1"], r["indicator"], r["x"]) == (-2.0, 1.0, 3.0)


@pytest.mark.parametrize("w1,v1,x", [(0.5, -2.0, 3.0), (-0.7, 1.3, 2.0), (1.2, 0.4, -1.5)])
def test_chain_factors_multiply_to_engine_gradient(w1, v1, x):
    r = ce.chain_rule(w1, v1, x)
    assert r["hand"] == pytest.approx(engine_df_dw1(w1, v1, x), abs=1e-12)
    fd = float(numerical_grad(lambda w: ce.chain_f(w, v1, x), np.array(w1)))
    assert r["fd"] == pytest.approx(fd, abs=1e-9)
    assert r["indicator"] == (1.0 if w1 * x > 0 else 0.0)


def test_chain_at_kink_uses_subgradient_zero():
    r = ce.chain_rule(0.0, 1.0, 2.0)
    assert r["engine"] == 0.0 and r["hand"] == 0.0 and math.isnan(r["fd"])
    assert "undefined (kink)" in ce.chain_readout(0.0, 1.0, 2.0)


def test_chain_explorer_readout_follows_sliders():
    ex = wb.chain_explorer()
    text, fig = ex.outputs
    assert "nnlab.grad           = -0.271060" in text and isinstance(fig, Figure)
    text, fig = ex.set(w1=-1.0)
    assert "1[w1*x>0]          = 0" in text
    assert "product (by hand)    = 0.000000" in text  # no "-0.000000"
    ex.set(w1=0.8, v1=1.5, x=-2.0)  # w1 x < 0: dead
    assert engine_df_dw1(0.8, 1.5, -2.0) == 0.0
    assert "nnlab.grad           = 0.000000" in ex.outputs[0]
    ex.set(w1=-0.8)
    expected = engine_df_dw1(-0.8, 1.5, -2.0)
    assert expected != 0.0
    assert f"nnlab.grad           = {expected:.6f}" in ex.outputs[0]
    assert isinstance(ex.outputs[1], FigureSnapshot) and ex.outputs[1].n_axes == 1


def test_draw_chain_labels_show_values():
    fig = chain_plot.draw_chain(0.5, -2.0, 3.0)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "1.500" in texts and "-3.000" in texts and "0.0474" in texts
    assert any("-0.271060" in t for t in texts)
    with pytest.raises(ValueError, match="x must be a finite number"):
        ce.chain_values(0.5, -2.0, float("nan"))


def test_chain_selfcheck_grades_answer_and_hints():
    w1, v1, x = 0.4, 1.5, 2.0
    check = wb.chain_selfcheck(w1, v1, x)
    answer = engine_df_dw1(w1, v1, x)
    assert check.check(f"{answer:.4f}")[0]
    r = ce.chain_rule(w1, v1, x)
    s1 = r["sigma_prime"]
    cases = {
        v1 * x: ce.HINT_SIGMA,  # no sigmoid derivative
        -answer: ce.HINT_SIGN,
        s1 * v1 * x**2: ce.HINT_X2,  # the handout's slip
    }
    for value, hint in cases.items():
        correct, message = check.check(value)
        assert not correct and hint in message
    # on a dead unit, forgetting the indicator is the mistake to catch
    dead = wb.chain_selfcheck(-0.4, 1.5, 2.0)
    assert dead.check("0")[0]
    r = ce.chain_rule(-0.4, 1.5, 2.0)
    correct, message = dead.check(r["sigma_prime"] * 1.5 * 2.0)
    assert not correct and ce.HINT_INDICATOR in message


VALUES = dict(s16.GRADIENT_DEFAULTS)


def engine_221(values):
    net = nnlab.MLP([2, 2, 1], activation="relu", output="sigmoid", bias=[False, True])
    net.W[0] = np.array([[values["w11"], values["w12"]], [values["w21"], values["w22"]]])
    net.W[1] = np.array([[values["v1"]], [values["v2"]]])
    net.b[1] = np.array([values["v0"]])
    X = np.array([[values["x1"], values["x2"]]])
    y = np.array([float(values["y"])])
    gW0, gW1, gb1 = nnlab.grad(lambda p: nnlab.binary_cross_entropy(net.apply(p, X), y))(
        net.parameters()
    )
    return float(net(X)[0, 0]), float(gW1[0, 0]), float(gW0[0, 0])


@pytest.mark.parametrize(
    "changes", [{}, {"w11": -1.5}, {"y": 0, "x2": -1.0}, {"v1": -2.0, "x1": 2.5, "w21": -0.2}]
)
def test_net221_hand_formulas_equal_engine(changes):
    values = {**VALUES, **changes}
    r = s16.gradients(**values)
    yhat, dv1, dw11 = engine_221(values)
    assert r["yhat"] == pytest.approx(yhat)
    assert r["dv1_hand"] == pytest.approx(dv1, abs=1e-12)
    assert r["dw11_hand"] == pytest.approx(dw11, abs=1e-12)
    assert r["dv1_engine"] == pytest.approx(dv1) and r["dw11_engine"] == pytest.approx(dw11)
    z1 = values["w11"] * values["x1"] + values["w21"] * values["x2"]
    assert r["dead1"] == (z1 <= 0)


def test_net221_explorer_readout_follows_sliders():
    ex = wb.gradient_explorer()
    yhat, dv1, dw11 = engine_221(VALUES)
    text = ex.outputs[0]
    assert f"yhat = {yhat:.6f}" in text and f"engine {dw11:.6f}" in text and "[active]" in text
    ex.set(w11=-1.5)
    text = ex.outputs[0]
    assert "DEAD" in text and "dL/dw11: hand 0.000000   engine 0.000000" in text
    ex.set(w11=2.0, y=0, x1=-0.5)
    yhat, dv1, dw11 = engine_221({**VALUES, "w11": 2.0, "y": 0, "x1": -0.5})
    text = ex.outputs[0]
    assert f"dL/dv1 : hand {dv1:.6f}   engine {dv1:.6f}" in text
    assert f"dL/dw11: hand {dw11:.6f}   engine {dw11:.6f}" in text
    with pytest.raises(ValueError, match="unknown"):
        ex.set(w33=1.0)
    with pytest.raises(ValueError, match="unknown value"):
        wb.gradient_explorer(w99=1.0)
    with pytest.raises(ValueError, match="label y"):
        s16.gradients(**{**VALUES, "y": 2})


def test_w11_selfcheck_dead_unit_hint():
    values = dict(w11=-1.0, w12=0.5, w21=0.5, w22=1.0, v0=0.2, v1=2.0, v2=-1.0, x1=2.0, x2=1.0, y=0)
    check = wb.w11_selfcheck(**values)
    assert check.expected == 0.0 and check.check("0")[0]
    yhat, _, _ = engine_221(values)
    forgot_indicator = (yhat - 0) * 2.0 * 2.0
    correct, message = check.check(forgot_indicator)
    assert not correct and ce.HINT_INDICATOR in message


def test_w11_selfcheck_active_unit_hints():
    values = dict(
        w11=0.5, w12=-1.0, w21=1.0, w22=0.5, v0=-0.3, v1=-1.5, v2=0.8, x1=1.0, x2=1.0, y=1
    )
    check = wb.w11_selfcheck(**values)
    yhat, _, dw11 = engine_221(values)
    assert check.check(round(dw11, 5))[0]
    err = yhat - 1
    correct, message = check.check(-dw11)
    assert not correct and ce.HINT_SIGN in message
    correct, message = check.check(err * yhat * (1 - yhat) * -1.5 * 1.0)
    assert not correct and "yhat(1 - yhat)" in message
    correct, message = check.check(12345.0)
    assert not correct and "Recompute" in message
