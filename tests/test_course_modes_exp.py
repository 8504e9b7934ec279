"""The non-linear hand graph g = exp(x y)(x + y) of chapter 9 (nnlab.course.modes.exp_graph):
its edge derivatives, tangents and adjoints against the calculus and central differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnlab.course import modes
from nnlab.engine.errors import NnlabValueError
from nnlab.engine.gradcheck import numerical_grad

POINTS = [(0.5, 1.0), (1.0, -0.5), (-1.2, 0.3), (0.0, 2.0)]


def analytic_gradient(x, y):
    """d/dx and d/dy of exp(x y)(x + y), by the product rule."""
    e = math.exp(x * y)
    return e * (y * (x + y) + 1), e * (x * (x + y) + 1)


@pytest.mark.parametrize("x, y", POINTS)
def test_edge_derivatives_follow_the_local_rules(x, y):
    g = modes.exp_graph(x, y)
    edges = {(g.nodes[c].name, g.nodes[p].name): v for (p, c), v in g.edge_derivatives().items()}
    v = math.exp(x * y)
    expected = {("u", "x"): y, ("u", "y"): x, ("v", "u"): v, ("s", "x"): 1.0, ("s", "y"): 1.0,
                ("g", "v"): x + y, ("g", "s"): v}  # fmt: skip
    assert edges.keys() == expected.keys()
    for key, value in expected.items():
        assert edges[key] == pytest.approx(value, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("x, y", POINTS)
def test_one_reverse_sweep_and_two_forward_sweeps_give_the_gradient(x, y):
    g = modes.exp_graph(x, y)
    dx, dy = analytic_gradient(x, y)
    adj = {n.name: float(a) for n, a in zip(g.nodes, g.adjoints(), strict=True)}
    assert adj["x"] == pytest.approx(dx, rel=1e-12)
    assert adj["y"] == pytest.approx(dy, rel=1e-12)
    assert float(g.tangents("x")[-1]) == pytest.approx(dx, rel=1e-12)
    assert float(g.tangents("y")[-1]) == pytest.approx(dy, rel=1e-12)
    fd = numerical_grad(lambda p: modes.exp_f(p[0], p[1]), np.array([x, y]))
    np.testing.assert_allclose(fd, [dx, dy], rtol=1e-6, atol=1e-8)


def test_both_inputs_have_two_children_so_the_rows_have_two_terms():
    steps = {s.name: s for s in modes.reverse_steps(modes.exp_graph())}
    assert len(steps["x"].terms) == len(steps["y"].terms) == 2
    assert len(steps["u"].terms) == 1


def test_bad_input_names_the_function():
    with pytest.raises(NnlabValueError, match="exp_graph: "):
        modes.exp_graph(float("inf"), 1.0)
    with pytest.raises(NnlabValueError, match="exp_graph: "):
        modes.exp_graph("two", 1.0)
