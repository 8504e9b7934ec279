"""Explorer benchmark: time from a control change to the new outputs, per explorer of the book.

For every explorer the chapters show (built by its factory with the chapter's arguments), the
script applies a fixed, seeded sequence of control changes (each changes one control, in turn,
to a random other value of its grid) and times, for each change:

- **render**: the explorer's own ``render(**values)``, the function a moved control calls;
- **encode**: turning each output into the MIME bundle the notebook front end receives, with the
  display formatter of an IPython shell set up as in a chapter (``import nnlab.plots`` registers
  matplotlib_inline's figure formatter), i.e. what ``display`` / ``handle.update`` sends.

Each change is timed on two paths, side by side: **before**, the render as the factory wires
it (new figures, encoded by the inline formatter), and **live**, the same render wrapped in
`nnlab.plots.live.live_render` (figures kept and redrawn, PNG snapshots). Changes are applied
one explorer at a time (a student moves one explorer's controls, and the two paths would
evict each other's text caches if interleaved change by change), in blocks before, live,
live, before over the two halves of the sequence, so slow drifts hit both paths alike. It
prints a table (median and p90 of render, encode and their sum in ms, and the payload size)
and, with ``--markdown``, the same table as Markdown rows for benchmarks/README.md. It is a
script, not a test.

    python benchmarks/explorers.py                 # 30 changes per explorer (~1 min)
    python benchmarks/explorers.py --changes 10    # quicker
    python benchmarks/explorers.py --only training,xor
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _shell():
    """An IPython shell whose display formatter is the one a chapter's kernel uses."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    import nnlab.plots  # noqa: F401  (registers the figure formatter, as in a chapter)

    return shell


# ----------------------------------------------------------------------------- the explorers


def build_explorers() -> dict:
    """Every explorer of the book, with the arguments its chapter passes (grep `_explorer(`)."""
    import nnlab
    from nnlab.widgets import autodiff, backprop, forward, interpret, training, xor

    w = dict(w11=1.0, w12=-1.0, w21=0.5, w22=2.0, v0=-0.5, v1=1.5, v2=-1.0)  # chapter 2
    vals = dict(w11=1.0, w12=-0.5, w21=0.5, w22=1.0, v0=-0.5, v1=1.5, v2=-1.0, x1=1.0, x2=2.0,
                y=1)  # chapter 8  # fmt: skip
    X_m, y_m = nnlab.data.moons(200, noise=0.15, seed=0)  # chapter 14
    moons_net = nnlab.train_classifier(
        nnlab.MLP([2, 16, 1], "tanh", output="sigmoid", seed=0), X_m, y_m, steps=1500
    )
    return {
        "02 forward": lambda: forward.forward_explorer(**w, x1=1.0, x2=-0.5),
        "04 xor": lambda: xor.xor_explorer(),
        "08 chain": lambda: backprop.chain_explorer(w1=0.5, v1=-2.0, x=3.0),
        "08 gradient": lambda: backprop.gradient_explorer(**vals),
        "09 olah": lambda: autodiff.olah_explorer(a=2.0, b=1.0, seed="b"),
        "12 training": lambda: training.training_explorer(
            problem="ravine", optimizer="gd", lr=0.05, steps=60, schedule="constant"
        ),
        "14 attribution": lambda: interpret.attribution_explorer(
            moons_net, X_m, y_m, x0=(0.5, 0.25)
        ),
    }


def control_grid(control) -> list:
    """The values a student can give this control: a slider's steps, a dropdown's options."""
    if hasattr(control, "options") and control.options:
        options = control.options
        return [o[1] if isinstance(o, tuple) else o for o in options]
    if hasattr(control, "base"):  # FloatLogSlider: the exponent moves in steps
        n = int(round((control.max - control.min) / control.step))
        return [float(control.base ** (control.min + k * control.step)) for k in range(n + 1)]
    n = int(round((control.max - control.min) / control.step))
    kind = int if isinstance(control.value, int) else float
    return [kind(round(control.min + k * control.step, 10)) for k in range(n + 1)]


def change_sequence(explorer, n: int, seed: int) -> list[dict]:
    """``n`` full value sets: each changes one control (round-robin) to a random other value."""
    rng = np.random.default_rng(seed)
    names = list(explorer.controls)
    grids = {name: control_grid(explorer.controls[name]) for name in names}
    values = dict(explorer.values)
    sequence = []
    for k in range(n):
        name = names[k % len(names)]
        choices = [v for v in grids[name] if v != values[name]] or grids[name]
        values = {**values, name: choices[int(rng.integers(len(choices)))]}
        sequence.append(values)
    return sequence


