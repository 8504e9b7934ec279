"""Baselines for integrated gradients: what the reference point itself scores, a baseline on
the decision boundary, and the same attribution under several baselines side by side.

Integrated gradients explain ``f(x) - f(x')``, never ``f(x)`` alone: a baseline ``x'`` with a
large score of its own turns "why this prediction?" into "why less (or more) than ``x'``?".
These helpers make that score visible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine.errors import NnlabValueError
from .attribution import input_gradients, integrated_gradients
from .boundaries import distance_to_boundary
from .scores import as_batch, row_scores

__all__ = ["BaselineRow", "baseline_table", "boundary_baseline", "compare_baselines"]


def boundary_baseline(f, start, t_max: float = 10.0) -> np.ndarray:
    """A point on the decision boundary ``f = 0``: from ``start`` (shape (d,)) along the
    gradient, towards the other class, to the first sign change (found by bisection).

    A baseline there scores 0, so integrated gradients at ``x`` add up to ``f(x)`` itself.
    """
    where = "boundary_baseline"
    x = as_batch(start, where, "start")
    if x.shape[0] != 1:
        raise NnlabValueError(f"{where}: start must be one point (d,), got {x.shape[0]} rows")
    f0 = row_scores(f, x, where)[0]
    if f0 == 0.0:
        return x[0].copy()
    g = input_gradients(f, x)[0]
    norm = float(np.linalg.norm(g))
    if norm == 0.0:
        raise NnlabValueError(f"{where}: the gradient at start is zero: no direction to move in")
    direction = -np.sign(f0) * g / norm
    t = distance_to_boundary(f, x, direction=direction, t_max=t_max)[0]
    if not np.isfinite(t):
        raise NnlabValueError(f"{where}: no class change within distance {t_max} of start")
    return x[0] + t * direction


@dataclass(frozen=True)
class BaselineRow:
    """Integrated gradients of one point ``x`` relative to one named baseline.

    ``f_baseline`` is the baseline's own score; ``attributions`` (d,) add up (up to the
    Riemann error) to ``f_x - f_baseline``.
    """

    name: str
    baseline: np.ndarray
    f_baseline: float
    f_x: float
    attributions: np.ndarray

    @property
    def total(self) -> float:
        return float(self.attributions.sum())

    @property
    def difference(self) -> float:
        return self.f_x - self.f_baseline


def compare_baselines(f, x, baselines: dict, steps: int = 128) -> list[BaselineRow]:
    """Integrated gradients of the one point ``x`` (shape (d,)) under each baseline of
    ``baselines`` (name -> point (d,)), in the dict's order."""
    where = "compare_baselines"
    x = as_batch(x, where, "x")
    if x.shape[0] != 1:
        raise NnlabValueError(f"{where}: x must be one point (d,), got {x.shape[0]} rows")
    if not baselines:
        raise NnlabValueError(f"{where}: baselines is empty; give at least one name -> point")
    rows = []
    for name, b in baselines.items():
        ig = integrated_gradients(f, x, baseline=b, steps=steps)
        rows.append(
            BaselineRow(
                name=str(name),
                baseline=ig.baseline[0],
                f_baseline=float(ig.f_baseline[0]),
                f_x=float(ig.f_x[0]),
                attributions=ig.attributions[0],
            )
        )
    return rows


def baseline_table(rows: list[BaselineRow], features) -> str:
    """A fixed-precision text table of `compare_baselines`: one line per baseline."""
    features = list(features)
    if rows and len(features) != len(rows[0].attributions):
        raise NnlabValueError(
            f"baseline_table: {len(features)} feature names for "
            f"{len(rows[0].attributions)} attributions"
        )
    width = max([len(r.name) for r in rows] + [8])
    f_base, diff = "f(x')", "f(x) - f(x')"
    head = f"{'baseline':{width}s}  {f_base:>9s}" + "".join(f"{'IG ' + n:>12s}" for n in features)
    lines = [head + f"{'sum IG':>10s}{diff:>14s}"]
    for r in rows:
        cells = "".join(f"{_tidy(a):+12.4f}" for a in r.attributions)
        lines.append(
            f"{r.name:{width}s}  {_tidy(r.f_baseline):+9.4f}{cells}{_tidy(r.total):+10.4f}"
            f"{_tidy(r.difference):+14.4f}"
        )
    return "\n".join(lines)


def _tidy(v: float) -> float:
    """``v`` rounded to the table's 4 decimals, with -0.0 printed as +0.0000."""
    return round(float(v), 4) + 0.0
