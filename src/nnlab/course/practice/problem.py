"""What every practice generator returns, and the helpers they share (numpy only).

A `Problem` is plain data: Markdown text, flat dicts of named numbers, the usual wrong
answers and, where the skill is visual, a figure *spec* (a JSON-able dict) that
`nnlab.practice.draw_figure` turns into a drawing with `nnlab.plots`. Every generator is a
pure function of its seed: it draws from ``numpy.random.default_rng(seed)`` (PCG64, the
same stream on every machine) and redraws until the numbers are clean for hand computation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ...engine.errors import NnlabValueError
from ..grading import DEFAULT_RTOL, Mistake, close

__all__ = ["Problem", "check_seed", "num", "param", "mistakes_for_answers", "draw_until"]

MAX_DRAWS = 10_000  # a generator that needs more draws than this has impossible constraints


@dataclass(frozen=True)
class Problem:
    """One generated practice problem.

    ``skill`` is the handout checklist number (``skills`` all the numbers it practises);
    ``kind`` names the generator; ``params`` and ``answers`` are flat dicts of named numbers
    (``answer_labels`` says in words what each answer is); ``mistakes`` maps an answer's name
    to its usual wrong values with hints, each farther than the grading tolerance from the
    answer and from the others. ``figure`` is drawn under the statement, ``solution_figure``
    under the worked solution (both JSON-able specs, or None).
    """

    skill: int
    kind: str
    seed: int
    title: str
    statement: str
    params: dict[str, float]
    answers: dict[str, float]
    answer_labels: dict[str, str]
    solution: str
    mistakes: dict[str, tuple[Mistake, ...]]
    skills: tuple[int, ...] = ()
    figure: dict | None = None
    solution_figure: dict | None = None
    figure_alt: str = ""
    solution_figure_alt: str = ""
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """The problem as JSON-able data (numbers rounded to 10 significant digits, so the
        file is the same on machines whose last floating-point bit differs)."""
        return {
            "skill": self.skill,
            "skills": list(self.skills or (self.skill,)),
            "kind": self.kind,
            "seed": self.seed,
            "title": self.title,
            "params": {k: _stable(v) for k, v in self.params.items()},
            "answers": {k: _stable(v) for k, v in self.answers.items()},
            "answer_labels": dict(self.answer_labels),
            "mistakes": {
                k: [{"value": _stable(m.value), "hint": m.hint} for m in ms]
                for k, ms in self.mistakes.items()
            },
            "statement": self.statement,
            "solution": self.solution,
            "figure": self.figure,
            "solution_figure": self.solution_figure,
        }


def _stable(x: float) -> float | int:
    x = float(x)
    if x == int(x) and abs(x) < 2**53:
        return int(x)
    return float(f"{x:.10g}")


def check_seed(seed, where: str) -> int:
    """``seed`` as a non-negative int, or an error naming ``where``."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise NnlabValueError(f"{where}: seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def num(x: float, digits: int = 4) -> str:
    """A result for the worked solution: integers as integers, exact short decimals as they
    are (``0.5``), otherwise ``digits`` decimals (more for small numbers, so that four
    significant digits show); never ``-0``."""
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)) + 0)
    small = abs(x) < 0.1
    d = digits if not small else min(10, digits - 1 - math.floor(math.log10(abs(x))))
    text = f"{round(x, d) + 0.0:.{d}f}"
    if float(text) == 0:
        return "0"
    # trailing zeros only where the number is exact at fewer decimals (0.5, not 0.5000)
    return text.rstrip("0").rstrip(".") if abs(float(text) - x) < 1e-12 else text


def param(x: float) -> str:
    """A given number (weights, inputs): as short as it is exact, e.g. ``2``, ``-0.5``."""
    x = round(float(x), 6) + 0.0
    if x == int(x):
        return str(int(x))
    return f"{x:.6f}".rstrip("0")


def mistakes_for_answers(
    answers: Mapping[str, float],
    candidates: Mapping[str, Sequence[tuple[float, str]]],
    rtol: float = DEFAULT_RTOL,
) -> dict[str, tuple[Mistake, ...]]:
    """Each answer's candidates as Mistakes, keeping those `grade` can tell apart: farther than
    ``rtol`` from the answer and from every earlier kept mistake; non-finite values dropped."""
    out = {}
    for name, expected in answers.items():
        kept: list[Mistake] = []
        seen = [float(expected)]
        for value, hint in candidates.get(name, ()):
            value = float(value)
            if math.isfinite(value) and not any(close(value, s, rtol) for s in seen):
                kept.append(Mistake(value, hint))
                seen.append(value)
        out[name] = tuple(kept)
    return out


def draw_until(draw: Callable[[np.random.Generator], object | None], seed: int, where: str):
    """Call ``draw(rng)`` until it returns something other than None (a clean draw)."""
    rng = np.random.default_rng(seed)
    for _ in range(MAX_DRAWS):
        result = draw(rng)
        if result is not None:
            return result
    raise NnlabValueError(f"{where}: no clean problem after {MAX_DRAWS} draws from seed {seed}")


def every_answer_has_a_mistake(mistakes: Mapping[str, Sequence[Mistake]]) -> bool:
    """Whether each answer has at least one hint-bearing wrong value (else redraw)."""
    return all(len(ms) > 0 for ms in mistakes.values())


def choice(rng: np.random.Generator, values: Sequence):
    """One of ``values``, drawn from ``rng`` (an index, so the values keep their types)."""
    return values[int(rng.integers(len(values)))]


def affine_text(terms: Sequence[tuple[float, str]], constant: float | None = None) -> str:
    """``2 x_1 - 0.5 x_2 + 1`` from ``[(2, "x_1"), (-0.5, "x_2")]`` and ``1`` (maths text):
    signs folded in, unit coefficients dropped, zero terms left out."""
    parts: list[tuple[str, str]] = []
    for coef, symbol in terms:
        if coef == 0:
            continue
        size = "" if abs(coef) == 1 else param(abs(coef)) + ("\\," if symbol[0] == "\\" else " ")
        parts.append(("-" if coef < 0 else "+", size + symbol))
    if constant:
        parts.append(("-" if constant < 0 else "+", param(abs(constant))))
    if not parts:
        return "0"
    text = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    return text + "".join(f" {sign} {body}" for sign, body in parts[1:])
