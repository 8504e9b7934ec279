"""The print edition: ``scripts/build-edition print`` makes a PDF of each edition.

Read back with poppler (``pdftotext``, ``pdfinfo``, ``pdfimages``): every chapter title in
order, a contents page whose page numbers are where the chapters start, page numbers on every
page, maths typeset (no TeX source left outside code), every figure, and no solution content in
the student PDF.
"""

from __future__ import annotations

import re
import subprocess

import nbformat
import pytest
from browser import chromium_path, require_tool
from edition_content import CHAPTERS as CHAPTER_FILES
from edition_content import ROOT, book, distinctive, normalize
from editions_build import pdfs

# The print edition leaves out the interactive Practice page (scripts/build_edition.py).
CHAPTERS = [c for c in book() if c.doc != "chapters/practice"]
CHAPTER_FILES = [p for p in CHAPTER_FILES if p.stem != "practice"]
EVERYTHING_OUTSIDE = "\n".join(c.outside_text for c in CHAPTERS)
BOOK_TITLE = (ROOT / "intro.md").read_text(encoding="utf-8").split("\n", 1)[0][2:].strip()
TEX = re.compile(r"\\(frac|mathrm|partial|sigma|tanh|sum|mathbb|hat|bar|dot|begin|left)\b")


@pytest.fixture(scope="module")
def printed():
    chromium_path()  # the print edition is Chromium printing the HTML
    for tool in ("pdftotext", "pdfinfo", "pdfimages"):
        require_tool(tool, "`sudo apt-get install poppler-utils`")
    files = pdfs()
    pages = {}
    for edition, pdf in files.items():
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        pages[edition] = text.split("\f")
    return files, pages


def _code_text() -> str:
    """Every code cell's source and text output: where TeX and $ may legitimately appear."""
    parts = []
    for path in CHAPTER_FILES:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                parts.append(cell.source)
                for output in cell.get("outputs", []):
                    data = output.get("data", {})
                    parts.append(output.get("text", "") or data.get("text/plain", ""))
    return normalize("\n".join(parts))


def _page_count(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


@pytest.mark.parametrize("edition", ["staff", "student"])
def test_contents_titles_in_order_and_page_numbers(printed, edition):
    files, pages = printed
    n = _page_count(files[edition])
    assert len(CHAPTERS) * 4 <= n <= 900, n
    contents = normalize(pages[edition][0])
    assert contents.startswith(BOOK_TITLE) and "Contents" in contents
    titles = [c.title for c in CHAPTERS]
    # the contents page: each chapter title with the page it starts on, in order
    listed = []
    at = 0
    for title in titles:
        match = re.compile(re.escape(title) + r" (\d+)").search(contents, at)
        assert match, f"{title!r} not listed on the contents page"
        listed.append(int(match.group(1)))
        at = match.end()
    assert listed == sorted(listed) and len(set(listed)) == len(listed)
    for title, number in zip(titles, listed, strict=True):
        first_line = normalize(pages[edition][number - 1]).split(" ")
        assert " ".join(first_line[:3]) == " ".join(title.split()[:3]), (title, number)
    # every page carries its number in the footer, "k / n"
    for k, page in enumerate(pages[edition][:n], start=1):
        assert f"{k} / {n}" in page, f"page {k} has no page number"


@pytest.mark.parametrize("edition", ["staff", "student"])
def test_maths_is_typeset(printed, edition):
    code = _code_text()
    _, pages = printed
    leftovers = []
    for line in "\n".join(pages[edition]).splitlines():
        if ("$" in line or TEX.search(line)) and normalize(line) not in code:
            leftovers.append(line)
    assert not leftovers, leftovers[:10]


def test_every_figure_is_printed(printed):
    files, _ = printed
    figures = set()
    for path in CHAPTER_FILES:
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                if "image/png" in output.get("data", {}):
                    figures.add(output["data"]["image/png"][:200])
    listing = subprocess.run(["pdfimages", "-list", str(files["staff"])], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]  # fmt: skip
    images = [line for line in listing if line.split()[2] == "image"]
    assert len(images) >= len(figures) >= 30, (len(images), len(figures))


def test_student_pdf_has_no_solutions_and_staff_pdf_has_them(printed):
    _, pages = printed
    # a line broken after a word's own hyphen ("least-" / "squares") reads as one word again
    student, staff = (
        normalize(re.sub(r"-\n(?=[a-z])", "-", "\n".join(pages[e]))) for e in ("student", "staff")
    )
    assert "Solution to" in staff and "Solution to" not in student
    checked = 0
    for chapter in CHAPTERS:
        for label, pieces in distinctive(chapter, EVERYTHING_OUTSIDE).items():
            for piece in pieces:
                assert piece not in student, f"student PDF shows {label}: {piece!r}"
                if re.fullmatch(r"[A-Za-z ,-]+", piece):  # prose: also in the staff PDF
                    assert piece in staff, f"staff PDF lacks {label}: {piece!r}"
                    checked += 1
    assert checked >= 40
