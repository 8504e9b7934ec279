"""The §1.6 network by hand, live: sliders for its weights and inputs.

The maths is `nnlab.course.section16`; ``forward_explorer`` wires sliders to its readout and
the network diagram, and ``forward_selfcheck`` grades a typed y-hat with its mistake hints.
"""

from __future__ import annotations

from ..course import section16
from .core import number_slider
from .explorer import Explorer
from .selfcheck import SelfCheck

__all__ = ["forward_explorer", "forward_selfcheck"]


def _diagram(values: dict, r: dict):
    from ..plots.network import draw_network

    net = section16.network(*(values[p] for p in section16.PARAMS))
    edges = {}
    for i in range(2):
        for j in range(2):
            edges[(0, i, j)] = f"{values[f'w{i + 1}{j + 1}']:+.2f}"
    edges[(1, 0, 0)] = f"{values['v1']:+.2f}"
    edges[(1, 1, 0)] = f"{values['v2']:+.2f}"
    edges[(1, "b", 0)] = f"{values['v0']:+.2f}"
    nodes = {
        (0, 0): f"{values['x1']:.1f}",
        (0, 1): f"{values['x2']:.1f}",
        (1, 0): f"{r['h1']:.2f}",
        (1, 1): f"{r['h2']:.2f}",
        (2, 0): f"{r['y_hat']:.2f}",
    }
    return draw_network(net, edge_labels=edges, node_labels=nodes, title="current values")


def forward_explorer(**start) -> Explorer:
    """Sliders for w11..v2 and x1, x2; shows the factor-by-factor readout and the diagram."""
    names = (*section16.PARAMS, *section16.INPUTS)
    values = section16.check_values({**section16.FORWARD_DEFAULTS, **start}, names,
                                    "forward_explorer")  # fmt: skip
    controls = {name: number_slider(name, values[name], -3.0, 3.0, 0.25) for name in names}

    def render(**vals):
        r = section16.forward_readout(**vals)
        return [section16.forward_text(r), _diagram(vals, r)]

    # The book moves the inputs (the weights stay as the chapter sets them): 7 x 7 states.
    inputs = [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5]
    return Explorer(controls, render, factory=forward_explorer, arguments=start,
                    grid={"x1": inputs, "x2": inputs}, caption=FORWARD_CAPTION,
                    alt=forward_alt)  # fmt: skip


FORWARD_CAPTION = (
    "The §1.6 network at the current weights and inputs: each edge is labelled with its weight "
    "(v0, from the square bias node, is the output's bias), the input nodes show x1 and x2, "
    "the hidden nodes h1 = ReLU(z1) and h2 = ReLU(z2), and the output node y-hat."
)


def forward_alt(**vals) -> str:
    """What the network diagram shows at these values, numbers included."""
    r = section16.forward_readout(**vals)
    return (
        "Network diagram: two input nodes (x1 = {x1:.2f}, x2 = {x2:.2f}) joined to two ReLU "
        "hidden nodes (h1 = {h1:.2f}, h2 = {h2:.2f}) by edges labelled w11 = {w11:+.2f}, "
        "w12 = {w12:+.2f}, w21 = {w21:+.2f}, w22 = {w22:+.2f}; the hidden nodes and a bias node "
        "feed the sigmoid output y-hat = {y:.2f} through v1 = {v1:+.2f}, v2 = {v2:+.2f} and "
        "v0 = {v0:+.2f}."
    ).format(h1=r["h1"], h2=r["h2"], y=r["y_hat"], **vals)


def forward_selfcheck(**values) -> SelfCheck:
    """A box where the student types y-hat for the §1.6 network at these weights and inputs."""
    v = {**section16.FORWARD_DEFAULTS, **values}
    r = section16.forward_readout(**v)
    shown = ", ".join(f"{k} = {v[k]:g}" for k in (*section16.PARAMS, *section16.INPUTS))
    prompt = f"For the §1.6 network with {shown}, what is y-hat (to 4 decimals)?"
    return SelfCheck(prompt, r["engine"], section16.forward_mistakes(**v))
