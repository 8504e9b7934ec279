"""The autodiff engine: numpy only, and it knows nothing of networks.

One table of primitives (`primitives`: value, VJP and JVP of each op) is read by everything
here: `tensor` records reverse-mode graphs, `autodiff` walks them (`grad`, `vjp`) or streams
tangents forward (`jvp`, `jacobian(mode="forward")`), `trace` keeps a whole graph for teaching,
and `gradcheck` compares all of them with central differences.
"""

from . import gradcheck, ops, primitives
from .autodiff import JacobianResult, grad, jacobian, jvp, value_and_grad, vjp
from .errors import DivergenceError, NnlabError, ShapeError
from .gradcheck import check_grads
from .tensor import Tensor
from .trace import Graph, trace
from .trees import tree_leaves, tree_map

__all__ = [
    "DivergenceError",
    "Graph",
    "JacobianResult",
    "NnlabError",
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
