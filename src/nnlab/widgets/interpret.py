"""An attribution explorer: move a point with two sliders, see its saliency and IG live.

The maths is in `nnlab.course.interpret`; this module formats a readout and wires sliders to it.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..course import interpret
from ..nn.mlp import MLP
from .core import Explorer

__all__ = ["attribution_explorer", "attribution_readout", "point_attributions"]


def point_attributions(net: MLP, x, baseline=None, steps: int = 64) -> dict:
    """Every attribution of one 2-D point: logit, probability, gradient, gradient x input,
    integrated gradients and the completeness check ``sum IG`` vs ``f(x) - f(baseline)``."""
    if not isinstance(net, MLP) or net.sizes[0] != 2 or net.sizes[-1] != 1:
        raise ValueError("point_attributions needs a 2-input, 1-output nnlab.MLP")
    x = np.asarray(x, dtype=np.float64).reshape(1, 2)
    f = interpret.score_function(net)
    ig = interpret.integrated_gradients(f, x, baseline=baseline, steps=steps)
    logit = float(ig.f_x[0])
    return {
        "x": x[0],
        "baseline": ig.baseline[0],
        "logit": logit,
        "probability": float(1.0 / (1.0 + np.exp(-logit))),
        "gradient": interpret.saliency(f, x, absolute=False)[0],
        "grad_x_input": interpret.gradient_times_input(f, x, baseline=baseline)[0],
        "ig": ig.attributions[0],
        "ig_sum": float(ig.attributions.sum()),
        "difference": float(ig.f_x[0] - ig.f_baseline[0]),
        "steps": steps,
    }


def _pair(v) -> str:
    return f"({v[0]:+.4f}, {v[1]:+.4f})"


def attribution_readout(info: dict) -> str:
    """A fixed-precision text table of `point_attributions`."""
    predicted = 1 if info["logit"] > 0 else 0
    return "\n".join(
        [
            f"point x = {_pair(info['x'])}   baseline x' = {_pair(info['baseline'])}",
            f"logit f(x) = {info['logit']:+.4f}   p(y=1|x) = {info['probability']:.4f}"
            f"   predicted label {predicted}",
            f"gradient df/dx          = {_pair(info['gradient'])}",
            f"gradient x (x - x')     = {_pair(info['grad_x_input'])}",
            f"integrated gradients    = {_pair(info['ig'])}   ({info['steps']} midpoint steps)",
            f"sum of IG = {info['ig_sum']:+.4f}   f(x) - f(x') = {info['difference']:+.4f}"
            f"   gap = {info['ig_sum'] - info['difference']:+.2e}",
        ]
    )


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

    f = interpret.score_function(net)
    decision = interpret.decision_map(f, xlim, ylim, 120)  # computed once, reused per move

    def slider(name, value, low, high):
        return W.FloatSlider(
            value=float(value),
            min=float(low),
            max=float(high),
            step=0.05,
            description=name,
            continuous_update=False,
            readout_format=".2f",
        )

    controls = {"x1": slider("x1", x0[0], *xlim), "x2": slider("x2", x0[1], *ylim)}

    def render(x1, x2):
        info = point_attributions(net, [x1, x2], baseline=baseline, steps=steps)
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
        return [fig, attribution_readout(info)]

    return Explorer(controls, render)
