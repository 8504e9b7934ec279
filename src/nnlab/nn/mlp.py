"""Activations by name and multilayer perceptrons built from an architecture spec.

Weight convention (the same in every chapter): examples are rows, and layer l
computes ``z = a @ W[l] + b[l]`` with ``W[l]`` of shape ``(sizes[l], sizes[l+1])``,
so ``W[l][i, j]`` is the weight from unit ``i`` of layer ``l`` to unit ``j`` of
layer ``l + 1``. ``sizes = [2, 2, 1]`` is 2 inputs, one hidden layer of width 2
and one output: a network of depth 2 (depth counts weight layers).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..engine import ops
from ..engine.errors import NnlabTypeError, NnlabValueError, ShapeError, unknown_name
from ..engine.tensor import Tensor


@dataclass(frozen=True)
class Activation:
    """An activation: ``fn(z)`` (Tensor or array) and ``derivative(z, a)`` on arrays.

    ``fn`` is the engine's primitive, so autodiff differentiates it with the primitive
    table's own JVP and VJP rules. ``derivative`` is a second table, kept on purpose: it is
    the f'(z) that explicit backprop (`nnlab.nn.backprop`) multiplies each delta by, written
    by hand in the form a student derives it, often from the activation ``a = f(z)`` already
    cached by the forward pass (tanh' = 1 - a**2, sigmoid' = a (1 - a)). Deriving it from the
    primitive table would hide the formula backprop teaches; tests check on a grid that the
    two tables agree.
    """

    name: str
    fn: Callable
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]
    range: str


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("relu", ops.relu, lambda z, a: (z > 0).astype(z.dtype), "[0, inf)"),
        Activation("tanh", ops.tanh, lambda z, a: 1 - a * a, "(-1, 1)"),
        Activation("sigmoid", ops.sigmoid, lambda z, a: a * (1 - a), "(0, 1)"),
        Activation(
            "leaky_relu",
            ops.leaky_relu,
            lambda z, a: np.where(z > 0, 1.0, 0.01).astype(z.dtype),
            "(-inf, inf)",
        ),
        Activation("softplus", ops.softplus, lambda z, a: ops.sigmoid(z), "(0, inf)"),
        Activation("identity", lambda z: z, lambda z, a: np.ones_like(z), "(-inf, inf)"),
    ]
}
OUTPUTS = ("identity", "sigmoid", "softmax")


def get_activation(name: str) -> Activation:
    """Look up an activation by name; the error lists the valid names."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise unknown_name("get_activation", "activation", name, ACTIVATIONS) from None


def output_activation(name: str) -> Callable:
    if name == "softmax":
        return ops.softmax
    if name in ("identity", "sigmoid"):
        return ACTIVATIONS[name].fn
    raise unknown_name("MLP", "output activation", name, OUTPUTS)


def check_finite(x, where: str, what: str = "input") -> np.ndarray:
    """``x`` (array or Tensor) as an array, or an error if it holds nan or inf.

    ``where`` is the public function that was called and ``what`` names ``x`` there:
    ``check_finite(pred, "accuracy", "predictions")``.
    """
    values = np.asarray(x.value if isinstance(x, Tensor) else x)
    if values.dtype.kind in "fc" and not np.isfinite(values).all():
        bad = int(np.size(values) - np.count_nonzero(np.isfinite(values)))
        raise NnlabValueError(f"{where}: {what} contains {bad} non-finite value(s) (nan or inf)")
    return values


def _listed(value) -> list:
    """One value per layer, from any sequence; a lone number or None is a mistake worth naming."""
    try:
        return list(value)
    except TypeError:
        raise NnlabTypeError(
            f"MLP: expected a single value or a list with one per layer, got {value!r:.60}"
        ) from None


@dataclass
class ForwardPass:
    """What one forward pass computed: ``a[0] = x``, ``z[l]`` and ``a[l + 1] = f_l(z[l])``.

    ``z`` has one entry per layer (``depth`` of them), ``a`` one more: ``a[-1]`` is the
    network's output and ``a[1:-1]`` are the hidden layers' activations (the learned features).
    """

    z: list
    a: list

    @property
    def output(self):
        return self.a[-1]

    @property
    def logits(self):
        return self.z[-1]

    @property
    def hidden(self) -> list:
        return self.a[1:-1]


def _last(items):
    """The last item of an iterator, holding no earlier item meanwhile."""
    return deque(items, maxlen=1)[0]


