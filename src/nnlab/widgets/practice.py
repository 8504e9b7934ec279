"""Practice without end, for students: one seeded problem at a time, graded with hints.

The problems are `nnlab.course.practice` (statement, answers, usual mistakes, worked
solution); the figures `nnlab.plots.practice`. Here they meet a reader:

- In JupyterLab, `practice(skill)` shows the statement (Markdown with maths) and its figure,
  one answer box per answer, a Check button (each box graded by `nnlab.course.grading.grade`,
  as `SelfCheck` does), "Show solution" and "New problem" (a fresh seed each time).
- In the built book the same cell becomes a *bank*: `BANK_SIZE` problems drawn from fixed
  seeds (`problem_seed(BANK_SEED, skill, k)`), rendered at build time by `bank_html`, graded
  in the browser by ``_static/nnlab/grader.js`` with the same data, with "Next problem" and
  "Show solution". The notebook stores only a recipe (`bank_recipe_html`); the book extension
  ``_ext/static_widgets.py`` replaces the cell's outputs with the bank. Solutions stay in both
  editions: practice is for learning.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import secrets

import ipywidgets as W
from IPython.display import display

from ..course.grading import DEFAULT_RTOL, grade
from ..course.practice import GENERATORS, Problem, generate, problem_seed
from ..course.practice.problem import num
from ..engine.errors import NnlabValueError
from . import static
from .autodiff import EMPTY_ROW
from .core import show_controls

__all__ = [
    "BANK_SEED",
    "BANK_SIZE",
    "PRACTICE_CLASS",
    "PracticeWidget",
    "bank_html",
    "bank_problems",
    "bank_recipe_html",
    "grade_answer",
    "markdown_html",
    "practice",
]

BANK_SIZE = 20  # problems per skill in the built book
BANK_SEED = 2027  # the book's bank: problem k of skill s has seed problem_seed(2027, s, k)
PRACTICE_CLASS = "nnlab-practice-recipe"
NO_SOLUTION = "Solution hidden: press Show solution."


def _check_skill(skill, where: str) -> int:
    if isinstance(skill, bool) or not isinstance(skill, int) or skill not in GENERATORS:
        raise NnlabValueError(
            f"{where}: no practice generator for skill {skill!r}; skills with one: "
            f"{', '.join(map(str, sorted(GENERATORS)))}"
        )
    return skill


def grade_answer(answer, expected: float, mistakes=(), rtol: float = DEFAULT_RTOL):
    """One answer box: `grade`, except that an empty box asks to be filled in (as the
    browser's ``gradeRow`` does)."""
    if answer is None or not str(answer).strip():
        return False, EMPTY_ROW
    return grade(answer, expected, mistakes, rtol)


# ----------------------------------------------------------------------------- Markdown


def _inline_math(self, tokens, idx, options, env) -> str:
    return f"\\({html.escape(tokens[idx].content.strip())}\\)"


def _display_math(self, tokens, idx, options, env) -> str:
    return f'<div class="nnlab-display">\\[{html.escape(tokens[idx].content.strip())}\\]</div>\n'


@functools.cache
def _markdown_parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.use(dollarmath_plugin, double_inline=True)
    # Bare \(..\) and \[..\]: the bank's root has the class MathJax is told to process
    # (``mathjax_process``), so no per-formula wrapper is needed (a third of the bytes).
    md.add_render_rule("math_inline", _inline_math)
    for rule in ("math_inline_double", "math_block", "math_block_label"):
        md.add_render_rule(rule, _display_math)
    return md


def markdown_html(text: str) -> str:
    """A problem's Markdown (paragraphs, lists, tables, code, ``$..$`` and ``$$..$$`` maths)
    as HTML for the book page, maths as ``\\(..\\)`` and ``\\[..\\]`` for MathJax; raw HTML
    in the text is escaped, not passed through."""
    return _markdown_parser().render(text)


def _inline_html(text: str) -> str:
    """One line of Markdown (an answer's label) without the paragraph around it."""
    out = markdown_html(text).strip()
    if out.startswith("<p>") and out.endswith("</p>"):
        out = out[3:-4]
    return out


# ----------------------------------------------------------------------------- static bank


def bank_problems(skill: int, count: int = BANK_SIZE, seed: int = BANK_SEED) -> list[Problem]:
    """The ``count`` problems of ``skill`` in the book's bank (deterministic)."""
    skill = _check_skill(skill, "bank_problems")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise NnlabValueError(f"bank_problems: count must be a positive integer, got {count!r}")
    return [generate(skill, problem_seed(seed, skill, k)) for k in range(count)]


def _figure_data(spec: dict) -> str:
    """A figure spec drawn as the book's static PNG, base64."""
    import matplotlib.pyplot as plt

    from ..plots.practice import practice_figure

    fig = practice_figure(spec)
    try:
        return base64.b64encode(static.figure_png(fig)).decode("ascii")
    finally:
        plt.close(fig)


class _Images:
    """Each distinct PNG of a bank stored once; problems refer to it by index."""

    def __init__(self):
        self.images: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, spec: dict | None) -> int | None:
        if spec is None:
            return None
        data = _figure_data(spec)
        if data not in self._index:
            self._index[data] = len(self.images)
            self.images.append(data)
        return self._index[data]


