"""Learning-rate schedules: ``schedule(step) -> lr`` for step = 0, 1, 2, ..."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

from ...engine.errors import NnlabTypeError
from ._checks import count, nonnegative

__all__ = ["Schedule", "as_schedule", "constant", "cosine", "exponential", "step_decay"]


class Schedule:
    """A learning rate per step: ``schedule(step) -> lr`` for step = 0, 1, 2, ..."""

    def __init__(self, fn: Callable[[int], float], description: str):
        self._fn = fn
        self._description = description

    def __call__(self, step: int) -> float:
        return float(self._fn(step))

    def __repr__(self) -> str:
        return self._description


def constant(lr: float) -> Schedule:
    """The same ``lr`` at every step."""
    lr = nonnegative("optim.constant", "lr", lr)
    return Schedule(lambda step: lr, f"constant(lr={lr:g})")


def step_decay(lr: float, drop: float = 0.5, every: int = 100) -> Schedule:
    """``lr * drop**(step // every)``: multiply by ``drop`` once every ``every`` steps."""
    where = "optim.step_decay"
    lr, drop = nonnegative(where, "lr", lr), nonnegative(where, "drop", drop)
    every = count(where, "every", every, least=1)
    return Schedule(
        lambda step: lr * drop ** (step // every),
        f"step_decay(lr={lr:g}, drop={drop:g}, every={every})",
    )


def exponential(lr: float, rate: float) -> Schedule:
    """``lr * rate**step``."""
    where = "optim.exponential"
    lr, rate = nonnegative(where, "lr", lr), nonnegative(where, "rate", rate)
    return Schedule(lambda step: lr * rate**step, f"exponential(lr={lr:g}, rate={rate:g})")


def cosine(lr: float, total_steps: int, lr_min: float = 0.0) -> Schedule:
    """Half a cosine from ``lr`` at step 0 down to ``lr_min`` at ``total_steps``, then flat::

        lr_min + (lr - lr_min) * (1 + cos(pi * step / total_steps)) / 2

    (Loshchilov & Hutter 2017, without restarts.)
    """
    where = "optim.cosine"
    lr, lr_min = nonnegative(where, "lr", lr), nonnegative(where, "lr_min", lr_min)
    total_steps = count(where, "total_steps", total_steps, least=1)

    def schedule(step):
        progress = min(step, total_steps) / total_steps
        return lr_min + 0.5 * (lr - lr_min) * (1 + math.cos(math.pi * progress))

    return Schedule(schedule, f"cosine(lr={lr:g}, total_steps={total_steps}, lr_min={lr_min:g})")


def as_schedule(lr, where: str = "optim.as_schedule") -> Callable[[int], float]:
    """A schedule from a schedule (any callable ``step -> lr``) or a plain number.

    ``where`` is the public function the learning rate was given to, for its errors.
    """
    if callable(lr):
        return lr
    if isinstance(lr, numbers.Real):
        return constant(nonnegative(where, "lr", lr))
    raise NnlabTypeError(
        f"{where}: a learning rate must be a number or a schedule step -> lr, got {lr!r}"
    )
