"""nnlab.plots.surfaces: surfaces computed from the engine; figures show what was computed."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import nnlab
from nnlab.course import curvature
from nnlab.plots import surfaces


def toy(p):
    return (p[0] * p[1] - 1.0) ** 2


def test_surface_values_and_gradient_norms_match_the_engine():
    xs, ys = np.linspace(-1, 1, 5), np.linspace(-2, 2, 3)
    Z, G = surfaces.surface(toy, xs, ys)
    assert Z.shape == G.shape == (3, 5)
    i, j = 2, 1  # y = 2, x = -0.5
    assert Z[i, j] == pytest.approx((xs[j] * ys[i] - 1) ** 2)
    g = nnlab.grad(toy)(np.array([xs[j], ys[i]]))
    assert G[i, j] == pytest.approx(np.linalg.norm(g))
    assert G[1, 2] == 0.0  # the saddle at the origin


def test_surface_errors():
    with pytest.raises(ValueError, match="1-D grids"):
        surfaces.surface(toy, [0.0], [0.0, 1.0])
    with pytest.raises(TypeError, match="function"):
        surfaces.surface("toy", [0.0, 1.0], [0.0, 1.0])


def test_plot_surface_contours_paths_and_annotations():
    xs = np.linspace(-1.5, 1.5, 21)
    Z, _ = surfaces.surface(toy, xs, xs)
    H = curvature.hessian(toy, np.zeros(2))
    path = np.array([[0.7, -0.7], [0.3, -0.3], [0.1, 0.1]])
    fig = surfaces.plot_surface(
        xs, xs, Z, paths={"gd": path}, points={"saddle": (0, 0, H.eigenvalues)}
    )
    assert isinstance(fig, Figure)
    contour_ax = fig.axes[0]
    assert not any(ax.name == "3d" for ax in fig.axes)  # no 3-D panel: it added nothing
    assert len(fig.axes) == 2  # the map and its colour bar
    np.testing.assert_allclose(contour_ax.lines[0].get_xydata(), path)
    texts = [t.get_text() for t in contour_ax.texts]
    assert texts == ["λ = -2.000, 2.000"]
    legend = [t.get_text() for t in contour_ax.get_legend().get_texts()]
    assert legend == ["gd", "saddle"]


def test_plot_surface_contour_only_and_errors():
    xs = np.linspace(0, 1, 4)
    Z = np.add.outer(xs, xs)
    fig = surfaces.plot_surface(xs, xs, Z, view="contour")
    assert not any(ax.name == "3d" for ax in fig.axes)
    with pytest.raises(ValueError, match="view"):
        surfaces.plot_surface(xs, xs, Z, view="side")
    with pytest.raises(ValueError, match="view"):
        surfaces.plot_surface(xs, xs, Z, view="3d")
    with pytest.raises(ValueError, match="expected"):
        surfaces.plot_surface(xs, xs[:3], Z)
    with pytest.raises(ValueError, match="path"):
        surfaces.plot_surface(xs, xs, Z, paths={"bad": [1.0, 2.0]}, view="contour")


def test_plot_gradient_map_shows_log_norms():
    xs = np.linspace(-1, 1, 6)
    _, G = surfaces.surface(toy, xs, xs)
    fig = surfaces.plot_gradient_map(xs, xs, G, points={"saddle": (0.0, 0.0)})
    mesh = fig.axes[0].collections[0]
    np.testing.assert_allclose(
        np.asarray(mesh.get_array()).ravel(), np.log10(np.maximum(G, 1e-12)).ravel()
    )


def test_plot_traces_and_layer_norms():
    fig = surfaces.plot_traces({"a": [1.0, 0.5, 0.25], "b": [2.0, 1.0, 0.1]}, marks={"drop": 1})
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [2.0, 1.0, 0.1])
    assert ax.get_yscale() == "log"
    fig = surfaces.plot_layer_norms({"sigmoid": [1e-5, 1e-3, 1e-1]})
    np.testing.assert_allclose(fig.axes[0].lines[0].get_xdata(), [0, 1, 2])  # W_0, W_1, W_2
    with pytest.raises(ValueError, match="positive"):
        surfaces.plot_layer_norms({"x": [0.0, 1.0]})
    with pytest.raises(ValueError, match="empty"):
        surfaces.plot_traces({})


def test_eigen_label_precision():
    assert surfaces.eigen_label([0.0779, 1.5], precision=2) == "λ = 0.08, 1.50"
