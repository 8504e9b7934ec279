"""Figures of chapter 6 draw the engine's region counts."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlab.course import regions
from nnlab.plots import regions as rplots


def test_region_maps_one_panel_per_net_with_the_engine_count():
    nets = [regions.random_relu_net([2, 4, 1], 0), regions.random_relu_net([2, 4, 4, 1], 1)]
    fig = rplots.plot_region_maps(nets, ["a", "b"], steps=80)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    xs = np.linspace(-3, 3, 80)
    xx, yy = np.meshgrid(xs, xs)
    pts = np.column_stack([xx.ravel(), yy.ravel()])
    for ax, net in zip(fig.axes, nets, strict=True):
        n = regions.count_patterns(net, pts)
        assert f"{n} regions" in ax.get_title()
        assert len(ax.collections) == 2  # the regions, and their boundaries on top
    wide = rplots.plot_region_maps(nets * 2, ["a", "b", "c", "d"], steps=20)
    assert len(wide.axes) == 4 and wide.get_figwidth() <= 7.0  # 2 x 2, not 4 in a row


def test_neighbouring_regions_get_different_colours_and_boundaries_are_drawn():
    net = regions.random_relu_net([2, 8, 8, 1], 1)
    xs = np.linspace(-3, 3, 120)
    xx, yy = np.meshgrid(xs, xs)
    ids = regions.pattern_ids(net, np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    colour = rplots.neighbour_colors(ids)
    shown = colour[ids]
    touching = (ids[:, :-1] != ids[:, 1:], ids[:-1, :] != ids[1:, :])
    # every pair of cells that lies in two different regions, side by side, differs in colour
    assert np.all(shown[:, :-1][touching[0]] != shown[:, 1:][touching[0]])
    assert np.all(shown[:-1, :][touching[1]] != shown[1:, :][touching[1]])
    assert colour.max() < 8  # the pale Okabe-Ito palette is enough
    edge = rplots._boundaries(ids)
    assert edge[:, :-1][touching[0]].all() and not edge[ids == ids[0, 0]].all()


def test_plot_segment_marks_the_exact_breakpoints():
    saw = regions.sawtooth_net(3)
    fig = rplots.plot_segment(saw, [0.0], [1.0])
    ax = fig.axes[0]
    marks = ax.lines[1]
    assert np.allclose(marks.get_xdata(), regions.breakpoints_on_segment(saw, [0.0], [1.0]))
    assert len(marks.get_xdata()) == 7
    assert "8 pieces" in marks.get_label()


def test_region_maps_errors():
    with pytest.raises(ValueError, match="one title"):
        rplots.plot_region_maps([regions.random_relu_net([2, 3, 1])], [])
    with pytest.raises(ValueError, match="2-input"):
        rplots.plot_region_maps([regions.random_relu_net([3, 3, 1])], ["x"])
