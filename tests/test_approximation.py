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


def test_trained_runs_report_convergence_and_dead_units():
    runs = approx.trained_runs(f, 4, -2, 2, seeds=[0, 1], steps=300, check=100)
    assert [r.seed for r in runs] == [0, 1]
    for r in runs:
        assert r.net.sizes == [1, 4, 1]
        assert np.isfinite(r.final_loss) and np.isfinite(r.loss_at_check) and r.grad_norm >= 0
        assert 0 <= r.dead_units <= 4 and 0 <= r.kinks_inside <= 4
        assert r.sup_error == pytest.approx(approx.sup_error(r.net, f, -2, 2))
        x = np.linspace(-2, 2, 2001)[:, None]
        dead = np.all(np.maximum(x @ r.net.W[0] + r.net.b[0], 0) == 0, axis=0).sum()
        assert r.dead_units == dead
    with pytest.raises(ValueError, match="trained_runs: need integers"):
        approx.trained_runs(f, 4, -2, 2, seeds=[0], steps=100, check=100)


def test_output_weight_check_answer_and_mistakes():
    knots, values = np.array([-1.0, 0.0, 1.0, 2.0]), np.array([-1.0, 0.0, 1.0, 8.0])
    expected, mistakes = approx.output_weight_check(knots, values, 2)
    assert expected == pytest.approx(6.0)  # slopes 1, 1, 7: c_2 = 7 - 1
    values_of = sorted(m.value for m in mistakes)
    assert values_of == pytest.approx([-6.0, 1.0, 7.0])
    with pytest.raises(ValueError, match="output_weight_check: k must be"):
        approx.output_weight_check(knots, values, 0)
