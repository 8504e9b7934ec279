"""The broken-line ReLU construction and the error measurements of chapter 3."""

import numpy as np
import pytest

import nnlab
from nnlab.course import approximation as approx


def f(x):
    return np.sin(2 * x) + 0.3 * x**2


def test_interpolant_equals_np_interp_inside_and_constant_left():
    knots = np.array([-1.0, -0.2, 0.5, 2.0])
    values = np.array([0.3, -1.0, 2.0, 0.5])
    net = nnlab.MLP([1, 3, 1])
    net.set_parameters(approx.interpolant_parameters(knots, values))
    x = np.linspace(-1, 2, 1001)
    assert np.allclose(approx.net_on(net, x), np.interp(x, knots, values), atol=1e-12)
    left = np.linspace(-5, -1, 50)
    assert np.allclose(approx.net_on(net, left), values[0])
    # right of the last knot the net continues the last slope
    slope = (values[-1] - values[-2]) / (knots[-1] - knots[-2])
    assert approx.net_on(net, np.array([3.0]))[0] == pytest.approx(values[-1] + slope)


def test_relu_interpolant_hits_f_at_knots_and_has_k_units():
    net = approx.relu_interpolant(f, 8, -2, 2)
    assert net.sizes == [1, 8, 1]
    knots = approx.knots_for(8, -2, 2)
    assert np.allclose(approx.net_on(net, knots), f(knots), atol=1e-12)
    assert not np.any(np.signbit(net.b[0]) & (net.b[0] == 0))  # no negative zeros


def test_sup_error_shrinks_like_k_to_minus_two():
    conv = approx.convergence(f, [4, 8, 16, 32, 64], -2, 2)
    assert np.all(np.diff(conv.errors) < 0)
    assert -2.2 < conv.rate < -1.8
    h = 4 / conv.Ks
    bound = h**2 / 8 * 4.6  # max |f''| <= 4 + 0.6
    assert np.all(conv.errors <= bound)
    assert [r[1] for r in conv.rows()] == [3 * k + 1 for k in conv.Ks]


def test_fit_rate_recovers_a_power_law():
    Ks = np.array([2, 4, 8, 16])
    p, C = approx.fit_rate(Ks, 3.0 * Ks**-1.5)
    assert p == pytest.approx(-1.5)
    assert C == pytest.approx(3.0)


def test_hat_parameters():
    net = nnlab.MLP([1, 3, 1])
    net.set_parameters(approx.hat_parameters(1.0, 0.5))
    x = np.linspace(-1, 3, 801)
    assert np.allclose(approx.net_on(net, x), np.maximum(0, 1 - np.abs(x - 1.0) / 0.5))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: approx.interpolant_parameters([0, 0, 1], [1, 2, 3]), "strictly increasing"),
        (lambda: approx.interpolant_parameters([0, 1], [1, 2, 3]), "values must match"),
        (lambda: approx.interpolant_parameters([0], [1]), "at least 2"),
        (lambda: approx.relu_interpolant(f, 0, 0, 1), "positive integer"),
        (lambda: approx.relu_interpolant(f, 4, 1, 0), "a < b"),
        (lambda: approx.relu_interpolant(f, 4, 0, np.inf), "finite"),
        (lambda: approx.relu_interpolant(lambda x: 1.0, 4, 0, 1), "same shape"),
        (lambda: approx.fit_rate([1, 2], [0.0, 1.0]), "positive"),
        (lambda: approx.hat_parameters(0, 0), "half_width"),
        (lambda: approx.net_on(nnlab.MLP([2, 3, 1]), np.zeros(3)), "1 input"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
