"""Explicit layer-by-layer backprop equals reverse-mode autodiff, and the handout's examples."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab import MLP
from nnlab.nn.backprop import backward, forward, loss_and_gradients, output_delta


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def autodiff_loss(net, X, y, loss):
    """The same loss written with the autodiff API (softmax CE takes the logits)."""
    if loss == "softmax_ce":
        return lambda p: nnlab.softmax_cross_entropy(net.logits(X, p), y)
    return lambda p: nnlab.get_loss(loss)(net.apply(p, X), y)


def random_problem(output, sizes, n, seed, bias=True, activation="tanh"):
    rng = np.random.default_rng(seed)
    net = MLP(sizes, activation=activation, output=output, seed=seed, bias=bias)
    for layer, b in enumerate(net.b):  # non-zero biases, so their gradients matter
        if b is not None:
            net.b[layer] = rng.uniform(-0.5, 0.5, b.shape)
    shape = (n, sizes[0]) if n else (sizes[0],)
    X = rng.standard_normal(shape)
    k = sizes[-1]
    if output == "identity":
        y = rng.standard_normal((n, k) if n else (k,))
    elif output == "sigmoid":
        y = (rng.random((n, k) if n else (k,)) < 0.5).astype(float)
    else:
        y = rng.integers(0, k, n)
    return net, X, y


PAIRS = [("sigmoid", "bce"), ("softmax", "softmax_ce"), ("identity", "mse")]
ARCHITECTURES = [[3, 1], [3, 4, 1], [2, 5, 3, 1], [4, 3, 3, 3, 1]]


def _check_equal(net, X, y, loss):
    value, grads = loss_and_gradients(net, X, y, loss)
    ref_value, ref_grads = nnlab.value_and_grad(autodiff_loss(net, X, y, loss))(net.parameters())
    assert value == pytest.approx(ref_value, rel=1e-13)
    assert len(grads) == len(ref_grads) == len(net.parameters())
    for g, r, p in zip(grads, ref_grads, net.parameters(), strict=True):
        assert g.shape == p.shape
        np.testing.assert_allclose(g, r, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("output, loss", PAIRS)
@pytest.mark.parametrize("sizes", ARCHITECTURES, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("bias", [True, False], ids=["bias", "nobias"])
def test_backprop_equals_autodiff(output, loss, sizes, bias):
    sizes = sizes[:-1] + [3 if output == "softmax" else 1]
    net, X, y = random_problem(output, sizes, n=5, seed=len(sizes) + 10 * bias, bias=bias)
    _check_equal(net, X, y, loss)


@pytest.mark.parametrize("output, loss", [("sigmoid", "bce"), ("identity", "mse")])
@pytest.mark.parametrize("width", [2, 3])
def test_backprop_equals_autodiff_with_several_outputs(output, loss, width):
    # Multi-label sigmoid and vector regression: the loss is a mean over every entry.
    net, X, y = random_problem(output, [3, 4, width], n=6, seed=width)
    _check_equal(net, X, y, loss)


@pytest.mark.parametrize("output, loss", [("sigmoid", "bce"), ("identity", "mse")])
@pytest.mark.parametrize("width", [1, 2])
def test_backprop_on_a_single_example_given_as_a_vector(output, loss, width):
    net, x, y = random_problem(output, [3, 4, width], n=0, seed=5)
    assert x.ndim == 1
    _check_equal(net, x, y, loss)
    # ... and it equals the batch of one.
    value, grads = loss_and_gradients(net, x, y, loss)
    value1, grads1 = loss_and_gradients(net, x[None, :], y[None, :], loss)
    assert value == pytest.approx(value1, rel=1e-14)
    for g, g1 in zip(grads, grads1, strict=True):
        np.testing.assert_allclose(g, g1, rtol=1e-13)


def test_backprop_with_mixed_activations_and_bias_flags():
    X = np.random.default_rng(9).standard_normal((4, 3))
    net = MLP(
        [3, 4, 4, 3], activation=["relu", "sigmoid"], output="softmax", bias=[False, True, True]
    )
    _check_equal(net, X, np.array([2, 0, 1, 2]), "softmax_ce")
    net = MLP([3, 4, 4, 1], activation=["leaky_relu", "softplus"], output="identity", seed=2)
    _check_equal(net, X, np.arange(4.0), "mse")


def test_backprop_with_explicit_parameters():
    net, X, y = random_problem("sigmoid", [2, 3, 1], n=4, seed=3)
    params = [p * 1.5 for p in net.parameters()]
    value, grads = loss_and_gradients(net, X, y, "bce", params=params)
    ref_value, ref_grads = nnlab.value_and_grad(autodiff_loss(net, X, y, "bce"))(params)
    assert value == pytest.approx(ref_value, rel=1e-13)
    for g, r in zip(grads, ref_grads, strict=True):
        np.testing.assert_allclose(g, r, rtol=1e-10, atol=1e-14)


def test_forward_cache_holds_every_z_and_a():
    net, X, _ = random_problem("sigmoid", [2, 3, 4, 1], n=5, seed=0)
    cache = forward(net, X)
    assert [z.shape for z in cache.z] == [(5, 3), (5, 4), (5, 1)]
    assert [a.shape for a in cache.a] == [(5, 2), (5, 3), (5, 4), (5, 1)]
    np.testing.assert_array_equal(cache.a[0], X)
    np.testing.assert_allclose(cache.z[0], X @ net.W[0] + net.b[0], rtol=1e-15)
    np.testing.assert_allclose(cache.a[1], np.tanh(cache.z[0]), rtol=1e-15)
    np.testing.assert_allclose(cache.a[-1], net(X), rtol=1e-15)


def test_output_delta_is_prediction_minus_target_over_n():
    net, X, y = random_problem("softmax", [2, 3, 3], n=4, seed=1)
    cache = forward(net, X)
    _, delta = output_delta(net, cache, y, "softmax_ce")
    np.testing.assert_allclose(delta, (cache.a[-1] - np.eye(3)[y]) / 4, rtol=1e-15)
    # backward from that delta is what loss_and_gradients returns.
    _, grads = loss_and_gradients(net, X, y, "softmax_ce")
    for g, h in zip(backward(net, cache, delta), grads, strict=True):
        np.testing.assert_array_equal(g, h)


def test_backprop_rejects_unsupported_pairs():
    net = MLP([2, 3, 1], output="identity")
    with pytest.raises(ValueError, match="nnlab.grad"):
        loss_and_gradients(net, np.ones((2, 2)), np.array([0.0, 1.0]), "bce")


# --- §1.5.2: the chain rule through sigmoid(v1 * relu(w1 * x)) ----------------------------
def section_152(w1, v1, x):
    return nnlab.sigmoid(v1 * nnlab.relu(w1 * x))


def test_section_1_5_2_chain_rule_active_relu(fd_grad):
    w1, v1, x = 0.5, -2.0, 3.0  # w1 * x = 1.5 > 0
    s = sigmoid(v1 * w1 * x)
    correct = s * (1 - s) * v1 * x
    handout = s * (1 - s) * v1 * x**2  # the handout's printed answer
    g = nnlab.grad(section_152, argnums=0)(w1, v1, x)
    assert float(g) == pytest.approx(correct, rel=1e-14)
    assert float(g) == pytest.approx(-0.2710599584, rel=1e-9)
    numerical = fd_grad(lambda w: section_152(w, v1, x), np.array(w1))
    assert float(numerical) == pytest.approx(correct, rel=1e-8)
    assert abs(handout - correct) > 0.5  # the printed v * x**2 is not the derivative
    assert float(g) != pytest.approx(handout, rel=1e-3)


def test_section_1_5_2_chain_rule_dead_relu(fd_grad):
    w1, v1, x = -0.5, -2.0, 3.0  # w1 * x = -1.5 < 0: the relu blocks the gradient
    g = nnlab.grad(section_152, argnums=0)(w1, v1, x)
    assert float(g) == 0.0
    assert float(fd_grad(lambda w: section_152(w, v1, x), np.array(w1))) == 0.0


# --- §1.6(b): gradients of the 2-2-1 ReLU net without hidden biases ----------------------
def section_16_net(W, v):
    net = MLP([2, 2, 1], activation="relu", output="identity", bias=[False, True])
    net.W[0] = np.array(W, dtype=float)
    net.W[1] = np.array(v, dtype=float).reshape(2, 1)
    net.b[1] = np.array([0.3])
    return net


def half_squared_error(net, x, y):
    # L = (yhat - y)**2 / 2 for one example: half the mse, so dL/dyhat = yhat - y.
    return lambda p: 0.5 * nnlab.mse(net.apply(p, x[None, :]), np.array([[y]]))


@pytest.mark.parametrize(
    "W, dead",
    [
        ([[0.8, -0.4], [0.6, 0.9]], False),  # w11 x1 + w21 x2 = 1.5 at x = (1.5, 0.5)
        ([[-0.8, 0.4], [-0.6, 0.9]], True),  # w11 x1 + w21 x2 = -1.5: hidden unit 1 is dead
    ],
    ids=["active", "dead-relu"],
)
def test_section_1_6_b_gradients(W, dead, fd_grad):
    x, y = np.array([1.5, 0.5]), 2.0
    v = [0.7, -1.1]
    net = section_16_net(W, v)
    pre1 = W[0][0] * x[0] + W[1][0] * x[1]  # w11 x1 + w21 x2 (W[i, j]: input i -> hidden j)
    assert (pre1 < 0) == dead
    h = np.maximum(x @ np.array(W), 0)
    yhat = float(h @ np.array(v) + 0.3)
    assert float(net(x)[0]) == pytest.approx(yhat, rel=1e-15)

    dv1 = (yhat - y) * max(pre1, 0.0)
    dw11 = (yhat - y) * v[0] * x[0] * (1.0 if pre1 > 0 else 0.0)

    f = half_squared_error(net, x, y)
    gW, gv, gb = nnlab.grad(f)(net.parameters())
    assert float(gv[0, 0]) == pytest.approx(dv1, rel=1e-14, abs=0)
    assert float(gW[0, 0]) == pytest.approx(dw11, rel=1e-14, abs=0)
    assert float(gb[0]) == pytest.approx(yhat - y, rel=1e-14)
    if dead:
        assert float(gv[0, 0]) == 0.0 and float(gW[0, 0]) == 0.0 and float(gW[1, 0]) == 0.0

    # Explicit backprop with the mse loss gives twice these (d mse / d yhat = 2 (yhat - y)).
    _, (bW, bv, bb) = loss_and_gradients(net, x[None, :], np.array([y]), "mse")
    assert float(bv[0, 0]) == pytest.approx(2 * dv1, rel=1e-14, abs=0)
    assert float(bW[0, 0]) == pytest.approx(2 * dw11, rel=1e-14, abs=0)

    # And central differences agree (the relu is far from its kink here).
    theta = np.array(W, dtype=float)
    numerical = fd_grad(lambda W_: f([W_, net.W[1], net.b[1]]), theta)
    np.testing.assert_allclose(numerical, gW, rtol=1e-7, atol=1e-9)
