"""Staff and student editions: every solution's content is in the staff pages and nowhere in the
student edition (pages, search index, downloads); the downloads are reading copies."""

from __future__ import annotations

import sys

import nbformat
import pytest
from edition_content import (
    ROOT,
    book,
    distinctive,
    normalize,
    notebook_text,
    page_text,
    search_terms,
    solution_only_stems,
)
from editions_build import staff_html, student_html
from sphinx.search.en import SearchEnglish

sys.path.insert(0, str(ROOT / "_ext"))
from edition_notebooks import EditionError, reading_copy  # noqa: E402

CHAPTERS = book()
INTRO = (ROOT / "intro.md").read_text(encoding="utf-8")
EVERYTHING_OUTSIDE = INTRO + "\n".join(c.outside_text for c in CHAPTERS)
IDS = [c.doc.split("/")[1] for c in CHAPTERS]


@pytest.fixture(scope="module")
def student():
    return student_html()


@pytest.fixture(scope="module")
def staff():
    return staff_html()


def test_every_exercise_chapter_has_solutions_with_distinctive_content():
    labels = [s.label for c in CHAPTERS for s in c.solutions]
    assert len(labels) >= 45 and len(set(labels)) == len(labels)
    for chapter in CHAPTERS:
        for label, pieces in distinctive(chapter, EVERYTHING_OUTSIDE).items():
            assert pieces, f"{chapter.doc}: solution {label} has nothing distinctive to look for"


WITH_EXERCISES = [c for c in CHAPTERS if c.solutions]


@pytest.mark.parametrize("chapter", WITH_EXERCISES, ids=[c.doc[9:] for c in WITH_EXERCISES])
def test_solutions_absent_from_student_present_in_staff(chapter, student, staff):
    pieces = distinctive(chapter, EVERYTHING_OUTSIDE)
    staff_page = page_text(staff / f"{chapter.doc}.html")
    student_page = page_text(student / f"{chapter.doc}.html")
    student_download = notebook_text(student / "_sources" / f"{chapter.doc}.ipynb")
    staff_download = notebook_text(staff / "_sources" / f"{chapter.doc}.ipynb")
    for label, found in pieces.items():
        for piece in found:
            assert piece in staff_page, f"staff {chapter.doc} lacks {label}: {piece!r}"
            assert piece in staff_download, f"staff download lacks {label}: {piece!r}"
            assert piece not in student_page, f"student {chapter.doc} shows {label}: {piece!r}"
            assert piece not in student_download, f"student download has {label}: {piece!r}"


def test_student_search_index_has_no_solution_words(student, staff):
    stems = solution_only_stems(CHAPTERS, INTRO, SearchEnglish({}).stem)
    assert len(stems) >= 20, sorted(stems)
    staff_terms, student_terms = search_terms(staff), search_terms(student)
    assert stems <= staff_terms, sorted(stems - staff_terms)
    assert not stems & student_terms, sorted(stems & student_terms)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_downloads_are_reading_copies(chapter, student, staff):
    for edition in (student, staff):
        # the page's download button hands out exactly this file
        page = (edition / f"{chapter.doc}.html").read_text(encoding="utf-8")
        assert f'href="../_sources/{chapter.doc}.ipynb"' in page
        text = notebook_text(edition / "_sources" / f"{chapter.doc}.ipynb")
        assert "{glue" not in text and "solution-start" not in text and "solution-end" not in text
    student_text = notebook_text(student / "_sources" / f"{chapter.doc}.ipynb")
    assert ":::{solution}" not in student_text
    staff_nb = nbformat.read(staff / "_sources" / f"{chapter.doc}.ipynb", as_version=4)
    staff_text = normalize("\n".join(c.source for c in staff_nb.cells))
    assert staff_text.count(":::{solution}") == len(chapter.solutions)


def test_student_pages_still_have_exercises_and_self_checks(student):
    page = page_text(student / "chapters/02-graph-to-formula.html")
    assert "Exercise" in page and "Self-check" in page
    assert "Solution to" not in page


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def test_reading_copy_writes_glue_and_gates_solutions():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    glued = code("glue('w', 0.123456, display=False)")
    glued.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"application/papermill.record/text/plain": "0.123456"},
            metadata={"scrapbook": {"name": "w", "mime_prefix": "application/papermill.record/"}},
        )
    ]
    answer = code("print(42)")
    answer.outputs = [nbformat.v4.new_output("stream", text="42\n")]
    nb = _nb(
        md("w is {glue:text}`w:.3f`.\n\n:::{exercise}\n:label: e\nQ?\n:::\n\n"
           ":::{solution-start} e\n:class: dropdown\n:::\n\nBecause."),
        answer,
        md(":::{solution-end}\n:::\n\n## Next"),
        glued,
    )  # fmt: skip
    staff = reading_copy(nb, solutions=True)
    assert staff.cells[0].source.startswith("w is 0.123.")
    assert ":::{solution} e\n:class: dropdown\nBecause." in staff.cells[0].source
    assert staff.cells[1].metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert staff.cells[2].source == "## Next"
    student = reading_copy(nb, solutions=False)
    assert [c.cell_type for c in student.cells] == ["markdown", "markdown", "code"]
    assert "Because" not in student.cells[0].source and "42" not in str(student.cells)


def test_reading_copy_refuses_broken_solutions_and_unknown_glue():
    md = nbformat.v4.new_markdown_cell
    with pytest.raises(EditionError, match="no solution-end"):
        reading_copy(_nb(md(":::{solution-start} e\n:::\n\ntext")), solutions=False)
    with pytest.raises(EditionError, match="without solution-start"):
        reading_copy(_nb(md(":::{solution-end}\n:::")), solutions=True)
    with pytest.raises(EditionError, match="no glued value named 'x'"):
        reading_copy(_nb(md("{glue:text}`x:.2f`")), solutions=True)
