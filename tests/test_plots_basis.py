"""Figures of the learned-basis chapters: structure and data match the engine."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import nnlab
from nnlab.course import basis, xor
from nnlab.plots import CLASS_COLORS
from nnlab.plots import basis as pb


def test_learned_features_plot_shows_every_feature_and_the_sum():
    net = nnlab.MLP([1, 3, 1], "tanh", seed=1)
    x = np.linspace(-1, 1, 50)[:, None]
    Phi = basis.learned_features(net, x)
    w, b = net.W[1][:, 0], float(net.b[1][0])
    fig = pb.plot_learned_features(x, Phi, w, b, output=net(x))
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    left, right = fig.axes
    assert len(left.lines) == 3
    np.testing.assert_allclose(left.lines[1].get_ydata(), Phi[:, 1])
    dashed = [ln for ln in right.lines if ln.get_label().startswith(r"$\sum")]
    assert len(dashed) == 1 and dashed[0].get_linestyle() == "--" and dashed[0].get_color() == "k"
    np.testing.assert_allclose(dashed[0].get_ydata(), net(x)[:, 0], atol=1e-12)
    with pytest.raises(ValueError, match="Phi must have shape"):
        pb.plot_learned_features(x, Phi[:, :2], w, b)


def test_xor_panels_show_the_three_views():
    state = xor.xor_forward(xor.HANDOUT_W)
    fig = pb.plot_xor_panels(state)
    assert len(fig.axes) == 3
    for ax, points in zip(fig.axes, [state.X, state.z, state.h], strict=True):
        shown = np.concatenate([c.get_offsets() for c in ax.collections])
        assert sorted(map(tuple, shown)) == sorted(map(tuple, points))
    # the output layer's line h1 + h2 = 1 is drawn in the third panel
    line = fig.axes[2].lines[-1]
    xs, ys = line.get_xdata(), line.get_ydata()
    np.testing.assert_allclose(xs + ys, 1.0)
    texts = [t.get_text() for t in fig.axes[1].texts]
    assert "x2,x3" in texts


def test_quadrant_collapse_counts_the_points_at_the_origin():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (40, 2))
    y = (X[:, 0] > X[:, 1]).astype(int)
    H = nnlab.relu(X)
    fig = pb.plot_quadrant_collapse(X, y, H)
    assert len(fig.axes) == 2
    q3 = (X[:, 0] < 0) & (X[:, 1] < 0)
    text = fig.axes[1].texts[0].get_text()
    assert f"{q3.sum()} points land here" in text
    assert f"{int(np.sum(y[q3] == 1))} with y = 1" in text
    with pytest.raises(ValueError, match="both have shape"):
        pb.plot_quadrant_collapse(X, y, H[:5])


def test_feature_space_of_three_features_is_seen_along_the_last_layer():
    X, y = nnlab.data.moons(40, noise=0.1, seed=0)
    net = nnlab.MLP([2, 3, 1], "tanh", output="sigmoid", seed=0)
    H = basis.learned_features(net, X)
    g = nnlab.data.grid((-1.5, 2.5), (-1, 1.5), 20)
    fig = pb.plot_feature_space(X, y, H, net.W[1][:, 0], net.b[1][0], g, net.logits(g.points))
    assert len(fig.axes) == 2
    assert fig.axes[1].name == "rectilinear"  # no 3-D panel: the 2-D view shows the same split
    # horizontal axis: each point's score H w + b, so the boundary is the line at 0 and the
    # points right of it are those the network calls class 1
    w, b = net.W[1][:, 0], float(net.b[1][0])
    shown = np.concatenate([c.get_offsets() for c in fig.axes[1].collections])
    np.testing.assert_allclose(np.sort(shown[:, 0]), np.sort(H @ w + b), atol=1e-12)
    assert fig.axes[1].lines[0].get_xdata()[0] == 0.0
    colors = {tuple(np.round(c.get_facecolor()[0][:3], 3)) for c in fig.axes[0].collections[-2:]}
    assert len(colors) == 2
    markers = {c.get_paths()[0].vertices.shape for c in fig.axes[1].collections}
    assert len(markers) == 2  # the classes differ by marker as well as colour
    fig2 = pb.plot_feature_space(X, y, H[:, :2], net.W[1][:2, 0], 0.0)
    assert fig2.axes[1].name == "rectilinear"


def test_error_vs_size_plots_the_mean():
    errors = {"a": np.array([[1.0, 0.5, 0.2], [3.0, 1.5, 0.4]])}
    fig = pb.plot_error_vs_size([10, 20, 40], errors)
    (line,) = fig.axes[0].lines
    np.testing.assert_allclose(line.get_ydata(), [2.0, 1.0, 0.3])
    with pytest.raises(ValueError, match="shape"):
        pb.plot_error_vs_size([10, 20], errors)


def test_fit_growth_and_spread_and_comparison():
    fig = pb.plot_feature_growth([1, 2, 3], {"poly": [6, 21, 56], "rbf": [5, 25, 125]})
    assert len(fig.axes[0].lines) == 2
    np.testing.assert_allclose(fig.axes[0].lines[1].get_ydata(), [5, 25, 125])
    fig = pb.plot_seed_spread([0.1, 0.2, 0.3], 0.05)
    offsets = fig.axes[0].collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 0], [0.1, 0.2, 0.3])
    x = np.linspace(0, 1, 5)
    fig = pb.plot_fit_comparison(x, x, x, {"m": 2 * x}, truth=x, train_range=(0, 0.5))
    assert len(fig.axes[0].lines) == 2
    np.testing.assert_allclose(fig.axes[0].lines[1].get_ydata(), 2 * x)
    with pytest.raises(ValueError, match="curve 'm' has 3 values"):
        pb.plot_fit_comparison(x, x, x, {"m": x[:3]})


def test_class_colours_follow_the_handout():
    state = xor.xor_forward(xor.HANDOUT_W)
    fig = pb.plot_xor_panels(state)
    blue = np.array([int(CLASS_COLORS[1][i : i + 2], 16) / 255 for i in (1, 3, 5)])
    label1 = [c for c in fig.axes[0].collections if c.get_label() == "y = 1"][0]
    np.testing.assert_allclose(label1.get_facecolor()[0][:3], blue, atol=1e-3)
