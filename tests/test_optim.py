"""Tests for nnlab.optim: update rules against hand formulas, schedules, the train loop."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlab
from nnlab.engine.errors import DivergenceError, ShapeError
from nnlab.nn import optim


def square(p):
    """L(w) = w^2 for a one-element parameter list; dL/dw = 2w."""
    return (p[0] * p[0]).sum()


def gd_on_square(eta, steps, w0=1.0, **kwargs):
    return optim.train(square, [np.array([w0])], lr=eta, steps=steps, record_params=True, **kwargs)


def path(history):
    """The trajectory of a one-parameter run as a 2-D array (points x entries)."""
    return np.array([p[0] for p in history.trajectory])


# --- gradient descent on L = w^2 ----------------------------------------------------------
def test_gd_on_square_is_exactly_geometric_for_a_dyadic_step():
    # eta = 0.25: w <- w - 0.25 * 2w = w / 2, exact in binary floating point.
    h = gd_on_square(0.25, steps=30, w0=3.0)
    assert [p[0][0] for p in h.trajectory] == [3.0 * 0.5**k for k in range(31)]
    assert h.losses == [(3.0 * 0.5**k) ** 2 for k in range(30)]


@settings(max_examples=30, deadline=None)
@given(eta=st.floats(0.01, 0.99), w0=st.floats(-10, 10))
def test_gd_on_square_multiplies_w_by_one_minus_two_eta(eta, w0):
    h = gd_on_square(eta, steps=12, w0=w0)
    k = np.arange(13)
    np.testing.assert_allclose(path(h)[:, 0], (1 - 2 * eta) ** k * w0, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("eta", [0.001, 1.1])
def test_gd_loss_after_19_updates_matches_closed_form(eta):
    h = gd_on_square(eta, steps=19)
    k = np.arange(19)
    np.testing.assert_allclose(h.losses, (1 - 2 * eta) ** (2 * k), rtol=1e-12)
    assert h.final_loss == pytest.approx((1 - 2 * eta) ** 38, rel=1e-12)
    assert not h.diverged
    assert h.message == "ran 19 steps"
    assert h.steps_run == 19 and len(h.grad_norms) == 19 and h.lrs == [eta] * 19


def test_gd_on_square_converges_below_eta_1_and_diverges_above():
    below = gd_on_square(0.999, steps=4000)
    above = gd_on_square(1.001, steps=4000)
    assert not below.diverged and below.final_loss < 1e-6 < below.losses[0]
    assert above.diverged
    # 1.002^(2k) first exceeds 1e6 (the default divergence factor) at this step:
    first_bad = math.ceil(math.log(1e6) / (2 * math.log(1.002)))
    assert above.message.startswith(f"diverged at step {first_bad}: loss ")
    assert "exceeded 1e6 x the initial loss" in above.message
    assert above.steps_run == first_bad
    assert np.all(np.isfinite(above.params[0]))


def test_gd_on_square_with_eta_1_oscillates_with_constant_size():
    h = gd_on_square(1.0, steps=9, w0=0.7)
    w = path(h)[:, 0]
    np.testing.assert_array_equal(w, 0.7 * (-1.0) ** np.arange(10))
    assert h.losses == [pytest.approx(0.49)] * 9


def test_history_repr_is_one_fixed_precision_line():
    h = gd_on_square(0.25, steps=2)
    assert repr(h) == "History(optimizer=gd, steps=2, final loss=0.062500, diverged=False)"
    assert h.summary() == repr(h)


def test_grad_norms_are_global_l2_norms():
    # L = sum(w1^2) + sum(w2^2): the gradient (2 w1, 2 w2) has norm 2 ||(w1, w2)||.
    params = [np.array([3.0]), np.array([[0.0, 4.0]])]
    h = optim.train(lambda p: (p[0] * p[0]).sum() + (p[1] * p[1]).sum(), params, steps=1)
    assert h.grad_norms == [pytest.approx(10.0)]


# --- update rules against the published formulas --------------------------------------------
A = np.array([0.5, 2.0, 10.0])
B = np.array([1.0, -1.0, 0.3])
W0 = np.array([1.0, -2.0, 0.5])


def quadratic(p):
    return (A * p[0] * p[0] + B * p[0]).sum()


def quadratic_grad(w):
    return 2 * A * w + B


def run(optimizer, steps, lr=0.1, **hyper):
    h = optim.train(
        quadratic, [W0.copy()], optimizer=optimizer, lr=lr, steps=steps, record_params=True, **hyper
    )
    return path(h)


def test_adam_first_three_steps_follow_kingma_and_ba_algorithm_1():
    lr, beta1, beta2, eps = 0.1, 0.8, 0.95, 1e-8
    theta, m, v = W0.copy(), np.zeros(3), np.zeros(3)
    expected = [theta]
    for t in (1, 2, 3):
        g = quadratic_grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        expected.append(theta)
    got = run("adam", 3, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    np.testing.assert_allclose(got, np.array(expected), rtol=1e-13)


def test_adam_first_step_moves_each_coordinate_by_lr_times_sign_of_gradient():
    # Gradients of very different sizes; bias correction makes the first step ~lr each.
    scales = np.array([1e-3, 1.0, 1e3, -5.0])
    h = optim.train(
        lambda p: (scales * p[0]).sum(), [np.zeros(4)], optimizer="adam", lr=0.01, steps=1
    )
    np.testing.assert_allclose(h.params[0], -0.01 * np.sign(scales), rtol=1e-4)


def test_momentum_first_two_steps():
    # Written in PyTorch's form (buffer of gradients), equal to cs231n's for a constant lr.
    lr, mu = 0.1, 0.7
    g0 = quadratic_grad(W0)
    w1 = W0 - lr * g0
    buf = mu * g0 + quadratic_grad(w1)
    w2 = w1 - lr * buf
    np.testing.assert_allclose(run("momentum", 2, lr=lr, mu=mu), [W0, w1, w2], rtol=1e-14)


def test_nesterov_first_two_steps():
    # PyTorch's nesterov=True: buf = mu buf + g; w -= lr (g + mu buf).
    lr, mu = 0.1, 0.7
    g0 = quadratic_grad(W0)
    buf = g0
    w1 = W0 - lr * (g0 + mu * buf)
    g1 = quadratic_grad(w1)
    buf = mu * buf + g1
    w2 = w1 - lr * (g1 + mu * buf)
    np.testing.assert_allclose(run("nesterov", 2, lr=lr, mu=mu), [W0, w1, w2], rtol=1e-14)


def test_nesterov_differs_from_momentum():
    assert not np.allclose(run("nesterov", 2), run("momentum", 2))


def test_rmsprop_first_step():
    lr, decay, eps = 0.01, 0.9, 1e-8
    g = quadratic_grad(W0)
    cache = (1 - decay) * g**2
    expected = W0 - lr * g / (np.sqrt(cache) + eps)
    np.testing.assert_allclose(run("rmsprop", 1, lr=lr)[1], expected, rtol=1e-14)


def test_sgd_is_the_gd_rule():
    np.testing.assert_array_equal(run("sgd", 5), run("gd", 5))
    assert optim.make("sgd").name == "sgd"


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_update_is_pure_and_keeps_the_tree_structure(name):
    opt = optim.make(name)
    params = {"W": np.ones((2, 3)), "b": [np.zeros(3), np.array(2.0)]}
    grads = {"W": np.full((2, 3), 0.5), "b": [np.arange(3.0), np.array(-1.0)]}
    state = opt.init(params)
    before = [np.copy(a) for a in nnlab.engine.tree_leaves((params, grads, state))]
    new_params, new_state = opt.update(params, grads, state, 0.1)
    after = nnlab.engine.tree_leaves((params, grads, state))
    assert all(np.array_equal(x, y) for x, y in zip(before, after, strict=True))
    assert set(new_params) == {"W", "b"} and isinstance(new_params["b"], list)
    assert new_params["W"].shape == (2, 3) and isinstance(new_params["b"][1], np.ndarray)
    assert new_state["t"] == 1 and state["t"] == 0
    assert not np.array_equal(new_params["W"], params["W"])


def test_update_rejects_gradients_of_the_wrong_shape():
    opt = optim.make("adam")
    params = [np.zeros((2, 2))]
    with pytest.raises(ShapeError, match=r"\(2,\).*\(2, 2\)"):
        opt.update(params, [np.zeros(2)], opt.init(params), 0.1)


def test_unknown_optimizer_lists_valid_names():
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'") as err:
        optim.make("adamw")
    for name in ("gd", "sgd", "momentum", "nesterov", "rmsprop", "adam"):
        assert repr(name) in str(err.value)
    with pytest.raises(ValueError, match="unknown optimizer"):
        optim.train(square, [np.ones(1)], optimizer="adamw")


def test_unknown_or_invalid_hyperparameters_are_errors():
    with pytest.raises(ValueError, match="beta1, beta2, eps"):
        optim.make("adam", momentum=0.9)
    with pytest.raises(ValueError, match="mu"):
        optim.make("momentum", mu=1.0)


# --- schedules ----------------------------------------------------------------------------
def test_schedules_against_formulas():
    s = optim.step_decay(0.1, drop=0.5, every=10)
    assert [s(k) for k in (0, 9, 10, 25)] == [0.1, 0.1, 0.05, 0.025]
    e = optim.exponential(0.2, 0.9)
    for k in (0, 1, 7):
        assert e(k) == pytest.approx(0.2 * 0.9**k, rel=1e-15)
    c = optim.cosine(0.1, total_steps=100, lr_min=0.01)
    for k in (0, 25, 50, 99):
        assert c(k) == pytest.approx(0.01 + 0.045 * (1 + math.cos(math.pi * k / 100)), rel=1e-15)
    assert c(100) == 0.01 and c(150) == 0.01
    assert optim.constant(0.3)(1000) == 0.3


def test_train_uses_the_schedule_or_a_plain_float():
    h = optim.train(square, [np.ones(1)], steps=4, schedule=optim.exponential(0.1, 0.5))
    assert h.lrs == [0.1, 0.05, 0.025, 0.0125]
    assert optim.train(square, [np.ones(1)], steps=2, schedule=0.2).lrs == [0.2, 0.2]
    assert optim.train(square, [np.ones(1)], steps=2, lr=lambda k: k + 1.0).lrs == [1.0, 2.0]


# --- minibatches ----------------------------------------------------------------------------
def regression_data(n=10):
    X = np.arange(float(n))[:, None]
    return X, 3.0 * X[:, 0] - 1.0


def linear_loss(p, X, y):
    return nnlab.mse(X @ p[0] + p[1], y)


def sgd_run(seed, **kwargs):
    kwargs = {"optimizer": "sgd", "lr": 0.005, "steps": 15, "batch_size": 3} | kwargs
    params = [np.zeros(1), np.zeros(())]
    return optim.train(linear_loss, params, data=regression_data(), seed=seed, **kwargs)


def test_minibatch_sgd_is_reproducible_given_the_seed():
    a, b, c = sgd_run(1), sgd_run(1), sgd_run(2)
    assert a.losses == b.losses and a.grad_norms == b.grad_norms
    np.testing.assert_array_equal(a.params[0], b.params[0])
    assert a.losses != c.losses


def test_each_epoch_visits_every_example_once():
    seen = []

    def recording_loss(p, X, y):
        seen.append(X[:, 0].astype(int).tolist())
        return linear_loss(p, X, y)

    optim.train(
        recording_loss,
        [np.zeros(1), np.zeros(())],
        data=regression_data(),
        steps=12,
        batch_size=3,
        lr=1e-4,
        seed=0,
    )
    assert len(seen) == 13  # 12 steps, then the final loss on all the data
    assert [len(b) for b in seen[:12]] == [3, 3, 3, 1] * 3
    epochs = [sum(seen[4 * e : 4 * e + 4], []) for e in range(3)]
    for epoch in epochs:
        assert sorted(epoch) == list(range(10))
    assert epochs[0] != epochs[1] or epochs[1] != epochs[2]  # reshuffled
    assert seen[12] == list(range(10))


def test_full_batch_sees_all_the_data_every_step():
    sizes = []

    def recording_loss(p, X, y):
        sizes.append(len(X))
        return linear_loss(p, X, y)

    optim.train(recording_loss, [np.zeros(1), np.zeros(())], data=regression_data(), steps=3)
    assert sizes == [10, 10, 10, 10]


def test_batch_size_without_data_is_an_error():
    with pytest.raises(ValueError, match="batch_size needs data"):
        optim.train(square, [np.ones(1)], batch_size=2)


# --- divergence and input checks --------------------------------------------------------------
def test_nonfinite_loss_stops_with_finite_params_and_no_warnings():
    # log(w) descends through 0: w = 1 - 2 * (1/1) = -1, and log(-1) is nan.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = optim.train(lambda p: nnlab.log(p[0]).sum(), [np.array([1.0])], lr=2.0, steps=10)
    assert h.diverged and h.message == "diverged at step 1: loss became nan"
    assert h.params[0].tolist() == [1.0] and h.final_loss == 0.0 and h.steps_run == 1


def test_overflowing_loss_stops_without_runtime_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = gd_on_square(1e200, steps=10)
    assert h.diverged and h.message == "diverged at step 1: loss became inf"
    assert all(np.all(np.isfinite(p)) for p in h.trajectory) and h.params[0].tolist() == [1.0]


def test_overflowing_parameters_are_reported():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = gd_on_square(1e308, steps=10, w0=10.0)
    assert h.diverged and "step 1: parameters became non-finite" in h.message
    assert h.params[0].tolist() == [10.0]


def test_nonfinite_gradient_at_the_start():
    # sqrt(w) at w = 0: finite loss, infinite slope.
    h = optim.train(lambda p: (p[0] ** 0.5).sum(), [np.zeros(1)], steps=5)
    assert h.diverged and h.message.startswith("diverged at step 0: gradient")
    assert h.steps_run == 0 and h.losses == [] and h.params[0].tolist() == [0.0]


def test_exploding_loss_is_detected_at_the_first_step_past_the_factor():
    # eta = 1.5: w <- -2w, so the loss grows 4x per step; 4^k > 1e3 first at k = 5.
    h = gd_on_square(1.5, steps=50, divergence_factor=1e3)
    assert h.diverged and h.message.startswith("diverged at step 5: loss 1024 exceeded 1000 x")
    assert h.final_loss == 256.0 and h.params[0].tolist() == [16.0]
    assert len(h.trajectory) == 5 and h.trajectory[-1][0].tolist() == [16.0]
    assert not gd_on_square(1.5, steps=50, divergence_factor=None).diverged


def test_on_divergence_raise():
    with pytest.raises(
        DivergenceError, match="diverged at step 5: loss 1024 exceeded 1000 x the initial loss 1$"
    ):
        gd_on_square(1.5, steps=50, divergence_factor=1e3, on_divergence="raise")


def test_bad_on_divergence_value_lists_the_choices():
    with pytest.raises(ValueError, match="'raise', 'stop'"):
        gd_on_square(0.1, steps=1, on_divergence="warn")


def test_nonfinite_inputs_are_a_clear_error():
    X, y = regression_data()
    X[3, 0] = np.nan
    with pytest.raises(ValueError, match="training inputs X contains 1 non-finite"):
        optim.train(linear_loss, [np.zeros(1), np.zeros(())], data=(X, y))


def test_mismatched_rows_are_a_shape_error():
    X, y = regression_data()
    with pytest.raises(ShapeError, match=r"\(10, 1\).*\(9,\)"):
        optim.train(linear_loss, [np.zeros(1), np.zeros(())], data=(X, y[:9]))


def test_nonfinite_initial_params_are_a_clear_error():
    with pytest.raises(ValueError, match="initial parameters"):
        optim.train(square, [np.array([np.inf])])


# --- random restarts ---------------------------------------------------------------------------
def double_well(p):
    w = p[0]
    return ((w * w - 1) ** 2 + 0.3 * w).sum()


def restarts(seed):
    return optim.random_restarts(
        double_well,
        lambda rng: [rng.uniform(-2, 2, size=1)],
        restarts=6,
        seed=seed,
        lr=0.05,
        steps=200,
    )


def test_random_restarts_returns_the_lowest_loss_run():
    best, runs = restarts(0)
    assert len(runs) == 6 and any(best is r for r in runs)
    finals = [r.final_loss for r in runs]
    assert best.final_loss == min(finals)
    # Restarts matter here: some runs end in the shallow well at w ~ +0.96, the best in the
    # deep one at w ~ -1.04.
    ends = np.array([r.params[0][0] for r in runs])
    assert np.any(ends > 0) and np.any(ends < 0)
    assert best.params[0][0] < 0


def test_random_restarts_is_deterministic_given_the_seed():
    _, a = restarts(3)
    _, b = restarts(3)
    _, c = restarts(4)
    assert [r.final_loss for r in a] == [r.final_loss for r in b]
    assert [r.trajectory for r in a] == [r.trajectory for r in b] == [None] * 6
    assert [r.params[0][0] for r in a] != [r.params[0][0] for r in c]


def test_random_restarts_skips_diverged_runs():
    # Starts far out diverge at lr 0.05 (the quartic is too steep); they never count as best.
    best, runs = optim.random_restarts(
        double_well,
        lambda rng: [rng.choice([-1.0, 50.0], size=1)],
        restarts=8,
        lr=0.05,
        steps=50,
    )
    assert any(r.diverged for r in runs) and not best.diverged


# --- a real network -------------------------------------------------------------------------------
def test_adam_trains_a_small_mlp_on_xor():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    net = nnlab.MLP([2, 8, 1], activation="tanh", output="sigmoid", seed=0)

    def loss(p, X, y):
        return nnlab.binary_cross_entropy_with_logits(net.logits(X, p), y)

    h = optim.train(loss, net.parameters(), optimizer="adam", lr=0.05, steps=300, data=(X, y))
    assert not h.diverged
    assert h.losses[0] > 0.5 and h.final_loss < 0.05
    net.set_parameters(h.params)
    assert np.array_equal(net(X)[:, 0] > 0.5, y > 0.5)


# --- the package layout: one module per concern, every name re-exported -------------------
def test_optim_package_re_exports_rules_schedules_and_the_loop():
    import importlib

    from nnlab.nn.optim import rules, schedules

    # The package attribute "train" is the function; the module is reached by its full name.
    train_module = importlib.import_module("nnlab.nn.optim.train")

    assert nnlab.optim is optim
    for module in (rules, schedules, train_module):
        for name in module.__all__:
            assert getattr(optim, name) is getattr(module, name), name
    assert sorted(optim.__all__) == sorted(rules.__all__ + schedules.__all__ + train_module.__all__)
    assert optim.train is train_module.train and callable(optim.train)
    assert set(optim.OPTIMIZERS) == {"gd", "sgd", "momentum", "nesterov", "rmsprop", "adam"}
