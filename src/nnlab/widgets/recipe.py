"""Recipes: how an explorer is rebuilt outside the kernel that showed it.

A notebook cell that shows an explorer stores only a small, deterministic recipe (the factory's
import path, its arguments as JSON, the static grid); the book build calls the same factory with
the same arguments and renders the grid's states with the explorer's own ``render``. Arguments
that are objects get a JSON form here: numpy arrays as nested lists (floats keep every bit:
``json`` writes ``repr(float)``), a trained `MLP` as its spec, seed and parameters.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable

import numpy as np

from ..engine.errors import NnlabTypeError, NnlabValueError
from ..nn.mlp import MLP

__all__ = ["decode", "encode", "factory_name", "load_factory", "recipe_json"]


def encode(value):
    """``value`` as JSON-ready data that `decode` turns back into an equal object."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return {"__array__": value.tolist(), "dtype": str(value.dtype)}
    if isinstance(value, MLP):
        return {"__mlp__": {**value.spec(), "seed": int(value.seed), "dtype": str(value.dtype),
                            "params": [encode(p) for p in value.parameters()]}}  # fmt: skip
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: encode(v) for k, v in value.items()}
    raise NnlabTypeError(
        f"encode: cannot write a {type(value).__name__} into an explorer recipe; pass numbers, "
        "strings, lists, numpy arrays or an MLP"
    )


def decode(data):
    """The object `encode` wrote."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "__array__" in data:
        return np.asarray(data["__array__"], dtype=data["dtype"])
    if "__mlp__" in data:
        spec = data["__mlp__"]
        net = MLP(spec["sizes"], spec["activation"], output=spec["output"], seed=spec["seed"],
                  bias=spec["bias"], dtype=spec["dtype"])  # fmt: skip
        net.set_parameters([decode(p) for p in spec["params"]])
        return net
    return {k: decode(v) for k, v in data.items()}


def factory_name(factory: Callable) -> str:
    """``"module:function"``, the name a recipe stores."""
    return f"{factory.__module__}:{factory.__qualname__}"


def load_factory(name: str) -> Callable:
    """The factory a recipe names; only nnlab's own widget factories are accepted."""
    module, _, attr = name.partition(":")
    if not module.startswith("nnlab.widgets.") or not attr.isidentifier():
        raise NnlabValueError(f"load_factory: {name!r} is not an nnlab.widgets factory")
    return getattr(importlib.import_module(module), attr)


def recipe_json(recipe: dict) -> str:
    """The recipe as compact, key-sorted JSON (the same bytes on every run)."""
    return json.dumps(recipe, sort_keys=True, separators=(",", ":"), allow_nan=False)
