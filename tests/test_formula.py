"""Tests for nnlab.course.formula: spec -> LaTeX and formula -> spec."""

import numpy as np
import pytest

import nnlab
from nnlab.course import formula as F


def test_latex_for_section16_network():
    net = nnlab.MLP([2, 2, 1], activation="relu", output="sigmoid", bias=[False, True])
    assert F.latex_layers(net) == [
        r"a_{1} = \mathrm{ReLU}\left(x W_{0}\right)",
        r"\hat{y} = \sigma\left(a_{1} W_{1} + b_{1}\right)",
    ]
    s = F.latex_scalar(net, names="handout")
    assert s.startswith(r"\hat{y} = \sigma\left(v_{0} + v_{1}\,\mathrm{ReLU}")
    assert r"w_{11}\,x_{1} + w_{21}\,x_{2}" in s and r"w_{12}\,x_{1} + w_{22}\,x_{2}" in s
    assert "b_{" not in s  # no hidden biases


def test_composed_and_generic_scalar():
    net = nnlab.MLP([2, 2, 3, 1], activation=["relu", "tanh"], output="identity")
    c = F.latex_composed(net)
    assert c.count(r"\mathrm{ReLU}") == 1 and c.count(r"\tanh") == 1 and r"\sigma" not in c
    s = F.latex_scalar(net)
    assert s.count(r"\tanh") == 3 and s.count(r"\mathrm{ReLU}") == 3 * 2
    # Layers counted from 0 as in net.W (the third weight layer is W[2]), units from 1.
    assert "w^{(2)}_{31}" in s and "w^{(0)}_{11}" in s and "w^{(3)}" not in s
    assert c == (
        r"\hat{y} = \tanh\left(\mathrm{ReLU}\left(x W_{0} + b_{0}\right) W_{1} + b_{1}\right)"
        r" W_{2} + b_{2}"
    )


def test_round_trip_spec_formula_spec():
    for net in [
        nnlab.MLP([2, 2, 3, 1], output="sigmoid"),
        nnlab.MLP([3, 4, 2], activation="tanh", output="softmax", bias=[False, True]),
    ]:
        spec = net.spec()
        x = "x"
        acts = [*spec["activation"], spec["output"]]
        for layer, act in enumerate(acts):
            lin = f"{x} @ W{layer}" + (f" + b{layer}" if spec["bias"][layer] else "")
            x = lin if act == "identity" else f"{act}({lin})"
        shapes = {f"W{k}": w.shape for k, w in enumerate(net.W)}
        assert F.formula_to_spec(x, shapes) == spec
        rebuilt = nnlab.MLP(**F.formula_to_spec(x, shapes))
        assert rebuilt.n_parameters == net.n_parameters


@pytest.mark.parametrize(
    "text, shapes, match",
    [
        ("relu(x @ W0", {"W0": (2, 2)}, "cannot parse"),
        ("cos(x @ W0)", {"W0": (2, 2)}, "unknown function"),
        ("sigmoid(x @ W0)", {}, "no entry"),
        ("sigmoid(relu(x @ W0) @ W1)", {"W0": (2, 3), "W1": (2, 1)}, "rows"),
        ("sigmoid(softmax(x @ W0) @ W1)", {"W0": (2, 3), "W1": (3, 1)}, "hidden"),
        ("relu(x * W0)", {"W0": (2, 2)}, "input @ W"),
    ],
)
def test_formula_errors(text, shapes, match):
    with pytest.raises(ValueError, match=match):
        F.formula_to_spec(text, shapes)


def test_latex_scalar_rejects_multi_output_and_bad_names():
    with pytest.raises(ValueError, match="one-output"):
        F.latex_scalar(nnlab.MLP([2, 3, 2]))
    with pytest.raises(ValueError, match="names"):
        F.latex_scalar(nnlab.MLP([2, 3, 1]), names="greek")
    assert np.isfinite(nnlab.MLP([2, 3, 1]).n_parameters)


def test_weight_names_count_layers_from_zero_like_latex_scalar():
    net = nnlab.MLP([3, 4, 2, 1], activation=["relu", "tanh"], output="sigmoid")
    names = F.weight_names(net)
    assert len(names) == sum(w.size for w in net.W)
    assert names[(0, 0, 0)] == "$w^{(0)}_{11}$" and names[(2, 1, 0)] == "$w^{(2)}_{21}$"
    scalar = F.latex_scalar(net)
    assert all(name.strip("$") in scalar for name in names.values())
    assert F.weight_names([2, 1]) == {(0, 0, 0): "$w_{11}$", (0, 1, 0): "$w_{21}$"}
    with pytest.raises(ValueError, match="weight_names: "):
        F.weight_names([3])
