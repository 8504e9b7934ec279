"""Figures for the learned-basis chapters (skills 4 and 5).

Each function takes numbers computed elsewhere (by `nnlab.course.basis`, an `MLP`, or
`nnlab.course.xor.xor_forward`) and returns a pyplot-free Figure.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullFormatter

from ..engine.errors import NnlabValueError
from .style import CLASS_COLORS, COLORS, class_style, new_figure, series_style

__all__ = [
    "plot_error_vs_size",
    "plot_feature_growth",
    "plot_feature_space",
    "plot_fit_comparison",
    "plot_learned_features",
    "plot_quadrant_collapse",
    "plot_seed_spread",
    "plot_xor_panels",
]


def _vector(a, name, where: str):
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        raise NnlabValueError(
            f"{where}: {name} must be a vector (or an (n, 1) column), got shape {a.shape}"
        )
    return a


def _scatter_training(ax, x_train, y_train, where: str) -> None:
    ax.scatter(
        _vector(x_train, "x_train", where),
        _vector(y_train, "y_train", where),
        s=12,
        c=COLORS["neutral"],
        zorder=3,
        label="training data",
    )


def _scatter_classes(ax, P, y, size=40, labels=True, **kwargs):
    for label in (0, 1):
        rows = np.asarray(y) == label
        if np.any(rows):
            ax.scatter(
                P[rows, 0],
                P[rows, 1],
                s=size,
                label=f"y = {label}" if labels else None,
                **{**class_style(label), **kwargs},
            )  # colour and marker per class


# --- chapter 4 ----------------------------------------------------------------------------------
def plot_learned_features(x_grid, Phi, w, b, x_train=None, y_train=None, output=None):
    """Left: the learned features phi_j(x). Right: the terms w_j phi_j(x), the bias, and
    their sum (dashed), which is the network's output (``output``, solid, if given)."""
    x = _vector(x_grid, "x_grid", "plot_learned_features")
    Phi = np.asarray(Phi, dtype=np.float64)
    w = _vector(w, "w", "plot_learned_features")
    if Phi.shape != (len(x), len(w)):
        raise NnlabValueError(
            f"plot_learned_features: Phi must have shape ({len(x)}, {len(w)}), got {Phi.shape}"
        )
    fig, (ax1, ax2) = new_figure(ncols=2, width=3.5, height=3.3)
    every = max(1, len(x) // 8)
    for j in range(Phi.shape[1]):
        style = series_style(j, markevery=(j * every // 4, every))  # feature j: one look
        ax1.plot(x, Phi[:, j], label=rf"$\phi_{{{j + 1}}}$", **style)
        ax2.plot(x, w[j] * Phi[:, j], lw=1, alpha=0.8, label=rf"$w_{{{j + 1}}}\phi_{{{j + 1}}}$",
                 **style)  # fmt: skip
    ax1.set(title="learned features $\\phi_j(x)$", xlabel="$x$")
    ax1.legend(fontsize=8, loc="best")
    ax2.axhline(float(b), color=COLORS["neutral"], lw=1, ls=":", label="bias $b$")
    total = Phi @ w + float(b)
    if output is not None:
        ax2.plot(
            x,
            _vector(output, "output", "plot_learned_features"),
            color="k",
            lw=3,
            alpha=0.35,
            label="network output",
        )
    ax2.plot(x, total, color="k", lw=1.5, ls="--", label=r"$\sum_j w_j\phi_j + b$")
    if x_train is not None and y_train is not None:
        _scatter_training(ax2, x_train, y_train, "plot_learned_features")
    ax2.set(title="last layer: weighted sum", xlabel="$x$")
    ax1.title.set_fontsize(9)
    ax2.title.set_fontsize(9)
    # the legend of the sum panel goes under the panels, where it hides no curve
    ax2.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.24), ncol=2, frameon=False)
    return fig


def plot_feature_space(X, y, H, w, b, grid=None, grid_scores=None):
    """Left: the inputs (and the decision boundary, from ``grid_scores`` on ``grid``).
    Right: the learned features H (2 or 3 of them) with the last layer's boundary
    ``H @ w + b = 0`` (a line, or a plane in 3-D)."""
    X, H = np.asarray(X, dtype=np.float64), np.asarray(H, dtype=np.float64)
    w = _vector(w, "w", "plot_feature_space")
    if H.ndim != 2 or H.shape[1] not in (2, 3) or H.shape[1] != len(w):
        raise NnlabValueError(
            f"plot_feature_space: H must have shape (n, 2) or (n, 3) matching w, got {H.shape}, w "
            f"{w.shape}"
        )
    fig, (ax1, ax2) = new_figure(ncols=2, width=3.5, height=3.3)
    if grid is not None and grid_scores is not None:
        scores = np.asarray(grid_scores).reshape(grid.xx.shape)
        ax1.contourf(
            grid.xx,
            grid.yy,
            scores > 0,
            levels=[-0.5, 0.5, 1.5],
            colors=[CLASS_COLORS[0], CLASS_COLORS[1]],
            alpha=0.15,
        )
        ax1.contour(grid.xx, grid.yy, scores, levels=[0.0], colors="k", linewidths=1)
    _scatter_classes(ax1, X, y, size=14)
    ax1.set(title="input space $x$", xlabel="$x_1$", ylabel="$x_2$")
    ax1.legend(fontsize=8, loc="lower left")
    if H.shape[1] == 2:
        _scatter_classes(ax2, H, y, size=14)
        lim = np.array([H[:, 0].min(), H[:, 0].max()])
        if abs(w[1]) > 1e-12:
            ax2.plot(lim, -(w[0] * lim + b) / w[1], "k-", lw=1)
        ax2.set(xlabel=r"$\phi_1$", ylabel=r"$\phi_2$")
        ax2.set_title("feature space $\\phi(x)$ and the\nlast layer's boundary", fontsize=9)
    else:
        # Three features: a 3-D scatter with a plane shows no more than this 2-D view. The
        # last layer only reads phi along w, so the horizontal axis is the score phi.w + b
        # (boundary: the vertical line at 0) and the vertical one the spread across w.
        score, across = _along_and_across(H, w, b)
        _scatter_classes(ax2, np.column_stack([score, across]), y, size=14)
        ax2.axvline(0.0, color="k", lw=1)
        ax2.set(xlabel=r"score $w\cdot\phi + b$", ylabel=r"$\phi$ across $w$")
        ax2.set_title("feature space $\\phi(x)$ seen along $w$:\nboundary at score 0",
                      fontsize=9)  # fmt: skip
    ax1.title.set_fontsize(9)
    return fig


def _along_and_across(H, w, b):
    """``(H w + b, H e)``: each point's score and its coordinate along ``e``, the direction
    orthogonal to ``w`` in which the points spread most."""
    unit = w / (np.linalg.norm(w) or 1.0)
    rest = H - np.outer(H @ unit, unit)
    rest = rest - rest.mean(axis=0)
    _, _, vt = np.linalg.svd(rest, full_matrices=False)
    return H @ w + b, H @ vt[0]


def plot_xor_panels(state, axes=None):
    """The three linked views of a 2-2-1 ReLU network on XOR (an `XorState`): the inputs,
    the hidden pre-activations z = xW + b, and h = ReLU(z) with the output layer's line
    v.h + c = 0. Points that land on the same spot are labelled together."""
    if axes is None:
        fig, axes = new_figure(ncols=3, width=2.4, height=2.8)
    else:
        fig = axes[0].figure
    views = [
        (state.X, "input space $x$", "$x_1$", "$x_2$"),
        (state.z, "linear map $z = xW + b$", "$z_1$", "$z_2$"),
        (state.h, "after ReLU: $h = \\max(z, 0)$", "$h_1$", "$h_2$"),
    ]
    for ax, (P, title, xl, yl) in zip(axes, views, strict=True):
        _scatter_classes(ax, P, state.y, size=70)
        groups: dict[tuple, list[str]] = {}
        for k, p in enumerate(P):
            groups.setdefault((round(p[0], 6), round(p[1], 6)), []).append(f"x{k + 1}")
        for (px, py), names in groups.items():
            ax.annotate(
                ",".join(names), (px, py), textcoords="offset points", xytext=(6, 6), fontsize=8
            )
        span = max(2.0, float(np.max(np.abs(P))) if P.size else 2.0) + 0.8
        ax.set(xlim=(-span, span), ylim=(-span, span), title=title, xlabel=xl, ylabel=yl)
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
        ax.axvline(0, color="0.8", lw=0.8, zorder=0)
        ax.set_aspect("equal")
        ax.title.set_fontsize(8)
    ax = axes[2]
    # The output layer's boundary v.h + c = 0.
    line = _output_line(state)
    if line is not None:
        (vx, vy), c = line
        span = ax.get_xlim()
        t = np.linspace(*span, 50)
        if abs(vy) > 1e-12:
            ax.plot(t, -(vx * t + c) / vy, "k--", lw=1, label="$v\\cdot h + c = 0$")
        elif abs(vx) > 1e-12:
            ax.axvline(-c / vx, color="k", ls="--", lw=1, label="$v\\cdot h + c = 0$")
    axes[0].legend(fontsize=8, loc="lower left", handletextpad=0.2, borderpad=0.3)
    ok = "separable" if state.separable else "not separable"
    ax.text(
        0.02,
        0.02,
        f"{ok}; accuracy {state.accuracy:.0%}",
        transform=ax.transAxes,
        fontsize=8,
        va="bottom",
    )
    return fig


def _output_line(state):
    """The output weights (v, c) of an `XorState`, if it has them."""
    v = getattr(state, "v", None)
    c = getattr(state, "c", None)
    if v is None or c is None:
        return None
    return (float(v[0]), float(v[1])), float(c)


def plot_quadrant_collapse(X, y, H):
    """Two panels: the data, and the data after the hidden layer (``H``): with W = identity and
    no bias, every point of quadrant III lands on the origin."""
    X, H = np.asarray(X, dtype=np.float64), np.asarray(H, dtype=np.float64)
    if X.shape != H.shape or X.ndim != 2 or X.shape[1] != 2:
        raise NnlabValueError(
            f"plot_quadrant_collapse: X and H must both have shape (n, 2), got {X.shape} and "
            f"{H.shape}"
        )
    fig, (ax1, ax2) = new_figure(ncols=2, width=3.4, height=3.3)
    _scatter_classes(ax1, X, y, size=25)
    lim = float(np.max(np.abs(X))) + 0.3
    ax1.set(
        xlim=(-lim, lim),
        ylim=(-lim, lim),
        title="input $x$ (quadrant III shaded)",
        xlabel="$x_1$",
        ylabel="$x_2$",
    )
    ax1.fill_between([-lim, 0], -lim, 0, color="0.88", zorder=0)
    _scatter_classes(ax2, H, y, size=25, labels=False, alpha=0.7)
    at_origin = np.all(H == 0, axis=1)
    counts = [int(np.sum(np.asarray(y)[at_origin] == label)) for label in (1, 0)]
    ax2.annotate(
        f"{int(at_origin.sum())} points land here\n"
        f"({counts[0]} with y = 1, {counts[1]} with y = 0)",
        (0, 0),
        xytext=(0.25 * lim, 0.55 * lim),
        arrowprops=dict(arrowstyle="->"),
        fontsize=8,
    )
    ax2.set(
        xlim=(-0.3, lim),
        ylim=(-0.3, lim),
        title=r"after ReLU: $(\mathrm{ReLU}(x_1), \mathrm{ReLU}(x_2))$",
        xlabel="$h_1$",
        ylabel="$h_2$",
    )
    for ax in (ax1, ax2):
        ax.axhline(0, color="0.6", lw=0.8, zorder=0)
        ax.axvline(0, color="0.6", lw=0.8, zorder=0)
        ax.set_aspect("equal")
        ax.title.set_fontsize(9)
    ax1.legend(fontsize=8, loc="upper left")
    return fig


# --- chapter 5 ----------------------------------------------------------------------------------
def plot_fit_comparison(
    x_train, y_train, x_grid, curves: dict, truth=None, train_range=None, ylim=None, title=None
):
    """Fitted curves (``{label: values on x_grid}``) against the data and the true function;
    ``train_range`` shades the interval the models were trained on."""
    x = _vector(x_grid, "x_grid", "plot_fit_comparison")
    fig, ax = new_figure(width=6.0, height=3.4)
    if train_range is not None:
        ax.axvspan(*train_range, color="0.93", zorder=0, label="training range")
    if truth is not None:
        ax.plot(
            x,
            _vector(truth, "truth", "plot_fit_comparison"),
            color="k",
            lw=2,
            alpha=0.3,
            label="true function",
        )
    for i, (label, values) in enumerate(curves.items()):
        values = _vector(values, label, "plot_fit_comparison")
        if values.shape != x.shape:
            raise NnlabValueError(
                f"plot_fit_comparison: curve {label!r} has {values.size} values but x_grid has "
                f"{x.size}"
            )
        ax.plot(x, values, lw=1.5, label=label, **series_style(i, markevery=(3 * i, 25)))
    _scatter_training(ax, x_train, y_train, "plot_fit_comparison")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set(xlabel="$x$", ylabel="$y$", title=title or "")
    ax.legend(fontsize=8, loc="best")
    return fig


def plot_error_vs_size(sizes, errors: dict, ylabel="test MSE"):
    """Mean test error (line) and one dot per seed, against the training-set size (log-log).

    ``errors[label]`` has shape (n_seeds, len(sizes)).
    """
    sizes = _vector(sizes, "sizes", "plot_error_vs_size")
    fig, ax = new_figure(width=5.4, height=3.4)
    for i, (label, table) in enumerate(errors.items()):
        table = np.asarray(table, dtype=np.float64)
        if table.ndim != 2 or table.shape[1] != len(sizes):
            raise NnlabValueError(
                f"plot_error_vs_size: errors[{label!r}] must have shape (seeds, {len(sizes)}), "
                f"got {table.shape}"
            )
        style = series_style(i, markevery=1)
        for row in table:
            ax.scatter(sizes, row, s=8, color=style["color"], marker=style["marker"], alpha=0.4)
        ax.plot(sizes, table.mean(axis=0), label=label, **style)
    ax.set(
        xscale="log",
        yscale="log",
        xticks=sizes,
        xticklabels=[f"{n:g}" for n in sizes],
        xlabel="training-set size $n$",
        ylabel=ylabel,
        title="error against data (dots: seeds, line: mean)",
    )
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.legend(fontsize=8)
    return fig


def plot_feature_growth(dims, counts: dict):
    """Number of features against input dimension d (log scale), one line per family."""
    dims = _vector(dims, "dims", "plot_feature_growth")
    fig, ax = new_figure(width=5.0, height=3.2)
    for i, (label, values) in enumerate(counts.items()):
        values = _vector(values, label, "plot_feature_growth")
        if values.shape != dims.shape:
            raise NnlabValueError(
                f"plot_feature_growth: counts[{label!r}] needs {dims.size} values, got "
                f"{values.size}"
            )
        ax.plot(dims, values, label=label, **series_style(i, markevery=1))
    ax.set(
        yscale="log",
        xlabel="input dimension $d$",
        ylabel="number of features",
        title="fixed features needed as $d$ grows",
    )
    ax.legend(fontsize=8)
    return fig


def plot_seed_spread(
    net_losses,
    fixed_loss,
    net_label="network (one dot per seed)",
    fixed_label="least squares (any start)",
):
    """Final training losses of a non-convex fit from several seeds against the single
    optimum of a convex one."""
    net_losses = _vector(net_losses, "net_losses", "plot_seed_spread")
    fig, ax = new_figure(width=5.0, height=3.0)
    ax.scatter(
        net_losses,
        np.zeros_like(net_losses),
        s=40,
        color=COLORS["output"],
        edgecolors="k",
        linewidths=0.5,
        label=net_label,
        zorder=3,
    )
    ax.axvline(float(fixed_loss), color=COLORS["forward"], lw=2, label=fixed_label)
    ax.set(
        xscale="log",
        yticks=[],
        xlabel="final training MSE (log scale)",
        title="one optimum versus many",
    )
    ax.legend(fontsize=8, loc="upper right")
    return fig
