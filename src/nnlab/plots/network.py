"""Network diagrams drawn from an architecture spec (nodes, weighted edges, bias nodes).

`draw_network` takes an `nnlab.MLP`, a spec dict like ``MLP.spec()`` or a plain list
of layer sizes, and draws one circle per unit, one arrow-free line per weight and a
small square per bias vector. Layers are counted from the inputs (layer 0); edge
keys follow the engine's weight convention: ``(layer, i, j)`` is ``W[layer][i, j]``,
the weight from unit ``i`` of layer ``layer`` to unit ``j`` of layer ``layer + 1``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.patches import Circle, Rectangle

from ..course.architecture import normalize_spec
from ..engine.errors import NnlabValueError
from .style import COLORS, new_figure

__all__ = ["draw_network", "layer_colors", "default_node_labels"]

_DX = 2.4  # horizontal distance between layers (data units)
_DY = 1.0  # vertical distance between units of a layer
_R = 0.3  # node radius


def layer_colors(n_layers: int) -> list[str]:
    """Handout Figure 1's colours: inputs blue, hidden 1 green, hidden 2 maroon, output orange."""
    hidden = [COLORS["hidden"], COLORS["hidden2"]]
    middle = [hidden[k % 2] for k in range(n_layers - 2)]
    return [COLORS["input"], *middle, COLORS["output"]]


def default_node_labels(sizes: Sequence[int]) -> dict[tuple[int, int], str]:
    """``x_i`` for inputs, ``h_j`` (or ``h^{(l)}_j``) for hidden units, ``\\hat y`` for outputs.

    Subscripts count from 1, as in the handout (``x_1`` is column 0 of the input).
    """
    labels = {}
    last = len(sizes) - 1
    for layer, n in enumerate(sizes):
        for unit in range(n):
            k = unit + 1
            if layer == 0:
                text = f"x_{{{k}}}"
            elif layer == last:
                text = r"\hat{y}" if n == 1 else rf"\hat{{y}}_{{{k}}}"
            elif last == 2:
                text = f"h_{{{k}}}"
            else:
                text = f"h^{{({layer})}}_{{{k}}}"
            labels[(layer, unit)] = f"${text}$"
    return labels


def _weight_labels(sizes: Sequence[int]) -> dict[tuple[int, int, int], str]:
    depth = len(sizes) - 1
    labels = {}
    for layer in range(depth):
        for i in range(sizes[layer]):
            for j in range(sizes[layer + 1]):
                sup = "" if depth == 1 else f"^{{({layer + 1})}}"
                labels[(layer, i, j)] = f"$w{sup}_{{{i + 1}{j + 1}}}$"
    return labels


def _positions(sizes: Sequence[int]) -> list[np.ndarray]:
    """(n, 2) array of node centres per layer; unit 0 at the top."""
    out = []
    for layer, n in enumerate(sizes):
        ys = ((n - 1) / 2 - np.arange(n)) * _DY
        out.append(np.column_stack([np.full(n, layer * _DX), ys]))
    return out


def _resolve_colors(colors, n_layers: int, where: str) -> list[str]:
    base = layer_colors(n_layers)
    if colors is None:
        return base
    if isinstance(colors, Mapping):
        bad = [k for k in colors if not (isinstance(k, int) and 0 <= k < n_layers)]
        if bad:
            raise NnlabValueError(
                f"{where}: colors keys must be layer indices 0..{n_layers - 1}, got {bad}"
            )
        return [colors.get(k, c) for k, c in enumerate(base)]
    if isinstance(colors, str):
        return [colors] * n_layers
    colors = list(colors)
    if len(colors) != n_layers:
        raise NnlabValueError(
            f"{where}: colors needs one colour per layer ({n_layers}), got {len(colors)}"
        )
    return colors


def _edge_fraction(i: int, j: int) -> float:
    # Alternate label positions along crossing edges so that labels do not overlap.
    return 0.3 if (i + j) % 2 == 0 else 0.7


def _edge_label(ax, xy, text: str) -> None:
    ax.text(
        *xy,
        text,
        ha="center",
        va="center",
        fontsize=9,
        zorder=4,
        gid="edge_label",
        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9),
    )


