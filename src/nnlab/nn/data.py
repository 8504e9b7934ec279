"""Small seeded data sets: XOR, moons, circles, spirals, blobs and 1-D regression samples.

Every generator draws from ``np.random.default_rng(seed)``, so a call gives the same
data on every machine. Classification sets return ``(X, y)``: ``X`` float64 of shape
``(n, 2)``, one example per row (the book's convention), and ``y`` int64 labels of
shape ``(n,)`` in ``0..k-1``. Rows come grouped by class, with class sizes differing
by at most one; `train_val_test_split` shuffles them.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from ..engine.errors import NnlabValueError, ShapeError

# The handout's XOR table, in its order: label 1 where x1 * x2 > 0.
XOR_POINTS = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]])
XOR_LABELS = np.array([1, 0, 0, 1])


def _integer(value, name: str, where: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        wanted = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise NnlabValueError(f"{where}: {name} must be {wanted}, got {value!r}")
    return int(value)


def _real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _nonnegative(value, name: str, where: str) -> float:
    if not _real(value) or not 0 <= value < np.inf:
        raise NnlabValueError(f"{where}: {name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _interval(value, name: str, where: str) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in value)
    except (TypeError, ValueError):
        raise NnlabValueError(
            f"{where}: {name} must be a pair (low, high), got {value!r}"
        ) from None
    if not -np.inf < low < high < np.inf:
        raise NnlabValueError(f"{where}: {name} must satisfy low < high (finite), got {value!r}")
    return low, high


def _class_sizes(n: int, classes: int) -> list[int]:
    """``n`` split into ``classes`` parts that differ by at most one (the first ones larger)."""
    return [n // classes + (k < n % classes) for k in range(classes)]


def _labels(sizes) -> np.ndarray:
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def xor(noise: float = 0.0, n_per_corner: int = 1, seed: int = 0):
    """The handout's XOR points: ``(1, 1) -> 1, (1, -1) -> 0, (-1, 1) -> 0, (-1, -1) -> 1``.

    With the defaults, exactly those four points in that order. ``n_per_corner``
    repeats each corner (corner by corner, in the same order) and ``noise`` adds
    gaussian jitter of that standard deviation to every copy; a point keeps its
    corner's label even if the jitter carries it into another quadrant.
    Returns ``X`` of shape ``(4 * n_per_corner, 2)`` and ``y`` of shape ``(4 * n_per_corner,)``.
    """
    noise = _nonnegative(noise, "noise", "xor")
    n_per_corner = _integer(n_per_corner, "n_per_corner", "xor")
    rng = np.random.default_rng(seed)
    X = np.repeat(XOR_POINTS, n_per_corner, axis=0)
    X = X + noise * rng.standard_normal(X.shape)
    return X, np.repeat(XOR_LABELS, n_per_corner).astype(np.int64)


def moons(n: int = 200, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles, as scikit-learn's ``make_moons``.

    Class 0 lies on ``(cos t, sin t)`` and class 1 on ``(1 - cos t, 1/2 - sin t)``
    for ``t`` evenly spaced in ``[0, pi]``, plus gaussian noise of standard
    deviation ``noise``. Not linearly separable. Returns ``X`` (n, 2), ``y`` (n,).
    """
    n = _integer(n, "n", "moons")
    noise = _nonnegative(noise, "noise", "moons")
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(n, 2)
    upper = np.linspace(0, np.pi, sizes[0])
    lower = np.linspace(0, np.pi, sizes[1])
    X = np.concatenate(
        [
            np.column_stack([np.cos(upper), np.sin(upper)]),
            np.column_stack([1 - np.cos(lower), 0.5 - np.sin(lower)]),
        ]
    )
    return X + noise * rng.standard_normal(X.shape), _labels(sizes)


def circles(n: int = 200, noise: float = 0.05, factor: float = 0.5, seed: int = 0):
    """Two concentric circles, as scikit-learn's ``make_circles``.

    Class 0 lies on the unit circle and class 1 on the circle of radius ``factor``
    (``0 < factor < 1``), at evenly spaced angles, plus gaussian noise of standard
    deviation ``noise``. Returns ``X`` (n, 2), ``y`` (n,).
    """
    n = _integer(n, "n", "circles")
    noise = _nonnegative(noise, "noise", "circles")
    if not _real(factor) or not 0 < factor < 1:
        raise NnlabValueError(f"circles: factor (inner radius) must lie in (0, 1), got {factor!r}")
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(n, 2)
    parts = []
    for radius, size in zip((1.0, factor), sizes, strict=True):
        angle = np.linspace(0, 2 * np.pi, size, endpoint=False)
        parts.append(radius * np.column_stack([np.cos(angle), np.sin(angle)]))
    X = np.concatenate(parts)
    return X + noise * rng.standard_normal(X.shape), _labels(sizes)


