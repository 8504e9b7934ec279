"""Between a network's picture and its formula: spec -> LaTeX, and formula -> spec.

Conventions are the book's (intro, "one layer-index scheme"): examples are rows, layers are
numbered from 0 as in the code, and layer ``l`` computes ``a_{l+1} = act(a_l W_l + b_l)``
with ``a_0 = x``; ``W_l`` is the engine's ``net.W[l]`` and ``W_l[i, j]`` joins unit ``i`` to
unit ``j`` of the next layer. Scalar formulas name weights ``w^{(l)}_{ij}`` with the layer
``l`` counted from 0 and the unit subscripts from 1, like the inputs ``x_1, x_2``
(``w^{(0)}_{12}`` is ``W[0][0, 1]``), or, with ``names="handout"`` for a network with one
hidden layer and one output, ``w_{ij}`` (inputs to hidden), ``v_j`` (hidden to output) and
``v_0`` (output bias) as in the handout's §1.6.
"""

from __future__ import annotations

import ast

from ..engine.errors import NnlabValueError
from .architecture import normalize_spec

__all__ = [
    "ACT_LATEX",
    "latex_layers",
    "latex_composed",
    "latex_scalar",
    "formula_to_spec",
    "weight_names",
]

ACT_LATEX = {
    "relu": r"\mathrm{ReLU}",
    "tanh": r"\tanh",
    "sigmoid": r"\sigma",
    "softmax": r"\mathrm{softmax}",
    "leaky_relu": r"\mathrm{LeakyReLU}",
    "softplus": r"\mathrm{softplus}",
    "identity": "",
}


def _spec(spec, where: str) -> dict:
    info = normalize_spec(spec, where)
    depth = len(info["sizes"]) - 1
    if info["activation"] is None:
        raise NnlabValueError(
            f"{where}: the spec needs hidden activations (an MLP or a dict like MLP.spec())"
        )
    if info["output"] is None:
        info["output"] = "identity"
    if len(info["activation"]) != depth - 1:
        raise NnlabValueError(
            f"{where}: {depth - 1} hidden layer(s) need {depth - 1} activation(s)"
        )
    return info


def _apply(act: str, inner: str) -> str:
    name = ACT_LATEX[act]
    return inner if not name else rf"{name}\left({inner}\right)"


def latex_layers(spec) -> list[str]:
    """One matrix-form equation per weight layer, e.g. ``a_1 = ReLU(x W_0)``.

    Weight layers are numbered from 0, as in the code: ``W_0`` is the engine's ``net.W[0]``,
    and layer ``l`` maps ``a_l`` (``a_0 = x``) to ``a_{l+1}`` (the last one is ``y-hat``).
    """
    info = _spec(spec, "latex_layers")
    depth = len(info["sizes"]) - 1
    acts = [*info["activation"], info["output"]]
    out, prev = [], "x"
    for layer in range(depth):
        target = r"\hat{y}" if layer == depth - 1 else f"a_{{{layer + 1}}}"
        lin = f"{prev} W_{{{layer}}}" + (f" + b_{{{layer}}}" if info["bias"][layer] else "")
        out.append(f"{target} = {_apply(acts[layer], lin)}")
        prev = target
    return out


def latex_composed(spec) -> str:
    """The whole network as one nested formula, e.g. ``y = sigma(ReLU(x W_0) W_1 + b_1)``."""
    info = _spec(spec, "latex_composed")
    depth = len(info["sizes"]) - 1
    acts = [*info["activation"], info["output"]]
    expr = "x"
    for layer in range(depth):
        lin = f"{expr} W_{{{layer}}}" + (f" + b_{{{layer}}}" if info["bias"][layer] else "")
        expr = _apply(acts[layer], lin)
    return rf"\hat{{y}} = {expr}"


def latex_scalar(spec, names: str = "generic") -> str:
    """The unit-by-unit formula (small networks with one output), every weight written out.

    Generic names: ``w^{(l)}_{ij}`` is ``W[l][i-1, j-1]`` and ``b^{(l)}_j`` is ``b[l][j-1]``
    (layer from 0, units from 1; no superscript for a single layer).
    """
    info = _spec(spec, "latex_scalar")
    sizes, bias = info["sizes"], info["bias"]
    depth = len(sizes) - 1
    if sizes[-1] != 1:
        raise NnlabValueError(f"latex_scalar: writes one-output networks only, got sizes {sizes}")
    if names not in ("generic", "handout"):
        raise NnlabValueError(f"latex_scalar: names must be 'generic' or 'handout', got {names!r}")
    if names == "handout" and depth != 2:
        raise NnlabValueError(
            "latex_scalar: names='handout' needs one hidden layer (sizes [n_in, width, 1])"
        )
    acts = [*info["activation"], info["output"]]

    def weight(layer, i, j):
        if names == "handout":
            return f"w_{{{i + 1}{j + 1}}}" if layer == 0 else f"v_{{{i + 1}}}"
        sup = "" if depth == 1 else f"^{{({layer})}}"
        return f"w{sup}_{{{i + 1}{j + 1}}}"

    def bias_name(layer, j):
        if names == "handout":
            return f"b_{{{j + 1}}}" if layer == 0 else "v_{0}"
        sup = "" if depth == 1 else f"^{{({layer})}}"
        return f"b{sup}_{{{j + 1}}}"

    units = [f"x_{{{i + 1}}}" for i in range(sizes[0])]
    for layer in range(depth):
        new = []
        for j in range(sizes[layer + 1]):
            terms = [bias_name(layer, j)] if bias[layer] else []
            terms += [f"{weight(layer, i, j)}\\,{u}" for i, u in enumerate(units)]
            new.append(_apply(acts[layer], " + ".join(terms)))
        units = new
    return rf"\hat{{y}} = {units[0]}"


