"""Fast redraws for live explorers: kept figures, and PNG snapshots of them.

A figure function builds a new Figure on every call; shown through IPython's display formatter
it is then laid out, measured for ``bbox_inches="tight"`` and drawn by a fresh renderer, so
every tick, label and formula is created and measured anew. In a live explorer that was most
of the time from a slider move to the new figure (benchmarks/explorers.py).

`live_render(render)` wraps an explorer's render function: each call redraws its figures into
the figures of the previous call (same axes and ticks, same Agg renderer, warm text caches;
see `style.new_figure`) and returns them as `FigureSnapshot` values, PNGs encoded at once.
The picture is the one the figure functions draw, at the figure's own size and dpi (without
the inline formatter's tight crop, so the margins are constrained layout's own).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from PIL import Image

from ..engine.errors import NnlabTypeError
from .style import redrawing_into

# zlib level 3 instead of the usual 6: faster to encode, a few more bytes (sent locally).
_PNG_LEVEL = 3

__all__ = ["FigureSnapshot", "live_render", "snapshot"]


class FigureSnapshot:
    """An encoded state of a figure: PNG bytes, shown by IPython's ``display`` as an image.

    A value, not a view: later redraws of the figure it came from do not change it, so a list
    of snapshots (a static book's states, an explorer's outputs) keeps every state it saw.
    """

    def __init__(self, png: bytes, figure_repr: str, n_axes: int):
        self.png, self.figure_repr, self.n_axes = png, figure_repr, n_axes

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        # The text a notebook stores beside the image: the Figure's own, so chapters'
        # plain-text outputs (which strict nbval compares) do not change.
        return self.figure_repr


def snapshot(fig: Figure, relayout: bool = True) -> FigureSnapshot:
    """Draw ``fig`` on its own Agg canvas (kept with the figure) and return the PNG.

    With ``relayout=False`` a figure that was laid out before is first drawn with its axes
    where they are (constrained layout, most of a redraw's time, is skipped); if any axes'
    labels, ticks or titles then stick out of the figure or run into another axes, it is laid
    out and drawn again as usual. So panels stay put while a slider moves, and never clip.
    """
    if not isinstance(fig, Figure):
        raise NnlabTypeError(f"snapshot: needs a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    engine = fig.get_layout_engine()
    if not relayout and engine is not None and getattr(fig, "_nnlab_laid_out", False):
        fig.set_layout_engine("none")
        try:
            fig.canvas.draw()
        finally:
            fig.set_layout_engine(engine)
        if not _fits(fig):
            fig.canvas.draw()
    else:
        fig.canvas.draw()
        fig._nnlab_laid_out = engine is not None
    buffer = io.BytesIO()
    image = Image.frombuffer("RGBA", fig.canvas.get_width_height(physical=True),
                             fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)  # fmt: skip
    image.save(buffer, format="png", compress_level=_PNG_LEVEL)
    return FigureSnapshot(buffer.getvalue(), repr(fig), len(fig.axes))


def _fits(fig: Figure) -> bool:
    """After a draw: whether every axes with the texts drawn around it (tick labels, axis
    labels, titles, legend, unclipped texts) lies inside the figure and clear of the others."""
    renderer = fig.canvas.get_renderer()
    boxes = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts = [ax.title, ax._left_title, ax._right_title, *ax.texts]
        if ax.axison:
            for axis in (ax.xaxis, ax.yaxis):
                drawn = axis._update_ticks()  # the ticks a draw shows (get_ticklabels has more)
                texts += [axis.label, axis.offsetText]
                texts += [label for tick in drawn for label in (tick.label1, tick.label2)]
        parts = [ax.bbox] if ax.axison else []
        parts += [t.get_window_extent(renderer) for t in texts
                  if t.get_visible() and t.get_text() and not (t in ax.texts and t.get_clip_on())]
        if ax.legend_ is not None:
            parts.append(ax.legend_.get_window_extent(renderer))
        if parts:
            boxes.append(Bbox.union(parts))
    width, height = fig.bbox.width, fig.bbox.height
    if any(b.x0 < 0 or b.y0 < 0 or b.x1 > width or b.y1 > height for b in boxes):
        return False
    return not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def live_render(render: Callable[..., Sequence]) -> Callable[..., list]:
    """``render`` (values -> outputs) made fast for a live explorer.

    Figures among the outputs come back as `FigureSnapshot`; the next call's figure functions
    draw into those figures again (`style.redrawing_into`). Other outputs pass unchanged.
    Each wrapped render keeps its own figures, so wrap every explorer's render separately.
    """
    if not callable(render):
        raise NnlabTypeError(f"live_render: render must be callable, got {render!r}")
    kept: list[Figure] = []

    @functools.wraps(render)
    def fast(*args, **values) -> list:
        with redrawing_into(kept):
            outputs = list(render(*args, **values))
        kept[:] = [o for o in outputs if isinstance(o, Figure)]
        return [snapshot(o, relayout=False) if isinstance(o, Figure) else o for o in outputs]

    fast.live = True
    return fast
