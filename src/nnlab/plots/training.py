"""Training figures: loss curves, divergence on its own scale, learning-rate sweeps and
optimizer trajectories drawn on the contours of a 2-parameter loss.

Curves come from `nnlab.optim.History` objects (or plain sequences of losses). A History's
curve is `history_curve`: the loss before every update, then the loss after the last one (when
the run did not diverge), so a run of ``k`` updates gives ``k + 1`` points.

2-parameter losses used with `contour_grid` / `plot_trajectories` take one argument ``p`` and
read ``p[0]`` and ``p[1]``; written with nnlab ops (or plain numpy arithmetic) they then work on
a parameter vector of shape (2,) and on a stacked grid of shape (2, rows, cols) alike.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ..course import curvature
from ..engine.errors import NnlabTypeError, NnlabValueError
from ..nn.optim import History
from .style import (
    COLORS,
    OKABE_ITO,
    SERIES_COLORS,
    SERIES_MARKERS,
    axes_or_new,
    new_figure,
    series_style,
)

CURVE_COLORS = SERIES_COLORS  # Okabe-Ito; curves also differ by line style and marker
# Losses below this are drawn at this value on log axes (a run can reach exactly 0).
LOG_FLOOR = 1e-16
_POINT_STYLES = [("X", OKABE_ITO["yellow"]), ("*", OKABE_ITO["yellow"]), ("P", OKABE_ITO["orange"])]


def history_curve(run) -> np.ndarray:
    """The losses of a run as an array: a `History` (losses, then the final loss unless it
    diverged) or any 1-D sequence of numbers."""
    if isinstance(run, History):
        values = list(run.losses) if run.diverged else [*run.losses, run.final_loss]
    else:
        values = run
    curve = np.asarray(values, dtype=np.float64)
    if curve.ndim != 1 or curve.size == 0:
        raise NnlabValueError(
            "history_curve: a loss curve must be a History or a non-empty 1-D sequence, got "
            f"shape {curve.shape}"
        )
    return curve


def _labels(runs, labels, where: str) -> list:
    if isinstance(runs, Mapping):
        if labels is not None:
            raise NnlabValueError(
                f"{where}: give labels either as the keys of a dict or as labels=, not both"
            )
        return list(runs.keys()), list(runs.values())
    runs = list(runs)
    labels = [None] * len(runs) if labels is None else list(labels)
    if len(labels) != len(runs):
        raise NnlabValueError(f"{where}: {len(runs)} run(s) but {len(labels)} label(s)")
    return labels, runs


def plot_loss_curves(
    runs,
    labels: Sequence[str] | None = None,
    log: bool = False,
    title: str = "Training loss",
    xlabel: str = "update step",
    ylabel: str = "training loss",
    styles: Sequence[str] | None = None,
    ax=None,
):
    """One line per run against the update step. ``runs`` is a list of Histories / loss
    sequences (with ``labels``) or a dict label -> run. ``log=True`` uses a log y-axis (losses
    below `LOG_FLOOR` are drawn at it). Diverged Histories end with an ``x`` marker."""
    labels, runs = _labels(runs, labels, "plot_loss_curves")
    if not runs:
        raise NnlabValueError("plot_loss_curves: no runs to draw")
    fig, ax = axes_or_new(ax)
    for k, (run, label) in enumerate(zip(runs, labels, strict=True)):
        curve = history_curve(run)
        if log:
            curve = np.maximum(curve, LOG_FLOOR)
        look = series_style(k, markevery=max(1, curve.size // 8))
        colour = look["color"]
        if styles is not None:  # a format string of the caller's replaces the line style
            del look["linestyle"]
            ax.plot(np.arange(curve.size), curve, styles[k], lw=1.8, label=label, **look)
        else:
            ax.plot(np.arange(curve.size), curve, lw=1.8, label=label, **look)
        if isinstance(run, History) and run.diverged:
            ax.plot([curve.size - 1], [curve[-1]], "x", color=colour, ms=9, mew=2)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if any(label is not None for label in labels):
        ax.legend(fontsize=8)
    return fig


def plot_failure_pair(
    slow,
    diverging,
    titles: tuple[str, str] = ("Stopped too early", "Diverging"),
    ylabel: str = "training loss",
):
    """The handout's Figure 3: left, a run that is still going down when it stops (linear
    y-axis starting at 0); right, a run that blows up, on its own log y-axis."""
    fig, (left, right) = new_figure(ncols=2, width=4.2, height=3.2)
    curve = history_curve(slow)
    left.plot(np.arange(curve.size), curve, "o-", ms=3, color=COLORS["forward"], lw=1.8)
    left.set_ylim(0, 1.1 * float(np.max(curve)))
    left.set_title(titles[0])
    left.set_ylabel(ylabel)
    curve = history_curve(diverging)
    right.plot(np.arange(curve.size), curve, "o-", ms=3, color=COLORS["reverse"], lw=1.8)
    right.set_yscale("log")
    right.set_title(titles[1] + "  (log scale!)")
    right.set_ylabel(ylabel + " (log scale)")
    for ax in (left, right):
        ax.set_xlabel("update step")
        ax.grid(alpha=0.3)
    return fig


def plot_lr_sweep(
    lrs,
    final_losses,
    diverged,
    threshold: float | None = None,
    initial_loss: float | None = None,
    title: str = "Final loss against learning rate",
    ax=None,
):
    """Final loss against learning rate (log-log). Diverged runs are drawn as red ``x`` at the
    top edge; ``threshold`` (e.g. 2 / lambda_max) is a dashed vertical line and
    ``initial_loss`` a dotted horizontal one."""
    lrs = np.asarray(lrs, dtype=np.float64)
    final = np.asarray(final_losses, dtype=np.float64)
    diverged = np.asarray(diverged, dtype=bool)
    if not (lrs.ndim == 1 and lrs.shape == final.shape == diverged.shape):
        raise NnlabValueError(
            f"plot_lr_sweep: lrs {lrs.shape}, final_losses {final.shape} and diverged "
            f"{diverged.shape} must be 1-D of the same length"
        )
    if np.any(lrs <= 0):
        raise NnlabValueError("plot_lr_sweep: learning rates must be > 0 for a log axis")
    fig, ax = axes_or_new(ax)
    ok = ~diverged
    ax.plot(lrs[ok], np.maximum(final[ok], LOG_FLOOR), "o-", color=COLORS["forward"],
            mec="black", label="final loss")  # fmt: skip
    top = float(np.max(final[ok])) * 3 if ok.any() else 1.0
    if initial_loss is not None:
        ax.axhline(initial_loss, ls=":", color=COLORS["neutral"], label="initial loss")
        top = max(top, 3 * initial_loss)
    if diverged.any():
        ax.plot(lrs[diverged], np.full(diverged.sum(), top), "x", color=COLORS["reverse"],
                ms=9, mew=2, label="diverged")  # fmt: skip
    if threshold is not None:
        ax.axvline(threshold, ls="--", color=COLORS["reverse"], lw=1.2,
                   label=r"$2/\lambda_{\max}$")  # fmt: skip
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"learning rate $\eta$")
    ax.set_ylabel("final training loss")
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return fig


def contour_grid(loss2d: Callable, xlim, ylim, steps: int = 101):
    """``(xs, ys, Z)`` with ``Z[i, j] = loss2d([xs[j], ys[i]])``: evaluated on the whole grid at
    once when ``loss2d`` accepts a stacked (2, rows, cols) array, else point by point.

    Grids of module-level loss functions (such as `nnlab.course.descent.ravine`) are kept,
    read-only, so a live explorer that redraws the same loss after each slider move computes
    its grid once; a closure, method or callable object may change behind the same name and
    is evaluated every time."""
    if not _pure_function(loss2d):
        return _contour_grid(loss2d, xlim, ylim, steps)
    key = (loss2d, float(xlim[0]), float(xlim[1]), float(ylim[0]), float(ylim[1]), int(steps))
    if key in _GRIDS:
        return _GRIDS[key]
    grid = _contour_grid(loss2d, xlim, ylim, steps)
    for array in grid:
        array.flags.writeable = False
    if len(_GRIDS) >= 8:
        del _GRIDS[next(iter(_GRIDS))]
    _GRIDS[key] = grid
    return grid


_GRIDS: dict = {}


def _pure_function(f) -> bool:
    return (inspect.isfunction(f) and f.__closure__ is None
            and "<locals>" not in f.__qualname__ and "<lambda>" not in f.__qualname__)  # fmt: skip


def _contour_grid(loss2d: Callable, xlim, ylim, steps: int):
    xs = np.linspace(float(xlim[0]), float(xlim[1]), steps)
    ys = np.linspace(float(ylim[0]), float(ylim[1]), steps)
    XX, YY = np.meshgrid(xs, ys)
    try:
        Z = np.asarray(_value(loss2d(np.stack([XX, YY]))), dtype=np.float64)
    except Exception:  # noqa: BLE001 - any failure: fall back to one point at a time
        Z = None
    if Z is None or Z.shape != XX.shape:
        Z = np.array(
            [[float(_value(loss2d(np.array([x, y])))) for x in xs] for y in ys], dtype=np.float64
        )
    return xs, ys, Z


def _value(x):
    return x.value if hasattr(x, "value") else x


def trajectory_xy(run) -> np.ndarray:
    """The parameters visited by a 2-parameter run as an (n, 2) array: from a `History`
    recorded with ``record_params=True``, or from a sequence of points."""
    if isinstance(run, History):
        if run.trajectory is None:
            raise NnlabValueError(
                "trajectory_xy: this History has no trajectory: train with record_params=True"
            )
        points = [curvature.flatten(p)[0] for p in run.trajectory]
    else:
        points = [np.ravel(np.asarray(p, dtype=np.float64)) for p in run]
    xy = np.array(points, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise NnlabValueError(
            f"trajectory_xy: a trajectory needs 2 parameters per point, got shape {xy.shape}"
        )
    return xy


def plot_trajectories(
    loss2d: Callable,
    runs,
    xlim=(-2.0, 2.0),
    ylim=(-2.0, 2.0),
    labels: Sequence[str] | None = None,
    points: Mapping[str, tuple[float, float]] | None = None,
    log: bool = True,
    levels: int = 25,
    title: str = "Paths on the loss contours",
    xlabel: str = "$p_0$",
    ylabel: str = "$p_1$",
    ax=None,
):
    """Contours of a 2-parameter loss with each run's path on top (start: circle, end: square).
    Paths that leave the window (divergence) are clipped to it. ``points`` marks labelled
    positions (a minimum, a saddle) with stars."""
    labels, runs = _labels(runs, labels, "plot_trajectories")
    fig, ax = axes_or_new(ax, width=4.8, height=4.0)
    xs, ys, Z = contour_grid(loss2d, xlim, ylim)
    shown = np.log10(Z - min(float(Z.min()), 0.0) + 1e-3) if log else Z
    ax.contourf(xs, ys, shown, levels=levels, cmap="Greys_r", alpha=0.55)
    ax.contour(xs, ys, shown, levels=levels, colors="black", linewidths=0.3, alpha=0.5)
    for k, (run, label) in enumerate(zip(runs, labels, strict=True)):
        xy = trajectory_xy(run)
        look = series_style(k)
        colour = look["color"]
        ax.plot(xy[:, 0], xy[:, 1], lw=1.4, marker=".", ms=3, label=label, **look)
        ax.plot(xy[0, 0], xy[0, 1], "o", color=colour, ms=7, mec="black")
        ax.plot(xy[-1, 0], xy[-1, 1], "s", color=colour, ms=7, mec="black")
    for k, (name, (x, y)) in enumerate((points or {}).items()):
        marker, colour = _POINT_STYLES[k % len(_POINT_STYLES)]
        ax.plot([x], [y], marker, ms=13, color=colour, mec="black", label=name)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if any(label is not None for label in labels) or points:
        ax.legend(fontsize=8, loc="lower right")
    return fig


def plot_run(history: History, loss2d: Callable, xlim, ylim, title: str = "", points=None):
    """Two panels for one 2-parameter run: its loss curve (log scale) and its path on the
    contours. Used by the chapter-12 explorer."""
    if not isinstance(history, History):
        raise NnlabTypeError(f"plot_run: needs a History, got {type(history).__name__}")
    fig, (left, right) = new_figure(ncols=2, width=3.5, height=3.2)
    plot_loss_curves([history], log=True, title=title or "Loss curve", ax=left)
    plot_trajectories(loss2d, [history], xlim=xlim, ylim=ylim, points=points, ax=right,
                      title="Path on the contours")  # fmt: skip
    return fig


def plot_final_losses(
    groups: Mapping[str, Sequence[float]],
    title: str = "Final loss of each run",
    ylabel: str = "final training loss",
    log: bool = True,
    ax=None,
):
    """A strip plot: one column per group (e.g. "single run", "best of 5"), one dot per run."""
    if not groups:
        raise NnlabValueError("plot_final_losses: no groups to draw")
    fig, ax = axes_or_new(ax, width=4.6, height=3.2)
    for k, (name, values) in enumerate(groups.items()):
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)):
            raise NnlabValueError(
                f"plot_final_losses: group {name!r} needs a non-empty 1-D list of finite losses"
            )
        jitter = np.linspace(-0.15, 0.15, values.size) if values.size > 1 else np.zeros(1)
        shown = np.maximum(values, LOG_FLOOR) if log else values
        ax.plot(k + jitter, shown, SERIES_MARKERS[k % len(SERIES_MARKERS)], mec="black",
                color=CURVE_COLORS[k % len(CURVE_COLORS)], alpha=0.8)  # fmt: skip
    ax.set_xticks(range(len(groups)), list(groups.keys()))
    ax.set_xlim(-0.6, len(groups) - 0.4)
    if log:
        ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3, axis="y")
    return fig
