"""nnlab.plots.training: figures draw what the engine computed."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlab.nn import optim
from nnlab.plots import training as tp


def square(w):
    return w**2


def test_history_curve_appends_final_loss_and_matches_closed_form():
    run = optim.train(square, np.array(1.0), lr=0.001, steps=19)
    curve = tp.history_curve(run)
    assert curve.size == 20
    np.testing.assert_allclose(curve, (1 - 2 * 0.001) ** (2 * np.arange(20)), rtol=1e-12)
    assert round(curve[-1], 6) == 0.926746
    div = optim.train(square, np.array(1.0), lr=1.1, steps=19)
    assert round(tp.history_curve(div)[-1], 3) == 1020.675
    with pytest.raises(ValueError, match="non-empty 1-D"):
        tp.history_curve([])


def test_failure_pair_has_linear_and_log_panel():
    slow = optim.train(square, np.array(1.0), lr=0.001, steps=19)
    fast = optim.train(square, np.array(1.0), lr=1.1, steps=19)
    fig = tp.plot_failure_pair(slow, fast)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    left, right = fig.axes
    assert left.get_yscale() == "linear" and right.get_yscale() == "log"
    np.testing.assert_allclose(right.lines[0].get_ydata(), tp.history_curve(fast))


def test_loss_curves_mark_diverged_runs():
    ok = optim.train(square, np.array(1.0), lr=0.1, steps=10)
    bad = optim.train(square, np.array(1.0), lr=3.0, steps=50)
    assert bad.diverged and not ok.diverged
    fig = tp.plot_loss_curves({"ok": ok, "bad": bad}, log=True)
    ax = fig.axes[0]
    assert len(ax.lines) == 3  # two curves + one divergence marker
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ok", "bad"]
    with pytest.raises(ValueError, match="label"):
        tp.plot_loss_curves([ok], labels=["a", "b"])


def test_lr_sweep_splits_diverged_runs():
    lrs = np.array([0.01, 0.1, 0.5, 1.5])
    runs = [optim.train(square, np.array(1.0), lr=lr, steps=40) for lr in lrs]
    div = [r.diverged for r in runs]
    assert div == [False, False, False, True]
    fig = tp.plot_lr_sweep(lrs, [r.final_loss for r in runs], div, threshold=1.0)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_xdata(), lrs[:3])
    assert len(ax.lines[1].get_xdata()) == 1  # the diverged marker
    with pytest.raises(ValueError, match="same length"):
        tp.plot_lr_sweep(lrs, [1.0], div)


def test_trajectories_follow_recorded_params():
    def quad(p):
        return 0.5 * (p[0] ** 2 + 10 * p[1] ** 2)

    run = optim.train(quad, np.array([1.5, 1.0]), lr=0.05, steps=20, record_params=True)
    xy = tp.trajectory_xy(run)
    assert xy.shape == (21, 2)
    np.testing.assert_allclose(xy[-1], run.params)
    xs, ys, Z = tp.contour_grid(quad, (-2, 2), (-1, 1), steps=11)
    assert Z.shape == (11, 11)
    assert Z[5, 5] == pytest.approx(0.0) and Z[0, 0] == pytest.approx(quad(np.array([-2, -1])))
    fig = tp.plot_trajectories(quad, {"gd": run}, xlim=(-2, 2), ylim=(-1.5, 1.5),
                               points={"min": (0, 0)})  # fmt: skip
    path = fig.axes[0].lines[0]
    np.testing.assert_allclose(path.get_xdata(), xy[:, 0])
    no_traj = optim.train(quad, np.array([1.0, 1.0]), steps=2)
    with pytest.raises(ValueError, match="record_params"):
        tp.trajectory_xy(no_traj)


def test_final_losses_strip_plot():
    fig = tp.plot_final_losses({"single": [0.3, 0.01, 0.35], "best": [0.01]})
    ax = fig.axes[0]
    assert len(ax.lines) == 2
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.3, 0.01, 0.35])
    with pytest.raises(ValueError, match="finite"):
        tp.plot_final_losses({"bad": [np.nan]})
