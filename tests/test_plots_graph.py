"""nnlab.plots.graph: drawn numbers are the engine's (trace tangents, adjoints, edges)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import nnlab
from nnlab.plots import graph as gp


def olah(a=2.0, b=1.0):
    def f(a, b):
        return ((a + b).named("c") * (b + 1).named("d")).named("e")

    return nnlab.trace(f, a, b, names=["a", "b"])


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_edge_derivatives_of_olah_graph():
    g = olah()
    names = {(g.nodes[p].name, g.nodes[c].name): d for (p, c), d in g.edge_derivatives().items()}
    assert names == {("a", "c"): 1.0, ("b", "c"): 1.0, ("b", "d"): 1.0, ("c", "e"): 2.0,
                     ("d", "e"): 3.0}  # fmt: skip


@pytest.mark.parametrize("x", [0.7, -1.3, 2.0])
def test_edge_derivatives_match_finite_differences_and_repeated_parent(x):
    # y = sigmoid(x) * (x * x): x feeds two children, and one child uses it twice
    def f(x):
        s = nnlab.sigmoid(x).named("s")
        sq = (x * x).named("sq")  # a parent used twice by one child: edge is 2x
        return (s * sq).named("y")

    g = nnlab.trace(f, x, names=["x"])
    e = {(g.nodes[p].name, g.nodes[c].name): d for (p, c), d in g.edge_derivatives().items()}
    sig = 1 / (1 + np.exp(-x))
    assert e[("x", "sq")] == pytest.approx(2 * x)
    assert e[("x", "s")] == pytest.approx(sig * (1 - sig))
    assert e[("s", "y")] == pytest.approx(x * x)
    assert e[("sq", "y")] == pytest.approx(sig)


def test_layout_columns_and_override():
    g = olah()
    pos = gp.layout(g)
    assert pos[g["a"].index][0] == pos[g["b"].index][0] == 0.0
    assert pos[g["c"].index][0] == pos[g["d"].index][0] == gp.COL_GAP
    assert pos[g["e"].index][0] == 2 * gp.COL_GAP
    assert gp.layout(g, {"e": (9.0, 1.0)})[g["e"].index] == (9.0, 1.0)


def test_draw_graph_labels_are_engine_numbers():
    g = olah()
    fig = gp.draw_graph(g, "forward", wrt="b", precision=1)
    labels = texts(fig.axes[0])
    for name, t in zip("abcde", [0, 1, 1, 1, 5], strict=True):
        assert f"d{name}/db = {t:.1f}" in labels
    assert "e = 6.0" in labels and "3.0" in labels and "2.0" in labels
    fig = gp.draw_graph(g, "reverse", precision=1)
    labels = texts(fig.axes[0])
    for name, a in zip("abcde", [2, 5, 2, 3, 1], strict=True):
        assert f"de/d{name} = {a:.1f}" in labels
    fig = gp.draw_graph(g, "values", precision=1)
    assert not any("/d" in t for t in texts(fig.axes[0]))
    assert len(fig.axes[0].patches) == 5 + 5  # 5 circles, 5 edge arrows


def test_three_panels_and_errors():
    g = olah(1.0, -2.0)
    fig = gp.draw_three_panels(g, "a", precision=2)
    # three panels in a row would be 13 inches, scaled to half size on the page: a 2 x 2 grid
    # (values and a key on top, forward and reverse below), within the page's width
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    assert fig.get_figwidth() <= gp.PAGE_WIDTH_IN
    values, key, forward, reverse = fig.axes
    t = [float(x) for x in g.tangents("a")]
    assert f"de/da\n= {t[-1]:.2f}" in texts(forward)  # on two lines in the narrower panels
    assert f"de/da = {t[-1]:.3f}" in texts(gp.draw_three_panels(g, "a", stacked=True).axes[1])
    assert forward.get_title().startswith("forward") and reverse.get_title().startswith("reverse")
    assert any("d(node)/da" in line for line in texts(key))
    stacked = gp.draw_three_panels(g, "a", stacked=True)
    assert len(stacked.axes) == 3 and stacked.get_figwidth() <= gp.PAGE_WIDTH_IN
    assert len(gp.draw_three_panels(g, "a", stacked=False).axes) == 3
    with pytest.raises(ValueError, match="^draw_graph: unknown mode 'sideways'"):
        gp.draw_graph(g, "sideways")
    with pytest.raises(LookupError, match="^draw_graph: 'c' is not an input of the graph"):
        gp.draw_graph(g, "forward", wrt="c")
    with pytest.raises(LookupError, match=r"^draw_graph: 5 is not an input's position \(0 to 1\)"):
        gp.draw_graph(g, "forward", wrt=5)
    vec = nnlab.trace(lambda x: nnlab.sum(x * x), np.ones(3), names=["x"])
    with pytest.raises(ValueError, match="^draw_three_panels: graph drawing needs scalar nodes"):
        gp.draw_three_panels(vec)
    with pytest.raises(ValueError, match="^Graph.edge_derivatives: every node must be a scalar"):
        vec.edge_derivatives()
    with pytest.raises(TypeError, match="^draw_graph: expected an nnlab.trace Graph"):
        gp.draw_graph("not a graph")


def test_graph_queries_used_by_the_drawings():
    g = olah()
    assert g.input_names() == ["a", "b"]
    assert g.input_name(1) == "b" and g.input_position("b") == 1
    names = {g.nodes[i].name: [g.nodes[k].name for k in ks] for i, ks in g.children().items()}
    assert names == {"a": ["c"], "b": ["c", "d"], "c": ["e"], "d": ["e"], "e": []}
    sq = nnlab.trace(lambda x: (x * x).named("y"), 3.0, names=["x"])
    assert sq.children() == {0: [1], 1: []}  # a parent used twice is one child
    assert sq.edge_derivatives() == {(0, 1): 6.0}
