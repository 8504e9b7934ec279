"""Tests for nnlab.plots.datasets: one readable panel per data set, classes by colour and marker."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import nnlab
from nnlab.plots import datasets as pd
from nnlab.plots.style import CLASS_MARKERS, MIN_FONT_PT


def _sets():
    return {
        "xor": nnlab.data.xor(),
        "moons": nnlab.data.moons(100, seed=0),
        "spirals": nnlab.data.spirals(90, classes=3, seed=0),
    }


def test_one_visible_panel_per_set_with_every_class():
    fig = pd.plot_datasets(_sets(), ncols=2)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 3 and len(fig.axes) == 4
    assert [len(ax.collections) for ax in visible] == [2, 2, 3]
    assert visible[2].get_title() == "spirals (90 points)"
    assert fig.get_figwidth() <= 7.0


def test_classes_differ_by_marker_not_only_colour():
    fig = pd.plot_datasets({"spirals": nnlab.data.spirals(90, classes=3, seed=0)})
    paths = [c.get_paths()[0].vertices.shape[0] for c in fig.axes[0].collections]
    assert len(set(paths)) == 3  # circle, square and triangle have different outlines
    assert len(set(CLASS_MARKERS.values())) >= 3


def test_text_is_at_least_the_minimum_size():
    fig = pd.plot_datasets(_sets())
    FigureCanvasAgg(fig).draw()
    sizes = [
        t.get_fontsize()
        for ax in fig.axes
        for t in ax.findobj(lambda o: hasattr(o, "get_fontsize"))
        if getattr(t, "get_text", lambda: "")().strip()
    ]
    assert sizes and min(sizes) >= MIN_FONT_PT


@pytest.mark.parametrize(
    "args, match",
    [
        (({},), "at least one"),
        (({"bad": (np.zeros((3, 3)), np.zeros(3))},), r"shape \(n, 2\)"),
        (({"ok": nnlab.data.xor()}, 0), "ncols"),
    ],
)
def test_errors_name_the_function(args, match):
    with pytest.raises(ValueError, match="plot_datasets: .*" + match):
        pd.plot_datasets(*args)
