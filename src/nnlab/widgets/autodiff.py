"""Widgets for forward and reverse mode by hand (chapter 9): wiring only.

The graphs, the hand tables and their grading are `nnlab.course.modes`; the drawings are
`nnlab.plots.graph`. Here they meet ipywidgets:

- `olah_explorer`: sliders for a and b and a dropdown for the forward seed, showing both
  tables and the three-panel figure of e = (a + b)(b + 1);
- `TableCheck` (`table_check(a, b, kind, wrt)`): one box per node, graded row by row.
"""

from __future__ import annotations

import html

import ipywidgets as W

from ..course.grading import DEFAULT_RTOL, Mistake, grade
from ..course.modes import (
    KINDS,
    RowGrade,
    forward_steps,
    forward_table,
    mistakes_for,
    olah_graph,
    reverse_steps,
    reverse_table,
)
from ..engine.errors import NnlabValueError, unknown_name
from ..engine.trace import Graph
from ..plots import graph as graph_plot
from . import static
from .core import number_slider, show_controls
from .explorer import Explorer
from .selfcheck import feedback_html

# --------------------------------------------------------------------------- explorer


def _slider(value, lo, hi, step, description):
    return number_slider(description, value, lo, hi, step)


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
    grid = {"a": [-1.0, 0.0, 1.0, 2.0, 3.0], "b": [-2.0, -1.0, 0.0, 1.0, 2.0], "seed": ["a", "b"]}
    return Explorer(controls, olah_render, factory=olah_explorer,
                    arguments=dict(a=a, b=b, seed=seed), grid=grid, caption=OLAH_CAPTION,
                    alt=olah_alt)  # fmt: skip


OLAH_CAPTION = (
    "e = (a + b)(b + 1) at the current a and b, three times: node values with each edge's "
    "local derivative (top left, with a key beside it), forward mode seeded at the chosen "
    "input (tangents in blue, bottom left) and reverse mode from e (adjoints in vermillion, "
    "bottom right). One forward pass gives de/d(seed); one reverse pass gives every de/d(node)."
)


def olah_alt(a: float, b: float, seed: str = "b") -> str:
    """What the three graph drawings show at these values."""
    g = olah_graph(a, b)
    names = [n.name for n in g.nodes]
    value = {n.name: float(n.value) for n in g.nodes}
    tangent = dict(zip(names, (float(t) for t in g.tangents(seed)), strict=True))
    adjoint = dict(zip(names, (float(t) for t in g.adjoints()), strict=True))
    return (
        "Three drawings of the graph a, b -> c = a + b, d = b + 1 -> e = c d with values "
        f"a = {value['a']:.2f}, b = {value['b']:.2f}, c = {value['c']:.2f}, d = {value['d']:.2f}, "
        f"e = {value['e']:.2f}. Forward mode seeded at {seed}: de/d{seed} = "
        f"{tangent['e']:.2f}. Reverse mode from e: de/da = {adjoint['a']:.2f}, de/db = "
        f"{adjoint['b']:.2f}, de/dc = {adjoint['c']:.2f}, de/dd = {adjoint['d']:.2f}."
    )


def one_hint(mistakes: list[Mistake]) -> list[Mistake]:
    """One hint per mistake: where two typical mistakes give the same number, `mistakes_for`
    joins their hints with " Or: "; a row shows only the first (a short, single hint)."""
    return [Mistake(m.value, m.hint.split(" Or: ")[0]) for m in mistakes]


EMPTY_ROW = "Empty: fill in this row."


class TableCheck:
    """One text box per node. Enter in any box, or the Check button, grades every row; editing
    a box regrades the filled rows, so an old mark never outlives its answer."""

    def __init__(self, graph: Graph, kind: str = "adjoint", wrt=0, prompt: str = ""):
        if kind not in KINDS:
            raise unknown_name("TableCheck", "kind", kind, KINDS)
        self.graph, self.kind, self.wrt, self.prompt = graph, kind, wrt, prompt
        steps = reverse_steps(graph) if kind == "adjoint" else forward_steps(graph, wrt)
        self.order = [s.name for s in steps]
        self.totals = {s.name: s.total for s in steps}
        self.mistakes = {name: one_hint(mistakes_for(graph, name, kind, wrt))
                         for name in self.order}  # fmt: skip
        self.boxes = {
            name: W.Text(placeholder="?", description=name, continuous_update=False,
                         layout=W.Layout(width="180px"))
            for name in self.order
        }  # fmt: skip
        self.marks = {name: W.HTML(value="") for name in self.order}
        self.button = W.Button(description="Check table")
        self.button.on_click(lambda _: self.check())
        for box in self.boxes.values():
            # continuous_update=False: the value arrives on Enter (or leaving the box).
            box.observe(lambda _: self.check(), names="value")
        self.rows: list[RowGrade] = []

    def grade_row(self, name: str, answer) -> tuple[bool, str]:
        """One row's verdict: empty, or `grade` against the engine with the row's hints."""
        if answer is None or str(answer).strip() == "":
            return False, EMPTY_ROW
        return grade(answer, self.totals[name], self.mistakes[name])

    def check(self, entries: dict | None = None) -> list[RowGrade]:
        """Grade the boxes (after filling them from ``entries``, if given) and show marks."""
        for name in entries or {}:
            if name not in self.boxes:
                raise NnlabValueError(f"TableCheck: unknown node {name!r}; nodes: {self.order}")
        for name, value in (entries or {}).items():
            self.boxes[name].value = str(value)
        self.rows = []
        for name in self.order:
            correct, message = self.grade_row(name, self.boxes[name].value)
            self.rows.append(RowGrade(name, correct, message, self.totals[name]))
            self.marks[name].value = feedback_html(correct, message)
        return self.rows

    def static_html(self) -> str:
        rows = [(n, self.totals[n], self.mistakes[n]) for n in self.order]
        return static.table_check_html(self.prompt, rows, f"{self.kind} table", DEFAULT_RTOL)

    def show(self) -> None:
        prompt = W.HTML(value=f"<b>Check yourself.</b> {html.escape(self.prompt)}")
        rows = [W.HBox([self.boxes[n], self.marks[n]]) for n in self.order]
        show_controls(W.VBox([prompt, *rows, self.button]),
                      f"{self.kind} table, one box per node", html=self.static_html())  # fmt: skip


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
