"""The XOR network of handout §1.9, live: sliders for its weights, and a self-check.

The maths (data, the handout's weights, every intermediate value, the mistake hints) is
`nnlab.course.xor`; this module wires sliders and an answer box to it.
"""

from __future__ import annotations

from ..course import xor
from .core import number_slider
from .explorer import Explorer
from .selfcheck import SelfCheck

__all__ = ["xor_alt", "xor_explorer", "xor_selfcheck"]


def xor_explorer(
    W_hid=xor.HANDOUT_W, b_hid=xor.HANDOUT_B, v=xor.HANDOUT_V, c=xor.HANDOUT_C
) -> Explorer:
    """Sliders for W (entry ``wij`` = W[i-1, j-1], input i to hidden j), b, v and c.

    Outputs: the three linked panels (input, after x @ W + b, after ReLU) and the readout.
    """
    from ..plots import basis as plots_basis

    W_hid, b_hid, v, c = xor.check_weights(W_hid, b_hid, v, c, "xor_explorer")

    def slider(name, value):
        return number_slider(name, value, -3.0, 3.0, 0.25)

    controls = {
        "w11": slider("w11", W_hid[0, 0]),
        "w12": slider("w12", W_hid[0, 1]),
        "w21": slider("w21", W_hid[1, 0]),
        "w22": slider("w22", W_hid[1, 1]),
        "b1": slider("b1", b_hid[0]),
        "b2": slider("b2", b_hid[1]),
        "v1": slider("v1", v[0]),
        "v2": slider("v2", v[1]),
        "c": slider("c", c),
    }

    def render(w11, w12, w21, w22, b1, b2, v1, v2, c):
        state = xor.xor_forward([[w11, w12], [w21, w22]], [b1, b2], [v1, v2], c)
        return [plots_basis.plot_xor_panels(state), xor.format_readout(state)]

    # The book moves the second hidden unit's bias and output weight: 5 x 5 states.
    grid = {"b2": [-1.5, -1.0, -0.5, 0.0, 0.5], "v2": [-3.0, -2.0, -1.0, 0.0, 1.0]}
    arguments = dict(W_hid=W_hid, b_hid=b_hid, v=v, c=float(c))
    return Explorer(controls, render, factory=xor_explorer, arguments=arguments, grid=grid,
                    caption=XOR_CAPTION, alt=xor_alt)  # fmt: skip


XOR_CAPTION = (
    "The four XOR points in three views: the inputs x, the hidden pre-activations z = xW + b, "
    "and h = ReLU(z) with the output layer's line v.h + c = 0 (dashed). Class 1 is drawn as "
    "blue squares, class 0 as vermillion circles; ReLU folds points onto the axes, which is "
    "what lets one line separate the classes."
)


def xor_alt(w11, w12, w21, w22, b1, b2, v1, v2, c) -> str:
    """What the three XOR panels show at these weights."""
    state = xor.xor_forward([[w11, w12], [w21, w22]], [b1, b2], [v1, v2], c)
    points = "; ".join(f"x{k + 1} -> h = ({h[0]:.2f}, {h[1]:.2f})" for k, h in enumerate(state.h))
    ok = "separable by a line" if state.separable else "not separable by a line"
    return (
        "Three square scatter panels of the four XOR points (class 1 blue squares, class 0 "
        "vermillion circles): input space, after z = xW + b, and after ReLU with the output "
        f"line. After ReLU: {points}; the classes are {ok} there, and the network's accuracy "
        f"is {state.accuracy:.0%}."
    )


def xor_selfcheck(W_hid, b_hid, v, c, point: int) -> SelfCheck:
    """Ask for h(x_point) = sigmoid(logit); hints for the logit, a missing ReLU, a transposed W.

    ``point`` counts from 1 (x1..x4 of the XOR data); see `nnlab.course.xor.xor_mistakes`.
    """
    expected, mistakes = xor.xor_mistakes(W_hid, b_hid, v, c, point)
    W_hid, b_hid, v, c = xor.check_weights(W_hid, b_hid, v, c, "xor_selfcheck")
    prompt = (
        f"With W = {W_hid.tolist()}, b = {b_hid.tolist()}, v = {v.tolist()}, c = {float(c):g}, "
        f"what is the network's output h(x{point}) for x{point} = {xor.XOR_X[point - 1].tolist()}"
        "? (6 decimals)"
    )
    return SelfCheck(prompt, expected, mistakes)
