"""The built book in Chromium: every page of the table of contents opens and shows its title."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_page_opens_with_its_title(laptop_page, book_url, chapter):
    notebook_title = next(
        line[2:].strip()
        for line in (ROOT / "chapters" / f"{chapter}.ipynb").read_text().split('"')
        if line.startswith("# ")
    )
    notebook_title = re.sub(r"\\n$", "", notebook_title)
    laptop_page.goto(f"{book_url}/chapters/{chapter}.html")
    heading = laptop_page.locator("article h1").first.inner_text()
    assert heading.replace("#", "").strip() == notebook_title
