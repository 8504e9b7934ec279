"""nnlab.widgets.interpret: the attribution explorer shows the engine's numbers."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import nnlab
from nnlab.course import interpret as I
from nnlab.widgets import interpret as wi


def trained_moons_net():
    X, y = nnlab.data.moons(60, noise=0.1, seed=0)
    net = nnlab.MLP([2, 6, 1], "tanh", output="sigmoid", seed=0)

    def loss(params):
        return nnlab.binary_cross_entropy_with_logits(net.logits(X, params)[:, 0], y)

    net.set_parameters(nnlab.optim.train(loss, net.parameters(), "adam", lr=0.05, steps=200).params)
    return net, X, y


def test_point_attributions_agree_with_interpret():
    net, _, _ = trained_moons_net()
    f = I.score_function(net)
    x = np.array([[0.3, -0.2]])
    info = I.point_attributions(net, x[0], steps=32)
    assert info["logit"] == pytest.approx(float(f(x)[0]))
    assert info["probability"] == pytest.approx(float(net(x)[0, 0]))
    np.testing.assert_allclose(info["gradient"], I.saliency(f, x, absolute=False)[0])
    np.testing.assert_allclose(info["ig"], I.integrated_gradients(f, x, steps=32).attributions[0])
    assert info["ig_sum"] == pytest.approx(info["difference"], abs=1e-2)
    with pytest.raises(ValueError, match="2-input, 1-output"):
        I.point_attributions(nnlab.MLP([3, 2, 1]), [0, 0, 0])


def test_explorer_readout_follows_the_sliders():
    net, X, y = trained_moons_net()
    ex = wi.attribution_explorer(net, X, y, x0=(0.5, 0.25))
    fig, text = ex.outputs
    assert isinstance(fig, Figure)
    assert "point x = (+0.5000, +0.2500)" in text
    fig, text = ex.set(x1=1.0, x2=-0.3)
    info = I.point_attributions(net, [1.0, -0.3])
    assert "point x = (+1.0000, -0.3000)" in text
    assert f"logit f(x) = {info['logit']:+.4f}" in text
    assert f"({info['ig'][0]:+.4f}, {info['ig'][1]:+.4f})" in text
    label = 1 if info["logit"] > 0 else 0
    assert f"predicted label {label}" in text
    with pytest.raises(ValueError, match="unknown control"):
        ex.set(x3=0.0)


def test_readout_reports_the_completeness_gap():
    net, _, _ = trained_moons_net()
    info = I.point_attributions(net, [0.0, 0.4], baseline=[0.5, 0.0], steps=4)
    text = I.attribution_readout(info)
    gap = info["ig_sum"] - info["difference"]
    assert f"gap = {gap:+.2e}" in text
    assert "baseline x' = (+0.5000, +0.0000)" in text
    assert "(4 midpoint steps)" in text
