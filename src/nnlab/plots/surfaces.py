"""2-D loss surfaces: values and gradient norms on a grid, contour maps with
optimisation paths, gradient-norm maps, Hessian-eigenvalue labels and per-step / per-layer curves.

`surface` computes (pure numbers, testable against the engine); the ``plot_*`` functions draw
what it computed. All return pyplot-free Figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from ..engine.autodiff import value_and_grad
from ..engine.errors import NnlabTypeError, NnlabValueError
from .style import COLORS, SERIES_COLORS, SERIES_LINESTYLES, axes_or_new, series_style

# Paths on a dark colour map: the light Okabe-Ito colours first; each path has its own line
# style too. Points are white markers of different shapes.
_PATH_COLORS = [SERIES_COLORS[k] for k in (3, 5, 1, 2, 4, 0)]
_PATH_STYLES = [SERIES_LINESTYLES[k] for k in range(6)]
_MARKERS = ["*", "X", "P", "D", "s", "o"]


def surface(f, xs, ys) -> tuple[np.ndarray, np.ndarray]:
    """``(Z, G)`` on the grid: ``Z[i, j] = f(p)`` and ``G[i, j] = ||grad f(p)||`` at
    ``p = (xs[j], ys[i])`` (rows: ys). ``f`` takes one array of two parameters."""
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    if xs.ndim != 1 or ys.ndim != 1 or xs.size < 2 or ys.size < 2:
        raise NnlabValueError("surface: xs and ys must be 1-D grids with at least two points each")
    if not callable(f):
        raise NnlabTypeError(
            f"surface: expected a function of two parameters, got {type(f).__name__}"
        )
    vg = value_and_grad(f)
    Z = np.empty((ys.size, xs.size))
    G = np.empty_like(Z)
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            value, g = vg(np.array([x, y]))
            Z[i, j] = value
            G[i, j] = float(np.linalg.norm(np.asarray(g, dtype=np.float64)))
    return Z, G


def _check_grid(xs, ys, Z, where):
    xs, ys, Z = (np.asarray(v, dtype=np.float64) for v in (xs, ys, Z))
    if Z.shape != (ys.size, xs.size):
        raise NnlabValueError(
            f"{where}: values have shape {Z.shape}, expected (len(ys), len(xs)) = "
            f"{(ys.size, xs.size)}"
        )
    return xs, ys, Z


def _as_path(path, label, where: str):
    arr = np.asarray(path, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise NnlabValueError(
            f"{where}: path {label!r} must be a list of (x, y) points, got shape {arr.shape}"
        )
    return arr


def eigen_label(eigenvalues, precision: int = 3) -> str:
    """``"λ = -0.078, 0.345"``: a point's Hessian eigenvalues, for an annotation."""
    values = np.atleast_1d(np.asarray(eigenvalues, dtype=np.float64))
    return "λ = " + ", ".join(f"{v:.{precision}f}" for v in values)


def _draw_points(ax, points, where: str, annotate=True):
    for k, (label, spec) in enumerate((points or {}).items()):
        if len(spec) not in (2, 3):
            raise NnlabValueError(f"{where}: point {label!r} must be (x, y) or (x, y, eigenvalues)")
        x, y = spec[0], spec[1]
        ax.plot(
            [x], [y], _MARKERS[k % len(_MARKERS)], ms=12, color="white",
            markeredgecolor="black", label=label, zorder=5,
        )  # fmt: skip
        if annotate and len(spec) == 3:
            ax.annotate(
                eigen_label(spec[2]), (x, y), xytext=(8, -14), textcoords="offset points",
                fontsize=8, color="black", zorder=6,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "alpha": 0.85, "lw": 0},
            )  # fmt: skip


def _draw_paths(ax, paths, where: str):
    for k, (label, path) in enumerate((paths or {}).items()):
        arr = _as_path(path, label, where)
        colour = _PATH_COLORS[k % len(_PATH_COLORS)]
        ax.plot(arr[:, 0], arr[:, 1], ls=_PATH_STYLES[k % len(_PATH_STYLES)], color=colour, lw=1.8,
                label=label, zorder=4)  # fmt: skip
        ax.plot([arr[0, 0]], [arr[0, 1]], "o", color=colour, ms=5, markeredgecolor="black",
                zorder=4)  # fmt: skip


