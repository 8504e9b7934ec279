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
