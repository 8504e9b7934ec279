"""Grading a typed answer: parsing, tolerance and mistake hints (no widgets, no plots).

The self-check boxes of `nnlab.widgets`, and any other front end, grade through `grade`,
so a typed answer gets the same verdict wherever it is typed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_RTOL = 1e-3
ABS_TOL = 1e-6  # the absolute floor, so an expected value of 0 can be hit
# What a wrong answer that matches no known mistake is told; a check may give its own advice.
RETRY = "Check each step of your computation and try again."
CHAIN_RULE_RETRY = "Recompute each factor of the chain rule and multiply again."


@dataclass(frozen=True)
class Mistake:
    """A common wrong answer: its value and the hint to give when a student hits it."""

    value: float
    hint: str


def parse_answer(answer) -> float | None:
    """A typed answer as a float: decimals, ``"1/4"``, the Unicode minus; None if unreadable."""
    if isinstance(answer, int | float):
        return float(answer)
    text = str(answer).strip().replace("\u2212", "-")
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            return float(num) / float(den)
        return float(text)
    except (ValueError, ZeroDivisionError):
        return None


def close(a: float, b: float, rtol: float = DEFAULT_RTOL) -> bool:
    """Whether two answers count as the same (relative ``rtol``, absolute floor 1e-6)."""
    return math.isclose(a, b, rel_tol=rtol, abs_tol=ABS_TOL)


def grade(
    answer,
    expected: float,
    mistakes: Sequence[Mistake] = (),
    rtol: float = DEFAULT_RTOL,
    retry: str = RETRY,
) -> tuple[bool, str]:
    """Grade a typed answer: ``(correct, feedback)``.

    Accepts numbers or strings like "-0.27" or "1/4". An answer within ``rtol``
    (relative, with an absolute floor of 1e-6) is correct; otherwise the first
    matching mistake's hint is returned, else ``retry`` (a check's own advice for a wrong
    answer that matches no known mistake).
    """
    value = parse_answer(answer)
    if value is None:
        return False, f"Could not read {answer!r} as a number (try a decimal such as -0.271)."
    if close(value, expected, rtol):
        return True, f"Correct: {expected:.6f}."
    for mistake in mistakes:
        if close(value, mistake.value, rtol):
            return False, f"Not quite. {mistake.hint}"
    return False, f"Not quite. {retry}"


def distinct_mistakes(
    expected: float, candidates: Sequence[tuple[float, str]], rtol: float = DEFAULT_RTOL
) -> list[Mistake]:
    """The ``(value, hint)`` candidates as Mistakes, leaving out any whose value `grade` could
    not tell from the answer or from an earlier mistake (its hint would never be shown)."""
    out: list[Mistake] = []
    seen = [float(expected)]
    for value, hint in candidates:
        if not any(close(float(value), s, rtol) for s in seen):
            out.append(Mistake(float(value), hint))
            seen.append(float(value))
    return out
