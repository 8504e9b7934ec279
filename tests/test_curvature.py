"""nnlab.course.curvature: Hessians, Hessian-vector products, hidden-unit permutations, segments."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab.course import curvature


def toy(p):
    return (p[0] * p[1] - 1.0) ** 2


def toy_hessian(v, w):
    return np.array([[2 * w**2, 4 * v * w - 2], [4 * v * w - 2, 2 * v**2]])


@pytest.mark.parametrize("point", [(0.0, 0.0), (0.5, 1.5), (-1.2, 0.3)])
def test_hessian_matches_analytic_toy(point):
    H = curvature.hessian(toy, np.array(point))
    np.testing.assert_allclose(H.matrix, toy_hessian(*point), atol=1e-7)
    assert H.asymmetry < 1e-7
    np.testing.assert_allclose(H.eigenvalues, np.linalg.eigvalsh(toy_hessian(*point)), atol=1e-7)


def test_origin_is_a_saddle_with_eigenvalues_plus_minus_two():
    H = curvature.hessian(toy, np.zeros(2))
    np.testing.assert_allclose(H.eigenvalues, [-2.0, 2.0], atol=1e-8)
    assert H.classify() == "saddle"
    assert curvature.hessian(toy, np.array([1.0, 1.0])).classify() == "degenerate"
    assert curvature.hessian(lambda p: nnlab.sum(p * p), np.ones(3)).classify() == "minimum-like"


def test_hessian_of_quadratic_on_parameter_list():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])

    def f(params):
        W, b = params
        v = nnlab.reshape(W, (2,)) + b
        return 0.5 * nnlab.sum(v * (v @ A))

    H = curvature.hessian(f, [np.ones((1, 2)), np.zeros(2)])
    expected = np.block([[A, A], [A, A]])
    np.testing.assert_allclose(H.matrix, expected, atol=1e-7)


def test_hvp_matches_hessian_times_vector():
    net = nnlab.MLP([2, 3, 1], activation="tanh", output="sigmoid", seed=2)
    X = np.random.default_rng(0).standard_normal((5, 2))
    y = np.array([0, 1, 1, 0, 1])

    def loss(p):
        return nnlab.binary_cross_entropy(net.apply(p, X), y)

    params = net.parameters()
    H = curvature.hessian(loss, params)
    vec, unflatten = curvature.flatten(params)
    v = np.random.default_rng(1).standard_normal(vec.size)
    Hv = curvature.flatten(curvature.hvp(loss, params, unflatten(v)))[0]
    np.testing.assert_allclose(Hv, H.matrix @ v, atol=1e-6)


def test_hessian_errors():
    with pytest.raises(ValueError, match="eps"):
        curvature.hessian(toy, np.zeros(2), eps=0)
    with pytest.raises(TypeError, match="function"):
        curvature.hessian(3.0, np.zeros(2))
    with pytest.raises(ValueError, match="entries"):
        curvature.hvp(toy, np.zeros(2), np.zeros(3))


def test_flatten_roundtrip():
    params = [np.arange(6.0).reshape(2, 3), np.array([7.0, 8.0])]
    vec, unflatten = curvature.flatten(params)
    assert vec.tolist() == [0, 1, 2, 3, 4, 5, 7, 8]
    back = unflatten(vec)
    assert all(np.array_equal(a, b) for a, b in zip(back, params, strict=True))
    with pytest.raises(ValueError, match="shape"):
        unflatten(np.zeros(3))


@pytest.mark.parametrize("bias", [True, [False, True, True], [True, False, False]])
def test_permute_hidden_preserves_function(bias):
    net = nnlab.MLP([2, 4, 3, 1], activation="tanh", output="identity", seed=0, bias=bias)
    for layer, b in enumerate(net.b):
        if b is not None:
            net.b[layer] = np.linspace(-0.5, 0.5, b.size)
    X = np.random.default_rng(0).standard_normal((7, 2))
    for layer, perm in [(0, [2, 0, 3, 1]), (1, [1, 2, 0])]:
        new = curvature.permute_hidden(net, layer, perm)
        assert new is not net
        np.testing.assert_allclose(new(X), net(X), atol=1e-14)
        assert not np.array_equal(new.W[layer], net.W[layer])
        np.testing.assert_array_equal(new.W[layer], net.W[layer][:, perm])
        np.testing.assert_array_equal(new.W[layer + 1], net.W[layer + 1][perm, :])
        if net.b[layer] is not None:
            np.testing.assert_array_equal(new.b[layer], net.b[layer][perm])
        flat = curvature.permute_hidden(net.parameters(), layer, perm)
        assert all(np.array_equal(a, b) for a, b in zip(flat, new.parameters(), strict=True))


def test_permute_hidden_errors():
    net = nnlab.MLP([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match="hidden layer"):
        curvature.permute_hidden(net, 1, [0])
    with pytest.raises(ValueError, match="3 units"):
        curvature.permute_hidden(net, 0, [0, 1])
    with pytest.raises(ValueError, match="3 units"):
        curvature.permute_hidden(net, 0, [0, 0, 1])
    with pytest.raises(TypeError, match="MLP"):
        curvature.permute_hidden(np.zeros(3), 0, [0])
    with pytest.raises(ValueError, match="flat list"):
        curvature.permute_hidden([np.zeros(3)], 0, [0])
    assert curvature.swap_units(4, 1, 3) == [0, 3, 2, 1]
    with pytest.raises(ValueError, match="0..3"):
        curvature.swap_units(4, 0, 4)


def xor_setup():
    X, y = nnlab.data.xor()
    net = nnlab.MLP([2, 2, 1], activation="relu", output="sigmoid")
    net.W[0] = np.array([[1.0, -1.0], [1.0, -1.0]])
    net.b[0] = np.zeros(2)
    net.W[1] = np.array([[1.0], [1.0]])
    net.b[1] = np.array([-1.0])
    return net, lambda p: nnlab.binary_cross_entropy(net.apply(p, X), y)


def test_xor_midpoint_barrier_matches_handout_notes():
    net, loss = xor_setup()
    theta = net.parameters()
    pi_theta = curvature.permute_hidden(theta, 0, [1, 0])
    ends_and_mid = curvature.loss_along_segment(loss, theta, pi_theta, [0.0, 0.5, 1.0])
    sig = 1 / (1 + np.exp(-1.0))
    expected_end = -np.log(sig)
    expected_mid = (-np.log(1 - sig) - np.log(sig)) / 2
    np.testing.assert_allclose(ends_and_mid, [expected_end, expected_mid, expected_end])
    assert round(ends_and_mid[0], 6) == 0.313262 and round(ends_and_mid[1], 6) == 0.813262
    mid = curvature.interpolate(theta, pi_theta, 0.5)
    np.testing.assert_array_equal(mid[0], np.zeros((2, 2)))


def test_loss_along_segment_closed_form_and_errors():
    f = lambda p: nnlab.sum(p * p)  # noqa: E731
    a, b = np.array([1.0, 0.0]), np.array([-1.0, 2.0])
    ts = np.linspace(0, 1, 5)
    expected = [np.sum(((1 - t) * a + t * b) ** 2) for t in ts]
    np.testing.assert_allclose(curvature.loss_along_segment(f, a, b, ts), expected)
    with pytest.raises(ValueError, match="1-D"):
        curvature.loss_along_segment(f, a, b, np.ones((2, 2)))
    with pytest.raises(ValueError, match="entries"):
        curvature.interpolate(a, np.zeros(3), 0.5)
