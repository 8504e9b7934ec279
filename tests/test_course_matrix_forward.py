"""Tests for nnlab.course.matrix_forward: a forward pass by hand and its usual slips."""

import numpy as np
import pytest

import nnlab
from nnlab.course import matrix_forward as mf
from nnlab.course.grading import DEFAULT_RTOL, close, grade

W = [np.array([[1.0, -1.0, 0.5], [2.0, 1.0, -1.0]]), np.array([[1.0], [-2.0], [0.5]])]
B = [np.array([0.0, 0.5, -1.0]), np.array([0.25])]
X = np.array([1.0, 1.0])


def test_hand_steps_match_the_formula_and_the_engine():
    r = mf.forward_by_hand(W, B, X)
    z0 = X @ W[0] + B[0]
    np.testing.assert_allclose(r["z"][0], z0)
    np.testing.assert_allclose(r["a"][1], np.maximum(z0, 0))
    logit = np.maximum(z0, 0) @ W[1][:, 0] + B[1][0]
    assert r["y_hat"] == pytest.approx(1 / (1 + np.exp(-logit)), rel=1e-14)
    assert r["engine"] == pytest.approx(r["y_hat"], rel=1e-12)
    net = nnlab.MLP([2, 3, 1], output="sigmoid")
    net.set_parameters([W[0], B[0], W[1], B[1]])
    assert r["engine"] == pytest.approx(float(net(X[None])[0, 0]), rel=1e-14)


def test_text_has_every_layer_and_agreement():
    text = mf.forward_table_text(mf.forward_by_hand(W, B, X))
    for piece in ("a_0 = x", "z_0 = a_0 W_0 + b_0", "a_1 = phi(z_0)", "z_1", "y_hat", "agree: yes"):
        assert piece in text


def test_mistakes_are_distinct_and_graded_as_such():
    r = mf.forward_by_hand(W, B, X)
    mistakes = mf.forward_mistakes(W, B, X)
    assert len(mistakes) == 4
    values = [r["y_hat"]] + [m.value for m in mistakes]
    for i, u in enumerate(values):
        for v in values[i + 1 :]:
            assert not close(u, v, DEFAULT_RTOL)
    for m in mistakes:
        ok, message = grade(m.value, r["y_hat"], mistakes)
        assert not ok and m.hint in message
    assert grade(f"{r['y_hat']:.4f}", r["y_hat"], mistakes)[0]


def test_bias_outside_sigmoid_mistake_is_eq3_literal():
    mistakes = mf.forward_mistakes(W, B, X)
    r = mf.forward_by_hand(W, B, X)
    outside = 1 / (1 + np.exp(-(r["z"][1][0] - B[1][0]))) + B[1][0]
    assert any(m.value == pytest.approx(outside) and "eq. (3)" in m.hint for m in mistakes)


def test_no_hidden_bias_means_no_bias_mistake():
    mistakes = mf.forward_mistakes(W, [None, B[1]], X)
    assert not any("b_0" in m.hint for m in mistakes)


@pytest.mark.parametrize(
    "args, match",
    [
        (([W[0]], B, X), "one bias entry"),
        (([W[1], W[0]], B, X), r"W\[0\] must have shape"),
        ((W, [np.zeros(2), B[1]], X), r"b\[0\] must have shape"),
        (([W[0], np.ones((3, 2))], [B[0], np.zeros(2)], X), "one output"),
    ],
)
def test_bad_shapes_name_the_function(args, match):
    with pytest.raises(ValueError, match="forward_by_hand: .*" + match):
        mf.forward_by_hand(*args)


def test_bad_activation_names():
    with pytest.raises(ValueError, match="forward_mistakes: hidden"):
        mf.forward_mistakes(W, B, X, hidden="cos")
    with pytest.raises(ValueError, match="forward_by_hand: output"):
        mf.forward_by_hand(W, B, X, output="softmax")