def draw_network(
    spec,
    edge_labels=None,
    node_labels=None,
    colors=None,
    ax=None,
    title=None,
):
    """Draw a fully connected network from its architecture and return the Figure.

    Parameters
    ----------
    spec : nnlab.MLP, dict like ``MLP.spec()``, or list of layer sizes.
    edge_labels : ``{(layer, i, j): str}`` for ``W[layer][i, j]`` (bias edges use
        ``i = "b"``), or ``"weights"`` to label every edge ``w_ij`` (with a layer
        superscript when there are several weight layers). Subscripts count from 1.
    node_labels : ``{(layer, unit): str}`` overriding the default ``x_i, h_j, y-hat``;
        pass ``{}`` to keep the defaults or ``False`` for unlabeled nodes.
    colors : one colour per layer (list), ``{layer: colour}`` overrides, or one colour.
    ax : draw into this Axes (the return value is then ``ax.figure``).
    title : optional axes title.
    """
    info = normalize_spec(spec, "draw_network")
    sizes, bias = info["sizes"], info["bias"]
    n_layers, depth = len(sizes), len(sizes) - 1
    fills = _resolve_colors(colors, n_layers, "draw_network")

    if isinstance(edge_labels, str):
        if edge_labels != "weights":
            raise NnlabValueError(
                f"draw_network: edge_labels must be a dict or 'weights', got {edge_labels!r}"
            )
        edge_labels = _weight_labels(sizes)
    edge_labels = dict(edge_labels or {})
    for key in edge_labels:
        if not (isinstance(key, tuple) and len(key) == 3):
            raise NnlabValueError(
                f"draw_network: edge_labels keys are (layer, i, j) tuples, got {key!r}"
            )
        layer, i, j = key
        ok_layer = isinstance(layer, int) and 0 <= layer < depth
        ok_i = ok_layer and (
            (i == "b" and bias[layer]) or (isinstance(i, int) and 0 <= i < sizes[layer])
        )
        ok_j = ok_layer and isinstance(j, int) and 0 <= j < sizes[layer + 1]
        if not (ok_layer and ok_i and ok_j):
            raise NnlabValueError(
                f"draw_network: edge_labels key {key!r} is not an edge of a network {sizes}"
            )

    labels = {} if node_labels is False else default_node_labels(sizes)
    for key, text in dict(node_labels or {}).items():
        if key not in default_node_labels(sizes):
            raise NnlabValueError(
                f"draw_network: node_labels key {key!r} is not a unit of a network {sizes}"
            )
        labels[key] = text

    if ax is None:
        height = max(2.6, 0.75 * max(sizes) + 1.4)
        fig, ax = new_figure(width=1.5 + 1.7 * n_layers, height=height)
    else:
        fig = ax.figure

    pos = _positions(sizes)
    top = (max(sizes) - 1) / 2 * _DY
    bias_pos = {}
    for layer in range(depth):
        if bias[layer]:
            y = max(pos[layer][0, 1], pos[layer + 1][0, 1]) + 0.95 * _DY
            bias_pos[layer] = np.array([layer * _DX + 0.45 * _DX, y])

    # Edges first, so that nodes are drawn on top of them.
    for layer in range(depth):
        for i, a in enumerate(pos[layer]):
            for j, b in enumerate(pos[layer + 1]):
                ax.plot([a[0], b[0]], [a[1], b[1]], color="#888888", lw=1.2, zorder=1, gid="edge")
                if (layer, i, j) in edge_labels:
                    t = _edge_fraction(i, j)
                    xy = a + t * (b - a)
                    _edge_label(ax, xy, edge_labels[(layer, i, j)])
        if layer in bias_pos:
            a = bias_pos[layer]
            for j, b in enumerate(pos[layer + 1]):
                ax.plot(
                    [a[0], b[0]],
                    [a[1], b[1]],
                    color="#aaaaaa",
                    lw=1.0,
                    ls="--",
                    zorder=1,
                    gid="bias_edge",
                )
                if (layer, "b", j) in edge_labels:
                    xy = a + 0.5 * (b - a)
                    _edge_label(ax, xy, edge_labels[(layer, "b", j)])
            s = 0.36
            ax.add_patch(
                Rectangle(
                    (a[0] - s / 2, a[1] - s / 2),
                    s,
                    s,
                    facecolor="white",
                    edgecolor=COLORS["neutral"],
                    lw=1.2,
                    zorder=3,
                    gid="bias_node",
                )
            )
            ax.text(a[0], a[1], "1", ha="center", va="center", fontsize=8, zorder=5)

    for layer, centres in enumerate(pos):
        for unit, c in enumerate(centres):
            ax.add_patch(
                Circle(c, _R, facecolor=fills[layer], edgecolor="black", lw=1, zorder=3, gid="node")
            )
            if (layer, unit) in labels:
                ax.text(
                    *c,
                    labels[(layer, unit)],
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="white",
                    zorder=5,
                    gid="node_label",
                )

    # Layer captions under each column: role and (where known) activation.
    acts = info["activation"]
    bottom = -top - 0.6 * _DY
    for layer in range(n_layers):
        if layer == 0:
            text = f"input\n({sizes[0]})"
        elif layer == depth:
            out = info["output"]
            text = f"output\n({sizes[layer]}" + (f", {out})" if out else ")")
        else:
            act = acts[layer - 1] if acts else None
            text = f"hidden {layer}\n({sizes[layer]}" + (f", {act})" if act else ")")
        ax.text(layer * _DX, bottom, text, ha="center", va="top", fontsize=9, gid="caption")

    ymax = max([top + _R] + [p[1] + 0.3 for p in bias_pos.values()]) + 0.15
    ax.set_xlim(-0.7, depth * _DX + 0.7)
    ax.set_ylim(bottom - 0.75, ymax)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig
