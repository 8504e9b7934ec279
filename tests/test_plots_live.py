"""Live redraws (`nnlab.plots.live`): a figure redrawn into a kept one is the figure a fresh call
draws, snapshots are values, and the kept layout never clips."""

import io

import numpy as np
import pytest
from PIL import Image

from nnlab.course import descent, modes, section16, xor
from nnlab.engine.errors import NnlabTypeError
from nnlab.plots import basis, graph, live, network
from nnlab.plots import training as tplots
from nnlab.plots.style import new_figure, redrawing_into


def pixels(snap: live.FigureSnapshot) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(snap.png)))


def xor_fig(shift):
    return basis.plot_xor_panels(
        xor.xor_forward(xor.HANDOUT_W + shift, xor.HANDOUT_B, xor.HANDOUT_V, xor.HANDOUT_C)
    )


def run_fig(lr, steps, problem="ravine"):
    prob = descent.PROBLEMS[problem]
    history = descent.run(prob, "gd", lr, steps, "constant")
    return tplots.plot_run(history, prob.loss, prob.xlim, prob.ylim, title=f"lr {lr}",
                           points=prob.points)  # fmt: skip


def net_fig(w11):
    net = section16.network(w11, -1.0, 0.5, 2.0, -0.5, 1.5, -1.0)
    return network.draw_network(net, title=f"w11 = {w11}")


def olah_fig(a, b, seed):
    return graph.draw_three_panels(modes.olah_graph(a, b), seed, precision=2)


CASES = {
    "xor": (lambda: xor_fig(0.0), lambda: xor_fig(np.array([[1.3, -0.4], [0.2, 2.1]]))),
    "training": (lambda: run_fig(0.05, 60), lambda: run_fig(0.11, 200, "saddle")),
    "network": (lambda: net_fig(1.0), lambda: net_fig(-2.5)),
    "olah": (lambda: olah_fig(2.0, 1.0, "b"), lambda: olah_fig(-1.5, 0.5, "a")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_redraw_into_a_kept_figure_is_the_fresh_figure_pixel_for_pixel(name):
    first, second = CASES[name]
    kept = first()
    live.snapshot(kept)
    with redrawing_into([kept]):
        redrawn = second()
    assert redrawn is kept  # the figure was reused, not rebuilt
    live.snapshot(redrawn, relayout=True)
    fresh = second()
    live.snapshot(fresh)
    # Constrained layout starting from other positions may land a fraction of a pixel away;
    # with the same axes positions the two must draw the same pixels.
    for mine, theirs in zip(redrawn.axes, fresh.axes, strict=True):
        theirs.set_position(mine.get_position())
    for fig in (redrawn, fresh):
        fig.set_layout_engine("none")
    np.testing.assert_array_equal(pixels(live.snapshot(redrawn)), pixels(live.snapshot(fresh)))
    assert repr(redrawn) == repr(fresh)


def test_live_render_returns_snapshots_that_are_values_and_reuses_its_figures():
    made = []

    def render(shift):
        fig = xor_fig(shift)
        made.append(fig)
        return ["text", fig]

    fast = live.live_render(render)
    text, a = fast(0.0)
    _, b = fast(np.full((2, 2), 0.7))
    assert text == "text" and made[0] is made[1]
    assert isinstance(a, live.FigureSnapshot) and a._repr_png_() == a.png
    assert not np.array_equal(pixels(a), pixels(b))
    np.testing.assert_array_equal(pixels(a), pixels(live.snapshot(xor_fig(0.0))))  # unchanged
    assert repr(a) == repr(xor_fig(0.0))  # "<Figure size ... with 3 Axes>", as a chapter stores


def test_kept_layout_is_used_while_it_fits_and_redone_when_a_label_would_clip():
    fig, ax = new_figure(width=3.0, height=2.5)
    ax.plot([0, 1], [0, 1])
    ax.set_ylabel("y")
    live.snapshot(fig)
    position = ax.get_position().bounds
    ax.lines[0].set_ydata([1, 0])
    live.snapshot(fig, relayout=False)
    assert ax.get_position().bounds == position  # nothing grew: the axes stayed put
    ax.set_ylabel("a much longer label\nover three\nlines")
    live.snapshot(fig, relayout=False)
    assert ax.get_position().bounds != position  # it would have clipped: laid out again
    assert ax.yaxis.label.get_window_extent(fig.canvas.get_renderer()).x0 >= 0
    assert live._fits(fig)


def test_contour_grids_of_module_functions_are_kept_read_only_and_closures_are_not():
    first = tplots.contour_grid(descent.ravine, (-3, 3), (-2, 2))
    second = tplots.contour_grid(descent.ravine, (-3, 3), (-2, 2))
    assert all(a is b for a, b in zip(first, second, strict=True))
    assert not first[2].flags.writeable
    scale = [1.0]
    f = lambda p: scale[0] * p[0] ** 2  # noqa: E731
    before = tplots.contour_grid(f, (-1, 1), (-1, 1), steps=5)[2].copy()
    scale[0] = 2.0
    np.testing.assert_allclose(tplots.contour_grid(f, (-1, 1), (-1, 1), steps=5)[2], 2 * before)


def test_bad_arguments_name_the_function():
    with pytest.raises(NnlabTypeError, match="^live_render:"):
        live.live_render(42)
    with pytest.raises(NnlabTypeError, match="^snapshot:"):
        live.snapshot("not a figure")
