"""nnlab.course.conditioning: condition numbers, step limits, critical points, layer statistics."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab.course import conditioning as cond
from nnlab.course import curvature


def toy(p):
    return (p[0] * p[1] - 1.0) ** 2


def test_condition_number_and_step_limit_from_eigenvalues_matrix_and_hessian():
    assert cond.condition_number([4.0, 1.0, 2.0]) == pytest.approx(4.0)
    A = np.array([[3.0, 1.0], [1.0, 3.0]])  # eigenvalues 2 and 4
    assert cond.condition_number(A) == pytest.approx(2.0)
    assert cond.max_stable_lr(A) == pytest.approx(0.5)
    H = curvature.hessian(cond.diagonal_quadratic([1.0, 50.0]), np.ones(2))
    assert cond.condition_number(H) == pytest.approx(50.0, rel=1e-6)
    assert cond.max_stable_lr(H) == pytest.approx(2 / 50.0, rel=1e-6)


def test_condition_number_rejects_saddles_and_bad_input():
    with pytest.raises(ValueError, match="not positive definite"):
        cond.condition_number([-2.0, 2.0])
    with pytest.raises(ValueError, match="no upward"):
        cond.max_stable_lr([-1.0, -0.5])
    with pytest.raises(ValueError, match="symmetric"):
        cond.condition_number(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="square"):
        cond.condition_number(np.ones((2, 3)))


def test_step_limit_separates_convergence_from_divergence():
    lam = np.array([1.0, 10.0])
    f = cond.diagonal_quadratic(lam)
    limit = cond.max_stable_lr(lam)
    ok = nnlab.optim.train(f, np.ones(2), lr=0.95 * limit, steps=300)
    bad = nnlab.optim.train(f, np.ones(2), lr=1.05 * limit, steps=300)
    assert not ok.diverged and ok.final_loss < 1e-10
    assert bad.diverged


@pytest.mark.parametrize("kappa", [1, 10, 100])
def test_predicted_steps_match_gradient_descent(kappa):
    lam = np.array([1.0, float(kappa)])
    run = nnlab.optim.train(
        cond.diagonal_quadratic(lam), np.ones(2), lr=2 / (1 + kappa), steps=12 * kappa + 10
    )
    losses = np.array(run.losses + [run.final_loss])
    measured = cond.steps_to_tolerance(losses, 1e-8 * losses[0])
    assert measured == cond.predicted_steps(kappa, 1e-8)


def test_steps_to_tolerance_and_errors():
    assert cond.steps_to_tolerance([3.0, 2.0, 0.5, 0.1], 0.5) == 2
    assert cond.steps_to_tolerance([3.0, 2.0], 0.5) is None
    with pytest.raises(ValueError, match="tol"):
        cond.steps_to_tolerance([1.0], 0)
    with pytest.raises(ValueError, match="kappa"):
        cond.predicted_steps(0.5, 1e-3)
    with pytest.raises(ValueError, match="shape"):
        cond.diagonal_quadratic([1.0, 2.0])(np.ones(3))


def test_find_critical_point_finds_the_toy_saddle_and_a_minimum():
    x, g, H = cond.find_critical_point(toy, [0.1, -0.05])
    np.testing.assert_allclose(x, [0.0, 0.0], atol=1e-10)
    np.testing.assert_allclose(H.eigenvalues, [-2.0, 2.0], atol=1e-7)
    assert H.classify() == "saddle" and g < 1e-10
    x, _, H = cond.find_critical_point(toy, [1.2, 0.9])
    assert x[0] * x[1] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="critical point"):
        cond.find_critical_point(toy, [1.2, 0.9], steps=1, tol=1e-30)


def test_layer_gradient_norms_match_autodiff_and_vanish_for_sigmoid():
    X, y = nnlab.data.moons(50, noise=0.1, seed=0)
    net = nnlab.MLP([2, 8, 8, 8, 8, 1], activation="sigmoid", output="sigmoid", seed=0)
    norms = cond.layer_gradient_norms(net, X, y, "bce")
    grads = nnlab.grad(lambda p: nnlab.binary_cross_entropy(net.apply(p, X), y))(net.parameters())
    expected = [np.linalg.norm(grads[2 * k]) for k in range(net.depth)]
    np.testing.assert_allclose(norms, expected, rtol=1e-10)
    assert norms[0] < norms[-1] / 20  # four sigmoid layers: each takes at least a factor 4
    means = cond.activation_derivative_means(net, X)
    assert means.shape == (4,) and np.all((means > 0) & (means <= 0.25))


def test_dead_fraction_counts_units_negative_on_all_data():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    net = nnlab.MLP([2, 3, 1], activation="relu", seed=0)
    net.W[0] = np.array([[1.0, -1.0, 1.0], [1.0, -1.0, -1.0]])
    net.b[0] = np.array([0.0, 0.0, -5.0])
    np.testing.assert_allclose(cond.dead_fraction(net, X), [2 / 3])
    with pytest.raises(TypeError, match="MLP"):
        cond.dead_fraction("net", X)
    with pytest.raises(ValueError, match="no hidden"):
        cond.dead_fraction(nnlab.MLP([2, 1]), X)
