"""Staff and student editions of the book from one switch: sphinx-exercise's ``hide_solutions``.

sphinx-exercise 1.2 drops the *text* of every solution under ``hide_solutions: true``, but not
what sits between a gated ``solution-start`` and ``solution-end``: the solution's code cells and
their printed answers stay in the pages. This extension finishes the job:

- under ``hide_solutions``, ``solution-start`` leaves a marker and a transform removes everything
  from it to the matching ``solution-end`` (code cells, outputs, figures), before the pages and
  the search index are written;
- at the end of an HTML build, each chapter's download (``_sources/<doc>.ipynb``, what the
  download button links to) is replaced by its reading copy (``edition_notebooks``): glued
  numbers written into the prose and, in the student edition, no solutions at all.

The student edition is built by ``scripts/build-edition student`` (``hide_solutions`` set as a
configuration override, so ``_config.yml`` is not edited).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from docutils import nodes
from edition_notebooks import reading_copy
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx_exercise.directive import SolutionStartDirective
from sphinx_exercise.nodes import solution_end_node

LOGGER = logging.getLogger(__name__)


class hidden_solution_start(nodes.Element):
    """Where a gated solution began in a build that hides solutions (removed before writing)."""


class HideableSolutionStart(SolutionStartDirective):
    """``solution-start`` that, under ``hide_solutions``, marks where its content begins."""

    def run(self):
        produced = super().run()  # keeps sphinx-exercise's bookkeeping of gated directives
        if self.env.app.config.hide_solutions:
            return [hidden_solution_start(label=self.arguments[0])]
        return produced


class RemoveHiddenSolutions(SphinxTransform):
    """Delete every node from a hidden ``solution-start`` up to its ``solution-end``."""

    default_priority = 5  # after sphinx-exercise checks the gated structure, before it merges

    def apply(self):
        for marker in list(self.document.findall(hidden_solution_start)):
            parent = marker.parent
            start = parent.index(marker)
            for end in range(start, len(parent.children)):
                if isinstance(parent.children[end], solution_end_node):
                    break
            else:
                raise ValueError(
                    f"editions: solution {marker['label']!r} in {self.env.docname} has no "
                    "solution-end at the same level (a heading between them?)"
                )
            del parent.children[start : end + 1]


def _executed(app, docname: str) -> tuple[dict, dict[str, str] | None]:
    """This build's executed notebook and glued values (MyST-NB's jupyter_execute folder)."""
    folder = Path(app.env.mystnb_config.output_folder)
    executed = folder / f"{docname}.ipynb"
    if not executed.is_file():  # not executed by this build: the stored outputs are current
        return nbformat.read(app.env.doc2path(docname), as_version=4), None
    notebook = nbformat.read(executed, as_version=4)
    glue_file = folder / f"{docname}.glue.json"
    glue = {}
    if glue_file.is_file():
        for key, output in json.loads(glue_file.read_text()).items():
            text = output.get("data", {}).get("text/plain")
            if text is not None:
                glue[key] = "".join(text) if isinstance(text, list) else text
    return notebook, glue


def write_reading_copies(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    sources = Path(app.outdir) / "_sources"
    solutions = not app.config.hide_solutions
    for docname in sorted(app.env.found_docs):
        if not str(app.env.doc2path(docname)).endswith(".ipynb"):
            continue
        notebook, glue = _executed(app, docname)
        copy = reading_copy(notebook, solutions=solutions, glue=glue, where=docname)
        target = sources / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbformat.from_dict(copy), target)
    LOGGER.info(
        "editions: %s edition, downloads are reading copies in %s",
        "staff" if solutions else "student",
        sources,
    )


def _singlehtml_like_html(app) -> None:
    """Give the single-page builder (the print edition's source) every HTML node visitor.

    Sphinx looks a builder's visitors up by its name and falls back to its format ("html") only
    when no extension registered any for that name; one does for "singlehtml", so sphinx-proof's
    theorem nodes (registered for "html" only) would be unknown there.
    """
    handlers = app.registry.translation_handlers
    if app.builder.name == "singlehtml" and "singlehtml" in handlers:
        for node, visitors in handlers.get("html", {}).items():
            handlers["singlehtml"].setdefault(node, visitors)


def _ignore(self, node):
    raise nodes.SkipNode


def setup(app):
    app.setup_extension("sphinx_exercise")
    app.add_node(
        hidden_solution_start, html=(_ignore, None), latex=(_ignore, None), text=(_ignore, None)
    )
    app.add_directive("solution-start", HideableSolutionStart, override=True)
    app.add_transform(RemoveHiddenSolutions)
    app.connect("builder-inited", _singlehtml_like_html)
    app.connect("build-finished", write_reading_copies)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
