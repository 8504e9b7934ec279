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

__all__ = ["draw_network", "layer_colors", "default_node_labels", "place_edge_labels"]

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
    """``w^{(l)}_{ij}`` for ``W[l][i-1, j-1]``: layers counted from 0 as in the book (``W_l``),
    units from 1 (as `nnlab.course.formula.weight_names`); one weight layer: no superscript."""
    depth = len(sizes) - 1
    labels = {}
    for layer in range(depth):
        for i in range(sizes[layer]):
            for j in range(sizes[layer + 1]):
                sup = "" if depth == 1 else f"^{{({layer})}}"
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


_EDGE_FONT = 9  # points
_EDGE_PAD = 0.15  # the label box's padding, in font sizes
# Where along its edge a label may sit (fraction from the source), most preferred first.
_FRACTIONS = (0.5, 0.38, 0.62, 0.3, 0.7, 0.22, 0.78, 0.45, 0.55, 0.33, 0.67, 0.16, 0.84)


def _edge_label(ax, xy, text: str) -> None:
    ax.text(
        *xy,
        text,
        ha="center",
        va="center",
        fontsize=_EDGE_FONT,
        zorder=4,
        gid="edge_label",
        bbox=dict(boxstyle=f"round,pad={_EDGE_PAD}", fc="white", ec="none", alpha=0.9),
    )


def _label_size(text: str, units_per_point: float) -> np.ndarray:
    """Half width and half height of a label's box, in data units (with a safety margin)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    ismath = text.count("$") >= 2
    w, h, d = TextToPath().get_text_width_height_descent(text, FontProperties(size=_EDGE_FONT),
                                                         ismath=ismath)  # fmt: skip
    h = max(h, 1.2 * _EDGE_FONT)  # (mathtext's height includes its depth) at least a line tall
    pad = 2 * _EDGE_PAD * _EDGE_FONT
    return 0.5 * 1.06 * np.array([w + pad, h + pad]) * units_per_point


def _overlap(c1, half1, c2, half2) -> float:
    """Area shared by two axis-aligned boxes (centre, half sizes)."""
    dx = min(c1[0] + half1[0], c2[0] + half2[0]) - max(c1[0] - half1[0], c2[0] - half2[0])
    dy = min(c1[1] + half1[1], c2[1] + half2[1]) - max(c1[1] - half1[1], c2[1] - half2[1])
    return max(dx, 0.0) * max(dy, 0.0)


def place_edge_labels(segments, texts, obstacles, units_per_point: float) -> list[np.ndarray]:
    """A position on each segment ``(a, b)`` for its label, so that no two labels' boxes
    overlap and none covers an obstacle (``(centre, half size)`` boxes: the nodes).

    Greedy: the labels of the most crowded segments choose first; each takes the first of
    `_FRACTIONS` along its segment that is free, or, when none is, the least covered one.
    """
    sizes = [_label_size(t, units_per_point) for t in texts]
    placed: list[tuple[np.ndarray, np.ndarray]] = []
    out: list[np.ndarray | None] = [None] * len(segments)

    def cost(xy, half):
        return sum(_overlap(xy, half, c, h) for c, h in [*obstacles, *placed])

    def slope(k):
        (a, b) = segments[k]
        return -abs(b[1] - a[1]) / (abs(b[0] - a[0]) + 1e-9)  # steep edges choose first

    for k in sorted(range(len(segments)), key=slope):
        a, b = (np.asarray(p, dtype=float) for p in segments[k])
        candidates = [a + t * (b - a) for t in _FRACTIONS]
        costs = [cost(xy, sizes[k]) for xy in candidates]
        free = [xy for xy, c in zip(candidates, costs, strict=True) if c == 0.0]
        best = free[0] if free else candidates[int(np.argmin(costs))]
        out[k] = best
        placed.append((best, sizes[k]))
    return out


def _units_per_point(ax, xlim, ylim, titled: bool, alone: bool) -> float:
    """Data units per typographic point in an equal-aspect axes showing ``xlim`` x ``ylim``,
    estimated before layout: an axes alone in its figure (axis off) fills it but for the
    layout's pads and the title; one among others, its subplot box."""
    fig = ax.figure
    if alone:
        width = fig.get_figwidth() * 72 - 12
        height = fig.get_figheight() * 72 - 12 - (17 if titled else 0)
    else:
        box = ax.get_position()
        width = box.width * fig.get_figwidth() * 72
        height = box.height * fig.get_figheight() * 72 - (17 if titled else 0)
    return max((xlim[1] - xlim[0]) / width, (ylim[1] - ylim[0]) / height)


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
        superscript, counted from 0 as ``W_l``, when there are several weight layers).
        Subscripts count units from 1. Labels are placed so that none overlaps another.
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

    alone = ax is None
    if ax is None:
        height = max(2.6, 0.75 * max(sizes) + 1.4)
        fig, ax = new_figure(width=1.5 + 1.7 * n_layers, height=height)
    else:
        fig = ax.figure
    requests = []  # (segment, text) of every edge label, placed together below

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
                    requests.append(((a, b), edge_labels[(layer, i, j)]))
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
                    requests.append(((a, b), edge_labels[(layer, "b", j)]))
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
    xlim, ylim = (-0.7, depth * _DX + 0.7), (bottom - 0.75, ymax)
    if requests:
        obstacles = [(c, np.array([_R, _R])) for centres in pos for c in centres]
        obstacles += [(c, np.array([0.18, 0.18])) for c in bias_pos.values()]
        spots = place_edge_labels([r[0] for r in requests], [r[1] for r in requests], obstacles,
                                  _units_per_point(ax, xlim, ylim, bool(title), alone))  # fmt: skip
        for xy, (_, text) in zip(spots, requests, strict=True):
            _edge_label(ax, xy, text)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig
