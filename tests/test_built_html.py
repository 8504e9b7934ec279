"""The built book as a reader meets it: described figures, exercises and graded self-checks.

Parses the staff edition's HTML (no browser needed). Every image in a page's article is a figure
with non-empty alt text and a non-empty caption; every chapter has at least four exercises; the
chapters with a hand computation carry a graded self-check form.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_chapter_contents import CHAPTERS, SELF_CHECKED

PAGES = [p.stem for p in CHAPTERS]


def _article(html_dir: Path, stem: str):
    page = html_dir / "chapters" / f"{stem}.html"
    assert page.is_file(), f"{page} was not built"
    article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find(
        "article", class_="bd-article"
    )
    assert article is not None, f"{stem}: no article element"
    return article


def _caption_of(img) -> str:
    figure = img.find_parent("figure")
    caption = figure.find("figcaption") if figure is not None else None
    return caption.get_text(" ", strip=True) if caption is not None else ""


@pytest.mark.parametrize("stem", PAGES)
def test_every_image_has_alt_text_and_a_caption(staff_html, stem):
    images = _article(staff_html, stem).find_all("img")
    for img in images:
        where = f"{stem}: <img src={img.get('src', '')[:60]!r}>"
        assert (img.get("alt") or "").strip(), f"{where} has no alt text"
        assert len(_caption_of(img).split()) >= 3, f"{where} has no caption"


def test_the_book_has_figures(staff_html):
    """Guards the test above against a build that lost every image."""
    count = sum(len(_article(staff_html, stem).find_all("img")) for stem in PAGES)
    assert count >= 60, f"only {count} figures in the built chapters"


@pytest.mark.parametrize("stem", PAGES)
def test_at_least_four_exercises(staff_html, stem):
    exercises = _article(staff_html, stem).select("div.exercise")
    assert len(exercises) >= 4, f"{stem}: {len(exercises)} exercises in the built page"


@pytest.mark.parametrize("stem", [s for s in PAGES if s[:2] in SELF_CHECKED])
def test_graded_self_check_in_the_page(staff_html, stem):
    forms = _article(staff_html, stem).select("form.nnlab-check, form.nnlab-table-check")
    assert forms, f"{stem}: no graded self-check in the built page"
    for form in forms:
        assert form.find("input") is not None and form.find("button") is not None


@pytest.mark.parametrize("stem", PAGES)
def test_takeaways_and_answers_are_rendered(staff_html, stem):
    article = _article(staff_html, stem)
    titles = [t.get_text(strip=True) for t in article.select(".admonition-title")]
    assert "Key takeaways" in titles, f"{stem}: no rendered 'Key takeaways' box"
    answers = [
        box
        for box in article.select("div.admonition.dropdown:not(.solution)")
        if box.select_one(".admonition-title").get_text(strip=True) == "Answer"
    ]
    assert len(answers) >= 2, f"{stem}: fewer than two answer dropdowns"
    assert ":::" not in article.get_text(), f"{stem}: raw MyST fence in the page"
