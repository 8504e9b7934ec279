"""nnlab.widgets.autodiff: hand tables equal the engine; table grading and hints."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

import nnlab
from nnlab.engine.gradcheck import numerical_grad
from nnlab.widgets import autodiff as wa


def test_olah_tables_at_handout_point():
    g = wa.olah_graph(2.0, 1.0)
    assert [float(n.value) for n in g.nodes] == [2.0, 1.0, 3.0, 2.0, 6.0]
    fwd = {s.name: s.total for s in wa.forward_steps(g, "b")}
    assert fwd == {"a": 0.0, "b": 1.0, "c": 1.0, "d": 1.0, "e": 5.0}
    rev = {s.name: s.total for s in wa.reverse_steps(g)}
    assert rev == {"e": 1.0, "d": 3.0, "c": 2.0, "b": 5.0, "a": 2.0}
    text = wa.forward_table(g, "b")
    assert "de/dc*t(c) + de/dd*t(d)  = 2.0000*1.0000 + 3.0000*1.0000  = 5.0000" in text
    text = wa.reverse_table(g)
    assert "adj(c)*dc/db + adj(d)*dd/db  = 2.0000*1.0000 + 3.0000*1.0000  = 5.0000" in text


@pytest.mark.parametrize("a,b", [(2.0, 1.0), (-1.5, 0.5), (0.3, -2.2)])
def test_step_sums_equal_engine_and_finite_differences(a, b):
    g = wa.olah_graph(a, b)
    for seed in ("a", "b"):
        for step in wa.forward_steps(g, seed):
            if not step.seed:
                assert sum(e * t for _, e, t in step.terms) == pytest.approx(step.total)
    for step in wa.reverse_steps(g):
        if not step.seed:
            assert sum(e * t for _, e, t in step.terms) == pytest.approx(step.total)
    rev = {s.name: s.total for s in wa.reverse_steps(g)}
    fd = numerical_grad(lambda v: wa.olah_f(v[0], v[1]), np.array([a, b]))
    assert [rev["a"], rev["b"]] == pytest.approx(list(fd), abs=1e-7)
    assert rev["b"] == pytest.approx(a + 2 * b + 1) and rev["a"] == pytest.approx(b + 1)


def test_neuron_adjoints_are_the_gradient():
    vals = dict(w1=0.8, w2=-1.2, b=0.1, x1=1.5, x2=-0.5)
    g = wa.neuron_graph(**vals)
    rev = {s.name: s.total for s in wa.reverse_steps(g)}

    def y(w):
        return nnlab.sigmoid(w[0] * vals["x1"] + w[1] * vals["x2"] + w[2])

    w = np.array([vals["w1"], vals["w2"], vals["b"]])
    grad = nnlab.grad(y)(w)
    assert [rev["w1"], rev["w2"], rev["b"]] == pytest.approx(list(grad))
    fwd = {s.name: s.total for s in wa.forward_steps(g, "w1")}
    assert fwd["y"] == pytest.approx(grad[0])
    with pytest.raises(ValueError, match="x1 must be a finite number"):
        wa.neuron_graph(x1=float("inf"))


def test_explorer_follows_sliders_and_seed():
    ex = wa.olah_explorer()
    fwd, rev, fig = ex.outputs
    assert "seeded at b" in fwd and fwd.rstrip().endswith("= 5.0000")
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    fwd, rev, fig = ex.set(a=-1.0, b=2.5)
    g = wa.olah_graph(-1.0, 2.5)
    de_db = float(g.adjoints()[1])
    assert de_db == pytest.approx(-1.0 + 2 * 2.5 + 1)
    assert f"= {de_db:.4f}" in rev.splitlines()[4]  # the b row
    fwd, rev, fig = ex.set(seed="a")
    assert "seeded at a" in fwd and fwd.rstrip().endswith(f"= {2.5 + 1:.4f}")
    with pytest.raises(ValueError, match="seed must be"):
        wa.olah_explorer(seed="c")


def test_adjoint_hints_at_handout_point():
    g = wa.olah_graph(2.0, 1.0)
    ok, msg = wa.grade_entry("5", g, "b")
    assert ok and "5.000000" in msg
    ok, msg = wa.grade_entry(3, g, "b")  # only the path through d
    assert not ok and "only the path through d" in msg
    ok, msg = wa.grade_entry(2, g, "b")  # only the path through c, or de/dc itself
    assert not ok and "only the path through c" in msg and "That is de/dc" in msg
    ok, msg = wa.grade_entry(6, g, "b")  # multiplied the two paths
    assert not ok and "do not multiply" in msg
    ok, msg = wa.grade_entry(-5, g, "b")
    assert not ok and "sign" in msg
    ok, msg = wa.grade_entry("", g, "b")
    assert not ok and "Empty" in msg


def test_mistakes_never_mark_the_answer_wrong():
    # Hints whose value equals the right answer are dropped, and each remaining one is graded
    # as wrong.
    g = wa.olah_graph(0.5, -2.0)
    answer = float(g.adjoints()[1])
    for m in wa.mistakes_for(g, "b"):
        assert abs(m.value - answer) > 1e-6
        assert not wa.grade_entry(m.value, g, "b")[0]


def test_tangent_hints():
    g = wa.olah_graph(2.0, 1.0)
    assert wa.grade_entry(5, g, "e", "tangent", "b")[0]
    ok, msg = wa.grade_entry(2, g, "e", "tangent", "b")  # de/da instead: wrong seed
    assert not ok and "the seed is b" in msg
    ok, msg = wa.grade_entry(6, g, "e", "tangent", "b")
    assert not ok and "do not multiply" in msg
    ok, msg = wa.grade_entry(1, g, "a", "tangent", "b")
    assert not ok and "Only the seed input b gets tangent 1" in msg
    with pytest.raises(ValueError, match="unknown kind"):
        wa.grade_entry(1, g, "a", "gradient")
    with pytest.raises(LookupError, match="no node named"):
        wa.grade_entry(1, g, "z")


def test_grade_table_row_by_row():
    g = wa.olah_graph(2.0, 1.0)
    rows = wa.grade_table({"e": 1, "d": 3, "c": "2", "b": 6, "a": ""}, g)
    assert [r.name for r in rows] == ["e", "d", "c", "b", "a"]
    assert [r.correct for r in rows] == [True, True, True, False, False]
    assert "do not multiply" in rows[3].message and "Empty" in rows[4].message
    assert wa.table_summary(rows).endswith("score: 3/5")
    fwd = wa.grade_table({"a": 0, "b": 1, "c": 1, "d": 1, "e": 5}, g, "tangent", "b")
    assert all(r.correct for r in fwd) and [r.name for r in fwd] == list("abcde")
    with pytest.raises(ValueError, match="unknown node"):
        wa.grade_table({"f": 1}, g)


def test_table_check_widget_grades_boxes():
    check = wa.table_check(1.0, -2.0, kind="adjoint")
    g = wa.olah_graph(1.0, -2.0)
    right = {s.name: f"{s.total:.4f}" for s in wa.reverse_steps(g)}
    rows = check.check(right)
    assert all(r.correct for r in rows)
    assert "Correct" in check.marks["b"].value
    rows = check.check({"b": "99"})
    assert [r.correct for r in rows if r.name == "b"] == [False]
    assert "#c62828" in check.marks["b"].value and "Correct" in check.marks["a"].value
    with pytest.raises(ValueError, match="unknown node"):
        check.check({"q": 1})
    fwd = wa.table_check(1.0, -2.0, kind="tangent", wrt="a")
    assert fwd.order == list("abcde") and "seeded at a" in fwd.prompt
    with pytest.raises(ValueError, match="unknown kind"):
        wa.TableCheck(g, kind="both")
