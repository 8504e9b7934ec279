"""Chapter 12's remedy figures that `plots.training` does not already draw: signal scales
through depth (`plot_signal_scales`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..engine.errors import NnlabValueError
from .style import new_figure, series_style

__all__ = ["plot_signal_scales"]


def plot_signal_scales(scales: Mapping, title: str = ""):
    """Two panels on log axes: the rms of the hidden activations a_l against l (left) and of the
    deltas delta_l against l (right), one series per entry of ``scales`` (a dict label ->
    ``(forward, backward)`` as `nnlab.course.remedies.signal_scales` returns)."""
    if not scales:
        raise NnlabValueError("plot_signal_scales: no series to draw")
    fig, (left, right) = new_figure(ncols=2, width=3.3, height=2.9)
    for k, (label, (forward, backward)) in enumerate(scales.items()):
        forward, backward = np.asarray(forward, float), np.asarray(backward, float)
        if forward.ndim != 1 or backward.ndim != 1 or backward.size != forward.size + 1:
            raise NnlabValueError(
                f"plot_signal_scales: {label!r} needs forward (D-1,) and backward (D,) scales, "
                f"got shapes {forward.shape} and {backward.shape}"
            )
        left.plot(np.arange(1, forward.size + 1), forward, lw=1.6, label=label,
                  **series_style(k, markevery=1))  # fmt: skip
        right.plot(np.arange(backward.size), backward, lw=1.6, label=label,
                   **series_style(k, markevery=1))  # fmt: skip
    left.set(yscale="log", xlabel=r"layer $\ell$", ylabel=r"rms of $a_\ell$",
             title="forward: activations")  # fmt: skip
    right.set(yscale="log", xlabel=r"layer $\ell$", ylabel=r"rms of $\delta_\ell$",
              title="backward: deltas")  # fmt: skip
    for ax in (left, right):
        ax.grid(alpha=0.3)
    left.legend(fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig
