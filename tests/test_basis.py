"""Fixed-basis features and fits (nnlab.course.basis), and the learned basis of an MLP."""

import math

import numpy as np
import pytest

import nnlab
from nnlab.course import basis
from nnlab.engine.errors import ShapeError
from nnlab.nn import metrics


@pytest.mark.parametrize("d,p", [(1, 0), (1, 5), (2, 2), (3, 3), (4, 5)])
def test_polynomial_feature_count_is_binomial(d, p):
    X = np.random.default_rng(0).standard_normal((3, d))
    assert basis.n_polynomial_features(d, p) == math.comb(d + p, p)
    assert len(basis.polynomial_exponents(d, p)) == math.comb(d + p, p)
    assert basis.polynomial_features(X, p, include_constant=True).shape == (3, math.comb(d + p, p))
    assert basis.polynomial_features(X, p).shape == (3, math.comb(d + p, p) - 1)


def test_polynomial_features_values_in_two_dimensions():
    x = np.array([[2.0, 3.0]])
    # exponents in order: (1,0), (0,1), (2,0), (1,1), (0,2)
    assert basis.polynomial_exponents(2, 2)[1:] == [(1, 0), (0, 1), (2, 0), (1, 1), (0, 2)]
    np.testing.assert_allclose(basis.polynomial_features(x, 2), [[2, 3, 4, 6, 9]])


def test_rbf_grid_and_features():
    centers = basis.rbf_grid_centers(-1, 1, 3, d=2)
    assert centers.shape == (9, 2) == (basis.n_rbf_grid_features(2, 3), 2)
    assert {tuple(c) for c in centers} == {(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1)}
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    Phi = basis.rbf_features(X, centers, width=0.5)
    k = int(np.flatnonzero((centers == [1.0, 0.0]).all(axis=1))[0])
    np.testing.assert_allclose(Phi[0, k], np.exp(-1 / (2 * 0.25)))
    np.testing.assert_allclose(Phi[1, 8], 1.0)


def test_fit_linear_recovers_a_linear_target_exactly():
    rng = np.random.default_rng(1)
    Phi = rng.standard_normal((30, 4))
    w, b = np.array([1.0, -2.0, 0.5, 3.0]), 0.7
    fit = basis.fit_linear(Phi, Phi @ w + b)
    np.testing.assert_allclose(fit.w, w, atol=1e-10)
    assert fit.b == pytest.approx(b)


def test_fit_linear_ridge_solves_its_normal_equations():
    rng = np.random.default_rng(2)
    Phi, y = rng.standard_normal((20, 3)), rng.standard_normal(20)
    ridge = 0.3
    fit = basis.fit_linear(Phi, y, ridge=ridge)
    A = np.column_stack([Phi, np.ones(20)])
    D = np.diag([1.0, 1.0, 1.0, 0.0])  # the bias is not penalised
    theta = np.linalg.solve(A.T @ A / 20 + ridge * D, A.T @ y / 20)
    np.testing.assert_allclose(np.append(fit.w, fit.b), theta, atol=1e-10)
    assert np.linalg.norm(fit.w) < np.linalg.norm(basis.fit_linear(Phi, y).w)


def test_fit_logistic_separates_xor_on_the_product_feature():
    X = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]])
    y = np.array([1, 0, 0, 1])
    fit = basis.fit_logistic((X[:, 0] * X[:, 1])[:, None], y, steps=300)
    assert metrics.accuracy(fit.logits((X[:, 0] * X[:, 1])[:, None]), y, from_logits=True) == 1.0
    raw = basis.fit_logistic(X, y, steps=300)
    assert metrics.accuracy(raw.logits(X), y, from_logits=True) == 0.5
    assert raw.history.final_loss == pytest.approx(np.log(2))


def test_fit_logistic_matches_the_gradient_condition():
    rng = np.random.default_rng(3)
    Phi = rng.standard_normal((40, 2))
    y = (Phi[:, 0] + 0.5 * rng.standard_normal(40) > 0).astype(int)
    fit = basis.fit_logistic(Phi, y, lr=0.1, steps=3000)
    p = fit.predict_proba(Phi)
    # at the optimum of mean BCE, the gradient Phi^T (p - y) / n and mean(p - y) vanish
    np.testing.assert_allclose(Phi.T @ (p - y) / 40, 0, atol=1e-4)
    assert abs(np.mean(p - y)) < 1e-4


def test_learned_features_rebuild_the_network_output():
    net = nnlab.MLP([2, 5, 3, 1], ["tanh", "relu"], seed=4)
    X = np.random.default_rng(5).standard_normal((7, 2))
    Phi = basis.learned_features(net, X)
    assert Phi.shape == (7, 3)
    np.testing.assert_allclose(Phi @ net.W[-1] + net.b[-1], net.logits(X), atol=1e-12)


def test_refit_last_layer_never_increases_training_error():
    x, y = nnlab.data.function_samples(np.sin, n=25, domain=(-2, 2), noise=0.1, seed=0)
    net = nnlab.MLP([1, 6, 1], "tanh", seed=0)
    refit = basis.refit_last_layer(net, x, y)
    before = metrics.mse(net(x), y)
    after = metrics.mse(refit.predict(basis.learned_features(net, x)), y)
    assert after <= before


def test_clear_errors():
    with pytest.raises(ShapeError, match="Phi has 2 features but w has 3"):
        basis.predict_linear(np.ones((4, 2)), np.ones(3))
    with pytest.raises(ShapeError, match="y must have shape"):
        basis.fit_linear(np.ones((4, 2)), np.ones(5))
    with pytest.raises(ValueError, match="ridge"):
        basis.fit_linear(np.ones((4, 2)), np.ones(4), ridge=-1)
    with pytest.raises(ValueError, match="width must be a positive"):
        basis.rbf_features(np.ones((2, 1)), np.ones((1, 1)), width=0)
    with pytest.raises(ShapeError, match="dimension"):
        basis.rbf_features(np.ones((2, 2)), np.ones((1, 1)), width=1.0)
    with pytest.raises(ValueError, match="degree must be an integer"):
        basis.polynomial_features(np.ones((2, 1)), 1.5)
    with pytest.raises(ValueError, match="labels y must be 0 or 1"):
        basis.fit_logistic(np.ones((2, 1)), np.array([0, 2]))
    with pytest.raises(ValueError, match="no hidden layer"):
        basis.learned_features(nnlab.MLP([2, 1]), np.ones((1, 2)))
    with pytest.raises(ValueError, match="non-finite"):
        basis.fit_linear(np.array([[np.nan]]), np.ones(1))
