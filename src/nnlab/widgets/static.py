"""The static form of explorers and self-checks: what the built book shows without a kernel.

- `explorer_states(spec)`: rebuild an explorer from its recipe (`Explorer.static_spec`) and
  render every state of its static grid with the explorer's own ``render``; figures become
  small PNGs (Agg at `STATIC_DPI`, palette-quantised), text stays text.
- `explorer_html(spec, payload)`: the block that replaces the cell's outputs in the book: real
  ``<input type=range>`` / ``<select>`` controls with labels, the states as inline JSON, and
  the start state already drawn (readable with scripts off), its outputs in a ``<figure>``
  with the explorer's caption as ``<figcaption>`` and each image's ``alt`` describing the
  figure and the state's control values (`Explorer.describe`). ``_ext/nnlab_static/explorer.js``
  swaps states; it computes nothing.
- `check_html(...)` / `table_check_html(...)`: self-check forms whose answers and mistake
  values are data; ``_ext/nnlab_static/grader.js`` grades them exactly as `grade` does.

The book extension (``_ext/static_widgets.py``) only finds recipes and calls these.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json

from ..course.grading import ABS_TOL, RETRY, Mistake
from ..engine.errors import NnlabValueError
from .recipe import decode, load_factory

__all__ = [
    "STATIC_DPI",
    "check_html",
    "explorer_html",
    "explorer_states",
    "figure_png",
    "grid_states",
    "recipe_html",
    "table_check_html",
]

# 90 dpi: 8-point text is 10 px tall, and stays at least 9 px when a figure up to 8.4 inches
# wide is scaled down to the page's ~760 px (tests/test_plots_text_size.py).
STATIC_DPI = 90
PALETTE_COLOURS = 128  # quantising a PNG to 128 colours cuts it 3x without visible banding
RECIPE_CLASS = "nnlab-recipe"


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _dom_id(kind: str, data) -> str:
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]
    return f"nnlab-{kind}-{digest}"


# ----------------------------------------------------------------------------- explorers


def recipe_html(spec: dict, summary: str) -> str:
    """The placeholder a notebook stores: the recipe as a data attribute, and one line of text.

    The book build replaces it (and the cell's other outputs) with `explorer_html`.
    """
    data = json.dumps(spec, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return (
        f'<div class="{RECIPE_CLASS}" data-nnlab-recipe="{_attr(data)}">'
        f"<p>{html.escape(summary)}</p></div>"
    )


def figure_png(fig) -> bytes:
    """A figure as a small deterministic PNG (Agg, `STATIC_DPI`, palette of 128 colours)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(STATIC_DPI)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    quantised = image.convert("RGB").quantize(colors=PALETTE_COLOURS)
    out = io.BytesIO()
    quantised.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _is_figure(output) -> bool:
    return hasattr(output, "savefig") and hasattr(output, "get_size_inches")


def grid_states(spec: dict) -> list[dict]:
    """Every combination of the static grid's values, in the order the page indexes them
    (row-major over the static controls, in the explorer's control order)."""
    names = list(spec["grid"])
    return [dict(zip(names, combo, strict=True))
            for combo in itertools.product(*(spec["grid"][n] for n in names))]  # fmt: skip


def explorer_states(spec: dict) -> dict:
    """Render every state of a recipe's grid with the explorer's own render function.

    Returns the payload the page embeds: ``controls`` (the static ones, with their values'
    labels), ``fixed`` (the others, with the value they keep), ``kinds`` of the outputs,
    ``states`` (per state, per output: text, or an index into ``images``), ``images``
    (base64 PNGs, each stored once), the explorer's ``caption`` and ``alts`` (per state, the
    images' alt text: `Explorer.describe` of its values).
    """
    explorer = load_factory(spec["factory"])(**decode(spec["kwargs"]))
    start = explorer.values
    grid = spec["grid"]
    unknown = set(grid) - set(explorer.controls)
    if unknown:
        raise NnlabValueError(f"explorer_states: grid names unknown controls {sorted(unknown)}")
    images: list[str] = []
    image_index: dict[str, int] = {}
    states, kinds, alts = [], None, []
    for combo in grid_states(spec):
        outputs = list(explorer.render(**{**start, **combo}))
        alts.append(explorer.describe({**start, **combo}))
        row, row_kinds = [], []
        for output in outputs:
            if _is_figure(output):
                encoded = base64.b64encode(figure_png(output)).decode("ascii")
                if encoded not in image_index:
                    image_index[encoded] = len(images)
                    images.append(encoded)
                row.append(image_index[encoded])
                row_kinds.append("image")
            else:
                row.append(str(output))
                row_kinds.append("text")
        if kinds is None:
            kinds = row_kinds
        elif kinds != row_kinds:
            raise NnlabValueError("explorer_states: render returned different kinds of outputs")
        states.append(row)
    controls = [
        {"name": name, "labels": [explorer.value_label(name, v) for v in grid[name]],
         "start": grid[name].index(start[name]), "kind": explorer.control_kind(name)}
        for name in grid
    ]  # fmt: skip
    fixed = [{"name": n, "label": explorer.value_label(n, start[n])}
             for n in explorer.controls if n not in grid]  # fmt: skip
    return {"controls": controls, "fixed": fixed, "kinds": kinds, "states": states,
            "images": images, "caption": explorer.caption, "alts": alts}  # fmt: skip


def _start_index(payload: dict) -> int:
    index = 0
    for control in payload["controls"]:
        index = index * len(control["labels"]) + control["start"]
    return index


def explorer_html(spec: dict, payload: dict) -> str:
    """The static explorer block: labelled controls, outputs of the start state, states data."""
    root = _dom_id("explorer", spec)
    rows = []
    for i, control in enumerate(payload["controls"]):
        cid, name = f"{root}-c{i}", html.escape(control["name"])
        labels, start = control["labels"], control["start"]
        if control["kind"] == "select":
            options = "".join(
                f'<option value="{j}"{" selected" if j == start else ""}>{html.escape(lab)}'
                "</option>"
                for j, lab in enumerate(labels)
            )
            widget = f'<select id="{cid}" data-index="{i}">{options}</select>'
        else:
            widget = (
                f'<input type="range" id="{cid}" data-index="{i}" min="0" '
                f'max="{len(labels) - 1}" step="1" value="{start}" '
                f'aria-valuetext="{_attr(labels[start])}">'
                f'<output for="{cid}" aria-hidden="true">{html.escape(labels[start])}</output>'
            )
        rows.append(f'<div class="nnlab-control"><label for="{cid}">{name}</label>{widget}</div>')
    note = ""
    if payload["fixed"]:
        fixed = ", ".join(f"{html.escape(f['name'])} = {html.escape(f['label'])}"
                          for f in payload["fixed"])  # fmt: skip
        note = (
            f'<p class="nnlab-live-note">In the book these stay fixed: {fixed}. '
            "Moving them needs a live notebook (open this chapter in JupyterLab and run it).</p>"
        )
    start = _start_index(payload)
    start_state = payload["states"][start]
    alts = payload.get("alts") or ["Figure of the explorer for the values chosen above."]
    alt = alts[start] if len(alts) > start else alts[0]
    caption = payload.get("caption") or "The explorer's outputs for the values chosen above."
    slots = []
    for k, (kind, value) in enumerate(zip(payload["kinds"], start_state, strict=True)):
        if kind == "image":
            src = "data:image/png;base64," + payload["images"][value]
            slots.append(f'<img class="nnlab-slot" data-slot="{k}" src="{src}" '
                         f'alt="{_attr(alt)}">')  # fmt: skip
        else:
            slots.append(f'<pre class="nnlab-slot" data-slot="{k}">{html.escape(value)}</pre>')
    data = json.dumps(payload, separators=(",", ":")).replace("</", "<\\/")
    return (
        f'<div class="nnlab-explorer" id="{root}" '
        f'data-nnlab-spec="{_attr(json.dumps(spec, sort_keys=True, separators=(",", ":")))}">'
        f'<form class="nnlab-controls" aria-label="explorer controls" '
        f'onsubmit="return false">{"".join(rows)}</form>{note}'
        f'<figure class="nnlab-outputs" aria-live="polite">{"".join(slots)}'
        f'<figcaption class="nnlab-caption">{html.escape(caption)}</figcaption></figure>'
        f'<script type="application/json" class="nnlab-states">{data}</script></div>'
    )


# ----------------------------------------------------------------------------- self-checks


def _check_data(expected: float, mistakes, rtol: float, retry: str = RETRY) -> dict:
    return {
        "retry": retry,
        "expected": float(expected),
        "correct": f"Correct: {float(expected):.6f}.",
        "rtol": float(rtol),
        "abs_tol": ABS_TOL,
        "mistakes": [[float(m.value), m.hint] for m in mistakes],
    }


def _data_attr(data: dict) -> str:
    return _attr(json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False))


