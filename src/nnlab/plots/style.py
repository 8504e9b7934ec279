"""One look for every figure: colours, sizes and a pyplot-free figure factory."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

# Okabe & Ito's colour-blind-safe palette (Okabe and Ito 2008, "Color Universal Design").
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

# Classes differ by colour *and* marker, so a figure reads in grey or for a colour-blind reader.
# Label 1 is blue and label 0 vermillion, as the handout's blue/red.
CLASS_COLORS = {0: OKABE_ITO["vermillion"], 1: OKABE_ITO["blue"], 2: OKABE_ITO["green"],
                3: OKABE_ITO["purple"], 4: OKABE_ITO["orange"]}  # fmt: skip
CLASS_MARKERS = {0: "o", 1: "s", 2: "^", 3: "D", 4: "v"}

# Series (lines of one plot) differ by colour, line style and marker: `series_style(k)`.
SERIES_COLORS = [OKABE_ITO[c] for c in ("blue", "vermillion", "green", "orange", "purple",
                                        "sky_blue", "black")]  # fmt: skip
SERIES_LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (8, 2))]
SERIES_MARKERS = ["o", "s", "^", "D", "v", "P", "X"]

COLORS = {
    "input": OKABE_ITO["sky_blue"],
    "hidden": OKABE_ITO["green"],
    "hidden2": OKABE_ITO["purple"],
    "output": OKABE_ITO["orange"],
    "forward": OKABE_ITO["blue"],
    "reverse": OKABE_ITO["vermillion"],
    "neutral": "#555555",
}

# Text is at least MIN_FONT_PT points on the figure. The page shows a figure at most ~760 px wide
# (a wider one is scaled down, text and all), figures are drawn at 110 dpi, so 8 pt is 12 px on
# a figure up to 6.9 in wide and stays >= 9 px up to ~9.3 in; tests/test_plots_text_size.py
# measures every drawn text of every plot function that way.
MIN_FONT_PT = 8.0


def class_style(label: int) -> dict:
    """Keyword arguments for ``ax.scatter`` of one class: colour, marker and a dark edge."""
    k = int(label)
    return {"color": CLASS_COLORS[k % len(CLASS_COLORS)],
            "marker": CLASS_MARKERS[k % len(CLASS_MARKERS)], "edgecolor": "black",
            "linewidths": 0.6}  # fmt: skip


def series_style(k: int, markevery=None) -> dict:
    """Keyword arguments for ``ax.plot`` of series ``k``: colour, line style and (with
    ``markevery``, a step or a fraction) a marker, so series differ by more than colour."""
    n = len(SERIES_COLORS)
    style = {"color": SERIES_COLORS[k % n], "linestyle": SERIES_LINESTYLES[k % n]}
    if markevery is not None:
        style.update(marker=SERIES_MARKERS[k % n], markevery=markevery, markersize=4)
    return style


# Figures that `new_figure` calls asking for the same grid redraw into instead of making new
# ones; set by `nnlab.plots.live` around one render of a live explorer (see `redrawing_into`).
_redraw_targets: list[Figure] = []


def new_figure(ncols: int = 1, nrows: int = 1, width: float = 4.0, height: float = 3.2, **kwargs):
    """A Figure with a grid of axes, ``width`` x ``height`` inches per panel.

    Returns ``(fig, axes)``; ``axes`` is a single Axes for one panel, else an array. Inside
    `redrawing_into(figs)`, a call asking for the grid of one of ``figs`` returns it with its axes
    emptied of their data instead of a new Figure (a live explorer redraws a state that way:
    the axes, their ticks and the text layout caches survive, which is most of the cost).
    """
    grid = (ncols, nrows, float(width), float(height), tuple(sorted(kwargs.items())))
    for k, fig in enumerate(_redraw_targets):
        if getattr(fig, "_nnlab_grid", None) == grid:
            del _redraw_targets[k]
            _empty(fig)
            return fig, fig._nnlab_axes
    fig = Figure(figsize=(width * ncols, height * nrows), dpi=110, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **kwargs)
    fig._nnlab_grid, fig._nnlab_axes = grid, axes
    return fig, axes


class redrawing_into:  # noqa: N801 (used as a context manager, like contextlib's)
    """Context: `new_figure` calls asking for the grid of one of ``figures`` redraw into it
    (each figure at most once, first match first)."""

    def __init__(self, figures):
        self.figures = list(figures)

    def __enter__(self):
        _redraw_targets[:] = self.figures
        return self

    def __exit__(self, *exc):
        _redraw_targets.clear()  # figures the render did not ask for stay as they were
        return False


def _empty(fig: Figure) -> None:
    """Remove what a figure function drew, keeping the grid's axes as a fresh call makes them.

    Axes the function added beyond the grid (colorbars, insets) are removed; the grid's axes
    lose their artists, legend and data limits, and get back autoscaling and the colour cycle,
    so drawing into them again gives the picture a new figure would.
    """
    grid_axes = set(getattr(fig._nnlab_axes, "flat", [fig._nnlab_axes]))
    for ax in list(fig.axes):
        if ax not in grid_axes:
            ax.remove()
    for artist in [*fig.texts, *fig.legends, *fig.lines, *fig.patches, *fig.images]:
        artist.remove()
    if fig._suptitle is not None:
        fig._suptitle.set_text("")
    for ax in grid_axes:
        for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images,
                       *ax.artists, *ax.tables]:  # fmt: skip
            artist.remove()
        if ax.legend_ is not None:
            ax.legend_.remove()
        ax.set_prop_cycle(None)
        ax.dataLim.set_points(Bbox.null().get_points())
        ax.ignore_existing_data_limits = True
        ax.set_autoscale_on(True)
        ax.set_title("")
        ax.set_title("", loc="left")
        ax.set_title("", loc="right")
        ax.set_xlabel("")
        ax.set_ylabel("")


def axes_or_new(ax=None, width: float = 5.0, height: float = 3.4):
    """``(fig, ax)``: draw into the given Axes, or into a new one-panel Figure of that size."""
    if ax is None:
        return new_figure(width=width, height=height)
    return ax.figure, ax
