"""The chapter-12 explorer: gradient descent and its variants on 2-parameter losses.

The problems, runs and readout are in `nnlab.course.descent`. `explore(problem, optimizer,
lr, steps, schedule)` is the explorer's render step: one `descent.run`, its figure and its
readout, ``(history, figure, readout)``; `training_explorer` only wires controls to it (a
log-scale learning-rate slider, an optimizer dropdown, a schedule dropdown, a steps slider and
a problem dropdown).
"""

from __future__ import annotations

import ipywidgets as W

from ..course.descent import (
    OPTIMIZER_NAMES,
    PROBLEMS,
    SCHEDULE_NAMES,
    problem_named,
    readout,
    run,
)
from ..engine.errors import NnlabValueError
from ..plots import training as tplots
from .explorer import Explorer


def explore(problem="ravine", optimizer="gd", lr=0.05, steps=60, schedule="constant"):
    """The explorer's render step: ``(history, figure, readout_text)``."""
    prob = problem_named(problem, "explore")
    history = run(prob, optimizer, lr, steps, schedule)
    title = f"{history.optimizer}, lr = {lr:.3g}, {schedule}"
    fig = tplots.plot_run(history, prob.loss, prob.xlim, prob.ylim, title=title,
                          points=prob.points)  # fmt: skip
    right = fig.axes[1]
    right.set_xlabel(prob.xlabel)
    right.set_ylabel(prob.ylabel)
    return history, fig, readout(history, prob)


DEFAULTS = dict(problem="ravine", optimizer="gd", lr=0.05, steps=60, schedule="constant")


def training_explorer(**defaults) -> Explorer:
    """Controls: lr (log slider, 1e-3 .. 3), optimizer, schedule, steps, problem.
    Outputs: the readout text and the two-panel figure."""
    unknown = set(defaults) - set(DEFAULTS)
    if unknown:
        raise NnlabValueError(f"training_explorer: unknown value(s) {sorted(unknown)}")
    v = {**DEFAULTS, **defaults}
    controls = {
        "lr": W.FloatLogSlider(
            value=v["lr"], base=10, min=-3, max=0.5, step=0.05, description="lr",
            continuous_update=False, readout_format=".3g",
        ),
        "optimizer": W.Dropdown(options=list(OPTIMIZER_NAMES), value=v["optimizer"],
                                description="optimizer"),
        "schedule": W.Dropdown(options=list(SCHEDULE_NAMES), value=v["schedule"],
                               description="schedule"),
        "steps": W.IntSlider(value=v["steps"], min=5, max=300, step=5, description="steps",
                             continuous_update=False),
        "problem": W.Dropdown(options=list(PROBLEMS), value=v["problem"], description="problem"),
    }  # fmt: skip

    def render(**values):
        _, fig, text = explore(**values)
        return [text, fig]

    return Explorer(controls, render)