def _img(index: int | None, alt: str, images: list[str], inline: bool) -> str:
    if index is None:
        return ""
    # The first problem carries its pictures (readable without scripts); the others name
    # theirs by index and grader.js fills the src in when it shows them.
    src = f' src="data:image/png;base64,{images[index]}"' if inline else ""
    return (
        f'<img class="nnlab-practice-figure" data-image="{index}"{src} '
        f'alt="{static._attr(alt or "Figure of the problem")}">'
    )


def _answers_data(problem: Problem) -> list[dict]:
    return [
        {"name": name, **static._check_data(value, problem.mistakes.get(name, ()), DEFAULT_RTOL)}
        for name, value in problem.answers.items()
    ]


def _problem_html(problem: Problem, root: str, figures: tuple, images: list[str],
                  inline: bool) -> str:  # fmt: skip
    """One problem: statement, figure, answer form, and its solution (hidden until asked)."""
    pid = f"{root}-p{problem.seed}"
    # The grading data as a JSON script, not an attribute: no &quot; escapes (a fifth of
    # the bytes of a problem).
    data = json.dumps(_answers_data(problem), sort_keys=True, separators=(",", ":"),
                      allow_nan=False).replace("</", "<\\/")  # fmt: skip
    rows = "".join(
        f'<div class="nnlab-row"><label for="{pid}-{i}">'
        f"{_inline_html(problem.answer_labels[name])}</label> "
        f'<input type="text" id="{pid}-{i}" data-answer="{i}" data-name="{html.escape(name)}" '
        'inputmode="decimal" autocomplete="off" placeholder="?"> '
        f'<output class="nnlab-feedback" data-answer="{i}" role="status" aria-live="polite">'
        "</output></div>"
        for i, name in enumerate(problem.answers)  # the grading data's order
    )
    key = "".join(
        f"<tr><td>{_inline_html(problem.answer_labels[name])}</td><td>{num(value)}</td></tr>"
        for name, value in problem.answers.items()
    )
    statement_fig = _img(figures[0], problem.figure_alt, images, inline)
    solution_fig = _img(figures[1], problem.solution_figure_alt, images, inline)
    return (
        f'<div class="nnlab-practice-body" data-seed="{problem.seed}">'
        f'<p class="nnlab-practice-title" tabindex="-1"><b>{html.escape(problem.title)}</b> '
        f"(seed {problem.seed})</p>"
        f'<div class="nnlab-practice-statement">{markdown_html(problem.statement)}</div>'
        f"{statement_fig}"
        f'<form class="nnlab-practice-form" aria-label="answers to {static._attr(problem.title)}">'
        f'<script type="application/json" class="nnlab-answers">{data}</script>'
        "<p>Give each answer to 4 significant digits (fractions such as 1/4 work too).</p>"
        f'{rows}<button type="submit">Check answers</button></form>'
        f'<button type="button" class="nnlab-practice-toggle" aria-expanded="false" '
        f'aria-controls="{pid}-solution">Show solution</button>'
        f'<div class="nnlab-practice-solution" id="{pid}-solution" hidden>'
        f'<p><b>Worked solution.</b></p><table class="nnlab-practice-key">'
        f"<thead><tr><th>answer</th><th>value</th></tr></thead><tbody>{key}</tbody></table>"
        f"{markdown_html(problem.solution)}{solution_fig}</div></div>"
    )


