"""Argument checks the course helpers share; each error names the public function (``where``)."""

from __future__ import annotations

import numbers

import numpy as np

from ..engine.errors import NnlabValueError
from ..nn.mlp import check_finite

__all__ = ["count", "finite_array"]


def count(name: str, value, least: int, where: str) -> int:
    """``value`` as an int, or an error unless it is an integer (not a bool) >= ``least``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < least:
        raise NnlabValueError(f"{where}: {name} must be an integer >= {least}, got {value!r}")
    return int(value)


def finite_array(x, where: str, what: str) -> np.ndarray:
    """``x`` (array or Tensor) as an array, or an error if it has nan or inf; ``where`` is the
    public function, ``what`` the argument (``finite_array(xs, "fit_mlps", "inputs")``)."""
    return np.asarray(check_finite(x, where, what))
