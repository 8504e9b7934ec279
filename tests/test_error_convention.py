"""Every error nnlab raises is an NnlabError, and its message names the function that raised it.

Checked on the source (every ``raise`` statement in ``src/nnlab``), so a new error that breaks
the convention fails here even before a test triggers it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import nnlab
from nnlab.engine import errors

PACKAGE_DIR = Path(nnlab.__file__).parent
ERROR_CLASSES = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.NnlabError)
}
ERROR_FACTORIES = {"unknown_name"}
# A message starts with the public function's name (dotted, perhaps with "()"), then ": ".
NAMED = re.compile(r"^[A-Za-z_][\w.]*(\(\))?(\[[^\]]*\])?: ")
SOURCES = sorted(PACKAGE_DIR.rglob("*.py"))


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _leading_text(node: ast.expr) -> str | None:
    """The literal start of a message, with a placeholder for a leading formatted value."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        text = ""
        for part in node.values:
            if isinstance(part, ast.Constant):
                text += part.value
            else:
                text += "name" if not text else "{}"
            if len(text) > 60:
                break
        return text
    return None


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            # the module and attribute protocols require AttributeError there
            for inner in ast.walk(node):
                if isinstance(inner, ast.Raise):
                    inner.allowed = True  # type: ignore[attr-defined]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Raise) or node.exc is None or getattr(node, "allowed", False):
            continue
        where = f"{path.relative_to(PACKAGE_DIR.parent)}:{node.lineno}"
        exc = node.exc
        if isinstance(exc, ast.Name):  # re-raising a caught or prepared error object
            if (
                exc.id in dir(__builtins__)
                or exc.id.endswith("Error")
                and exc.id not in ERROR_CLASSES
            ):
                found.append(f"{where}: raises the class {exc.id} with no message")
            continue
        if not isinstance(exc, ast.Call):
            continue
        name = _called_name(exc)
        if name in ERROR_FACTORIES:
            continue
        if name not in ERROR_CLASSES:
            found.append(f"{where}: raises {name}, not an NnlabError subclass")
            continue
        if not exc.args:
            found.append(f"{where}: {name} without a message")
            continue
        text = _leading_text(exc.args[0])
        if text is not None and not NAMED.match(text):
            found.append(f"{where}: message does not start with the function's name: {text!r}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_every_raise_is_an_nnlab_error_naming_its_function(path):
    assert not _violations(path), "\n".join(_violations(path))


def test_error_classes_are_catchable_as_builtins():
    assert issubclass(errors.NnlabValueError, ValueError)
    assert issubclass(errors.ShapeError, ValueError)
    assert issubclass(errors.NnlabTypeError, TypeError)
    assert issubclass(errors.NotDifferentiableError, TypeError)
    assert issubclass(errors.NnlabIndexError, IndexError)
    assert issubclass(errors.DivergenceError, RuntimeError)
    assert all(issubclass(getattr(errors, n), errors.NnlabError) for n in ERROR_CLASSES)
