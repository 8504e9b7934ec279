"""Figures of chapter 11 (why training is hard) drawn from `nnlab.course.hardness` results.

Lines differ by colour, line style and marker (`style.series_style`), so they read in grey.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from ..engine.errors import NnlabValueError
from .style import axes_or_new, series_style


def plot_steps_vs_kappa(
    rows: Sequence, ax=None, title: str = "Steps to shrink the loss 1e8-fold"
) -> Figure:
    """Measured steps against condition number, log-log: gradient descent and heavy-ball
    momentum (``rows`` from `nnlab.course.hardness.quadratic_steps`), with the slopes 1 and 1/2
    that ``kappa`` and ``sqrt(kappa)`` predict drawn thin for reference."""
    rows = [r for r in rows if r.kappa > 1]
    if len(rows) < 2:
        raise NnlabValueError("plot_steps_vs_kappa: need at least two rows with kappa > 1")
    fig, ax = axes_or_new(ax, width=5.0, height=3.4)
    kappa = np.array([r.kappa for r in rows])
    gd = np.array([r.gd_steps for r in rows], dtype=float)
    hb = np.array([r.momentum_steps for r in rows], dtype=float)
    ax.plot(kappa, gd, label="gradient descent, best fixed step", lw=1.8, **series_style(0, 1))
    ax.plot(kappa, hb, label="heavy-ball momentum, tuned", lw=1.8, **series_style(1, 1))
    ax.plot(kappa, gd[0] * kappa / kappa[0], color="#555555", lw=0.8, ls=":",
            label=r"$\propto \kappa$ and $\propto \sqrt{\kappa}$")  # fmt: skip
    ax.plot(kappa, hb[0] * np.sqrt(kappa / kappa[0]), color="#555555", lw=0.8, ls=":")
    for x, a, b in zip(kappa, gd, hb, strict=True):
        ax.annotate(f"{a:.0f}", (x, a), xytext=(4, -10), textcoords="offset points", fontsize=8)
        ax.annotate(f"{b:.0f}", (x, b), xytext=(4, -10), textcoords="offset points", fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"condition number $\kappa = \lambda_{\max} / \lambda_{\min}$")
    ax.set_ylabel("steps (log scale)")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, loc="upper left")
    return fig


def plot_depth_norms(
    series: Mapping[str, Sequence], ax=None, title: str = "Gradient norm at initialisation"
) -> Figure:
    """Gradient norm (all parameters) against depth, one line per initial weight scale;
    ``series`` maps a label to rows from `nnlab.course.hardness.depth_explosion`."""
    if not series:
        raise NnlabValueError("plot_depth_norms: series is empty")
    fig, ax = axes_or_new(ax, width=5.0, height=3.4)
    for k, (label, rows) in enumerate(series.items()):
        rows = list(rows)
        if not rows:
            raise NnlabValueError(f"plot_depth_norms: no rows for {label!r}")
        depths = [r.depth for r in rows]
        ax.plot(depths, [r.grad_norm for r in rows], label=label, lw=1.8, **series_style(k, 1))
    ax.set_yscale("log")
    ax.set_xlabel("depth $D$ (weight layers)")
    ax.set_ylabel(r"$\|\nabla L\|$ (log scale)")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return fig


def plot_layer_gradients(
    norms: Mapping[str, Sequence[float]], ax=None, title: str = "Gradient norm per layer"
) -> Figure:
    """``||dL/dW_l||`` against the layer index ``l = 0 .. D-1`` (0 = next to the input, as in
    ``net.W[0]``) on a log axis, one line per network (label -> values)."""
    if not norms:
        raise NnlabValueError("plot_layer_gradients: norms is empty")
    fig, ax = axes_or_new(ax, width=5.0, height=3.4)
    for k, (label, values) in enumerate(norms.items()):
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 1 or values.size == 0 or np.any(values <= 0):
            raise NnlabValueError(
                f"plot_layer_gradients: {label!r} needs a 1-D list of positive values (log axis)"
            )
        ax.plot(np.arange(values.size), values, label=label, lw=1.8, **series_style(k, 1))
    ax.set_yscale("log")
    ax.set_xlabel(r"layer $\ell$ of $W_\ell$ (0 = next to the input)")
    ax.set_ylabel(r"$\|\partial L / \partial W_\ell\|$ (log scale)")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return fig
