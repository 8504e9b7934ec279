"""The activation table: its hand-written derivatives agree with the engine's primitive rules,
and the one sigmoid works on plain arrays without overflowing."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import nnlab
from nnlab.nn import ACTIVATIONS, backprop

# A grid through the interesting region, with the kink at 0 and values far enough out that
# sigmoid and tanh saturate.
GRID = np.concatenate([np.linspace(-30.0, 30.0, 601), [-1e-9, 0.0, 1e-9]])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_hand_written_derivative_agrees_with_the_engines_vjp(name):
    activation = ACTIVATIONS[name]
    z = GRID.copy()
    a = np.asarray(activation.fn(z))
    _, pullback = nnlab.vjp(activation.fn, z)
    np.testing.assert_allclose(activation.derivative(z, a), pullback(np.ones_like(z)), atol=1e-15)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_hand_written_derivative_agrees_with_the_engines_jvp(name):
    activation = ACTIVATIONS[name]
    z = GRID.copy()
    a = np.asarray(activation.fn(z))
    _, tangent = nnlab.jvp(activation.fn, (z,), (np.ones_like(z),))
    np.testing.assert_allclose(activation.derivative(z, a), tangent, atol=1e-15)


def test_derivative_keeps_float32():
    z = np.linspace(-3, 3, 7, dtype=np.float32)
    for activation in ACTIVATIONS.values():
        a = np.asarray(activation.fn(z))
        assert activation.derivative(z, a).dtype == np.float32, activation.name


def test_backprop_uses_the_hand_table_and_matches_autodiff_for_each_activation():
    X = np.random.default_rng(0).standard_normal((5, 2))
    y = np.arange(5.0)
    for name in ACTIVATIONS:
        net = nnlab.MLP([2, 4, 1], activation=name, seed=1)
        _, by_hand = backprop.loss_and_gradients(net, X, y, "mse")
        by_engine = nnlab.grad(lambda params, net=net: nnlab.mse(net.apply(params, X), y))(
            net.parameters()
        )
        for g, h in zip(by_hand, by_engine, strict=True):
            np.testing.assert_allclose(g, h, rtol=1e-12, atol=1e-14)


# --- one sigmoid ---------------------------------------------------------------------------
def test_sigmoid_on_arrays_returns_an_array_and_never_overflows():
    z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = nnlab.sigmoid(z)
    assert type(s) is np.ndarray and s.dtype == np.float64
    assert s[0] == 0.0 and s[2] == 0.5 and s[-1] == 1.0
    # Far in the tail the small side keeps full relative precision: sigmoid(-40) = e^-40 / (1 + ...)
    assert s[1] == pytest.approx(np.exp(-40.0), rel=1e-15)


def test_the_activation_table_and_the_softplus_derivative_use_the_one_sigmoid():
    z = np.linspace(-50, 50, 11)
    np.testing.assert_array_equal(ACTIVATIONS["sigmoid"].fn(z), nnlab.sigmoid(z))
    np.testing.assert_array_equal(ACTIVATIONS["softplus"].derivative(z, None), nnlab.sigmoid(z))
