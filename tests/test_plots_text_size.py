"""Every figure's text is readable on the page: at least 9 px tall where the book shows it.

The page's content column is about `PAGE_PX` wide; a notebook figure is drawn at its own dpi
(110) and cropped tight, and a wider image is scaled down to the column, text and all. So a
text of ``s`` points on a figure ``w`` pixels wide is ``s * dpi / 72 * min(1, PAGE_PX / w)``
pixels tall on the page. Every public plot function is drawn here with arguments like the
chapters' (the chapters' own calls where they are cheap), every text a draw puts on the figure
is measured, and the explorers' figures are measured as the static book shows them
(`static.STATIC_DPI`, not cropped) and as a live notebook does (110 dpi).
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

import nnlab
from nnlab.course import costs, modes, regions, section16, xor
from nnlab.course import evaluation as ev
from nnlab.nn import optim
from nnlab.plots import activations as pa
from nnlab.plots import approximation as aplots
from nnlab.plots import basis as pb
from nnlab.plots import chain, network, new_figure
from nnlab.plots import evaluation as pe
from nnlab.plots import graph as gp
from nnlab.plots import interpret as pi
from nnlab.plots import landscape as pl
from nnlab.plots import modes as pm
from nnlab.plots import regions as pr
from nnlab.plots import surfaces as ps
from nnlab.plots import training as tp
from nnlab.plots.style import MIN_FONT_PT

PAGE_PX = 760
MIN_PX = 9.0
PAD_INCHES = 0.1  # the inline backend's savefig.pad_inches around the tight crop


def drawn_texts(fig) -> list[Text]:
    """The texts a draw of ``fig`` renders (visible, non-empty; ticks outside the view and
    hidden texts are not drawn, so they are not counted)."""
    FigureCanvasAgg(fig)
    drawn = []
    draw = Text.draw

    def recording(self, renderer):
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return draw(self, renderer)

    with mock.patch.object(Text, "draw", recording):
        fig.canvas.draw()
    return drawn


def shown_width_px(fig, tight: bool = True) -> float:
    """The figure's width in pixels as the page gets it: the tight crop (plus its pad) for a
    notebook figure, the whole canvas for an explorer's PNG."""
    if not tight:
        return fig.bbox.width
    renderer = fig.canvas.get_renderer()
    return (fig.get_tightbbox(renderer).width + 2 * PAD_INCHES) * fig.dpi


def small_texts(fig, tight: bool = True) -> list[tuple[str, float]]:
    """``(text, px on the page)`` of every drawn text under `MIN_PX` (or `MIN_FONT_PT`)."""
    texts = drawn_texts(fig)
    scale = min(1.0, PAGE_PX / shown_width_px(fig, tight))
    small = []
    for t in texts:
        px = t.get_fontsize() * fig.dpi / 72 * scale
        if px < MIN_PX or t.get_fontsize() < MIN_FONT_PT:
            small.append((t.get_text()[:40], round(px, 1)))
    return small


# ------------------------------------------------------------------ representative figures


def _olah():
    return modes.olah_graph(2.0, 1.0)


def _history(lr=0.05, steps=30):
    return optim.train(lambda w: (w**2).sum(), np.array([1.0, -0.5]), lr=lr, steps=steps,
                       record_params=True)  # fmt: skip


def _ravine(p):
    return 0.5 * p[0] ** 2 + 5.0 * p[1] ** 2


def _net(sizes=(2, 4, 1), seed=0):
    return nnlab.MLP(list(sizes), "tanh", output="sigmoid", seed=seed)


def _moons():
    return nnlab.data.moons(60, noise=0.1, seed=0)


def _bias_variance():
    truth = np.linspace(-1, 1, 5)
    rng = np.random.default_rng(0)
    return [ev.bias_variance(truth + s * rng.normal(size=(6, 5)), truth, 0.3)
            for s in (0.1, 0.3, 0.5)]  # fmt: skip


def _surface():
    w = np.linspace(-2, 2, 21)
    Z, G = ps.surface(lambda p: (p[0] * p[1] - 1.0) ** 2, w, w)
    return w, w, Z, G


