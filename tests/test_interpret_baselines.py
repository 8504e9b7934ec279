"""nnlab.course.interpret.baselines and .by_hand: the baseline's own score, a baseline on the
decision boundary, IG under several baselines, and the pencil-and-paper computations."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab.course import interpret as I
from nnlab.course.grading import DEFAULT_RTOL, close, grade
from nnlab.course.interpret import by_hand


def moons_net():
    X, y = nnlab.data.moons(60, noise=0.15, seed=0)
    net = nnlab.train_classifier(
        nnlab.MLP([2, 6, 1], "tanh", output="sigmoid", seed=0), X, y, steps=200
    )
    return net, X


def test_boundary_baseline_lies_on_the_boundary_next_to_its_start():
    net, X = moons_net()
    f = I.score_function(net)
    start = X.mean(axis=0)
    b = I.boundary_baseline(f, start)
    assert abs(f(b[None])[0]) < 1e-8
    # along the gradient from start: the distance is the one distance_to_boundary reports
    d = I.distance_to_boundary(f, start[None])[0]
    assert np.linalg.norm(b - start) == pytest.approx(d, rel=1e-9)


def test_boundary_baseline_errors():
    f = I.score_function(nnlab.MLP([2, 1], seed=0))
    with pytest.raises(ValueError, match="boundary_baseline: start must be one point"):
        I.boundary_baseline(f, np.zeros((2, 2)))
    const = lambda X: np.ones(len(X)) + 0.0 * X[:, 0]  # noqa: E731
    with pytest.raises(ValueError, match="boundary_baseline: the gradient at start is zero"):
        I.boundary_baseline(const, np.zeros(2))


def test_compare_baselines_rows_are_complete_and_keep_the_baseline_score():
    net, X = moons_net()
    f = I.score_function(net)
    x = np.array([1.0, -0.25])
    rows = I.compare_baselines(f, x, {"zero": np.zeros(2), "mean": X.mean(0)}, steps=256)
    assert [r.name for r in rows] == ["zero", "mean"]
    assert rows[0].f_baseline == pytest.approx(float(f(np.zeros((1, 2)))[0]))
    for r in rows:
        assert r.f_x == pytest.approx(float(f(x[None])[0]))
        assert r.total == pytest.approx(r.difference, abs=1e-3)
    # different baselines, different attributions of the same point
    assert not np.allclose(rows[0].attributions, rows[1].attributions)
    text = I.baseline_table(rows, ["x1", "x2"])
    assert text.splitlines()[0].split()[:2] == ["baseline", "f(x')"]
    assert f"{rows[0].f_baseline:+9.4f}" in text.splitlines()[1]
    with pytest.raises(ValueError, match="baseline_table: 3 feature names"):
        I.baseline_table(rows, ["a", "b", "c"])
    with pytest.raises(ValueError, match="compare_baselines: baselines is empty"):
        I.compare_baselines(f, x, {})


def test_baseline_table_prints_no_negative_zero():
    f = lambda X: X[:, 0] - 0.5  # noqa: E731
    rows = I.compare_baselines(f, np.array([1.0, 0.0]), {"edge": np.array([0.5, 0.0])}, steps=4)
    assert "-0.0000" not in I.baseline_table(rows, ["a", "b"])


def test_logistic_ig_by_hand_matches_the_engine():
    w, c, x, b = [1.5, -2.0], 0.5, [2.0, 1.0], [0.0, 0.0]
    h = by_hand.logistic_ig_by_hand(w, c, x, b)
    net = nnlab.MLP([2, 1], output="sigmoid")
    net.W[0], net.b[0] = np.array([[1.5], [-2.0]]), np.array([0.5])
    ig = I.integrated_gradients(lambda X: net(X)[:, 0], np.array([x]), steps=512)
    np.testing.assert_allclose(h["ig_probability"], ig.attributions[0], atol=1e-6)
    assert h["ig_probability"].sum() == pytest.approx(h["p_x"] - h["p_baseline"], abs=1e-12)
    np.testing.assert_allclose(h["ig_logit"], [3.0, -2.0])
    g = I.saliency(lambda X: net(X)[:, 0], np.array([x]), absolute=False)[0]
    np.testing.assert_allclose(h["saliency_probability"], g, atol=1e-12)
    with pytest.raises(ValueError, match="logistic_ig_by_hand: x and the baseline have"):
        by_hand.logistic_ig_by_hand(w, c, x, x)


def test_logistic_ig_check_grades_the_answer_and_names_the_mistakes():
    w, c, x, b = [1.5, -2.0], 0.5, [2.0, 1.0], [0.0, 0.0]
    expected, mistakes = by_hand.logistic_ig_check(w, c, x, b)
    assert grade(f"{expected:.4f}", expected, mistakes)[0]
    values = [expected] + [m.value for m in mistakes]
    assert len(mistakes) == 3
    for i, a in enumerate(values):
        for v in values[i + 1 :]:
            assert not close(a, v, DEFAULT_RTOL)
    ok, hint = grade(f"{mistakes[0].value:.6f}", expected, mistakes)
    assert not ok and "gradient x input" in hint


def test_rotation_by_hand_identity_survives_relu_does_not():
    M = np.array([[0.0, -1.0], [1.0, 0.0]])
    r = by_hand.rotation_by_hand([1.0, 2.0], np.eye(2), [1.0, 0.5], M)
    assert r["identity_new"] == pytest.approx(r["identity_old"])
    np.testing.assert_allclose(r["h_new"], [2.0, -1.0])
    assert r["relu_new"] != pytest.approx(r["relu_old"])
    # the same numbers from the engine's reparametrisation of a real network
    net = nnlab.MLP([2, 2, 1], "relu", seed=0)
    net.W[0], net.b[0] = np.eye(2), np.zeros(2)
    net.W[1], net.b[1] = np.array([[1.0], [0.5]]), np.zeros(1)
    out = I.reparametrize_hidden(net, M)(np.array([[1.0, 2.0]]))
    assert float(np.ravel(out)[0]) == pytest.approx(r["relu_new"])
    expected, mistakes = by_hand.rotation_check([1.0, 2.0], np.eye(2), [1.0, 0.5], M)
    assert expected == r["relu_new"] and mistakes and mistakes[0].value == r["identity_new"]
    with pytest.raises(ValueError, match="rotation_by_hand: M is not invertible"):
        by_hand.rotation_by_hand([1.0, 2.0], np.eye(2), [1.0, 0.5], np.zeros((2, 2)))
    with pytest.raises(ValueError, match="rotation_by_hand: need W"):
        by_hand.rotation_by_hand([1.0, 2.0], np.eye(3), [1.0, 0.5], M)


def test_point_readout_reports_the_baseline_logit():
    net, X = moons_net()
    f = I.score_function(net)
    info = I.point_attributions(net, [1.0, -0.25])
    assert info["baseline_logit"] == pytest.approx(float(f(np.zeros((1, 2)))[0]))
    assert info["logit"] - info["baseline_logit"] == pytest.approx(info["difference"])
    text = I.attribution_readout(info)
    assert text.splitlines()[-1] == (
        f"logit of the baseline f(x') = {round(info['baseline_logit'], 4) + 0.0:+.4f}"
    )
    edge = I.boundary_baseline(f, X.mean(0))
    text = I.attribution_readout(I.point_attributions(net, [1.0, -0.25], baseline=edge))
    assert text.endswith("f(x') = +0.0000")
