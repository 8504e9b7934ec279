"""A network's architecture as data: one normal form for an MLP, a spec dict or a size list.

Drawing a network (`nnlab.plots.network`) and writing its formula (`nnlab.course.formula`)
both start from `normalize_spec`, so both read an architecture the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..engine.errors import NnlabTypeError, NnlabValueError

__all__ = ["normalize_spec"]


def normalize_spec(spec, where: str = "normalize_spec") -> dict:
    """Return ``{"sizes", "activation", "output", "bias"}`` from an MLP, a dict or a size list.

    A plain list of sizes has no bias information, so it is drawn without bias nodes;
    a dict without ``"bias"`` gets the engine's default (a bias in every layer).
    ``where`` names the public function in error messages.
    """
    if hasattr(spec, "spec") and callable(spec.spec):
        spec = spec.spec()
    if isinstance(spec, Mapping):
        if "sizes" not in spec:
            raise NnlabValueError(
                f"{where}: a spec dict needs a 'sizes' entry, got keys {sorted(spec)}"
            )
        sizes = list(spec["sizes"])
        bias = spec.get("bias", True)
        activation = spec.get("activation", None)
        output = spec.get("output", None)
    elif isinstance(spec, Sequence) and not isinstance(spec, str):
        sizes, bias, activation, output = list(spec), False, None, None
    else:
        raise NnlabTypeError(
            f"{where}: spec must be an nnlab.MLP, a dict like MLP.spec() or a list of sizes, "
            f"got {spec!r}"
        )
    if len(sizes) < 2 or not all(
        isinstance(n, int | np.integer) and not isinstance(n, bool) and n > 0 for n in sizes
    ):
        raise NnlabValueError(
            f"{where}: sizes must list at least two positive integers, got {sizes}"
        )
    depth = len(sizes) - 1
    flags = [bool(bias)] * depth if isinstance(bias, bool | np.bool_) else list(bias)
    if len(flags) != depth:
        raise NnlabValueError(
            f"{where}: bias needs one flag per weight layer ({depth}), got {flags}"
        )
    if isinstance(activation, str):
        activation = [activation] * (depth - 1)
    return {
        "sizes": [int(n) for n in sizes],
        "activation": list(activation) if activation is not None else None,
        "output": output,
        "bias": [bool(f) for f in flags],
    }
