"""Activation functions and their derivatives, drawn from the engine's `ACTIVATIONS` table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engine.errors import NnlabValueError
from ..engine.ops import relu, softmax
from ..nn.mlp import ACTIVATIONS
from .style import COLORS, new_figure, series_style

__all__ = ["plot_activations", "plot_softmax", "plot_relu_identities"]

# Horizontal asymptotes / bounds of each range, drawn as dotted lines.
_BOUNDS = {"relu": [0.0], "tanh": [-1.0, 1.0], "sigmoid": [0.0, 1.0], "softplus": [0.0]}


def plot_activations(names: Sequence[str] = ("relu", "tanh", "sigmoid"), zlim=(-4.0, 4.0), n=401):
    """One panel per activation: the function (solid) and its derivative (dashed).

    The derivative comes from the engine's ``Activation.derivative``; each panel's
    title states the range (open or half-open interval) from the engine.
    """
    names = list(names)
    unknown = [n_ for n_ in names if n_ not in ACTIVATIONS]
    if not names or unknown:
        raise NnlabValueError(
            f"plot_activations: unknown activation(s) {unknown}; valid: {sorted(ACTIVATIONS)}"
        )
    if zlim[0] >= zlim[1]:
        raise NnlabValueError(
            f"plot_activations: zlim must be (low, high) with low < high, got {zlim}"
        )
    z = np.linspace(zlim[0], zlim[1], n)
    # three panels side by side stay within the page's width (text at full size)
    fig, axes = new_figure(ncols=len(names), width=min(3.2, 7.0 / len(names)), height=2.5)
    axes = np.atleast_1d(axes)
    for ax, name in zip(axes, names, strict=True):
        act = ACTIVATIONS[name]
        a = np.asarray(act.fn(z))
        da = act.derivative(z, a)
        ax.plot(z, a, lw=2, label=f"{name}(z)", **series_style(0))
        ax.plot(z, da, lw=1.6, label="derivative", **series_style(1, markevery=40))
        for y in _BOUNDS.get(name, []):
            ax.axhline(y, color=COLORS["neutral"], lw=0.8, ls=":")
        ax.set_title(f"{name}: range {act.range}", fontsize=9)
        ax.set_xlabel("z")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="upper left")
    return fig


def plot_softmax(logits, labels=None):
    """Bars of the logits (left) and of softmax(logits), a probability vector (right)."""
    z = np.asarray(logits, dtype=float)
    if z.ndim != 1 or z.size < 2:
        raise NnlabValueError(
            f"plot_softmax: needs a 1-D vector of at least 2 logits, got shape {z.shape}"
        )
    p = np.asarray(softmax(z))
    labels = list(labels) if labels is not None else [f"class {k + 1}" for k in range(z.size)]
    if len(labels) != z.size:
        raise NnlabValueError(f"plot_softmax: labels needs {z.size} entries, got {len(labels)}")
    fig, (ax1, ax2) = new_figure(ncols=2, width=3.4, height=2.6)
    ax1.bar(labels, z, color=COLORS["hidden"], edgecolor="black", linewidth=0.6)
    ax1.axhline(0, color="black", lw=0.8)
    ax1.set_title("logits z (any real numbers)", fontsize=10)
    ax2.bar(labels, p, color=COLORS["output"], edgecolor="black", linewidth=0.6)
    ax2.set_ylim(0, 1)
    ax2.set_title(f"softmax(z): sums to {p.sum():.3f}", fontsize=10)
    for k, v in enumerate(p):
        ax2.text(k, v + 0.02, f"{v:.3f}", ha="center", fontsize=8)
    return fig


def plot_relu_identities(xlim=(-3.0, 3.0), n=301):
    """ReLU units combine into x and -|x|: two panels, the parts (thin) and the sum (thick)."""
    x = np.linspace(xlim[0], xlim[1], n)
    rp, rn = relu(x), relu(-x)
    fig, axes = new_figure(ncols=2, width=3.4, height=2.8)
    panels = [
        ("x = ReLU(x) - ReLU(-x)", rp, -rn, rp - rn),
        ("-|x| = -ReLU(x) - ReLU(-x)", -rp, -rn, -rp - rn),
    ]
    for ax, (title, a, b, total) in zip(axes, panels, strict=True):
        ax.plot(x, total, color=COLORS["output"], lw=6, alpha=0.45, label="sum")
        ax.plot(x, a, lw=1.8, label="first term", **series_style(0, markevery=30))
        ax.plot(x, b, lw=1.8, label="second term", **series_style(1, markevery=(15, 30)))
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("x")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    return fig
