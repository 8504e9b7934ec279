"""Explorers and self-checks that work in the built book, with no kernel and no network.

A notebook cell that shows an explorer stores a small recipe (``text/html`` with a
``data-nnlab-recipe`` attribute: the factory's import path, its JSON arguments and the static
grid). MyST-NB is told to prefer ``text/html`` over the widget view for HTML builds (see
``nb_mime_priority_overrides`` in ``_config.yml``), so the recipe reaches the doctree as a raw
HTML node. On ``doctree-resolved`` this extension rebuilds each explorer from its recipe, renders
every state of the grid with the explorer's own ``render`` (`nnlab.widgets.static`), and replaces
the cell's outputs with the static explorer. Rendered states are cached in
``_build/.nnlab_states`` under a key made of the recipe and the source of the nnlab package, so
a rebuild that changes neither renders nothing.

A practice cell (`nnlab.widgets.practice`) stores a bank recipe (skill, count, seed); it is
replaced the same way by the bank of problems that ``bank_html`` renders (cached alike).

Self-check forms need no build step (their data is in the notebook's ``text/html``); this
extension serves their grading script with the explorer script and the stylesheet from
``_ext/static/nnlab`` as ``_static/nnlab/...``, gives the book a favicon and sets the theme's
default colour mode (an empty one makes the pydata theme log a console error on every page).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from docutils import nodes
from source_keyed_cache import source_digest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RECIPE = re.compile(r'class="nnlab-recipe" data-nnlab-recipe="([^"]*)"')
PRACTICE = re.compile(r'class="nnlab-practice-recipe" data-nnlab-practice="([^"]*)"')


def _configure(app, config) -> None:
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]
    if not config.html_favicon:
        config.html_favicon = str(HERE / "static" / "nnlab" / "favicon.svg")
    # This pydata theme reads its colour mode from the template context; left empty it logs
    # "Got invalid theme mode" on every page.
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "light")
    config.html_context = context


def _render(spec: dict) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    from nnlab.widgets import static

    return static.explorer_states(spec)


class StateCache:
    """Rendered payloads on disk, keyed by recipe and package source."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.digest = source_digest()

    def path(self, spec: dict) -> Path:
        key = hashlib.sha256((self.digest + json.dumps(spec, sort_keys=True)).encode())
        return self.folder / f"{key.hexdigest()[:24]}.json"

    def get(self, spec: dict) -> dict | None:
        path = self.path(spec)
        return json.loads(path.read_text()) if path.is_file() else None

    def put(self, spec: dict, payload: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path(spec).write_text(json.dumps(payload))


def _recipes(doctree, pattern=RECIPE) -> list[tuple[nodes.raw, dict]]:
    found = []
    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", ""):
            continue
        match = pattern.search(raw.astext())
        if match:
            found.append((raw, json.loads(html.unescape(match.group(1)))))
    return found


def _render_bank(spec: dict) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    from nnlab.widgets import practice

    return {"html": practice.bank_html(spec["skill"], spec["count"], spec["seed"])}


def _banks(app, specs: list[dict]) -> list[str]:
    """Practice banks (`nnlab.widgets.practice.bank_html`), from the cache or rendered."""
    cache = _cache(app)
    keys = [{"practice": spec} for spec in specs]
    found = [cache.get(key) for key in keys]
    missing = [i for i, p in enumerate(found) if p is None]
    if missing:
        workers = min(len(missing), os.cpu_count() or 1)
        todo = [specs[i] for i in missing]
        if workers > 1:
            with ProcessPoolExecutor(workers) as pool:
                rendered = list(pool.map(_render_bank, todo))
        else:
            rendered = [_render_bank(spec) for spec in todo]
        for i, payload in zip(missing, rendered, strict=True):
            cache.put(keys[i], payload)
            found[i] = payload
    return [payload["html"] for payload in found]


def _cell_outputs(node):
    """The cell's output container (MyST-NB's ``cell_output``) around an output node."""
    while node is not None:
        if isinstance(node, nodes.container) and "cell_output" in node.get("classes", []):
            return node
        node = node.parent
    return None


def _cache(app) -> StateCache:
    if not hasattr(app, "_nnlab_state_cache"):
        app._nnlab_state_cache = StateCache(Path(app.doctreedir).parent / ".nnlab_states")
    return app._nnlab_state_cache


def _payloads(app, specs: list[dict]) -> list[dict]:
    """Payloads for the specs, from the cache or rendered (in parallel processes)."""
    cache = _cache(app)
    payloads = [cache.get(spec) for spec in specs]
    missing = [i for i, p in enumerate(payloads) if p is None]
    if missing:
        workers = min(len(missing), os.cpu_count() or 1)
        if workers > 1:
            with ProcessPoolExecutor(workers) as pool:
                rendered = list(pool.map(_render, [specs[i] for i in missing]))
        else:
            rendered = [_render(specs[i]) for i in missing]
        for i, payload in zip(missing, rendered, strict=True):
            cache.put(specs[i], payload)
            payloads[i] = payload
    return payloads


def _prerender(app, env) -> list:
    """Render every recipe of the book at once (before pages are written), so the states of
    all explorers share one pool of processes."""
    if app.builder.format != "html":
        return []
    specs, banks = [], []
    for docname in sorted(env.found_docs):
        try:
            doctree = env.get_doctree(docname)
        except FileNotFoundError:
            continue
        specs += [spec for _, spec in _recipes(doctree)]
        banks += [spec for _, spec in _recipes(doctree, PRACTICE)]
    if specs:
        _payloads(app, specs)
    if banks:
        _banks(app, banks)
    return []


def _replace_outputs(raw, block) -> None:
    outputs = _cell_outputs(raw)
    if outputs is None:  # not in a notebook cell: replace the recipe alone
        raw.replace_self(block)
    else:  # the static block shows every output of the cell itself
        outputs.children = []
        outputs += block


class practice_bank(nodes.Element):
    """A practice bank's HTML, written as it is. Not a ``raw`` node, so the search index leaves
    it out: 160 problems' words would drown the chapters' in search results, and the words of
    their worked solutions would reach the student edition's index."""


def _visit_bank(self, node) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def _skip_bank(self, node) -> None:
    raise nodes.SkipNode


def _replace_banks(app, doctree) -> None:
    found = _recipes(doctree, PRACTICE)
    if found:
        banks = _banks(app, [spec for _, spec in found])
        for (raw, _), bank in zip(found, banks, strict=True):
            _replace_outputs(raw, practice_bank(html=bank))


def _replace_recipes(app, doctree, docname) -> None:
    if app.builder.format != "html":
        return
    _replace_banks(app, doctree)
    found = _recipes(doctree)
    if not found:
        return
    from nnlab.widgets import static

    payloads = _payloads(app, [spec for _, spec in found])
    for (raw, spec), payload in zip(found, payloads, strict=True):
        _replace_outputs(raw, nodes.raw("", static.explorer_html(spec, payload), format="html"))


def _one_of_each_script(app, pagename, templatename, context, doctree) -> None:
    """Drop repeated inline scripts: sphinx-thebe adds its ``const THEBE_JS_URL = ...`` once
    per read phase, and a second copy is a SyntaxError ("already declared") on every page."""
    seen, kept = set(), []
    for script in context.get("script_files", []):
        key = (str(getattr(script, "filename", script) or ""),  # inline: None or ""
               tuple(sorted(getattr(script, "attributes", {}).items())))  # fmt: skip
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.add_node(practice_bank, html=(_visit_bank, None), latex=(_skip_bank, None),
                 text=(_skip_bank, None))  # fmt: skip
    app.connect("config-inited", _configure)
    app.connect("env-updated", _prerender)
    app.connect("doctree-resolved", _replace_recipes)
    app.connect("html-page-context", _one_of_each_script)
    app.add_css_file("nnlab/nnlab.css")
    app.add_css_file("nnlab/practice.css")
    app.add_js_file("nnlab/grader.js")
    app.add_js_file("nnlab/explorer.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
