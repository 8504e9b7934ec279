"""nnlab.course.evaluation.experiments: chapter 15's experiments as functions."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab.course import evaluation as ev
from nnlab.course.grading import DEFAULT_RTOL, close, grade


def f(x):
    return np.sin(3 * x)


def small_data():
    X, y = nnlab.data.function_samples(f, n=24, domain=(-1.5, 1.5), noise=0.3, seed=1)
    return (X[:12], y[:12]), (X[12:18], y[12:18]), (X[18:], y[18:])


def test_selection_optimism_matches_a_direct_computation():
    (x_tr, y_tr), val, test = small_data()
    fresh = nnlab.data.function_samples(f, n=200, domain=(-1.5, 1.5), noise=0.3, seed=9)
    models = ev.fit_mlps(x_tr, y_tr, hidden=3, seeds=range(5), lr=0.05, steps=40)
    opt = ev.selection_optimism(models, f, test, val, fresh, n_sets=4, n=6)
    assert opt.best == int(np.argmin(models.losses(*test)))
    assert opt.chosen == int(np.argmin(models.losses(*val)))
    x_t, y_t = nnlab.data.function_samples(f, n=6, domain=(-1.5, 1.5), noise=0.3, seed=1002)
    scores = models.losses(x_t, y_t)
    assert opt.reported[2] == scores.min()
    assert opt.actual[2] == opt.true_mse[int(np.argmin(scores))]
    assert opt.committed[2] == scores[0]
    assert np.all(opt.reported <= opt.committed)  # the best score is never above model 0's
    with pytest.raises(ValueError, match="selection_optimism: n_sets"):
        ev.selection_optimism(models, f, test, val, fresh, n_sets=0)


def test_width_sweep_scores_every_width_and_seed_and_reports_settling():
    (x_tr, y_tr), val, _ = small_data()
    sweep = ev.width_sweep(x_tr, y_tr, {"val": val}, [1, 4], seeds=[0, 1], lr=0.05, steps=50)
    assert sweep.errors["val"].shape == (2, 2)
    ref = ev.fit_mlps(x_tr, y_tr, hidden=4, seeds=[0, 1], lr=0.05, steps=50)
    np.testing.assert_array_equal(sweep.errors["val"][1], ref.losses(*val))
    L = np.asarray(ref.history.losses)
    assert sweep.last_change[1] == pytest.approx((L[-1] - L[-6]) / L[-6])
    assert np.all(sweep.last_change < 0)  # Adam from a random start still descends at step 50
    with pytest.raises(ValueError, match="width_sweep: widths is empty"):
        ev.width_sweep(x_tr, y_tr, {"val": val}, [], seeds=[0], lr=0.05, steps=5)


def test_cv_scores_use_the_same_folds_and_average_the_seeds():
    X, y = nnlab.data.function_samples(f, n=20, domain=(-1.5, 1.5), noise=0.3, seed=2)
    s = ev.cv_scores(X, y, hidden=2, k=4, repeats=1, seeds=(0, 1), lr=0.05, steps=20)
    assert s.shape == (4,)
    folds = ev.kfold_indices(len(X), 4, seed=0)
    fo = folds[1]
    each = [
        ev.fit_mlps(X[fo.train], y[fo.train], hidden=2, seeds=[sd], lr=0.05, steps=20).losses(
            X[fo.val], y[fo.val]
        )[0]
        for sd in (0, 1)
    ]
    assert s[1] == pytest.approx(np.mean(each), rel=1e-12)


def test_bias_variance_sweep_is_bias_variance_per_width_and_budget():
    xs, ys = ev.resample_training_sets(f, n_sets=3, n=10, domain=(-1.5, 1.5), noise=0.3, seed=3)
    grid = np.linspace(-1.5, 1.5, 7)[:, None]
    truth = f(grid[:, 0])
    res, kept = ev.bias_variance_sweep(xs, ys, grid, truth, 0.3, [2], {"a": 10, "b": 20}, keep=(2,))
    assert set(res) == {"a", "b"} and len(res["a"]) == 1
    nets = ev.fit_mlps(xs, ys, hidden=2, seeds=range(3), lr=0.05, steps=20)
    ref = ev.bias_variance(nets.predict(grid), truth, 0.3, seed=0)
    assert res["b"][0].variance == pytest.approx(ref.variance, rel=1e-12)
    np.testing.assert_array_equal(kept[("b", 2)].predict(grid), nets.predict(grid))


def test_refit_decomposition_and_variance_check():
    A = [0.55, 0.60, 0.50, 0.58, 0.52]
    B = [0.30, 1.40, 0.60, 1.20, 0.50]
    a = ev.refit_decomposition(A, 0.8, 0.3)
    b = ev.refit_decomposition(B, 0.8, 0.3)
    assert a["bias2"] == pytest.approx(0.0625) and a["variance"] == pytest.approx(0.00136)
    assert b["bias2"] == pytest.approx(0.0, abs=1e-15) and b["variance"] == pytest.approx(0.18)
    assert b["expected"] == pytest.approx(0.27)
    # the one-point decomposition agrees with bias_variance on a single test point
    bv = ev.bias_variance(np.array(B)[:, None], [0.8], 0.3)
    assert bv.variance == pytest.approx(b["variance"]) and bv.bias2 == pytest.approx(b["bias2"])
    expected, mistakes = ev.variance_check(B, 0.8, 0.3)
    assert grade("0.18", expected, mistakes)[0]
    values = [expected] + [m.value for m in mistakes]
    assert all(not close(u, v, DEFAULT_RTOL) for i, u in enumerate(values) for v in values[i + 1 :])
    assert "R - 1" in grade("0.225", expected, mistakes)[1]
    with pytest.raises(ValueError, match="refit_decomposition: need at least 2"):
        ev.refit_decomposition([1.0], 0.0, 0.1)
