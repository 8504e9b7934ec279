"""The built book's explorers and self-checks in Chromium, with no kernel and no network.

- every static control of every explorer is moved through each of its values from the
  keyboard; the page must then show what the explorer's own Python ``render`` gives for those
  values (the readout texts, and the figures byte for byte as `static.figure_png` encodes
  them), within 16 ms of the move;
- every self-check gets its right answer, each listed mistake and an unreadable string, and
  must give `grade`'s verdict and message; every table check the same, row by row;
- no page requests anything outside the book, and none logs a console error.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import pytest
from browser import PageWatch

from nnlab.course.grading import Mistake, grade
from nnlab.widgets import static
from nnlab.widgets.recipe import decode, load_factory

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["intro", *sorted(f"chapters/{p.stem}" for p in (ROOT / "chapters").glob("*.ipynb"))]
WIDGET_PAGES = [p for p in PAGES if (ROOT / f"{p}.ipynb").is_file()
                and "nnlab.widgets" in (ROOT / f"{p}.ipynb").read_text()]  # fmt: skip
FRAME_MS = 16.0


def _stored_forms(name: str) -> tuple[int, int]:
    """How many number checks and table checks the notebook's stored outputs show."""
    checks = tables = 0
    for cell in json.loads((ROOT / f"{name}.ipynb").read_text())["cells"]:
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html", "")
            page = "".join(page) if isinstance(page, list) else page
            checks += page.count('<form class="nnlab-check"')
            tables += page.count('<form class="nnlab-table-check"')
    return checks, tables


def _open(page, book_url, name):
    watch = PageWatch(page, book_url)
    page.goto(f"{book_url}/{name}.html")
    page.wait_for_load_state("networkidle")
    return watch


@pytest.mark.parametrize("name", PAGES)
def test_no_page_reaches_outside_or_logs_an_error(laptop_page, book_url, name):
    watch = _open(laptop_page, book_url, name)
    assert watch.outside == []
    assert watch.console_errors == []
    assert watch.page_errors == []
    assert laptop_page.locator(".nnlab-recipe").count() == 0  # every recipe became an explorer


def _shown(root) -> list:
    return root.evaluate(
        """r => Array.from(r.querySelectorAll('.nnlab-slot')).map(s =>
             s.tagName === 'IMG' ? s.src.split(',')[1] : s.textContent)"""
    )


def _python_outputs(explorer, values) -> list:
    out = []
    for o in explorer.render(**values):
        if hasattr(o, "savefig"):
            out.append(base64.b64encode(static.figure_png(o)).decode("ascii"))
        else:
            out.append(str(o))
    return out


@pytest.mark.parametrize("name", WIDGET_PAGES)
def test_every_static_control_shows_the_python_render(laptop_page, book_url, name):
    _open(laptop_page, book_url, name)
    roots = laptop_page.locator(".nnlab-explorer")
    shows = (ROOT / f"{name}.ipynb").read_text().count("_explorer(")
    assert roots.count() == shows  # one static explorer per explorer the chapter shows
    for r in range(roots.count()):
        root = roots.nth(r)
        spec = json.loads(root.get_attribute("data-nnlab-spec"))
        explorer = load_factory(spec["factory"])(**decode(spec["kwargs"]))
        start = explorer.values
        for i, control in enumerate(spec["grid"]):
            values = spec["grid"][control]
            field = root.locator(f'[data-index="{i}"]')
            field.focus()
            back, forth = ("ArrowLeft", "ArrowRight") if field.get_attribute("type") else (
                "ArrowUp", "ArrowDown")  # a range input, or a select
            here = values.index(start[control])
            for _ in range(here):  # to the first value, with the keyboard
                laptop_page.keyboard.press(back)
            for j, value in enumerate(values):
                if j:
                    laptop_page.keyboard.press(forth)
                label = explorer.value_label(control, value)
                if field.get_attribute("type") == "range":
                    assert field.get_attribute("aria-valuetext") == label
                shown = _shown(root)
                want = _python_outputs(explorer, {**start, control: value})
                assert shown == want, f"{spec['factory']}: {control} = {label}"
                assert float(root.get_attribute("data-nnlab-update-ms")) < FRAME_MS
            for _ in range(len(values) - 1 - here):  # back to the start value
                laptop_page.keyboard.press(back)


def _answers(data: dict) -> list[str]:
    return [repr(data["expected"]), *(repr(v) for v, _ in data["mistakes"]), "not a number"]


def _python_grade(answer: str, data: dict) -> tuple[bool, str]:
    mistakes = [Mistake(v, h) for v, h in data["mistakes"]]
    return grade(answer, data["expected"], mistakes, data["rtol"])


@pytest.mark.parametrize("name", WIDGET_PAGES)
def test_every_self_check_grades_as_python_does(laptop_page, book_url, name):
    _open(laptop_page, book_url, name)
    forms = laptop_page.locator("form.nnlab-check")
    checks, tables = _stored_forms(name)
    assert forms.count() == checks  # one form per check the notebook shows
    assert laptop_page.locator("form.nnlab-table-check").count() == tables
    for f in range(forms.count()):
        form = forms.nth(f)
        data = json.loads(html.unescape(form.get_attribute("data-nnlab-check")))
        box, feedback = form.locator("input"), form.locator("output")
        for answer in _answers(data):
            box.fill(answer)
            assert feedback.inner_text() == ""  # editing clears an old verdict
            box.press("Enter")
            correct, message = _python_grade(answer, data)
            assert feedback.inner_text().lstrip("\u2713\u2717 ") == message
            assert ("nnlab-right" in feedback.get_attribute("class")) == correct
    tables = laptop_page.locator("form.nnlab-table-check")
    for t in range(tables.count()):
        table = tables.nth(t)
        rows = json.loads(html.unescape(table.get_attribute("data-nnlab-table")))["rows"]
        boxes, marks = table.locator("input[data-row]"), table.locator("output[data-row]")
        for k in range(max(len(_answers(row)) for row in rows)):
            typed = [(_answers(row) + [""])[min(k, len(_answers(row)))] for row in rows]
            for i, answer in enumerate(typed):
                boxes.nth(i).fill(answer)
            boxes.nth(0).press("Enter")  # Enter grades the whole table
            for i, (row, answer) in enumerate(zip(rows, typed, strict=True)):
                want = (False, "Empty: fill in this row.") if not answer else _python_grade(
                    answer, row)
                assert marks.nth(i).inner_text().lstrip("\u2713\u2717 ") == want[1]
                assert " Or: " not in want[1]
