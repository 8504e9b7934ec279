"""nnlab.course.descent and the chapter-12 explorer in nnlab.widgets.training agree with
nnlab.optim."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlab.course import curvature, descent
from nnlab.nn import optim
from nnlab.widgets import training as wt


def test_problems_have_the_stated_curvature():
    ravine = descent.PROBLEMS["ravine"]
    H = curvature.hessian(ravine.loss, np.array([0.3, -0.2]))
    np.testing.assert_allclose(H.eigenvalues, [1.0, descent.CONDITION], atol=1e-6)
    saddle = descent.PROBLEMS["saddle"]
    assert curvature.hessian(saddle.loss, np.zeros(2)).classify() == "saddle"
    g = optim.train(saddle.loss, np.array(saddle.points["minimum"]), steps=1).grad_norms[0]
    assert g < 1e-12


def test_run_matches_optim_train():
    h = descent.run("ravine", "momentum", 0.02, 30)
    start = np.array(descent.PROBLEMS["ravine"].start)
    ref = optim.train(descent.ravine, start, "momentum", lr=0.02, steps=30)
    assert h.final_loss == ref.final_loss and len(h.trajectory) == 31
    with pytest.raises(ValueError, match="unknown optimizer"):
        descent.run("ravine", "sgdx", 0.1, 10)
    with pytest.raises(ValueError, match="unknown problem"):
        descent.run("bowl", "gd", 0.1, 10)
    with pytest.raises(ValueError, match="unknown schedule"):
        descent.run("ravine", "gd", 0.1, 10, "linear")
    with pytest.raises(ValueError, match="lr must be"):
        descent.run("ravine", "gd", -0.1, 10)


def test_schedules_start_at_lr_and_decay():
    for name in descent.SCHEDULE_NAMES:
        s = descent.make_schedule(name, 0.2, 100)
        assert s(0) == pytest.approx(0.2)
        assert s(99) <= 0.2
    assert descent.make_schedule("exponential", 0.2, 100)(100) == pytest.approx(0.002)
    assert descent.make_schedule("step", 0.2, 100)(25) == pytest.approx(0.1)


def test_explore_returns_history_figure_and_matching_readout():
    h, fig, text = wt.explore("ravine", "gd", 0.05, 40, "constant")
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert not h.diverged
    assert f"final loss: {h.final_loss:.6f}  ({h.message})" in text
    assert "2/lambda_max = 0.1000" in text


def test_explorer_flags_divergence_for_large_lr_only():
    ex = wt.training_explorer()
    # lr is a choice of named rates: its readout, value and spoken value are "0.05".
    assert isinstance(ex.controls["lr"], W.Dropdown)
    assert ex.controls["lr"].value == 0.05 and ex.controls["lr"].label == "0.05"
    assert list(ex.controls["optimizer"].options) == list(descent.OPTIMIZER_NAMES)
    text, fig = ex.outputs
    assert "DIVERG" not in text and isinstance(fig, Figure)

    text, _ = ex.set(lr=0.5, steps=100)
    h = descent.run("ravine", "gd", ex.controls["lr"].value, 100)
    assert h.diverged
    assert f"DIVERGED: {h.message}" in text

    text, _ = ex.set(lr=0.01)
    h = descent.run("ravine", "gd", ex.controls["lr"].value, 100)
    assert not h.diverged and "DIVERG" not in text
    assert f"final loss: {h.final_loss:.6f}" in text

    text, _ = ex.set(optimizer="adam", lr=0.3, schedule="cosine", problem="saddle")
    h = descent.run("saddle", "adam", ex.controls["lr"].value, 100, "cosine")
    assert "optimizer: adam" in text and f"final loss: {h.final_loss:.6f}" in text
    with pytest.raises(ValueError, match="unknown value"):
        wt.training_explorer(momentum=0.9)


def test_readout_flags_growing_loss_below_stop_rule():
    h = descent.run("ravine", "gd", 0.101, 300)
    assert not h.diverged and h.final_loss > h.losses[0]
    assert "DIVERGING: the loss grew" in descent.readout(h, "ravine")
