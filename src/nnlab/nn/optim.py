"""Optimizers, learning-rate schedules and a training loop.

Each optimizer is a pure update rule with explicit state (cs231n style)::

    opt = make("adam", beta1=0.9)
    state = opt.init(params)
    params, state = opt.update(params, grads, state, lr)

``params`` and ``grads`` are arrays, or (nested) lists, tuples and dicts of
arrays with the same structure. The state is a dict holding one tree shaped like
``params`` per slot (``velocity``, ``m``, ``v``, ...) and the number of steps
taken, ``t``. Nothing is changed in place, so a state can be kept and replayed.

`train` runs an optimizer on a loss written with nnlab Tensors and returns a
`History`; `random_restarts` trains from several random starts and keeps the best.
"""

from __future__ import annotations

import inspect
import itertools
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..engine.autodiff import value_and_grad
from ..engine.errors import DivergenceError, ShapeError, unknown_name
from ..engine.tensor import Tensor
from ..engine.trees import tree_leaves, tree_map
from .mlp import check_finite

__all__ = [
    "OPTIMIZERS",
    "Adam",
    "GD",
    "History",
    "Momentum",
    "Nesterov",
    "Optimizer",
    "RMSProp",
    "SGD",
    "Schedule",
    "as_schedule",
    "constant",
    "cosine",
    "exponential",
    "make",
    "random_restarts",
    "step_decay",
    "train",
]


# --- optimizers -----------------------------------------------------------------------
class Optimizer:
    """An update rule for one array, applied to every array of a parameter tree.

    Subclasses list their per-parameter state in ``slots`` and implement
    ``rule(w, dw, lr, t, *slots) -> (w_new, slots_new)``, where ``w`` is one
    parameter array, ``dw`` its gradient (same shape) and ``t`` the step number,
    counting from 1.
    """

    name = "optimizer"
    slots: tuple[str, ...] = ()

    def init(self, params) -> dict:
        """Fresh state: a tree of zeros shaped like ``params`` per slot, and ``t = 0``."""
        state = {slot: tree_map(_zeros_like, params) for slot in self.slots}
        state["t"] = 0
        return state

    def update(self, params, grads, state: dict, lr: float):
        """One step: ``(new_params, new_state)``; the arguments are left untouched."""
        ws, dws = tree_leaves(params), tree_leaves(grads)
        if len(ws) != len(dws):
            raise ShapeError(f"{self.name}: {len(ws)} parameter arrays but {len(dws)} gradients")
        t = state["t"] + 1
        old_slots = [tree_leaves(state[slot]) for slot in self.slots]
        new_ws, new_slots = [], [[] for _ in self.slots]
        for i, (w, dw) in enumerate(zip(ws, dws, strict=True)):
            w, dw = _as_array(w), _as_array(dw)
            if w.shape != dw.shape:
                raise ShapeError(
                    f"{self.name}: gradient of shape {dw.shape} "
                    f"for parameter {i} of shape {w.shape}"
                )
            w, slots = self.rule(w, dw, lr, t, *(leaves[i] for leaves in old_slots))
            # asarray: numpy arithmetic turns 0-d arrays into scalars; keep every leaf an array.
            new_ws.append(np.asarray(w))
            for leaves, s in zip(new_slots, slots, strict=True):
                leaves.append(np.asarray(s))
        new_state = {
            slot: _like(params, leaves) for slot, leaves in zip(self.slots, new_slots, strict=True)
        }
        new_state["t"] = t
        return _like(params, new_ws), new_state

    def rule(self, w, dw, lr, t, *slots):
        raise NotImplementedError

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({hyper})"


class GD(Optimizer):
    """Gradient descent: ``w <- w - lr * dw``."""

    name = "gd"

    def rule(self, w, dw, lr, t):
        return w - lr * dw, ()


class SGD(GD):
    """The gradient-descent rule; "stochastic" only because `train` feeds it minibatch gradients."""

    name = "sgd"


class Momentum(Optimizer):
    """Heavy-ball momentum (Polyak 1964), as in cs231n::

        velocity <- mu * velocity - lr * dw
        w        <- w + velocity

    ``velocity`` is a running sum of past steps, so a steady gradient gives steps
    up to 1 / (1 - mu) times longer (10x for mu = 0.9). With a constant lr this is
    PyTorch's ``SGD(momentum=mu)``.
    """

    name = "momentum"
    slots = ("velocity",)

    def __init__(self, mu: float = 0.9):
        self.mu = _fraction("mu", mu)

    def rule(self, w, dw, lr, t, velocity):
        velocity = self.mu * velocity - lr * dw
        return w + velocity, (velocity,)