def _traces_pair():
    fig, axes = new_figure(ncols=2, width=4.6, height=3.3)
    series = {"start a": np.geomspace(1, 1e-3, 50), "start b": np.geomspace(2, 1e-4, 50)}
    ps.plot_traces(series, ylabel="gradient norm", title="Gradient norm near the saddle",
                   ax=axes[0])  # fmt: skip
    ps.plot_traces(series, ylabel="loss", title="Loss: a long flat stretch", ax=axes[1],
                   marks={"plateau ends": 20})  # fmt: skip
    return fig


def _feature_space(n_features):
    X, y = _moons()
    net = nnlab.MLP([2, n_features, 1], "tanh", output="sigmoid", seed=0)
    H = np.tanh(X @ net.W[0] + net.b[0])
    g = nnlab.data.grid((-1.5, 2.5), (-1.0, 1.5), 40)
    return pb.plot_feature_space(X, y, H, net.W[1][:, 0], net.b[1][0], g, net.logits(g.points))


def _paired():
    a = np.array([0.1, 0.3, 0.2, 0.25])
    b = np.array([0.2, 0.3, 0.35, 0.3])
    return pe.plot_paired_differences(
        ev.paired_comparison(a, b), corrected=ev.paired_comparison(a, b, test_train_ratio=0.25)
    )


