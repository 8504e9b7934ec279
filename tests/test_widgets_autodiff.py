"""nnlab.widgets.autodiff: the explorer and the table check wire widgets to course.modes."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from nnlab.course import modes
from nnlab.widgets import autodiff as wa


def test_explorer_follows_sliders_and_seed():
    ex = wa.olah_explorer()
    fwd, rev, fig = ex.outputs
    assert "seeded at b" in fwd and fwd.rstrip().endswith("= 5.0000")
    assert isinstance(fig, Figure) and len(fig.axes) == 4  # values + key above, the modes below
    assert "de/db = 5.00" in ex.describe() and ex.describe().endswith("seed = b.")
    fwd, rev, fig = ex.set(a=-1.0, b=2.5)
    g = modes.olah_graph(-1.0, 2.5)
    de_db = float(g.adjoints()[1])
    assert de_db == pytest.approx(-1.0 + 2 * 2.5 + 1)
    assert f"= {de_db:.4f}" in rev.splitlines()[4]  # the b row
    assert f"de/db = {de_db:.2f}" in ex.describe()  # the alt text follows the state
    fwd, rev, fig = ex.set(seed="a")
    assert "seeded at a" in fwd and fwd.rstrip().endswith(f"= {2.5 + 1:.4f}")
    with pytest.raises(ValueError, match="seed must be"):
        wa.olah_explorer(seed="c")


def test_table_check_widget_grades_boxes():
    check = wa.table_check(1.0, -2.0, kind="adjoint")
    g = modes.olah_graph(1.0, -2.0)
    right = {s.name: f"{s.total:.4f}" for s in modes.reverse_steps(g)}
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
