"""The permutation midpoint by hand (nnlab.course.midpoint) and the critical-point report of
nnlab.course.curvature (chapter 7)."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab.course import curvature, midpoint
from nnlab.course.grading import DEFAULT_RTOL, close, grade
from nnlab.engine.errors import NnlabValueError

CASES = [
    ([2.0, -1.0], [1.0, 1.0], [1.0, -1.0], [2.0, 1.0]),
    ([3.0, -1.0], [1.0, 2.0], [1.0, -1.0], [3.0, 2.0]),
    ([0.7, -1.3], [0.4, -2.0], [0.5, -2.0, 1.5], [0.1, 0.9, -0.4]),
]


def _engine_loss(w, v, x, y):
    """The same network as an nnlab MLP (no biases, identity output) and its MSE."""
    net = nnlab.MLP([1, 2, 1], activation="relu", output="identity", bias=False)
    net.W[0] = np.array([w], dtype=float)
    net.W[1] = np.array(v, dtype=float).reshape(2, 1)
    return float(nnlab.mse(net(np.array(x, dtype=float).reshape(-1, 1)), np.array(y)))


@pytest.mark.parametrize("w, v, x, y", CASES)
def test_losses_match_the_engine_and_the_swap_changes_nothing(w, v, x, y):
    r = midpoint.midpoint_losses(w, v, x, y)
    assert r["theta"]["loss"] == pytest.approx(_engine_loss(w, v, x, y), abs=1e-12)
    assert r["pi_theta"]["loss"] == pytest.approx(r["theta"]["loss"], abs=1e-12)
    np.testing.assert_allclose(r["pi_theta"]["yhat"], r["theta"]["yhat"])
    mid = r["mid"]
    assert mid["loss"] == pytest.approx(_engine_loss(mid["w"], mid["v"], x, y), abs=1e-12)
    assert r["gap"] == pytest.approx(mid["loss"] - r["theta"]["loss"])


def test_the_hand_example_breaks_convexity():
    r = midpoint.midpoint_losses(*CASES[0])
    assert r["theta"]["loss"] == 0.0 and r["mid"]["loss"] == pytest.approx(1.0)
    assert r["gap"] > 0


@pytest.mark.parametrize("w, v, x, y", CASES)
def test_mistakes_are_distinct_and_never_the_answer(w, v, x, y):
    answer = midpoint.midpoint_losses(w, v, x, y)["mid"]["loss"]
    mistakes = midpoint.midpoint_mistakes(w, v, x, y)
    assert mistakes
    seen = [answer]
    for m in mistakes:
        assert not any(close(m.value, s, DEFAULT_RTOL) for s in seen)
        seen.append(m.value)
        correct, message = grade(repr(m.value), answer, mistakes)
        assert not correct and m.hint in message
    assert grade(repr(answer), answer, mistakes)[0]


def test_point_report_needs_a_zero_gradient_before_naming_a_point():
    def toy(p):
        return (p[0] * p[1] - 1.0) ** 2

    saddle = curvature.point_report(toy, np.zeros(2))
    assert saddle.kind == "saddle" and saddle.grad_norm == 0.0
    np.testing.assert_allclose(saddle.hessian.eigenvalues, [-2.0, 2.0], atol=1e-8)
    curved = curvature.point_report(toy, np.array([0.5, 1.5]))  # positive-definite, not critical
    assert curved.hessian.min_eigenvalue > 0
    assert curved.kind == "not a critical point"
    assert curved.grad_norm == pytest.approx(np.hypot(0.75, 0.25))
    minimum = curvature.point_report(
        lambda p: (p[0] - 1.0) ** 2 + 2 * p[1] ** 2, np.array([1.0, 0.0])
    )
    assert minimum.kind == "minimum"


@pytest.mark.parametrize(
    "call, text",
    [
        (lambda: midpoint.midpoint_losses([1.0], [1.0, 1.0], [1.0], [1.0]), "midpoint_losses: "),
        (lambda: midpoint.midpoint_losses([1.0, 2.0], [1.0, 1.0], [1.0, 2.0], [1.0]),
         "midpoint_losses: "),
        (lambda: midpoint.predict([1.0, np.nan], [1.0, 1.0], [1.0]), "predict: "),
        (lambda: curvature.point_report(lambda p: p @ p, np.ones(2), grad_tol=0), "point_report: "),
    ],
)  # fmt: skip
def test_bad_input_names_the_function(call, text):
    with pytest.raises(NnlabValueError, match=text):
        call()
