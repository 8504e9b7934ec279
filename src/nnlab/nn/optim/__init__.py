"""Optimizers, learning-rate schedules and a training loop, one module each.

- `rules`: each optimizer as a pure update rule with explicit state
  (``state = opt.init(params)``; ``params, state = opt.update(params, grads, state, lr)``),
  and `make` to build one by name.
- `schedules`: learning rates per step (`constant`, `step_decay`, `exponential`, `cosine`).
- `train`: `train` runs an optimizer on a loss written with nnlab Tensors and returns a
  `History`; `random_restarts` trains from several random starts and keeps the best.
"""

from .rules import GD, OPTIMIZERS, SGD, Adam, Momentum, Nesterov, Optimizer, RMSProp, make
from .schedules import Schedule, as_schedule, constant, cosine, exponential, step_decay
from .train import History, clip_by_global_norm, random_restarts, train

__all__ = [
    "OPTIMIZERS",
    "Adam",
    "GD",
    "History",
    "Momentum",
    "Nesterov",
    "Optimizer",
    "RMSProp",
    "SGD",
    "Schedule",
    "as_schedule",
    "constant",
    "clip_by_global_norm",
    "cosine",
    "exponential",
    "make",
    "random_restarts",
    "step_decay",
    "train",
]
