"""nnlab.course.evaluation: splits, metrics, side-by-side training, early stopping, paired
comparison and the bias-variance estimator, checked against the engine and by hand."""

import numpy as np
import pytest

import nnlab
from nnlab.course import evaluation as ev
from nnlab.engine.errors import ShapeError
from nnlab.nn import metrics


def f(x):
    return np.sin(3 * x)


# --- splits -------------------------------------------------------------------------------------
def test_kfold_partitions_the_rows_and_validates_each_once():
    folds = ev.kfold_indices(23, 5, seed=3)
    assert len(folds) == 5
    val = np.concatenate([fold.val for fold in folds])
    assert sorted(val) == list(range(23))
    assert sorted(len(fold.val) for fold in folds) == [4, 4, 5, 5, 5]
    for fold in folds:
        assert set(fold.train).isdisjoint(fold.val)
        assert len(fold.train) + len(fold.val) == 23
    again = ev.kfold_indices(23, 5, seed=3)
    assert all(np.array_equal(a.val, b.val) for a, b in zip(folds, again, strict=True))
    other = ev.kfold_indices(23, 5, seed=4)
    assert not all(np.array_equal(a.val, b.val) for a, b in zip(folds, other, strict=True))
    plain = ev.kfold_indices(6, 3, shuffle=False)
    assert [list(fold.val) for fold in plain] == [[0, 1], [2, 3], [4, 5]]


@pytest.mark.parametrize(
    ("n", "k", "match"), [(3, 5, "at least k"), (10, 1, "k must"), (1, 2, "n must")]
)
def test_kfold_rejects_bad_sizes(n, k, match):
    with pytest.raises(ValueError, match=match):
        ev.kfold_indices(n, k)


def test_stack_folds_gives_one_training_set_per_fold():
    X = np.arange(20.0)[:, None]
    y = 10 * np.arange(20.0)
    folds = ev.kfold_indices(20, 4, seed=0)
    xs, ys, xv, yv = ev.stack_folds(X, y, folds)
    assert xs.shape == (4, 15, 1) and ys.shape == (4, 15) and xv.shape == (4, 5, 1)
    np.testing.assert_array_equal(xv[2][:, 0], folds[2].val)
    np.testing.assert_array_equal(ys[1], 10 * xs[1][:, 0])
    with pytest.raises(ValueError, match="unequal sizes"):
        ev.stack_folds(X[:19], y[:19], ev.kfold_indices(19, 4))


# --- metrics ------------------------------------------------------------------------------------
# The scores are nnlab.nn.metrics, (pred, y) like the losses; checked here on the inputs this
# chapter's helpers give them.
def test_mse_matches_the_engine_and_accepts_columns():
    rng = np.random.default_rng(0)
    y, pred = rng.normal(size=7), rng.normal(size=(7, 1))
    assert metrics.mse(pred, y) == pytest.approx(float(nnlab.mse(pred[:, 0], y)))
    with pytest.raises(ShapeError, match="do not match"):
        metrics.mse(pred[:5], y)


def test_accuracy_from_probabilities_labels_and_scores():
    y = np.array([1, 0, 1, 1])
    # the handout's rule: label 1 when p > 0.5, so p = 0.5 counts as label 0
    assert metrics.accuracy(np.array([0.9, 0.2, 0.4, 0.5]), y) == 0.5
    assert metrics.accuracy(np.array([0.9, 0.2, 0.4, 0.51]), y) == 0.75
    assert metrics.accuracy(np.array([1, 1, 1, 1]), y) == 0.75
    scores = np.array([[0.1, 0.9], [2.0, -1.0], [0.0, 3.0], [5.0, 1.0]])
    assert metrics.accuracy(scores, y) == 0.75
    with pytest.raises(ValueError, match="probabilities in \\[0, 1\\]"):
        metrics.accuracy(np.array([1.5, 0.0, 0.0, 0.0]), y)


def test_log_loss_matches_the_engine_cross_entropies():
    rng = np.random.default_rng(1)
    p = rng.uniform(0.05, 0.95, 9)
    y = rng.integers(0, 2, 9)
    assert metrics.log_loss(p, y) == pytest.approx(
        float(nnlab.binary_cross_entropy(p, y)), rel=1e-12
    )
    logits = rng.normal(size=(9, 3))
    labels = rng.integers(0, 3, 9)
    probs = nnlab.softmax(logits)
    expected = float(nnlab.softmax_cross_entropy(logits, labels))
    assert metrics.log_loss(probs, labels) == pytest.approx(expected, rel=1e-10)
    assert metrics.log_loss(np.array([0.0]), np.array([1])) == pytest.approx(-np.log(1e-12))
    with pytest.raises(ValueError, match="0 or 1"):
        metrics.log_loss(np.array([0.5, 0.5]), np.array([2, 0]))
    with pytest.raises(ValueError, match="sum to 1"):
        metrics.log_loss(np.array([[0.5, 0.4], [0.5, 0.5]]), np.array([0, 1]))


