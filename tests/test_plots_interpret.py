"""nnlab.plots.interpret: figures have the expected panels and draw the engine's numbers."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.figure import Figure
from matplotlib.quiver import Quiver

import nnlab
from nnlab.course import interpret as I
from nnlab.plots import interpret as pi


def small_net(seed=0, activation="tanh"):
    return nnlab.MLP([2, 3, 1], activation, output="sigmoid", seed=seed)


def line_score(X):
    return X[:, 0] - X[:, 1]


def test_plot_shift_draws_boundaries_and_all_points():
    rng = np.random.default_rng(0)
    X_a, X_b = rng.uniform(-2, 0, (20, 2)), rng.uniform(0, 2, (30, 2))
    y_a, y_b = (X_a[:, 1] > 0).astype(int), (X_b[:, 1] > 1).astype(int)
    fig = pi.plot_shift(line_score, X_a, y_a, X_b, y_b, truth=lambda X: X[:, 1], steps=40)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    n_scattered = sum(len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_offsets"))
    assert n_scattered >= 50  # every training and deployment point
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "true boundary" in labels and "model boundary" in labels
    with pytest.raises(ValueError, match="training data"):
        pi.plot_shift(line_score, X_a[:, :1], y_a, X_b, y_b)


def test_plot_curves_lines_match_the_data():
    x = [1, 2, 4, 8]
    fig = pi.plot_curves(x, {"a": [4, 3, 2, 1], "b": [1, 1, 1, 1]}, "x", "y", reference=0.5)
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if ln.get_label() in ("a", "b")]
    assert len(lines) == 2
    np.testing.assert_array_equal(lines[0].get_ydata(), [4, 3, 2, 1])
    assert any(ln.get_label() == "chance" for ln in ax.get_lines())
    with pytest.raises(ValueError, match="curve 'a'"):
        pi.plot_curves(x, {"a": [1, 2]}, "x", "y")
    assert pi.plot_curves(x, {"a": [1, 2, 3, 4]}, "x", "y", logy=True).axes[0].get_yscale() == "log"


def test_plot_feature_bars_heights_and_normalisation():
    values = {"m1": [1.0, 3.0, 0.0], "m2": [2.0, 2.0, 4.0]}
    fig = pi.plot_feature_bars(["x1", "x2", "x3"], values)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [1.0, 3.0, 0.0, 2.0, 2.0, 4.0]
    fig = pi.plot_feature_bars(["x1", "x2", "x3"], values, normalize=True)
    heights = [p.get_height() for p in fig.axes[0].patches]
    np.testing.assert_allclose(heights, [0.25, 0.75, 0.0, 0.25, 0.25, 0.5])
    with pytest.raises(ValueError, match="has 2 values for 3 features"):
        pi.plot_feature_bars(["x1", "x2", "x3"], {"m": [1, 2]})


def test_plot_decision_attributions_arrows_are_the_engine_gradients():
    net = small_net()
    f = I.score_function(net)
    X, y = nnlab.data.moons(40, seed=0)
    P = np.array([[0.0, 0.5], [1.0, 0.0]])
    G = I.saliency(f, P, absolute=False)
    fig = pi.plot_decision_attributions(f, X, y, P, {"gradient": G}, steps=30, scale=1.0)
    quivers = [c for c in fig.axes[0].collections if isinstance(c, Quiver)]
    assert len(quivers) == 1
    np.testing.assert_allclose(quivers[0].U, G[:, 0])
    np.testing.assert_allclose(quivers[0].V, G[:, 1])
    fig = pi.plot_decision_attributions(f, X, y, P, {"g": G}, steps=30, arrow_length=0.3)
    q = [c for c in fig.axes[0].collections if isinstance(c, Quiver)][0]
    np.testing.assert_allclose(np.hypot(q.U, q.V), 0.3)
    with pytest.raises(ValueError, match="must have shape"):
        pi.plot_decision_attributions(f, X, y, P, {"g": G[:1]})


def test_plot_unit_maps_one_panel_per_unit_plus_output():
    net = small_net(activation="relu")
    fig = pi.plot_unit_maps(net, steps=20)
    assert len(fig.axes) == 4
    mesh = [c for c in fig.axes[1].collections if isinstance(c, QuadMesh)][0]
    grid = nnlab.data.grid((-2, 2), (-2, 2), 20)
    expected = I.hidden_activations(net, grid.points)[:, 1]
    np.testing.assert_allclose(np.asarray(mesh.get_array()).ravel(), expected)
    assert len(pi.plot_unit_maps(net, steps=20, show_output=False).axes) == 3
    with pytest.raises(ValueError, match="titles"):
        pi.plot_unit_maps(net, titles=["only one"])
    with pytest.raises(ValueError, match="2-input"):
        pi.plot_unit_maps(nnlab.MLP([3, 2, 1]))
