"""nnlab.plots.landscape: segment and slice figures show the engine's numbers."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import nnlab
from nnlab.course import curvature
from nnlab.plots import landscape


def quadratic(p):
    return nnlab.sum(p * p)


def test_plot_segment_draws_curves_and_chords():
    ts = np.linspace(0, 1, 11)
    curves = np.array([1 + np.sin(np.pi * ts), 2 - ts])
    fig = landscape.plot_segment(ts, curves, labels=["bump", "line"])
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    # per curve: the curve, its chord and the marker of the largest gap
    assert len(ax.lines) == 6
    np.testing.assert_allclose(ax.lines[0].get_ydata(), curves[0])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [curves[0][0], curves[0][-1]])
    assert ax.lines[2].get_xdata()[0] == pytest.approx(0.5)  # the bump's peak
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["bump", "line"]


def test_plot_segment_without_chord_and_errors():
    ts = np.linspace(0, 1, 4)
    fig = landscape.plot_segment(ts, ts**2, chord=False)
    assert len(fig.axes[0].lines) == 1 and fig.axes[0].get_legend() is None
    with pytest.raises(ValueError, match="one loss per t"):
        landscape.plot_segment(ts, np.zeros(3))
    with pytest.raises(ValueError, match="label"):
        landscape.plot_segment(ts, ts, labels=["a", "b"])


def test_loss_slice_matches_engine_and_plot_slice():
    center = np.array([0.5, -1.0])
    d1, d2 = np.array([1.0, 0.0]), np.array([0.0, 2.0])
    alphas, betas = np.linspace(-1, 1, 5), np.linspace(-1, 1, 3)
    Z = landscape.loss_slice(quadratic, center, d1, d2, alphas, betas)
    assert Z.shape == (3, 5)
    i, j = 2, 1
    point = center + alphas[j] * d1 + betas[i] * d2
    assert Z[i, j] == pytest.approx(float(quadratic(point)))
    fig = landscape.plot_slice(alphas, betas, Z, points={"a": (0, 0), "b": (1, 0)})
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2  # the slice and its colour bar
    assert len(fig.axes[0].lines) == 2
    with pytest.raises(ValueError, match="Z has shape"):
        landscape.plot_slice(alphas, betas, Z.T)
    with pytest.raises(ValueError, match="same number"):
        landscape.loss_slice(quadratic, center, d1, np.zeros(3), alphas, betas)


def test_slice_through_theta_and_pi_theta_is_mirror_symmetric():
    net = nnlab.MLP([1, 3, 1], activation="tanh", output="identity", seed=0)
    x = np.linspace(-2, 2, 9).reshape(-1, 1)
    y = np.sin(x).ravel()

    def loss(p):
        return nnlab.mse(net.apply(p, x), y)

    theta = net.parameters()
    swap = curvature.permute_hidden(theta, 0, [1, 0, 2])
    centre = curvature.interpolate(theta, swap, 0.5)
    v, unflatten = curvature.flatten(theta)
    d1 = (curvature.flatten(swap)[0] - v) / 2
    r = unflatten(np.random.default_rng(0).standard_normal(v.size))
    d2 = curvature.flatten(r)[0] + curvature.flatten(curvature.permute_hidden(r, 0, [1, 0, 2]))[0]
    alphas = np.linspace(-1.5, 1.5, 7)
    Z = landscape.loss_slice(loss, centre, unflatten(d1), unflatten(d2), alphas, [-0.3, 0.0, 0.4])
    np.testing.assert_allclose(Z, Z[:, ::-1], atol=1e-12)
    assert Z[1, 1] == pytest.approx(float(loss(theta)))  # alpha = -1, beta = 0 is theta


def test_plot_flat_convex_marks_interval():
    fig = landscape.plot_flat_convex()
    ax = fig.axes[0]
    t, g = ax.lines[0].get_xdata(), ax.lines[0].get_ydata()
    np.testing.assert_allclose(g, np.maximum(np.abs(t) - 1, 0) ** 2)
    np.testing.assert_allclose(ax.lines[1].get_xdata(), [-1, 1])
