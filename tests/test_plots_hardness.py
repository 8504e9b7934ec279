"""plots.hardness: chapter 11's figures; lines differ by more than colour; at most 7 in wide."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

import nnlab
from nnlab.course import hardness as hard
from nnlab.engine.errors import NnlabValueError
from nnlab.plots import hardness as ph
from nnlab.plots.style import MIN_FONT_PT


def _check(fig, n_styled):
    assert isinstance(fig, Figure) and fig.get_figwidth() <= 7.0
    styled = [ln for ln in fig.axes[0].lines if ln.get_marker() not in (None, "None", "")]
    assert len(styled) == n_styled
    assert len({(ln.get_linestyle(), ln.get_marker()) for ln in styled}) == n_styled
    for text in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text")):
        if text.get_text():
            assert text.get_fontsize() >= MIN_FONT_PT


def test_plot_steps_vs_kappa():
    fig = ph.plot_steps_vs_kappa(hard.quadratic_steps([1, 10, 100]))
    _check(fig, 2)
    with pytest.raises(NnlabValueError, match="^plot_steps_vs_kappa: "):
        ph.plot_steps_vs_kappa(hard.quadratic_steps([1, 10]))


def test_plot_depth_norms():
    X, y = nnlab.data.moons(40, noise=0.1, seed=0)
    series = {f"scale {s}": hard.depth_explosion(X, y, [3, 5], scale=s) for s in (1.0, 1.5)}
    _check(ph.plot_depth_norms(series), 2)
    with pytest.raises(NnlabValueError, match="^plot_depth_norms: "):
        ph.plot_depth_norms({})


def test_plot_layer_gradients_counts_layers_from_zero():
    fig = ph.plot_layer_gradients({"a": [1e-3, 1e-2, 1e-1], "b": [0.1, 0.2, 0.3], "c": [1, 1, 1]})
    _check(fig, 3)
    assert list(fig.axes[0].lines[0].get_xdata()) == [0, 1, 2]
    with pytest.raises(NnlabValueError, match="^plot_layer_gradients: "):
        ph.plot_layer_gradients({"a": [0.0, 1.0]})
