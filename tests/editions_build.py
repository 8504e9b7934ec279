"""Build the editions once per test session, with the documented command.

``scripts/build-edition`` writes under ``NNLAB_EDITIONS_OUT`` (default ``_build``, where the
README's build also keeps the execution cache, so the notebooks are not executed again).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def out_dir() -> Path:
    return Path(os.environ.get("NNLAB_EDITIONS_OUT", ROOT / "_build")).resolve()


@functools.cache
def build(edition: str) -> Path:
    """Run ``scripts/build-edition EDITION --out OUT``; return OUT."""
    out = out_dir()
    # the script runs with the environment running the tests (CI's venv is not .venv)
    env = {**os.environ, "VENV": str(Path(sys.executable).parent.parent)}
    done = subprocess.run([str(ROOT / "scripts" / "build-edition"), edition, "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, env=env)  # fmt: skip
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
        pytest.fail(f"scripts/build-edition {edition} failed:\n{tail}")
    return out


def staff_html() -> Path:
    return build("staff") / "html"


def student_html() -> Path:
    return build("student") / "student" / "html"


def pdfs() -> dict[str, Path]:
    out = build("print") / "print"
    return {edition: out / f"nnlab-{edition}.pdf" for edition in ("staff", "student")}
