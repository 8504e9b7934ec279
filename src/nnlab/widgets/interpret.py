"""An attribution explorer: move a point with two sliders, see its saliency and IG live.

The maths and the readout are `nnlab.course.interpret.attribution`; this module wires sliders
to them.
"""

from __future__ import annotations

import math

import numpy as np

from ..course.interpret import attribution, boundaries, scores
from ..nn.mlp import MLP
from .core import number_slider
from .explorer import Explorer

__all__ = ["attribution_explorer"]


def attribution_explorer(
    net: MLP,
    X,
    y,
    x0=(0.5, 0.25),
    baseline=None,
    xlim=(-1.6, 2.6),
    ylim=(-1.2, 1.7),
    steps: int = 64,
) -> Explorer:
    """Sliders ``x1``, ``x2`` place a point on the decision map of a trained 2-input network;
    the outputs are the map with the point's gradient and IG arrows, and the readout."""
    from ..plots import interpret as plots_interpret

    f = scores.score_function(net)
    decision = boundaries.decision_map(f, xlim, ylim, 120)  # computed once, reused per move

    def slider(name, value, low, high):
        step = 0.125
        return number_slider(name, value, math.floor(low / step) * step, high, step)

    controls = {"x1": slider("x1", x0[0], *xlim), "x2": slider("x2", x0[1], *ylim)}

    def render(x1, x2):
        info = attribution.point_attributions(net, [x1, x2], baseline=baseline, steps=steps)
        fig = plots_interpret.plot_decision_attributions(
            f,
            X,
            y,
            [info["x"]],
            {"gradient": info["gradient"][None, :], "integrated gradients": info["ig"][None, :]},
            decision=decision,
            title="Attribution directions at the chosen point",
            arrow_length=0.35,
        )
        return [fig, attribution.attribution_readout(info)]

    # The book moves the point over a 7 x 6 lattice of the plotted square (values on the
    # sliders' 0.05 steps); the net travels in the recipe as its spec and parameters.
    grid = {"x1": _lattice(xlim[0], xlim[1], 7), "x2": _lattice(ylim[0], ylim[1], 6)}
    arguments = dict(net=net, X=X, y=y, x0=list(x0), baseline=baseline, xlim=list(xlim),
                     ylim=list(ylim), steps=steps)  # fmt: skip

    def alt(x1, x2):
        logit = float(np.asarray(f(np.array([[x1, x2]])))[0])
        return (
            "Decision map of the network: pale vermillion where it predicts class 0, pale blue "
            "for class 1, a black line where the logit is 0, and the data as vermillion circles "
            f"and blue squares. The chosen point ({x1:.2f}, {x2:.2f}) is circled; its logit is "
            f"{logit:.2f} (class {int(logit > 0)}). Two arrows start there: the gradient "
            "(filled) and integrated gradients (hollow), drawn with equal lengths."
        )

    return Explorer(controls, render, factory=attribution_explorer, arguments=arguments,
                    grid=grid, caption=ATTRIBUTION_CAPTION, alt=alt)  # fmt: skip


ATTRIBUTION_CAPTION = (
    "The network's decision regions and data, with the chosen point's attributions: the "
    "gradient's direction (filled arrow) and integrated gradients' (hollow arrow), both drawn "
    "at the same length, so only their directions compare; the readout gives their values."
)


def _lattice(low: float, high: float, n: int) -> list[float]:
    """``n`` values spread over [low, high], each on the sliders' 0.05 step."""
    return [round(round((low + (high - low) * (i + 0.5) / n) / 0.05) * 0.05, 2)
            for i in range(n)]  # fmt: skip
