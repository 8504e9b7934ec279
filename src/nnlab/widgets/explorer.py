"""`Explorer`: named controls -> ``render(**values)`` -> outputs updated in place.

In a notebook, `show` displays the controls first (so the control, its readout and its figure
sit together on a laptop screen), then each output with ``display(..., display_id=True)``; a
moved control renders every output and formats it before any is updated, so the readout and
the figure change together. Strict nbval sees deterministic text.

In the built book the controls' bundle carries a recipe (factory, arguments, static grid) as
its ``text/html``; the book build rebuilds the explorer from it and renders the grid's states
with this same ``render`` (see `nnlab.widgets.static`).

Every explorer has a ``caption`` (what its figure shows and what to look for) and an ``alt``
text (what is drawn, for a reader who cannot see it); `describe` joins the alt text with the
current control values, which is what the book's ``<img alt>`` says for each state. The
static book puts the caption under the outputs as a ``<figcaption>``; a live notebook shows it
as a line under the figure.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable, Sequence

import ipywidgets as W
from IPython.display import display

from ..engine.errors import NnlabValueError
from .core import control_grid, displayable, show_controls, step_decimals
from .recipe import encode, factory_name

__all__ = ["Explorer"]


class Explorer:
    """Wire named controls to a render function.

    ``controls`` maps argument names to ipywidgets (sliders, dropdowns...);
    ``render(**values)`` returns a list of displayable objects (figures, HTML,
    or strings, shown as plain text). ``outputs`` always holds the latest
    render, which tests can inspect after setting values with `set`.

    ``factory`` and ``arguments`` name how to rebuild this explorer (the factory function and
    the keyword arguments it was called with); ``grid`` maps some control names to the values
    they take in the static book (the others stay at their start value there). Each start
    value is added to its grid if missing.

    ``caption`` says what the outputs show; ``alt`` describes the figure for a reader who
    cannot see it: a string, or a function of the control values (``alt(**values)``) when the
    description names numbers of the state (see `describe`).
    """

    DEFAULT_CAPTION = "The explorer's outputs for the values of the controls above."
    DEFAULT_ALT = "Figure of the explorer."

    def __init__(
        self,
        controls: dict[str, W.ValueWidget],
        render: Callable[..., Sequence],
        *,
        factory: Callable | None = None,
        arguments: dict | None = None,
        grid: dict[str, Sequence] | None = None,
        caption: str | None = None,
        alt: str | Callable[..., str] | None = None,
    ):
        for name, text in (("caption", caption), ("alt", alt)):
            if text is not None and not (
                callable(text) or (isinstance(text, str) and text.strip())
            ):
                raise NnlabValueError(f"Explorer: {name} must be a non-empty string, got {text!r}")
        self.caption = caption or self.DEFAULT_CAPTION
        self._alt = alt or self.DEFAULT_ALT
        self.controls = controls
        self.render = render
        self.factory, self.arguments = factory, dict(arguments or {})
        self.grid = self._complete_grid(grid or {})
        self.outputs = list(render(**self.values))
        self._live_render = None  # made at the first move: figures redrawn in place
        self._handles = []
        for control in controls.values():
            control.observe(self._on_change, names="value")

    # ------------------------------------------------------------------ values

    def _round(self, control, value):
        """A slider's value as the number it means: rounded to the slider's step, so
        0.8999999999999999 reads (and renders) as 0.9."""
        if isinstance(control, W.FloatSlider) and isinstance(value, float):
            return round(value, step_decimals(control.step))
        return value

    @property
    def values(self) -> dict:
        return {name: self._round(c, c.value) for name, c in self.controls.items()}

    def value_label(self, name: str, value) -> str:
        """How a control's value reads: its slider readout, or its option's label."""
        control = self.controls[name]
        if isinstance(control, W.FloatSlider):
            return f"{value:.{step_decimals(control.step)}f}"
        if isinstance(control, W.Dropdown | W.SelectionSlider):
            for label, option in zip(control._options_labels, control._options_values,
                                     strict=True):  # fmt: skip
                if option == value:
                    return str(label)
        return f"{value:g}" if isinstance(value, float) else str(value)

    def describe(self, values: dict | None = None) -> str:
        """The alt text of the figure for ``values`` (default: the current ones): what is
        drawn, then every control's value as its readout shows it."""
        values = {**self.values, **(values or {})}
        base = self._alt(**values) if callable(self._alt) else self._alt
        shown = ", ".join(f"{name} = {self.value_label(name, values[name])}"
                          for name in self.controls)  # fmt: skip
        return f"{base.strip()} Controls: {shown}."

    def control_kind(self, name: str) -> str:
        """``"select"`` for a choice among names, ``"range"`` for a slider or a choice among
        numbers (the book's range input reads them as the numbers they are)."""
        control = self.controls[name]
        if isinstance(control, W.Dropdown):
            numeric = all(isinstance(v, int | float) for v in control._options_values)
            return "range" if numeric else "select"
        return "range"

    def _complete_grid(self, grid: dict) -> dict:
        unknown = set(grid) - set(self.controls)
        if unknown:
            raise NnlabValueError(
                f"Explorer: grid names unknown control(s) {sorted(unknown)}; controls: "
                f"{sorted(self.controls)}"
            )
        start = self.values
        out = {}
        for name in self.controls:  # control order: the page's index order
            if name not in grid:
                continue
            values = [self._round(self.controls[name], v) for v in grid[name]]
            if start[name] not in values:
                values.append(start[name])
                if all(isinstance(v, int | float) for v in values):
                    values.sort()
            out[name] = values
        return out

    def static_spec(self) -> dict | None:
        """The recipe the book build rebuilds this explorer from (None without a factory)."""
        if self.factory is None:
            return None
        return {"factory": factory_name(self.factory), "kwargs": encode(self.arguments),
                "grid": self.grid}  # fmt: skip

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

    # ------------------------------------------------------------------ display

    def _on_change(self, change) -> None:
        if self._live_render is None:
            # Imported here so that importing nnlab.widgets does not load matplotlib.
            from ..plots.live import live_render

            self._live_render = live_render(self.render)
        # Figures come back as PNG snapshots of figures redrawn in place (plots.live): the
        # same pictures as a fresh render, in a fraction of the time.
        self.outputs = list(self._live_render(**self.values))
        if not self._handles:
            return
        from IPython import get_ipython

        shell = get_ipython()
        shown = [displayable(o) for o in self.outputs]
        if shell is None:
            for handle, output in zip(self._handles, shown, strict=False):
                handle.update(output)
            return
        # Format (encode) every output first, then swap them all: no readout ahead of its figure.
        bundles = [shell.display_formatter.format(o) for o in shown]
        for handle, (data, metadata) in zip(self._handles, bundles, strict=False):
            handle.update(data, metadata=metadata, raw=True)

    def _summary(self) -> str:
        moving = ", ".join(self.grid) or "none"
        live = [n for n in self.controls if n not in self.grid]
        text = f"Explorer with controls {', '.join(self.controls)}."
        if self.factory is not None:
            text += f" The book lets {moving} move"
            text += f"; {', '.join(live)} need a live notebook." if live else "."
        return text

    def show(self) -> None:
        """Display the controls (with the book's recipe), then the current outputs."""
        from . import static

        box = control_grid(list(self.controls.values()))
        spec = self.static_spec()
        html = static.recipe_html(spec, self._summary()) if spec is not None else None
        show_controls(box, "sliders: " + ", ".join(self.controls), html=html)
        self._handles = [display(displayable(o), display_id=True) for o in self.outputs]
        # The caption, under the figure as in the book (the book replaces all of these
        # outputs by its static block, which has the caption as its <figcaption>).
        display({"text/plain": f"Caption: {self.caption}",
                 "text/html": '<p class="nnlab-caption" style="font-size:0.9em;color:#444">'
                              f"{html_lib.escape(self.caption)}</p>"}, raw=True)  # fmt: skip
