"""A forward pass in matrix form, by hand: every z_l and a_l of a small MLP, and the usual slips.

Chapter 2's 2-3-1 exercise and self-check. Conventions are the book's: ``a_0 = x`` (one
example, a row), ``z_l = a_l W_l + b_l`` and ``a_{l+1} = phi(z_l)`` for ``l = 0..D-1``, the
output unit last; ``W[l]`` has shape ``(n_l, n_{l+1})``. The hand computation uses numpy
only, and `forward_by_hand` compares it with `nnlab.MLP` carrying the same weights.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..engine.errors import NnlabValueError, ShapeError
from ..nn.mlp import MLP
from .grading import Mistake, distinct_mistakes

__all__ = ["forward_by_hand", "forward_table_text", "forward_mistakes"]

_HIDDEN = {
    "relu": lambda t: np.maximum(t, 0.0),
    "tanh": np.tanh,
    "identity": lambda t: t,
}
_OUTPUT = {
    "sigmoid": lambda t: 1.0 / (1.0 + np.exp(-t)),
    "identity": lambda t: t,
}


def _arrays(W: Sequence, b: Sequence, x, where: str):
    """W and b as float arrays (b[l] may be None), x as a row; shapes checked layer by layer."""
    if len(W) == 0 or len(W) != len(b):
        raise NnlabValueError(
            f"{where}: need one bias entry (array or None) per weight matrix, "
            f"got {len(W)} matrices and {len(b)} biases"
        )
    Ws = [np.asarray(w, dtype=np.float64) for w in W]
    bs = [None if v is None else np.asarray(v, dtype=np.float64) for v in b]
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    width = x.size
    for layer, (w, v) in enumerate(zip(Ws, bs, strict=True)):
        if w.ndim != 2 or w.shape[0] != width:
            raise ShapeError(f"{where}: W[{layer}] must have shape ({width}, n_out), got {w.shape}")
        if v is not None and v.shape != (w.shape[1],):
            raise ShapeError(f"{where}: b[{layer}] must have shape ({w.shape[1]},), got {v.shape}")
        width = w.shape[1]
    if width != 1:
        raise ShapeError(f"{where}: the last layer must have one output, got {width}")
    return Ws, bs, x


def _names(hidden: str, output: str, where: str):
    if hidden not in _HIDDEN:
        raise NnlabValueError(f"{where}: hidden must be one of {sorted(_HIDDEN)}, got {hidden!r}")
    if output not in _OUTPUT:
        raise NnlabValueError(f"{where}: output must be one of {sorted(_OUTPUT)}, got {output!r}")


def _forward(Ws, bs, x, hidden: str, output: str, *, relu=True, hidden_bias=True):
    """z_l and a_l lists; ``relu=False`` or ``hidden_bias=False`` make the usual slips."""
    a, zs, acts = x, [], [x]
    last = len(Ws) - 1
    for layer, (w, v) in enumerate(zip(Ws, bs, strict=True)):
        z = a @ w
        if v is not None and (hidden_bias or layer == last):
            z = z + v
        if layer == last:
            a = _OUTPUT[output](z)
        else:
            a = _HIDDEN[hidden](z) if relu or hidden != "relu" else z
        zs.append(z)
        acts.append(a)
    return zs, acts


def forward_by_hand(W: Sequence, b: Sequence, x, hidden: str = "relu", output: str = "sigmoid"):
    """Every step of one example's forward pass, by numpy, next to the engine's output.

    ``W[l]`` of shape ``(n_l, n_{l+1})``, ``b[l]`` of shape ``(n_{l+1},)`` or None, ``x`` of
    shape ``(n_0,)``; one output unit. Returns ``{"z": [z_0, ...], "a": [a_0 = x, ...,
    a_D], "y_hat": float, "engine": float}``, the engine being `nnlab.MLP` with these weights.
    """
    where = "forward_by_hand"
    _names(hidden, output, where)
    Ws, bs, x = _arrays(W, b, x, where)
    zs, acts = _forward(Ws, bs, x, hidden, output)
    sizes = [Ws[0].shape[0], *(w.shape[1] for w in Ws)]
    net = MLP(sizes, activation=hidden, output=output, bias=[v is not None for v in bs])
    net.set_parameters([p for w, v in zip(Ws, bs, strict=True) for p in (w, v) if p is not None])
    return {
        "z": zs,
        "a": acts,
        "y_hat": float(acts[-1][0]),
        "engine": float(net(x[None, :])[0, 0]),
    }


def forward_table_text(r: dict) -> str:
    """`forward_by_hand` as fixed-precision text: one line per z_l and a_l."""

    def row(v):
        return "(" + ", ".join(f"{t:+.4f}" for t in np.ravel(v)) + ")"

    lines = [f"{'a_0 = x':<22s}= {row(r['a'][0])}"]
    depth = len(r["z"])
    for layer in range(depth):
        lines.append(f"{f'z_{layer} = a_{layer} W_{layer} + b_{layer}':<22s}= {row(r['z'][layer])}")
        name = "y_hat" if layer == depth - 1 else f"a_{layer + 1}"
        lines.append(f"{f'{name} = phi(z_{layer})':<22s}= {row(r['a'][layer + 1])}")
    agree = "yes" if math.isclose(r["y_hat"], r["engine"], rel_tol=1e-12, abs_tol=1e-12) else "NO"
    lines.append(f"{'engine net(x)':<22s}= {r['engine']:.6f}   (agree: {agree})")
    return "\n".join(lines)


def forward_mistakes(
    W: Sequence, b: Sequence, x, hidden: str = "relu", output: str = "sigmoid"
) -> list[Mistake]:
    """The usual wrong y-hats for this network and input, each with its hint.

    Only mistakes whose value differs from the answer and from each other (beyond the
    grading tolerance) are kept, so every hint can be reached.
    """
    where = "forward_mistakes"
    _names(hidden, output, where)
    Ws, bs, x = _arrays(W, b, x, where)
    zs, acts = _forward(Ws, bs, x, hidden, output)
    answer = float(acts[-1][0])
    logit = float(zs[-1][0])
    candidates = []
    if hidden == "relu":
        _, no_relu = _forward(Ws, bs, x, hidden, output, relu=False)
        candidates.append(
            (
                float(no_relu[-1][0]),
                "You kept negative hidden pre-activations: ReLU turns them into 0 first.",
            )
        )
    if output == "sigmoid":
        candidates.append((logit, "That is the output logit z; y-hat applies the sigmoid to it."))
        if bs[-1] is not None:
            outside = _OUTPUT["sigmoid"](logit - bs[-1][0]) + bs[-1][0]
            candidates.append(
                (
                    float(outside),
                    "You added the output bias after the sigmoid (eq. (3) read literally); "
                    "it belongs inside.",
                )
            )
    if any(v is not None for v in bs[:-1]):
        _, no_bias = _forward(Ws, bs, x, hidden, output, hidden_bias=False)
        candidates.append(
            (float(no_bias[-1][0]), "You left out the hidden biases b_0: z_0 = x W_0 + b_0.")
        )
    return distinct_mistakes(answer, candidates)
