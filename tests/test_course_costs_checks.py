"""Chapter 10's self-checks and memory count: answers agree with the engine, mistakes distinct."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab.course import costs
from nnlab.course.grading import DEFAULT_RTOL, close, grade
from nnlab.engine.errors import NnlabValueError


@pytest.mark.parametrize("n,m", [(6, 400), (400, 6), (3, 10), (7, 7), (1, 5)])
def test_cheaper_mode_check_matches_the_engine_pass_counts(n, m):
    expected, mistakes = costs.cheaper_mode_check(n, m)
    f, x = costs.tanh_layer(n, m, seed=0)
    fwd = nnlab.jacobian(f, x, mode="forward").passes
    rev = nnlab.jacobian(f, x, mode="reverse").passes
    assert expected == min(fwd, rev)
    values = [expected] + [mk.value for mk in mistakes]
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            assert not close(a, b, DEFAULT_RTOL)
    assert grade(str(expected), expected, mistakes)[0]
    if n != m:  # the dearer mode's count is the first mistake, with its own hint
        assert mistakes[0].value == max(n, m)
        ok, message = grade(str(max(n, m)), expected, mistakes)
        assert not ok and "dearer" in message


def test_gradient_sweeps_check_is_the_parameter_count():
    sizes = [20, 50, 3]
    expected, mistakes = costs.gradient_sweeps_check(sizes)
    net = nnlab.MLP(sizes, activation="relu", seed=0)
    assert expected == net.n_parameters == 1203
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((4, 20)), rng.standard_normal((4, 3))
    loss_of_theta, theta = costs.flat_loss(net, X, Y, nnlab.mse)
    assert nnlab.jacobian(loss_of_theta, theta, mode="forward").passes == expected
    assert {mk.value for mk in mistakes} == {1.0, 1150.0, 20.0, 3.0}
    ok, message = grade("1150", expected, mistakes)
    assert not ok and "biases" in message


@pytest.mark.parametrize(
    "call",
    [
        lambda: costs.cheaper_mode_check(0, 3),
        lambda: costs.cheaper_mode_check(2.5, 3),
        lambda: costs.cheaper_mode_check(True, 3),
        lambda: costs.gradient_sweeps_check([4]),
        lambda: costs.gradient_sweeps_check([4, -1]),
        lambda: costs.gradient_sweeps_check(5),
    ],
)
def test_checks_reject_bad_shapes(call):
    with pytest.raises(NnlabValueError, match=r"^(cheaper_mode_check|gradient_sweeps_check): "):
        call()


@pytest.mark.parametrize(
    "sizes,batch", [([784, 128, 10], 1), ([784, 256, 10], 32), ([5, 4, 4, 3], 7)]
)
def test_mlp_loss_trace_stores_each_layer_per_example_and_the_loss(sizes, batch):
    net = nnlab.MLP(sizes, activation="relu", output="softmax", seed=0)
    mem = costs.trace_memory(costs.mlp_loss_trace(net, batch))
    hidden = sum(sizes[1:-1])
    # per example: each hidden layer's z and a, the output layer's z; plus the one loss value
    assert mem.floats == batch * (2 * hidden + sizes[-1]) + 1
    assert mem.nodes == 2 * (len(sizes) - 2) + 2


def test_mlp_loss_trace_rejects_other_networks():
    with pytest.raises(nnlab.NnlabTypeError, match="^mlp_loss_trace: "):
        costs.mlp_loss_trace("net", 3)
    with pytest.raises(NnlabValueError, match="^mlp_loss_trace: "):
        costs.mlp_loss_trace(nnlab.MLP([2, 3, 1], output="sigmoid"), 3)
