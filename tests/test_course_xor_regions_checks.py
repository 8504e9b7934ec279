"""Additions for chapters 4 and 6: the brute-force line search of `nnlab.course.xor` and the
hand-count self-checks of `nnlab.course.regions`."""

import numpy as np
import pytest

from nnlab.course import regions, xor
from nnlab.course.grading import grade
from nnlab.engine.errors import NnlabValueError, ShapeError


def test_best_line_accuracy_on_xor_and_after_relu():
    best, tried = xor.best_line_accuracy(xor.XOR_X, xor.XOR_Y)
    assert best == 0.75 and tried == 720 * 121
    h = xor.xor_forward(xor.HANDOUT_W).h
    assert xor.best_line_accuracy(h, xor.XOR_Y)[0] == 1.0
    # a separable set that only a line through a narrow gap separates
    P = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    assert xor.best_line_accuracy(P, np.array([0, 0, 0, 1]))[0] == 1.0


def test_best_line_accuracy_rejects_bad_shapes():
    with pytest.raises(ShapeError, match="^best_line_accuracy:"):
        xor.best_line_accuracy(np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(NnlabValueError, match="^best_line_accuracy:"):
        xor.best_line_accuracy(xor.XOR_X, xor.XOR_Y, n_angles=0)


def test_parameter_count_selfcheck():
    expected, mistakes = regions.parameter_count_mistakes([4, 6, 3, 1])
    assert expected == 4 * 6 + 6 + 6 * 3 + 3 + 3 * 1 + 1 == 55
    assert sorted(m.value for m in mistakes) == [45.0, 48.0, 54.0, 59.0]
    assert grade("55", expected, mistakes)[0]
    assert "bias" in grade("45", expected, mistakes)[1]
    with pytest.raises(NnlabValueError, match="^parameter_count_mistakes:"):
        regions.parameter_count_mistakes([3])


def test_line_net_and_its_piece_count():
    net = regions.relu_line_net([1.0, 1.0, -2.0, 0.5], [0.0, -1.0, 2.0, 1.0], [1.0, -1.0, 1.0, 0.0])
    x = np.array([[-3.0], [0.5], [2.0]])
    by_hand = (np.maximum(x, 0) - np.maximum(x - 1, 0) + np.maximum(-2 * x + 2, 0))[:, 0]
    np.testing.assert_allclose(net(x)[:, 0], by_hand)
    expected, mistakes = regions.line_pieces_mistakes(
        [1.0, 1.0, -2.0, 0.5], [0.0, -1.0, 2.0, 1.0], [1.0, -1.0, 1.0, 0.0]
    )
    # kinks at -2 (output weight 0: no bend), 0, and 1 (two units, slope change -1 + 2 = 1)
    assert expected == 3.0
    assert sorted(m.value for m in mistakes) == [4.0, 5.0]
    # a cancelling pair: ReLU(x) - ReLU(x) is the zero function, one piece
    assert regions.line_pieces_mistakes([1.0, 1.0], [0.0, 0.0], [1.0, -1.0])[0] == 1.0
    with pytest.raises(ShapeError, match="^relu_line_net:"):
        regions.relu_line_net([1.0], [0.0, 1.0], [1.0])


def test_average_region_counts_matches_single_counts():
    grid = np.stack(np.meshgrid(np.linspace(-3, 3, 40), np.linspace(-3, 3, 40)), -1).reshape(-1, 2)
    x0, x1 = np.array([-3.0, -3.0]), np.array([3.0, 3.0])
    line, plane = regions.average_region_counts([2, 4, 1], [0, 1], x0, x1, grid)
    singles = [regions.random_relu_net([2, 4, 1], s) for s in (0, 1)]
    assert line == np.mean([regions.pieces_on_segment(n, x0, x1) for n in singles])
    assert plane == np.mean([regions.count_patterns(n, grid) for n in singles])
    assert 1 <= line <= 5 and plane <= 1 + 4 + 6
    with pytest.raises(NnlabValueError, match="^average_region_counts:"):
        regions.average_region_counts([2, 4, 1], [], x0, x1, grid)