# --- fit_mlps -----------------------------------------------------------------------------------
def _alone(x, y, width, seed, steps, lr=0.05, bias=True):
    net = nnlab.MLP([x.shape[1], width, 1], "tanh", seed=seed, bias=bias)
    nnlab.fit(net, x, y, loss="mse", optimizer="adam", lr=lr, steps=steps)
    return net


def test_side_by_side_training_equals_training_each_network_alone():
    x, y = nnlab.data.function_samples(f, 20, (-1.5, 1.5), 0.3, seed=0)
    ens = ev.fit_mlps(x, y, hidden=5, seeds=[3, 7], lr=0.05, steps=150)
    for r, seed in enumerate([3, 7]):
        net = _alone(x, y, 5, seed, 150)
        np.testing.assert_allclose(ens.predict(x)[r], net(x)[:, 0], atol=1e-10)
        np.testing.assert_allclose(ens.member(r)(x)[:, 0], net(x)[:, 0], atol=1e-10)
    losses = ens.losses(x, y)
    assert losses[1] == pytest.approx(metrics.mse(ens.member(1)(x), y))


@pytest.mark.parametrize("bias", [True, [False, True], [True, False], False])
def test_stacked_forward_equals_mlp_forward_for_every_member(bias):
    x, y = nnlab.data.function_samples(f, 16, (-1.5, 1.5), 0.3, seed=4)
    ens = ev.fit_mlps(x, y, hidden=4, seeds=[0, 5, 9], lr=0.05, steps=60, bias=bias)
    flags = [bias, bias] if isinstance(bias, bool) else bias
    assert ens.bias == flags
    assert len(ens.params) == 2 + sum(flags)
    outputs = ens.predict(x)
    for r, seed in enumerate([0, 5, 9]):
        member = ens.member(r)
        assert [b is not None for b in member.b] == flags
        np.testing.assert_array_equal(outputs[r], member.forward(x).output[:, 0])
        # and each member is the network trained alone with the same flags
        alone = _alone(x, y, 4, seed, 60, bias=bias)
        np.testing.assert_allclose(outputs[r], alone(x)[:, 0], atol=1e-10)


def test_each_member_can_train_on_its_own_data_set():
    xs, ys = ev.resample_training_sets(f, 3, 15, (-1, 1), 0.2, seed=5)
    ens = ev.fit_mlps(xs, ys, hidden=4, seeds=[0, 1, 2], lr=0.05, steps=80)
    net = _alone(xs[2], ys[2], 4, 2, 80)
    np.testing.assert_allclose(ens.predict(xs)[2], net(xs[2])[:, 0], atol=1e-10)
    grid = np.linspace(-1, 1, 11)[:, None]
    np.testing.assert_allclose(ens.predict(grid)[2], net(grid)[:, 0], atol=1e-10)
    with pytest.raises(ShapeError, match="2 seeds"):
        ev.fit_mlps(xs, ys, hidden=4, seeds=[0, 1])
    with pytest.raises(ShapeError, match="xs must be"):
        ev.fit_mlps(xs[0], ys, hidden=4)
    with pytest.raises(ShapeError, match="expects x of shape"):
        ens.predict(np.zeros((4, 2)))


def test_loss_curves_follow_the_recorded_trajectory():
    x, y = nnlab.data.function_samples(f, 12, (-1, 1), 0.1, seed=2)
    ens = ev.fit_mlps(x, y, hidden=3, seeds=[0, 1], lr=0.05, steps=40, record_params=True)
    steps, curves = ens.loss_curves(x, y, every=10)
    np.testing.assert_array_equal(steps, [0, 10, 20, 30, 40])
    assert curves.shape == (5, 2)
    init = nnlab.MLP([1, 3, 1], "tanh", seed=1)
    assert curves[0, 1] == pytest.approx(metrics.mse(init(x), y))
    np.testing.assert_allclose(curves[-1], ens.losses(x, y))
    # the summed training loss recorded by optim.train is the sum of member losses
    assert ens.history.losses[10] == pytest.approx(curves[1].sum())
    assert ens.member(0, step=20)(x)[:, 0] == pytest.approx(
        ens.predict_with(ens.history.trajectory[20], x)[0]
    )
    plain = ev.fit_mlps(x, y, hidden=3, steps=5)
    with pytest.raises(ValueError, match="record_params=True"):
        plain.loss_curves(x, y)


