"""The package's layers import one way: engine <- nn <- course <- plots <- widgets.

Each layer is imported in a fresh interpreter, and what it pulled into ``sys.modules`` is
checked: the three numpy-only layers load neither matplotlib nor ipywidgets, plots loads no
ipywidgets, and no layer loads a layer above it.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import nnlab

LAYERS = ["engine", "nn", "course", "plots", "widgets"]
FORBIDDEN_LIBRARIES = {
    "engine": ["matplotlib", "ipywidgets", "IPython"],
    "nn": ["matplotlib", "ipywidgets", "IPython"],
    "course": ["matplotlib", "ipywidgets", "IPython"],
    "plots": ["ipywidgets"],
    "widgets": [],
}
PACKAGE_DIR = Path(nnlab.__file__).parent


def _modules_of(layer: str) -> list[str]:
    names = [f"nnlab.{layer}"]
    for info in pkgutil.walk_packages([str(PACKAGE_DIR / layer)], prefix=f"nnlab.{layer}."):
        names.append(info.name)
    return names


def _loaded_after_import(modules: list[str]) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out))


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_layers_below_it(layer):
    loaded = _loaded_after_import(_modules_of(layer))
    for library in FORBIDDEN_LIBRARIES[layer]:
        assert library not in loaded, f"importing nnlab.{layer} loads {library}"
    above = LAYERS[LAYERS.index(layer) + 1 :]
    for upper in above:
        prefix = f"nnlab.{upper}"
        leaked = sorted(m for m in loaded if m == prefix or m.startswith(prefix + "."))
        assert not leaked, f"nnlab.{layer} imports the layer above it: {leaked}"


def test_top_level_import_stays_numpy_only():
    loaded = _loaded_after_import(["nnlab"])
    for name in ["matplotlib", "ipywidgets", "IPython", "nnlab.course", "nnlab.plots"]:
        assert name not in loaded, f"import nnlab loads {name}"


# The staff command line (`python -m nnlab.practice`) must be a top-level module for that
# command to read well; it is a thin entry point over course.practice and plots, imported by
# nothing, so it sits above every layer. It is the only module allowed outside them.
ENTRY_POINTS = {"practice"}


def test_every_module_is_in_a_layer():
    top_level = {info.name for info in pkgutil.iter_modules([str(PACKAGE_DIR)])}
    outside = top_level - set(LAYERS)
    assert outside == ENTRY_POINTS, f"modules outside the layer folders: {outside - ENTRY_POINTS}"
    assert set(LAYERS) <= top_level


def test_every_public_name_resolves():
    missing = [name for name in nnlab.__all__ if getattr(nnlab, name, None) is None]
    assert not missing, f"nnlab.__all__ lists names that do not resolve: {missing}"
    # the everyday names from before the layers keep working
    for name in ["grad", "jvp", "jacobian", "trace", "Tensor", "MLP", "tanh", "relu", "losses",
                 "optim", "data", "check_grads", "value_and_grad", "vjp", "backprop"]:
        assert name in nnlab.__all__ and getattr(nnlab, name) is not None
