"""Figures for model evaluation, comparison and the bias-variance trade-off (skill 15).

Each function takes numbers computed with `nnlab.course.evaluation` (or plain arrays) and returns a
pyplot-free Figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..engine.errors import NnlabValueError
from .style import COLORS, OKABE_ITO, new_figure

__all__ = [
    "plot_bias_variance",
    "plot_paired_differences",
    "plot_refits",
    "plot_selection_optimism",
    "plot_training_curves",
    "plot_width_sweep",
]

# Okabe-Ito colours; each series also has its own line style and marker (`_STYLES`).
TRAIN_COLOR = OKABE_ITO["blue"]
VAL_COLOR = OKABE_ITO["orange"]
TEST_COLOR = OKABE_ITO["green"]
BIAS_COLOR = OKABE_ITO["vermillion"]
VARIANCE_COLOR = OKABE_ITO["purple"]
_STYLES = {
    "training": {"color": TRAIN_COLOR, "linestyle": "-", "marker": "o"},
    "validation": {"color": VAL_COLOR, "linestyle": "--", "marker": "s"},
    "fresh data": {"color": TEST_COLOR, "linestyle": "-.", "marker": "^"},
}


def _vector(a, name: str, where: str) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1 or a.size == 0:
        raise NnlabValueError(f"{where}: {name} must be a non-empty vector, got shape {a.shape}")
    return a


def _columns(a, n: int, name: str, where: str) -> np.ndarray:
    """``a`` as an (n, k) array: one row per x value, one column per seed (a vector is k = 1)."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2 or a.shape[0] != n:
        raise NnlabValueError(
            f"{where}: {name} must have {n} rows (one per x value), got shape {a.shape}"
        )
    return a


def plot_selection_optimism(test_scores, fresh_scores, chosen: int, optimism=None):
    """Left: every model's score on the small test set against its score on fresh data, the
    model picked on the test set circled. Right (when ``optimism`` is given): the histogram,
    over many test sets, of (best test score - that model's fresh score), with its mean."""
    test, fresh = (
        _vector(test_scores, "test_scores", "plot_selection_optimism"),
        _vector(fresh_scores, "fresh_scores", "plot_selection_optimism"),
    )
    if test.shape != fresh.shape:
        raise NnlabValueError(
            f"plot_selection_optimism: test_scores {test.shape} and fresh_scores {fresh.shape} "
            "differ"
        )
    if not 0 <= chosen < len(test):
        raise NnlabValueError(
            f"plot_selection_optimism: chosen must index one of the {len(test)} models, got "
            f"{chosen}"
        )
    ncols = 1 if optimism is None else 2
    fig, axes = new_figure(ncols=ncols, width=3.5 if ncols == 2 else 4.4, height=3.4)
    ax = axes if ncols == 1 else axes[0]
    ax.scatter(test, fresh, s=18, c=COLORS["neutral"], alpha=0.7, label="one model (seed)")
    ax.scatter(
        [test[chosen]],
        [fresh[chosen]],
        s=110,
        facecolors="none",
        edgecolors=BIAS_COLOR,
        linewidths=2,
        label="best on the test set",
    )
    low = min(test.min(), fresh.min())
    high = max(test.max(), fresh.max())
    ax.plot([low, high], [low, high], color="k", lw=1, ls="--", label="test = fresh")
    ax.set(
        xlabel="MSE on the small test set",
        ylabel="MSE on fresh data (the truth)",
        title="one test set, many models",
    )
    ax.legend(fontsize=8, loc="lower right")
    if optimism is not None:
        opt = _vector(optimism, "optimism", "plot_selection_optimism")
        ax2 = axes[1]
        ax2.hist(opt, bins=25, color=VARIANCE_COLOR, alpha=0.75)
        ax2.axvline(0.0, color="k", lw=1, ls="--")
        ax2.axvline(float(opt.mean()), color=BIAS_COLOR, lw=2, label=f"mean {opt.mean():+.4f}")
        ax2.set(
            xlabel="reported (best test) - true (fresh) MSE\n"
            "(< 0: the model looks better than it is)",
            ylabel="test sets",
            title=f"{len(opt)} test sets: the report is optimistic",
        )
        ax2.legend(fontsize=8)
    return fig


