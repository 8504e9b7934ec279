"""Evaluating, selecting and comparing networks (skill 15), and the bias-variance decomposition.

- Splits: `nnlab.data.train_val_test_split` (train / validation / test) and `kfold_indices`
  (k-fold cross-validation).
- Metrics on plain arrays, returned as floats: `accuracy`, `log_loss`, `mean_squared_error`.
- `fit_mlps` trains R small regression networks at once, one per seed (and optionally one per
  training set). Member ``r`` ends exactly where ``MLP(sizes, activation, seed=seeds[r])`` trained
  alone with the same optimizer would: Adam (and plain gradient descent) update every parameter
  from its own gradient only, and the summed loss gives each member the gradient of its own loss.
- `early_stopping` picks the step with the lowest validation loss.
- `paired_comparison` compares two models scored on the same folds and seeds: mean difference,
  its standard error, a paired t statistic and a seeded bootstrap interval.
- `resample_training_sets` and `bias_variance` estimate squared bias, variance and noise by
  refitting on many training sets drawn from a known function plus noise.

Examples are rows: inputs ``X`` have shape (n, d), targets ``y`` shape (n,).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..engine import ops
from ..engine.errors import ShapeError
from ..nn import data, optim
from ..nn.mlp import MLP, check_finite, get_activation

__all__ = [
    "BiasVariance",
    "EarlyStop",
    "Ensemble",
    "Fold",
    "PairedComparison",
    "accuracy",
    "bias_variance",
    "early_stopping",
    "fit_mlps",
    "kfold_indices",
    "log_loss",
    "mean_squared_error",
    "paired_comparison",
    "resample_training_sets",
    "stack_folds",
]


def _count(name: str, value, least: int, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < least:
        raise ValueError(f"{where}: {name} must be an integer >= {least}, got {value!r}")
    return int(value)


# --- splits -------------------------------------------------------------------------------------
class Fold(NamedTuple):
    """Row indices of one cross-validation fold: fit on ``train``, score on ``val``."""

    train: np.ndarray
    val: np.ndarray


def kfold_indices(n: int, k: int = 5, seed: int = 0, shuffle: bool = True) -> list[Fold]:
    """Split ``range(n)`` into ``k`` folds of sizes differing by at most one.

    Fold ``i`` validates on part ``i`` and trains on the other ``k - 1`` parts, so every
    example is validated on exactly once. The rows are shuffled with
    ``np.random.default_rng(seed)`` first (``shuffle=False`` keeps their order). Two models
    compared fairly use the same folds: call this once and reuse the list.
    """
    n = _count("n", n, 2, "kfold_indices")
    k = _count("k", k, 2, "kfold_indices")
    if k > n:
        raise ValueError(f"kfold_indices: k = {k} folds need at least k examples, got n = {n}")
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    parts = np.array_split(order, k)
    return [
        Fold(np.sort(np.concatenate(parts[:i] + parts[i + 1 :])), np.sort(part))
        for i, part in enumerate(parts)
    ]


def stack_folds(X, y, folds):
    """The folds' training and validation sets stacked along a new first axis.

    Returns ``(xs_train, ys_train, xs_val, ys_val)`` with shapes (k, n_train, d), (k, n_train),
    (k, n_val, d), (k, n_val): the form `fit_mlps` takes, so one call trains a network per fold.
    The folds must have equal sizes (``len(X)`` divisible by ``k``).
    """
    X, y = _values(X, "stack_folds: X"), _values(y, "stack_folds: y")
    if X.ndim != 2 or y.shape != (len(X),):
        raise ShapeError(f"stack_folds: X must be (n, d) and y (n,), got {X.shape} and {y.shape}")
    folds = list(folds)
    if not folds:
        raise ValueError("stack_folds: no folds given")
    if len({len(fold.train) for fold in folds}) != 1 or len({len(fold.val) for fold in folds}) != 1:
        raise ValueError(
            f"stack_folds: folds of unequal sizes cannot be stacked; use n = {len(X)} divisible "
            f"by k = {len(folds)}, or loop over the folds"
        )
    return (
        np.stack([X[fold.train] for fold in folds]),
        np.stack([y[fold.train] for fold in folds]),
        np.stack([X[fold.val] for fold in folds]),
        np.stack([y[fold.val] for fold in folds]),
    )


# --- metrics ------------------------------------------------------------------------------------
def _values(x, what: str) -> np.ndarray:
    return np.asarray(check_finite(x, what))


def _paired(y, pred, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Targets and predictions as arrays of one shape; an (n, 1) column counts as (n,)."""
    y, pred = _values(y, f"{where}: targets"), _values(pred, f"{where}: predictions")
    if pred.ndim == 2 and pred.shape[1] == 1 and y.ndim == 1:
        pred = pred[:, 0]
    if y.ndim == 2 and y.shape[1] == 1 and pred.ndim == 1:
        y = y[:, 0]
    if y.shape != pred.shape:
        raise ShapeError(
            f"{where}: targets of shape {y.shape} and predictions of shape {pred.shape} "
            "do not match (one prediction per target)"
        )
    if y.size == 0:
        raise ValueError(f"{where}: no examples to score")
    return y, pred


