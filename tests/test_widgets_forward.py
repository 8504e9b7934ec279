"""The §1.6 network by hand (nnlab.course.section16) and its explorer and self-check."""

import numpy as np
import pytest

import nnlab
from nnlab.course import section16 as s16
from nnlab.plots.live import FigureSnapshot
from nnlab.widgets import forward as fw


def _engine(v):
    net = nnlab.MLP([2, 2, 1], activation="relu", output="sigmoid", bias=[False, True])
    net.W[0] = np.array([[v["w11"], v["w12"]], [v["w21"], v["w22"]]])
    net.W[1] = np.array([[v["v1"]], [v["v2"]]])
    net.b[1] = np.array([v["v0"]])
    return float(net(np.array([v["x1"], v["x2"]]))[0])


def test_readout_factors_match_hand_and_engine():
    v = dict(s16.FORWARD_DEFAULTS)
    r = s16.forward_readout(**v)
    assert r["z1"] == pytest.approx(0.75) and r["z2"] == pytest.approx(-2.0)
    assert r["h1"] == pytest.approx(0.75) and r["h2"] == 0.0
    assert r["logit"] == pytest.approx(0.625)
    assert r["y_hat"] == pytest.approx(1 / (1 + np.exp(-0.625)), abs=1e-15)
    assert r["engine"] == pytest.approx(_engine(v), abs=1e-15)


def test_explorer_set_updates_readout_and_diagram():
    ex = fw.forward_explorer()
    assert len(ex.controls) == 9
    v = dict(s16.FORWARD_DEFAULTS, w11=-2.0, v0=1.0, x2=1.5)
    text, shown = ex.set(w11=-2.0, v0=1.0, x2=1.5)
    r = s16.forward_readout(**v)
    assert f"= {_engine(v):.6f}" in text and "(agree: yes)" in text
    assert f"{r['z1']:+.4f}" in text.splitlines()[0]
    # A moved control shows a PNG snapshot of the diagram redrawn in place (plots.live); the
    # diagram itself is the render function's, drawn for the new values.
    assert isinstance(shown, FigureSnapshot) and shown.png.startswith(b"\x89PNG")
    _, fig = ex.render(**ex.values)
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "edge_label"]
    assert "-2.00" in labels and "+1.00" in labels  # w11 and v0 on their edges
    nodes = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "node_label"]
    assert nodes[-1] == f"{r['y_hat']:.2f}"


def test_readout_rejects_bad_values():
    with pytest.raises(ValueError, match="missing"):
        s16.forward_readout(w11=1.0)
    with pytest.raises(ValueError, match="finite"):
        s16.forward_readout(**dict(s16.FORWARD_DEFAULTS, x1=float("nan")))


# widgets/core.py's SelfCheck calls Text.on_submit, deprecated in ipywidgets 8 (reported).
@pytest.mark.filterwarnings("ignore:on_submit is deprecated:DeprecationWarning")
def test_selfcheck_grades_engine_answer_and_hints():
    v = dict(s16.FORWARD_DEFAULTS)
    box = fw.forward_selfcheck(**v)
    ok, msg = box.check(f"{_engine(v):.6f}")
    assert ok, msg
    mistakes = s16.forward_mistakes(**v)
    values = [m.value for m in mistakes]
    assert len(set(np.round(values, 6))) == 4  # all four slips give different numbers
    expected_words = ["ReLU", "logit", "bias v0", "swapped"]
    for mistake, word in zip(mistakes, expected_words, strict=True):
        ok, msg = box.check(f"{mistake.value:.6f}")
        assert not ok and word in msg


def test_swapped_mistake_is_the_transpose():
    v = dict(s16.FORWARD_DEFAULTS)
    swapped = s16.forward_mistakes(**v)[3].value
    w = dict(v, w12=v["w21"], w21=v["w12"])
    assert swapped == pytest.approx(_engine(w))
