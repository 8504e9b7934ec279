"""Chapter 5's experiments (nnlab.course.tradeoffs) and their figure (nnlab.plots.tradeoffs)."""

import math

import numpy as np
import pytest

import nnlab
from nnlab.course import tradeoffs
from nnlab.course.grading import grade
from nnlab.engine.errors import NnlabTypeError, NnlabValueError, ShapeError
from nnlab.nn import losses


def _f(x):
    return np.sin(3 * x) + 0.3 * x


@pytest.fixture(scope="module")
def data():
    return nnlab.data.function_samples(_f, n=20, domain=(-1.5, 1.5), noise=0.1, seed=0)


def test_jacobian_matches_the_engine_gradient_of_each_residual(data):
    x, y = data
    net = nnlab.MLP([1, 3, 1], "tanh", seed=2)
    params = net.parameters()
    r, J = tradeoffs.residuals_and_jacobian(params, x, y)
    np.testing.assert_allclose(r, net(x)[:, 0] - y, atol=1e-12)
    for k in (0, 7, 19):
        g = nnlab.grad(lambda p, k=k: net.apply(p, x[k : k + 1])[0, 0])(params)
        flat = np.concatenate([np.ravel(gi) for gi in g])
        np.testing.assert_allclose(J[k], flat, atol=1e-12)


def test_frozen_hidden_layer_converges_to_the_ridge_solution(data):
    x, y = data
    net = nnlab.MLP([1, 5, 1], "tanh", seed=1)
    penalty = 1e-3
    fit = tradeoffs.converge(net, x, y, penalty=penalty, freeze_hidden=True, warmup=50)
    assert fit.converged and fit.grad_norm < 1e-9
    # closed form: minimise |A theta - y|^2 / n + penalty |theta|^2 with A = [H, 1]
    H = np.tanh(x @ net.W[0] + net.b[0])
    A = np.column_stack([H, np.ones(len(x))])
    theta = np.linalg.solve(A.T @ A / len(x) + penalty * np.eye(A.shape[1]), A.T @ y / len(x))
    np.testing.assert_allclose(np.concatenate([fit.params[2][:, 0], fit.params[3]]), theta,
                               atol=1e-6)  # fmt: skip
    np.testing.assert_array_equal(fit.params[0], net.W[0])  # the basis did not move
    assert fit.min_eigenvalue > 0  # a convex quadratic with a ridge is strictly convex


def test_trained_networks_reach_critical_points_with_positive_curvature(data):
    x, y = data
    study = tradeoffs.seed_study(x, y, seeds=[0, 1, 2], width=4, penalty=1e-3)
    for fit in study.fits:
        assert fit.converged and fit.min_eigenvalue > 0
        objective = losses.mse(nnlab.MLP([1, 4, 1], "tanh").apply(fit.params, x)[:, 0], y)
        penalty = 1e-3 * sum(float(np.sum(p**2)) for p in fit.params)
        assert math.isclose(
            float(np.asarray(getattr(objective, "value", objective))) + penalty,
            fit.objective,
            rel_tol=1e-10,
        )
    assert 1 <= len(study.distinct) <= 3


def test_frozen_study_has_a_single_optimum(data):
    x, y = data
    study = tradeoffs.seed_study(x, y, seeds=range(4), width=4, freeze_hidden=True, warmup=100)
    assert len(study.distinct) == 1
    assert np.ptp(study.objectives) < 1e-10


def test_without_a_penalty_the_run_is_reported_as_not_converged(data):
    x, y = data
    fit = tradeoffs.converge(nnlab.MLP([1, 8, 1], "tanh", seed=1), x, y, penalty=0.0,
                             warmup=200, max_iter=20, escapes=0)  # fmt: skip
    assert not fit.converged and fit.iterations == 20 and fit.grad_norm > 1e-9


def test_error_table_shape_and_that_more_data_helps():
    x_test = np.linspace(-1.5, 1.5, 100)[:, None]
    fitted = []
    table = tradeoffs.error_table(
        _f, {"poly": tradeoffs.fit_polynomial}, [10, 80], [0, 1], x_test, fitted=fitted
    )
    assert table["poly"].shape == (2, 2) and len(fitted) == 4
    assert table["poly"][:, 1].mean() < table["poly"][:, 0].mean()


