"""Many small regression networks trained side by side, one per seed (and optionally one per
training set or fold), as one batched computation.

`fit_mlps` returns an `Ensemble`. Member ``r`` ends exactly where
``MLP(sizes, activation, seed=seeds[r], bias=bias)`` trained alone with the same optimizer would:
Adam (and plain gradient descent) update every parameter from its own gradient only, and the
summed loss gives each member the gradient of its own loss.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...engine import ops
from ...engine.errors import NnlabValueError, ShapeError
from ...nn import optim
from ...nn.mlp import MLP, get_activation
from ..checks import count, finite_array

__all__ = ["Ensemble", "fit_mlps", "stacked_forward"]


def stacked_forward(params, x, activation: str, bias: Sequence[bool]):
    """The outputs of R identity-output networks at once: shape (R, m).

    ``params`` is ``[W0, b0, W1, b1, ...]`` in `MLP.parameters` order (a layer without a bias
    has no ``b``), each with a leading member axis: ``W[l]`` (R, n_in, n_out), ``b[l]``
    (R, 1, n_out). ``x`` is (m, d), shared by every member, or (R, m, d), one set per member.

    This is deliberately not `MLP.forward`: that runs one network on (n, d) inputs, while
    here each layer is one batched matmul over the member axis, so a training step of R
    networks costs the ops of one. Member r's slice equals ``MLP.forward`` of member r
    (tests check it for every member).
    """
    hidden = get_activation(activation).fn
    a, it = x, iter(params)
    depth = len(bias)
    for layer, has_bias in enumerate(bias):
        z = ops.matmul(a, next(it))
        if has_bias:
            z = ops.add(z, next(it))
        a = hidden(z) if layer < depth - 1 else z
    return ops.reshape(a, a.shape[:-1])


@dataclass
class Ensemble:
    """R regression MLPs with the same architecture, trained side by side by `fit_mlps`.

    ``params`` is a list ``[W0, b0, W1, b1, ...]`` with a leading member axis: ``W`` of shape
    (R, n_in, n_out) and ``b`` of shape (R, 1, n_out), biases only for the layers whose
    ``bias`` flag is set. ``history`` is the `optim.History` of the joint run (its losses are
    sums over members; ``history.trajectory`` holds the parameters after every step when
    ``record_params=True``).
    """

    sizes: list[int]
    activation: str
    seeds: list[int]
    params: list[np.ndarray]
    history: optim.History
    bias: list[bool]

    @property
    def n_members(self) -> int:
        return len(self.seeds)

    def _inputs(self, x, where: str) -> np.ndarray:
        x = finite_array(x, where, "input")
        d = self.sizes[0]
        if x.ndim == 2 and x.shape[1] == d:
            return x
        if x.ndim == 3 and x.shape[0] == self.n_members and x.shape[2] == d:
            return x
        raise ShapeError(
            f"{where}: an Ensemble of {self.n_members} networks with {d} input(s) expects x of "
            f"shape (m, {d}) (shared) or ({self.n_members}, m, {d}) (one per member), "
            f"got {x.shape}"
        )

    def predict_with(self, params, x):
        """Outputs of every member on ``x`` using ``params`` (arrays or Tensors): shape (R, m)."""
        return stacked_forward(params, x, self.activation, self.bias)

    def predict(self, x) -> np.ndarray:
        """Every member's prediction on ``x`` ((m, d) shared or (R, m, d)): shape (R, m)."""
        return np.asarray(self.predict_with(self.params, self._inputs(x, "Ensemble.predict")))

    def losses(self, x, y, params=None) -> np.ndarray:
        """Each member's mean squared error on ``(x, y)``: shape (R,)."""
        x = self._inputs(x, "Ensemble.losses")
        pred = np.asarray(self.predict_with(self.params if params is None else params, x))
        y = finite_array(y, "Ensemble.losses", "targets")
        if y.shape not in (pred.shape[1:], pred.shape):
            raise ShapeError(
                f"Ensemble.losses: targets of shape {y.shape} for predictions of shape {pred.shape}"
            )
        return np.mean((pred - y) ** 2, axis=1)

    def loss_curves(self, x, y, every: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Each member's MSE on ``(x, y)`` along the recorded trajectory, every ``every`` steps.

        Returns ``(steps, losses)`` with ``losses`` of shape (len(steps), R); step 0 is the
        initialisation. Needs ``fit_mlps(..., record_params=True)``.
        """
        every = count("every", every, 1, "Ensemble.loss_curves")
        trajectory = self.history.trajectory
        if trajectory is None:
            raise NnlabValueError(
                "Ensemble.loss_curves: needs the trajectory: fit with record_params=True"
            )
        steps = np.arange(0, len(trajectory), every)
        return steps, np.array([self.losses(x, y, trajectory[s]) for s in steps])

    def member(self, r: int, step: int | None = None) -> MLP:
        """Member ``r`` as an ordinary `MLP` (at training step ``step`` if given)."""
        r = count("r", r, 0, "Ensemble.member")
        if r >= self.n_members:
            raise NnlabValueError(f"Ensemble.member: r must be < {self.n_members}, got {r}")
        params = self.params
        if step is not None:
            if self.history.trajectory is None:
                raise NnlabValueError(
                    "Ensemble.member: step=... needs fit_mlps(..., record_params=True)"
                )
            params = self.history.trajectory[step]
        net = MLP(self.sizes, self.activation, seed=self.seeds[r], bias=self.bias)
        flat, it = [], iter(params)
        for has_bias in self.bias:
            flat.append(np.array(next(it)[r]))
            if has_bias:
                flat.append(np.array(next(it)[r, 0]))  # stored (R, 1, n_out) to broadcast
        net.set_parameters(flat)
        return net


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
    bias: bool | Sequence[bool] = True,
) -> Ensemble:
    """Train one regression network ``MLP([d, *hidden, 1], activation, seed=s, bias=bias)``
    per seed.

    ``xs`` is (n, d) (every member sees the same data) or (R, n, d) (member r trains on its own
    set ``xs[r], ys[r]``; then ``len(seeds) == R``); ``ys`` is (n,) or (R, n). All members
    train together, full batch, for ``steps`` updates of ``optimizer`` minimising the sum of
    their mean squared errors. Since the optimizers here (gd, adam, ...) update each
    parameter from its own gradient only, member r ends exactly where training it alone would.
    """
    hidden = [hidden] if isinstance(hidden, numbers.Integral) else list(hidden)
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise NnlabValueError("fit_mlps: give at least one seed")
    xs = finite_array(xs, "fit_mlps", "inputs")
    ys = finite_array(ys, "fit_mlps", "targets")
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
    nets = [MLP(sizes, activation, seed=s, bias=bias) for s in seeds]
    flags = [b is not None for b in nets[0].b]
    params = []
    for layer, has_bias in enumerate(flags):
        params.append(np.stack([net.W[layer] for net in nets]))
        if has_bias:
            params.append(np.stack([net.b[layer][None, :] for net in nets]))

    def loss(p):
        err = stacked_forward(p, xs, activation, flags) - ys
        return ops.sum(ops.mean(err * err, axis=-1))

    history = optim.train(
        loss, params, optimizer=optimizer, lr=lr, steps=steps, record_params=record_params
    )
    params = [np.asarray(p) for p in history.params]
    return Ensemble(sizes, activation, seeds, params, history, flags)
