"""Serve MathJax with the book instead of from a CDN, so its maths renders offline.

The MathJax files come from the PyPI package ``django-static-mathjax`` (plain static files,
no Django needed). The single-file ``tex-svg-full.js`` bundles every TeX extension and
the SVG fonts, so nothing else is fetched at reading time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

BUNDLE = "tex-svg-full.js"
TARGET = "mathjax"  # below _static/


def _bundle() -> Path:
    try:
        import mathjax  # the django-static-mathjax package
    except ImportError as err:
        raise RuntimeError(
            "offline_mathjax needs the package django-static-mathjax (see requirements.txt)"
        ) from err
    path = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5" / BUNDLE
    if not path.is_file():
        raise RuntimeError(f"offline_mathjax: {path} is missing from django-static-mathjax")
    return path


def _point_sphinx_at_local_copy(app, config) -> None:
    _bundle()  # fail early, before any page is written
    config.mathjax_path = f"{TARGET}/{BUNDLE}"


def _copy_bundle(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        destination = Path(app.outdir) / "_static" / TARGET
        destination.mkdir(parents=True, exist_ok=True)
        shutil.copy2(_bundle(), destination / BUNDLE)


def setup(app):
    app.connect("config-inited", _point_sphinx_at_local_copy)
    app.connect("build-finished", _copy_bundle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
