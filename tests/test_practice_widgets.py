"""The practice widgets (nnlab.widgets.practice): the JupyterLab widget and the book's bank."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from nnlab.course import practice as course  # noqa: E402
from nnlab.course.grading import grade  # noqa: E402
from nnlab.course.practice.problem import num  # noqa: E402
from nnlab.engine.errors import NnlabValueError  # noqa: E402
from nnlab.widgets import practice as P  # noqa: E402
from nnlab.widgets.autodiff import EMPTY_ROW  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "practice.ipynb"
SKILLS = sorted({s for s in course.GENERATORS if s != 6})  # 6 shares skill 1's generator


def _some_mistake(problem):
    return next((name, ms[0]) for name, ms in problem.mistakes.items() if ms)


# --------------------------------------------------------------------------- the widget


@pytest.mark.parametrize("skill", SKILLS)
def test_widget_grades_right_answers_mistakes_and_empty_boxes(skill):
    w = P.PracticeWidget(skill)
    assert w.problem.seed == course.problem_seed(P.BANK_SEED, skill, 0)  # the bank's first
    assert list(w.boxes) == list(w.problem.answers)
    # what a student copies from the answer key (4 significant digits) is right
    verdicts = w.check({n: num(v) for n, v in w.problem.answers.items()})
    assert all(ok for ok, _ in verdicts.values()), verdicts
    name, mistake = _some_mistake(w.problem)
    verdicts = w.check({name: repr(mistake.value)})
    assert verdicts[name] == (False, f"Not quite. {mistake.hint}")
    assert "Not quite." in w.feedback[name].value
    w.boxes[name].value = ""  # editing a box clears its old verdict
    assert w.feedback[name].value == ""
    assert w.check()[name] == (False, EMPTY_ROW)


def test_widget_answers_are_graded_like_selfcheck():
    w = P.PracticeWidget(8)
    for name, expected in w.problem.answers.items():
        for typed in ["abc", "1/0", repr(expected * 1.5 + 0.3)]:
            got = w.check({name: typed})[name]
            assert got == grade(typed, expected, w.problem.mistakes[name])


def test_new_problem_draws_fresh_seeds_and_resets_the_solution(monkeypatch):
    w = P.PracticeWidget(12)
    first = w.problem
    assert w.toggle_solution() is True and w.solution_button.description == "Hide solution"
    seeds = iter([11, 12])
    monkeypatch.setattr(P, "fresh_seed", lambda: next(seeds))
    assert w.new_problem().seed == 11 and w.new_problem().seed == 12
    assert w.problem.statement != first.statement
    assert w.solution_shown is False and w.solution_button.description == "Show solution"
    assert w.new_problem(seed=first.seed).statement == first.statement
    assert all(box.value == "" for box in w.boxes.values())


def test_fresh_seeds_differ():
    seeds = {P.fresh_seed() for _ in range(20)}
    assert len(seeds) > 15 and all(0 <= s < 2**31 for s in seeds)


def test_answer_boxes_follow_the_problem():
    w = P.PracticeWidget(2)
    for seed in range(40):  # 2-2-1 and 2-3-1 networks have different answers
        w.new_problem(seed=seed)
        assert list(w.boxes) == list(w.problem.answers)
        assert len(w.answers_box.children) == len(w.problem.answers)


def test_solution_outputs_hold_every_answer_and_the_worked_solution():
    w = P.PracticeWidget(8)
    assert [repr(o) for o in w.solution_outputs()] == [P.NO_SOLUTION, ""]
    w.toggle_solution()
    text = w.solution_outputs()[0]._repr_markdown_()
    assert w.problem.solution in text
    for name, value in w.problem.answers.items():
        assert f"{w.problem.answer_labels[name]}: {num(value)}" in text


def test_show_displays_then_updates_in_place(monkeypatch):
    shown, updates = [], []

    class Handle:
        def __init__(self, obj):
            self.obj = obj

        def update(self, obj, **kwargs):
            updates.append((self, obj))

    def fake_display(obj, display_id=False, **kwargs):
        assert display_id is True
        shown.append(obj)
        return Handle(obj)

    bundles = []
    monkeypatch.setattr(P, "display", fake_display)
    monkeypatch.setattr(P, "show_controls", lambda w, d, html=None: bundles.append((d, html)))
    w = P.PracticeWidget(4)
    w.show()
    assert len(shown) == 4 and len(bundles) == 1  # statement, figure, solution, its figure
    assert repr(shown[0]) == w.problem.statement
    assert P.PRACTICE_CLASS in bundles[0][1] and "skill 4" in bundles[0][0]
    w.new_problem(seed=5)
    assert len(updates) == 4 and repr(updates[0][1]) == w.problem.statement
    updates.clear()
    w.toggle_solution()  # only the solution's two outputs change
    assert len(updates) == 2 and w.problem.solution in repr(updates[0][1])


def test_bad_skills_are_errors_naming_the_function():
    for call, name in [(lambda: P.PracticeWidget(5), "PracticeWidget"),
                       (lambda: P.bank_problems(3), "bank_problems"),
                       (lambda: P.bank_recipe_html(True), "bank_recipe_html"),
                       (lambda: P.bank_problems(2, count=0), "bank_problems")]:  # fmt: skip
        with pytest.raises(NnlabValueError, match=rf"^{name}: "):
            call()
    with pytest.raises(NnlabValueError, match=r"^PracticeWidget.check: no answer named"):
        P.PracticeWidget(10).check({"nope": "1"})


# --------------------------------------------------------------------------- Markdown


def test_markdown_html_keeps_maths_for_mathjax_and_escapes_html():
    out = P.markdown_html("Take $a < b$ and\n\n$$x^2 = \\frac{1}{2}$$\n\n<script>x</script>")
    assert "\\(a &lt; b\\)" in out
    assert '<div class="nnlab-display">\\[x^2 = \\frac{1}{2}\\]</div>' in out
    assert "<script>" not in out and "&lt;script&gt;" in out


@pytest.mark.parametrize("skill", SKILLS)
def test_statements_leave_no_dollar_maths_behind(skill):
    for p in P.bank_problems(skill, count=5):
        for text in (p.statement, p.solution, *p.answer_labels.values()):
            rendered = re.sub(r"<pre>.*?</pre>", "", P.markdown_html(text), flags=re.S)
            assert "$" not in rendered, rendered[:300]
            assert rendered.count("\\(") == rendered.count("\\)")


# --------------------------------------------------------------------------- the bank


@pytest.fixture(scope="module")
def banks():
    return {skill: P.bank_html(skill) for skill in SKILLS}


def _templates(bank: str) -> list[str]:
    return re.findall(r'<template class="nnlab-practice-problem">(.*?)</template>', bank, re.S)


@pytest.mark.parametrize("skill", SKILLS)
def test_bank_holds_every_problem_with_its_grading_data_and_solution(banks, skill):
    bank = banks[skill]
    problems = P.bank_problems(skill)
    templates = _templates(bank)
    assert len(templates) == len(problems) == P.BANK_SIZE >= 20
    assert len({p.seed for p in problems}) == len(problems)  # no problem twice
    images = json.loads(re.search(r'class="nnlab-practice-images">(.*?)</script>', bank).group(1))
    for problem, body in zip(problems, templates, strict=True):
        assert f'data-seed="{problem.seed}"' in body
        data = json.loads(re.search(r'class="nnlab-answers">(.*?)</script>', body).group(1)
                          .replace("<\\/", "</"))  # fmt: skip
        assert [row["name"] for row in data] == list(problem.answers)
        # box i is graded with row i: the boxes name the same answers in the same order
        assert re.findall(r'data-name="([^"]*)"', body) == list(problem.answers)
        for row in data:
            assert row["expected"] == problem.answers[row["name"]]
            assert [m[0] for m in row["mistakes"]] == [
                m.value for m in problem.mistakes[row["name"]]
            ]
        # the solution is in the page (hidden until asked), with every answer's value
        solution = body[body.index("nnlab-practice-solution") :]
        assert "Show solution" in body and " hidden>" in body
        for value in problem.answers.values():
            assert f"<td>{num(value)}</td>" in solution
        for index in re.findall(r'data-image="(\d+)"', body):
            assert int(index) < len(images)
        wanted = (problem.figure is not None) + (problem.solution_figure is not None)
        assert body.count("<img ") == wanted


def test_bank_is_deterministic_and_its_first_problem_is_readable_without_scripts(banks):
    assert P.bank_html(12) == banks[12]
    stage = banks[2].split('<div class="nnlab-practice-stage">', 1)[1].split("<template", 1)[0]
    assert 'src="data:image/png;base64,' in stage  # the first figure is inline
    assert 'class="nnlab-practice mathjax_process"' in banks[2]


def test_bank_sizes_stay_reasonable(banks):
    sizes = {skill: len(bank.encode()) for skill, bank in banks.items()}
    assert all(size < 1_000_000 for size in sizes.values()), sizes
    assert sum(sizes.values()) < 3_500_000, sizes


def test_recipe_is_what_the_book_extension_reads():
    recipe = P.bank_recipe_html(8)
    match = re.search(r'class="nnlab-practice-recipe" data-nnlab-practice="([^"]*)"', recipe)
    assert json.loads(html.unescape(match.group(1))) == {"skill": 8, "count": 20, "seed": 2027}


# --------------------------------------------------------------------------- the chapter


def _cells():
    return json.loads(CHAPTER.read_text())["cells"]


def test_chapter_has_one_practice_per_generator_and_stores_recipes():
    sources = ["".join(c["source"]) for c in _cells() if c["cell_type"] == "code"]
    calls = [int(m) for s in sources for m in re.findall(r"^practice\((\d+)\)$", s, re.M)]
    assert sorted(calls) == SKILLS
    recipes = [
        out["data"]["text/html"]
        for c in _cells()
        for out in c.get("outputs", [])
        if P.PRACTICE_CLASS in "".join(out.get("data", {}).get("text/html", ""))
    ]
    assert len(recipes) == len(SKILLS)


def test_student_edition_keeps_practice_and_its_solutions():
    """The student edition removes sphinx-exercise solutions; practice has none of those, and
    its reading copy keeps every practice cell with the recipe the book turns into a bank with
    "Show solution" (practice is for learning)."""
    import sys

    sys.path.insert(0, str(ROOT / "_ext"))
    from edition_notebooks import reading_copy, solution_labels

    notebook = json.loads(CHAPTER.read_text())
    assert solution_labels(notebook) == []
    assert not any(":::{solution" in "".join(c["source"]) for c in notebook["cells"])
    student = reading_copy(notebook, solutions=False, where="practice")
    kept = [c for c in student["cells"] if c["cell_type"] == "code"]
    assert len(kept) == len([c for c in notebook["cells"] if c["cell_type"] == "code"])
    assert sum(P.PRACTICE_CLASS in json.dumps(c["outputs"]) for c in kept) == len(SKILLS)
    assert "Show solution" in P.bank_html(10, count=1)


@pytest.mark.parametrize("skill", SKILLS)
def test_every_bank_answer_as_the_key_prints_it_is_graded_right(skill):
    """The solution's key prints 4 significant digits; typing that back must be correct, for
    every answer of every problem of the bank, and each mistake must still get its hint."""
    for problem in P.bank_problems(skill):
        for name, value in problem.answers.items():
            assert P.grade_answer(num(value), value, problem.mistakes[name])[0], (name, value)
            for m in problem.mistakes[name]:
                assert P.grade_answer(num(m.value), value, problem.mistakes[name]) == (
                    False,
                    f"Not quite. {m.hint}",
                ), (problem.seed, name, m)
