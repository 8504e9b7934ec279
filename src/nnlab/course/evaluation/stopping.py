"""Early stopping: which training step to keep, from a validation-loss curve."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...engine.errors import NnlabValueError, ShapeError
from ..checks import count

__all__ = ["EarlyStop", "early_stopping"]


class EarlyStop(NamedTuple):
    """``best_step``: the step with the lowest validation loss seen before stopping;
    ``best_loss``: that loss; ``stopped_step``: where training stopped (the last step if
    ``patience`` never ran out)."""

    best_step: int
    best_loss: float
    stopped_step: int


def early_stopping(val_losses, steps=None, patience: int | None = None) -> EarlyStop:
    """Choose the training step to keep from a validation-loss curve.

    ``val_losses[i]`` is the validation loss at ``steps[i]`` (default: ``i``). With
    ``patience=None`` the whole curve is searched; with ``patience=p`` training stops after
    ``p`` evaluations in a row without a new minimum, as it would if the curve were being
    watched live. Ties go to the earlier step.
    """
    losses = np.asarray(val_losses, dtype=np.float64)
    if losses.ndim != 1 or losses.size == 0:
        raise NnlabValueError(
            f"early_stopping: val_losses must be a non-empty 1-D sequence, got {losses.shape}"
        )
    if not np.all(np.isfinite(losses)):
        raise NnlabValueError("early_stopping: val_losses contains nan or inf")
    steps = np.arange(len(losses)) if steps is None else np.asarray(steps)
    if steps.shape != losses.shape:
        raise ShapeError(f"early_stopping: {len(steps)} steps for {len(losses)} losses")
    end = len(losses) - 1
    if patience is not None:
        patience = count("patience", patience, 1, "early_stopping")
        best, waited = 0, 0
        for i in range(1, len(losses)):
            if losses[i] < losses[best]:
                best, waited = i, 0
            else:
                waited += 1
                if waited >= patience:
                    end = i
                    break
    best = int(np.argmin(losses[: end + 1]))
    return EarlyStop(int(steps[best]), float(losses[best]), int(steps[end]))
