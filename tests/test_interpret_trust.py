"""nnlab.course.interpret.trust: chapter 13's worlds and experiments."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab.course import interpret as I
from nnlab.course.interpret import trust


def test_v_world_labels_follow_the_v_and_respect_the_window():
    X, y = trust.v_world(200, (0.5, 3.0), seed=0)
    assert X.shape == (200, 2) and set(np.unique(y)) <= {0, 1}
    assert X[:, 0].min() >= 0.5 and X[:, 0].max() <= 3.0
    np.testing.assert_array_equal(y, (X[:, 1] > np.abs(X[:, 0]) - 1).astype(int))
    with pytest.raises(ValueError, match="v_world: n must be"):
        trust.v_world(0, (0, 1), seed=0)


def test_train_logged_is_train_classifier_with_a_log():
    X, y = trust.v_world(100, (-3, -0.5), seed=0)
    run = trust.train_logged([2, 4, 1], X, y, steps=50, seed=3)
    ref = nnlab.train_classifier(nnlab.MLP([2, 4, 1], "relu", output="sigmoid", seed=3), X, y, 50)
    np.testing.assert_array_equal(run.net(X), ref(X))
    assert run.final_loss == pytest.approx(float(nnlab.binary_cross_entropy(ref(X), y)), rel=0.2)
    assert run.last_change < 0  # Adam from a random start: still falling after 50 steps


def test_drift_curve_scores_the_given_function():
    perfect = lambda X: 50.0 * trust.v_truth(X)  # noqa: E731
    acc, conf = trust.drift_curve(perfect, [0.0, 2.0], n=100)
    np.testing.assert_allclose(acc, 1.0)
    assert np.all(conf > 0.9)
    wrong = lambda X: -50.0 * trust.v_truth(X)  # noqa: E731
    acc_w, _ = trust.drift_curve(wrong, [0.0], n=100)
    assert acc_w[0] == 0.0


def test_watermark_tag_matches_label_only_in_training():
    X, y = trust.watermark_data(300, True, seed=0)
    np.testing.assert_array_equal(np.sign(X[:, 2]), 2 * y - 1)
    X_t, y_t = trust.watermark_data(300, False, seed=1)
    agree = np.mean(np.sign(X_t[:, 2]) == 2 * y_t - 1)
    assert 0.4 < agree < 0.6


def test_seed_explanations_pair_and_unit_match():
    X_tr, y_tr = trust.copies_data(120, seed=0)
    X_te, y_te = trust.copies_data(120, seed=1)
    q = np.array([[1.0, 1.0, 0.5]])
    runs = trust.seed_explanations(X_tr, y_tr, X_te, y_te, q, seeds=range(4), steps=60)
    assert [r.seed for r in runs] == [0, 1, 2, 3]
    for r in runs:
        ig = I.integrated_gradients(I.score_function(r.net), q, steps=128).attributions[0]
        np.testing.assert_allclose(r.ig, ig)
        assert r.share == pytest.approx(ig[0] / (ig[0] + ig[1]))
    same = [r for r in runs if r.accuracy == runs[0].accuracy]
    if len(same) >= 2:
        a, b = trust.most_different_pair(runs)
        assert a.accuracy == b.accuracy
    m = trust.best_unit_match(runs[0].net, runs[0].net, X_te)
    np.testing.assert_allclose(m, 1.0)  # a network matches itself unit for unit


def test_most_different_pair_needs_equal_accuracies():
    fake = [trust.SeedRun(s, 0.5 + 0.1 * s, np.ones(3), 0.5, None) for s in range(3)]
    with pytest.raises(ValueError, match="most_different_pair: no two runs"):
        trust.most_different_pair(fake)
    fake.append(trust.SeedRun(9, 0.5, np.ones(3), 0.9, None))
    a, b = trust.most_different_pair(fake)
    assert {a.seed, b.seed} == {0, 9}


def test_weather_world_intervention_moves_sales_not_outcomes():
    P, y = trust.weather_world(200, seed=1)
    P_do, y_do = trust.weather_world(200, seed=1, push_sales=1.5)
    np.testing.assert_array_equal(y, y_do)
    np.testing.assert_allclose(P_do - P, 1.5)
    full, _ = trust.weather_world(200, seed=1, record_weather=True)
    assert full.shape == (200, 2)
    np.testing.assert_allclose(full[:, 0], P[:, 0])
