"""The book's conventions, checked on every chapter notebook (see CONTRIBUTING.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.ipynb"))
SKILLS = [p for p in CHAPTERS if not p.name.startswith("00-")]


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _markdown(path: Path) -> str:
    return "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "markdown")


def test_every_checklist_skill_has_one_chapter_in_toc_order():
    numbers = [int(p.name[:2]) for p in SKILLS]
    assert numbers == list(range(1, 16))
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    listed = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    # the practice chapter (not a skill, so not numbered) closes the book, in its own part
    assert listed == [f"chapters/{p.stem}" for p in CHAPTERS] + ["chapters/practice"]
    assert toc["parts"][-1] == {"caption": "Practice", "chapters": [{"file": "chapters/practice"}]}


def test_intro_links_every_chapter():
    intro = (ROOT / "intro.md").read_text()
    for path in SKILLS:
        assert f"{{doc}}`chapters/{path.stem}`" in intro, path.stem


@pytest.mark.parametrize("path", SKILLS, ids=lambda p: p.stem)
def test_chapter_has_the_agreed_shape(path):
    first = _source(_cells(path)[0])
    number = int(path.name[:2])
    assert first.startswith(f"# {number}. "), "first cell must be the '# N. Title' heading"
    assert ":::{admonition} Goal" in first, "the goal comes first"
    text = _markdown(path)
    has_solution = ":::{solution}" in text or ":::{solution-start}" in text
    assert ":::{exercise}" in text and has_solution, "exercises with solutions"
    assert re.search(r"^## Check yourself", text, re.M), "ends with a Check yourself list"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_glued_numbers_are_rounded(path):
    """A glued float is compared digit for digit by nbval: unrounded ones change with BLAS."""
    long_float = re.compile(r"\d\.\d{9,}")
    for i, cell in enumerate(_cells(path)):
        for output in cell.get("outputs", []):
            for mime, value in output.get("data", {}).items():
                if "papermill.record" in mime and mime.endswith("text/plain"):
                    text = "".join(value) if isinstance(value, list) else value
                    assert not long_float.search(text), f"cell {i} glues {text!r}: round it"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_only_timing_cells_skip_output_comparison(path):
    for i, cell in enumerate(_cells(path)):
        if "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []):
            assert "time" in _source(cell).lower(), f"cell {i} skips nbval but measures no time"
