"""Linear-region counting for ReLU networks (chapter 6)."""

import numpy as np
import pytest

import nnlab
from nnlab.course import approximation as approx
from nnlab.course import regions


def test_exact_and_grid_counts_agree_on_small_nets():
    x0, x1 = np.array([-3.0, -3.0]), np.array([3.0, 3.0])
    for sizes in ([2, 3, 1], [2, 5, 1], [2, 4, 4, 1], [2, 3, 3, 3, 1]):
        for seed in range(4):
            net = regions.random_relu_net(sizes, seed)
            assert regions.pieces_on_segment(net, x0, x1) == regions.grid_pieces_on_segment(
                net, x0, x1, n=200001
            )


def test_breakpoints_are_where_the_pattern_changes():
    net = regions.random_relu_net([2, 6, 6, 1], seed=3)
    x0, x1 = np.array([-2.0, 1.0]), np.array([3.0, -2.0])
    cuts = regions.breakpoints_on_segment(net, x0, x1)
    assert cuts.size > 0 and np.all((cuts > 0) & (cuts < 1)) and np.all(np.diff(cuts) > 0)
    eps = 1e-7
    before = regions.activation_patterns(net, x0 + (cuts - eps)[:, None] * (x1 - x0))
    after = regions.activation_patterns(net, x0 + (cuts + eps)[:, None] * (x1 - x0))
    assert np.all(np.any(before != after, axis=1))


def test_one_hidden_layer_on_a_line_has_at_most_n_plus_one_pieces():
    for seed in range(10):
        net = regions.random_relu_net([1, 7, 1], seed)
        assert regions.pieces_on_segment(net, [-100.0], [100.0]) <= 8


def test_hand_made_breakpoints():
    # units ReLU(x - 0.25) and ReLU(x - 0.75): kinks at s = 0.25, 0.75 on [0, 1]
    net = nnlab.MLP([1, 2, 1])
    net.set_parameters([np.ones((1, 2)), np.array([-0.25, -0.75]), np.ones((2, 1)), np.zeros(1)])
    assert np.allclose(regions.breakpoints_on_segment(net, [0.0], [1.0]), [0.25, 0.75])
    # a unit with zero output weight changes the pattern but not the function
    net.W[1] = np.array([[1.0], [0.0]])
    assert regions.pieces_on_segment(net, [0.0], [1.0]) == 3
    assert regions.linear_pieces_on_segment(net, [0.0], [1.0]) == 2


@pytest.mark.parametrize("L", [1, 2, 3, 6])
def test_sawtooth_has_two_to_the_l_pieces(L):
    saw = regions.sawtooth_net(L)
    assert saw.sizes == [1] + [2] * L + [1]
    assert regions.pieces_on_segment(saw, [0.0], [1.0]) == 2**L
    assert regions.linear_pieces_on_segment(saw, [0.0], [1.0]) == 2**L
    x = np.linspace(0, 1, 1025)
    assert np.allclose(approx.net_on(saw, x), regions.tent_power(x, L))


def test_pattern_ids_and_counts():
    net = regions.random_relu_net([2, 5, 1], seed=0)
    g = nnlab.data.grid((-3, 3), (-3, 3), 60)
    ids = regions.pattern_ids(net, g.points)
    n = regions.count_patterns(net, g.points)
    assert ids.shape == (3600,) and ids.min() == 0 and ids.max() == n - 1
    P = regions.activation_patterns(net, g.points)
    assert n == np.unique(P, axis=0).shape[0]
    same = ids[:, None] == ids[None, :200]
    assert np.array_equal(same, np.all(P[:, None, :] == P[None, :200, :], axis=2))
    assert n <= 1 + 5 + 10  # five lines make at most 16 regions


def test_budget_helpers():
    assert regions.parameter_count([2, 3, 1]) == 2 * 3 + 3 + 3 + 1
    w = regions.width_for_budget(2, 3, 400)
    gap = abs(regions.parameter_count([2, w, w, 1]) - 400)
    for other in (w - 1, w + 1):
        assert gap <= abs(regions.parameter_count([2, other, other, 1]) - 400)


def test_random_net_biases_are_seeded():
    a = regions.random_relu_net([2, 4, 1], seed=5)
    b = regions.random_relu_net([2, 4, 1], seed=5)
    c = regions.random_relu_net([2, 4, 1], seed=6)
    assert np.array_equal(a.b[0], b.b[0]) and not np.array_equal(a.b[0], c.b[0])
    assert np.any(a.b[0] != 0)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: regions.pieces_on_segment(nnlab.MLP([2, 3, 1], "tanh"), [0, 0], [1, 1]), "ReLU"),
        (lambda: regions.pieces_on_segment(nnlab.MLP([2, 1]), [0, 0], [1, 1]), "no hidden"),
        (lambda: regions.pieces_on_segment(nnlab.MLP([2, 3, 1]), [0], [1]), "2 coordinate"),
        (lambda: regions.pieces_on_segment(nnlab.MLP([2, 3, 1]), [1, 1], [1, 1]), "must differ"),
        (lambda: regions.sawtooth_net(0), "positive integer"),
        (lambda: regions.count_patterns(nnlab.MLP([2, 3, 1]), np.zeros((4, 3))), "shape"),
        (lambda: regions.width_for_budget(2, 1, 100), "at least 2"),
        (lambda: regions.random_relu_net([2, 3, 1], bias_std=-1), "bias_std"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
