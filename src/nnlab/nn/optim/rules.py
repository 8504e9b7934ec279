"""Update rules: each optimizer is a pure function of explicit state (cs231n style)::

    opt = make("adam", beta1=0.9)
    state = opt.init(params)
    params, state = opt.update(params, grads, state, lr)

``params`` and ``grads`` are arrays, or (nested) lists, tuples and dicts of
arrays with the same structure. The state is a dict holding one tree shaped like
``params`` per slot (``velocity``, ``m``, ``v``, ...) and the number of steps
taken, ``t``. Nothing is changed in place, so a state can be kept and replayed.
"""

from __future__ import annotations

import inspect

import numpy as np

from ...engine.errors import NnlabTypeError, NnlabValueError, ShapeError, unknown_name
from ...engine.trees import tree_leaves, tree_map
from ._checks import as_array, fraction, positive

__all__ = [
    "OPTIMIZERS",
    "Adam",
    "GD",
    "Momentum",
    "Nesterov",
    "Optimizer",
    "RMSProp",
    "SGD",
    "make",
]


class Optimizer:
    """An update rule for one array, applied to every array of a parameter tree.

    Subclasses list their per-parameter state in ``slots`` and implement
    ``rule(w, dw, lr, t, *slots) -> (w_new, slots_new)``, where ``w`` is one
    parameter array, ``dw`` its gradient (same shape) and ``t`` the step number,
    counting from 1.
    """

    name = "optimizer"
    slots: tuple[str, ...] = ()

    @property
    def _where(self) -> str:
        return f"optim.{type(self).__name__}"

    def init(self, params) -> dict:
        """Fresh state: a tree of zeros shaped like ``params`` per slot, and ``t = 0``."""
        state = {slot: tree_map(_zeros_like, params) for slot in self.slots}
        state["t"] = 0
        return state

    def update(self, params, grads, state: dict, lr: float):
        """One step: ``(new_params, new_state)``; the arguments are left untouched."""
        where = f"{self._where}.update"
        ws, dws = tree_leaves(params), tree_leaves(grads)
        if len(ws) != len(dws):
            raise ShapeError(f"{where}: {len(ws)} parameter arrays but {len(dws)} gradients")
        t = state["t"] + 1
        old_slots = [tree_leaves(state[slot]) for slot in self.slots]
        new_ws, new_slots = [], [[] for _ in self.slots]
        for i, (w, dw) in enumerate(zip(ws, dws, strict=True)):
            w, dw = as_array(w), as_array(dw)
            if w.shape != dw.shape:
                raise ShapeError(
                    f"{where}: gradient of shape {dw.shape} for parameter {i} of shape {w.shape}"
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
        # Optimizer itself is only the frame; using it directly is using the wrong kind of object.
        raise NnlabTypeError(
            f"{self._where}.rule: Optimizer has no rule of its own; use a subclass (GD, Adam, "
            "...) or define rule(w, dw, lr, t, *slots) in yours"
        )

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
        self.mu = fraction(self._where, "mu", mu)

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
        self.decay = fraction(self._where, "decay", decay)
        self.eps = positive(self._where, "eps", eps)

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
        self.beta1 = fraction(self._where, "beta1", beta1)
        self.beta2 = fraction(self._where, "beta2", beta2)
        self.eps = positive(self._where, "eps", eps)

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
        raise NnlabValueError(
            f"optim.make: optimizer {name!r} has no hyperparameter(s) {unexpected}; "
            f"its hyperparameters are: {', '.join(valid) or 'none'}"
        )
    return cls(**hyper)


def _zeros_like(w) -> np.ndarray:
    return np.zeros_like(as_array(w))


def _like(tree, leaves):
    """A tree shaped like ``tree`` whose leaves are ``leaves``, in `tree_leaves` order."""
    it = iter(leaves)
    return tree_map(lambda _: next(it), tree)
