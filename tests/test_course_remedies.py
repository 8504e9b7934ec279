"""Chapter 12's measured remedies (nnlab.course.remedies): each against a formula or the engine."""

import math

import numpy as np
import pytest

import nnlab
from nnlab.course import remedies as rem
from nnlab.course.grading import DEFAULT_RTOL, close, grade
from nnlab.engine.errors import NnlabTypeError, NnlabValueError
from nnlab.nn import backprop, optim


# --- rates on a quadratic ------------------------------------------------------------------
def test_best_parameters_match_the_closed_forms():
    lr, rate = rem.gd_best(9.0)
    assert lr == pytest.approx(0.2) and rate == pytest.approx(0.8)
    lr, mu, rate = rem.heavy_ball_best(9.0)
    assert rate == pytest.approx(0.5) and mu == pytest.approx(0.25) and lr == pytest.approx(0.25)


def test_gd_measured_rate_is_exactly_the_formula_and_momentum_approaches_its_own():
    rows = rem.momentum_rates([10.0, 100.0])
    for row in rows:
        assert row["gd_measured"] == pytest.approx(row["gd_formula"], rel=1e-9)
        # k * r^k: a finite run sits slightly above r, by about 2^(2/steps)
        assert row["hb_formula"] < row["hb_measured"] < row["hb_formula"] * 2 ** (3 / row["steps"])
        assert row["hb_measured"] < row["gd_measured"]


def test_measured_rate_of_a_geometric_sequence():
    assert rem.measured_rate(0.5 ** np.arange(11)) == pytest.approx(0.5)
    with pytest.raises(NnlabValueError, match="^measured_rate:"):
        rem.measured_rate([1.0, 0.0, 0.0])


@pytest.mark.parametrize("bad", [0.5, 0, -2.0, float("nan"), True])
def test_kappa_below_one_is_an_error(bad):
    with pytest.raises(NnlabValueError, match="^heavy_ball_best: kappa"):
        rem.heavy_ball_best(bad)


# --- noise floor -----------------------------------------------------------------------------
def test_least_squares_optimum_has_zero_gradient_and_full_batch_gd_reaches_it():
    X, y, w_star, loss_star = rem.least_squares_problem(n=64, d=3, seed=2)
    g = nnlab.grad(lambda w: rem.linear_mse(w, X, y))(w_star)
    assert np.linalg.norm(g) < 1e-10
    run = optim.train(rem.linear_mse, np.zeros(3), lr=0.1, steps=500, data=(X, y),
                      record_params=True)  # fmt: skip
    excess = rem.excess_losses(run, X, y, loss_star)
    assert excess[0] > 0.1 and abs(excess[-1]) < 1e-10 and np.all(excess > -1e-12)


def test_constant_rate_sgd_stalls_and_a_decayed_rate_goes_lower():
    problem = rem.least_squares_problem(n=128, d=4, seed=0)
    curves = rem.noise_floor_runs(
        {"constant": 0.05, "step": optim.step_decay(0.05, 0.5, 250)}, 2000, 8, problem
    )
    previous, last = rem.window_means(curves["constant"], 500)
    assert last > 1e-4 and abs(last - previous) < 0.3 * last  # a floor, not a descent
    assert rem.window_means(curves["step"], 500)[1] < 0.05 * last


def test_window_means_and_excess_losses_check_their_input():
    assert list(rem.window_means([1, 1, 3, 3], 2)) == [1.0, 3.0]
    with pytest.raises(NnlabValueError, match="^window_means:"):
        rem.window_means([1.0, 2.0], 2)
    run = optim.train(lambda w: (w * w).sum(), np.ones(2), steps=2)
    with pytest.raises(NnlabValueError, match="^excess_losses: train with record_params"):
        rem.excess_losses(run, np.ones((3, 2)), np.ones(3), 0.0)


# --- critical points along a run ----------------------------------------------------------------
def test_track_run_on_a_quadratic_reaches_a_minimum():
    f = lambda p: 0.5 * (p[0] ** 2 + 4 * p[1] ** 2)  # noqa: E731
    rows = rem.track_run(f, np.array([1.0, 1.0]), [10, 200], lr=0.2)
    assert [r["steps"] for r in rows] == [10, 200]
    assert rows[-1]["grad_norm"] < 1e-12 and rows[-1]["weight_norm"] < 1e-12
    assert rows[-1]["eig_min"] == pytest.approx(1.0, rel=1e-5)
    assert rows[-1]["eig_max"] == pytest.approx(4.0, rel=1e-5)
    # the same as one run of 200 steps
    one = optim.train(f, np.array([1.0, 1.0]), lr=0.2, steps=200)
    assert rows[-1]["loss"] == pytest.approx(one.final_loss, abs=1e-300)
    with pytest.raises(NnlabValueError, match="^track_run: checkpoints"):
        rem.track_run(f, np.ones(2), [10, 5])