def plot_width_sweep(widths, train, val, fresh=None, chosen=None):
    """Training and validation MSE (and fresh-data MSE, if given) against the hidden width.

    Each of ``train``, ``val``, ``fresh`` is (len(widths),) or (len(widths), seeds): the
    mean over seeds is drawn as a line, each seed as a dot. ``chosen`` marks a width."""
    w = _vector(widths, "widths", "plot_width_sweep")
    fig, ax = new_figure(width=5.6, height=3.8)
    series = [("training", train), ("validation", val)]
    if fresh is not None:
        series.append(("fresh data", fresh))
    for label, values in series:
        v = _columns(values, len(w), label, "plot_width_sweep")
        style = _STYLES[label]
        ax.plot(w, v.mean(axis=1), label=f"{label} (mean)", **style)
        if v.shape[1] > 1:
            ax.scatter(np.repeat(w, v.shape[1]), v.ravel(), s=10, color=style["color"],
                       marker=style["marker"], alpha=0.35)  # fmt: skip
    if chosen is not None:
        ax.axvline(
            float(chosen), color=COLORS["neutral"], lw=1, ls=":", label=f"chosen width {chosen}"
        )
    ax.set_xscale("log", base=2)
    ax.set_xticks(w)
    ax.set_xticklabels([f"{v:g}" for v in w])
    ax.set_yscale("log")
    ax.set(
        xlabel="hidden width H",
        ylabel="mean squared error",
        title="train vs validation error as the width grows",
    )
    ax.legend(fontsize=8)
    return fig


