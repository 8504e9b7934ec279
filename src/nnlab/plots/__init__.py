"""Figures for the book, drawn from engine results (matplotlib; never imported by the core).

Every function returns a `matplotlib.figure.Figure` built without pyplot, so
nothing is shown twice and no global state leaks between cells; a notebook
cell that ends with the call displays it once.
"""

from .style import CLASS_COLORS, COLORS, new_figure


def _show_figures_inline() -> None:
    # Figures made without pyplot need IPython's PNG formatter registered explicitly.
    try:
        from IPython import get_ipython
    except ImportError:
        return
    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")


_show_figures_inline()

__all__ = ["CLASS_COLORS", "COLORS", "new_figure"]
