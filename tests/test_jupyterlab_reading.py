"""Reading the editions' notebooks in JupyterLab (with jupyterlab-myst, as requirements.txt
installs it): MyST is rendered, no raw directive or glue role shows, no solution is open.

A JupyterLab server runs on 127.0.0.1 with a token, driven by Playwright with Debian's Chromium
(the session's ``chromium`` fixture: it skips with an install hint where Chromium is missing).
The notebooks are the editions' downloads (the reading copies ``_ext/editions.py`` writes), the
ones a reader opens.
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from edition_content import book, distinctive, normalize
from editions_build import staff_html, student_html

CHAPTERS = book()
EVERYTHING_OUTSIDE = "\n".join(c.outside_text for c in CHAPTERS)
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium):
    root = tmp_path_factory.mktemp("lab")
    for name, html in (("staff", staff_html()), ("student", student_html())):
        shutil.copytree(html / "_sources" / "chapters", root / "notebooks" / name)
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Every cell in the page, not only those scrolled into view, so the whole text is checked.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port, token = _free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root / 'notebooks'}",
         f"--LabApp.user_settings_dir={root / 'settings'}",
         f"--LabApp.workspaces_dir={root / 'workspaces'}", "--LabApp.expose_app_in_browser=True"],
        stdout=subprocess.DEVNULL, stderr=(root / "server.log").open("w"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail((root / "server.log").read_text()[-2000:])
                time.sleep(0.2)
        context = chromium.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(f"{base}/lab?token={token}&reset")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands")
        page.evaluate("async () => { await window.jupyterapp.restored; return true; }")
        yield Lab(page, base, token)
        context.close()
    finally:
        server.terminate()
        server.wait(20)


class Lab:
    def __init__(self, page, base, token):
        self.page, self.base, self.token = page, base, token

    def open(self, path: str) -> dict:
        """Open a notebook, wait until every markdown cell is rendered, read what shows."""
        page = self.page
        page.evaluate(
            "async p => { const c = window.jupyterapp.commands;"
            " await c.execute('application:close-all');"
            " await c.execute('docmanager:open', {path: p}); return true; }",
            path,
        )
        page.wait_for_function(
            f"""() => {{ const panel = document.querySelector('{PANEL}');
            if (!panel || !panel.querySelector('.jp-Notebook')) return false;
            const md = panel.querySelectorAll('.jp-MarkdownCell').length;
            return md > 0 && panel.querySelectorAll('.jp-MarkdownCell .myst').length === md; }}""",
            timeout=60000,
        )
        seen = page.evaluate(
            f"""() => {{ const panel = document.querySelector('{PANEL}');
            return {{ text: panel.querySelector('.jp-Notebook').innerText,
              open: panel.querySelectorAll('details[open]').length,
              solutions: Array.from(panel.querySelectorAll('details'))
                .filter(d => d.innerText.trim().startsWith('Solution')).length,
              admonitions: panel.querySelectorAll('.myst-admonition').length }}; }}"""
        )
        self._stop_kernels()
        return seen

    def _stop_kernels(self):
        with urllib.request.urlopen(f"{self.base}/api/sessions?token={self.token}") as r:
            sessions = json.load(r)
        for session in sessions:
            request = urllib.request.Request(
                f"{self.base}/api/sessions/{session['id']}?token={self.token}", method="DELETE"
            )
            urllib.request.urlopen(request).close()


@pytest.mark.parametrize("edition", ["staff", "student"])
def test_chapters_read_as_a_book_in_jupyterlab(lab, edition):
    assert sum(c.outside_text.count(":::{admonition}") for c in CHAPTERS) >= 15
    problems = []
    for chapter in CHAPTERS:
        name = chapter.doc.split("/")[1]
        seen = lab.open(f"{edition}/{name}.ipynb")
        text = seen["text"]
        for raw in (":::{", "{glue", "solution-start", "solution-end"):
            if raw in text:
                problems.append(f"{edition}/{name}: raw {raw!r} shows")
        boxes = chapter.outside_text.count(":::{admonition}")
        if seen["admonitions"] < boxes:
            problems.append(f"{edition}/{name}: {seen['admonitions']} admonitions rendered of "
                            f"{boxes} (is jupyterlab-myst on?)")  # fmt: skip
        if seen["open"]:
            problems.append(f"{edition}/{name}: {seen['open']} open dropdown(s)")
        expected = len(chapter.solutions) if edition == "staff" else 0
        if seen["solutions"] != expected:
            problems.append(f"{edition}/{name}: {seen['solutions']} solutions, want {expected}")
        visible = normalize(text)
        for label, pieces in distinctive(chapter, EVERYTHING_OUTSIDE).items():
            shown = [p for p in pieces if p in visible]
            if shown:
                problems.append(f"{edition}/{name}: solution {label} visible: {shown[0]!r}")
    assert not problems, "\n".join(problems)
