"""Print an edition of the book to PDF with Chromium: the single-page HTML build, one PDF.

Why Chromium and not the LaTeX builder: the PDF then shows exactly what the HTML book shows
(MathJax maths, the explorers' first states, the same figures and tables), with nothing more
to install than the browser the browser tests already use; the LaTeX road needs about 90 TeX
packages, and sphinx-exercise, sphinx-proof and the explorers' HTML outputs each need their own
LaTeX support.

Two passes: the first print finds the page on which each chapter starts (``pdftotext``); the
second adds a table of contents with those page numbers in front (it fills one page, so every
number moves by one) and checks that each chapter really starts on the page it lists. Page
numbers are Chromium's footer (``displayHeaderFooter``).
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import CHROMIUM_ARGS, serve  # noqa: E402

# What the printed page keeps: the article. Controls of explorers and self-checks go (each
# explorer prints its first state); every solution dropdown is printed open.
PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .header-article, .bd-header-article,
.prev-next-area, .bd-footer, .bd-footer-content, footer, .footer-article, .search-button,
#pst-back-to-top, .skip-link, .headerlink, .toggle-button, details summary,
.nnlab-controls, .nnlab-control, .nnlab-live-note, .nnlab-feedback,
.jupyter-widgets, .widget-box, .widget-slider, input, select, button, textarea
  { display: none !important; }
.bd-main, .bd-content, .bd-article-container, .bd-page-width, article.bd-article
  { max-width: none !important; width: 100% !important; padding: 0 !important;
    margin: 0 !important; }
.toggle-hidden, .admonition.toggle-hidden .admonition-title ~ *
  { display: block !important; visibility: visible !important; opacity: 1 !important;
    height: auto !important; }
details { display: block !important; }
span[id^="document-"] + section { break-before: page; }
.nnlab-toc { break-after: page; }
.nnlab-toc h1 { break-before: avoid; }
.nnlab-toc li { display: flex; justify-content: space-between; margin: 0.35em 0; }
img { max-width: 100% !important; break-inside: avoid; }
pre { white-space: pre-wrap !important; word-break: break-all; }
"""
FOOTER = (
    '<div style="font-size:9px; width:100%; text-align:center; color:#444">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def _pages_text(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True)  # fmt: skip
    return done.stdout.split("\f")


def chapter_titles(page) -> list[str]:
    """Titles of the book's documents, in order: every top-level heading of the single page."""
    return page.eval_on_selector_all(
        # the root document's title, then each included document's (one level down)
        "article section > h1, span[id^='document-'] + section > h2",
        "hs => hs.map(h => h.textContent.replace(/[#¶]/g, '').trim())",
    )


def _starts_with_title(page_text: str, title: str) -> bool:
    """Whether a page's first line is the start of ``title`` (a chapter starts a new page)."""
    lines = [line.split() for line in page_text.split("\n") if line.strip()]
    if not lines:
        return False
    words = title.split()
    first = lines[0]
    return len(first) >= min(3, len(words)) and words[: len(first)] == first


def start_pages(pdf: Path, titles: list[str], first_page: int = 1) -> list[int]:
    """Page (1-based) on which each chapter starts, in order, searching from ``first_page``."""
    pages = _pages_text(pdf)
    found, at = [], first_page - 1
    for title in titles:
        for number in range(at, len(pages)):
            if _starts_with_title(pages[number], title):
                found.append(number + 1)
                at = number + 1
                break
        else:
            raise RuntimeError(f"print_book: chapter {title!r} not found after page {at}")
    return found


def _print(page, pdf: Path) -> None:
    page.pdf(path=str(pdf), format="A4", print_background=True, display_header_footer=True,
             header_template="<span></span>", footer_template=FOOTER,
             margin={"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"})  # fmt: skip


def _insert_toc(page, book_title: str, titles: list[str], numbers: list[int]) -> None:
    rows = "".join(
        f"<li><span>{html.escape(t)}</span><span>{n}</span></li>"
        for t, n in zip(titles, numbers, strict=True)
    )
    toc = f'<h1>{html.escape(book_title)}</h1><h2>Contents</h2><ol style="padding:0">{rows}</ol>'
    page.evaluate(
        """html => { const d = document.createElement('div'); d.className = 'nnlab-toc';
        d.innerHTML = html; const a = document.querySelector('article') || document.body;
        a.insertBefore(d, a.firstChild); }""",
        toc,
    )


def print_edition(single_page: Path, pdf: Path, book_title: str | None = None) -> Path:
    """Print the single-page build ``single_page`` (an HTML file) to ``pdf``."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or shutil.which("pdftotext") is None:
        raise SystemExit("print_book: needs Chromium and pdftotext (apt-get install chromium "
                         "poppler-utils)")  # fmt: skip
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with serve(single_page.parent) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"{base}/{single_page.name}", wait_until="load")
        page.emulate_media(media="print")
        page.add_style_tag(content=PRINT_CSS)
        # Every maths element typeset before printing (MathJax 3 ships with the book).
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("MathJax.startup.promise.then(() => MathJax.typesetPromise())")
        page.wait_for_load_state("networkidle")
        titles = chapter_titles(page)
        title = book_title or page.title().split(" — ")[0]
        # The root document (its title is the book's, printed on the contents page) starts
        # the book; every other document starts a page with its title.
        with tempfile.TemporaryDirectory() as tmp:
            first = Path(tmp) / "first.pdf"
            _print(page, first)
            chapters = start_pages(first, titles[1:], first_page=2)
        numbers = [2] + [n + 1 for n in chapters]  # the contents page comes first
        _insert_toc(page, title, titles, numbers)
        _print(page, pdf)
        browser.close()
    actual = [2] + start_pages(pdf, titles[1:], first_page=3)
    if actual != numbers:
        raise RuntimeError(f"print_book: contents say pages {numbers}, chapters start on {actual}")
    print(f"printed {pdf} ({len(_pages_text(pdf)) - 1} pages, {len(titles)} documents)")
    return pdf


# ----------------------------------------------------------------------------- practice sheets

SHEET_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.4; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; break-after: avoid; margin-top: 1.4em; }
h2 ~ h2 { break-before: auto; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { border: 1px solid #999; padding: 0.15em 0.5em; }
img { max-width: 100%; max-height: 110mm; break-inside: avoid; display: block; }
pre { white-space: pre-wrap; font-size: 8.5pt; background: #f4f4f4; padding: 0.4em; }
code { font-size: 9pt; }
mjx-container[display="true"] { overflow: visible; }
"""


def _sheet_html(markdown: str, title: str) -> str:
    """A practice sheet's Markdown as a standalone page whose maths MathJax typesets."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from nnlab.widgets.practice import markdown_html

    config = ('window.MathJax = {tex: {inlineMath: [["\\\\(", "\\\\)"]], '
              'displayMath: [["\\\\[", "\\\\]"]]}, svg: {fontCache: "global"}};')  # fmt: skip
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{SHEET_CSS}</style>"
        f'<script>{config}</script><script src="mathjax.js"></script></head>'
        f"<body>{markdown_html(markdown)}</body></html>"
    )


def print_markdown(markdown_path, pdf_path) -> Path:
    """Print a practice sheet (``problems.md`` or ``solutions.md`` of ``python -m
    nnlab.practice``) to ``pdf_path`` with Chromium: the Markdown as HTML, its maths typeset by
    the MathJax the book ships (django-static-mathjax), its figures (paths relative to the
    Markdown file) embedded, page numbers in the footer. This is the hook of ``--pdf``."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
    from offline_mathjax import _bundle

    markdown_path, pdf_path = Path(markdown_path), Path(pdf_path)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("print_markdown: needs Chromium (apt-get install chromium)")
    text = markdown_path.read_text(encoding="utf-8")
    title = next((line[2:] for line in text.splitlines() if line.startswith("# ")),
                 markdown_path.stem)  # fmt: skip
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sheet.html").write_text(_sheet_html(text, title), encoding="utf-8")
        shutil.copy2(_bundle(), folder / "mathjax.js")
        figures = markdown_path.parent / "figures"
        if figures.is_dir():
            shutil.copytree(figures, folder / "figures")
        with serve(folder) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            page.goto(f"{base}/sheet.html", wait_until="load")
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
            page.evaluate("MathJax.startup.promise")
            page.wait_for_load_state("networkidle")
            _print(page, pdf_path)
            browser.close()
    return pdf_path
