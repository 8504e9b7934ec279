"""One look for every figure: colours, sizes and a pyplot-free figure factory."""

from __future__ import annotations

from matplotlib.figure import Figure

# The handout's colours: blue for label 1, red for label 0.
CLASS_COLORS = {0: "#d62728", 1: "#1f77b4", 2: "#2ca02c", 3: "#9467bd", 4: "#ff7f0e"}
COLORS = {
    "input": "#4c8bf5",
    "hidden": "#3aa655",
    "hidden2": "#8c2d4a",
    "output": "#f28e2b",
    "forward": "#1f77b4",
    "reverse": "#d62728",
    "neutral": "#555555",
}


def new_figure(ncols: int = 1, nrows: int = 1, width: float = 4.0, height: float = 3.2, **kwargs):
    """A Figure with a grid of axes, ``width`` x ``height`` inches per panel.

    Returns ``(fig, axes)``; ``axes`` is a single Axes for one panel, else an array.
    """
    fig = Figure(figsize=(width * ncols, height * nrows), dpi=110, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **kwargs)
    return fig, axes


def axes_or_new(ax=None, width: float = 5.0, height: float = 3.4):
    """``(fig, ax)``: draw into the given Axes, or into a new one-panel Figure of that size."""
    if ax is None:
        return new_figure(width=width, height=height)
    return ax.figure, ax
