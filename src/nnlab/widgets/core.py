"""What every widget shares: how controls are displayed so that the built book and strict nbval
see a stable stand-in instead of a widget's repr, and the note a dead kernel brings up.

The two patterns the chapters use live beside it: `Explorer` (explorer.py) and `SelfCheck`
(selfcheck.py).
"""

from __future__ import annotations

import math

import ipywidgets as W
from IPython.display import Pretty, display

from ..engine.errors import NnlabValueError

__all__ = [
    "control_grid",
    "displayable",
    "number_slider",
    "reconnect_note",
    "show_controls",
    "step_decimals",
]

# ipywidgets adds the class ``jupyter-widgets-disconnected`` to every view whose kernel
# connection is gone (a restart, a dead kernel); this note is hidden until then. The style
# travels inside the widget, so it needs no extension in JupyterLab.
RECONNECT_HTML = (
    "<style>.nnlab-reconnect{display:none}"
    ".jupyter-widgets-disconnected .nnlab-reconnect{display:block;color:#b71c1c;"
    "font-weight:bold;padding:2px 0}</style>"
    '<div class="nnlab-reconnect" role="alert">The kernel is disconnected: these controls do '
    "nothing now. Re-run this cell to reconnect.</div>"
)


def reconnect_note() -> W.HTML:
    """A line that appears only when the widget has lost its kernel."""
    return W.HTML(value=RECONNECT_HTML)


def control_grid(controls: list[W.Widget], columns: int = 3) -> W.GridBox:
    """Controls in a few columns, so that a row of controls, the readout and the figure fit
    one laptop screen (1366x768) together."""
    columns = max(1, min(columns, len(controls)))
    for control in controls:
        control.layout.width = "auto"
        control.style.description_width = "80px"
    return W.GridBox(
        controls,
        layout=W.Layout(grid_template_columns=f"repeat({columns}, minmax(220px, 1fr))",
                        grid_gap="2px 12px"),
    )  # fmt: skip


def show_controls(widget: W.Widget, description: str, html: str | None = None) -> None:
    """Display a widget with a fixed plain-text stand-in (and, for the book, ``html``).

    The default text is the widget's repr, which lists every trait and changes between
    ipywidgets releases; strict nbval compares it, so we replace it with a stable line. The
    widget gets the reconnect note. ``html`` is what the built book shows instead of the
    widget (the book prefers ``text/html`` over the widget view); JupyterLab shows the widget.
    """
    widget = W.VBox([widget, reconnect_note()])
    bundle = widget._repr_mimebundle_()
    bundle["text/plain"] = f"[interactive: {description}; live in a running notebook]"
    if html is not None:
        bundle["text/html"] = html
    display(bundle, raw=True)


def displayable(output):
    """Strings are shown as preformatted text; anything else as itself."""
    return Pretty(output) if isinstance(output, str) else output



def step_decimals(step: float) -> int:
    """Decimals that show a multiple of ``step`` exactly (0.05 -> 2, 0.25 -> 2, 1 -> 0)."""
    for decimals in range(10):
        if math.isclose(round(step, decimals), step, rel_tol=1e-9, abs_tol=1e-12):
            return decimals
    return 10


def number_slider(name: str, value: float, low: float, high: float, step: float) -> W.FloatSlider:
    """A labelled float slider whose every position is the number it shows.

    The browser computes a position as ``low + k * step`` in binary floating point, and
    ipywidgets announces that raw number to screen readers (``aria-valuetext``): with a step
    of 0.1 a student hears 1.2999999999999998 for 1.3. A step that is a power of two (0.5,
    0.25, 0.125), with ``low`` a multiple of it, makes every position exact, so the readout,
    the value the render gets and what a screen reader says are the same number.
    """
    if not (step > 0 and math.frexp(step)[0] == 0.5 and (low / step).is_integer()):
        raise NnlabValueError(
            f"number_slider: {name}: step {step} must be a power of two (0.5, 0.25, 0.125, ...) "
            f"and low {low} a multiple of it, so every position is an exact number"
        )
    return W.FloatSlider(value=float(value), min=float(low), max=float(high), step=float(step),
                         description=name, continuous_update=False,
                         readout_format=f".{step_decimals(step)}f")  # fmt: skip
