"""Figures of the evaluation chapter: structure and data match nnlab.course.evaluation."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlab.course import evaluation as ev
from nnlab.plots import evaluation as pe


def test_selection_optimism_marks_the_chosen_model():
    test = np.array([0.3, 0.1, 0.2])
    fresh = np.array([0.25, 0.2, 0.22])
    fig = pe.plot_selection_optimism(test, fresh, 1, optimism=np.array([-0.1, 0.02, -0.04]))
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    left = fig.axes[0]
    np.testing.assert_allclose(left.collections[0].get_offsets(), np.column_stack([test, fresh]))
    np.testing.assert_allclose(left.collections[1].get_offsets(), [[0.1, 0.2]])
    assert "-0.0400" in fig.axes[1].get_legend().get_texts()[0].get_text()
    assert len(pe.plot_selection_optimism(test, fresh, 0).axes) == 1
    with pytest.raises(ValueError, match="chosen"):
        pe.plot_selection_optimism(test, fresh, 3)


def test_width_sweep_draws_means_and_the_chosen_width():
    widths = [1, 2, 4]
    train = np.array([[0.5, 0.4], [0.2, 0.2], [0.1, 0.05]])
    val = np.array([[0.6, 0.6], [0.3, 0.25], [0.4, 0.5]])
    fig = pe.plot_width_sweep(widths, train, val, chosen=2)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), train.mean(1))
    np.testing.assert_allclose(ax.lines[1].get_ydata(), val.mean(1))
    assert len(ax.collections) == 2  # one dot per seed, per curve
    assert ax.lines[-1].get_xdata()[0] == 2
    with pytest.raises(ValueError, match="3 rows"):
        pe.plot_width_sweep(widths, train[:2], val)


def test_training_curves_mark_the_early_stop():
    steps = np.arange(0, 100, 10)
    val = (steps - 40.0) ** 2 + 1
    train = 100.0 / (steps + 1)
    stop = ev.early_stopping(val, steps, patience=3)
    fig = pe.plot_training_curves(steps, train, val, stop.best_step, stop.stopped_step)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), val)
    assert ax.lines[2].get_xdata()[0] == 40 and ax.lines[3].get_xdata()[0] == 70
    assert "step 40" in ax.get_legend().get_texts()[2].get_text()


def test_paired_differences_show_every_pair_and_both_error_bars():
    a = np.array([0.1, 0.3, 0.2, 0.25])
    b = np.array([0.2, 0.3, 0.35, 0.3])
    naive = ev.paired_comparison(a, b)
    fixed = ev.paired_comparison(a, b, test_train_ratio=0.25)
    fig = pe.plot_paired_differences(naive, corrected=fixed)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 0], a - b)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("corrected" in t for t in labels) and any("naive" in t for t in labels)
    assert len(ax.containers) == 2


def test_bias_variance_panels_plot_the_estimates():
    truth = np.linspace(-1, 1, 5)
    rng = np.random.default_rng(0)
    bvs = [ev.bias_variance(truth + s * rng.normal(size=(6, 5)), truth, 0.3) for s in (0.1, 0.5)]
    fig = pe.plot_bias_variance([2, 8], {"a": bvs, "b": bvs})
    assert len(fig.axes) == 2
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [bv.bias2 for bv in bvs])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [bv.variance for bv in bvs])
    np.testing.assert_allclose(ax.lines[3].get_ydata(), [bv.total for bv in bvs])
    np.testing.assert_allclose(ax.collections[0].get_offsets()[:, 1], [b.expected_mse for b in bvs])
    with pytest.raises(ValueError, match="2 results for 3 sizes"):
        pe.plot_bias_variance([1, 2, 3], {"a": bvs})


def test_refits_draw_every_fit_and_their_average():
    x = np.linspace(-1, 1, 7)
    P = np.vstack([np.sin(x) + 0.1 * k for k in range(4)])
    fig = pe.plot_refits(x, {"m": P}, np.sin(x))
    ax = fig.axes[0]
    assert len(ax.lines) == 4 + 2 + 1  # refits, average, truth, legend proxy
    np.testing.assert_allclose(ax.lines[4].get_ydata(), P.mean(0))
    with pytest.raises(ValueError, match="predictions must be"):
        pe.plot_refits(x, {"m": P[:, :3]}, np.sin(x))
