"""Drawing a traced computational graph (`nnlab.trace`) with both modes' numbers on it.

Three views of one `Graph` of scalar nodes, all numbers read from the engine:

- ``"values"``: each node's value, each edge's local derivative d(child)/d(parent);
- ``"forward"``: each node's tangent d(node)/d(seed input), one forward pass
  (``graph.tangents(wrt)``), arrows pointing from parents to children;
- ``"reverse"``: each node's adjoint d(output)/d(node), one reverse pass
  (``graph.adjoints()``), arrows pointing from children back to parents.

`draw_three_panels` puts the three side by side, as in the handout's Figure 2 (after Olah).
The graph questions (edge derivatives, children, which input a seed names) are the
Graph's own methods; this module only lays out and draws.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from ..engine.errors import NnlabTypeError, NnlabValueError, unknown_name
from ..engine.trace import Graph
from .style import COLORS, new_figure

MODES = ("values", "forward", "reverse")
ROW_GAP = 1.5  # vertical distance between nodes of one column
COL_GAP = 1.4  # horizontal distance between columns


# Positions that keep the figure of `nnlab.course.modes.neuron_graph` compact (b joins
# late, next to z).
NEURON_POSITIONS = {
    "w1": (0.0, 1.5), "w2": (0.0, -0.5), "p1": (1.4, 1.5), "p2": (1.4, -0.5),
    "s": (2.8, 0.5), "b": (2.8, -1.5), "z": (4.2, 0.5), "y": (5.6, 0.5),
}  # fmt: skip


def _check_scalar(graph: Graph, where: str) -> None:
    if not isinstance(graph, Graph):
        raise NnlabTypeError(f"{where}: expected an nnlab.trace Graph, got {type(graph).__name__}")
    big = [n.name for n in graph.nodes if np.size(n.value) != 1]
    if big:
        raise NnlabValueError(
            f"{where}: graph drawing needs scalar nodes; these hold arrays: {big} "
            "(trace a scalar version of the function)"
        )


def layout(graph: Graph, positions: dict[str, tuple[float, float]] | None = None) -> dict:
    """``{index: (x, y)}``: column = longest path from an input, rows spread within a column.

    ``positions`` (by node name) overrides the automatic place of any node.
    """
    depth: dict[int, int] = {}
    for node in graph.nodes:
        depth[node.index] = 1 + max((depth[p] for p in node.parents), default=-1)
    columns: dict[int, list[int]] = {}
    for i, d in depth.items():
        columns.setdefault(d, []).append(i)
    pos: dict[int, tuple[float, float]] = {}
    for d in sorted(columns):
        members = columns[d]
        if d > 0:  # order by the mean height of the parents: fewer crossings

            def mean_parent_y(i):
                ys = [pos[p][1] for p in graph.nodes[i].parents]
                return -float(np.mean(ys))

            members = sorted(members, key=mean_parent_y)
        k = len(members)
        for r, i in enumerate(members):
            pos[i] = (COL_GAP * d, ROW_GAP * ((k - 1) / 2 - r))
    for name, xy in (positions or {}).items():
        pos[graph[name].index] = (float(xy[0]), float(xy[1]))
    return pos


_LABEL_BOX = dict(boxstyle="square,pad=0.05", fc="white", ec="none", alpha=0.85)


def _num(x: float, precision: int) -> str:
    return f"{round(float(x), precision) + 0.0:.{precision}f}"  # never "-0.000"


def _node_color(graph: Graph, i: int) -> str:
    if i in graph.inputs:
        return COLORS["input"]
    if i == graph.output:
        return COLORS["output"]
    return COLORS["hidden"]


def draw_graph(
    graph: Graph,
    mode: str = "values",
    wrt=0,
    ax=None,
    positions: dict[str, tuple[float, float]] | None = None,
    precision: int = 3,
    title: str | None = None,
    compact: bool = False,
):
    """Draw ``graph`` in one of `MODES` on ``ax`` (a new figure if None); returns the Figure.

    ``wrt`` (input position or name) is the forward-mode seed; ``precision`` the decimals.
    Every node shows its name and value; edges show d(child)/d(parent). ``"forward"``
    adds each node's tangent (blue), ``"reverse"`` each node's adjoint (red). ``compact=True``
    writes those on two lines (``dc/db`` over ``= 1.0``), for narrow panels.
    """
    if mode not in MODES:
        raise unknown_name("draw_graph", "mode", mode, MODES)
    _check_scalar(graph, "draw_graph")
    edges = graph.edge_derivatives()
    pos = layout(graph, positions)
    if ax is None:
        xs = [p[0] for p in pos.values()]
        fig, ax = new_figure(width=1.6 + 1.7 * (max(xs) - min(xs)), height=3.4)
    else:
        fig = ax.figure
    out_name = graph.nodes[graph.output].name
    seed_name = graph.input_name(wrt, "draw_graph")
    if mode == "forward":
        extra = [float(t) for t in graph.tangents(wrt)]
        colour, arrow = COLORS["forward"], "forward"
        default_title = f"forward mode, seeded at {seed_name}: d(node)/d{seed_name}"
    elif mode == "reverse":
        extra = [float(a) for a in graph.adjoints()]
        colour, arrow = COLORS["reverse"], "reverse"
        default_title = f"reverse mode from {out_name}: d{out_name}/d(node)"
    else:
        extra, colour, arrow = None, COLORS["neutral"], "forward"
        default_title = "values and edge derivatives"
    radius = 0.24
    for (p, c), d in edges.items():
        (x0, y0), (x1, y1) = pos[p], pos[c]
        start, end = ((x0, y0), (x1, y1)) if arrow == "forward" else ((x1, y1), (x0, y0))
        ax.add_patch(
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=13,
                lw=1.4,
                color=colour,
                shrinkA=radius * 72 * 1.05,
                shrinkB=radius * 72 * 1.05,
                alpha=0.85,
            )  # fmt: skip
        )
        mx, my = x0 + 0.5 * (x1 - x0), y0 + 0.5 * (y1 - y0)
        ax.text(
            mx, my, _num(d, precision), ha="center", va="center",
            fontsize=9, color=COLORS["neutral"], family="monospace",
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="#bbbbbb", lw=0.6),
        )  # fmt: skip
    for node in graph.nodes:
        x, y = pos[node.index]
        col = _node_color(graph, node.index)
        ax.add_patch(Circle((x, y), radius, facecolor=col, alpha=0.3, edgecolor=col, lw=1.6))
        ax.text(x, y, node.name, ha="center", va="center", fontsize=11, weight="bold")
        ax.text(
            x, y + radius + 0.06, f"{node.name} = {_num(node.value, precision)}",
            ha="center", va="bottom", fontsize=8.5, family="monospace", bbox=_LABEL_BOX,
        )  # fmt: skip
        if extra is not None:
            name = (
                f"d{node.name}/d{seed_name}" if mode == "forward" else f"d{out_name}/d{node.name}"
            )
            gap = "\n" if compact else " "
            label = f"{name}{gap}= {_num(extra[node.index], precision)}"
            ax.text(
                x, y - radius - 0.06, label, ha="center", va="top", fontsize=8.5,
                color=colour, family="monospace", weight="bold", bbox=_LABEL_BOX,
            )  # fmt: skip
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title if title is not None else default_title, fontsize=10)
    return fig


# Figures wider than this are scaled down on the page (about 760 px at 110 dpi), text and all.
PAGE_WIDTH_IN = 6.9


def draw_three_panels(
    graph: Graph,
    wrt=0,
    positions: dict[str, tuple[float, float]] | None = None,
    precision: int = 3,
    panel_width: float | None = None,
    stacked: bool | None = None,
):
    """Values, forward mode (seeded at ``wrt``) and reverse mode of ``graph``; returns the
    Figure.

    The panels sit side by side when three fit the page's width (`PAGE_WIDTH_IN`); else the
    values panel goes on top, beside a key to the three panels, with forward and reverse mode
    below it, side by side for comparison; a graph too wide even for that (or
    ``stacked=True``) gets the three panels one above the other. ``stacked=False`` forces
    one row. So the page never shrinks the labels.
    """
    _check_scalar(graph, "draw_three_panels")
    pos = layout(graph, positions)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    width = panel_width or 1.6 + 1.0 * (max(xs) - min(xs))
    height = 1.6 + 0.9 * (max(ys) - min(ys))
    half = PAGE_WIDTH_IN / 2
    if stacked is None:
        arrangement = "row" if 3 * width <= PAGE_WIDTH_IN else (
            "grid" if width <= 1.35 * half else "stacked")  # fmt: skip
    else:
        arrangement = "stacked" if stacked else "row"
    if arrangement == "grid":
        scale = min(1.0, half / width)  # keep the drawing's proportions in the narrower panel
        fig, grid = new_figure(ncols=2, nrows=2, width=half, height=max(2.4, height * scale))
        axes = [grid[0, 0], grid[1, 0], grid[1, 1]]
        _key(grid[0, 1], graph, wrt)
    else:
        shape = {"nrows": 3} if arrangement == "stacked" else {"ncols": 3}
        fig, axes = new_figure(width=min(width, PAGE_WIDTH_IN), height=height, **shape)
    for ax, mode in zip(axes, MODES, strict=True):
        draw_graph(graph, mode, wrt=wrt, ax=ax, positions=positions, precision=precision,
                   compact=arrangement == "grid")  # fmt: skip
        ax.title.set_fontsize(9)
    return fig


def _key(ax, graph: Graph, wrt) -> None:
    """What each panel's numbers are, in words (the fourth cell of the 2 x 2 layout)."""
    seed = graph.input_name(wrt, "draw_three_panels")
    out = graph.nodes[graph.output].name
    lines = [
        ("How to read the panels", "black", "bold"),
        ("above each node: its value", "black", "normal"),
        ("on each edge: d(child)/d(parent)", COLORS["neutral"], "normal"),
        (f"forward, below a node: d(node)/d{seed}", COLORS["forward"], "bold"),
        (f"reverse, below a node: d{out}/d(node)", COLORS["reverse"], "bold"),
        ("arrows: the direction each pass runs", "black", "normal"),
    ]
    for k, (text, colour, weight) in enumerate(lines):
        ax.text(0.02, 0.92 - 0.15 * k, text, transform=ax.transAxes, fontsize=9, color=colour,
                weight=weight, va="top", family="monospace" if k in (3, 4) else None)  # fmt: skip
    ax.axis("off")