def mean_squared_error(y, pred) -> float:
    """mean((pred - y)**2) over all entries, as a float (an (n, 1) column counts as (n,))."""
    y, pred = _paired(y, pred, "mean_squared_error")
    return float(np.mean((pred - y) ** 2))


def accuracy(y, pred) -> float:
    """Fraction of examples whose predicted label equals ``y``.

    ``pred`` may be labels (integers), probabilities of label 1 (floats in [0, 1], one per
    example, thresholded at 1/2), or one row of class scores per example (arg max).
    """
    y = _values(y, "accuracy: labels")
    pred = _values(pred, "accuracy: predictions")
    if pred.ndim == 2 and pred.shape[1] > 1:
        if pred.shape[0] != y.shape[0] or y.ndim != 1:
            raise ShapeError(
                f"accuracy: {pred.shape[0]} rows of class scores for labels of shape {y.shape}"
            )
        labels = np.argmax(pred, axis=1)
    else:
        y, pred = _paired(y, pred, "accuracy")
        if pred.dtype.kind == "f":
            if np.any((pred < 0) | (pred > 1)):
                raise ValueError(
                    "accuracy: float predictions must be probabilities in [0, 1]; "
                    "pass integer labels or an (n, k) array of class scores instead"
                )
            labels = (pred >= 0.5).astype(np.int64)
        else:
            labels = pred
    if y.size == 0:
        raise ValueError("accuracy: no examples to score")
    return float(np.mean(labels == y))


def log_loss(y, p, eps: float = 1e-12) -> float:
    """Average negative log-probability of the true label (cross-entropy), as a float.

    Binary: ``p`` holds P(label 1), one per example, and ``y`` labels in {0, 1}. Several
    classes: ``p`` has one row of probabilities per example (rows summing to 1) and ``y``
    integer labels. Probabilities are clipped to [eps, 1 - eps] so a confident mistake costs
    about ``-log(eps)`` instead of infinity.
    """
    y = _values(y, "log_loss: labels")
    p = _values(p, "log_loss: probabilities")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("log_loss: probabilities must lie in [0, 1]")
    if p.ndim == 2 and p.shape[1] > 1:
        if y.ndim != 1 or len(y) != len(p):
            raise ShapeError(f"log_loss: {len(p)} rows of probabilities for labels {y.shape}")
        if not np.allclose(p.sum(axis=1), 1.0, atol=1e-6):
            raise ValueError("log_loss: each row of class probabilities must sum to 1")
        if not np.all((y == np.round(y)) & (y >= 0) & (y < p.shape[1])):
            raise ValueError(f"log_loss: labels must be integers in 0..{p.shape[1] - 1}")
        picked = p[np.arange(len(y)), y.astype(np.int64)]
        return float(-np.mean(np.log(np.clip(picked, eps, 1.0))))
    y, p = _paired(y, p, "log_loss")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("log_loss: binary labels must be 0 or 1")
    p = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


