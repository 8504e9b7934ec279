"""Notebook copies for readers: the staff and student editions' downloads, and JupyterLab reading.

A chapter's source notebook quotes numbers through MyST-NB ``{glue:text}`` roles and marks its
solutions with sphinx-exercise directives. JupyterLab (with jupyterlab-myst) renders the
directives but not ``{glue}`` roles, and it renders each cell on its own, so a gated solution
(``solution-start`` in one cell, code cells, ``solution-end`` in a later one) cannot become a
dropdown there. :func:`reading_copy` therefore writes each glued value into the prose and turns a
gated solution into one ``{solution}`` dropdown whose code cells follow collapsed; with
``solutions=False`` it removes every solution, its code cells and their outputs (the student
copy).

Pure functions on notebook dicts (nbformat 4), no Sphinx: the book's ``editions`` extension calls
them at the end of a build, and the tests call them directly.
"""

from __future__ import annotations

import copy
import re
from ast import literal_eval

GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([^`]+)`")
# A one-cell solution: ":::{solution} label", option lines, body, a closing ":::" line.
OPTIONS = r"((?::[a-z-]+:[^\n]*\n)*)"  # ":class: dropdown" and the like, one a line
CLOSE = r":::[ \t]*(?:\n|$)"
SOLUTION = re.compile(r":::\{solution\} (\S+)\n" + OPTIONS + r"(.*?)\n" + CLOSE, re.S)
# The opening of a gated solution: ":::{solution-start} label", option lines, ":::".
SOLUTION_START = re.compile(r":::\{solution-start\} (\S+)\n" + OPTIONS + CLOSE)
SOLUTION_END = re.compile(r":::\{solution-end\}\n" + CLOSE)
COLLAPSED = {"source_hidden": True, "outputs_hidden": True}


class EditionError(ValueError):
    """A notebook whose solutions or glue roles cannot be turned into a reading copy."""


def format_glued(text_plain: str, fmt_spec: str) -> str:
    """Format a glued ``text/plain`` value as MyST-NB's ``{glue:text}`` role does."""
    try:
        value = literal_eval(text_plain)
    except (SyntaxError, ValueError):
        value = text_plain
    if fmt_spec == "":
        return str(value)
    kind = fmt_spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, fmt_spec)


def glue_values(notebook: dict) -> dict[str, str]:
    """The ``text/plain`` of every value the notebook's outputs glue (``glue(name, value)``)."""
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if not scrap:
                continue
            prefix = scrap.get("mime_prefix", "")
            text = output.get("data", {}).get(prefix + "text/plain")
            if text is not None:
                values[scrap["name"]] = "".join(text) if isinstance(text, list) else text
    return values


def substitute_glue(markdown: str, values: dict[str, str], where: str = "") -> str:
    """Replace every ``{glue:text}`key:fmt``` (and ``{glue}`key```) by the formatted value."""

    def paste(match: re.Match) -> str:
        key, _, fmt = match.group(1).partition(":")
        if key not in values:
            raise EditionError(f"substitute_glue: {where}: no glued value named {key!r}")
        return format_glued(values[key], fmt)

    return GLUE_ROLE.sub(paste, markdown)


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _dropdown(label: str, options: str, body: str) -> str:
    return f":::{{solution}} {label}\n{options}{body.strip()}\n:::\n"


def reading_copy(
    notebook: dict, *, solutions: bool, glue: dict[str, str] | None = None, where: str = ""
) -> dict:
    """A copy of ``notebook`` that reads well in JupyterLab.

    ``glue``: the glued values (default: read from the notebook's own outputs).
    ``solutions=True`` (staff): every solution is a ``{solution}`` dropdown, the code cells of a
    gated solution follow it collapsed. ``solutions=False`` (student): no solution text, code or
    output is left.
    """
    values = glue_values(notebook) if glue is None else glue
    result = copy.deepcopy(notebook)
    cells_out = []
    inside = None  # label of the gated solution being read
    for index, original in enumerate(notebook["cells"]):
        cell = copy.deepcopy(original)
        here = f"{where} cell {index}"
        if inside is not None and cell["cell_type"] == "code":
            if solutions:
                cell.setdefault("metadata", {})["jupyter"] = dict(COLLAPSED)
                cells_out.append(cell)
            continue
        if cell["cell_type"] != "markdown":
            cells_out.append(cell)
            continue
        text = _source(cell)
        if inside is not None:
            end = SOLUTION_END.search(text)
            if end is None:
                raise EditionError(
                    f"reading_copy: {here}: a markdown cell inside solution {inside!r} "
                    "(gated solutions may hold only code cells after their opening cell)"
                )
            if end.start() and text[: end.start()].strip():
                raise EditionError(f"reading_copy: {here}: text before solution-end of {inside!r}")
            text = text[end.end() :]
            inside = None
        if SOLUTION_END.search(text):
            raise EditionError(f"reading_copy: {here}: solution-end without solution-start")
        text = SOLUTION.sub(
            (lambda m: _dropdown(m.group(1), m.group(2), m.group(3))) if solutions else "", text
        )
        start = SOLUTION_START.search(text)
        if start is not None:
            inside = start.group(1)
            body = text[start.end() :]
            if ":::{" in body:
                raise EditionError(
                    f"reading_copy: {here}: solution-start of {inside!r} must end its cell "
                    "(its text, then code cells, then solution-end)"
                )
            text = text[: start.start()]
            if solutions:
                text += _dropdown(
                    inside,
                    start.group(2),
                    body + "\n\nIts code is in the "
                    "collapsed cell(s) below: click the bar to open them.",
                )
        text = substitute_glue(text, values, here).strip("\n")
        if text.strip():
            cell["source"] = text
            cells_out.append(cell)
    if inside is not None:
        raise EditionError(f"reading_copy: {where}: solution {inside!r} has no solution-end")
    result["cells"] = cells_out
    return result


def solution_labels(notebook: dict) -> list[str]:
    """Labels of every solution (one-cell and gated) in the notebook, in order."""
    labels = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            text = _source(cell)
            found = [(m.start(), m.group(1)) for m in SOLUTION.finditer(text)]
            found += [(m.start(), m.group(1)) for m in SOLUTION_START.finditer(text)]
            labels += [label for _, label in sorted(found)]
    return labels
