"""Gradient descent on 2-parameter losses: the chapter-12 problems and runs.

Two small losses whose geometry is known exactly (an ill-conditioned quadratic, a saddle with
two minima), schedules by name, `run` (one `optim.train` from the problem's start point) and
`readout` (what the run did, with the stability threshold of plain GD). The explorer in
`nnlab.widgets.training` shows these; the chapter calls them directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..engine.errors import NnlabValueError
from ..nn import optim
from . import curvature

OPTIMIZER_NAMES = ("gd", "momentum", "nesterov", "rmsprop", "adam")
SCHEDULE_NAMES = ("constant", "step", "exponential", "cosine")


@dataclass(frozen=True)
class Problem:
    """A 2-parameter loss ``loss(p)`` (reads ``p[0]``, ``p[1]``), a start point, the window
    to draw, and labelled points to mark (minima, saddles)."""

    name: str
    loss: Callable
    start: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    points: dict
    xlabel: str = "$p_0$"
    ylabel: str = "$p_1$"

    def hessian_at_start(self) -> curvature.Hessian:
        return curvature.hessian(self.loss, np.array(self.start, dtype=np.float64))


# An ill-conditioned quadratic, rotated by 30 degrees: curvatures 1 and CONDITION along its axes.
CONDITION = 20.0
_C, _S = float(np.cos(np.pi / 6)), float(np.sin(np.pi / 6))


def ravine(p):
    """0.5 (u^2 + 20 v^2) with (u, v) = the parameters rotated by 30 degrees; minimum 0 at 0."""
    u = _C * p[0] + _S * p[1]
    v = -_S * p[0] + _C * p[1]
    return 0.5 * (u**2 + CONDITION * v**2)


REG = 0.05


def saddle(p):
    """(v w - 1)^2 + 0.05 (v^2 + w^2): a saddle at (0, 0), minima where v = w = +-sqrt(0.95)."""
    return (p[0] * p[1] - 1.0) ** 2 + REG * (p[0] ** 2 + p[1] ** 2)


_W_STAR = float(np.sqrt(1.0 - REG))  # d/dv = 2(vw - 1)w + 2 REG v = 0 with v = w: w^2 = 1 - REG

PROBLEMS = {
    "ravine": Problem(
        "ill-conditioned quadratic (ravine)", ravine, (-2.6, 1.2), (-3.0, 3.0), (-2.0, 2.0),
        {"minimum": (0.0, 0.0)},
    ),
    "saddle": Problem(
        "(vw - 1)^2 + 0.05(v^2 + w^2)", saddle, (0.7, -0.65), (-1.6, 1.6), (-1.6, 1.6),
        {"saddle": (0.0, 0.0), "minimum": (_W_STAR, _W_STAR)}, "$v$", "$w$",
    ),
}  # fmt: skip


def make_schedule(name: str, lr: float, steps: int):
    """A schedule by name, starting at ``lr``: constant; step (halve every steps // 4);
    exponential (down to lr / 100 at the last step); cosine (down to 0 at the last step)."""
    if name == "constant":
        return optim.constant(lr)
    if name == "step":
        return optim.step_decay(lr, drop=0.5, every=max(1, steps // 4))
    if name == "exponential":
        return optim.exponential(lr, rate=0.01 ** (1.0 / max(1, steps)))
    if name == "cosine":
        return optim.cosine(lr, total_steps=max(1, steps))
    raise NnlabValueError(
        f"make_schedule: unknown schedule {name!r}; choose one of: {', '.join(SCHEDULE_NAMES)}"
    )


def problem_named(problem, where: str = "problem_named") -> Problem:
    """A `Problem` given itself or its key in `PROBLEMS`; ``where`` names the caller in errors."""
    if isinstance(problem, Problem):
        return problem
    try:
        return PROBLEMS[problem]
    except (KeyError, TypeError):
        raise NnlabValueError(
            f"{where}: unknown problem {problem!r}; choose one of: {', '.join(PROBLEMS)}"
        ) from None


def run(problem="ravine", optimizer="gd", lr=0.05, steps=60, schedule="constant"):
    """Train on a 2-parameter problem from its start point; returns the `History`."""
    prob = problem_named(problem, "run")
    if optimizer not in OPTIMIZER_NAMES:
        raise NnlabValueError(
            f"run: unknown optimizer {optimizer!r}; choose one of: {', '.join(OPTIMIZER_NAMES)}"
        )
    if not (isinstance(lr, int | float) and np.isfinite(lr) and lr > 0):
        raise NnlabValueError(f"run: lr must be a positive number, got {lr!r}")
    if not (isinstance(steps, int | np.integer) and steps >= 1):
        raise NnlabValueError(f"run: steps must be an integer >= 1, got {steps!r}")
    sched = make_schedule(schedule, float(lr), int(steps))
    return optim.train(
        prob.loss, np.array(prob.start, dtype=np.float64), optimizer=optimizer,
        schedule=sched, steps=int(steps), record_params=True,
    )  # fmt: skip


def readout(history: optim.History, problem="ravine") -> str:
    """The text under the explorer: final loss, the stability threshold of plain GD at the
    start (2 / lambda_max) and a status line that flags divergence with History.message."""
    prob = problem_named(problem, "readout")
    lam = prob.hessian_at_start().max_eigenvalue
    threshold = 2.0 / lam
    lines = [
        f"problem: {prob.name}",
        f"optimizer: {history.optimizer}, initial lr = {history.lrs[0]:.4g}, "
        f"steps run: {history.steps_run}",
        f"largest Hessian eigenvalue at the start: {lam:.4f} -> plain GD is "
        f"stable near it for lr < 2/lambda_max = {threshold:.4f}",
    ]
    if history.diverged:
        lines.append(f"DIVERGED: {history.message}")
        lines.append(f"last finite loss: {history.final_loss:.6g}")
    elif history.final_loss > history.losses[0]:
        lines.append(
            f"DIVERGING: the loss grew from {history.losses[0]:.6g} to {history.final_loss:.6g} "
            f"({history.message}; not yet past the stop rule of train)"
        )
    else:
        g = history.grad_norms
        lines.append(f"final loss: {history.final_loss:.6f}  ({history.message})")
        if g and g[-1] > 1e-3:
            lines.append(
                f"not converged yet: gradient norm at the last step is {g[-1]:.4f} "
                "(more steps, a larger lr, or momentum)"
            )
        else:
            lines.append("converged: the gradient norm is below 0.001")
    return "\n".join(lines)
