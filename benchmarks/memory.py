"""Peak memory of one derivative pass against network depth, reverse mode and forward mode.

For each depth L, two scalar functions of a batch x (``batch`` rows of ``width`` numbers):

  chain   mean(tanh(... tanh(x @ A_1) ... @ A_L)) as one loop that keeps only the current layer
          (`nnlab.course.costs.tanh_chain`)
  MLP     mean(net.logits(x)) for ``nnlab.MLP([width] * (L + 1), activation="tanh")``, whose
          logits walk MLP.layer_outputs one layer at a time

and for each, the peak bytes that Python's tracemalloc sees during one gradient (reverse mode:
`nnlab.vjp` and its pullback, as `nnlab.grad` does) and one JVP (forward mode: `nnlab.jvp`
along a direction of ones), less what was allocated before the pass (`costs.peak_bytes`). The
counts `costs.mode_memory` reports for the chain (numbers stored by the graph, most values and
tangents alive at once) are printed alongside: they do not depend on the machine.

    python benchmarks/memory.py [--width 256] [--batch 256] [--depths 1,2,4,8,16,32,64]

See benchmarks/README.md for the results.
"""

from __future__ import annotations

import argparse
import platform
import sys

import numpy as np

import nnlab
from nnlab.course import costs

MIB = 2**20


def chain_loss(width: int, depth: int, batch: int):
    f, x = costs.tanh_chain(width, depth, batch=batch, seed=0)
    return (lambda v: nnlab.mean(f(v))), x


def mlp_loss(width: int, depth: int, batch: int):
    net = nnlab.MLP([width] * (depth + 1), activation="tanh", seed=0)
    x = np.random.default_rng(0).standard_normal((batch, width))
    return (lambda v: nnlab.mean(net.logits(v))), x


def measure(width: int, batch: int, depths: list[int]) -> list[dict]:
    rows = []
    for depth in depths:
        row = {"depth": depth}
        for name, make in (("chain", chain_loss), ("mlp", mlp_loss)):
            f, x = make(width, depth, batch)
            for mode in costs.MODES:
                row[f"{name} {mode}"] = costs.peak_bytes(f, x, mode) / MIB
        counts = costs.mode_memory(*costs.tanh_chain(width, depth, batch=batch, seed=0))
        row["chain stored"], row["chain alive"] = counts.reverse, counts.forward
        rows.append(row)
    return rows


def format_table(rows: list[dict]) -> str:
    lines = [
        "| depth | chain reverse MiB | chain forward MiB | MLP reverse MiB | MLP forward MiB "
        "| chain: numbers stored (reverse) | chain: most alive at once (forward) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['depth']} | {r['chain reverse']:.1f} | {r['chain forward']:.1f} "
            f"| {r['mlp reverse']:.1f} | {r['mlp forward']:.1f} "
            f"| {r['chain stored']:,} | {r['chain alive']:,} |"
        )
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--width", type=int, default=256, help="units per layer")
    parser.add_argument("--batch", type=int, default=256, help="rows of x")
    parser.add_argument("--depths", default="1,2,4,8,16,32,64", help="comma-separated depths")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    depths = [int(d) for d in args.depths.split(",")]
    print("# nnlab memory benchmark: peak tracemalloc bytes of one gradient / one JVP")
    print(f"command: python benchmarks/memory.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"- python {platform.python_version()}, numpy {np.__version__}")
    print(f"- width {args.width}, batch {args.batch}: one layer's values are "
          f"{args.width * args.batch * 8 / MIB:.2f} MiB")  # fmt: skip
    print(format_table(measure(args.width, args.batch, depths)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