def plot_surface(
    xs,
    ys,
    Z,
    paths: Mapping[str, Sequence] | None = None,
    points: Mapping[str, tuple] | None = None,
    view: str = "both",
    log: bool = False,
    levels: int = 30,
    title: str = "Loss surface",
    xlabel: str = "$w_1$",
    ylabel: str = "$w_2$",
) -> Figure:
    """Contour map of ``Z`` (rows: ys) with optimiser paths and marked points.

    ``paths`` maps a label to a sequence of ``(x, y)`` points (an optimiser's trajectory; a dot
    marks its start). ``points`` maps a label to ``(x, y)`` or ``(x, y, eigenvalues)``; with
    eigenvalues the point is annotated with them. ``log=True`` shows ``log10(Z)``.

    ``view`` is ``"contour"`` or ``"both"`` (the same map: a 3-D surface beside it used to be
    drawn, but it showed nothing the contours do not, and hid the paths behind the surface).
    """
    if view not in ("both", "contour"):
        raise NnlabValueError(f"plot_surface: view must be 'contour' (or 'both'), got {view!r}")
    xs, ys, Z = _check_grid(xs, ys, Z, "plot_surface")
    shown = np.log10(np.maximum(Z, 1e-12)) if log else Z
    bar_label = "log10 loss" if log else "loss"
    fig = Figure(figsize=(5.6, 4.4), dpi=110, layout="constrained")
    ax = fig.add_subplot(1, 1, 1)
    filled = ax.contourf(xs, ys, shown, levels=levels, cmap="viridis")
    ax.contour(xs, ys, shown, levels=levels, colors="white", linewidths=0.3, alpha=0.5)
    fig.colorbar(filled, ax=ax, label=bar_label)
    _draw_paths(ax, paths, "plot_surface")
    _draw_points(ax, points, "plot_surface")
    _frame(ax, xs, ys, xlabel, ylabel, title, legend=bool(paths or points))
    return fig


def _frame(ax, xs, ys, xlabel: str, ylabel: str, title: str, legend: bool) -> None:
    """The grid's limits, the axis labels, the title and (when something is marked) a legend."""
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    if legend:
        ax.legend(fontsize=8, loc="best", framealpha=0.85)


def plot_gradient_map(
    xs,
    ys,
    G,
    paths: Mapping[str, Sequence] | None = None,
    points: Mapping[str, tuple] | None = None,
    title: str = "Gradient norm",
    xlabel: str = "$w_1$",
    ylabel: str = "$w_2$",
    ax=None,
) -> Figure:
    """Heatmap of ``log10 ||grad L||``: dark where the surface is flat (minima, saddles and
    plateaus all look alike here, which is why a small gradient alone does not say which)."""
    xs, ys, G = _check_grid(xs, ys, G, "plot_gradient_map")
    fig, ax = axes_or_new(ax, width=5.2, height=4.2)
    mesh = ax.pcolormesh(xs, ys, np.log10(np.maximum(G, 1e-12)), cmap="magma", shading="auto")
    fig.colorbar(mesh, ax=ax, label="log10 ||gradient||")
    _draw_paths(ax, paths, "plot_gradient_map")
    _draw_points(ax, points, "plot_gradient_map", annotate=False)
    _frame(ax, xs, ys, xlabel, ylabel, title, legend=bool(paths or points))
    return fig


def plot_traces(
    series: Mapping[str, Sequence[float]],
    log: bool = True,
    title: str = "",
    xlabel: str = "step",
    ylabel: str = "loss",
    marks: Mapping[str, float] | None = None,
    ax=None,
) -> Figure:
    """One line per entry of ``series`` (label -> values per step), log y-axis by default;
    ``marks`` (label -> step) draws dotted vertical lines (e.g. where a plateau ends)."""
    if not series:
        raise NnlabValueError("plot_traces: series is empty")
    fig, ax = axes_or_new(ax, width=5.4, height=3.4)
    for k, (label, values) in enumerate(series.items()):
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 1 or values.size == 0:
            raise NnlabValueError(f"plot_traces: series {label!r} must be a non-empty 1-D sequence")
        ax.plot(np.arange(values.size), values, lw=1.8, label=label,
                **series_style(k, markevery=max(1, values.size // 8)))  # fmt: skip
    for label, step in (marks or {}).items():
        ax.axvline(step, ls=":", color=COLORS["neutral"], lw=1.2)
        ax.annotate(label, (step, 0.95), xycoords=("data", "axes fraction"), fontsize=8,
                    xytext=(3, 0), textcoords="offset points", va="top")  # fmt: skip
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def plot_layer_norms(
    norms: Mapping[str, Sequence[float]],
    title: str = "Gradient norm per layer",
    ylabel: str = r"$\|\partial L / \partial W_\ell\|$",
) -> Figure:
    """Per-layer values on a log axis, one line per network; layers counted from 0 as in the
    book (value ``l`` belongs to ``W_l``; 0 is next to the input)."""
    if not norms:
        raise NnlabValueError("plot_layer_norms: norms is empty")
    fig = Figure(figsize=(5.4, 3.4), dpi=110, layout="constrained")
    ax = fig.add_subplot(1, 1, 1)
    for k, (label, values) in enumerate(norms.items()):
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 1 or values.size == 0 or np.any(values <= 0):
            raise NnlabValueError(
                f"plot_layer_norms: {label!r} needs a 1-D list of positive values (log axis)"
            )
        layers = np.arange(values.size)
        ax.plot(layers, values, lw=1.8, label=label, **series_style(k, markevery=1))
    ax.set_yscale("log")
    ax.set_xlabel(r"layer $\ell$ of $W_\ell$ (0 = next to the input)")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return fig
