"""The traced graph of the handout's Figure 2, e = (a + b) * (b + 1) at a = 2, b = 1."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab.engine.errors import NnlabIndexError


def figure2(a, b):
    c = (a + b).named("c")
    d = (b + 1).named("d")
    return (c * d).named("e")


@pytest.fixture
def graph():
    return nnlab.trace(figure2, 2.0, 1.0, names=["a", "b"])


def column(values):
    return [float(np.asarray(v)) for v in values]


def test_nodes_inputs_first_in_evaluation_order(graph):
    assert [n.name for n in graph.nodes] == ["a", "b", "c", "d", "e"]
    assert [n.op for n in graph.nodes] == ["input", "input", "add", "add", "mul"]
    assert [n.index for n in graph.nodes] == [0, 1, 2, 3, 4]
    assert graph.inputs == [0, 1]
    assert graph.output == 4
    assert len(graph) == 5
    # Parents by position: c = a + b, d = b + 1 (the constant is not a node), e = c * d.
    assert [n.parents for n in graph.nodes] == [(), (), (0, 1), (1,), (2, 3)]


def test_values(graph):
    assert column(n.value for n in graph.nodes) == [2.0, 1.0, 3.0, 2.0, 6.0]
    assert float(graph["c"].value) == 3.0
    assert float(graph["d"].value) == 2.0
    assert float(graph["e"].value) == 6.0


def test_forward_tangents_seeded_at_b(graph):
    assert column(graph.tangents("b")) == [0.0, 1.0, 1.0, 1.0, 5.0]
    assert column(graph.tangents(1)) == [0.0, 1.0, 1.0, 1.0, 5.0]


def test_forward_tangents_seeded_at_a(graph):
    assert column(graph.tangents("a")) == [1.0, 0.0, 1.0, 0.0, 2.0]
    assert column(graph.tangents()) == [1.0, 0.0, 1.0, 0.0, 2.0]  # default: the first input


def test_tangent_direction_scales_linearly(graph):
    assert column(graph.tangents("b", direction=3.0)) == [0.0, 3.0, 3.0, 3.0, 15.0]


def test_reverse_adjoints(graph):
    # de/da = 2, de/db = 5, de/dc = d = 2, de/dd = c = 3, de/de = 1.
    assert column(graph.adjoints()) == [2.0, 5.0, 2.0, 3.0, 1.0]
    assert column(graph.adjoints(seed=2.0)) == [4.0, 10.0, 4.0, 6.0, 2.0]


def test_both_modes_give_the_same_input_derivatives(graph):
    adjoints = graph.adjoints()
    assert float(graph.tangents("a")[graph.output]) == float(adjoints[0])
    assert float(graph.tangents("b")[graph.output]) == float(adjoints[1])
    ga, gb = nnlab.grad(figure2, argnums=(0, 1))(2.0, 1.0)
    assert (float(ga), float(gb)) == (2.0, 5.0)


def test_table_contains_the_numbers(graph):
    table = graph.table(wrt="b")
    lines = table.splitlines()
    assert len(lines) == 1 + 5
    assert lines[0].split() == ["node", "op", "parents", "value", "tangent", "adjoint"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["a"] == ["a", "input", "-", "2.0000", "0.0000", "2.0000"]
    assert rows["b"] == ["b", "input", "-", "1.0000", "1.0000", "5.0000"]
    assert rows["c"] == ["c", "add", "a,b", "3.0000", "1.0000", "2.0000"]
    assert rows["d"] == ["d", "add", "b", "2.0000", "1.0000", "3.0000"]
    assert rows["e"] == ["e", "mul", "c,d", "6.0000", "5.0000", "1.0000"]
    # Seeded at a, the tangent column changes and the adjoints do not.
    tangents_a = [line.split()[4] for line in graph.table(wrt="a").splitlines()[1:]]
    assert tangents_a == ["1.0000", "0.0000", "1.0000", "0.0000", "2.0000"]
    assert "6.00" in graph.table(precision=2).splitlines()[-1].split()


def test_default_names_and_lookup_errors():
    g = nnlab.trace(lambda x, y: nnlab.tanh(x * y), 0.5, 2.0)
    assert [n.name for n in g.nodes] == ["x0", "x1", "v2", "v3"]
    assert [n.op for n in g.nodes] == ["input", "input", "mul", "tanh"]
    with pytest.raises(NnlabIndexError, match="^Graph: no node named 'c'; nodes: x0, x1, v2, v3"):
        g["c"]
    assert isinstance(NnlabIndexError("x"), LookupError)


def test_inputs_the_output_ignores_are_still_listed():
    g = nnlab.trace(lambda x, y: x * 2.0, 1.0, 5.0, names=["x", "y"])
    assert [n.name for n in g.nodes] == ["x", "y", "v2"]
    assert column(g.adjoints()) == [2.0, 0.0, 1.0]
    assert column(g.tangents("y")) == [0.0, 1.0, 0.0]


def test_shared_subexpression_is_one_node():
    def f(x):
        h = nnlab.tanh(x).named("h")
        return (h * h + h).named("out")

    g = nnlab.trace(f, 0.3, names=["x"])
    assert [n.name for n in g.nodes].count("h") == 1
    h = np.tanh(0.3)
    dout_dh = 2 * h + 1
    assert float(g.adjoints()[g["h"].index]) == pytest.approx(dout_dh, rel=1e-15)
    assert float(g.adjoints()[0]) == pytest.approx(dout_dh * (1 - h * h), rel=1e-14)


def test_vector_inputs():
    g = nnlab.trace(lambda w, x: nnlab.sum(w * x), np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    np.testing.assert_array_equal(g.adjoints()[0], [3.0, 4.0])
    np.testing.assert_array_equal(g.adjoints()[1], [1.0, 2.0])
    assert float(g.tangents(0)[g.output]) == 7.0  # all-ones direction: 3 + 4


def test_edge_derivatives_of_the_figure_2_graph():
    def e(a, b):
        return ((a + b).named("c") * (b + 1).named("d")).named("e")

    g = nnlab.trace(e, 2.0, 1.0, names=["a", "b"])
    idx = {node.name: node.index for node in g.nodes}
    local = g.edge_derivatives()
    expected = {("a", "c"): 1, ("b", "c"): 1, ("b", "d"): 1, ("c", "e"): 2, ("d", "e"): 3}
    assert local == {(idx[p], idx[c]): float(v) for (p, c), v in expected.items()}


def test_edge_derivatives_need_scalar_nodes():
    g = nnlab.trace(lambda x: nnlab.sum(x * x), np.ones(3))
    with pytest.raises(ValueError, match="scalar"):
        g.edge_derivatives()
