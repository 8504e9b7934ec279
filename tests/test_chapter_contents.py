"""What every chapter gives a student before the midterm, checked on the notebook sources.

The built pages are checked in `test_built_html.py`; here the sources, so a chapter that lacks
exercises, answers, takeaways or figure descriptions fails before any build.
"""

from __future__ import annotations

import re

import pytest
from test_chapters import CHAPTERS, _cells, _markdown

# Chapters whose skill has a hand computation: each must carry a graded self-check.
SELF_CHECKED = {"02", "04", "06", "08", "09", "10", "11", "12", "14", "15"}
EXERCISE = re.compile(r"^:{3,}\{exercise(?:-start)?\}", re.M)
ANSWER = re.compile(r"^[ \t]*:{3,}\{admonition\} Answer[ \t]*\n[ \t]*:class: dropdown", re.M)


def _is_figure(output: dict) -> bool:
    return "image/png" in output.get("data", {}) or "image/svg+xml" in output.get("data", {})


def _is_widget(output: dict) -> bool:
    return "application/vnd.jupyter.widget-view+json" in output.get("data", {})


def _html(output: dict) -> str:
    html = output.get("data", {}).get("text/html", "")
    return "".join(html) if isinstance(html, list) else html


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_at_least_four_exercises_each_with_a_solution(path):
    text = _markdown(path)
    labels = re.findall(r"^:{3,}\{exercise(?:-start)?\}\s*\n:label:\s*(\S+)", text, re.M)
    assert len(EXERCISE.findall(text)) >= 4, f"{path.name}: fewer than four exercises"
    assert len(labels) == len(EXERCISE.findall(text)), f"{path.name}: an exercise has no :label:"
    for label in labels:
        solution = rf"^:{{3,}}\{{solution(?:-start)?\}} {re.escape(label)}\s*$"
        assert re.search(solution, text, re.M), f"{path.name}: exercise {label} has no solution"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_check_yourself_questions_have_answers(path):
    text = _markdown(path)
    match = re.search(r"^#+ Check yourself.*?(?=^#+ |\Z)", text, re.M | re.S)
    assert match, f"{path.name}: no 'Check yourself' section"
    section = match.group(0)
    assert len(ANSWER.findall(section)) >= 2, f"{path.name}: 'Check yourself' needs answers"
    tail = ANSWER.split(section)[-1]
    assert "?" not in re.sub(r":::.*", "", tail.split(":::", 1)[-1], flags=re.S), (
        f"{path.name}: the last 'Check yourself' question has no answer after it"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_key_takeaways_and_further_reading(path):
    text = _markdown(path)
    assert re.search(r"^:{3,}\{admonition\} Key takeaways", text, re.M), (
        f"{path.name}: no 'Key takeaways' box"
    )
    assert re.search(r"^#+ Further reading", text, re.M), f"{path.name}: no further reading"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_figure_cell_has_a_caption_and_alt_text(path):
    for k, cell in enumerate(_cells(path)):
        outputs = cell.get("outputs", []) if cell["cell_type"] == "code" else []
        if not any(map(_is_figure, outputs)) or any(map(_is_widget, outputs)):
            continue  # an explorer's figure is captioned by the explorer (test_built_html)
        meta = cell.get("metadata", {}).get("mystnb", {})
        caption = meta.get("figure", {}).get("caption", "")
        alt = meta.get("image", {}).get("alt", "")
        assert len(caption.split()) >= 4, f"{path.name}, cell {k}: figure without a caption"
        assert len(alt.split()) >= 4, f"{path.name}, cell {k}: figure without alt text"


@pytest.mark.parametrize(
    "path", [p for p in CHAPTERS if p.name[:2] in SELF_CHECKED], ids=lambda p: p.stem
)
def test_graded_self_check(path):
    forms = [
        _html(o) for c in _cells(path) if c["cell_type"] == "code" for o in c.get("outputs", [])
    ]
    assert any(re.search(r'<form class="nnlab-(table-)?check"', h) for h in forms), (
        f"{path.name}: no graded self-check"
    )


def test_each_erratum_box_appears_once():
    """An erratum is explained in one chapter; others link to its label."""
    titles = {}
    for path in CHAPTERS:
        for title in re.findall(r"^:{3,}\{admonition\} (Erratum[^\n]*)", _markdown(path), re.M):
            titles.setdefault(title.strip(), []).append(path.name)
    repeated = {t: where for t, where in titles.items() if len(where) > 1}
    assert not repeated, f"erratum boxes repeated: {repeated}"
