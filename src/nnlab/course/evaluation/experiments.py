"""Chapter 15's experiments, each one function, so the chapter shows short calls:

- `selection_optimism`: the best of many models on a small test set, against its true error.
- `width_sweep`: training, validation and fresh-data MSE per width and seed, with how much the
  training loss still moved over the last tenth of the steps (has the run settled?).
- `cv_scores`: repeated k-fold cross-validation scores, the same folds for every model.
- `bias_variance_sweep`: `bias_variance` per width and per training budget.
- `refit_decomposition`: bias^2 and variance at one test point from a handful of refits, the
  hand computation behind the chapter's exercise, and `variance_check` for its self-check.

All regression networks are `fit_mlps` ensembles (tanh, Adam, full batch).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ...engine.errors import NnlabValueError, ShapeError
from ...nn import data
from ..grading import distinct_mistakes
from .decomposition import BiasVariance, bias_variance
from .side_by_side import Ensemble, fit_mlps
from .splits import kfold_indices, stack_folds

__all__ = [
    "SelectionOptimism",
    "WidthSweep",
    "bias_variance_sweep",
    "cv_scores",
    "refit_decomposition",
    "selection_optimism",
    "variance_check",
    "width_sweep",
]


def _last_change(ens: Ensemble) -> float:
    """Relative change of the (summed) training loss over the last tenth of the steps."""
    L = np.asarray(ens.history.losses, dtype=np.float64)
    tail = max(1, len(L) // 10)
    return float((L[-1] - L[-1 - tail]) / L[-1 - tail])


@dataclass(frozen=True)
class SelectionOptimism:
    """``test_mse``/``true_mse`` per model on the one test set and on fresh data; ``best`` the
    model the test set picks; per redrawn test set, the ``reported`` best score, its ``actual``
    true error and the score of the model fixed in advance (``committed``, model 0);
    ``chosen`` the model the validation set picks."""

    test_mse: np.ndarray
    true_mse: np.ndarray
    best: int
    reported: np.ndarray
    actual: np.ndarray
    committed: np.ndarray
    chosen: int


def selection_optimism(
    models: Ensemble,
    f: Callable,
    test,
    val,
    fresh,
    n_sets: int = 300,
    n: int = 15,
    domain=(-1.5, 1.5),
    noise: float = 0.3,
    first_seed: int = 1000,
) -> SelectionOptimism:
    """Pick the best of ``models`` on the test set ``test = (x, y)``, and again on ``n_sets``
    fresh test sets of ``n`` points (seeds ``first_seed + i``); score everything on ``fresh``."""
    if n_sets < 1:
        raise NnlabValueError(f"selection_optimism: n_sets must be at least 1, got {n_sets}")
    test_mse, true_mse = models.losses(*test), models.losses(*fresh)
    reported, actual, committed = [], [], []
    for i in range(n_sets):
        x_t, y_t = data.function_samples(f, n=n, domain=domain, noise=noise, seed=first_seed + i)
        scores = models.losses(x_t, y_t)
        b = int(np.argmin(scores))
        reported.append(scores[b])
        actual.append(true_mse[b])
        committed.append(scores[0])
    return SelectionOptimism(
        test_mse,
        true_mse,
        int(np.argmin(test_mse)),
        np.array(reported),
        np.array(actual),
        np.array(committed),
        int(np.argmin(models.losses(*val))),
    )


@dataclass(frozen=True)
class WidthSweep:
    """``errors[name]`` is (len(widths), len(seeds)): each network's MSE on that data set;
    ``nets[H]`` the trained ensemble; ``last_change[k]`` the relative change of width k's
    training loss over the last tenth of the steps (near 0: settled)."""

    widths: list
    errors: dict
    nets: dict
    last_change: np.ndarray


def width_sweep(x_tr, y_tr, datasets: Mapping, widths: Sequence[int], seeds, lr, steps):
    """Train ``MLP([1, H, 1], "tanh")`` from every seed for each width ``H`` and score each
    on every ``datasets[name] = (x, y)``."""
    if not widths:
        raise NnlabValueError("width_sweep: widths is empty")
    errors = {name: [] for name in datasets}
    nets, change = {}, []
    for H in widths:
        ens = fit_mlps(x_tr, y_tr, hidden=H, seeds=list(seeds), lr=lr, steps=steps)
        for name, (x, y) in datasets.items():
            errors[name].append(ens.losses(x, y))
        nets[H] = ens
        change.append(_last_change(ens))
    return WidthSweep(
        list(widths), {k: np.array(v) for k, v in errors.items()}, nets, np.array(change)
    )


def cv_scores(X, y, hidden: int, k: int = 5, repeats: int = 2, seeds=(0, 1), lr=0.05, steps=3000):
    """One validation MSE per (repeat, fold), averaged over ``seeds``: repeat r cuts the data
    into ``k`` folds with ``kfold_indices(len(X), k, seed=r)``, so every model scored with the
    same arguments sees the same folds. Returns ``repeats * k`` scores."""
    scores = []
    S = len(seeds)
    for rep in range(repeats):
        folds = kfold_indices(len(X), k, seed=rep)
        xs, ys, xv, yv = stack_folds(X, y, folds)
        # each fold trained from every seed: member order fold0 s0, fold0 s1, ...
        nets = fit_mlps(
            np.repeat(xs, S, 0), np.repeat(ys, S, 0), hidden=hidden, seeds=list(seeds) * k,
            lr=lr, steps=steps,
        )  # fmt: skip
        scores.append(nets.losses(np.repeat(xv, S, 0), np.repeat(yv, S, 0)).reshape(k, S).mean(1))
    return np.concatenate(scores)


def bias_variance_sweep(
    xs, ys, x_grid, truth, noise: float, widths, budgets: Mapping[str, int], lr=0.05, keep=()
):
    """`bias_variance` of ``MLP([1, H, 1])`` refitted on each training set ``xs[r], ys[r]``
    (seed r), for every width and every budget (label -> steps).

    Returns ``(results, kept)``: ``results[label]`` is a list of `BiasVariance`, one per width;
    ``kept[(label, H)]`` the ensemble, for ``H`` in ``keep``.
    """
    results: dict[str, list[BiasVariance]] = {label: [] for label in budgets}
    kept = {}
    for H in widths:
        for label, n_steps in budgets.items():
            nets = fit_mlps(xs, ys, hidden=H, seeds=range(len(xs)), lr=lr, steps=n_steps)
            results[label].append(bias_variance(nets.predict(x_grid), truth, noise, seed=0))
            if H in keep:
                kept[(label, H)] = nets
    return results, kept


def refit_decomposition(predictions, truth: float, noise_std: float) -> dict:
    """Bias^2, variance and expected MSE at one test point from refits' ``predictions`` (R,):
    ``mean``, ``bias2 = (mean - truth)**2``, ``variance = mean((pred - mean)**2)`` (divided by
    R, as `bias_variance` does), ``expected = bias2 + variance + noise_std**2``."""
    p = np.asarray(predictions, dtype=np.float64)
    if p.ndim != 1 or p.size < 2 or not np.all(np.isfinite(p)):
        raise ShapeError(f"refit_decomposition: need at least 2 finite predictions, got {p.shape}")
    mean = float(p.mean())
    bias2, variance = (mean - truth) ** 2, float(np.mean((p - mean) ** 2))
    return {
        "mean": mean,
        "bias2": bias2,
        "variance": variance,
        "noise": noise_std**2,
        "expected": bias2 + variance + noise_std**2,
    }


def variance_check(predictions, truth: float, noise_std: float):
    """``(expected, mistakes)`` for "the variance of these refits": the usual slips are the
    n - 1 denominator, the standard deviation, and the mean squared error against the truth."""
    p = np.asarray(predictions, dtype=np.float64)
    d = refit_decomposition(p, truth, noise_std)
    return d["variance"], distinct_mistakes(
        d["variance"],
        [
            (float(np.var(p, ddof=1)),
             "That divides by R - 1. The decomposition divides by the number of refits R."),
            (float(np.sqrt(d["variance"])),
             "That is the standard deviation; the variance is its square."),
            (float(np.mean((p - truth) ** 2)),
             "That measures spread around the truth f(x): bias^2 + variance. Centre on the "
             "refits' mean instead."),
        ],
    )  # fmt: skip
