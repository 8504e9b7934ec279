"""The XOR explorer and self-check: pure logic checked against the engine."""

import itertools

import numpy as np
import pytest

import nnlab
from nnlab.course import xor
from nnlab.widgets import xor as wx


def engine_probs(W, b, v, c):
    net = nnlab.MLP([2, 2, 1], "relu", output="sigmoid")
    net.W[0], net.b[0] = np.array(W, float), np.array(b, float)
    net.W[1], net.b[1] = np.array(v, float)[:, None], np.array([c], float)
    return net(xor.XOR_X)[:, 0]


def test_handout_solution_in_our_convention():
    s = xor.xor_forward(xor.HANDOUT_W)
    np.testing.assert_array_equal(s.z, [[2, -2], [0, 0], [0, 0], [-2, 2]])
    np.testing.assert_array_equal(s.h, [[2, 0], [0, 0], [0, 0], [0, 2]])
    np.testing.assert_array_equal(s.logits, [1, -1, -1, 1])
    np.testing.assert_allclose(s.probs, [0.731059, 0.268941, 0.268941, 0.731059], atol=1e-6)
    np.testing.assert_allclose(s.probs, engine_probs(xor.HANDOUT_W, [0, 0], [1, 1], -1))
    assert s.accuracy == 1.0 and s.separable


def test_linear_separator_is_exact_on_small_sets():
    assert xor.linear_separator(xor.XOR_X, xor.XOR_Y) is None
    normal, t = xor.linear_separator(xor.xor_forward(xor.HANDOUT_W).h, xor.XOR_Y)
    h = xor.xor_forward(xor.HANDOUT_W).h
    np.testing.assert_array_equal((h @ normal > t).astype(int), xor.XOR_Y)
    # compare with a brute-force search over many lines on random labelled point sets
    rng = np.random.default_rng(0)
    angles = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
    for _ in range(30):
        P = rng.integers(-2, 3, (5, 2)).astype(float)
        y = rng.integers(0, 2, 5)
        found = xor.linear_separator(P, y)
        brute = False
        for a in angles:
            n = np.array([np.cos(a), np.sin(a)])
            proj = P @ n
            if (y == 0).all() or (y == 1).all() or proj[y == 0].max() < proj[y == 1].min() - 1e-9:
                brute = True
                break
        if found is not None:
            normal, t = found
            assert np.all((P @ normal > t).astype(int) == y)
        assert (found is not None) == brute


def test_explorer_readout_follows_the_sliders():
    ex = wx.xor_explorer()
    fig, text = ex.outputs
    assert "0.731059" in text and "network accuracy: 4/4" in text
    assert "linearly separable: yes" in text
    assert len(fig.axes) == 3
    # W = identity keeps an XOR pattern in hidden space
    out = ex.set(w11=1.0, w12=0.0, w21=0.0, w22=1.0)
    assert "linearly separable: no" in out[1]
    # the other solution of the exercise
    out = ex.set(w11=1.0, w12=-1.0, w21=-1.0, w22=1.0, v1=-1.0, v2=-1.0, c=1.0)
    assert "network accuracy: 4/4" in out[1]
    probs = engine_probs([[1, -1], [-1, 1]], [0, 0], [-1, -1], 1)
    for p in probs:
        assert f"{p:.6f}" in out[1]
    # a bias moves the points off the origin; the readout shows the engine's numbers
    out = ex.set(b1=0.5)
    probs = engine_probs([[1, -1], [-1, 1]], [0.5, 0], [-1, -1], 1)
    for p in probs:
        assert f"{p:.6f}" in out[1]
    with pytest.raises(ValueError, match="unknown control"):
        ex.set(w33=1.0)


def test_selfcheck_grades_and_hints():
    W = [[1.0, 2.0], [3.0, -1.0]]
    check = wx.xor_selfcheck(W, [0, 0], [1, 1], -1, point=2)
    expected = engine_probs(W, [0, 0], [1, 1], -1)[1]
    assert check.expected == pytest.approx(expected)
    assert check.check(f"{expected:.6f}")[0]
    ok, msg = check.check("2")
    assert not ok and "logit" in msg
    ok, msg = check.check("0.5")
    assert not ok and "ReLU" in msg
    ok, msg = check.check(f"{1 / (1 + np.exp(-3)):.6f}")
    assert not ok and "transposed" in msg


def test_selfcheck_drops_hints_that_coincide():
    check = wx.xor_selfcheck(xor.HANDOUT_W, [0, 0], [1, 1], -1, point=1)
    values = [m.value for m in check.mistakes]
    assert all(abs(a - b) > 1e-6 for a, b in itertools.combinations(values + [check.expected], 2))
    ok, msg = check.check("1")
    assert not ok and "logit" in msg
    with pytest.raises(ValueError, match="point must be"):
        wx.xor_selfcheck(xor.HANDOUT_W, [0, 0], [1, 1], -1, point=5)


def test_bad_weights_are_named():
    with pytest.raises(ValueError, match=r"W must have shape \(2, 2\)"):
        xor.xor_forward(np.eye(3))