# --- early stopping -----------------------------------------------------------------------------
def test_early_stopping_picks_the_lowest_validation_loss():
    curve = [1.0, 0.6, 0.4, 0.45, 0.5, 0.3, 0.35, 0.5, 0.6, 0.7]
    full = ev.early_stopping(curve)
    assert full == ev.EarlyStop(5, 0.3, 9)
    impatient = ev.early_stopping(curve, patience=2)  # 0.45, 0.5: no new best -> stop at 4
    assert impatient == ev.EarlyStop(2, 0.4, 4)
    stepped = ev.early_stopping(curve, steps=np.arange(10) * 20, patience=3)
    assert stepped.best_step == 100 and stepped.stopped_step == 160
    assert ev.early_stopping([0.5, 0.2, 0.2]).best_step == 1  # ties: the earlier step
    with pytest.raises(ValueError, match="nan or inf"):
        ev.early_stopping([0.1, np.nan])
    with pytest.raises(ShapeError):
        ev.early_stopping([0.1, 0.2], steps=[0])


# --- paired comparison --------------------------------------------------------------------------
def test_paired_comparison_by_hand():
    a = np.array([0.10, 0.20, 0.15, 0.30, 0.25])
    b = np.array([0.12, 0.25, 0.14, 0.36, 0.27])
    d = a - b
    cmp = ev.paired_comparison(a, b, n_boot=500, seed=1)
    se = np.std(d, ddof=1) / np.sqrt(5)
    assert cmp.mean == pytest.approx(d.mean())
    assert cmp.std_error == pytest.approx(se)
    assert cmp.t == pytest.approx(d.mean() / se)
    assert cmp.df == 4 and not cmp.corrected
    assert d.min() <= cmp.ci_low <= cmp.mean <= cmp.ci_high <= d.max()
    again = ev.paired_comparison(a, b, n_boot=500, seed=1)
    assert (again.ci_low, again.ci_high) == (cmp.ci_low, cmp.ci_high)
    fixed = ev.paired_comparison(a, b, test_train_ratio=0.25)
    assert fixed.std_error == pytest.approx(np.std(d, ddof=1) * np.sqrt(1 / 5 + 0.25))
    assert fixed.corrected and "corrected standard error" in fixed.summary()
    assert abs(fixed.t) < abs(cmp.t)
    swapped = ev.paired_comparison(b, a)
    assert swapped.mean == pytest.approx(-cmp.mean)


def test_paired_comparison_rejects_unpaired_scores():
    with pytest.raises(ShapeError, match="one score per shared"):
        ev.paired_comparison([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="at least 2"):
        ev.paired_comparison([1.0], [2.0])
    with pytest.raises(ValueError, match="confidence"):
        ev.paired_comparison([1.0, 2.0], [2.0, 2.0], confidence=95)


# --- bias and variance --------------------------------------------------------------------------
def test_resample_training_sets_draws_independent_sets_from_f():
    xs, ys = ev.resample_training_sets(f, 4, 10, (-1, 1), 0.0, seed=2)
    assert xs.shape == (4, 10, 1) and ys.shape == (4, 10)
    np.testing.assert_allclose(ys, f(xs[..., 0]))
    assert not np.allclose(xs[0], xs[1])
    xs2, _ = ev.resample_training_sets(f, 4, 10, (-1, 1), 0.0, seed=2)
    np.testing.assert_array_equal(xs, xs2)


def test_bias_variance_on_known_predictions():
    truth = np.array([0.0, 1.0, 2.0])
    shifted = np.tile(truth + 0.5, (4, 1))  # every refit off by 0.5: bias only
    bv = ev.bias_variance(shifted, truth, noise_std=0.0)
    assert bv.bias2 == pytest.approx(0.25) and bv.variance == pytest.approx(0.0)
    spread = truth + np.array([[1.0], [-1.0], [1.0], [-1.0]])  # unbiased, variance 1
    bv = ev.bias_variance(spread, truth, noise_std=0.0)
    assert bv.bias2 == pytest.approx(0.0) and bv.variance == pytest.approx(1.0)
    assert bv.gap == pytest.approx(0.0, abs=1e-12)


def test_bias_variance_adds_up_to_the_measured_test_error():
    rng = np.random.default_rng(0)
    truth = rng.normal(size=50)
    P = truth + 0.3 + 0.5 * rng.normal(size=(30, 50))
    bv = ev.bias_variance(P, truth, noise_std=0.4, n_draws=200, seed=1)
    np.testing.assert_allclose(bv.bias2 + bv.variance, np.mean((P - truth) ** 2))
    assert bv.noise == pytest.approx(0.16)
    assert abs(bv.gap) < 0.01
    assert bv.total == pytest.approx(bv.bias2 + bv.variance + 0.16)
    np.testing.assert_allclose(bv.mean_prediction, P.mean(axis=0))
    with pytest.raises(ShapeError, match="R >= 2"):
        ev.bias_variance(P[:1], truth, 0.1)
    with pytest.raises(ValueError, match="noise_std"):
        ev.bias_variance(P, truth, -1.0)
