"""MLPs built from specs, activations by name, and the losses against direct numpy formulas."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import nnlab
from nnlab import MLP, Tensor


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --- MLP construction ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "sizes, bias, expected",
    [
        ([2, 2, 3, 1], True, 2 * 2 + 2 + 2 * 3 + 3 + 3 * 1 + 1),  # 19
        ([2, 2, 1], [False, True], 2 * 2 + 2 * 1 + 1),  # §1.6 net, hidden layer without biases: 7
        ([2, 2, 1], False, 2 * 2 + 2 * 1),  # §1.6 net with no bias at all: 6
        ([2, 2, 1], True, 2 * 2 + 2 + 2 * 1 + 1),  # 9
        ([4, 1], True, 4 + 1),
        ([3, 5, 5, 2], [True, False, True], 3 * 5 + 5 + 5 * 5 + 5 * 2 + 2),
    ],
)
def test_parameter_count_from_spec(sizes, bias, expected):
    net = MLP(sizes, bias=bias)
    assert net.n_parameters == expected
    assert sum(p.size for p in net.parameters()) == expected
    assert net.depth == len(sizes) - 1
    assert [W.shape for W in net.W] == list(zip(sizes[:-1], sizes[1:], strict=True))
    flags = [bias] * net.depth if isinstance(bias, bool) else bias
    assert [b is not None for b in net.b] == flags
    assert f"params={expected}" in repr(net)


def test_parameters_are_ordered_W0_b0_W1_b1():
    net = MLP([3, 4, 2], bias=[False, True])
    params = net.parameters()
    assert [p.shape for p in params] == [(3, 4), (4, 2), (2,)]
    assert params[0] is net.W[0] and params[1] is net.W[1] and params[2] is net.b[1]


def test_spec_rebuilds_the_same_network():
    net = MLP([3, 4, 4, 2], activation=["relu", "tanh"], output="softmax", bias=[True, False, True])
    spec = net.spec()
    assert spec == {
        "sizes": [3, 4, 4, 2],
        "activation": ["relu", "tanh"],
        "output": "softmax",
        "bias": [True, False, True],
    }
    twin = MLP(**spec, seed=net.seed)
    for a, b in zip(net.parameters(), twin.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_same_seed_same_weights_different_seed_different_weights():
    a, b, c = MLP([3, 5, 2], seed=7), MLP([3, 5, 2], seed=7), MLP([3, 5, 2], seed=8)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)
    assert not np.array_equal(a.W[0], c.W[0])
    assert not np.array_equal(a.W[1], c.W[1])


def test_initial_scale_is_he_for_relu_and_glorot_otherwise():
    relu = MLP([400, 300, 1], activation="relu", seed=1)
    tanh = MLP([400, 300, 1], activation="tanh", seed=1)
    assert np.std(relu.W[0]) == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert np.std(tanh.W[0]) == pytest.approx(np.sqrt(1 / 400), rel=0.02)
    assert np.all(relu.b[0] == 0)


def test_the_forward_pass_is_the_documented_formula():
    rng = np.random.default_rng(0)
    net = MLP([3, 4, 2], activation="tanh", output="sigmoid", seed=3)
    net.b[0] = rng.standard_normal(4)
    net.b[1] = rng.standard_normal(2)
    X = rng.standard_normal((5, 3))
    z1 = X @ net.W[0] + net.b[0]
    z2 = np.tanh(z1) @ net.W[1] + net.b[1]
    np.testing.assert_allclose(net.logits(X), z2, rtol=1e-14)
    np.testing.assert_allclose(net(X), sigmoid(z2), rtol=1e-14)
    # One example as a 1-D vector gives the same numbers as a batch of one.
    np.testing.assert_allclose(net(X[0]), net(X[:1])[0], rtol=1e-14)
    # Parameters passed explicitly (as Tensors) override the stored ones.
    params = [Tensor(p * 2) for p in net.parameters()]
    out = net.apply(params, X)
    assert isinstance(out, Tensor)
    z1 = X @ (2 * net.W[0]) + 2 * net.b[0]
    np.testing.assert_allclose(out.value, sigmoid(np.tanh(z1) @ (2 * net.W[1]) + 2 * net.b[1]))


def test_softmax_output_rows_sum_to_one():
    net = MLP([2, 3, 4], activation="relu", output="softmax", seed=0)
    out = net(np.random.default_rng(1).standard_normal((6, 2)))
    assert out.shape == (6, 4)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-14)
    assert np.all(out > 0)


def test_set_parameters_round_trip():
    net = MLP([2, 3, 1], bias=[False, True])
    new = [np.full((2, 3), 0.5), np.full((3, 1), -1.0), np.array([0.25])]
    net.set_parameters(new)
    for p, q in zip(net.parameters(), new, strict=True):
        np.testing.assert_array_equal(p, q)
    assert net.b[0] is None


def test_xor_solution_of_section_1_9_set_by_hand():
    """The handout's §1.9 XOR net: hidden map h = ReLU(W_hid^T x), W_hid = [[1, -1], [1, -1]].

    (W_hid^T x)_j = sum_i W_hid[i, j] x_i = (x @ W_hid)_j, so in our convention z = x @ W + b
    the same matrix is W itself (W[i, j] from input i to hidden j); the handout's own
    subscripts w_md are the transpose, but its matrix W_hid is already laid out input-by-hidden.
    """
    X = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]])
    net = MLP([2, 2, 1], activation="relu", output="sigmoid", bias=[False, True])
    net.W[0] = np.array([[1.0, -1.0], [1.0, -1.0]])
    net.W[1] = np.array([[1.0], [1.0]])
    net.b[1] = np.array([-1.0])

    # x = (1, 1) is mapped to (2, -2), as in the handout; the transposed matrix would not do that.
    np.testing.assert_array_equal(X[:1] @ net.W[0], [[2.0, -2.0]])
    assert not np.array_equal(X[:1] @ net.W[0].T, [[2.0, -2.0]])

    logits = net.logits(X)
    np.testing.assert_array_equal(logits[:, 0], [1.0, -1.0, -1.0, 1.0])
    out = net(X)[:, 0]
    s1, s_1 = sigmoid(1.0), sigmoid(-1.0)
    np.testing.assert_allclose(out, [s1, s_1, s_1, s1], rtol=1e-15)
    np.testing.assert_allclose(out, [0.731059, 0.268941, 0.268941, 0.731059], atol=5e-7)
    # Classified by thresholding at 1/2: (1,1) and (-1,-1) in one class, the others in the other.
    np.testing.assert_array_equal(out > 0.5, [True, False, False, True])


# --- activations ------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(nnlab.ACTIVATIONS))
def test_activation_derivative_matches_autodiff(name):
    act = nnlab.get_activation(name)
    assert act.name == name
    z = np.array([-3.0, -1.2, -0.3, 0.4, 1.1, 2.5])  # no zeros: away from relu's kink
    a = np.asarray(act.fn(z))
    auto = nnlab.grad(lambda z: nnlab.sum(act.fn(z)))(z)
    np.testing.assert_allclose(act.derivative(z, a), auto, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    "name, formula",
    [
        ("relu", lambda z: np.maximum(z, 0)),
        ("tanh", np.tanh),
        ("sigmoid", sigmoid),
        ("leaky_relu", lambda z: np.where(z > 0, z, 0.01 * z)),
        ("softplus", lambda z: np.log1p(np.exp(z))),
        ("identity", lambda z: z),
    ],
)
def test_activation_values(name, formula):
    z = np.linspace(-4, 4, 17)
    np.testing.assert_allclose(nnlab.get_activation(name).fn(z), formula(z), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("name", sorted(nnlab.ACTIVATIONS))
def test_activation_and_derivative_are_finite_and_warning_free_at_extremes(name):
    # Saturated units are common (large inputs, large learning rates); backprop evaluates
    # `derivative` on every pre-activation, so it must not overflow there.
    act = nnlab.get_activation(name)
    z = np.array([-800.0, -40.0, 40.0, 800.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            a = np.asarray(act.fn(z))
            d = act.derivative(z, a)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(d))
    auto = nnlab.grad(lambda z: nnlab.sum(act.fn(z)))(z)
    np.testing.assert_allclose(d, auto, rtol=1e-12, atol=1e-300)


def test_every_activation_is_tested():
    assert set(nnlab.ACTIVATIONS) == {
        "relu",
        "tanh",
        "sigmoid",
        "leaky_relu",
        "softplus",
        "identity",
    }


# --- losses ----------------------------------------------------------------------------
RNG = np.random.default_rng(42)


def test_mse_matches_numpy():
    pred, y = RNG.standard_normal((5, 2)), RNG.standard_normal((5, 2))
    assert float(nnlab.mse(pred, y)) == pytest.approx(np.mean((pred - y) ** 2), rel=1e-15)
    # (n,) targets fit (n, 1) predictions.
    col, flat = RNG.standard_normal((4, 1)), RNG.standard_normal(4)
    assert float(nnlab.mse(col, flat)) == pytest.approx(np.mean((col[:, 0] - flat) ** 2), rel=1e-15)
    g = nnlab.grad(lambda p: nnlab.mse(p, y))(pred)
    np.testing.assert_allclose(g, 2 * (pred - y) / pred.size, rtol=1e-14)


def test_binary_cross_entropy_matches_numpy():
    p = RNG.uniform(0.05, 0.95, (6, 1))
    y = np.array([0, 1, 1, 0, 1, 0])
    expected = -np.mean(y * np.log(p[:, 0]) + (1 - y) * np.log(1 - p[:, 0]))
    assert float(nnlab.binary_cross_entropy(p, y)) == pytest.approx(expected, rel=1e-14)
    assert nnlab.get_loss("bce") is nnlab.binary_cross_entropy
    g = nnlab.grad(lambda p: nnlab.binary_cross_entropy(p, y))(p)
    expected_g = (-(y / p[:, 0]) + (1 - y) / (1 - p[:, 0])) / 6
    np.testing.assert_allclose(g[:, 0], expected_g, rtol=1e-13)


def test_binary_cross_entropy_of_confident_predictions():
    # A confident correct prediction costs 0 (not nan); a confident wrong one costs inf.
    assert float(nnlab.binary_cross_entropy(np.array([1.0, 0.0]), np.array([1.0, 0.0]))) == 0.0
    assert float(nnlab.binary_cross_entropy(np.array([0.0]), np.array([1.0]))) == np.inf


def test_binary_cross_entropy_with_logits_matches_bce_of_sigmoid():
    z = RNG.standard_normal((5, 3)) * 3
    y = (RNG.random((5, 3)) < 0.5).astype(float)
    direct = -np.mean(y * np.log(sigmoid(z)) + (1 - y) * np.log(1 - sigmoid(z)))
    assert float(nnlab.binary_cross_entropy_with_logits(z, y)) == pytest.approx(direct, rel=1e-12)
    assert float(nnlab.binary_cross_entropy(sigmoid(z), y)) == pytest.approx(direct, rel=1e-12)
    g = nnlab.grad(lambda z: nnlab.binary_cross_entropy_with_logits(z, y))(z)
    np.testing.assert_allclose(g, (sigmoid(z) - y) / z.size, rtol=1e-12, atol=1e-16)


def test_binary_cross_entropy_with_logits_is_stable_at_huge_logits():
    z = np.array([1000.0, -1000.0, 1000.0, -1000.0])
    with np.errstate(over="raise", invalid="raise"):
        right = nnlab.binary_cross_entropy_with_logits(z, np.array([1, 0, 1, 0]))
        wrong = nnlab.binary_cross_entropy_with_logits(z, np.array([0, 1, 0, 1]))
        g = nnlab.grad(lambda z: nnlab.binary_cross_entropy_with_logits(z, np.array([0, 1, 1, 0])))(
            z
        )
    assert float(right) == 0.0
    assert float(wrong) == 1000.0
    np.testing.assert_array_equal(g, np.array([1.0, -1.0, 0.0, 0.0]) / 4)


def test_softmax_cross_entropy_with_int_labels_and_one_hot_agree():
    logits = RNG.standard_normal((5, 4)) * 2
    labels = np.array([0, 3, 1, 1, 2])
    log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    expected = -np.mean(log_probs[np.arange(5), labels])
    from_ints = float(nnlab.softmax_cross_entropy(logits, labels))
    from_onehot = float(nnlab.softmax_cross_entropy(logits, nnlab.one_hot(labels, 4)))
    assert from_ints == pytest.approx(expected, rel=1e-14)
    assert from_onehot == pytest.approx(expected, rel=1e-14)
    g_int = nnlab.grad(lambda z: nnlab.softmax_cross_entropy(z, labels))(logits)
    g_hot = nnlab.grad(lambda z: nnlab.softmax_cross_entropy(z, nnlab.one_hot(labels, 4)))(logits)
    probs = np.exp(log_probs)
    np.testing.assert_allclose(g_int, (probs - np.eye(4)[labels]) / 5, rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(g_hot, g_int, rtol=1e-15)


def test_softmax_cross_entropy_is_stable_at_huge_logits():
    logits = np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, -1000.0]])
    with np.errstate(over="raise", invalid="raise"):
        value = float(nnlab.softmax_cross_entropy(logits, np.array([0, 1])))
    assert value == pytest.approx((0.0 + np.log(2.0)) / 2, rel=1e-12)


def test_get_loss_by_name():
    assert nnlab.get_loss("mse") is nnlab.mse
    assert nnlab.get_loss("bce_logits") is nnlab.binary_cross_entropy_with_logits
    assert nnlab.get_loss("softmax_ce") is nnlab.softmax_cross_entropy


def test_one_hot():
    out = nnlab.one_hot(np.array([2, 0, 1, 2]), 3)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    # Integer-valued floats (labels read from a float array) are accepted.
    np.testing.assert_array_equal(nnlab.one_hot(np.array([1.0, 0.0]), 2), [[0, 1], [1, 0]])
    assert nnlab.one_hot(np.array([], dtype=int), 4).shape == (0, 4)
