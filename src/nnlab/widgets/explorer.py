"""`Explorer`: named controls -> ``render(**values)`` -> outputs updated in place.

The first render is an ordinary ``display(..., display_id=True)``, so the built book shows
the default state without a kernel and strict nbval sees deterministic text; moving a control
updates the same outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as W
from IPython.display import display

from ..engine.errors import NnlabValueError
from .core import displayable, show_controls

__all__ = ["Explorer"]


class Explorer:
    """Wire named controls to a render function.

    ``controls`` maps argument names to ipywidgets (sliders, dropdowns...);
    ``render(**values)`` returns a list of displayable objects (figures, HTML,
    or strings, shown as plain text). ``outputs`` always holds the latest
    render, which tests can inspect after setting values with `set`.
    """

    def __init__(self, controls: dict[str, W.ValueWidget], render: Callable[..., Sequence]):
        self.controls = controls
        self.render = render
        self.outputs = list(render(**self.values))
        self._handles = []
        for control in controls.values():
            control.observe(self._on_change, names="value")

    @property
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values) -> list:
        """Set control values from code (as a student's drag would) and return the outputs."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise NnlabValueError(
                f"Explorer.set: unknown control(s) {sorted(unknown)}; controls: "
                f"{sorted(self.controls)}"
            )
        for name, value in values.items():
            self.controls[name].value = value
        return self.outputs

    def _on_change(self, change) -> None:
        self.outputs = list(self.render(**self.values))
        for handle, output in zip(self._handles, self.outputs, strict=False):
            handle.update(displayable(output))

    def show(self) -> None:
        """Display the current outputs, then the controls."""
        self._handles = [display(displayable(o), display_id=True) for o in self.outputs]
        show_controls(W.VBox(list(self.controls.values())), "sliders: " + ", ".join(self.controls))