def spirals(n: int = 300, classes: int = 3, noise: float = 0.2, seed: int = 0):
    """Interleaved spiral arms, one per class (the cs231n spiral data).

    Arm ``k`` runs from the origin out to radius 1 while its angle sweeps
    ``[4k, 4k + 4]`` radians; ``noise`` is the standard deviation of gaussian noise
    added to the angle (not to the coordinates). Returns ``X`` (n, 2), ``y`` (n,).
    """
    n = _integer(n, "n", "spirals")
    classes = _integer(classes, "classes", "spirals", minimum=2)
    noise = _nonnegative(noise, "noise", "spirals")
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(n, classes)
    parts = []
    for k, size in enumerate(sizes):
        radius = np.linspace(0.0, 1.0, size)
        angle = np.linspace(4.0 * k, 4.0 * (k + 1), size) + noise * rng.standard_normal(size)
        parts.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
    return np.concatenate(parts), _labels(sizes)


def blobs(n: int = 200, centers=2, std: float = 1.0, seed: int = 0):
    """Gaussian blobs of standard deviation ``std``, one class per center.

    ``centers`` is a number of classes ``k`` (the centers are then evenly spaced on
    the circle of radius 3 around the origin, starting at ``(3, 0)``) or an array of
    centers of shape ``(k, d)``. Returns ``X`` of shape (n, 2) (or (n, d)) and ``y`` (n,).
    """
    n = _integer(n, "n", "blobs")
    std = _nonnegative(std, "std", "blobs")
    if isinstance(centers, int | np.integer) and not isinstance(centers, bool):
        k = _integer(centers, "centers", "blobs", minimum=2)
        angle = 2 * np.pi * np.arange(k) / k
        centers = 3.0 * np.column_stack([np.cos(angle), np.sin(angle)])
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or len(centers) < 2 or not np.all(np.isfinite(centers)):
        raise NnlabValueError(
            "blobs: centers must be a number of classes >= 2 or a finite array of shape (k, d) "
            f"with k >= 2, got {centers.tolist()!r:.80}"
        )
    rng = np.random.default_rng(seed)
    y = _labels(_class_sizes(n, len(centers)))
    return centers[y] + std * rng.standard_normal((n, centers.shape[1])), y


def function_samples(f, n: int = 50, domain=(-1, 1), noise: float = 0.0, seed: int = 0):
    """Noisy samples of a 1-D function, for regression.

    ``x`` is drawn uniformly from ``domain`` and sorted (so ``plot(x, y)`` draws a
    curve); ``y = f(x) + noise * N(0, 1)``. ``f`` receives ``x`` as a vector of shape
    (n,) and must return n values (or one). Returns ``x`` of shape (n, 1) (a design
    matrix: one example per row) and ``y`` of shape (n,).
    """
    n = _integer(n, "n", "function_samples")
    noise = _nonnegative(noise, "noise", "function_samples")
    low, high = _interval(domain, "domain", "function_samples")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(low, high, n))
    fx = np.asarray(f(x), dtype=np.float64)
    if fx.size not in (1, n):
        raise NnlabValueError(
            f"function_samples: f must return {n} values for x of shape {x.shape}, "
            f"got shape {fx.shape}"
        )
    y = np.broadcast_to(fx.reshape(-1), (n,)) + noise * rng.standard_normal(n)
    return x[:, None], y


class Grid(NamedTuple):
    """A ``steps x steps`` grid: ``points`` (steps * steps, 2) to evaluate a model on,
    and the meshgrid arrays ``xx`` and ``yy`` (steps, steps) to draw the result with."""

    points: np.ndarray
    xx: np.ndarray
    yy: np.ndarray


def grid(xlim, ylim, steps: int = 200) -> Grid:
    """Evenly spaced points covering ``xlim x ylim``, for decision-boundary plots.

    Evaluate a model on ``g.points`` and draw ``contourf(g.xx, g.yy,
    scores.reshape(g.xx.shape))``; row ``i`` of ``xx`` and ``yy`` holds the points
    whose y-coordinate is the ``i``-th step of ``ylim``.
    """
    xlim = _interval(xlim, "xlim", "grid")
    ylim = _interval(ylim, "ylim", "grid")
    steps = _integer(steps, "steps", "grid", minimum=2)
    xx, yy = np.meshgrid(np.linspace(*xlim, steps), np.linspace(*ylim, steps))
    return Grid(np.column_stack([xx.ravel(), yy.ravel()]), xx, yy)


def train_val_test_split(X, y, fractions=(0.6, 0.2, 0.2), seed: int = 0):
    """Shuffle the examples (seeded) and cut them into train, validation and test sets.

    ``fractions`` are three numbers >= 0 summing to 1; the part sizes are rounded so
    that they add up to ``len(X)``. The split is not stratified: class proportions
    vary from part to part. Returns ``((X_train, y_train), (X_val, y_val), (X_test, y_test))``.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ShapeError(f"train_val_test_split: X has {len(X)} rows but y has {len(y)} labels")
    fractions = np.asarray(fractions, dtype=np.float64)
    if fractions.shape != (3,) or np.any(fractions < 0) or not np.isclose(fractions.sum(), 1):
        raise NnlabValueError(
            "train_val_test_split: fractions must be three numbers >= 0 that sum to 1 "
            f"(train, validation, test), got {fractions.tolist()}"
        )
    order = np.random.default_rng(seed).permutation(len(X))
    cuts = np.round(np.cumsum(fractions[:2]) * len(X)).astype(int)
    return tuple((X[part], y[part]) for part in np.split(order, cuts))
