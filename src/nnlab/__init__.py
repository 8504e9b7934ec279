"""nnlab: a small numpy engine for learning how neural networks compute and learn.

The package is in layers, each importing only the ones before it:
``engine`` (autodiff over one primitive table) <- ``nn`` (MLP, losses, backprop,
optimisers, data, metrics) <- ``course`` (helpers the chapters share) <- ``plots``
(matplotlib) <- ``widgets`` (ipywidgets). This module re-exports the everyday names
of the first two. Weight convention everywhere: a layer computes
``z = a @ W + b`` with examples as rows, so ``W[i, j]`` connects unit ``i`` of
the previous layer to unit ``j`` of the next.
"""

from .engine import gradcheck, primitives
from .engine.autodiff import JacobianResult, grad, jacobian, jvp, value_and_grad, vjp
from .engine.errors import (
    DivergenceError,
    NnlabError,
    NnlabIndexError,
    NnlabTypeError,
    NnlabValueError,
    NotDifferentiableError,
    ShapeError,
)
from .engine.gradcheck import check_grads
from .engine.ops import (
    abs,
    add,
    affine,
    divide,
    exp,
    leaky_relu,
    log,
    logsumexp,
    matmul,
    maximum,
    mean,
    multiply,
    negative,
    power,
    relu,
    reshape,
    sigmoid,
    softmax,
    softplus,
    subtract,
    sum,
    tanh,
    transpose,
    where,
)
from .engine.tensor import Tensor
from .engine.trace import Graph, trace
from .engine.trees import tree_map

# The network layer is loaded on first use, so that importing the engine alone
# (``import nnlab.engine``) does not load the layers built on it.
_FROM_NN = {
    "backprop": "nnlab.nn.backprop",
    "data": "nnlab.nn.data",
    "losses": "nnlab.nn.losses",
    "optim": "nnlab.nn.optim",
    "metrics": "nnlab.nn.metrics",
    "binary_cross_entropy": "nnlab.nn.losses",
    "binary_cross_entropy_with_logits": "nnlab.nn.losses",
    "get_loss": "nnlab.nn.losses",
    "mse": "nnlab.nn.losses",
    "one_hot": "nnlab.nn.losses",
    "softmax_cross_entropy": "nnlab.nn.losses",
    "ACTIVATIONS": "nnlab.nn.mlp",
    "MLP": "nnlab.nn.mlp",
    "ForwardPass": "nnlab.nn.mlp",
    "fit": "nnlab.nn.fit",
    "train_classifier": "nnlab.nn.fit",
    "get_activation": "nnlab.nn.mlp",
}
_MODULES = {"backprop", "data", "losses", "metrics", "optim"}


def __getattr__(name: str):
    if name in _FROM_NN:
        import importlib

        module = importlib.import_module(_FROM_NN[name])
        value = module if name in _MODULES else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nnlab' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_FROM_NN))


__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "ForwardPass",
    "MLP",
    "fit",
    "metrics",
    "train_classifier",
    "backprop",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "check_grads",
    "data",
    "get_activation",
    "get_loss",
    "losses",
    "mse",
    "one_hot",
    "optim",
    "softmax_cross_entropy",
    "DivergenceError",
    "Graph",
    "JacobianResult",
    "NnlabError",
    "NnlabIndexError",
    "NnlabTypeError",
    "NnlabValueError",
    "NotDifferentiableError",
    "ShapeError",
    "Tensor",
    "abs",
    "add",
    "affine",
    "divide",
    "exp",
    "grad",
    "gradcheck",
    "jacobian",
    "jvp",
    "leaky_relu",
    "log",
    "logsumexp",
    "matmul",
    "maximum",
    "mean",
    "multiply",
    "negative",
    "power",
    "primitives",
    "relu",
    "reshape",
    "sigmoid",
    "softmax",
    "softplus",
    "subtract",
    "sum",
    "tanh",
    "trace",
    "transpose",
    "tree_map",
    "value_and_grad",
    "vjp",
    "where",
]
