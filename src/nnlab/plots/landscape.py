"""Loss-landscape figures: a loss along a segment (with its chord), and 2-D slices.

`loss_slice` computes a slice (pure numbers, testable); `plot_segment` and `plot_slice`
draw what the engine computed. All functions return a pyplot-free Figure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..course import curvature
from ..engine.errors import NnlabValueError
from .style import COLORS, OKABE_ITO, axes_or_new, new_figure, series_style


def _as_curves(ts, losses, labels, where: str):
    ts = np.asarray(ts, dtype=np.float64)
    curves = np.atleast_2d(np.asarray(losses, dtype=np.float64))
    if ts.ndim != 1 or curves.shape[1] != ts.size:
        raise NnlabValueError(
            f"{where}: ts has shape {ts.shape} but losses {np.shape(losses)}; "
            "give one loss per t (or one row of losses per curve)"
        )
    if labels is None:
        labels = [None] * len(curves)
    if len(labels) != len(curves):
        raise NnlabValueError(f"{where}: {len(curves)} curve(s) but {len(labels)} label(s)")
    return ts, curves, list(labels)


def plot_segment(
    ts,
    losses,
    labels: Sequence[str] | None = None,
    chord: bool = True,
    title: str = "Loss along the segment",
    xlabel: str = r"$t$  (0: $\theta$,  1: $\pi\theta$)",
    ylabel: str = "loss",
    ax=None,
):
    """Loss against ``t`` for one curve (``losses`` 1-D) or several (one row each).

    With ``chord=True`` each curve's chord (the straight line between its two end values) is
    dashed: a convex function never rises above it, so any gap is a visible barrier.
    """
    ts, curves, labels = _as_curves(ts, losses, labels, "plot_segment")
    fig, ax = axes_or_new(ax, width=5.2, height=3.4)
    for k, (curve, label) in enumerate(zip(curves, labels, strict=True)):
        style = series_style(k, markevery=max(1, ts.size // 8))
        ax.plot(ts, curve, lw=2, label=label, **style)
        if chord:  # the chord: thin and dotted, in the curve's colour
            ax.plot([ts[0], ts[-1]], [curve[0], curve[-1]], ls=":", color=style["color"], lw=1.2,
                    alpha=0.8)  # fmt: skip
            k_max = int(np.argmax(curve - np.interp(ts, [ts[0], ts[-1]], [curve[0], curve[-1]])))
            ax.plot([ts[k_max]], [curve[k_max]], "*", color=style["color"], mec="black", ms=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if any(label is not None for label in labels):
        ax.legend(fontsize=8)
    return fig


def loss_slice(loss_fn, center, d1, d2, alphas, betas) -> np.ndarray:
    """``Z[i, j] = loss_fn(center + alphas[j] d1 + betas[i] d2)`` on a grid (rows: betas).

    ``center``, ``d1`` and ``d2`` share one structure (an array or a list of arrays, such as
    ``net.parameters()``).
    """
    c, unflatten = curvature.flatten(center)
    v1, v2 = curvature.flatten(d1)[0], curvature.flatten(d2)[0]
    if not (v1.shape == v2.shape == c.shape):
        raise NnlabValueError("loss_slice: center, d1 and d2 must have the same number of entries")
    alphas = np.asarray(alphas, dtype=np.float64)
    betas = np.asarray(betas, dtype=np.float64)
    Z = np.empty((betas.size, alphas.size))
    for i, b in enumerate(betas):
        for j, a in enumerate(alphas):
            Z[i, j] = float(np.asarray(_value(loss_fn(unflatten(c + a * v1 + b * v2)))))
    return Z


def _value(x):
    return x.value if hasattr(x, "value") else x


def plot_slice(
    alphas,
    betas,
    Z,
    points: dict | None = None,
    title: str = "A 2-D slice of the loss",
    xlabel: str = r"$\alpha$",
    ylabel: str = r"$\beta$",
    levels: int = 30,
    log: bool = False,
    ax=None,
):
    """Filled contours of ``Z`` (rows: ``betas``, columns: ``alphas``); ``points`` maps a
    label to an ``(alpha, beta)`` position to mark (minima, saddles, ...)."""
    alphas, betas, Z = (np.asarray(v, dtype=np.float64) for v in (alphas, betas, Z))
    if Z.shape != (betas.size, alphas.size):
        raise NnlabValueError(
            f"plot_slice: Z has shape {Z.shape}, expected (len(betas), len(alphas)) = "
            f"{(betas.size, alphas.size)}"
        )
    fig, ax = axes_or_new(ax, width=5.0, height=4.0)
    shown = np.log10(Z + 1e-12) if log else Z
    filled = ax.contourf(alphas, betas, shown, levels=levels, cmap="viridis")
    ax.contour(alphas, betas, shown, levels=levels, colors="white", linewidths=0.3, alpha=0.5)
    fig.colorbar(filled, ax=ax, label="log10 loss" if log else "loss")
    markers = ["*", "P", "X", "D", "s"]
    for k, (label, (a, b)) in enumerate((points or {}).items()):
        ax.plot(
            [a], [b], markers[k % len(markers)], ms=12, color=OKABE_ITO["orange"],
            markeredgecolor="black", label=label,
        )  # fmt: skip
    if points:
        ax.legend(fontsize=8, loc="upper right")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return fig


def plot_flat_convex(t=None, threshold: float = 1.0):
    """Erratum picture: ``g(t) = max(|t| - threshold, 0)**2`` is convex, yet every ``t`` in
    ``[-threshold, threshold]`` minimises it (many minimisers, no contradiction)."""
    t = np.linspace(-2.5, 2.5, 401) if t is None else np.asarray(t, dtype=np.float64)
    g = np.maximum(np.abs(t) - threshold, 0.0) ** 2
    fig, ax = new_figure(width=4.6, height=3.0)
    ax.plot(t, g, lw=2, label=r"$g(t)=\max(|t|-1,0)^2$", **series_style(0))
    ax.plot([-threshold, threshold], [0, 0], color=COLORS["reverse"], lw=5, alpha=0.6,
            label="all minimisers")  # fmt: skip
    ax.set_xlabel("$t$")
    ax.set_ylabel("$g(t)$")
    ax.set_title("Convex, with a whole interval of minimisers")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper center")
    return fig