# ----------------------------------------------------------------------------- timing


def encode(shell, outputs) -> int:
    """Format every output as ``display`` would; returns the bundle's size in bytes."""
    from matplotlib.figure import Figure

    from nnlab.widgets.core import displayable

    size = 0
    for output in outputs:
        bundle, _ = shell.display_formatter.format(displayable(output))
        if isinstance(output, Figure) and "image/png" not in bundle:
            raise SystemExit("encode: no PNG formatter for figures (import nnlab.plots first)")
        size += sum(len(v) for v in bundle.values() if isinstance(v, (str, bytes)))
    return size


def time_change(shell, render, values) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    outputs = list(render(**values))
    t1 = time.perf_counter()
    size = encode(shell, outputs)
    t2 = time.perf_counter()
    return (t1 - t0) * 1e3, (t2 - t1) * 1e3, size


def variants(explorer) -> dict:
    """The explorer's render as it was (each call builds new figures, shown through the inline
    formatter) and through `nnlab.plots.live.live_render` (kept figures, PNG snapshots)."""
    from nnlab.plots.live import live_render

    plain = getattr(explorer.render, "__wrapped__", explorer.render)
    return {"before": plain, "live": live_render(plain)}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import matplotlib

    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "src"],
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += " + uncommitted src changes" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return (f"{cpu}, nproc {os.cpu_count()}, Python {platform.python_version()}, "
            f"matplotlib {matplotlib.__version__}, numpy {np.__version__}, nnlab at {commit}, "
            f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=30, help="control changes per explorer")
    parser.add_argument("--warmup", type=int, default=2, help="untimed changes per explorer")
    parser.add_argument("--only", default="", help="comma-separated name fragments")
    parser.add_argument("--markdown", action="store_true", help="also print Markdown rows")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "src"))
    shell = _shell()
    print(machine())
    factories = build_explorers()
    if args.only:
        wanted = [s.strip() for s in args.only.split(",") if s.strip()]
        factories = {k: f for k, f in factories.items() if any(w in k for w in wanted)}
    explorers = {name: make() for name, make in factories.items()}
    sequences = {
        name: change_sequence(ex, args.warmup + args.changes, seed=k)
        for k, (name, ex) in enumerate(explorers.items())
    }
    renders = {name: variants(ex) for name, ex in explorers.items()}
    results = {(name, kind): [] for name in explorers for kind in ("before", "live")}
    half = args.changes // 2
    for name in explorers:  # one explorer at a time, as a student moves one explorer's controls
        seq = sequences[name][args.warmup:]
        blocks = [("before", seq[:half]), ("live", seq[:half]), ("live", seq[half:]),
                  ("before", seq[half:])]  # ABBA: drift hits both paths alike  # fmt: skip
        for kind in ("before", "live"):
            for values in sequences[name][: args.warmup]:
                time_change(shell, renders[name][kind], values)
        for kind, values_list in blocks:
            for values in values_list:
                results[name, kind].append(time_change(shell, renders[name][kind], values))
                gc.collect()  # old figures are freed between changes, not inside a timed one

    head = (f"{'explorer':16s} {'path':6s} {'render med':>10s} {'p90':>7s} {'encode med':>10s}"
            f" {'p90':>7s} {'total med':>9s} {'p90':>7s} {'kB':>6s}")  # fmt: skip
    print(f"\n{args.changes} changes per explorer, ms\n{head}")
    rows = []
    for (name, kind), samples in results.items():
        a = np.array(samples)
        render, enc, total = a[:, 0], a[:, 1], a[:, 0] + a[:, 1]
        stats = [np.median(render), np.percentile(render, 90), np.median(enc),
                 np.percentile(enc, 90), np.median(total), np.percentile(total, 90)]  # fmt: skip
        kb = np.median(a[:, 2]) / 1e3
        cells = " ".join(f"{v:{w}.1f}" for v, w in zip(stats, [10, 7, 10, 7, 9, 7], strict=True))
        print(f"{name:16s} {kind:6s} {cells} {kb:6.0f}")
        rows.append((name, kind, stats, kb))
    if args.markdown:
        print("\n| explorer | path | render median | p90 | encode median | p90 | **total median** "
              "| p90 | payload kB |\n| --- | --- |" + " ---: |" * 7)
        for name, kind, v, kb in rows:
            print(f"| {name} | {kind} | {v[0]:.0f} | {v[1]:.0f} | {v[2]:.0f} | {v[3]:.0f} "
                  f"| **{v[4]:.0f}** | {v[5]:.0f} | {kb:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
