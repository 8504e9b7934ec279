"""Figures for chapter 6: activation-pattern region maps and a network along a segment."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.colors import ListedColormap

from ..course import regions
from ..engine.errors import NnlabValueError
from ..nn.mlp import MLP
from .style import COLORS, new_figure

# Pale Okabe-Ito colours for regions: light enough for black boundaries on top.
_REGION_PALETTE = ["#F5D58A", "#A9D7F3", "#8FD8BF", "#F8F3A6", "#8CB8DA", "#EFB38A", "#E8BCD5",
                   "#D9D9D9"]  # fmt: skip


def neighbour_colors(ids: np.ndarray, n_colors: int = len(_REGION_PALETTE)) -> np.ndarray:
    """A colour index per region id (``ids``: a 2-D grid of region ids) such that regions that
    touch on the grid (side by side or one above the other) get different colours.

    Greedy colouring, regions with most neighbours first; when a region's neighbours already
    use every colour (rare: maps of planar regions need few), it takes the colour its
    neighbours use least.
    """
    ids = np.asarray(ids)
    n = int(ids.max()) + 1
    pairs = np.concatenate([
        np.column_stack([ids[:, :-1].ravel(), ids[:, 1:].ravel()]),
        np.column_stack([ids[:-1, :].ravel(), ids[1:, :].ravel()]),
    ])  # fmt: skip
    pairs = np.unique(pairs[pairs[:, 0] != pairs[:, 1]], axis=0)
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for a, b in pairs:
        neighbours[a].add(int(b))
        neighbours[b].add(int(a))
    colour = np.full(n, -1)
    for region in sorted(range(n), key=lambda r: -len(neighbours[r])):
        used = [colour[m] for m in neighbours[region] if colour[m] >= 0]
        free = [c for c in range(n_colors) if c not in used]
        colour[region] = free[0] if free else int(np.argmin(np.bincount(used, minlength=n_colors)))
    return colour


def _boundaries(ids: np.ndarray) -> np.ndarray:
    """True on grid cells whose right or upper neighbour lies in another region."""
    edge = np.zeros(ids.shape, dtype=bool)
    edge[:, :-1] |= ids[:, :-1] != ids[:, 1:]
    edge[:-1, :] |= ids[:-1, :] != ids[1:, :]
    return edge


def plot_region_maps(
    nets: Sequence[MLP], titles: Sequence[str], xlim=(-3, 3), ylim=(-3, 3), steps: int = 300
):
    """One panel per 2-input ReLU net: each activation pattern on a grid is a region, drawn
    in a colour none of its neighbours has, with its boundary drawn dark.

    The panel title ends with the number of distinct patterns the grid found.
    """
    nets, titles = list(nets), list(titles)
    if not nets or len(nets) != len(titles):
        raise NnlabValueError(
            "plot_region_maps: needs one title per network (and at least one net)"
        )
    for net in nets:
        if net.sizes[0] != 2:
            raise NnlabValueError(
                "plot_region_maps: region maps are drawn for 2-input networks, got sizes "
                f"{net.sizes}"
            )
    xs = np.linspace(*xlim, steps)
    ys = np.linspace(*ylim, steps)
    xx, yy = np.meshgrid(xs, ys)
    points = np.column_stack([xx.ravel(), yy.ravel()])
    # two panels a row from four nets on, so the figure fits the page's width
    ncols = len(nets) if len(nets) <= 3 else 2
    nrows = -(-len(nets) // ncols)
    side = 3.3 if ncols <= 2 else 2.3
    fig, axes = new_figure(ncols=ncols, nrows=nrows, width=side, height=side)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[len(nets) :]:
        ax.axis("off")
    palette = ListedColormap(_REGION_PALETTE)
    for ax, net, title in zip(axes, nets, titles, strict=False):
        ids = regions.pattern_ids(net, points).reshape(xx.shape)
        n = int(ids.max()) + 1
        ax.pcolormesh(xx, yy, neighbour_colors(ids)[ids], cmap=palette, vmin=-0.5,
                      vmax=len(_REGION_PALETTE) - 0.5, shading="auto", rasterized=True)  # fmt: skip
        # region boundaries: a thin dark line where the activation pattern changes
        edge = np.ma.masked_where(~_boundaries(ids), np.ones(ids.shape))
        ax.pcolormesh(xx, yy, edge, cmap=ListedColormap(["#222222"]), shading="auto",
                      rasterized=True)  # fmt: skip
        ax.set(
            title=f"{title}\n{n} regions on the grid",
            xlabel="$x_1$",
            ylabel="$x_2$",
            aspect="equal",
        )
        ax.title.set_fontsize(9)
    return fig


def plot_segment(net: MLP, x0, x1, title: str = "Network along a segment", samples: int = 2001):
    """The network's output along ``x0 + s (x1 - x0)``, with the exact breakpoints marked."""
    x0 = np.asarray(x0, dtype=np.float64).reshape(-1)
    x1 = np.asarray(x1, dtype=np.float64).reshape(-1)
    cuts = regions.breakpoints_on_segment(net, x0, x1)
    s = np.linspace(0.0, 1.0, samples)
    y = np.asarray(net(x0 + s[:, None] * (x1 - x0)))[:, 0]
    yc = np.asarray(net(x0 + cuts[:, None] * (x1 - x0)))[:, 0] if cuts.size else np.zeros(0)
    fig, ax = new_figure(width=5.2, height=3.3)
    ax.plot(s, y, color=COLORS["forward"], lw=1.3, label="network output")
    ax.plot(
        cuts,
        yc,
        "o",
        ms=3.5,
        color=COLORS["reverse"],
        label=f"{cuts.size} breakpoints -> {cuts.size + 1} pieces",
    )
    ax.set(xlabel="position s along the segment", ylabel="output", title=title)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
    return fig
