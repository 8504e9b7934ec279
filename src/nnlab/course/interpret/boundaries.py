"""Decision boundaries of a score function: the map of its scores, and how far a point is
from the boundary (the zero contour of the scores)."""

from __future__ import annotations

import numpy as np

from ...engine.errors import NnlabValueError
from ...nn.data import Grid, grid
from .attribution import input_gradients
from .scores import as_batch, baseline_like, row_scores

__all__ = ["decision_map", "distance_to_boundary"]


def decision_map(f, xlim=(-3, 3), ylim=(-3, 3), steps: int = 150) -> tuple[Grid, np.ndarray]:
    """Scores of a 2-input score function on a grid: ``(grid, scores)`` with scores shaped
    like ``grid.xx``. The decision boundary is the zero contour of the scores."""
    g = grid(xlim, ylim, steps)
    return g, row_scores(f, g.points, "decision_map").reshape(g.xx.shape)


def distance_to_boundary(f, X, direction=None, t_max: float = 10.0, samples: int = 400):
    """How far each point must move along ``direction`` (unit vectors; default: the gradient,
    towards the other class) before its predicted class flips.

    Scans ``t`` in ``(0, t_max]`` on ``samples`` points, then refines the first sign change
    by bisection. Returns distances ``(n,)``, ``inf`` where no flip happens within ``t_max``.
    """
    where = "distance_to_boundary"
    X = as_batch(X, where)
    if not (np.isfinite(t_max) and t_max > 0):
        raise NnlabValueError(f"{where}: t_max must be a positive number, got {t_max!r}")
    f0 = row_scores(f, X, where)
    if direction is None:
        D = input_gradients(f, X) * -np.sign(f0)[:, None]
    else:
        D = baseline_like(direction, X, where, "direction")
    norms = np.linalg.norm(D, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise NnlabValueError(
            f"{where}: a direction (or a gradient) is zero: no direction to move in"
        )
    D = D / norms
    ts = np.linspace(0.0, t_max, int(samples) + 1)[1:]
    out = np.full(len(X), np.inf)
    for i in range(len(X)):
        vals = row_scores(f, X[i] + ts[:, None] * D[i], where)
        flips = np.nonzero(np.sign(vals) != np.sign(f0[i]))[0]
        if flips.size == 0:
            continue
        hi = ts[flips[0]]
        lo = ts[flips[0] - 1] if flips[0] > 0 else 0.0
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if np.sign(row_scores(f, (X[i] + mid * D[i])[None, :], where)[0]) == np.sign(f0[i]):
                lo = mid
            else:
                hi = mid
        out[i] = 0.5 * (lo + hi)
    return out
