"""Chapter 5's figure of converged runs: one fixed basis against one learned basis."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..engine.errors import NnlabValueError
from .style import new_figure, series_style


def plot_minima(objectives: Mapping[str, np.ndarray], rtol: float = 1e-6):
    """Final objective of every converged run, one row per model (``{label: values}``).

    Runs that end within ``rtol`` of each other are one point, labelled with how many seeds
    reached it (labels alternate above and below the points); rows differ by colour and marker,
    the first row on top.
    """
    if len(objectives) == 0:
        raise NnlabValueError("plot_minima: need at least one row of objectives")
    fig, ax = new_figure(width=6.0, height=1.2 + 0.7 * len(objectives))
    labels = list(objectives)
    for row, label in enumerate(labels):
        values = np.sort(np.asarray(objectives[label], dtype=np.float64).reshape(-1))
        if values.size == 0 or not np.all(np.isfinite(values)):
            raise NnlabValueError(f"plot_minima: row {label!r} needs finite values")
        groups: list[list[float]] = []
        for v in values:
            if groups and abs(v - groups[-1][0]) <= rtol * abs(groups[-1][0]):
                groups[-1].append(float(v))
            else:
                groups.append([float(v)])
        style = series_style(row)
        for k, group in enumerate(groups):
            ax.scatter(group[0], row, s=60, color=style["color"], edgecolors="black",
                       linewidths=0.6, marker=["o", "s", "^", "D"][row % 4], zorder=3)  # fmt: skip
            # alternate above and below, so the counts of nearly equal minima do not overlap
            ax.annotate(f"{len(group)}", (group[0], row), xytext=(0, 9 if k % 2 == 0 else -15),
                        textcoords="offset points", ha="center", fontsize=8)  # fmt: skip
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_ylim(len(labels) - 0.4, -0.6)  # the first row on top
    ax.margins(x=0.15)
    ax.grid(axis="x", color="0.9")
    ax.set(xlabel="objective at the end of the run (MSE + penalty)",
           title="converged runs from 8 seeds (number: seeds ending there)")  # fmt: skip
    ax.title.set_fontsize(9)
    return fig
