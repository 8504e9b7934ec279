"""nnlab.course.modes: hand tables equal the engine; table grading and hints (numpy only)."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab.course import modes
from nnlab.engine.errors import NnlabIndexError
from nnlab.engine.gradcheck import numerical_grad


def test_olah_tables_at_handout_point():
    g = modes.olah_graph(2.0, 1.0)
    assert [float(n.value) for n in g.nodes] == [2.0, 1.0, 3.0, 2.0, 6.0]
    fwd = {s.name: s.total for s in modes.forward_steps(g, "b")}
    assert fwd == {"a": 0.0, "b": 1.0, "c": 1.0, "d": 1.0, "e": 5.0}
    rev = {s.name: s.total for s in modes.reverse_steps(g)}
    assert rev == {"e": 1.0, "d": 3.0, "c": 2.0, "b": 5.0, "a": 2.0}
    text = modes.forward_table(g, "b")
    assert "de/dc*t(c) + de/dd*t(d)  = 2.0000*1.0000 + 3.0000*1.0000  = 5.0000" in text
    text = modes.reverse_table(g)
    assert "adj(c)*dc/db + adj(d)*dd/db  = 2.0000*1.0000 + 3.0000*1.0000  = 5.0000" in text


@pytest.mark.parametrize("a,b", [(2.0, 1.0), (-1.5, 0.5), (0.3, -2.2)])
def test_step_sums_equal_engine_and_finite_differences(a, b):
    g = modes.olah_graph(a, b)
    for seed in ("a", "b"):
        for step in modes.forward_steps(g, seed):
            if not step.seed:
                assert sum(e * t for _, e, t in step.terms) == pytest.approx(step.total)
    for step in modes.reverse_steps(g):
        if not step.seed:
            assert sum(e * t for _, e, t in step.terms) == pytest.approx(step.total)
    rev = {s.name: s.total for s in modes.reverse_steps(g)}
    fd = numerical_grad(lambda v: modes.olah_f(v[0], v[1]), np.array([a, b]))
    assert [rev["a"], rev["b"]] == pytest.approx(list(fd), abs=1e-7)
    assert rev["b"] == pytest.approx(a + 2 * b + 1) and rev["a"] == pytest.approx(b + 1)


def test_neuron_adjoints_are_the_gradient():
    vals = dict(w1=0.8, w2=-1.2, b=0.1, x1=1.5, x2=-0.5)
    g = modes.neuron_graph(**vals)
    rev = {s.name: s.total for s in modes.reverse_steps(g)}

    def y(w):
        return nnlab.sigmoid(w[0] * vals["x1"] + w[1] * vals["x2"] + w[2])

    w = np.array([vals["w1"], vals["w2"], vals["b"]])
    grad = nnlab.grad(y)(w)
    assert [rev["w1"], rev["w2"], rev["b"]] == pytest.approx(list(grad))
    fwd = {s.name: s.total for s in modes.forward_steps(g, "w1")}
    assert fwd["y"] == pytest.approx(grad[0])
    with pytest.raises(ValueError, match="x1 must be a finite number"):
        modes.neuron_graph(x1=float("inf"))


def test_adjoint_hints_at_handout_point():
    g = modes.olah_graph(2.0, 1.0)
    ok, msg = modes.grade_entry("5", g, "b")
    assert ok and "5.000000" in msg
    ok, msg = modes.grade_entry(3, g, "b")  # only the path through d
    assert not ok and "only the path through d" in msg
    ok, msg = modes.grade_entry(2, g, "b")  # only the path through c, or de/dc itself
    assert not ok and "only the path through c" in msg and "That is de/dc" in msg
    ok, msg = modes.grade_entry(6, g, "b")  # multiplied the two paths
    assert not ok and "do not multiply" in msg
    ok, msg = modes.grade_entry(-5, g, "b")
    assert not ok and "sign" in msg
    ok, msg = modes.grade_entry("", g, "b")
    assert not ok and "Empty" in msg


def test_mistakes_never_mark_the_answer_wrong():
    # Hints whose value equals the right answer are dropped, and each remaining one is graded
    # as wrong.
    g = modes.olah_graph(0.5, -2.0)
    answer = float(g.adjoints()[1])
    for m in modes.mistakes_for(g, "b"):
        assert abs(m.value - answer) > 1e-6
        assert not modes.grade_entry(m.value, g, "b")[0]


def test_tangent_hints():
    g = modes.olah_graph(2.0, 1.0)
    assert modes.grade_entry(5, g, "e", "tangent", "b")[0]
    ok, msg = modes.grade_entry(2, g, "e", "tangent", "b")  # de/da instead: wrong seed
    assert not ok and "the seed is b" in msg
    ok, msg = modes.grade_entry(6, g, "e", "tangent", "b")
    assert not ok and "do not multiply" in msg
    ok, msg = modes.grade_entry(1, g, "a", "tangent", "b")
    assert not ok and "Only the seed input b gets tangent 1" in msg
    with pytest.raises(ValueError, match="unknown kind"):
        modes.grade_entry(1, g, "a", "gradient")
    with pytest.raises(LookupError, match="no node named"):
        modes.grade_entry(1, g, "z")


def test_grade_table_row_by_row():
    g = modes.olah_graph(2.0, 1.0)
    rows = modes.grade_table({"e": 1, "d": 3, "c": "2", "b": 6, "a": ""}, g)
    assert [r.name for r in rows] == ["e", "d", "c", "b", "a"]
    assert [r.correct for r in rows] == [True, True, True, False, False]
    assert "do not multiply" in rows[3].message and "Empty" in rows[4].message
    assert modes.table_summary(rows).endswith("score: 3/5")
    fwd = modes.grade_table({"a": 0, "b": 1, "c": 1, "d": 1, "e": 5}, g, "tangent", "b")
    assert all(r.correct for r in fwd) and [r.name for r in fwd] == list("abcde")
    with pytest.raises(ValueError, match="unknown node"):
        modes.grade_table({"f": 1}, g)


def test_seeds_by_position_and_bad_seeds():
    g = modes.olah_graph(2.0, 1.0)
    by_name = [s.total for s in modes.forward_steps(g, "b")]
    assert [s.total for s in modes.forward_steps(g, 1)] == by_name
    assert modes.forward_table(g, 1) == modes.forward_table(g, "b")
    with pytest.raises(NnlabIndexError, match="^forward_steps: 'c' is not an input"):
        modes.forward_steps(g, "c")
    with pytest.raises(NnlabIndexError, match="^forward_table: 7 is not an input's position"):
        modes.forward_table(g, 7)
    with pytest.raises(ValueError, match="^olah_graph: a must be a number"):
        modes.olah_graph("two", 1.0)