class Nesterov(Momentum):
    """Nesterov momentum in the "lookahead" form of cs231n (Sutskever et al. 2013)::

        velocity <- mu * velocity - lr * dw
        w        <- w - mu * velocity_old + (1 + mu) * velocity

    Nesterov takes the gradient at the lookahead point ``w + mu * velocity``; this
    form renames that point ``w``, so ``dw`` is the gradient at the current
    parameters. With a constant lr it is PyTorch's ``SGD(momentum=mu, nesterov=True)``.
    """

    name = "nesterov"

    def rule(self, w, dw, lr, t, velocity):
        velocity_old = velocity
        velocity = self.mu * velocity - lr * dw
        return w - self.mu * velocity_old + (1 + self.mu) * velocity, (velocity,)


class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton 2012)::

        cache <- decay * cache + (1 - decay) * dw**2
        w     <- w - lr * dw / (sqrt(cache) + eps)

    Dividing by the running RMS of the gradient gives every coordinate a step of
    about ``lr``, however steep it is.
    """

    name = "rmsprop"
    slots = ("cache",)

    def __init__(self, decay: float = 0.9, eps: float = 1e-8):
        self.decay = _fraction("decay", decay)
        self.eps = _positive("eps", eps)

    def rule(self, w, dw, lr, t, cache):
        cache = self.decay * cache + (1 - self.decay) * dw * dw
        return w - lr * dw / (np.sqrt(cache) + self.eps), (cache,)


class Adam(Optimizer):
    """Adam, exactly as Kingma & Ba (2015), Algorithm 1::

        m     <- beta1 * m + (1 - beta1) * dw          (first moment)
        v     <- beta2 * v + (1 - beta2) * dw**2       (second moment)
        m_hat =  m / (1 - beta1**t),   v_hat = v / (1 - beta2**t)
        w     <- w - lr * m_hat / (sqrt(v_hat) + eps)

    ``m`` and ``v`` start at zero, so early on they underestimate the moments;
    dividing by ``1 - beta**t`` removes that bias. At t = 1, m_hat = dw and
    v_hat = dw**2: the first step moves every coordinate by about ``lr``.
    """

    name = "adam"
    slots = ("m", "v")

    def __init__(self, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        self.beta1 = _fraction("beta1", beta1)
        self.beta2 = _fraction("beta2", beta2)
        self.eps = _positive("eps", eps)

    def rule(self, w, dw, lr, t, m, v):
        m = self.beta1 * m + (1 - self.beta1) * dw
        v = self.beta2 * v + (1 - self.beta2) * dw * dw
        m_hat = m / (1 - self.beta1**t)
        v_hat = v / (1 - self.beta2**t)
        return w - lr * m_hat / (np.sqrt(v_hat) + self.eps), (m, v)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (GD, SGD, Momentum, Nesterov, RMSProp, Adam)
}


def make(name: str, **hyper) -> Optimizer:
    """Build an optimizer by name (see ``OPTIMIZERS``) with its hyperparameters.

    ``make("momentum", mu=0.5)``; unknown names and hyperparameters are errors that
    list the valid ones.
    """
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise unknown_name("optim.make", "optimizer", name, OPTIMIZERS) from None
    valid = list(inspect.signature(cls).parameters)
    unexpected = sorted(set(hyper) - set(valid))
    if unexpected:
        raise ValueError(
            f"optimizer {name!r} has no hyperparameter(s) {unexpected}; "
            f"its hyperparameters are: {', '.join(valid) or 'none'}"
        )
    return cls(**hyper)


# --- learning-rate schedules ------------------------------------------------------------
class Schedule:
    """A learning rate per step: ``schedule(step) -> lr`` for step = 0, 1, 2, ..."""

    def __init__(self, fn: Callable[[int], float], description: str):
        self._fn = fn
        self._description = description

    def __call__(self, step: int) -> float:
        return float(self._fn(step))

    def __repr__(self) -> str:
        return self._description


def constant(lr: float) -> Schedule:
    """The same ``lr`` at every step."""
    lr = _rate("lr", lr)
    return Schedule(lambda step: lr, f"constant(lr={lr:g})")


def step_decay(lr: float, drop: float = 0.5, every: int = 100) -> Schedule:
    """``lr * drop**(step // every)``: multiply by ``drop`` once every ``every`` steps."""
    lr, drop, every = _rate("lr", lr), _rate("drop", drop), _count("every", every, least=1)
    return Schedule(
        lambda step: lr * drop ** (step // every),
        f"step_decay(lr={lr:g}, drop={drop:g}, every={every})",
    )


def exponential(lr: float, rate: float) -> Schedule:
    """``lr * rate**step``."""
    lr, rate = _rate("lr", lr), _rate("rate", rate)
    return Schedule(lambda step: lr * rate**step, f"exponential(lr={lr:g}, rate={rate:g})")


def cosine(lr: float, total_steps: int, lr_min: float = 0.0) -> Schedule:
    """Half a cosine from ``lr`` at step 0 down to ``lr_min`` at ``total_steps``, then flat::

        lr_min + (lr - lr_min) * (1 + cos(pi * step / total_steps)) / 2

    (Loshchilov & Hutter 2017, without restarts.)
    """
    lr, lr_min = _rate("lr", lr), _rate("lr_min", lr_min)
    total_steps = _count("total_steps", total_steps, least=1)

    def schedule(step):
        progress = min(step, total_steps) / total_steps
        return lr_min + 0.5 * (lr - lr_min) * (1 + math.cos(math.pi * progress))

    return Schedule(schedule, f"cosine(lr={lr:g}, total_steps={total_steps}, lr_min={lr_min:g})")


def as_schedule(lr) -> Callable[[int], float]:
    """A schedule from a schedule (any callable ``step -> lr``) or a plain number."""
    if callable(lr):
        return lr
    if isinstance(lr, numbers.Real):
        return constant(lr)
    raise TypeError(f"a learning rate must be a number or a schedule step -> lr, got {lr!r}")


# --- training ---------------------------------------------------------------------------
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
    """
    opt = _optimizer(optimizer, hyper)
    if on_divergence not in _ON_DIVERGENCE:
        raise unknown_name("optim.train", "on_divergence value", on_divergence, _ON_DIVERGENCE)
    if divergence_factor is not None and not divergence_factor > 1:
        raise ValueError(f"divergence_factor must be > 1 (or None), got {divergence_factor!r}")
    steps = _count("steps", steps)
    rate = as_schedule(lr if schedule is None else schedule)
    params = tree_map(lambda w: check_finite(_as_array(w), "initial parameters").copy(), params)
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
                raise ValueError(f"the learning rate schedule gave lr={lr_now!r} at step {step}")
            losses.append(loss)
            grad_norms.append(grad_norm)
            lrs.append(lr_now)
            params, state = opt.update(params, grads, state, lr_now)

    if problem:
        message = f"diverged at step {step}: {problem}"
        if on_divergence == "raise":
            raise DivergenceError(message)
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
    restarts = _count("restarts", restarts, least=1)
    rng = np.random.default_rng(seed)
    runs = []
    for _ in range(restarts):
        params = init_fn(rng)
        runs.append(train(loss_fn, params, seed=int(rng.integers(2**63)), **train_kwargs))
    candidates = [run for run in runs if not run.diverged] or runs
    best = min(candidates, key=lambda run: _finite_or_inf(run.final_loss))
    return best, runs


# --- helpers ----------------------------------------------------------------------------
def _as_array(x) -> np.ndarray:
    x = np.asarray(x.value if isinstance(x, Tensor) else x)
    return x.astype(np.float64) if x.dtype.kind in "biu" else x


def _zeros_like(w) -> np.ndarray:
    return np.zeros_like(_as_array(w))


def _like(tree, leaves):
    """A tree shaped like ``tree`` whose leaves are ``leaves``, in `tree_leaves` order."""
    it = iter(leaves)
    return tree_map(lambda _: next(it), tree)


def _copy(tree):
    return tree_map(np.copy, tree)


def _all_finite(tree) -> bool:
    return all(np.all(np.isfinite(w)) for w in tree_leaves(tree))


def _global_norm(tree) -> float:
    """sqrt(sum of squares of every entry); nan or inf if any entry is."""
    flat = np.concatenate([np.ravel(_as_array(g)) for g in tree_leaves(tree)] or [np.zeros(0)])
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
            raise ValueError(f"give hyperparameters {sorted(hyper)} to make(), not to train()")
        return optimizer
    return make(optimizer, **hyper)


def _batches(data, batch_size, seed):
    """All of the data (as extra arguments for loss_fn) and an endless iterator of step batches."""
    if data is None:
        if batch_size is not None:
            raise ValueError("batch_size needs data=(X, y) to split into minibatches")
        return (), itertools.repeat(())
    X, y = _check_data(data)
    if batch_size is None:
        return (X, y), itertools.repeat((X, y))
    batch_size = _count("batch_size", batch_size, least=1)
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
        raise ValueError("data must be a pair (X, y) of inputs and targets") from None
    X, y = check_finite(X, "training inputs X"), check_finite(y, "training targets y")
    if X.ndim == 0 or y.ndim == 0 or X.shape[0] != y.shape[0]:
        raise ShapeError(
            f"data: X has shape {X.shape} but y has shape {y.shape}; "
            "they need the same number of rows (one per example)"
        )
    if X.shape[0] == 0:
        raise ValueError("data has no examples")
    return X, y


def _fraction(name: str, value) -> float:
    """A decay rate: the fraction of the old average that is kept, in [0, 1)."""
    if not (isinstance(value, numbers.Real) and 0 <= value < 1):
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)


def _positive(name: str, value) -> float:
    if not (isinstance(value, numbers.Real) and value > 0):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _rate(name: str, value) -> float:
    if not (isinstance(value, numbers.Real) and math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _count(name: str, value, least: int = 0) -> int:
    if not (isinstance(value, numbers.Integral) and value >= least):
        raise ValueError(f"{name} must be an integer >= {least}, got {value!r}")
    return int(value)
