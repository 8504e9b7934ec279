"""nnlab.course.interpret: attributions, perturbation importance, unit surgery, boundaries and
the box rule (through the package's list of its parts)."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab.course import interpret as I
from nnlab.course import xor
from nnlab.engine.gradcheck import numerical_grad
from nnlab.nn.metrics import accuracy


def tanh_net(seed=0, sizes=(3, 5, 1)):
    net = nnlab.MLP(list(sizes), "tanh", output="sigmoid", seed=seed)
    net.b[0] = np.linspace(-0.5, 0.5, sizes[1])
    return net


def handout_xor():
    return xor.xor_network()


X3 = np.random.default_rng(0).standard_normal((6, 3))


def test_score_function_is_the_logit_and_accepts_one_example():
    net = tanh_net()
    f = I.score_function(net)
    np.testing.assert_allclose(f(X3), net.logits(X3)[:, 0])
    np.testing.assert_allclose(f(X3[0]), net.logits(X3[:1])[:, 0])
    with pytest.raises(ValueError, match="output must be an index"):
        I.score_function(net, output=1)
    with pytest.raises(TypeError, match="nnlab.MLP"):
        I.score_function(lambda x: x)


def test_input_gradients_match_central_differences_row_by_row():
    net = tanh_net()
    f = I.score_function(net)
    g = I.input_gradients(f, X3)
    for i in range(len(X3)):
        fd = numerical_grad(lambda x: float(f(x[None, :])[0]), X3[i].copy())
        np.testing.assert_allclose(g[i], fd, atol=1e-7)
    np.testing.assert_allclose(I.saliency(f, X3), np.abs(g))
    np.testing.assert_allclose(I.saliency(f, X3, absolute=False), g)


def test_gradient_times_input_uses_the_baseline():
    f = I.score_function(tanh_net())
    base = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(
        I.gradient_times_input(f, X3, baseline=base), (X3 - base) * I.input_gradients(f, X3)
    )


@pytest.mark.parametrize("rule", ["left", "right", "midpoint", "trapezoid"])
def test_integrated_gradients_completeness_improves_with_steps(rule):
    f = I.score_function(tanh_net(seed=1))
    base = np.array([0.2, -0.1, 0.3])
    gaps = [
        np.abs(I.integrated_gradients(f, X3, baseline=base, steps=m, rule=rule).completeness_gap)
        for m in (4, 16, 64, 256)
    ]
    maxima = [g.max() for g in gaps]
    assert all(a > b for a, b in zip(maxima, maxima[1:], strict=False))
    assert maxima[-1] < (2e-2 if rule in ("left", "right") else 1e-4)
    res = I.integrated_gradients(f, X3, baseline=base, steps=8, rule=rule)
    np.testing.assert_allclose(res.f_x, f(X3))
    np.testing.assert_allclose(res.f_baseline, f(np.broadcast_to(base, X3.shape)))


def test_midpoint_rule_is_second_order_and_matches_a_hand_sum():
    f = I.score_function(tanh_net(seed=2))
    e128 = np.abs(I.integrated_gradients(f, X3, steps=128).completeness_gap).max()
    e256 = np.abs(I.integrated_gradients(f, X3, steps=256).completeness_gap).max()
    assert 3.5 < e128 / e256 < 4.5
    # hand-written Riemann sum for one point, 3 midpoint steps, baseline 0
    x = X3[:1]
    ts = (np.arange(3) + 0.5) / 3
    avg = np.mean([I.input_gradients(f, t * x)[0] for t in ts], axis=0)
    np.testing.assert_allclose(I.integrated_gradients(f, x, steps=3).attributions[0], x[0] * avg)


def test_linear_model_ig_equals_gradient_times_input_exactly():
    lin = nnlab.MLP([3, 1], seed=4)
    f = I.score_function(lin)
    ig = I.integrated_gradients(f, X3, steps=1, rule="left")
    np.testing.assert_allclose(ig.attributions, X3 * lin.W[0][:, 0], atol=1e-14)
    np.testing.assert_allclose(ig.completeness_gap, 0.0, atol=1e-12)


def test_ig_beats_saliency_on_a_saturated_function():
    def f(X):
        return (X - nnlab.relu(X - 1.0))[:, 0]

    x = np.array([[3.0]])
    assert I.saliency(f, x)[0, 0] == 0.0
    assert I.integrated_gradients(f, x, steps=300).attributions[0, 0] == pytest.approx(1.0)


def test_occlusion_attributions_by_hand():
    f = I.score_function(tanh_net())
    occ = I.occlusion_attributions(f, X3)
    Xj = X3.copy()
    Xj[:, 1] = 0.0
    np.testing.assert_allclose(occ[:, 1], f(X3) - f(Xj))


def test_bad_inputs_give_clear_errors():
    f = I.score_function(tanh_net())
    with pytest.raises(ValueError, match="unknown rule"):
        I.integrated_gradients(f, X3, rule="simpson")
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        I.integrated_gradients(f, X3, steps=0)
    with pytest.raises(ValueError, match="baseline of shape"):
        I.integrated_gradients(f, X3, baseline=np.zeros(2))
    with pytest.raises(ValueError, match="nan or inf"):
        I.saliency(f, np.array([[np.nan, 0.0, 0.0]]))
    with pytest.raises(ValueError, match="one score per row"):
        I.saliency(lambda X: X.sum(), X3)
    with pytest.raises(ValueError, match="unknown fill"):
        I.occlusion_importance(f, X3, np.zeros(6), fill="median")
    with pytest.raises(ValueError, match="labels y must have shape"):
        I.permutation_importance(f, X3, np.zeros(5))


def known_importance_data(seed=0, n=300):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))
    return X, (X[:, 0] + 2 * X[:, 1] > 0).astype(int)


def test_perturbation_importance_recovers_the_truth_for_a_known_rule():
    X, y = known_importance_data()

    def f(X):
        return X[:, 0] + 2 * X[:, 1]  # the true rule: x3 is irrelevant

    for imp in (
        I.permutation_importance(f, X, y, repeats=5, seed=1),
        I.occlusion_importance(f, X, y, fill="noise", repeats=3, seed=1),
        I.occlusion_importance(f, X, y, fill="mean"),
        I.occlusion_importance(f, X, y, fill=0.0),
    ):
        assert imp.base == 1.0
        assert imp.drops[2] == 0.0
        assert imp.drops[1] > imp.drops[0] > 0.0
    # the mean fill equals a hand computation
    Xm = X.copy()
    Xm[:, 0] = X[:, 0].mean()
    mean_imp = I.occlusion_importance(f, X, y, fill="mean")
    assert mean_imp.perturbed[0] == accuracy(f(Xm), y, from_logits=True)


def test_permutation_importance_is_seeded():
    X, y = known_importance_data()

    def f(X):
        return X[:, 0] + 2 * X[:, 1]

    a = I.permutation_importance(f, X, y, repeats=3, seed=7).drops
    b = I.permutation_importance(f, X, y, repeats=3, seed=7).drops
    c = I.permutation_importance(f, X, y, repeats=3, seed=8).drops
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_handout_xor_units_and_ablation():
    net = handout_xor()
    X, y = nnlab.data.xor()
    H = I.hidden_activations(net, X)
    np.testing.assert_array_equal(H, [[2, 0], [0, 0], [0, 0], [0, 2]])
    f = I.score_function(net)
    assert accuracy(f(X), y, from_logits=True) == 1.0
    for unit, lost in [(0, 0), (1, 3)]:
        g = I.score_function(I.ablate_units(net, [unit]))
        preds = (g(X) > 0).astype(int)
        assert accuracy(g(X), y, from_logits=True) == 0.75 and preds[lost] != y[lost]
    assert accuracy(I.score_function(I.ablate_units(net, [0, 1]))(X), y, from_logits=True) == 0.5
    # ablation works on a copy
    assert net.W[1][0, 0] == 1.0
    with pytest.raises(ValueError, match="cannot ablate"):
        I.ablate_units(net, [2])
    with pytest.raises(ValueError, match="hidden layer"):
        I.hidden_activations(net, X, layer=1)


def test_reparametrize_hidden_symmetries():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 3))
    R, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    lin = nnlab.MLP([3, 4, 1], "identity", seed=1)
    lin.b[0] = rng.standard_normal(4)
    np.testing.assert_allclose(I.reparametrize_hidden(lin, R)(X), lin(X), atol=1e-12)
    relu = nnlab.MLP([3, 4, 1], "relu", seed=1)
    relu.b[0] = rng.standard_normal(4)
    PD = np.eye(4)[[2, 0, 3, 1]] @ np.diag([0.5, 2.0, 3.0, 1.5])
    np.testing.assert_allclose(I.reparametrize_hidden(relu, PD)(X), relu(X), atol=1e-12)
    assert np.max(np.abs(I.reparametrize_hidden(relu, R)(X) - relu(X))) > 0.1
    with pytest.raises(ValueError, match="invertible"):
        I.reparametrize_hidden(relu, np.zeros((4, 4)))
    with pytest.raises(ValueError, match="must be 4x4"):
        I.reparametrize_hidden(relu, np.eye(3))


def test_decision_map_and_distance_to_boundary_on_a_line():
    def f(X):
        return X[:, 0] + X[:, 1] - 1.0  # boundary x1 + x2 = 1

    grid, scores = I.decision_map(f, (-1, 1), (-1, 1), steps=5)
    assert scores.shape == grid.xx.shape == (5, 5)
    np.testing.assert_allclose(scores, grid.xx + grid.yy - 1)
    P = np.array([[0.0, 0.0], [2.0, 2.0]])
    d = I.distance_to_boundary(f, P)
    np.testing.assert_allclose(d, [1 / np.sqrt(2), 3 / np.sqrt(2)], atol=1e-9)
    along_x = I.distance_to_boundary(f, P[:1], direction=[1.0, 0.0])
    np.testing.assert_allclose(along_x, [1.0], atol=1e-9)
    away = I.distance_to_boundary(f, P[:1], direction=[-1.0, 0.0], t_max=5)
    assert np.isinf(away[0])


def test_box_rule_finds_a_planted_square():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, (400, 3))
    y = ((np.abs(X[:, 0]) <= 1) & (np.abs(X[:, 2]) <= 1)).astype(int)
    rule = I.fit_box_rule(X, y, candidates=np.linspace(0.5, 1.5, 11))
    assert rule.features == (0, 2)
    assert rule.half_width == pytest.approx(1.0)
    assert rule.train_accuracy == 1.0
    assert rule.describe() == "predict 1 if |x1| <= 1.00 and |x3| <= 1.00"
