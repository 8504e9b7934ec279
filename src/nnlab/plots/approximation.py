"""Figures for chapter 3: a network against its target, error against K, and extrapolation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.ticker import NullFormatter

from ..engine.errors import NnlabValueError
from .style import COLORS, new_figure, series_style


def _curve(x, y, what: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or y.shape != x.shape:
        raise NnlabValueError(
            f"{what}: x and y must be 1-D of the same length, got {x.shape}, {y.shape}"
        )
    return x, y


def plot_fit(
    x,
    target,
    fits: Mapping[str, Sequence[float]],
    knots=None,
    knot_values=None,
    title: str = "Target and networks",
):
    """Left: the target and each fitted curve; right: |fit - target| on the same grid.

    ``fits`` maps a legend label to the fitted values on ``x``; ``knots`` (optional) are
    marked on the target.
    """
    x, target = _curve(x, target, "plot_fit")
    if not fits:
        raise NnlabValueError("plot_fit: needs at least one fitted curve")
    fig, (ax, ax_err) = new_figure(ncols=2, width=3.5, height=3.0)
    ax.plot(x, target, color=COLORS["neutral"], lw=3, alpha=0.45, label="target f")
    for k, (label, values) in enumerate(fits.items()):
        _, values = _curve(x, values, f"plot_fit[{label}]")
        # each fit keeps one colour, line style and marker in both panels
        every = max(1, x.size // 8)
        ax.plot(
            x, values, lw=1.4, label=label, **series_style(k, markevery=(k * every // 3, every))
        )
        ax_err.plot(
            x,
            np.abs(values - target),
            lw=1.2,
            label=label,
            **series_style(k, markevery=(k * every // 3, every)),
        )
    if knots is not None:
        ax.plot(knots, knot_values, "o", ms=4, color=COLORS["neutral"], label="knots")
    ax.set(xlabel="x", ylabel="value", title=title)
    ax.legend(fontsize=8)
    ax_err.set(xlabel="x", ylabel="|network - f|", title="Pointwise error")
    ax_err.legend(fontsize=8)
    return fig


def plot_convergence(Ks, errors, rate: float, constant: float):
    """Sup-norm error against K on log-log axes, with the fitted line C K**rate."""
    Ks, errors = _curve(Ks, errors, "plot_convergence")
    if np.any(Ks <= 0) or np.any(errors <= 0):
        raise NnlabValueError("plot_convergence: needs positive K and positive errors (log axes)")
    fig, ax = new_figure(width=4.6, height=3.4)
    ax.loglog(Ks, errors, "o", color=COLORS["forward"], mec="black", label="max error on the grid")
    fine = np.geomspace(Ks.min(), Ks.max(), 50)
    ax.loglog(
        fine,
        constant * fine**rate,
        **series_style(1),
        label=f"fit: {constant:.2f} K^({rate:.2f})",
    )
    ax.set(
        xlabel="hidden units K",
        ylabel="max |network - f|",
        title="Interpolating ReLU network: error vs K",
    )
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xticks(Ks, [f"{int(k)}" for k in Ks])
    ax.legend(fontsize=8)
    return fig


def plot_extrapolation(x, target, net_values, a: float, b: float):
    """Target and network on a wider interval; the approximation interval [a, b] is shaded."""
    x, target = _curve(x, target, "plot_extrapolation")
    _, net_values = _curve(x, net_values, "plot_extrapolation")
    fig, ax = new_figure(width=5.2, height=3.4)
    ax.axvspan(a, b, color=COLORS["hidden"], alpha=0.12, label=f"[a, b] = [{a:g}, {b:g}]")
    ax.plot(x, target, color=COLORS["neutral"], lw=3, alpha=0.45, label="target f")
    ax.plot(x, net_values, lw=1.4, label="network", **series_style(0))
    ax.set(
        xlabel="x", ylabel="value", title="Inside [a, b] the network is close; outside it is not"
    )
    ax.legend(fontsize=8)
    return fig


def plot_unbounded_target(x, target, net_values, bound: float):
    """1/x-style target on (0, 1] (log y axis) against a network bounded by ``bound`` there."""
    x, target = _curve(x, target, "plot_unbounded_target")
    _, net_values = _curve(x, net_values, "plot_unbounded_target")
    if np.any(target <= 0):
        raise NnlabValueError(
            "plot_unbounded_target: draws a log y axis: the target must be positive"
        )
    fig, ax = new_figure(width=5.0, height=3.4)
    ax.semilogx(x, target, color=COLORS["neutral"], lw=3, alpha=0.45, label="f(x) = 1/x")
    ax.semilogx(x, net_values, lw=1.4, label="network", **series_style(0))
    ax.axhline(bound, lw=1, label=f"network's max = {bound:.1f}", **series_style(1))
    ax.set_yscale("log")
    ax.set(
        xlabel="x (log scale)",
        ylabel="value (log scale)",
        title="A bounded network cannot follow 1/x near 0",
    )
    ax.legend(fontsize=8)
    return fig
