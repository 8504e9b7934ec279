"""Skill 10: how many passes each mode needs for the Jacobian of f: R^n -> R^m, and which
mode to choose.

Forward mode gives one column of the Jacobian per pass (n passes), reverse mode one row
(m passes). The counts come from `course.costs.passes_from_shapes`, the rule the engine's
`jacobian` follows (tests check it against `jacobian(..., mode=...).passes`).
"""

from __future__ import annotations

import numpy as np

from ..costs import passes_from_shapes
from .problem import (
    Problem,
    check_seed,
    choice,
    draw_until,
    every_answer_has_a_mistake,
    mistakes_for_answers,
)

# (description, n, m); None draws the size at random. Sizes are from the handout's examples
# (784 -> 10, Olah's 2 -> 1) and the usual network shapes.
SETTINGS = (
    ("an image classifier from {n} pixels to {m} class scores", (784, 3072, 1024), (10, 2, 100)),
    ("the training loss of a network with {n} parameters (the output is one number)",
     (50, 1000, 25_000), (1,)),
    ("a decoder from a {n}-dimensional code to a {m}-pixel image", (2, 8, 16, 32), (64, 784)),
    ("a small function of {n} inputs with {m} outputs", (2, 3, 4, 5, 6), (1, 2, 3, 4, 5, 6)),
    ("a simulator from {n} control settings to {m} sensor readings", (3, 5, 10), (20, 50, 200)),
)  # fmt: skip


def _draw(rng: np.random.Generator, seed: int) -> Problem | None:
    text, ns, ms = SETTINGS[int(rng.integers(len(SETTINGS)))]
    n, m = int(choice(rng, ns)), int(choice(rng, ms))
    if n == m:
        return None  # a tie has no answer to "which mode"
    counts = passes_from_shapes(n, m)
    answers = {
        "forward_passes": float(counts["forward"]),
        "reverse_passes": float(counts["reverse"]),
        "reverse_cheaper": 1.0 if counts["cheaper"] == "reverse" else 0.0,
    }
    swap = "Forward mode seeds one input per pass (one column of the Jacobian): n passes; "
    swap_r = "Reverse mode seeds one output per pass (one row of the Jacobian): m passes; "
    cand = {
        "forward_passes": [
            (m, swap + "you gave the number of outputs."),
            (n * m, "One pass gives a whole column of the Jacobian, not a single entry."),
            (1.0, "One forward pass gives the derivatives with respect to one input only."),
        ],
        "reverse_passes": [
            (n, swap_r + "you gave the number of inputs."),
            (n * m, "One pass gives a whole row of the Jacobian, not a single entry."),
        ],
        "reverse_cheaper": [
            (1.0 - answers["reverse_cheaper"],
             "Compare the pass counts: forward needs n (inputs), reverse needs m (outputs); "
             "choose the smaller."),
        ],
    }  # fmt: skip
    mistakes = mistakes_for_answers(answers, cand)
    if not every_answer_has_a_mistake(mistakes):
        return None
    what = text.format(n=n, m=m)
    return Problem(
        skill=10,
        kind="pass_counts",
        seed=seed,
        title="Forward or reverse mode?",
        statement=(
            f"Let $f: \\mathbb{{R}}^{{{n}}} \\to \\mathbb{{R}}^{{{m}}}$ be {what}. You want "
            "the full Jacobian of $f$ by automatic differentiation.\n\n"
            "1. How many forward-mode passes does it take?\n"
            "2. How many reverse-mode passes?\n"
            "3. Which mode is cheaper? Answer 1 for reverse mode, 0 for forward mode."
        ),
        params={"n": float(n), "m": float(m)},
        answers=answers,
        answer_labels={
            "forward_passes": "forward-mode passes",
            "reverse_passes": "reverse-mode passes",
            "reverse_cheaper": "1 if reverse mode is cheaper, 0 if forward mode is",
        },
        solution=(
            f"A forward pass seeds one input and yields one column "
            f"$\\partial f/\\partial x_i$ of the ${m} \\times {n}$ Jacobian, so forward mode "
            f"needs $n = {n}$ passes. A reverse pass seeds one output and yields one row "
            f"$\\nabla f_j$, so reverse mode needs $m = {m}$ passes. "
            + (
                f"Since $m = {m} < n = {n}$, **reverse mode** is cheaper"
                if m < n
                else f"Since $n = {n} < m = {m}$, **forward mode** is cheaper"
            )
            + " (each pass costs a small constant times one evaluation of $f$)."
            + (
                " Training is this case: a scalar loss of many parameters, which is why "
                "backpropagation is reverse mode."
                if m == 1
                else ""
            )
        ),
        mistakes=mistakes,
        skills=(10,),
    )


def pass_counts_problem(seed: int) -> Problem:
    """Pass counts for the Jacobian of f: R^n -> R^m, drawn from ``seed``: answers
    ``forward_passes``, ``reverse_passes`` and ``reverse_cheaper`` (1 or 0)."""
    seed = check_seed(seed, "pass_counts_problem")
    return draw_until(lambda rng: _draw(rng, seed), seed, "pass_counts_problem")