# --- many small networks at once ----------------------------------------------------------------
@dataclass
class Ensemble:
    """R regression MLPs with the same architecture, trained side by side by `fit_mlps`.

    ``params`` is a list ``[W0, b0, W1, b1, ...]`` with a leading member axis: ``W`` of shape
    (R, n_in, n_out) and ``b`` of shape (R, 1, n_out). ``history`` is the `optim.History` of
    the joint run (its losses are sums over members; ``history.trajectory`` holds the
    parameters after every step when ``record_params=True``).
    """

    sizes: list[int]
    activation: str
    seeds: list[int]
    params: list[np.ndarray]
    history: optim.History

    @property
    def n_members(self) -> int:
        return len(self.seeds)

    def _inputs(self, x) -> np.ndarray:
        x = _values(x, "Ensemble input")
        d = self.sizes[0]
        if x.ndim == 2 and x.shape[1] == d:
            return x
        if x.ndim == 3 and x.shape[0] == self.n_members and x.shape[2] == d:
            return x
        raise ShapeError(
            f"Ensemble of {self.n_members} networks with {d} input(s) expects x of shape "
            f"(m, {d}) (shared) or ({self.n_members}, m, {d}) (one per member), got {x.shape}"
        )

    def predict_with(self, params, x):
        """Outputs of every member on ``x`` using ``params`` (arrays or Tensors): shape (R, m)."""
        return _forward(params, x, get_activation(self.activation).fn)

    def predict(self, x) -> np.ndarray:
        """Every member's prediction on ``x`` ((m, d) shared or (R, m, d)): shape (R, m)."""
        return np.asarray(self.predict_with(self.params, self._inputs(x)))

    def losses(self, x, y, params=None) -> np.ndarray:
        """Each member's mean squared error on ``(x, y)``: shape (R,)."""
        x = self._inputs(x)
        pred = np.asarray(self.predict_with(self.params if params is None else params, x))
        y = _values(y, "Ensemble targets")
        if y.shape not in (pred.shape[1:], pred.shape):
            raise ShapeError(f"targets of shape {y.shape} for predictions of shape {pred.shape}")
        return np.mean((pred - y) ** 2, axis=1)

    def loss_curves(self, x, y, every: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Each member's MSE on ``(x, y)`` along the recorded trajectory, every ``every`` steps.

        Returns ``(steps, losses)`` with ``losses`` of shape (len(steps), R); step 0 is the
        initialisation. Needs ``fit_mlps(..., record_params=True)``.
        """
        every = _count("every", every, 1, "Ensemble.loss_curves")
        trajectory = self.history.trajectory
        if trajectory is None:
            raise ValueError("loss_curves needs the trajectory: fit with record_params=True")
        steps = np.arange(0, len(trajectory), every)
        return steps, np.array([self.losses(x, y, trajectory[s]) for s in steps])

    def member(self, r: int, step: int | None = None) -> MLP:
        """Member ``r`` as an ordinary `MLP` (at training step ``step`` if given)."""
        r = _count("r", r, 0, "Ensemble.member")
        if r >= self.n_members:
            raise ValueError(f"Ensemble.member: r must be < {self.n_members}, got {r}")
        params = self.params
        if step is not None:
            if self.history.trajectory is None:
                raise ValueError("member(step=...) needs fit_mlps(..., record_params=True)")
            params = self.history.trajectory[step]
        net = MLP(self.sizes, self.activation, seed=self.seeds[r])
        flat = []
        for W, b in zip(params[::2], params[1::2], strict=True):
            flat += [np.array(W[r]), np.array(b[r, 0])]
        net.set_parameters(flat)
        return net


def _forward(params, x, act):
    a = x
    layers = list(zip(params[::2], params[1::2], strict=True))
    for i, (W, b) in enumerate(layers):
        z = ops.add(ops.matmul(a, W), b)
        a = act(z) if i < len(layers) - 1 else z
    return ops.reshape(a, a.shape[:-1]) if hasattr(a, "shape") else a


def fit_mlps(
    xs,
    ys,
    hidden: int | Sequence[int] = 8,
    activation: str = "tanh",
    seeds: Sequence[int] = (0,),
    optimizer: str = "adam",
    lr: float = 0.02,
    steps: int = 1000,
    record_params: bool = False,
) -> Ensemble:
    """Train one regression network ``MLP([d, *hidden, 1], activation, seed=s)`` per seed.

    ``xs`` is (n, d) (every member sees the same data) or (R, n, d) (member r trains on its own
    set ``xs[r], ys[r]``; then ``len(seeds) == R``); ``ys`` is (n,) or (R, n). All members
    train together, full batch, for ``steps`` updates of ``optimizer`` minimising the sum of
    their mean squared errors. Since the optimizers here (gd, adam, ...) update each
    parameter from its own gradient only, member r ends exactly where training it alone would.
    """
    hidden = [hidden] if isinstance(hidden, numbers.Integral) else list(hidden)
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("fit_mlps: give at least one seed")
    xs = _values(xs, "fit_mlps: inputs")
    ys = _values(ys, "fit_mlps: targets")
    R = len(seeds)
    if xs.ndim == 2 and ys.ndim == 1 and len(xs) == len(ys):
        pass
    elif xs.ndim == 3 and ys.ndim == 2 and xs.shape[:2] == ys.shape:
        if xs.shape[0] != R:
            raise ShapeError(f"fit_mlps: {xs.shape[0]} training sets but {R} seeds")
    else:
        raise ShapeError(
            "fit_mlps: xs must be (n, d) with ys (n,), or (R, n, d) with ys (R, n); "
            f"got xs {xs.shape} and ys {ys.shape}"
        )
    sizes = [int(xs.shape[-1]), *hidden, 1]
    nets = [MLP(sizes, activation, seed=s) for s in seeds]
    params = []
    for layer in range(len(sizes) - 1):
        params.append(np.stack([net.W[layer] for net in nets]))
        params.append(np.stack([net.b[layer][None, :] for net in nets]))
    act = get_activation(activation).fn

    def loss(p):
        err = _forward(p, xs, act) - ys
        return ops.sum(ops.mean(err * err, axis=-1))

    history = optim.train(
        loss, params, optimizer=optimizer, lr=lr, steps=steps, record_params=record_params
    )
    return Ensemble(sizes, activation, seeds, [np.asarray(p) for p in history.params], history)


# --- early stopping -----------------------------------------------------------------------------
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
        raise ValueError(
            f"early_stopping: val_losses must be a non-empty 1-D sequence, got {losses.shape}"
        )
    if not np.all(np.isfinite(losses)):
        raise ValueError("early_stopping: val_losses contains nan or inf")
    steps = np.arange(len(losses)) if steps is None else np.asarray(steps)
    if steps.shape != losses.shape:
        raise ShapeError(f"early_stopping: {len(steps)} steps for {len(losses)} losses")
    end = len(losses) - 1
    if patience is not None:
        patience = _count("patience", patience, 1, "early_stopping")
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


# --- comparing two models -----------------------------------------------------------------------
@dataclass(frozen=True)
class PairedComparison:
    """Score of model A minus score of model B on the same folds / seeds.

    ``mean`` and ``std_error`` of the differences, ``t = mean / std_error`` with ``df`` degrees
    of freedom, and a percentile bootstrap interval ``(ci_low, ci_high)`` for the mean
    difference at level ``confidence``. With ``test_train_ratio`` the standard error carries the
    Nadeau-Bengio correction for cross-validation folds, whose training sets overlap.
    """

    differences: np.ndarray
    mean: float
    std_error: float
    t: float
    df: int
    ci_low: float
    ci_high: float
    confidence: float
    corrected: bool

    def summary(self, precision: int = 4) -> str:
        p = precision
        kind = "corrected " if self.corrected else ""
        return (
            f"{len(self.differences)} paired differences (A - B): mean {self.mean:+.{p}f}, "
            f"{kind}standard error {self.std_error:.{p}f}, t = {self.t:+.2f} (df {self.df}), "
            f"{100 * self.confidence:.0f}% bootstrap interval "
            f"[{self.ci_low:+.{p}f}, {self.ci_high:+.{p}f}]"
        )


def paired_comparison(
    scores_a,
    scores_b,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
    test_train_ratio: float | None = None,
) -> PairedComparison:
    """Compare two models scored on the same splits (same folds, same seeds), pair by pair.

    ``d_i = a_i - b_i``; standard error ``s / sqrt(J)`` (``s`` the sample standard deviation
    of the J differences). Cross-validation folds share most of their training data, so their
    differences are positively correlated and ``s / sqrt(J)`` is too small; giving
    ``test_train_ratio = n_val / n_train`` uses Nadeau and Bengio's corrected standard error
    ``s * sqrt(1/J + n_val/n_train)`` instead. The bootstrap resamples the J differences
    ``n_boot`` times with ``np.random.default_rng(seed)`` (it assumes independent pairs).
    """
    a = _values(scores_a, "paired_comparison: scores_a").astype(np.float64)
    b = _values(scores_b, "paired_comparison: scores_b").astype(np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ShapeError(
            "paired_comparison: scores_a and scores_b must be 1-D with one score per shared "
            f"split, got shapes {a.shape} and {b.shape}"
        )
    if len(a) < 2:
        raise ValueError("paired_comparison: need at least 2 paired scores")
    n_boot = _count("n_boot", n_boot, 1, "paired_comparison")
    if not (isinstance(confidence, numbers.Real) and 0 < confidence < 1):
        raise ValueError(f"paired_comparison: confidence must lie in (0, 1), got {confidence!r}")
    d = a - b
    J = len(d)
    s = float(np.std(d, ddof=1))
    factor = 1.0 / J
    if test_train_ratio is not None:
        if not (isinstance(test_train_ratio, numbers.Real) and test_train_ratio > 0):
            raise ValueError(
                f"paired_comparison: test_train_ratio must be > 0, got {test_train_ratio!r}"
            )
        factor += float(test_train_ratio)
    se = s * math.sqrt(factor)
    mean = float(np.mean(d))
    t = mean / se if se > 0 else (math.copysign(math.inf, mean) if mean else 0.0)
    rng = np.random.default_rng(seed)
    boot = d[rng.integers(0, J, size=(n_boot, J))].mean(axis=1)
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(boot, [tail, 100 - tail])
    return PairedComparison(
        d,
        mean,
        se,
        float(t),
        J - 1,
        float(low),
        float(high),
        float(confidence),
        test_train_ratio is not None,
    )


# --- bias and variance --------------------------------------------------------------------------
def resample_training_sets(f, n_sets: int, n: int, domain=(-1, 1), noise: float = 0.1, seed=0):
    """``n_sets`` independent training sets of ``n`` points ``y = f(x) + noise * N(0, 1)``.

    Set r is ``nnlab.data.function_samples(f, n, domain, noise, seed=seed_r)``, with the
    ``seed_r`` drawn from ``np.random.default_rng(seed)``. Returns ``xs`` (n_sets, n, 1) and
    ``ys`` (n_sets, n), ready for `fit_mlps`.
    """
    n_sets = _count("n_sets", n_sets, 1, "resample_training_sets")
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
    P = _values(predictions, "bias_variance: predictions").astype(np.float64)
    truth = _values(truth, "bias_variance: truth").astype(np.float64).reshape(-1)
    if P.ndim != 2 or P.shape[1] != truth.size or P.shape[0] < 2:
        raise ShapeError(
            "bias_variance: predictions must be (R, m) with R >= 2 refits and m = "
            f"len(truth) = {truth.size} test points, got {P.shape}"
        )
    if not (isinstance(noise_std, numbers.Real) and noise_std >= 0):
        raise ValueError(f"bias_variance: noise_std must be a number >= 0, got {noise_std!r}")
    n_draws = _count("n_draws", n_draws, 1, "bias_variance")
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