def weight_names(spec) -> dict[tuple[int, int, int], str]:
    """Edge labels ``{(l, i, j): "$w^{(l)}_{ij}$"}`` for every weight, as `latex_scalar` names them.

    Layer ``l`` is counted from 0 (it is ``W[l]``) and units from 1, so the label of
    ``W[l][i, j]`` is ``w^{(l)}_{i+1, j+1}``; a network with one weight layer gets no
    superscript. Ready for ``plots.network.draw_network(spec, edge_labels=...)``.
    """
    sizes = normalize_spec(spec, "weight_names")["sizes"]
    depth = len(sizes) - 1
    names = {}
    for layer in range(depth):
        sup = "" if depth == 1 else f"^{{({layer})}}"
        for i in range(sizes[layer]):
            for j in range(sizes[layer + 1]):
                names[(layer, i, j)] = f"$w{sup}_{{{i + 1}{j + 1}}}$"
    return names


_ACT_NAMES = ("relu", "tanh", "sigmoid", "softmax", "leaky_relu", "softplus", "identity")


def formula_to_spec(text: str, shapes: dict[str, tuple[int, int]]) -> dict:
    """Read a matrix-form formula back into an architecture spec (the picture's data).

    ``text`` is Python-like: ``"sigmoid(relu(x @ W0) @ W1 + b1)"``: activation calls,
    ``@`` for a weight matrix and ``+`` for a bias. ``shapes`` gives each weight
    matrix's ``(n_in, n_out)``. The result is a dict like ``MLP.spec()``, ready for
    ``draw_network`` or ``MLP(**spec)``.
    """
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as err:
        raise NnlabValueError(
            f"formula_to_spec: cannot parse formula {text!r}: {err.msg}"
        ) from None
    layers = []  # from the output inwards: (activation, weight name, has bias)

    def layer_of(node):
        act = "identity"
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in _ACT_NAMES):
                raise NnlabValueError(
                    f"formula_to_spec: unknown function in formula: {ast.unparse(node.func)}"
                )
            if len(node.args) != 1:
                raise NnlabValueError(f"formula_to_spec: {node.func.id}(...) takes one argument")
            act, node = node.func.id, node.args[0]
        has_bias = False
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            if not isinstance(node.right, ast.Name):
                raise NnlabValueError(
                    f"formula_to_spec: expected '... + bias name', got {ast.unparse(node)}"
                )
            has_bias, node = True, node.left
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult)):
            raise NnlabValueError(f"formula_to_spec: expected 'input @ W', got {ast.unparse(node)}")
        if not isinstance(node.right, ast.Name):
            raise NnlabValueError(
                f"formula_to_spec: expected a weight name after '@', got {ast.unparse(node.right)}"
            )
        return act, node.right.id, has_bias, node.left

    node = tree
    while not (isinstance(node, ast.Name) and node.id == "x"):
        act, w, has_bias, node = layer_of(node)
        layers.append((act, w, has_bias))
    layers.reverse()
    missing = [w for _, w, _ in layers if w not in shapes]
    if missing:
        raise NnlabValueError(f"formula_to_spec: shapes has no entry for weight(s) {missing}")
    sizes = [int(shapes[layers[0][1]][0])]
    for _, w, _ in layers:
        n_in, n_out = shapes[w]
        if n_in != sizes[-1]:
            raise NnlabValueError(
                f"formula_to_spec: {w} has {n_in} rows but the layer before has {sizes[-1]} units"
            )
        sizes.append(int(n_out))
    hidden = [a for a, _, _ in layers[:-1]]
    bad = [a for a in hidden if a in ("softmax", "identity")]
    if bad:
        raise NnlabValueError(
            "formula_to_spec: hidden activations must be nonlinear elementwise functions, got "
            f"{bad}"
        )
    output = layers[-1][0]
    if output not in ("identity", "sigmoid", "softmax"):
        raise NnlabValueError(
            f"formula_to_spec: output activation must be identity, sigmoid or softmax, got {output}"
        )
    return {
        "sizes": sizes,
        "activation": hidden,
        "output": output,
        "bias": [b for _, _, b in layers],
    }
