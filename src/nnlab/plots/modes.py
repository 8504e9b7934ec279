"""Forward versus reverse mode: pass counts, work and time (chapter 10).

- `plot_passes(cases)`: passes for several shapes f: R^n -> R^m, both modes, log scale.
- `plot_sweep(points)`: along a sweep over n at fixed m (`nnlab.course.costs.sweep`), the counted
  rule applications and, if the sweep was timed, the measured seconds, with n = m marked.
"""

from __future__ import annotations

import numpy as np

from ..engine.errors import NnlabValueError
from .style import COLORS, axes_or_new, new_figure, series_style


def plot_passes(cases, ax=None, title: str = "passes for the full Jacobian"):
    """Grouped bars: forward passes (n) and reverse passes (m) for each ``(label, n, m)``."""
    cases = list(cases)
    if not cases:
        raise NnlabValueError("plot_passes: no cases to plot")
    for label, n, m in cases:
        if n < 1 or m < 1:
            raise NnlabValueError(f"plot_passes: case {label!r} needs n, m >= 1, got n={n}, m={m}")
    fig, ax = axes_or_new(ax, width=max(5.0, 1.3 * len(cases)), height=3.4)
    idx = np.arange(len(cases))
    fwd = [n for _, n, _ in cases]
    rev = [m for _, _, m in cases]
    ax.bar(idx - 0.2, fwd, 0.4, color=COLORS["forward"], edgecolor="black", linewidth=0.6,
           label="forward mode: n passes")  # fmt: skip
    ax.bar(idx + 0.2, rev, 0.4, color=COLORS["reverse"], hatch="//", edgecolor="black",
           linewidth=0.6, label="reverse mode: m passes")  # fmt: skip
    for i, (f, r) in enumerate(zip(fwd, rev, strict=True)):
        ax.text(i - 0.2, f, str(f), ha="center", va="bottom", fontsize=8)
        ax.text(i + 0.2, r, str(r), ha="center", va="bottom", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylim(0.7, max(fwd + rev) * 3)
    ax.set_xticks(idx, [label for label, _, _ in cases], fontsize=8)
    ax.set_ylabel("passes (log scale)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    return fig


def plot_sweep(points, title: str | None = None):
    """Rule applications (counted) and, when available, seconds (measured) against n.

    ``points`` come from `nnlab.course.costs.sweep` at one fixed m; one panel without times, two
    with. Returns the Figure.
    """
    points = list(points)
    if not points:
        raise NnlabValueError("plot_sweep: no points to plot")
    ms = {p.m for p in points}
    if len(ms) != 1:
        raise NnlabValueError(f"plot_sweep: the points must share one m, got {sorted(ms)}")
    m = ms.pop()
    timed = all(p.forward_seconds is not None for p in points)
    fig, axes = new_figure(ncols=2 if timed else 1, width=3.5 if timed else 4.4, height=3.3)
    axes = list(np.atleast_1d(axes))
    ns = [p.n for p in points]
    series = [
        (
            axes[0],
            [p.cost.forward_rules for p in points],
            [p.cost.reverse_rules for p in points],
            "rule applications (counted)",
        )
    ]
    if timed:
        series.append(
            (
                axes[1],
                [p.forward_seconds * 1e3 for p in points],
                [p.reverse_seconds * 1e3 for p in points],
                "milliseconds (measured here)",
            )
        )
    for ax, fwd, rev, ylabel in series:
        ax.plot(ns, fwd, label="forward (n passes)", **series_style(0, markevery=1))
        ax.plot(ns, rev, label="reverse (m passes)", **series_style(1, markevery=1))
        ax.axvline(m, color=COLORS["neutral"], ls="--", lw=1)
        ax.text(m, ax.get_ylim()[1], f" n = m = {m}", va="top", fontsize=8)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("n (inputs)")
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8, loc="upper left")
    fig.suptitle(title or f"full Jacobian of tanh(A x), A of shape ({m}, n)", fontsize=10)
    return fig
