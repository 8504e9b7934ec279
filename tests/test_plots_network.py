"""Tests for nnlab.plots.network.draw_network."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

import nnlab
from nnlab.plots import COLORS, network, new_figure


def _patches(fig, kind):
    return [p for p in fig.axes[0].patches if isinstance(p, kind)]


def _texts(fig, gid):
    return [t.get_text() for t in fig.axes[0].texts if t.get_gid() == gid]


def test_figure1_from_sizes_list():
    fig = network.draw_network([2, 2, 3, 1])
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    circles = _patches(fig, Circle)
    assert len(circles) == 8  # one per unit
    assert len(_patches(fig, Rectangle)) == 0  # a plain size list has no bias information
    edges = [ln for ln in fig.axes[0].lines if ln.get_gid() == "edge"]
    assert len(edges) == 2 * 2 + 2 * 3 + 3 * 1
    # Figure 1's colours: blue inputs, green hidden 1, maroon hidden 2, orange output.
    faces = [tuple(np.round(c.get_facecolor()[:3], 3)) for c in circles]
    from matplotlib.colors import to_rgb

    expected = [COLORS["input"]] * 2 + [COLORS["hidden"]] * 2 + [COLORS["hidden2"]] * 3
    expected += [COLORS["output"]]
    assert faces == [tuple(np.round(to_rgb(c), 3)) for c in expected]


def test_bias_nodes_follow_spec_and_node_positions():
    net = nnlab.MLP([2, 2, 1], activation="relu", output="sigmoid", bias=[False, True])
    fig = network.draw_network(net)
    assert len(_patches(fig, Rectangle)) == 1
    bias_edges = [ln for ln in fig.axes[0].lines if ln.get_gid() == "bias_edge"]
    assert len(bias_edges) == 1
    fig = network.draw_network(nnlab.MLP([3, 4, 4, 2]).spec())
    assert len(_patches(fig, Rectangle)) == 3
    assert len(_patches(fig, Circle)) == 13


def test_edge_labels_weights_and_dict():
    fig = network.draw_network([2, 2, 1], edge_labels="weights")
    labels = _texts(fig, "edge_label")
    assert len(labels) == 6
    # layers counted from 0 (W_0, W_1), units from 1, as course.formula.weight_names
    assert "$w^{(0)}_{12}$" in labels and "$w^{(1)}_{21}$" in labels
    from nnlab.course import formula

    assert sorted(labels) == sorted(formula.weight_names([2, 2, 1]).values())
    fig = network.draw_network([2, 3], edge_labels="weights")
    assert sorted(_texts(fig, "edge_label"))[0] == "$w_{11}$"
    fig = network.draw_network(
        {"sizes": [2, 2, 1], "bias": [False, True]},
        edge_labels={(0, 0, 1): "0.5", (1, "b", 0): "$v_0$"},
    )
    assert sorted(_texts(fig, "edge_label")) == ["$v_0$", "0.5"]


def test_node_labels_defaults_and_overrides():
    fig = network.draw_network([2, 2, 1], node_labels={(1, 0): "A"})
    labels = _texts(fig, "node_label")
    assert labels == ["$x_{1}$", "$x_{2}$", "A", "$h_{2}$", r"$\hat{y}$"]
    assert _texts(network.draw_network([2, 1], node_labels=False), "node_label") == []


def test_draws_into_given_axes():
    fig, axes = new_figure(ncols=2)
    out = network.draw_network([2, 2, 1], ax=axes[1], title="right")
    assert out is fig
    assert axes[1].get_title() == "right" and len(axes[0].patches) == 0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(spec=[2]), "at least two"),
        (dict(spec="2,2"), "spec must be"),
        (dict(spec={"width": 3}), "'sizes'"),
        (dict(spec=[2, 2], edge_labels="values"), "'weights'"),
        (dict(spec=[2, 2], edge_labels={(0, 2, 0): "x"}), "not an edge"),
        (dict(spec=[2, 2], edge_labels={(0, "b", 0): "x"}), "not an edge"),
        (dict(spec=[2, 2], node_labels={(2, 0): "x"}), "not a unit"),
        (dict(spec=[2, 2], colors=["red"]), "one colour per layer"),
        (dict(spec={"sizes": [2, 2, 1], "bias": [True]}), "one flag per"),
    ],
)
def test_bad_input_names_the_problem(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        network.draw_network(**kwargs)


def test_activation_plots_use_engine_values():
    from nnlab.plots import activations as pa

    fig = pa.plot_activations(["relu", "tanh", "sigmoid"], zlim=(-2, 2), n=5)
    assert len(fig.axes) == 3
    fn, deriv = fig.axes[2].lines[:2]
    np.testing.assert_allclose(fn.get_ydata(), nnlab.sigmoid(np.linspace(-2, 2, 5)))
    s = nnlab.sigmoid(np.linspace(-2, 2, 5))
    np.testing.assert_allclose(deriv.get_ydata(), s * (1 - s))
    assert fig.axes[1].get_title() == "tanh: range (-1, 1)"
    fig = pa.plot_softmax([2.0, 1.0, -1.0])
    heights = [p.get_height() for p in fig.axes[1].patches]
    np.testing.assert_allclose(heights, nnlab.softmax(np.array([2.0, 1.0, -1.0])))
    fig = pa.plot_relu_identities(n=7)
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(), np.linspace(-3, 3, 7))
    with pytest.raises(ValueError, match="unknown activation"):
        pa.plot_activations(["swish"])
