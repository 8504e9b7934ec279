"""Tests for nnlab.course.vocabulary: parameter counts, counting slips, sigmoid as tanh."""

import numpy as np
import pytest

import nnlab
from nnlab.course import vocabulary as voc
from nnlab.course.grading import DEFAULT_RTOL, close, grade


@pytest.mark.parametrize(
    "sizes, bias",
    [([2, 2, 3, 1], True), ([2, 2, 1], [False, True]), ([784, 128, 10], True), ([3, 4], False)],
)
def test_count_matches_the_engine(sizes, bias):
    assert voc.count_parameters(sizes, bias) == nnlab.MLP(sizes, bias=bias).n_parameters


def test_count_by_formula():
    assert voc.count_parameters([3, 4, 4, 2]) == (3 * 4 + 4) + (4 * 4 + 4) + (4 * 2 + 2)


def test_mistakes_are_distinct_wrong_and_reachable():
    sizes = [3, 4, 4, 2]
    answer = voc.count_parameters(sizes)
    mistakes = voc.parameter_count_mistakes(sizes)
    assert len(mistakes) == 4
    values = [answer] + [m.value for m in mistakes]
    assert all(not close(u, v, DEFAULT_RTOL) for i, u in enumerate(values) for v in values[i + 1 :])
    for m in mistakes:
        ok, message = grade(m.value, answer, mistakes)
        assert not ok and m.hint in message
    assert grade(str(answer), answer, mistakes)[0]


@pytest.mark.parametrize(
    "sizes, output",
    [
        ([2, 4, 1], "identity"),
        ([2, 4, 1], "sigmoid"),
        ([3, 5, 4, 2], "identity"),
        ([3, 5, 4, 1], "sigmoid"),
    ],
)
def test_sigmoid_network_equals_its_tanh_twin(sizes, output):
    net = nnlab.MLP(sizes, activation="sigmoid", output=output, seed=3)
    for b in net.b:
        b += np.random.default_rng(1).standard_normal(b.shape)
    twin = voc.sigmoid_as_tanh(net)
    assert twin.activations == ["tanh"] * (len(sizes) - 2)
    X = np.random.default_rng(0).standard_normal((50, sizes[0])) * 3
    np.testing.assert_allclose(twin(X), net(X), rtol=1e-12, atol=1e-12)
    # a plain copy with tanh (no rescaling) computes something else
    plain = nnlab.MLP(sizes, activation="tanh", output=output)
    plain.set_parameters(net.parameters())
    assert not np.allclose(plain(X), net(X))


def test_errors_name_the_function():
    with pytest.raises(ValueError, match="count_parameters: sizes"):
        voc.count_parameters([3])
    with pytest.raises(ValueError, match="count_parameters: bias"):
        voc.count_parameters([3, 2, 1], [True])
    with pytest.raises(ValueError, match="parameter_count_mistakes: sizes"):
        voc.parameter_count_mistakes([0, 2])
    with pytest.raises(ValueError, match="sigmoid_as_tanh: every hidden layer"):
        voc.sigmoid_as_tanh(nnlab.MLP([2, 3, 1], activation="relu"))
    with pytest.raises(ValueError, match="sigmoid_as_tanh: every layer after"):
        voc.sigmoid_as_tanh(nnlab.MLP([2, 3, 1], activation="sigmoid", bias=[True, False]))
    with pytest.raises(TypeError, match="sigmoid_as_tanh: expected an MLP"):
        voc.sigmoid_as_tanh([2, 3, 1])
