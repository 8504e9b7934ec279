"""nnlab.course.costs: pass counts n (forward) and m (reverse), counted work, memory."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab.course import costs
from nnlab.engine.errors import NotDifferentiableError
from nnlab.plots import modes


@pytest.mark.parametrize("n,m", [(1, 1), (5, 3), (3, 5), (8, 1)])
def test_jacobian_cost_passes_and_rules(n, m):
    f, x = costs.tanh_layer(n, m, seed=1)
    c = costs.jacobian_cost(f, x)
    assert (c.n, c.m, c.forward_passes, c.reverse_passes) == (n, m, n, m)
    assert c.edges == 2  # matmul <- x, tanh <- matmul
    assert (c.forward_rules, c.reverse_rules) == (2 * n, 2 * m)
    assert c.agree
    assert c.cheaper == ("tie" if n == m else "forward" if n < m else "reverse")


def test_tanh_layer_jacobian_formula_and_errors():
    f, x = costs.tanh_layer(4, 3, seed=2)
    rng = np.random.default_rng(2)
    A = rng.standard_normal((3, 4)) / 2.0
    J = nnlab.jacobian(f, x, mode="reverse").jacobian
    expected = (1 - np.tanh(A @ x) ** 2)[:, None] * A
    np.testing.assert_allclose(J, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        costs.tanh_layer(0, 3)


def test_passes_from_shapes():
    assert costs.passes_from_shapes(784, 10) == {
        "n": 784, "m": 10, "forward": 784, "reverse": 10, "cheaper": "reverse"
    }  # fmt: skip
    assert costs.passes_from_shapes(2, 1)["cheaper"] == "reverse"
    assert costs.passes_from_shapes(3, 50)["cheaper"] == "forward"


def test_sweep_crossover_at_n_equals_m():
    pts = costs.sweep([1, 2, 4, 8, 16], m=4)
    assert [p.cost.forward_rules for p in pts] == [2, 4, 8, 16, 32]
    assert {p.cost.reverse_rules for p in pts} == {8}
    assert costs.crossover(pts) == 4
    with pytest.raises(ValueError, match="not timed"):
        costs.crossover(pts, "seconds")
    with pytest.raises(ValueError, match="unknown key"):
        costs.crossover(pts, "flops")


def test_timing_returns_positive_seconds():
    f, x = costs.tanh_layer(3, 2)
    assert costs.time_jacobian(f, x, "forward", repeats=1) > 0
    with pytest.raises(ValueError, match="unknown mode"):
        costs.time_jacobian(f, x, "sideways")
    pts = costs.sweep([2, 4], m=2, timed=True, repeats=1)
    assert all(p.forward_seconds > 0 and p.reverse_seconds > 0 for p in pts)
    assert costs.crossover(pts, "seconds") in (2, 4, None)


def test_flat_loss_matches_grad_and_counts_parameters():
    net = nnlab.MLP([3, 4, 2], activation="tanh", seed=0)
    X = np.random.default_rng(0).standard_normal((5, 3))
    y = np.random.default_rng(1).standard_normal((5, 2))
    f, theta = costs.flat_loss(net, X, y, nnlab.mse)
    assert theta.size == net.n_parameters == 3 * 4 + 4 + 4 * 2 + 2
    c = costs.jacobian_cost(f, theta)
    assert (c.forward_passes, c.reverse_passes) == (net.n_parameters, 1) and c.agree
    g = nnlab.grad(lambda p: nnlab.mse(net.apply(p, X), y))(net.parameters())
    J = nnlab.jacobian(f, theta, mode="reverse").jacobian
    np.testing.assert_allclose(J, np.concatenate([a.ravel() for a in g]), rtol=1e-12)


def test_graph_size_counts_nodes_edges_and_floats():
    s = costs.graph_size(lambda v: nnlab.sum(v * v), np.ones(4))
    assert (s.nodes, s.edges, s.stored) == (3, 3, 4 + 4 + 1)  # x, x*x (x twice), sum
    with pytest.raises(NotDifferentiableError, match="^graph_size: f does not depend"):
        costs.graph_size(lambda v: 1.0, np.ones(2))


def test_plots_use_the_numbers():
    fig = modes.plot_passes([("784 -> 10", 784, 10), ("2 -> 1", 2, 1)])
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert {"784", "10", "2", "1"} <= set(labels)
    assert len(fig.axes[0].patches) == 4
    pts = costs.sweep([1, 2, 4], m=2)
    fig = modes.plot_sweep(pts)
    assert len(fig.axes) == 1
    line = fig.axes[0].lines[0]
    assert list(line.get_ydata()) == [p.cost.forward_rules for p in pts]
    fig = modes.plot_sweep(costs.sweep([1, 2], m=2, timed=True, repeats=1))
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="share one m"):
        modes.plot_sweep(costs.sweep([1], m=2) + costs.sweep([1], m=3))
    with pytest.raises(ValueError, match="n, m >= 1"):
        modes.plot_passes([("bad", 0, 1)])


def test_trace_memory_counts_intermediates_only():
    X = np.ones((7, 3))
    net = nnlab.MLP([3, 5, 2], activation="relu", seed=0)
    g = nnlab.trace(lambda *p: nnlab.sum(net.logits(X, list(p))), *net.parameters())
    mem = costs.trace_memory(g)
    assert mem.nodes == len(g.nodes) - len(net.parameters())
    # at least z0 (7x5), relu (7x5), z1 (7x2) and the scalar sum are stored
    assert mem.floats >= 7 * 5 * 2 + 7 * 2 + 1
    g2 = nnlab.trace(lambda *p: nnlab.sum(net.logits(np.ones((14, 3)), list(p))), *net.parameters())
    assert costs.trace_memory(g2).floats > mem.floats  # grows with the batch


def test_tanh_chain_is_tanh_layer_made_deep():
    f, x = costs.tanh_chain(4, 3, seed=1)
    assert x.shape == (4,)
    rng = np.random.default_rng(1)
    matrices = [rng.standard_normal((4, 4)) / 2.0 for _ in range(3)]
    expected = x
    for A in matrices:
        expected = np.tanh(expected @ A)
    np.testing.assert_allclose(f(x), expected, rtol=1e-15)
    _, xb = costs.tanh_chain(4, 3, batch=5)
    assert xb.shape == (5, 4) and f(xb).shape == (5, 4)
    with pytest.raises(ValueError, match="^tanh_chain: depth must be a positive integer"):
        costs.tanh_chain(4, 0)


@pytest.mark.parametrize("width", [3, 16])
def test_mode_memory_reverse_grows_with_depth_forward_does_not(width):
    counts = [costs.mode_memory(*costs.tanh_chain(width, depth)) for depth in (1, 2, 4, 8, 16)]
    # Reverse keeps two values (matmul, tanh) of `width` numbers per layer.
    assert [c.reverse for c in counts] == [2 * width * d for d in (1, 2, 4, 8, 16)]
    assert costs.trace_memory(nnlab.trace(*costs.tanh_chain(width, 4))).floats == 8 * width
    # Forward holds at most three values with their tangents: the layer's input, its
    # product and its tanh; the same at every depth from 2 on.
    assert counts[0].forward == 2 * 2 * width
    assert {c.forward for c in counts[1:]} == {3 * 2 * width}


def test_mode_memory_counts_what_the_function_keeps():
    # A function that keeps every layer (as a list) keeps them alive in forward mode too.
    f, x = costs.tanh_chain(8, 1)

    def keeps_all(v):
        kept = [v]
        for _ in range(6):
            kept.append(f(kept[-1]))
        return nnlab.sum(kept[-1])

    def keeps_one(v):
        for _ in range(6):
            v = f(v)
        return nnlab.sum(v)

    # 8 numbers and 8 tangent entries per value: keeps_one holds its current value, a product
    # and a tanh at once (3); keeps_all also every earlier layer's tanh (6 kept + 1 product).
    assert costs.mode_memory(keeps_one, x).forward == 3 * 16
    assert costs.mode_memory(keeps_all, x).forward == 7 * 16
    with pytest.raises(NotDifferentiableError, match="^trace: the output does not depend"):
        costs.mode_memory(lambda v: 1.0, x)


def test_peak_bytes_forward_stays_flat_while_reverse_grows():
    shallow = costs.tanh_chain(64, 2, batch=64)
    deep = costs.tanh_chain(64, 16, batch=64)
    layer_bytes = 64 * 64 * 8
    reverse = [costs.peak_bytes(*c, "reverse") for c in (shallow, deep)]
    forward = [costs.peak_bytes(*c, "forward") for c in (shallow, deep)]
    assert reverse[1] - reverse[0] > 2 * 14 * layer_bytes * 0.9  # two stored values per layer
    assert abs(forward[1] - forward[0]) < layer_bytes  # flat, up to bookkeeping
    assert forward[1] < reverse[1] / 3
    with pytest.raises(ValueError, match="^peak_bytes: unknown mode 'both'"):
        costs.peak_bytes(*shallow, "both")
