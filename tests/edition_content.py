"""What each chapter's solutions say and print, read straight from the source notebooks.

The editions' tests look for this content in the built pages, search index, downloads and PDFs.
The parser here is deliberately independent of ``_ext/edition_notebooks.py`` (the code under
test): it only knows sphinx-exercise's syntax, a one-cell ``{solution}`` block and a gated
``solution-start`` ... ``solution-end`` run of cells.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))

ONE_CELL = re.compile(r":::\{solution\} (\S+)\n((?::[a-z-]+:[^\n]*\n)*)(.*?)\n:::", re.S)
GATED_START = re.compile(r":::\{solution-start\} (\S+)\n(?::[a-z-]+:[^\n]*\n)*:::\n(.*)", re.S)
GATED_END = ":::{solution-end}\n:::"
WORD = re.compile(r"[A-Za-z][a-z]{3,}")
ANY_WORD = re.compile(r"[A-Za-z]+")


@dataclass
class Solution:
    chapter: str  # e.g. "chapters/06-width-and-depth"
    label: str
    text: str = ""
    printed: list[str] = field(default_factory=list)  # text its code cells print


@dataclass
class Chapter:
    doc: str
    title: str
    solutions: list[Solution]
    outside_text: str  # every markdown and printed text that is not part of a solution


def normalize(text: str) -> str:
    return " ".join(text.split())


def _printed(cell) -> list[str]:
    texts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            texts.append(output.get("text", ""))
        elif "scrapbook" in output.get("metadata", {}):
            continue  # a glued value, shown only where the prose quotes it
        elif set(output.get("data", {})) == {"text/plain"}:  # else a figure or table is shown
            texts.append(output["data"]["text/plain"])
    return texts


def read_chapter(path: Path) -> Chapter:
    nb = nbformat.read(path, as_version=4)
    doc = f"chapters/{path.stem}"
    solutions, outside = [], []
    title = ""
    current = None  # the gated solution being read
    for cell in nb.cells:
        if current is not None and cell.cell_type == "code":
            current.printed += _printed(cell)
            continue
        if cell.cell_type == "code":
            outside += [cell.source, *_printed(cell)]
            continue
        text = cell.source
        if not title and text.startswith("# "):
            title = text.split("\n", 1)[0][2:].strip()
        if current is not None:
            assert GATED_END in text, f"{doc}: markdown inside gated solution {current.label}"
            text = text.split(GATED_END, 1)[1]
            current = None
        for match in ONE_CELL.finditer(text):
            solutions.append(Solution(doc, match.group(1), match.group(3)))
        text = ONE_CELL.sub("", text)
        start = GATED_START.search(text)
        if start:
            current = Solution(doc, start.group(1), start.group(2))
            solutions.append(current)
            text = text[: start.start()]
        outside.append(text)
    return Chapter(doc, title, solutions, "\n".join(outside))


def book() -> list[Chapter]:
    return [read_chapter(path) for path in CHAPTERS]


def _prose_runs(text: str, size: int = 6) -> list[str]:
    """Runs of ``size`` plain words from a solution's prose (no maths, code or roles)."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|\{[^}]*\}|\*\*|\*|_", " | ", text, flags=re.S)
    runs = []
    for piece in re.split(r"[|.;:()\[\]\n\"'!?]", text):
        words = piece.split()
        if len(words) >= size and all(re.fullmatch(r"[A-Za-z][A-Za-z,-]*", w) for w in words):
            runs.append(" ".join(words[:size]))
    return runs


def distinctive(chapter: Chapter, everything_else: str) -> dict[str, list[str]]:
    """For each solution label: prose runs and printed lines found nowhere outside solutions."""
    outside = normalize(everything_else)
    found = {}
    for solution in chapter.solutions:
        pieces = [run for run in _prose_runs(solution.text) if run not in outside]
        # formulas too: the pages keep MathJax's TeX source, the downloads the markdown
        inline = re.sub(r"\$\$.*?\$\$", " ", solution.text, flags=re.S).split("$")[1::2]
        for formula in map(normalize, inline):
            if len(formula) >= 10 and formula not in outside and "{glue" not in formula:
                pieces.append(formula)
        for printed in solution.printed:
            for line in printed.splitlines():
                line = normalize(line)
                if len(line) >= 12 and line not in outside:
                    pieces.append(line)
        if not pieces:  # a solution that is mostly formulas and numbers: shorter prose runs
            pieces = [run for run in _prose_runs(solution.text, 4) if run not in outside]
        found[solution.label] = pieces
    return found


def solution_only_stems(chapters: list[Chapter], intro: str, stem) -> set[str]:
    """Stems of the words (4+ letters) that only the solutions use, anywhere in the book."""
    outside = {stem(w.lower()) for w in ANY_WORD.findall(intro)}
    inside = set()
    for chapter in chapters:
        outside |= {stem(w.lower()) for w in ANY_WORD.findall(chapter.outside_text)}
        for solution in chapter.solutions:
            prose = re.sub(
                r"\$\$.*?\$\$|\$[^$]*\$|\{glue[^`]*`[^`]*`", " ", solution.text, flags=re.S
            )
            inside |= {stem(w.lower()) for w in WORD.findall(prose)}
    return inside - outside


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    """The visible text of an HTML page, whitespace normalized."""
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return normalize(html.unescape(" ".join(parser.parts)))


def notebook_text(path: Path) -> str:
    """Every source and text output of a notebook, whitespace normalized."""
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        parts += _printed(cell)
    return normalize("\n".join(parts))


def search_terms(html_dir: Path) -> set[str]:
    """The stemmed words of Sphinx's search index."""
    raw = (html_dir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    return set(index["terms"]) | set(index.get("titleterms", {}))
