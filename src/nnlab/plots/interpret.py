"""Figures for chapters 13 and 14: shifted data, attributions, decision maps and hidden units.

Every function returns a pyplot-free `Figure`. Class colours follow the handout: blue for
label 1, red for label 0; a shaded decision map uses pale versions of the same colours.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.colors import ListedColormap

from ..course.interpret import boundaries, scores, units
from ..engine.errors import NnlabValueError
from ..nn import data
from ..nn.mlp import MLP
from .style import CLASS_COLORS, CLASS_MARKERS, COLORS, OKABE_ITO, new_figure, series_style

__all__ = [
    "plot_curves",
    "plot_decision_attributions",
    "plot_feature_bars",
    "plot_shift",
    "plot_unit_maps",
]

# pale versions of the class colours: predicted 0 (vermillion), predicted 1 (blue)
_PALE = ListedColormap(["#f7dccb", "#cce3f0"])
_METHOD_COLORS = [OKABE_ITO[c] for c in ("blue", "orange", "green", "purple", "vermillion",
                                         "sky_blue", "black")]  # fmt: skip
_HATCHES = ["", "//", "..", "xx", "\\\\", "oo", "--"]


def _points(X, y, where: str, what: str = "X"):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (len(X),):
        raise NnlabValueError(
            f"{where}: {what} must be 2-D points (n, 2) with labels (n,), got {X.shape} and "
            f"{y.shape}"
        )
    return X, y


def _shade(ax, grid, scores):
    ax.contourf(grid.xx, grid.yy, (scores > 0).astype(float), levels=[-0.5, 0.5, 1.5], cmap=_PALE)
    if scores.min() < 0 < scores.max():
        ax.contour(grid.xx, grid.yy, scores, levels=[0.0], colors="k", linewidths=1.2)


def _scatter(ax, X, y, marker=None, label_prefix="", size=14, edge="black"):
    """Each class in its colour and marker (`CLASS_MARKERS`); ``marker`` ({label: marker})
    replaces the markers (deployment points are crosses: x for label 0, + for label 1)."""
    for label in (0, 1):
        pts = X[y == label]
        if len(pts):
            shape = (marker or CLASS_MARKERS)[label]
            filled = shape not in ("x", "+")
            ax.scatter(
                pts[:, 0],
                pts[:, 1],
                s=size,
                marker=shape,
                color=CLASS_COLORS[label],
                edgecolors=edge if filled else None,
                linewidths=0.4 if filled else 1.2,
                label=f"{label_prefix}label {label}",
            )


def plot_shift(
    f: Callable,
    X_train,
    y_train,
    X_deploy,
    y_deploy,
    truth: Callable | None = None,
    xlim=(-3.5, 3.5),
    ylim=(-3.5, 3.5),
    steps: int = 150,
    title: str = "Trained here, deployed there",
):
    """The model's decision regions (shaded, black boundary), training points (circles) and
    deployment points (crosses); ``truth(X) -> scores`` adds the true boundary (dashed)."""
    X_train, y_train = _points(X_train, y_train, "plot_shift", "training data")
    X_deploy, y_deploy = _points(X_deploy, y_deploy, "plot_shift", "deployment data")
    grid, scores = boundaries.decision_map(f, xlim, ylim, steps)
    fig, ax = new_figure(width=5.4, height=4.0)
    _shade(ax, grid, scores)
    if truth is not None:
        true_scores = np.asarray(truth(grid.points), dtype=np.float64).reshape(grid.xx.shape)
        ax.contour(
            grid.xx, grid.yy, true_scores, levels=[0.0], colors=COLORS["neutral"], linestyles="--"
        )
        ax.plot([], [], "--", color=COLORS["neutral"], label="true boundary")
    ax.plot([], [], "-", color="k", label="model boundary")
    _scatter(ax, X_train, y_train, None, "train, ", size=12)
    _scatter(ax, X_deploy, y_deploy, {0: "x", 1: "+"}, "deploy, ", size=22)
    ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$", title=title, aspect="equal")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    return fig


def plot_curves(
    x,
    curves: Mapping[str, Sequence[float]],
    xlabel: str,
    ylabel: str,
    title: str = "",
    reference: float | None = None,
    reference_label: str = "chance",
    logy: bool = False,
    logx: bool = False,
):
    """One line with markers per entry of ``curves`` against ``x``; an optional horizontal
    reference line (e.g. chance accuracy)."""
    x = np.asarray(x, dtype=np.float64)
    if not curves:
        raise NnlabValueError("plot_curves: needs at least one curve")
    fig, ax = new_figure(width=5.0, height=3.4)
    for k, (label, ys) in enumerate(curves.items()):
        ys = np.asarray(ys, dtype=np.float64)
        if ys.shape != x.shape:
            raise NnlabValueError(
                f"plot_curves: curve {label!r} has {ys.shape} values for {x.shape} x positions"
            )
        ax.plot(x, ys, lw=1.4, label=label, **series_style(k, markevery=1))
    if reference is not None:
        ax.axhline(reference, color=COLORS["neutral"], ls=":", lw=1, label=reference_label)
    if logy:
        ax.set_yscale("log")
    if logx:
        ax.set_xscale("log", base=2)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    return fig


def plot_feature_bars(
    features: Sequence[str],
    values: Mapping[str, Sequence[float]],
    title: str = "",
    ylabel: str = "importance",
    normalize: bool = False,
):
    """Grouped bars: one group per feature, one bar per method in ``values``.

    ``normalize=True`` divides each method's values by the sum of their absolute values, so
    methods on different scales can be compared as shares.
    """
    features = list(features)
    if not values:
        raise NnlabValueError("plot_feature_bars: needs at least one method")
    k = len(values)
    width = 0.8 / k
    fig, ax = new_figure(width=max(4.6, 1.5 * len(features) + 1.0), height=3.6)
    pos = np.arange(len(features))
    for m, (label, vals) in enumerate(values.items()):
        vals = np.asarray(vals, dtype=np.float64).reshape(-1)
        if vals.shape != (len(features),):
            raise NnlabValueError(
                f"plot_feature_bars: method {label!r} has {vals.size} values for {len(features)} "
                "features"
            )
        if normalize:
            total = np.abs(vals).sum()
            vals = vals / total if total > 0 else vals
        # methods differ by colour and hatching
        ax.bar(pos + (m - (k - 1) / 2) * width, vals, width, color=_METHOD_COLORS[m % 7],
               hatch=_HATCHES[m % 7], edgecolor="black", linewidth=0.6, label=label)  # fmt: skip
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xticks(pos, features)
    ax.set(ylabel=("share of total |importance|" if normalize else ylabel), title=title)
    ax.legend(
        fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(k, 3)
    )
    return fig


def plot_decision_attributions(
    f: Callable,
    X,
    y,
    points,
    vectors: Mapping[str, np.ndarray] | None = None,
    xlim=(-1.6, 2.6),
    ylim=(-1.2, 1.7),
    steps: int = 150,
    decision=None,
    title: str = "Decision boundary and attributions",
    scale: float | None = None,
    arrow_length: float | None = None,
):
    """A 2-input classifier's decision regions and data, with attribution vectors drawn as
    arrows starting at ``points`` (one arrow per point and per entry of ``vectors``).

    ``decision=(grid, scores)`` reuses a precomputed `boundaries.decision_map`. Arrows of
    all methods share one ``scale`` (default: longest arrow = 0.5 units of the plot);
    ``arrow_length`` instead draws every arrow with that length (directions only; zero
    vectors stay zero).
    """
    X, y = _points(X, y, "plot_decision_attributions")
    P = np.atleast_2d(np.asarray(points, dtype=np.float64))
    if P.shape[1] != 2:
        raise NnlabValueError(
            f"plot_decision_attributions: points must have shape (k, 2), got {P.shape}"
        )
    vectors = dict(vectors or {})
    for label, V in vectors.items():
        if np.shape(V) != P.shape:
            raise NnlabValueError(
                f"plot_decision_attributions: vectors {label!r} must have shape {P.shape}, got "
                f"{np.shape(V)}"
            )
    grid, scores = (
        decision if decision is not None else boundaries.decision_map(f, xlim, ylim, steps)
    )
    fig, ax = new_figure(width=5.6, height=4.0)
    _shade(ax, grid, scores)
    _scatter(ax, X, y, None, "", size=10)
    ax.scatter(P[:, 0], P[:, 1], s=40, facecolors="none", edgecolors="k", lw=1.2, zorder=3)
    if vectors:
        longest = max(float(np.max(np.linalg.norm(V, axis=1))) for V in vectors.values())
        s = scale if scale is not None else (0.5 / longest if longest > 0 else 1.0)
        for m, (label, V) in enumerate(vectors.items()):
            V = np.asarray(V, dtype=np.float64)
            if arrow_length is not None:
                norms = np.linalg.norm(V, axis=1, keepdims=True)
                V = np.divide(V, norms, out=np.zeros_like(V), where=norms > 0) * arrow_length
            else:
                V = V * s
            ax.quiver(
                P[:, 0],
                P[:, 1],
                V[:, 0],
                V[:, 1],
                angles="xy",
                scale_units="xy",
                scale=1.0,
                # methods differ by colour and fill: every other method's arrows are hollow
                facecolor=_METHOD_COLORS[(m + 2) % 7] if m % 2 == 0 else "white",
                edgecolor=_METHOD_COLORS[(m + 2) % 7],
                linewidth=0 if m % 2 == 0 else 1.4,
                width=0.009,
                zorder=4 + m,
                label=label,
            )
    ax.plot([], [], "-", color="k", label="boundary (logit 0)")
    ax.set(
        xlim=(grid.xx.min(), grid.xx.max()),
        ylim=(grid.yy.min(), grid.yy.max()),
        xlabel="$x_1$",
        ylabel="$x_2$",
        title=title,
        aspect="equal",
    )
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    return fig


def plot_unit_maps(
    net: MLP,
    X=None,
    y=None,
    xlim=(-2, 2),
    ylim=(-2, 2),
    steps: int = 120,
    layer: int = 0,
    titles: Sequence[str] | None = None,
    show_output: bool = True,
    suptitle: str | None = None,
):
    """One panel per hidden unit of a 2-input network: the unit's activation on a grid (heat
    map, zero level dashed), optionally the data, and a last panel with the output logit.

    Non-negative maps (ReLU units) are drawn in greens; maps with negative values in a
    diverging purple (negative) to orange (positive) scale centred at 0."""
    if not isinstance(net, MLP) or net.sizes[0] != 2:
        raise NnlabValueError("plot_unit_maps: draws 2-input nnlab.MLP networks")
    g = data.grid(xlim, ylim, steps)
    H = units.hidden_activations(net, g.points, layer)
    width = H.shape[1]
    titles = list(titles) if titles is not None else [f"unit {j + 1}" for j in range(width)]
    if len(titles) != width:
        raise NnlabValueError(
            f"plot_unit_maps: need {width} titles (one per unit), got {len(titles)}"
        )
    n_panels = width + (1 if show_output else 0)
    # at most three panels a row, so the figure stays within the page's width
    n_rows = -(-n_panels // 3)
    n_cols = -(-n_panels // n_rows)
    fig, axes = new_figure(ncols=n_cols, nrows=n_rows, width=2.3, height=2.4)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[n_panels:]:
        ax.axis("off")
    axes = axes[:n_panels]
    maps = [H[:, j] for j in range(width)]
    if show_output:
        maps.append(np.asarray(scores.score_function(net)(g.points)))
        titles = [*titles, "output logit"]
    if X is not None:
        X, y = _points(X, y, "plot_unit_maps")
    for ax, values, title in zip(axes, maps, titles, strict=True):
        Z = values.reshape(g.xx.shape)
        if Z.min() < 0:  # signed map: diverging colours centred at 0
            top = float(np.abs(Z).max()) or 1.0
            style = {"cmap": "PuOr_r", "vmin": -top, "vmax": top}
        else:
            style = {"cmap": "Greens", "vmin": 0.0}
        ax.pcolormesh(g.xx, g.yy, Z, shading="auto", rasterized=True, **style)
        if Z.min() < 0 < Z.max() or (Z.min() == 0 < Z.max()):
            ax.contour(g.xx, g.yy, Z, levels=[1e-9], colors="k", linewidths=0.8, linestyles="--")
        if X is not None:
            _scatter(ax, X, y, None, "", size=7, edge="white")
        ax.set(title=title, xlabel="$x_1$", aspect="equal", xlim=xlim, ylim=ylim)
        ax.title.set_fontsize(9)
    for ax in axes[::n_cols]:
        ax.set_ylabel("$x_2$")
    if suptitle:
        fig.suptitle(suptitle, fontsize=10)
    return fig
