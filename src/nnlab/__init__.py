"""nnlab: a small numpy engine for learning how neural networks compute and learn.

Reverse and forward mode share one table of primitives (`nnlab.primitives`);
layers, losses, explicit backprop, optimizers, gradient checks and toy data
sets are built on top. Weight convention everywhere: a layer computes
``z = a @ W + b`` with examples as rows, so ``W[i, j]`` connects unit ``i`` of
the previous layer to unit ``j`` of the next.
"""

from . import backprop, data, gradcheck, losses, optim, primitives
from .autodiff import JacobianResult, grad, jacobian, jvp, tree_map, value_and_grad, vjp
from .errors import DivergenceError, NnlabError, ShapeError
from .gradcheck import check_grads
from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    get_loss,
    mse,
    one_hot,
    softmax_cross_entropy,
)
from .nn import ACTIVATIONS, MLP, get_activation
from .ops import (
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
)
from .tensor import Tensor
from .trace import Graph, trace

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "MLP",
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
]
