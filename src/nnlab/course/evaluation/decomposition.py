"""The bias-variance decomposition of the expected test error, estimated by refitting on many
training sets drawn from a known function plus noise."""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ...engine.errors import NnlabValueError, ShapeError
from ...nn import data
from ..checks import count, finite_array

__all__ = ["BiasVariance", "bias_variance", "resample_training_sets"]


def resample_training_sets(f, n_sets: int, n: int, domain=(-1, 1), noise: float = 0.1, seed=0):
    """``n_sets`` independent training sets of ``n`` points ``y = f(x) + noise * N(0, 1)``.

    Set r is ``nnlab.data.function_samples(f, n, domain, noise, seed=seed_r)``, with the
    ``seed_r`` drawn from ``np.random.default_rng(seed)``. Returns ``xs`` (n_sets, n, 1) and
    ``ys`` (n_sets, n), ready for `fit_mlps`.
    """
    n_sets = count("n_sets", n_sets, 1, "resample_training_sets")
    set_seeds = np.random.default_rng(seed).integers(0, 2**31 - 1, size=n_sets)
    sets = [data.function_samples(f, n, domain, noise, seed=int(s)) for s in set_seeds]
    return np.stack([x for x, _ in sets]), np.stack([y for _, y in sets])


@dataclass(frozen=True)
class BiasVariance:
    """The decomposition of the expected test MSE at test points ``x_j``, averaged over them:

    ``bias2 = mean_j (mean_r pred_r(x_j) - f(x_j))**2``, ``variance = mean_j var_r pred_r(x_j)``,
    ``noise = noise_std**2``. ``expected_mse`` is measured directly: every fitted model scored on
    fresh noisy labels ``f(x_j) + noise``, and ``gap = expected_mse - (bias2 + variance +
    noise)`` is only Monte Carlo error from those fresh labels.
    """

    mean_prediction: np.ndarray
    bias2: float
    variance: float
    noise: float
    expected_mse: float
    gap: float

    @property
    def total(self) -> float:
        return self.bias2 + self.variance + self.noise


def bias_variance(predictions, truth, noise_std: float, n_draws: int = 20, seed: int = 0):
    """Estimate squared bias, variance and noise from models refitted on resampled data.

    ``predictions`` is (R, m): row r holds the model fitted on training set r, evaluated at m
    test points; ``truth`` holds f at those points. ``expected_mse`` scores each row against
    ``n_draws`` fresh noisy copies of the test labels (``np.random.default_rng(seed)``).
    """
    P = finite_array(predictions, "bias_variance", "predictions").astype(np.float64)
    truth = finite_array(truth, "bias_variance", "truth").astype(np.float64).reshape(-1)
    if P.ndim != 2 or P.shape[1] != truth.size or P.shape[0] < 2:
        raise ShapeError(
            "bias_variance: predictions must be (R, m) with R >= 2 refits and m = "
            f"len(truth) = {truth.size} test points, got {P.shape}"
        )
    if not (isinstance(noise_std, numbers.Real) and noise_std >= 0):
        raise NnlabValueError(f"bias_variance: noise_std must be a number >= 0, got {noise_std!r}")
    n_draws = count("n_draws", n_draws, 1, "bias_variance")
    mean_pred = P.mean(axis=0)
    bias2 = float(np.mean((mean_pred - truth) ** 2))
    variance = float(np.mean(P.var(axis=0)))
    noise = float(noise_std) ** 2
    rng = np.random.default_rng(seed)
    fresh = truth + noise_std * rng.standard_normal((n_draws, *P.shape))
    expected = float(np.mean((P - fresh) ** 2))
    return BiasVariance(
        mean_pred, bias2, variance, noise, expected, expected - (bias2 + variance + noise)
    )