class MLP:
    """A multilayer perceptron built from ``sizes`` (inputs, hidden widths..., outputs).

    ``activation`` names the hidden activation (one name, or one per hidden layer);
    ``output`` is ``"identity"`` (regression), ``"sigmoid"`` (binary) or ``"softmax"``.
    ``bias`` is True, False, or one flag per layer (the handout's §1.6 network has
    no hidden biases but an output bias v0: ``bias=[False, True]``). Weights are drawn with a seeded
    generator (He scaling for ReLU-like units, Glorot otherwise) and can be set
    by hand: ``net.W[0] = np.array(...)``.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Sequence[str] = "relu",
        output: str = "identity",
        seed: int = 0,
        bias: bool | Sequence[bool] = True,
        dtype=np.float64,
    ):
        sizes = list(sizes)
        if len(sizes) < 2 or not all(isinstance(n, int | np.integer) and n > 0 for n in sizes):
            raise NnlabValueError(
                f"MLP: sizes must list at least two positive integers, got {sizes}"
            )
        depth = len(sizes) - 1
        names = [activation] * (depth - 1) if isinstance(activation, str) else _listed(activation)
        if len(names) != depth - 1:
            raise NnlabValueError(
                f"MLP: {depth - 1} hidden layer(s) need {depth - 1} activation(s), got {names}"
            )
        self.hidden = [get_activation(n) for n in names]
        output_activation(output)  # validates the name
        flags = [bias] * depth if isinstance(bias, bool) else _listed(bias)
        if len(flags) != depth:
            raise NnlabValueError(f"MLP: bias needs one flag per layer ({depth}), got {flags}")
        self.sizes, self.output, self.seed, self.dtype = sizes, output, seed, np.dtype(dtype)
        self.activations = names
        rng = np.random.default_rng(seed)
        self.W, self.b = [], []
        for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            relu_like = layer < depth - 1 and names[layer] in ("relu", "leaky_relu")
            scale = np.sqrt((2.0 if relu_like else 1.0) / n_in)
            self.W.append((rng.standard_normal((n_in, n_out)) * scale).astype(self.dtype))
            self.b.append(np.zeros(n_out, dtype=self.dtype) if flags[layer] else None)

    @property
    def depth(self) -> int:
        return len(self.W)

    def parameters(self) -> list[np.ndarray]:
        """The parameters as a flat list ``[W0, b0, W1, b1, ...]`` (absent biases skipped)."""
        return [p for W, b in zip(self.W, self.b, strict=True) for p in (W, b) if p is not None]

    def set_parameters(self, params: Sequence) -> None:
        """Write a flat list in the order of `parameters` back into the network."""
        params = [np.asarray(p.value if isinstance(p, Tensor) else p) for p in params]
        expected = [p.shape for p in self.parameters()]
        if [p.shape for p in params] != expected:
            raise ShapeError(
                f"MLP.set_parameters: expected shapes {expected}, got {[p.shape for p in params]}"
            )
        it = iter(params)
        for layer in range(self.depth):
            self.W[layer] = next(it)
            if self.b[layer] is not None:
                self.b[layer] = next(it)

    @property
    def n_parameters(self) -> int:
        return int(sum(p.size for p in self.parameters()))

    def layers(self, params=None):
        """``(W, b)`` pairs taken from ``params`` (a flat list) or from the network."""
        if params is None:
            return list(zip(self.W, self.b, strict=True))
        expected = len(self.W) + sum(b is not None for b in self.b)
        if len(params) != expected:
            raise ShapeError(
                f"MLP: a network with sizes {self.sizes} has {expected} parameter arrays, "
                f"got {len(params)}"
            )
        it = iter(params)
        return [(next(it), next(it) if b is not None else None) for b in self.b]

    def check_input(self, x):
        """Raise unless ``x`` (array or Tensor) is finite with ``sizes[0]`` features."""
        values = check_finite(x, "MLP", "the MLP input")
        if values.ndim not in (1, 2) or values.shape[-1] != self.sizes[0]:
            raise ShapeError(
                f"MLP: a network with sizes {self.sizes} expects inputs of shape "
                f"(n, {self.sizes[0]}) "
                f"or ({self.sizes[0]},), got {values.shape}"
            )

    def layer_outputs(self, x, params=None):
        """The one forward pass, layer by layer: yields ``(z[l], a[l + 1])`` for each layer.

        ``a[0] = x``; for each layer ``l``, ``z[l] = a[l] @ W[l] + b[l]`` and
        ``a[l + 1] = f_l(z[l])``, the last ``f`` being the output unit. ``x`` and ``params``
        may be arrays or Tensors (then every entry is a Tensor and gradients flow). Nothing is
        kept here, so a caller that needs only the output (`apply`, `logits`) holds one layer
        at a time, which is what lets forward-mode autodiff run in constant memory.
        """
        self.check_input(x)
        a = x
        layers = self.layers(params)
        last = len(layers) - 1
        for layer, (W, b) in enumerate(layers):
            # ops (not bare @, +) so a wrong shape set by hand gets a ShapeError naming the op.
            z = ops.matmul(a, W) if b is None else ops.affine(a, W, b)
            unit = output_activation(self.output) if layer == last else self.hidden[layer].fn
            a = unit(z)
            yield z, a

    def forward(self, x, params=None) -> ForwardPass:
        """The forward pass with every layer's ``z[l]`` and ``a[l]`` kept (see `layer_outputs`)."""
        z, a = [], [x]
        for z_l, a_next in self.layer_outputs(x, params):
            z.append(z_l)
            a.append(a_next)
        return ForwardPass(z, a)

    def logits(self, x, params=None):
        """The last layer's pre-activation z_L (what the output activation is applied to)."""
        z_last, _ = _last(self.layer_outputs(x, params))
        return z_last

    def apply(self, params, x):
        """The network's output on ``x`` with parameters ``params`` (Tensors or arrays)."""
        _, output = _last(self.layer_outputs(x, params))
        return output

    def __call__(self, x):
        return self.apply(None, x)

    def spec(self) -> dict:
        """The architecture as data: enough to redraw the graph or rebuild the network."""
        return {
            "sizes": list(self.sizes),
            "activation": list(self.activations),
            "output": self.output,
            "bias": [b is not None for b in self.b],
        }

    def __repr__(self) -> str:
        hidden = ",".join(self.activations) or "-"
        return (
            f"MLP(sizes={self.sizes}, activation={hidden}, output={self.output}, "
            f"params={self.n_parameters})"
        )
