"""Chain-rule factor diagram for f = sigmoid(v1 * ReLU(w1 * x)) (handout §1.5.2).

The chain w1 -> u = w1 x -> h = ReLU(u) -> s = v1 h -> f = sigmoid(s) is drawn left to
right; each node shows its forward value and each arrow its local derivative, and the
caption multiplies the local derivatives into df/dw1.
"""

from __future__ import annotations

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..course.chain_example import chain_values
from .style import COLORS, axes_or_new


def draw_chain(w1: float, v1: float, x: float, ax=None):
    """The chain as boxes (forward values) and arrows (local derivatives), read right to left
    for backpropagation; returns the Figure."""
    vals = chain_values(w1, v1, x)
    fig, ax = axes_or_new(ax, width=7.4, height=2.3)  # within the page: text at full size
    ax.set_xlim(-0.2, 10.2)
    ax.set_ylim(-1.25, 1.25)
    ax.axis("off")
    nodes = [
        ("$w_1$", f"{w1:.3f}", COLORS["input"]),
        ("$u = w_1 x$", f"{vals['u']:.3f}", COLORS["hidden"]),
        ("$h = \\mathrm{ReLU}(u)$", f"{vals['h']:.3f}", COLORS["hidden"]),
        ("$s = v_1 h$", f"{vals['s']:.3f}", COLORS["hidden2"]),
        ("$f = \\sigma(s)$", f"{vals['f']:.4f}", COLORS["output"]),
    ]
    xs = [0.6, 2.8, 5.0, 7.2, 9.4]
    for (label, value, colour), cx in zip(nodes, xs, strict=True):
        box = FancyBboxPatch(
            (cx - 0.75, -0.35), 1.5, 0.7, boxstyle="round,pad=0.05",
            facecolor=colour, alpha=0.25, edgecolor=colour, lw=1.5,
        )  # fmt: skip
        ax.add_patch(box)
        ax.text(cx, 0.12, label, ha="center", va="center", fontsize=9)
        ax.text(cx, -0.16, value, ha="center", va="center", fontsize=9, family="monospace")
    f = vals["factors"]
    edge_labels = [
        (r"$\partial u/\partial w_1 = x$", f["du/dw1"]),
        (r"$\mathbb{1}[u>0]$", f["dh/du"]),
        (r"$\partial s/\partial h = v_1$", f["ds/dh"]),
        (r"$\sigma'(s)$", f["df/ds"]),
    ]
    for k, (label, value) in enumerate(edge_labels):
        x0, x1 = xs[k] + 0.8, xs[k + 1] - 0.8
        ax.add_patch(
            FancyArrowPatch(
                (x0, 0), (x1, 0), arrowstyle="-|>", mutation_scale=12, color=COLORS["neutral"]
            )  # fmt: skip
        )
        ax.text((x0 + x1) / 2, 0.62, label, ha="center", va="bottom", fontsize=8.5)
        ax.text(
            (x0 + x1) / 2, 0.45, f"{value:.4f}", ha="center", va="bottom", fontsize=8.5,
            color=COLORS["reverse"], family="monospace",
        )  # fmt: skip
    ax.text(
        5.0, -0.85,
        f"df/dw1 = {f['df/ds']:.4f} \u00d7 ({f['ds/dh']:.4f}) \u00d7 {f['dh/du']:.0f} \u00d7 "
        f"{f['du/dw1']:.4f}"
        f" = {vals['product']:.6f}   (x = {x:.3f})",
        ha="center", va="center", fontsize=9.5, color=COLORS["reverse"],
    )  # fmt: skip
    return fig