def test_fixed_budget_and_converged_predictors(data):
    x, y = data
    budget = tradeoffs.fit_tanh_net(x, y, steps=30)
    assert budget.history.steps_run == 30 and budget(x).shape == (20,)
    conv = tradeoffs.fit_tanh_converged(x, y, width=3)
    assert conv.result.converged
    np.testing.assert_allclose(conv(x), conv.net(x)[:, 0])


def test_polynomial_coefficients_recover_a_polynomial_exactly():
    c = tradeoffs.polynomial_coefficients(lambda x: 1 - 2 * x + 0.5 * x**3, 3, (-2, 2))
    np.testing.assert_allclose(c, [1, -2, 0, 0.5], atol=1e-9)
    # and a higher term leaks into the lower coefficients: not the Taylor coefficients
    c5 = tradeoffs.polynomial_coefficients(lambda x: x**5, 3, (-1, 1))
    assert abs(c5[3]) > 0.5


def test_alignment():
    W = np.array([[1.0, 0.0, -2.0], [0.0, 3.0, 0.0]])
    np.testing.assert_allclose(tradeoffs.alignment(W, [1.0, 0.0]), [1, 0, 1])
    with pytest.raises(ShapeError, match="^alignment:"):
        tradeoffs.alignment(W, [1.0, 0.0, 0.0])
    with pytest.raises(NnlabValueError, match="^alignment:"):
        tradeoffs.alignment(W, [0.0, 0.0])


def test_monomial_count_selfcheck():
    expected, mistakes = tradeoffs.monomial_count_mistakes(5, 3)
    assert expected == math.comb(8, 3) == 56
    values = {m.value for m in mistakes}
    assert {55.0, 35.0, 1024.0, 125.0} <= values
    assert grade("56", expected, mistakes)[0]
    assert "constant" in grade("55", expected, mistakes)[1]


def test_bad_input_names_the_function(data):
    x, y = data
    with pytest.raises(NnlabValueError, match="^converge:"):
        tradeoffs.converge(nnlab.MLP([1, 2, 2, 1], "tanh"), x, y)
    with pytest.raises(NnlabTypeError, match="^converge:"):
        tradeoffs.converge("net", x, y)
    with pytest.raises(NnlabValueError, match="^converge:"):
        tradeoffs.converge(nnlab.MLP([1, 2, 1], "tanh"), x, y, penalty=-1.0)
    with pytest.raises(ShapeError, match="^converge:"):
        tradeoffs.converge(nnlab.MLP([1, 2, 1], "tanh"), x, y[:-1])
    with pytest.raises(NnlabValueError, match="^seed_study:"):
        tradeoffs.seed_study(x, y, seeds=[])
    with pytest.raises(NnlabTypeError, match="^error_table:"):
        tradeoffs.error_table(1.0, {"p": tradeoffs.fit_polynomial}, [5], [0], x)
    with pytest.raises(NnlabValueError, match="^polynomial_coefficients:"):
        tradeoffs.polynomial_coefficients(np.sin, 3, (1, 0))


def test_plot_minima_groups_equal_runs():
    from nnlab.plots import tradeoffs as pt

    fig = pt.plot_minima({"fixed": np.full(4, 0.5), "learned": [0.1, 0.1, 0.2, 0.1 + 1e-12]})
    ax = fig.axes[0]
    counts = sorted(t.get_text() for t in ax.texts)
    assert counts == ["1", "3", "4"]
    assert len(ax.collections) == 3
    with pytest.raises(NnlabValueError, match="^plot_minima:"):
        pt.plot_minima({})


def test_single_direction_task_varies_along_u_only():
    X, y, Xt, yt, u = tradeoffs.single_direction_task(d=3, n_train=50, n_test=40, seed=1)
    assert X.shape == (50, 3) and y.shape == (50,) and Xt.shape == (40, 3) and yt.shape == (40,)
    np.testing.assert_allclose(np.linalg.norm(u), 1.0)
    np.testing.assert_allclose(yt, np.sin(2 * Xt @ u))
    assert np.std(y - np.sin(2 * X @ u)) < 0.1  # the noise only
    with pytest.raises(NnlabValueError, match="^single_direction_task:"):
        tradeoffs.single_direction_task(d=0)
