"""The static form of explorers and checks: recipes that rebuild the same explorer, states
rendered by the explorer's own render, values that read as the numbers they mean."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import nnlab
from nnlab.course import section16
from nnlab.engine.errors import NnlabTypeError, NnlabValueError
from nnlab.widgets import backprop as wb
from nnlab.widgets import forward as fw
from nnlab.widgets import static
from nnlab.widgets import training as wt
from nnlab.widgets.core import number_slider
from nnlab.widgets.explorer import Explorer
from nnlab.widgets.recipe import decode, encode, load_factory, recipe_json


def test_a_trained_network_travels_in_a_recipe_bit_for_bit():
    X, y = nnlab.data.moons(40, noise=0.1, seed=1)
    net = nnlab.train_classifier(nnlab.MLP([2, 4, 1], "tanh", output="sigmoid", seed=3), X, y,
                                 steps=20)  # fmt: skip
    data = json.loads(recipe_json(encode({"net": net, "X": X})))
    back = decode(data)
    np.testing.assert_array_equal(back["X"], X)
    assert back["net"].spec() == net.spec()
    for p, q in zip(back["net"].parameters(), net.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)
    np.testing.assert_array_equal(back["net"](X), net(X))


def test_recipes_refuse_what_they_cannot_write_or_load():
    with pytest.raises(NnlabTypeError, match="^encode: "):
        encode({"f": print})
    with pytest.raises(NnlabValueError, match="^load_factory: "):
        load_factory("os:system")


def test_the_grid_holds_each_start_value_and_the_spec_rebuilds_the_explorer():
    ex = fw.forward_explorer(x1=0.3, x2=-0.5)
    assert 0.3 in ex.grid["x1"] and ex.grid["x1"] == sorted(ex.grid["x1"])
    spec = json.loads(recipe_json(ex.static_spec()))
    again = load_factory(spec["factory"])(**decode(spec["kwargs"]))
    assert again.values == ex.values


def test_states_are_the_render_of_their_grid_values():
    ex = wb.gradient_explorer(w11=0.5, x1=1.0, x2=2.0)
    spec = ex.static_spec()
    payload = static.explorer_states(spec)
    combos = static.grid_states(spec)
    assert len(payload["states"]) == len(combos) == np.prod([len(v) for v in spec["grid"].values()])
    for k in (0, 7, len(combos) - 1):
        assert payload["states"][k] == [str(o) for o in ex.render(**{**ex.values, **combos[k]})]
    assert {f["name"] for f in payload["fixed"]} == set(ex.controls) - set(spec["grid"])


def test_static_html_has_labelled_controls_and_the_start_state():
    ex = wb.chain_explorer(w1=0.5, v1=-2.0, x=3.0)
    spec = ex.static_spec()
    payload = static.explorer_states(spec)
    page = static.explorer_html(spec, payload)
    assert page.count('type="range"') == len(spec["grid"])
    for name in spec["grid"]:  # every control has a label that points at it
        control_id = re.search(rf'<label for="([^"]+)">{name}</label>', page).group(1)
        assert f'id="{control_id}"' in page
    assert 'aria-valuetext="0.50"' in page  # w1 reads as its value, at its step's precision
    start_text = ex.render(**ex.values)[0]
    assert static.html.escape(start_text) in page


def test_slider_values_read_as_the_numbers_they_mean():
    ex = fw.forward_explorer()
    ex.controls["x1"].value = 0.75 + 1e-12  # a value set from code, off the slider's step
    assert ex.values["x1"] == 0.75
    assert ex.value_label("x1", 0.75) == "0.75"
    # Every position low + k * step of a number_slider is exactly the number it shows, which is
    # what the browser computes and announces; a step such as 0.1 is refused.
    slider = number_slider("w", 1.0, -3.0, 3.0, 0.25)
    positions = [slider.min + k * slider.step for k in range(25)]
    assert all(repr(v) == f"{v:.2f}".rstrip("0").rstrip(".") or repr(v) == f"{v:.1f}"
               for v in positions)  # fmt: skip
    with pytest.raises(ValueError, match="number_slider: w: step 0.1 must be a power of two"):
        number_slider("w", 1.0, -3.0, 3.0, 0.1)
    tr = wt.training_explorer()
    assert tr.value_label("lr", 0.05) == "0.05" and tr.control_kind("lr") == "range"
    assert tr.control_kind("optimizer") == "select"


def test_a_grid_naming_an_unknown_control_is_refused():
    ex = wb.chain_explorer()
    with pytest.raises(NnlabValueError, match="^Explorer: grid names unknown"):
        Explorer(ex.controls, ex.render, grid={"nope": [1.0]})


def test_static_outputs_are_a_figure_with_a_caption_and_alt_text_per_state():
    ex = fw.forward_explorer(x1=0.5, x2=-0.5)
    spec = ex.static_spec()
    payload = static.explorer_states(spec)
    combos = static.grid_states(spec)
    # one alt text per state: the description of that state's figure and its control values
    assert len(payload["alts"]) == len(payload["states"]) == len(combos)
    for k in (0, len(combos) // 2, len(combos) - 1):
        values = {**ex.values, **combos[k]}
        assert payload["alts"][k] == ex.describe(values)
        r = section16.forward_readout(**values)
        assert f"y-hat = {r['y_hat']:.2f}" in payload["alts"][k]
        assert f"x1 = {ex.value_label('x1', values['x1'])}" in payload["alts"][k]
    assert len(set(payload["alts"])) == len(combos)  # every state says which one it is
    page = static.explorer_html(spec, payload)
    figure = re.search(r'<figure class="nnlab-outputs"[^>]*>(.*?)</figure>', page, re.S).group(1)
    start = static._start_index(payload)
    assert f'alt="{static.html.escape(payload["alts"][start], quote=True)}"' in figure
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", figure, re.S).group(1)
    assert caption == static.html.escape(ex.caption) and len(caption.split()) >= 10


def test_every_explorer_factory_gives_a_caption_and_an_alt_text():
    from nnlab.widgets import autodiff, interpret, xor

    X, y = nnlab.data.moons(30, noise=0.1, seed=0)
    net = nnlab.MLP([2, 4, 1], "tanh", output="sigmoid", seed=0)
    explorers = [wb.chain_explorer(), wb.gradient_explorer(), fw.forward_explorer(),
                 xor.xor_explorer(), autodiff.olah_explorer(), wt.training_explorer(),
                 interpret.attribution_explorer(net, X, y, steps=8)]  # fmt: skip
    for ex in explorers:
        assert ex.caption != Explorer.DEFAULT_CAPTION and len(ex.caption.split()) >= 10
        alt = ex.describe()
        assert not alt.startswith(Explorer.DEFAULT_ALT) and len(alt.split()) >= 10
        assert all(f"{name} = " in alt for name in ex.controls)


def test_an_empty_caption_is_refused_and_the_live_view_shows_the_caption(capsys):
    ex = wb.chain_explorer()
    with pytest.raises(NnlabValueError, match="^Explorer: caption must be a non-empty string"):
        Explorer(ex.controls, ex.render, caption="  ")
    ex.show()  # outside a notebook, display prints each output's text/plain
    printed = capsys.readouterr().out
    assert f"Caption: {ex.caption}" in printed
    assert printed.rindex("Caption:") > printed.rindex("Figure(")  # under the figure