def bank_html(skill: int, count: int = BANK_SIZE, seed: int = BANK_SEED) -> str:
    """The static practice block of ``skill``: the first problem shown, every problem of the
    bank in a ``<template>`` (inert until shown, so MathJax typesets it when it is swapped in),
    the bank's pictures once each, "Next problem" and "Show solution"."""
    problems = bank_problems(skill, count, seed)
    root = f"nnlab-practice-{skill}"
    store = _Images()
    figures = [(store.add(p.figure), store.add(p.solution_figure)) for p in problems]
    first = _problem_html(problems[0], root, figures[0], store.images, inline=True)
    templates = "".join(
        f'<template class="nnlab-practice-problem">'
        f"{_problem_html(p, root, f, store.images, inline=False)}</template>"
        for p, f in zip(problems, figures, strict=True)
    )
    images = json.dumps(store.images, separators=(",", ":"))
    return (
        f'<div class="nnlab-practice mathjax_process" id="{root}" data-skill="{skill}" '
        f'aria-label="Practice problems, checklist skill {skill}">'
        f'<div class="nnlab-practice-bar"><span class="nnlab-practice-count" aria-live="polite">'
        f"Problem 1 of {len(problems)}</span> "
        f'<button type="button" class="nnlab-practice-next">Next problem</button></div>'
        f'<div class="nnlab-practice-stage">{first}</div>{templates}'
        f'<script type="application/json" class="nnlab-practice-images">{images}</script></div>'
    )


def bank_recipe_html(skill: int, count: int = BANK_SIZE, seed: int = BANK_SEED) -> str:
    """What the notebook stores for the book: the bank's recipe and one line of text (the book
    build replaces the cell's outputs with `bank_html`)."""
    skill = _check_skill(skill, "bank_recipe_html")
    spec = json.dumps({"skill": skill, "count": count, "seed": seed}, sort_keys=True)
    return (
        f'<div class="{PRACTICE_CLASS}" data-nnlab-practice="{static._attr(spec)}">'
        f"<p>Practice bank: {count} problems of checklist skill {skill}.</p></div>"
    )


# ----------------------------------------------------------------------------- JupyterLab


