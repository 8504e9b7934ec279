"""nnlab.plots.remedies: the signal-scale figure draws the measured scales."""

import numpy as np
import pytest

from nnlab.engine.errors import NnlabValueError
from nnlab.plots import remedies as rp
from nnlab.plots.style import MIN_FONT_PT, SERIES_COLORS


def test_signal_scales_draws_each_series_in_both_panels_on_log_axes():
    scales = {"small": ([0.1, 0.01], [1e-3, 0.1, 1.0]), "He": ([1.0, 0.9], [0.1, 0.1, 1.0])}
    fig = rp.plot_signal_scales(scales, title="t")
    left, right = fig.axes
    assert left.get_yscale() == right.get_yscale() == "log"
    assert [line.get_label() for line in left.lines] == ["small", "He"]
    np.testing.assert_allclose(left.lines[1].get_ydata(), [1.0, 0.9])
    np.testing.assert_allclose(right.lines[0].get_xdata(), [0, 1, 2])
    # series differ by colour and by line style and marker, not colour alone
    a, b = left.lines
    assert a.get_color() == SERIES_COLORS[0] and b.get_color() == SERIES_COLORS[1]
    assert a.get_linestyle() != b.get_linestyle() and a.get_marker() != b.get_marker()
    assert fig.get_size_inches()[0] <= 7
    fig.canvas.draw()  # every piece of text the reader sees is at least MIN_FONT_PT
    texts = [t for ax in fig.axes for t in ax.findobj(lambda a: hasattr(a, "get_fontsize"))]
    assert texts and min(t.get_fontsize() for t in texts if t.get_text()) >= MIN_FONT_PT


def test_signal_scales_checks_shapes():
    with pytest.raises(NnlabValueError, match="^plot_signal_scales:"):
        rp.plot_signal_scales({"x": ([1.0], [1.0])})
    with pytest.raises(NnlabValueError, match="^plot_signal_scales: no series"):
        rp.plot_signal_scales({})
