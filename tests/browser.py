"""Shared pieces of the browser tests: Chromium via Playwright, the built book, a loopback server.

Debian's Chromium (``apt-get install chromium``) is driven by Playwright from PyPI;
``playwright install`` is not needed (and cannot download browsers here). Without Chromium the
browser tests skip, saying how to install it, except under ``CI=true``, where they fail.

The book is built once per test session with the README's build command (``jupyter-book build .
-W -n --keep-going``, which reuses the execution cache in ``_build``), unless
``NNLAB_BOOK_HTML`` names an already built ``html`` folder to test instead.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTALL_HINT = (
    "install Debian's Chromium (`sudo apt-get install chromium`) and Playwright "
    "(`pip install -r requirements.txt -c constraints.txt`)"
)
# Without the background-networking switches Chromium keeps trying to reach Google's hosts,
# which this machine's closed network refuses (and which would count as requests that leave).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The Chromium executable; skips the test (fails it under CI=true) when it is missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path = None
    if path is None:
        _missing(f"browser tests need Chromium and Playwright: {INSTALL_HINT}")
    return path


def require_tool(name: str, install: str) -> str:
    """The path of a command-line tool a test needs; skips the test with an install hint when
    it is missing, except under CI=true, where a missing tool fails the test."""
    path = shutil.which(name)
    if path is None:
        _missing(f"this test needs {name}: {install}")
    return path


def _missing(message: str) -> None:
    """A missing tool skips the test with ``message``, or fails it under CI=true (CI installs
    every tool, so a missing one there is a broken install step, not a machine without it)."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def build_book(out: Path | None = None, *extra: str) -> Path:
    """Build the book (HTML) and return its ``html`` folder; ``extra`` are more build options."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "-W", "-n",
               "--keep-going", *extra]  # fmt: skip
    if out is not None:
        command += ["--path-output", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
        pytest.fail(f"the book build failed:\n{tail}")
    return (out or ROOT) / "_build" / "html"


def staff_book() -> Path:
    given = os.environ.get("NNLAB_BOOK_HTML")
    if given:
        return Path(given)
    return build_book()


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class PageWatch:
    """What a page did that it should not: requests outside the loopback server, console
    errors, uncaught exceptions."""

    def __init__(self, page, base_url: str):
        self.outside: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def _on_request(self, request):
        if not request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            self.outside.append(request.url)

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)
