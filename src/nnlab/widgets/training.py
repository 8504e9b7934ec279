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
# Learning rates a student picks from: a 1-2-5 ladder over four decades. A list of named rates
# (not a log slider) so that the readout, the value and what a screen reader says are "0.05".
LEARNING_RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0)
# The static book: six rates from calm to diverging, three optimizers, both problems (36 states).
STATIC_GRID = dict(lr=[0.005, 0.02, 0.05, 0.1, 0.2, 0.5], optimizer=["gd", "momentum", "adam"],
                   problem=list(PROBLEMS))  # fmt: skip


def training_explorer(**defaults) -> Explorer:
    """Controls: lr (a choice of `LEARNING_RATES`), optimizer, schedule, steps, problem.
    Outputs: the readout text and the two-panel figure."""
    unknown = set(defaults) - set(DEFAULTS)
    if unknown:
        raise NnlabValueError(f"training_explorer: unknown value(s) {sorted(unknown)}")
    v = {**DEFAULTS, **defaults}
    controls = {
        "lr": W.Dropdown(
            options=[(f"{r:g}", r) for r in sorted({*LEARNING_RATES, float(v["lr"])})],
            value=float(v["lr"]), description="lr",
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

    return Explorer(
        controls,
        render,
        factory=training_explorer,
        arguments=defaults,
        grid=STATIC_GRID,
        caption=TRAINING_CAPTION,
        alt=training_alt,
    )


TRAINING_CAPTION = (
    "One run of the chosen optimizer: left, the training loss at every update step on a log "
    "axis (a rising curve that stops early with an x has diverged); right, the path the "
    "parameters take on the loss contours, from its start (circle) to its end (square), with "
    "the problem's marked points."
)


def training_alt(problem="ravine", optimizer="gd", lr=0.05, steps=60, schedule="constant") -> str:
    """What the two panels show for these settings (the numbers are in the readout)."""
    prob = problem_named(problem, "training_alt")
    return (
        f"Two panels. Left: the training loss of {optimizer} with learning rate {lr:g} "
        f"({schedule} schedule) over {steps} update steps, log scale. Right: its path on the "
        f"contours of the {prob.name} loss, from a circle "
        "at the start to a square at the end, with the problem's marked points as large symbols."
    )