class _Markdown:
    """Markdown for the notebook (JupyterLab renders its maths) with the same text as its
    plain-text form, so strict nbval compares the words, not an object's address."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def fresh_seed() -> int:
    """A new seed for "New problem" (from the operating system: a different problem each
    click; the seed is shown, so the problem can be drawn again with `generate`)."""
    return secrets.randbelow(2**31)


class PracticeWidget:
    """One skill's practice in a notebook: statement, figure, answer boxes, solution.

    It starts at the bank's first problem (so a stored notebook is deterministic);
    `new_problem` draws another (a fresh seed unless one is given).
    """

    def __init__(self, skill: int, seed: int | None = None):
        self.skill = _check_skill(skill, "PracticeWidget")
        self.new_button = W.Button(description="New problem", tooltip="draw a fresh problem")
        self.check_button = W.Button(description="Check answers")
        self.solution_button = W.Button(description="Show solution")
        self.seed_label = W.HTML()
        self.answers_box = W.VBox()
        self.new_button.on_click(lambda _: self.new_problem())
        self.check_button.on_click(lambda _: self.check())
        self.solution_button.on_click(lambda _: self.toggle_solution())
        self._handles: list = []
        self._load(problem_seed(BANK_SEED, self.skill, 0) if seed is None else seed)

    # ------------------------------------------------------------------ state

    def _load(self, seed: int) -> None:
        self.problem = generate(self.skill, seed)
        self.solution_shown = False
        self.solution_button.description = "Show solution"
        self.seed_label.value = f"<i>{html.escape(self.problem.title)}, seed {seed}</i>"
        self.boxes: dict[str, W.Text] = {}
        self.feedback: dict[str, W.HTML] = {}
        rows = []
        for name in self.problem.answers:
            label = self.problem.answer_labels[name]
            box = W.Text(placeholder="?", continuous_update=False,
                         layout=W.Layout(width="12em"))  # fmt: skip
            out = W.HTML(value="")
            box.observe(lambda change, out=out: setattr(out, "value", ""), names="value")
            self.boxes[name], self.feedback[name] = box, out
            rows.append(W.HBox([W.HTMLMath(value=label, layout=W.Layout(width="22em")), box, out]))
        self.answers_box.children = rows

    def new_problem(self, seed: int | None = None) -> Problem:
        """Draw a new problem (``seed``, or a fresh one) and show it."""
        self._load(fresh_seed() if seed is None else seed)
        self._refresh()
        return self.problem

    def check(self, answers: dict | None = None) -> dict[str, tuple[bool, str]]:
        """Grade every box (after filling in ``answers``, a dict name -> text, if given)."""
        from .selfcheck import feedback_html

        if answers:
            unknown = set(answers) - set(self.boxes)
            if unknown:
                raise NnlabValueError(
                    f"PracticeWidget.check: no answer named {sorted(unknown)}; answers: "
                    f"{', '.join(self.boxes)}"
                )
            for name, value in answers.items():
                self.boxes[name].value = str(value)
        verdicts = {}
        for name, box in self.boxes.items():
            verdict = grade_answer(box.value, self.problem.answers[name],
                                   self.problem.mistakes.get(name, ()))  # fmt: skip
            self.feedback[name].value = feedback_html(*verdict)
            verdicts[name] = verdict
        return verdicts

    def toggle_solution(self) -> bool:
        """Show the worked solution (or hide it again); returns whether it is shown."""
        self.solution_shown = not self.solution_shown
        self.solution_button.description = (
            "Hide solution" if self.solution_shown else "Show solution"
        )
        self._refresh(statement=False)
        return self.solution_shown

    # ------------------------------------------------------------------ display

    def statement_outputs(self) -> list:
        """The statement and its figure (an empty line where the skill draws none)."""
        return [_Markdown(self.problem.statement), self._figure(self.problem.figure)]

    def solution_outputs(self) -> list:
        """The answers, worked solution and its figure, or one line while it is hidden."""
        if not self.solution_shown:
            return [_Markdown(NO_SOLUTION), _Markdown("")]
        key = "\n".join(f"- {self.problem.answer_labels[n]}: {num(v)}"
                        for n, v in self.problem.answers.items())  # fmt: skip
        text = f"**Answers.**\n\n{key}\n\n**Worked solution.**\n\n{self.problem.solution}"
        return [_Markdown(text), self._figure(self.problem.solution_figure)]

    @staticmethod
    def _figure(spec):
        if spec is None:
            return _Markdown("")
        from ..plots.practice import practice_figure

        return practice_figure(spec)

    def _refresh(self, statement: bool = True) -> None:
        if not self._handles:
            return
        outputs = self.statement_outputs() if statement else [None, None]
        outputs += self.solution_outputs()
        for handle, output in zip(self._handles, outputs, strict=True):
            if output is not None:
                handle.update(output)

    def show(self) -> None:
        """Statement and figure, then the answer boxes and buttons (with the book's recipe),
        then the solution slot; each output is updated in place."""
        shown = [display(o, display_id=True) for o in self.statement_outputs()]
        controls = W.VBox([
            self.seed_label, self.answers_box,
            W.HBox([self.check_button, self.solution_button, self.new_button]),
        ])  # fmt: skip
        show_controls(controls, f"practice, checklist skill {self.skill}: answer boxes, "
                      "Check answers, Show solution, New problem",
                      html=bank_recipe_html(self.skill))  # fmt: skip
        shown += [display(o, display_id=True) for o in self.solution_outputs()]
        self._handles = shown


def practice(skill: int) -> None:
    """Show the practice of checklist ``skill`` (a bank of problems in the built book).
    Returns nothing, so a cell ending with it shows the practice once."""
    PracticeWidget(skill).show()
