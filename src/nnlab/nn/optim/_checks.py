"""Argument checks shared by the update rules, the schedules and the training loop.

Each takes ``where``, the public function being called, so its error starts with that name.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ...engine.errors import NnlabValueError
from ...engine.tensor import Tensor


def as_array(x) -> np.ndarray:
    """A parameter or gradient as a float array (integers become float64)."""
    x = np.asarray(x.value if isinstance(x, Tensor) else x)
    return x.astype(np.float64) if x.dtype.kind in "biu" else x


def fraction(where: str, name: str, value) -> float:
    """A decay rate: the fraction of the old average that is kept, in [0, 1)."""
    if not (isinstance(value, numbers.Real) and 0 <= value < 1):
        raise NnlabValueError(f"{where}: {name} must be a number in [0, 1), got {value!r}")
    return float(value)


def positive(where: str, name: str, value) -> float:
    if not (isinstance(value, numbers.Real) and value > 0):
        raise NnlabValueError(f"{where}: {name} must be a positive number, got {value!r}")
    return float(value)


def nonnegative(where: str, name: str, value) -> float:
    if not (isinstance(value, numbers.Real) and math.isfinite(value) and value >= 0):
        raise NnlabValueError(f"{where}: {name} must be a finite number >= 0, got {value!r}")
    return float(value)


def count(where: str, name: str, value, least: int = 0) -> int:
    if not (isinstance(value, numbers.Integral) and value >= least):
        raise NnlabValueError(f"{where}: {name} must be an integer >= {least}, got {value!r}")
    return int(value)
