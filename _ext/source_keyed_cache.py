"""Re-execute the notebooks when the nnlab package changes.

MyST-NB's execution cache (jupyter-cache) is keyed by a notebook's code cells only, so after a
change to ``src/nnlab`` a rebuild would reuse outputs the old package computed: stale numbers,
figures and widget recipes in the HTML. This extension keys the cache by the package's source
as well: when the digest of ``src/nnlab/**/*.py`` differs from the one recorded beside the
cache, it empties the cache and marks every document outdated, so every notebook runs again
once; an unchanged package keeps the fast cached rebuild.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "nnlab"
RECORD = "nnlab-source.sha256"


def source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _cache_folder(app) -> Path:
    return Path(app.env.mystnb_config.execution_cache_path)


def _check(app) -> None:
    """Empty the execution cache if it was filled by another version of the package."""
    app._nnlab_source = source_digest()
    cache = _cache_folder(app)
    recorded = cache / RECORD
    if cache.exists() and (
        not recorded.is_file() or recorded.read_text().strip() != app._nnlab_source
    ):
        shutil.rmtree(cache)


def _outdated(app, env, added, changed, removed) -> list[str]:
    """Every document, if this build's saved doctrees were read with another package (each
    edition keeps its own environment, so each is checked on its own)."""
    if getattr(env, "nnlab_source", None) == app._nnlab_source:
        return []
    env.nnlab_source = app._nnlab_source
    return sorted(env.found_docs - set(added) - set(changed))


def _record(app, exception) -> None:
    if exception is None:
        cache = _cache_folder(app)
        cache.mkdir(parents=True, exist_ok=True)
        (cache / RECORD).write_text(app._nnlab_source + "\n")


def setup(app):
    # after MyST-NB's builder-inited handler, which resolves the cache path
    app.connect("builder-inited", _check, priority=900)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _record)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
