"""Figures of chapter 3 draw the engine's numbers."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlab.course import approximation as approx
from nnlab.plots import approximation as aplots


def f(x):
    return np.sin(2 * x) + 0.3 * x**2


def test_plot_fit_draws_target_fits_and_errors():
    x = np.linspace(-2, 2, 201)
    fit = approx.net_on(approx.relu_interpolant(f, 4, -2, 2), x)
    knots = approx.knots_for(4, -2, 2)
    fig = aplots.plot_fit(x, f(x), {"K = 4": fit}, knots=knots, knot_values=f(knots))
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    ax, ax_err = fig.axes
    assert len(ax.lines) == 3 and len(ax_err.lines) == 1
    assert np.allclose(ax.lines[1].get_ydata(), fit)
    assert np.allclose(ax_err.lines[0].get_ydata(), np.abs(fit - f(x)))


def test_plot_convergence_uses_fitted_line():
    conv = approx.convergence(f, [2, 4, 8], -2, 2, n=2001)
    fig = aplots.plot_convergence(conv.Ks, conv.errors, conv.rate, conv.constant)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert np.allclose(ax.lines[0].get_ydata(), conv.errors)
    xs = ax.lines[1].get_xdata()
    assert np.allclose(ax.lines[1].get_ydata(), conv.constant * xs**conv.rate)


def test_plot_extrapolation_and_unbounded_target():
    x = np.linspace(-4, 4, 101)
    net = approx.relu_interpolant(f, 8, -2, 2)
    fig = aplots.plot_extrapolation(x, f(x), approx.net_on(net, x), -2, 2)
    assert len(fig.axes[0].lines) == 2 and len(fig.axes[0].patches) == 1
    xs = np.geomspace(1e-3, 1, 50)
    fig2 = aplots.plot_unbounded_target(xs, 1 / xs, np.minimum(1 / xs, 10.0), 10.0)
    assert fig2.axes[0].get_yscale() == "log" and len(fig2.axes[0].lines) == 3


def test_plot_errors():
    with pytest.raises(ValueError, match="at least one"):
        aplots.plot_fit(np.zeros(3), np.zeros(3), {})
    with pytest.raises(ValueError, match="same length"):
        aplots.plot_extrapolation(np.zeros(3), np.zeros(4), np.zeros(3), 0, 1)
    with pytest.raises(ValueError, match="positive"):
        aplots.plot_convergence([1, 2], [0.0, 1.0], -1, 1)