def plot_training_curves(steps, train, val, best_step: int, stopped_step=None, fresh=None):
    """Training and validation loss against the step, with the early-stopping choice."""
    s = _vector(steps, "steps", "plot_training_curves")
    fig, ax = new_figure(width=5.6, height=3.8)
    for label, values in [("training", train), ("validation", val), ("fresh data", fresh)]:
        if values is not None:
            ax.plot(s, _columns(values, len(s), label, "plot_training_curves")[:, 0],
                    label=label, markevery=max(1, len(s) // 10), markersize=4,
                    **_STYLES[label])  # fmt: skip
    ax.axvline(
        best_step,
        color=BIAS_COLOR,
        lw=1.5,
        ls=(0, (5, 1, 1, 1)),
        label=f"lowest validation: step {best_step}",
    )
    if stopped_step is not None:
        ax.axvline(
            stopped_step,
            color=COLORS["neutral"],
            lw=1,
            ls=":",
            label=f"patience runs out: step {stopped_step}",
        )
    ax.set_yscale("log")
    ax.set(
        xlabel="training step",
        ylabel="mean squared error",
        title="over-parameterized network: loss during training",
    )
    ax.legend(fontsize=8)
    return fig


def plot_paired_differences(comparison, labels=("A", "B"), corrected=None):
    """The paired differences (A - B) as dots, their mean, the bootstrap interval (band) and
    +-2 standard errors (bars); ``corrected``, a second comparison of the same differences
    with the Nadeau-Bengio standard error, adds its bars."""
    d = _vector(comparison.differences, "differences", "plot_paired_differences")
    fig, ax = new_figure(width=5.6, height=3.4)
    ax.axvspan(
        comparison.ci_low,
        comparison.ci_high,
        color=VARIANCE_COLOR,
        alpha=0.15,
        label=f"{100 * comparison.confidence:.0f}% bootstrap interval",
    )
    ax.scatter(
        d, np.zeros_like(d), s=30, color=COLORS["neutral"], zorder=3, label="one fold (A - B)"
    )
    ax.errorbar(
        [comparison.mean],
        [0.5],
        xerr=[2 * comparison.std_error],
        fmt="o",
        color=BIAS_COLOR,
        capsize=4,
        label="mean +- 2 SE (naive)",
    )
    if corrected is not None:
        ax.errorbar(
            [corrected.mean],
            [1.0],
            xerr=[2 * corrected.std_error],
            fmt="s",
            color=TRAIN_COLOR,
            capsize=4,
            label="mean +- 2 SE (corrected)",
        )
    ax.axvline(0.0, color="k", lw=1, ls="--")
    ax.set_ylim(-0.6, 1.8)
    ax.set_yticks([])
    a, b = labels
    ax.set(
        xlabel=f"MSE({a}) - MSE({b})   (negative: {a} is better)",
        title=f"paired comparison: {a} vs {b}",
    )
    ax.legend(fontsize=8, loc="upper right")
    return fig


def plot_bias_variance(sizes, results: Mapping[str, Sequence], xlabel: str = "hidden width H"):
    """One panel per entry of ``results`` (title -> a BiasVariance per size): squared bias,
    variance, noise, their sum, and the directly measured expected test MSE (markers)."""
    x = _vector(sizes, "sizes", "plot_bias_variance")
    if not results:
        raise NnlabValueError(
            "plot_bias_variance: results must hold at least one list of BiasVariance results"
        )
    fig, axes = new_figure(ncols=len(results), width=min(4.4, 7.0 / len(results)), height=3.4,
                           sharey=True)  # fmt: skip
    axes = np.atleast_1d(axes)
    for ax, (title, bvs) in zip(axes, results.items(), strict=True):
        if len(bvs) != len(x):
            raise NnlabValueError(
                f"plot_bias_variance: {title!r}: {len(bvs)} results for {len(x)} sizes"
            )
        ax.plot(x, [b.bias2 for b in bvs], color=BIAS_COLOR, ls="--", marker="o", label="bias$^2$")
        ax.plot(x, [b.variance for b in bvs], color=VARIANCE_COLOR, ls="-.", marker="s",
                label="variance")  # fmt: skip
        ax.plot(x, [b.noise for b in bvs], color=COLORS["neutral"], ls=":", label="noise")
        ax.plot(x, [b.total for b in bvs], color="k", lw=2, label="sum")
        ax.scatter(
            x,
            [b.expected_mse for b in bvs],
            s=60,
            facecolors="none",
            edgecolors=TEST_COLOR,
            linewidths=1.5,
            zorder=3,
            label="measured test MSE",
        )
        ax.set_xscale("log", base=2)
        ax.set_xticks(x)
        ax.set_xticklabels([f"{v:g}" for v in x])
        ax.set(xlabel=xlabel, title=title)
    axes[0].set_ylabel("error at the test points")
    axes[0].legend(fontsize=8)
    return fig


def plot_refits(x, predictions: Mapping[str, np.ndarray], truth, ylim=(-2.0, 2.0)):
    """One panel per model: every refit (thin), their average (thick) and the truth (dashed)."""
    xv = _vector(x, "x", "plot_refits")
    t = _vector(truth, "truth", "plot_refits")
    fig, axes = new_figure(ncols=len(predictions), width=min(4.0, 7.0 / len(predictions)),
                           height=3.2, sharey=True)  # fmt: skip
    axes = np.atleast_1d(axes)
    for ax, (title, P) in zip(axes, predictions.items(), strict=True):
        P = np.asarray(P, dtype=np.float64)
        if P.ndim != 2 or P.shape[1] != len(xv):
            raise NnlabValueError(
                f"plot_refits: {title!r}: predictions must be (refits, {len(xv)}), got {P.shape}"
            )
        for row in P:
            ax.plot(xv, row, color=VARIANCE_COLOR, lw=0.6, alpha=0.35)
        ax.plot(xv, P.mean(axis=0), color=BIAS_COLOR, lw=2.5, ls="-.", label="average fit")
        ax.plot(xv, t, color="k", lw=1.5, ls="--", label="true f")
        ax.set(xlabel="$x$", title=title, ylim=ylim)
    axes[0].plot([], [], color=VARIANCE_COLOR, lw=0.6, label="one refit")
    axes[0].legend(fontsize=8, loc="lower right")
    return fig
