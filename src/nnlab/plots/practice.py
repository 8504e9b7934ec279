"""Figures of the practice problems (`nnlab.course.practice`): a problem's figure spec drawn.

A generator describes its figure as JSON-able data (``Problem.figure`` and
``Problem.solution_figure``); `practice_figure` draws it with the book's plot functions. The
staff command line (`nnlab.practice`) saves these as SVG; the practice widgets and the static
bank (`nnlab.widgets.practice`) show them as PNG.
"""

from __future__ import annotations

import numpy as np

from ..engine.errors import NnlabValueError
from .style import COLORS, new_figure

__all__ = ["FIGURE_KINDS", "practice_figure"]

FIGURE_KINDS = ("network", "graph", "xor", "descent")


def _descent(spec: dict):
    """The parabola L(w) = a w^2 / 2 with the gradient-descent iterates drawn on it."""
    a, path = float(spec["a"]), np.asarray(spec["path"], dtype=np.float64)
    span = max(1.0, float(np.max(np.abs(path)))) * 1.15
    w = np.linspace(-span, span, 201)
    fig, ax = new_figure(width=4.6, height=3.2)
    ax.plot(w, 0.5 * a * w**2, color=COLORS["neutral"], lw=1.5, label="$L(w) = a w^2/2$")
    ax.plot(path, 0.5 * a * path**2, "o-", color=COLORS["output"], ms=5, lw=1,
            label="gradient-descent steps")  # fmt: skip
    for t, x in enumerate(path):
        ax.annotate(f"$w_{t}$", (x, 0.5 * a * x**2), textcoords="offset points",
                    xytext=(4, 4), fontsize=8)  # fmt: skip
    ax.set(xlabel="$w$", ylabel="$L(w)$")
    ax.legend(fontsize=8)
    return fig


def practice_figure(spec: dict):
    """A practice figure spec as a matplotlib Figure (kinds: `FIGURE_KINDS`)."""
    from ..course.practice import build_graph
    from ..course.xor import xor_forward
    from .basis import plot_xor_panels
    from .graph import draw_three_panels
    from .network import draw_network

    kind = spec.get("kind") if isinstance(spec, dict) else None
    if kind == "network":
        labels = {(e["layer"], e["i"], e["j"]): e["label"] for e in spec.get("edges", [])}
        return draw_network({"sizes": spec["sizes"], "bias": spec["bias"]}, edge_labels=labels)
    if kind == "graph":
        return draw_three_panels(build_graph(spec["graph"]), wrt=spec["wrt"], precision=2)
    if kind == "xor":
        return plot_xor_panels(xor_forward(spec["W"], spec["b"], spec["v"], spec["c"]))
    if kind == "descent":
        return _descent(spec)
    raise NnlabValueError(
        f"practice_figure: unknown figure spec kind {kind!r}; kinds: {', '.join(FIGURE_KINDS)}"
    )