x1 = np.linspace(-1, 1, 41)
FIGURES = {
    "activations.plot_activations": lambda: pa.plot_activations(),
    "activations.plot_softmax": lambda: pa.plot_softmax([2.0, 1.0, -1.0]),
    "activations.plot_relu_identities": lambda: pa.plot_relu_identities(),
    "approximation.plot_fit": lambda: aplots.plot_fit(
        x1,
        x1**2,
        {"K = 4": x1**2 + 0.05, "K = 16": x1**2 - 0.01},
        knots=x1[::10],
        knot_values=x1[::10] ** 2,
        title="Target and interpolating networks",
    ),
    "approximation.plot_convergence": lambda: aplots.plot_convergence(
        [2, 4, 8, 16, 32], [0.5, 0.13, 0.03, 0.008, 0.002], -2.0, 2.0
    ),
    "approximation.plot_extrapolation": lambda: aplots.plot_extrapolation(
        3 * x1, np.sin(3 * x1), np.sin(3 * x1) * 0.9, -1.0, 1.0
    ),
    "approximation.plot_unbounded_target": lambda: aplots.plot_unbounded_target(
        np.geomspace(0.01, 1, 30), 1 / np.geomspace(0.01, 1, 30), np.full(30, 20.0), 20.0
    ),
    "basis.plot_learned_features": lambda: pb.plot_learned_features(
        x1,
        np.column_stack([np.tanh(x1 + k) for k in range(4)]),
        [1.0, -1.0, 0.5, 0.2],
        0.1,
        x1[::5],
        x1[::5] ** 2,
        output=x1**2,
    ),
    "basis.plot_feature_space(2)": lambda: _feature_space(2),
    "basis.plot_feature_space(3)": lambda: _feature_space(3),
    "basis.plot_xor_panels": lambda: pb.plot_xor_panels(xor.xor_forward(xor.HANDOUT_W)),
    "basis.plot_quadrant_collapse": lambda: pb.plot_quadrant_collapse(
        np.array([[-1.0, -1.0], [-0.5, -1.5], [1.0, 0.5], [0.5, -1.0]]),
        np.array([0, 1, 1, 0]),
        np.maximum(np.array([[-1.0, -1.0], [-0.5, -1.5], [1.0, 0.5], [0.5, -1.0]]), 0),
    ),
    "basis.plot_fit_comparison": lambda: pb.plot_fit_comparison(
        x1[::4],
        x1[::4] ** 2,
        x1,
        {"network": x1**2, "RBF": x1**2 + 0.1, "poly": x1**2 - 0.1},
        truth=x1**2,
        train_range=(-0.5, 0.5),
        title="fits",
    ),
    "basis.plot_error_vs_size": lambda: pb.plot_error_vs_size(
        [8, 16, 32], {"network": [[0.3, 0.1, 0.05]] * 2, "RBF": [[0.5, 0.2, 0.1]] * 2}
    ),
    "basis.plot_feature_growth": lambda: pb.plot_feature_growth(
        [1, 2, 4, 8], {"polynomial": [4, 10, 35, 165], "RBF grid": [5, 25, 625, 390625]}
    ),
    "basis.plot_seed_spread": lambda: pb.plot_seed_spread([0.01, 0.02, 0.05], 0.03),
    "chain.draw_chain": lambda: chain.draw_chain(0.5, -2.0, 3.0),
    "evaluation.plot_selection_optimism": lambda: pe.plot_selection_optimism(
        [0.3, 0.1, 0.2], [0.25, 0.2, 0.22], 1, optimism=[-0.1, 0.02, -0.04]
    ),
    "evaluation.plot_width_sweep": lambda: pe.plot_width_sweep(
        [1, 2, 4],
        [[0.5, 0.4], [0.2, 0.2], [0.1, 0.05]],
        [[0.6, 0.6], [0.3, 0.25], [0.4, 0.5]],
        fresh=[0.6, 0.3, 0.45],
        chosen=2,
    ),
    "evaluation.plot_training_curves": lambda: pe.plot_training_curves(
        np.arange(0, 100, 10),
        100.0 / (np.arange(0, 100, 10) + 1),
        (np.arange(0, 100, 10) - 40.0) ** 2 + 1,
        40,
        70,
    ),
    "evaluation.plot_paired_differences": _paired,
    "evaluation.plot_bias_variance": lambda: pe.plot_bias_variance(
        [2, 8, 32], {"small data": _bias_variance(), "large data": _bias_variance()}
    ),
    "evaluation.plot_refits": lambda: pe.plot_refits(
        x1,
        {
            "width 2": np.vstack([x1 * k for k in range(3)]),
            "width 64": np.vstack([x1 + k for k in range(3)]),
        },
        x1,
    ),
    "graph.draw_graph": lambda: gp.draw_graph(_olah(), "reverse"),
    "graph.draw_three_panels(olah)": lambda: gp.draw_three_panels(_olah(), wrt="b", precision=1),
    "graph.draw_three_panels(neuron)": lambda: gp.draw_three_panels(
        modes.neuron_graph(), wrt="w1", positions=gp.NEURON_POSITIONS, stacked=True
    ),
    "interpret.plot_shift": lambda: pi.plot_shift(
        lambda X: X[:, 0] - X[:, 1], *_moons(), *_moons(), truth=lambda X: X[:, 1], steps=30
    ),
    "interpret.plot_curves": lambda: pi.plot_curves(
        [1, 2, 4, 8],
        {"a": [4, 3, 2, 1], "b": [1, 1, 1, 1]},
        "noise",
        "accuracy",
        title="accuracy as the noise grows",
        reference=0.5,
    ),
    "interpret.plot_feature_bars": lambda: pi.plot_feature_bars(
        ["x1", "x2", "x3"],
        {"gradient": [1.0, 3.0, 0.0], "IG": [2.0, 2.0, 4.0], "occlusion": [1.0, 1.0, 1.0]},
        title="importance",
    ),
    "interpret.plot_decision_attributions": lambda: pi.plot_decision_attributions(
        lambda X: X[:, 0] - X[:, 1],
        *_moons(),
        [[0.5, 0.25]],
        {"gradient": np.array([[1.0, -1.0]]), "IG": np.array([[0.5, -0.2]])},
        steps=30,
    ),
    "interpret.plot_unit_maps": lambda: pi.plot_unit_maps(
        _net((2, 3, 1)), *_moons(), steps=30, suptitle="hidden units of a [2, 3, 1] net"
    ),
    "landscape.plot_segment": lambda: pl.plot_segment(
        x1, [x1**2, 1 - x1**2], labels=["swap 1", "swap 2"]
    ),
    "landscape.plot_slice": lambda: pl.plot_slice(
        x1[::4], x1[::4], np.add.outer(x1[::4] ** 2, x1[::4] ** 2), points={"minimum": (0, 0)}
    ),
    "landscape.plot_flat_convex": lambda: pl.plot_flat_convex(),
    "modes.plot_passes": lambda: pm.plot_passes(
        [("784 -> 10", 784, 10), ("2 -> 1", 2, 1), ("1 -> 100", 1, 100)]
    ),
    "modes.plot_sweep": lambda: pm.plot_sweep(costs.sweep([1, 2, 4, 8], m=2)),
    "modes.plot_sweep(timed)": lambda: pm.plot_sweep(
        costs.sweep([1, 2, 4], m=2, timed=True, repeats=1)
    ),
    "network.draw_network(3-4-2-1)": lambda: network.draw_network(
        {
            "sizes": [3, 4, 2, 1],
            "activation": ["relu", "tanh"],
            "output": "sigmoid",
            "bias": [True, False, True],
        },
        edge_labels="weights",
        title="sigmoid(tanh(relu(x @ W1 + b1) @ W2) @ W3 + b3)",
    ),
    "network.draw_network(2-2-1)": lambda: network.draw_network(
        nnlab.MLP([2, 2, 1], "relu", output="sigmoid", bias=[False, True]),
        edge_labels={
            (0, 0, 0): "$w_{11}$",
            (0, 0, 1): "$w_{12}$",
            (0, 1, 0): "$w_{21}$",
            (0, 1, 1): "$w_{22}$",
            (1, 0, 0): "$v_1$",
            (1, 1, 0): "$v_2$",
            (1, "b", 0): "$v_0$",
        },
        title="handout §1.6",
    ),
    "network.draw_network(4-3-3)": lambda: network.draw_network(
        {"sizes": [4, 3, 3], "activation": ["relu"], "output": "softmax"}
    ),
    "regions.plot_region_maps": lambda: pr.plot_region_maps(
        [
            regions.random_relu_net(s, seed=1)
            for s in ([2, 8, 1], [2, 32, 1], [2, 8, 8, 1], [2, 8, 8, 8, 1])
        ],
        ["[2, 8, 1]", "[2, 32, 1]", "[2, 8, 8, 1]", "[2, 8, 8, 8, 1]"],
        steps=60,
    ),
    "regions.plot_segment": lambda: pr.plot_segment(
        regions.random_relu_net([2, 8, 8, 1], seed=0), [-2.0, -1.0], [2.0, 1.5]
    ),
    "surfaces.plot_surface": lambda: ps.plot_surface(
        *_surface()[:3],
        paths={"run 0": [[1, 1], [0.5, 0.5]]},
        points={"saddle": (0.0, 0.0, [-1.0, 1.0])},
        log=True,
        title="Two trainable weights",
    ),
    "surfaces.plot_surface(contour)": lambda: ps.plot_surface(
        *_surface()[:3],
        view="contour",
        points={"minimum": (0.0, 0.0, [1.0, 10.0])},
        title=r"$\kappa = 10$: small step crawls, large step zig-zags (25 steps)",
    ),
    "surfaces.plot_gradient_map": lambda: ps.plot_gradient_map(
        *_surface()[:2],
        _surface()[3],
        paths={"start": [[1, 1], [0, 0]]},
        points={"global min": (1.0, 1.0)},
        title="Gradient norm: dark = flat",
    ),
    "surfaces.plot_traces(pair)": _traces_pair,
    "surfaces.plot_layer_norms": lambda: ps.plot_layer_norms(
        {"sigmoid": np.geomspace(1e-6, 1e-1, 9), "relu": np.geomspace(1e-2, 1e-1, 9)},
        title="Gradient norm per layer, 9-layer network at initialisation",
    ),
    "training.plot_loss_curves": lambda: tp.plot_loss_curves(
        {f"lr = {lr}": _history(lr) for lr in (0.01, 0.1, 0.5, 1.1)}, log=True
    ),
    "training.plot_failure_pair": lambda: tp.plot_failure_pair(_history(0.001), _history(1.1)),
    "training.plot_lr_sweep": lambda: tp.plot_lr_sweep(
        [0.01, 0.1, 0.5, 1.1],
        [0.5, 0.01, 1e-6, 10.0],
        [False, False, False, True],
        threshold=1.0,
        initial_loss=1.25,
    ),
    "training.plot_trajectories": lambda: tp.plot_trajectories(
        _ravine, {"gd": _history(0.05), "fast": _history(0.5)}, points={"minimum": (0, 0)}
    ),
    "training.plot_run": lambda: tp.plot_run(
        _history(),
        _ravine,
        (-2, 2),
        (-2, 2),
        title="gd, lr = 0.05, constant",
        points={"minimum": (0, 0)},
    ),
    "training.plot_final_losses": lambda: tp.plot_final_losses(
        {"single run": [0.1, 0.2, 0.05], "best of 5": [0.01, 0.02]}
    ),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_text_is_at_least_9_px_on_the_page(name):
    fig = FIGURES[name]()
    assert drawn_texts(fig), "the figure draws no text at all"
    assert small_texts(fig) == [], f"{name}: texts under {MIN_PX} px (or {MIN_FONT_PT} pt)"


def test_every_public_plot_function_is_measured():
    import inspect

    import nnlab.plots as plots

    measured = {name.split("(")[0] for name in FIGURES}
    public = set()
    for module in (pa, aplots, pb, chain, pe, gp, pi, pl, pm, network, pr, ps, tp):
        short = module.__name__.rsplit(".", 1)[1]
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and fname.startswith(("plot_", "draw_")):
                public.add(f"{short}.{fname}")
    assert plots  # the package imports
    assert public - measured == set()


def _explorers():
    from nnlab.widgets import autodiff as wa
    from nnlab.widgets import backprop as wb
    from nnlab.widgets import forward as fw
    from nnlab.widgets import interpret as wi
    from nnlab.widgets import training as wt
    from nnlab.widgets import xor as wx

    X, y = _moons()
    net = nnlab.train_classifier(_net((2, 8, 1)), X, y, steps=50)
    return {
        "chain_explorer": wb.chain_explorer(),
        "forward_explorer": fw.forward_explorer(**section16.FORWARD_DEFAULTS),
        "xor_explorer": wx.xor_explorer(),
        "olah_explorer": wa.olah_explorer(),
        "training_explorer": wt.training_explorer(),
        "attribution_explorer": wi.attribution_explorer(net, X, y, steps=16),
    }


def test_explorer_figures_are_readable_in_the_static_book_and_live():
    from nnlab.widgets import static

    problems = {}
    for name, explorer in _explorers().items():
        for dpi in (static.STATIC_DPI, 110):
            for output in explorer.render(**explorer.values):
                if hasattr(output, "savefig"):
                    output.set_dpi(dpi)
                    small = small_texts(output, tight=False)
                    if small:
                        problems[f"{name} at {dpi} dpi"] = small
    assert problems == {}


def _boxes(texts, renderer):
    return [(t.get_text(), (t.get_bbox_patch() or t).get_window_extent(renderer)) for t in texts]


def test_edge_labels_of_the_3_4_2_1_diagram_do_not_overlap():
    fig = FIGURES["network.draw_network(3-4-2-1)"]()
    labels = [t for t in drawn_texts(fig) if t.get_gid() == "edge_label"]
    assert len(labels) == 3 * 4 + 4 * 2 + 2 * 1  # one per weight
    boxes = _boxes(labels, fig.canvas.get_renderer())
    overlapping = [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
                   if box_a.overlaps(box_b)]  # fmt: skip
    assert overlapping == []
    # and no label hides a node: its box stays clear of every circle's box
    circles = [p.get_window_extent(fig.canvas.get_renderer()) for p in fig.axes[0].patches
               if p.get_gid() == "node"]  # fmt: skip
    assert not [a for a, box in boxes for c in circles if box.overlaps(c)]


@pytest.mark.parametrize("sizes", [[2, 3, 1], [3, 3, 3], [2, 4, 4, 1], [4, 4, 2], [2, 2, 3, 1]])
def test_edge_labels_do_not_overlap_on_other_networks(sizes):
    fig = network.draw_network({"sizes": sizes}, edge_labels="weights")
    labels = [t for t in drawn_texts(fig) if t.get_gid() == "edge_label"]
    boxes = [box for _, box in _boxes(labels, fig.canvas.get_renderer())]
    assert len(boxes) == sum(a * b for a, b in zip(sizes, sizes[1:], strict=False))
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_the_measure_finds_small_text():
    # the check itself: a 13-inch figure's 9-point labels are ~7 px on a 760 px page
    fig, ax = new_figure(width=13.0, height=3.0)
    ax.set_title("wide", fontsize=9)
    small = dict(small_texts(fig))
    assert small["wide"] == pytest.approx(9 * 110 / 72 * PAGE_PX / shown_width_px(fig), abs=0.05)
    assert small["wide"] < MIN_PX
