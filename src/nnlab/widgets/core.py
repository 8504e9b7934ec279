"""What every widget shares: how controls are displayed so that the built book and strict nbval
see a stable stand-in instead of a widget's repr.

The two patterns the chapters use live beside it: `Explorer` (explorer.py) and `SelfCheck`
(selfcheck.py).
"""

from __future__ import annotations

import ipywidgets as W
from IPython.display import Pretty, display

__all__ = ["displayable", "show_controls"]


def show_controls(widget: W.Widget, description: str) -> None:
    """Display a widget with a fixed plain-text stand-in.

    The default text is the widget's repr, which lists every trait and changes between
    ipywidgets releases; strict nbval compares it, so we replace it with a stable line.
    """
    bundle = widget._repr_mimebundle_()
    bundle["text/plain"] = f"[interactive: {description}; live in a running notebook]"
    display(bundle, raw=True)


def displayable(output):
    """Strings are shown as preformatted text; anything else as itself."""
    return Pretty(output) if isinstance(output, str) else output
