"""The training loop: `train` runs an optimizer on a loss written with nnlab Tensors and
returns a `History`; `random_restarts` trains from several random starts and keeps the best;
`clip_by_global_norm` bounds a gradient's norm (what ``train(..., clip_norm=c)`` applies).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ...engine.autodiff import value_and_grad
from ...engine.errors import (
    DivergenceError,
    NnlabTypeError,
    NnlabValueError,
    ShapeError,
    unknown_name,
)
from ...engine.trees import tree_leaves, tree_map
from ..mlp import MLP, check_finite
from ._checks import as_array, count
from .rules import Optimizer, make
from .schedules import as_schedule

__all__ = ["History", "clip_by_global_norm", "random_restarts", "train"]

_ON_DIVERGENCE = ("stop", "raise")
# Floor for the divergence reference, so a run starting at loss 0 is not judged against 0.
_TINY = 1e-12


@dataclass(repr=False, eq=False)
class History:
    """What `train` did.

    ``losses[k]``, ``grad_norms[k]`` (global L2 norm over all parameters) and
    ``lrs[k]`` belong to step k, before its update; there are ``steps_run`` of each.
    ``params`` are the final parameters and ``final_loss`` their loss (on all the
    data). When the run diverged, ``params`` are the last ones whose loss and
    gradient passed the checks (never nan), ``final_loss`` is their loss, and
    ``message`` says at which step and why. ``trajectory`` (with
    ``record_params=True``, else None) lists copies of the parameters from the
    initial ones to ``params``: ``losses[k]`` is the loss at ``trajectory[k]``.
    """

    optimizer: str
    params: object
    losses: list[float]
    grad_norms: list[float]
    lrs: list[float]
    steps_run: int
    final_loss: float
    diverged: bool
    message: str
    trajectory: list | None = None

    def summary(self) -> str:
        return (
            f"History(optimizer={self.optimizer}, steps={self.steps_run}, "
            f"final loss={self.final_loss:.6f}, diverged={self.diverged})"
        )

    __repr__ = summary


def train(
    loss_fn,
    params,
    optimizer: str | Optimizer = "gd",
    lr=0.1,
    steps: int = 100,
    data=None,
    batch_size: int | None = None,
    seed: int = 0,
    schedule=None,
    divergence_factor: float | None = 1e6,
    on_divergence: str = "stop",
    record_params: bool = False,
    clip_norm: float | None = None,
    **hyper,
) -> History:
    """Minimise ``loss_fn`` from ``params`` with ``steps`` optimizer updates.

    ``loss_fn(params)`` returns a scalar Tensor; with ``data=(X, y)`` it is called
    as ``loss_fn(params, X_batch, y_batch)``. Gradients come from
    `value_and_grad`. ``optimizer`` is a name (``hyper`` goes to `make`) or an
    `Optimizer`. ``lr`` is a number or a schedule; ``schedule``, when given, is
    used instead of ``lr``.

    With ``batch_size=None`` every step sees all of the data. Otherwise each
    epoch reshuffles the examples with ``np.random.default_rng(seed)`` and takes
    one step per minibatch (the last may be smaller), so every example is seen
    once per epoch. After the last update ``loss_fn`` is called once more, on all
    the data, for ``History.final_loss``.

    The run diverges when the loss or the gradient is nan or inf, or the loss
    exceeds ``divergence_factor`` times |initial loss| (None: never). It then
    stops and says so in ``History.message``, or with ``on_divergence="raise"``
    raises `DivergenceError` with that message. Numpy overflow warnings are
    silenced during the run: the History reports what happened.

    With ``clip_norm=c`` each gradient whose global norm exceeds ``c`` is rescaled to norm
    ``c`` before the update (`clip_by_global_norm`; Pascanu et al. 2013), so no step of GD is
    longer than ``lr * c``. ``History.grad_norms`` still records the norms before clipping.
    """
    _check_arguments(loss_fn, params)
    opt = _optimizer(optimizer, hyper)
    if on_divergence not in _ON_DIVERGENCE:
        raise unknown_name("optim.train", "on_divergence value", on_divergence, _ON_DIVERGENCE)
    if divergence_factor is not None and not divergence_factor > 1:
        raise NnlabValueError(
            f"optim.train: divergence_factor must be > 1 (or None), got {divergence_factor!r}"
        )
    steps = count("optim.train", "steps", steps)
    if clip_norm is not None:
        _check_clip_norm(clip_norm, "optim.train", "clip_norm")
    rate = as_schedule(lr if schedule is None else schedule, "optim.train")
    params = tree_map(_initial_parameter, params)
    full_data, batches = _batches(data, batch_size, seed)

    loss_and_grads = value_and_grad(loss_fn)
    state = opt.init(params)
    losses, grad_norms, lrs = [], [], []
    trajectory = [_copy(params)] if record_params else None
    kept, problem, loss, reference = params, None, math.nan, math.inf
    with np.errstate(all="ignore"):  # a diverging run overflows; the History reports it instead
        for step in range(steps + 1):
            last = step == steps
            if not _all_finite(params):
                problem = "parameters became non-finite (nan or inf)"
                break
            loss, grads = loss_and_grads(params, *(full_data if last else next(batches)))
            grad_norm = _global_norm(grads)
            if step == 0 and math.isfinite(loss):
                reference = max(abs(loss), _TINY)
            problem = _divergence(loss, grad_norm, reference, divergence_factor)
            if problem:
                break
            kept = params
            if record_params and step > 0:
                trajectory.append(_copy(params))
            if last:
                break
            lr_now = float(rate(step))
            if not (math.isfinite(lr_now) and lr_now >= 0):
                raise NnlabValueError(
                    f"optim.train: the learning rate schedule gave lr={lr_now!r} at step {step}"
                )
            losses.append(loss)
            grad_norms.append(grad_norm)
            lrs.append(lr_now)
            if clip_norm is not None and grad_norm > clip_norm:
                grads = _scaled(grads, clip_norm / grad_norm)
            params, state = opt.update(params, grads, state, lr_now)

    if problem:
        message = f"diverged at step {step}: {problem}"
        if on_divergence == "raise":
            raise DivergenceError(f"optim.train: {message}")
        final_loss = losses[-1] if losses else loss
    else:
        message = f"ran {steps} steps"
        final_loss = loss
    return History(
        optimizer=opt.name,
        params=kept,
        losses=losses,
        grad_norms=grad_norms,
        lrs=lrs,
        steps_run=len(losses),
        final_loss=final_loss,
        diverged=problem is not None,
        message=message,
        trajectory=trajectory,
    )


def random_restarts(loss_fn, init_fn, restarts: int = 5, seed: int = 0, **train_kwargs):
    """`train` from ``restarts`` random starts; returns ``(best, all_histories)``.

    One generator, ``np.random.default_rng(seed)``, drives the experiment: each
    restart passes it to ``init_fn(rng) -> params``, then draws that run's
    minibatch seed from it, so the same ``seed`` repeats every run exactly.
    ``best`` is the non-diverged run with the lowest ``final_loss`` (if all
    diverged, the lowest of all; ``best.diverged`` then says so).
    """
    restarts = count("optim.random_restarts", "restarts", restarts, least=1)
    rng = np.random.default_rng(seed)
    runs = []
    for _ in range(restarts):
        params = init_fn(rng)
        runs.append(train(loss_fn, params, seed=int(rng.integers(2**63)), **train_kwargs))
    candidates = [run for run in runs if not run.diverged] or runs
    best = min(candidates, key=lambda run: _finite_or_inf(run.final_loss))
    return best, runs


def clip_by_global_norm(grads, max_norm: float):
    """``(clipped, norm)``: ``grads`` times ``min(1, max_norm / norm)``, and ``norm``, the
    global L2 norm before clipping (over every entry of every array).

    ``grads`` is an array or a (nested) list, tuple or dict of arrays; the result has the same
    structure and the argument is left untouched. The direction is kept and only a gradient
    longer than ``max_norm`` changes, so clipping only ever shortens a step.
    """
    _check_clip_norm(max_norm, "optim.clip_by_global_norm", "max_norm")
    norm = _global_norm(grads)
    if not math.isfinite(norm):
        raise NnlabValueError(
            "optim.clip_by_global_norm: the gradient is not finite (nan or inf); "
            "clipping cannot repair it"
        )
    factor = max_norm / norm if norm > max_norm else 1.0
    return _scaled(grads, factor), norm


# --- helpers ----------------------------------------------------------------------------
def _copy(tree):
    return tree_map(np.copy, tree)


def _scaled(tree, factor: float):
    return tree_map(lambda g: as_array(g) * factor, tree)


def _check_clip_norm(value, where: str, name: str) -> None:
    if isinstance(value, bool) or not (
        isinstance(value, int | float) and math.isfinite(value) and value > 0
    ):
        raise NnlabValueError(f"{where}: {name} must be a positive finite number, got {value!r}")


def _all_finite(tree) -> bool:
    return all(np.all(np.isfinite(w)) for w in tree_leaves(tree))


def _global_norm(tree) -> float:
    """sqrt(sum of squares of every entry); nan or inf if any entry is."""
    flat = np.concatenate([np.ravel(as_array(g)) for g in tree_leaves(tree)] or [np.zeros(0)])
    scale = float(np.max(np.abs(flat))) if flat.size else 0.0
    if scale == 0 or not math.isfinite(scale):
        return scale
    # Scaled first, so that large but finite gradients do not overflow when squared.
    return scale * float(np.sqrt(np.sum((flat / scale) ** 2)))


def _divergence(loss, grad_norm, reference, factor) -> str | None:
    """Why the run should stop at this step, or None."""
    if not math.isfinite(loss):
        return f"loss became {loss}"
    if not math.isfinite(grad_norm):
        return "gradient became non-finite (nan or inf)"
    if factor is not None and loss > factor * reference:
        return (
            f"loss {_short(loss)} exceeded {_short(factor)} x the initial loss {_short(reference)}"
        )
    return None


def _short(x: float) -> str:
    """4 significant digits, exponent without padding: 1e6, 1.235e7, 0.5."""
    mantissa, _, exponent = f"{x:.4g}".partition("e")
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa


def _finite_or_inf(x: float) -> float:
    return x if math.isfinite(x) else math.inf


def _optimizer(optimizer, hyper) -> Optimizer:
    if isinstance(optimizer, Optimizer):
        if hyper:
            raise NnlabValueError(
                f"optim.train: give hyperparameters {sorted(hyper)} to make(), not to train()"
            )
        return optimizer
    return make(optimizer, **hyper)


def _batches(data, batch_size, seed):
    """All of the data (as extra arguments for loss_fn) and an endless iterator of step batches."""
    if data is None:
        if batch_size is not None:
            raise NnlabValueError(
                "optim.train: batch_size needs data=(X, y) to split into minibatches"
            )
        return (), itertools.repeat(())
    X, y = _check_data(data)
    if batch_size is None:
        return (X, y), itertools.repeat((X, y))
    batch_size = count("optim.train", "batch_size", batch_size, least=1)
    return (X, y), _minibatches(X, y, batch_size, np.random.default_rng(seed))


def _minibatches(X, y, batch_size, rng):
    while True:
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            rows = order[start : start + batch_size]
            yield X[rows], y[rows]


def _check_data(data):
    try:
        X, y = data
    except (TypeError, ValueError):
        raise NnlabValueError(
            "optim.train: data must be a pair (X, y) of inputs and targets"
        ) from None
    X = check_finite(X, "optim.train", "training inputs X")
    y = check_finite(y, "optim.train", "training targets y")
    if X.ndim == 0 or y.ndim == 0 or X.shape[0] != y.shape[0]:
        raise ShapeError(
            f"optim.train: data X has shape {X.shape} but y has shape {y.shape}; "
            "they need the same number of rows (one per example)"
        )
    if X.shape[0] == 0:
        raise NnlabValueError("optim.train: data has no examples")
    return X, y


def _check_arguments(loss_fn, params) -> None:
    """The two mistakes a reader makes most: the network where its parameters belong, and
    the arguments swapped."""
    if isinstance(params, MLP):
        raise NnlabTypeError(
            "optim.train: got an MLP; pass net.parameters() (or use nnlab.fit(net, X, y))"
        )
    if isinstance(loss_fn, MLP):
        raise NnlabTypeError(
            "optim.train: got an MLP as the loss function; pass a function params -> scalar "
            "loss (or use nnlab.fit(net, X, y))"
        )
    if not callable(loss_fn):
        raise NnlabTypeError(
            "optim.train: loss_fn must be a function params -> scalar loss, "
            f"got {type(loss_fn).__name__}; the call is train(loss_fn, params, ...)"
        )


def _initial_parameter(w) -> np.ndarray:
    values = as_array(w)
    if values.dtype.kind not in "fc":
        raise NnlabTypeError(
            "optim.train: parameters must be numeric arrays (or lists, tuples and dicts of "
            f"them), got {type(w).__name__} {w!r:.60}"
        )
    return check_finite(values, "optim.train", "initial parameters").copy()
