"""Widgets for forward and reverse mode by hand (chapter 9): wiring only.

The graphs, the hand tables and their grading are `nnlab.course.modes`; the drawings are
`nnlab.plots.graph`. Here they meet ipywidgets:

- `olah_explorer`: sliders for a and b and a dropdown for the forward seed, showing both
  tables and the three-panel figure of e = (a + b)(b + 1);
- `TableCheck` (`table_check(a, b, kind, wrt)`): one box per node, graded row by row.
"""

from __future__ import annotations

import ipywidgets as W
from IPython.display import HTML, display

from ..course.modes import (
    KINDS,
    RowGrade,
    forward_steps,
    forward_table,
    grade_table,
    olah_graph,
    reverse_steps,
    reverse_table,
)
from ..engine.errors import NnlabValueError, unknown_name
from ..engine.trace import Graph
from ..plots import graph as graph_plot
from .core import show_controls
from .explorer import Explorer

# --------------------------------------------------------------------------- explorer


def _slider(value, lo, hi, step, description):
    return W.FloatSlider(
        value=value, min=lo, max=hi, step=step, description=description,
        continuous_update=False, readout_format=".2f",
    )  # fmt: skip


def olah_render(a: float, b: float, seed: str = "b") -> list:
    """The explorer's outputs: forward table (seeded at ``seed``), reverse table, figure."""
    g = olah_graph(a, b)
    return [
        forward_table(g, seed),
        reverse_table(g),
        graph_plot.draw_three_panels(g, seed, precision=2),
    ]


def olah_explorer(a: float = 2.0, b: float = 1.0, seed: str = "b") -> Explorer:
    """Sliders for a and b and a dropdown for the forward seed; both tables and the figure."""
    if seed not in ("a", "b"):
        raise NnlabValueError(f"olah_explorer: seed must be 'a' or 'b', got {seed!r}")
    controls = {
        "a": _slider(a, -3.0, 3.0, 0.5, "a"),
        "b": _slider(b, -3.0, 3.0, 0.5, "b"),
        "seed": W.Dropdown(options=["a", "b"], value=seed, description="seed"),
    }
    return Explorer(controls, olah_render)


class TableCheck:
    """One text box per node; the Check button grades every row with `grade_table`."""

    def __init__(self, graph: Graph, kind: str = "adjoint", wrt=0, prompt: str = ""):
        if kind not in KINDS:
            raise unknown_name("TableCheck", "kind", kind, KINDS)
        self.graph, self.kind, self.wrt, self.prompt = graph, kind, wrt, prompt
        steps = reverse_steps(graph) if kind == "adjoint" else forward_steps(graph, wrt)
        self.order = [s.name for s in steps]
        self.boxes = {
            name: W.Text(placeholder="?", description=name, continuous_update=False,
                         layout=W.Layout(width="180px"))
            for name in self.order
        }  # fmt: skip
        self.marks = {name: W.HTML(value="") for name in self.order}
        self.button = W.Button(description="Check table")
        self.button.on_click(lambda _: self.check())
        self.rows: list[RowGrade] = []

    def check(self, entries: dict | None = None) -> list[RowGrade]:
        """Grade the boxes (after filling them from ``entries``, if given) and show marks."""
        for name, value in (entries or {}).items():
            if name not in self.boxes:
                raise NnlabValueError(f"TableCheck: unknown node {name!r}; nodes: {self.order}")
            self.boxes[name].value = str(value)
        answers = {name: box.value for name, box in self.boxes.items()}
        self.rows = grade_table(answers, self.graph, self.kind, self.wrt)
        for row in self.rows:
            colour = "#2e7d32" if row.correct else "#c62828"
            self.marks[row.name].value = f'<span style="color:{colour}">{row.message}</span>'
        return self.rows

    def show(self) -> None:
        display(HTML(f"<b>Check yourself.</b> {self.prompt}"))
        rows = [W.HBox([self.boxes[n], self.marks[n]]) for n in self.order]
        show_controls(W.VBox([*rows, self.button]), f"{self.kind} table, one box per node")


def table_check(a: float, b: float, kind: str = "adjoint", wrt: str = "b") -> TableCheck:
    """A table check on e = (a + b)(b + 1) at the given inputs."""
    g = olah_graph(a, b)
    if kind == "adjoint":
        prompt = (
            f"For e = (a + b)(b + 1) at a = {a:g}, b = {b:g}, run reverse mode by hand: fill in "
            "de/d(node) for every node, starting at e."
        )
    else:
        prompt = (
            f"For e = (a + b)(b + 1) at a = {a:g}, b = {b:g}, run forward mode seeded at {wrt} "
            f"by hand: fill in d(node)/d{wrt} for every node, starting at the inputs."
        )
    return TableCheck(g, kind, wrt, prompt)