def check_html(
    prompt: str, expected: float, mistakes: list[Mistake], rtol: float, retry: str = RETRY
) -> str:
    """A self-check form: prompt, labelled answer box, Check button, live feedback."""
    data = _check_data(expected, mistakes, rtol, retry)
    root = _dom_id("check", [prompt, data])
    return (
        f'<form class="nnlab-check" id="{root}" data-nnlab-check="{_data_attr(data)}">'
        f"<p><b>Check yourself.</b> {html.escape(prompt)}</p>"
        f'<label for="{root}-a">Answer:</label> '
        f'<input type="text" id="{root}-a" inputmode="decimal" autocomplete="off" '
        'placeholder="your answer"> <button type="submit">Check</button> '
        '<output class="nnlab-feedback" role="status" aria-live="polite"></output></form>'
    )


def table_check_html(prompt: str, rows: list[tuple[str, float, list[Mistake]]], title: str,
                     rtol: float) -> str:  # fmt: skip
    """A table check form: one labelled box per node, one mark per row, one Check button."""
    data = {"rows": [{"name": name, **_check_data(total, mistakes, rtol)}
                     for name, total, mistakes in rows]}  # fmt: skip
    root = _dom_id("table", [prompt, data])
    body = "".join(
        f'<div class="nnlab-row"><label for="{root}-{i}">{html.escape(name)}</label> '
        f'<input type="text" id="{root}-{i}" data-row="{i}" inputmode="decimal" '
        'autocomplete="off" placeholder="?"> '
        f'<output class="nnlab-feedback" data-row="{i}" role="status" aria-live="polite">'
        "</output></div>"
        for i, (name, _, _) in enumerate(rows)
    )
    return (
        f'<form class="nnlab-table-check" id="{root}" data-nnlab-table="{_data_attr(data)}" '
        f'aria-label="{_attr(title)}"><p><b>Check yourself.</b> {html.escape(prompt)}</p>'
        f'{body}<button type="submit">Check table</button></form>'
    )