# --- signal scales -----------------------------------------------------------------------------
def test_signal_scales_deltas_match_backprop():
    net = nnlab.MLP([3, 5, 4, 1], activation="tanh", output="identity", seed=0)
    params = rem.set_gaussian_weights(net, lambda n: 0.7, seed=3)
    for x in np.random.default_rng(0).standard_normal((3, 1, 3)):
        forward, backward = rem.signal_scales(net, x, params)
        cache = backprop.forward(net, x, params)
        # with one example and delta_out = 1, dL/db_l is delta_l itself
        grads = backprop.backward(net, cache, np.ones((1, 1)), params)
        bias_grads = grads[1::2]
        assert forward.shape == (2,) and backward.shape == (3,)
        assert forward[1] == pytest.approx(np.sqrt(np.mean(cache.a[2] ** 2)))
        for layer in range(3):
            assert backward[layer] == pytest.approx(np.sqrt(np.mean(bias_grads[layer] ** 2)))


def test_he_init_keeps_relu_activations_at_scale_and_a_small_one_shrinks_them_as_predicted():
    net = nnlab.MLP([50] + [50] * 6 + [1], activation="relu", seed=0)
    X = np.random.default_rng(0).standard_normal((400, 50))
    he, _ = rem.signal_scales(net, X, rem.set_gaussian_weights(net, lambda n: (2 / n) ** 0.5))
    assert np.all((he > 0.6) & (he < 1.5))
    small, back = rem.signal_scales(net, X, rem.set_gaussian_weights(net, lambda n: 0.1))
    per_layer = math.sqrt(50 * 0.01 / 2)  # 0.5
    ratios = small[1:] / small[:-1]
    assert np.allclose(ratios, per_layer, rtol=0.25)
    # backwards the same factor per layer: five hidden-to-hidden layers between delta_0 and delta_5
    assert 0.5 * per_layer**5 < back[0] / back[-2] < 2 * per_layer**5


def test_set_gaussian_weights_needs_an_mlp():
    with pytest.raises(NnlabTypeError, match="^set_gaussian_weights:"):
        rem.set_gaussian_weights([np.ones(2)], lambda n: 1.0)
    with pytest.raises(NnlabTypeError, match="^signal_scales:"):
        rem.signal_scales(None, np.ones((2, 2)))


# --- self-check values -------------------------------------------------------------------------
def test_momentum_steps_match_optim_momentum():
    rows = rem.momentum_steps(2.0, 1.0, 0.1, 0.5, 3)
    run = optim.train(lambda w: (w * w).sum(), np.array([1.0]), "momentum", lr=0.1, mu=0.5,
                      steps=3, record_params=True)  # fmt: skip
    assert [r["w"] for r in rows] == pytest.approx([float(p[0]) for p in run.trajectory[1:]])
    assert rows[1]["w"] == pytest.approx(0.54)


def test_momentum_mistakes_are_distinct_and_wrong():
    expected = rem.momentum_steps(2.0, 1.0, 0.1, 0.5, 2)[-1]["w"]
    mistakes = rem.momentum_mistakes(2.0, 1.0, 0.1, 0.5)
    values = [expected] + [m.value for m in mistakes]
    assert len(mistakes) >= 3
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            assert not close(a, b, DEFAULT_RTOL)
    assert grade(mistakes[0].value, expected, mistakes)[1].startswith("Not quite. That is plain")


def test_clip_step_and_its_mistakes():
    out = rem.clip_step([3.0, -4.0, 12.0], 6.5, 0.1)
    assert out["norm"] == pytest.approx(13.0)
    assert out["step"] == pytest.approx([-0.15, 0.2, -0.6])
    mistakes = rem.clip_mistakes([3.0, -4.0, 12.0], 6.5, 0.1, 2)
    assert len(mistakes) == 4 and all(not close(m.value, -0.6) for m in mistakes)
    assert grade("-0.6", -0.6, mistakes)[0]


def test_tuned_runs_picks_the_lowest_final_loss_and_skips_diverged_rates():
    f = lambda w: (w * w).sum()  # noqa: E731  threshold lr < 1
    out = rem.tuned_runs(f, np.array([1.0]), {"gd": [0.1, 0.4, 3.0]}, steps=5)
    best_lr, run, finals = out["gd"]
    assert best_lr == 0.4 and run.final_loss == pytest.approx(0.2**10)
    assert math.isnan(finals[3.0]) and finals[0.1] == pytest.approx(0.8**10)
    with pytest.raises(NnlabValueError, match="^tuned_runs: every learning rate"):
        rem.tuned_runs(f, np.array([1.0]), {"gd": [1.5]}, steps=50)
