"""Explorers and self-checks for backpropagation by hand (chapter 8).

The maths is in `nnlab.course.chain_example` (f = sigmoid(v1 ReLU(w1 x)), handout §1.5.2) and
`nnlab.course.section16` (the 2-2-1 network with BCE loss); this module wires sliders and
answer boxes to it.
"""

from __future__ import annotations

import ipywidgets as W

from ..course import chain_example, section16
from ..course.grading import CHAIN_RULE_RETRY
from ..engine.errors import NnlabValueError
from ..plots import chain as chain_plot
from .core import number_slider
from .explorer import Explorer
from .selfcheck import SelfCheck

__all__ = ["chain_alt", "chain_explorer", "chain_selfcheck", "gradient_explorer", "w11_selfcheck"]


def _slider(value, lo, hi, step, description):
    return number_slider(description, value, lo, hi, step)


def chain_explorer(w1: float = 0.5, v1: float = -2.0, x: float = 3.0) -> Explorer:
    """Sliders for w1, v1 and x; outputs: the factor readout and the chain diagram."""
    controls = {
        "w1": _slider(w1, -2.0, 2.0, 0.25, "w1"),
        "v1": _slider(v1, -3.0, 3.0, 0.25, "v1"),
        "x": _slider(x, -4.0, 4.0, 0.25, "x"),
    }

    def render(w1, v1, x):
        return [chain_example.chain_readout(w1, v1, x), chain_plot.draw_chain(w1, v1, x)]

    grid = {"w1": [-1.0, -0.5, 0.0, 0.5, 1.0], "v1": [-2.0, -1.0, 0.0, 1.0, 2.0],
            "x": [-3.0, 3.0]}  # fmt: skip
    return Explorer(controls, render, factory=chain_explorer,
                    arguments=dict(w1=w1, v1=v1, x=x), grid=grid, caption=CHAIN_CAPTION,
                    alt=chain_alt)  # fmt: skip


CHAIN_CAPTION = (
    "The chain w1 -> u = w1 x -> h = ReLU(u) -> s = v1 h -> f = sigmoid(s): each box holds a "
    "node's forward value, each arrow its local derivative (in vermillion); the product of "
    "the four arrows, written below, is df/dw1. Where u <= 0 the ReLU arrow is 0 and so is "
    "the gradient."
)


def chain_alt(w1: float, v1: float, x: float) -> str:
    """What the chain diagram shows at these values, numbers included."""
    c = chain_example.chain_values(w1, v1, x)
    f = c["factors"]
    return (
        "Five boxes in a row joined by arrows: w1, u = w1 x, h = ReLU(u), s = v1 h and "
        f"f = sigmoid(s), with values {w1:.3f}, {c['u']:.3f}, {c['h']:.3f}, {c['s']:.3f} and "
        f"{c['f']:.4f}. The arrows carry the local derivatives x = {f['du/dw1']:.4f}, "
        f"1[u > 0] = {f['dh/du']:.0f}, v1 = {f['ds/dh']:.4f} and sigmoid'(s) = "
        f"{f['df/ds']:.4f}; below, their product df/dw1 = {c['product']:.6f}."
    )


def chain_selfcheck(w1: float, v1: float, x: float) -> SelfCheck:
    """Type df/dw1 for f = sigmoid(v1 ReLU(w1 x)) at the given values."""
    r = chain_example.chain_rule(w1, v1, x)
    prompt = (
        f"For f = sigmoid(v1 ReLU(w1 x)) with w1 = {w1:g}, v1 = {v1:g}, x = {x:g}, "
        "type df/dw1 (3 significant digits are enough)."
    )
    return SelfCheck(
        prompt, r["engine"], chain_example.chain_mistakes(w1, v1, x), retry=CHAIN_RULE_RETRY
    )


def gradient_explorer(**defaults) -> Explorer:
    """Sliders for the §1.6 network's seven weights, the input and the label; readout of the
    hand gradients beside the engine's."""
    unknown = set(defaults) - set(section16.GRADIENT_DEFAULTS)
    if unknown:
        raise NnlabValueError(f"gradient_explorer: unknown value(s) {sorted(unknown)}")
    v = {**section16.GRADIENT_DEFAULTS, **defaults}
    controls = {
        name: _slider(v[name], -3.0, 3.0, 0.25, name)
        for name in (*section16.PARAMS, *section16.INPUTS)
    }
    controls["y"] = W.IntSlider(value=int(v["y"]), min=0, max=1, step=1, description="y")

    def render(**values):
        return [section16.gradients_text(**values)]

    # Text only, so the book can afford a finer grid: 9 x 5 x 5 x 2 states.
    grid = {
        "w11": [-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0],
        "v1": [-2.0, -1.0, 0.0, 1.0, 2.0],
        "x1": [-1.0, 0.0, 1.0, 2.0, 3.0],
        "y": [0, 1],
    }
    caption = (
        "Each weight's gradient of the BCE loss computed by hand (the chain rule, factor "
        "by factor) beside the engine's, at the current weights, input and label."
    )
    return Explorer(controls, render, factory=gradient_explorer, arguments=defaults,
                    grid=grid, caption=caption,
                    alt="A table of the hand and engine gradients (text only).")  # fmt: skip


def w11_selfcheck(**values) -> SelfCheck:
    """Type dL/dw11 for the 2-2-1 network at the given weights, input and label."""
    r = section16.gradients(**values)
    listed = ", ".join(f"{k} = {values[k]:g}" for k in (*section16.PARAMS, "x1", "x2", "y"))
    prompt = f"For the 2-2-1 network with {listed}, type dL/dw11 (BCE loss)."
    return SelfCheck(
        prompt, r["dw11_engine"], section16.w11_mistakes(**values), retry=CHAIN_RULE_RETRY
    )
