"""The small classification sets of `nnlab.data`, one scatter panel each (chapter 0's tour).

Classes differ by colour *and* marker (`plots.style.class_style`), so the panels read in
grey scale and for colour-blind readers too.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..engine.errors import NnlabValueError, ShapeError
from .style import class_style, new_figure

__all__ = ["plot_datasets"]


def plot_datasets(datasets: Mapping, ncols: int = 2, size: float = 14.0):
    """One scatter panel per ``name -> (X, y)``: ``X`` of shape (n, 2), integer labels ``y``.

    Panels are laid out ``ncols`` to a row, 3.2 x 2.6 inches each (two columns: 6.4 inches,
    within the page's width). Returns the Figure.
    """
    if not datasets:
        raise NnlabValueError("plot_datasets: needs at least one data set (name -> (X, y))")
    if not isinstance(ncols, int) or ncols < 1:
        raise NnlabValueError(f"plot_datasets: ncols must be a positive integer, got {ncols!r}")
    checked = {}
    for name, pair in datasets.items():
        X, y = (np.asarray(a) for a in pair)
        if X.ndim != 2 or X.shape[1] != 2 or y.shape != (X.shape[0],):
            raise ShapeError(
                f"plot_datasets: {name!r} needs X of shape (n, 2) and y of shape (n,), "
                f"got {X.shape} and {y.shape}"
            )
        checked[name] = (X, y.astype(int))
    ncols = min(ncols, len(checked))
    nrows = -(-len(checked) // ncols)
    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=3.2, height=2.6)
    axes = np.atleast_1d(axes).ravel()
    for ax, (name, (X, y)) in zip(axes, checked.items(), strict=False):
        for label in np.unique(y):
            rows = y == label
            ax.scatter(X[rows, 0], X[rows, 1], s=size, label=f"class {label}", **class_style(label))
        ax.set_title(f"{name} ({len(y)} points)", fontsize=10)
        ax.set_aspect("equal", adjustable="datalim")
        ax.tick_params(labelsize=8)
        ax.legend(fontsize=8, loc="best")
    for ax in axes[len(checked) :]:
        ax.set_visible(False)
    return fig
