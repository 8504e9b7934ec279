"""Figures for chapter 6: activation-pattern region maps and a network along a segment."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.colors import ListedColormap

from ..course import regions
from ..engine.errors import NnlabValueError
from ..nn.mlp import MLP
from .style import COLORS, new_figure


def _region_colors(n: int, seed: int = 0) -> ListedColormap:
    # neighbouring ids get unrelated colours: a seeded shuffle of a smooth colour wheel
    from matplotlib import colormaps

    hues = colormaps["hsv"](np.linspace(0, 1, max(n, 1), endpoint=False))
    order = np.random.default_rng(seed).permutation(max(n, 1))
    pale = 0.35 + 0.65 * hues[order, :3]
    return ListedColormap(pale)


def plot_region_maps(
    nets: Sequence[MLP], titles: Sequence[str], xlim=(-3, 3), ylim=(-3, 3), steps: int = 300
):
    """One panel per 2-input ReLU net: each activation pattern on a grid gets its own colour.

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
    fig, axes = new_figure(ncols=len(nets), width=3.3, height=3.3)
    axes = np.atleast_1d(axes)
    for ax, net, title in zip(axes, nets, titles, strict=True):
        ids = regions.pattern_ids(net, points).reshape(xx.shape)
        n = int(ids.max()) + 1
        ax.pcolormesh(
            xx,
            yy,
            ids,
            cmap=_region_colors(n),
            vmin=-0.5,
            vmax=n - 0.5,
            shading="auto",
            rasterized=True,
        )
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
