"""The autodiff engine: numpy only, and it knows nothing of networks.

One table of primitives (`primitives`: value, VJP and JVP of each op) is read by everything
here: `tensor` has the two kinds of node (a `Tensor` records a reverse-mode graph, a `JVPTensor`
carries its tangent and records nothing), `autodiff` walks recorded graphs (`grad`, `vjp`) or
streams tangents forward (`jvp`, `jacobian(mode="forward")`), `trace` keeps a whole graph for
teaching, and `gradcheck` compares all of them with central differences.
"""

from . import gradcheck, ops, primitives
from .autodiff import JacobianResult, grad, jacobian, jvp, value_and_grad, vjp
from .errors import (
    DivergenceError,
    GradCheckError,
    NnlabError,
    NnlabIndexError,
    NnlabTypeError,
    NnlabValueError,
    NotDifferentiableError,
    ShapeError,
)
from .gradcheck import check_grads
from .tensor import JVPTensor, Tensor
from .trace import Graph, trace
from .trees import tree_leaves, tree_map

__all__ = [
    "DivergenceError",
    "GradCheckError",
    "Graph",
    "JVPTensor",
    "JacobianResult",
    "NnlabError",
    "NnlabIndexError",
    "NnlabTypeError",
    "NnlabValueError",
    "NotDifferentiableError",
    "ShapeError",
    "Tensor",
    "check_grads",
    "grad",
    "gradcheck",
    "jacobian",
    "jvp",
    "ops",
    "primitives",
    "trace",
    "tree_leaves",
    "tree_map",
    "value_and_grad",
    "vjp",
]
