"""A problem set as files: ``problems.md``, ``solutions.md`` and ``problems.json``.

Text only (numpy-free, matplotlib-free): figures are referenced by file name, and the caller
(`nnlab.practice`) draws them. Everything is deterministic: fixed number formats, no dates,
keys in a fixed order, so the same seed gives byte-identical files on any machine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from .problem import Problem, num

__all__ = ["figure_name", "problems_markdown", "solutions_markdown", "problems_json"]


def figure_name(index: int, which: str) -> str:
    """The file (relative to the sheet) of problem ``index``'s statement or solution figure."""
    return f"figures/problem-{index + 1:02d}-{which}.svg"


def _alt(text: str) -> str:
    # Markdown image alt text ends at "]"; keep it one plain line.
    return " ".join(text.replace("[", "(").replace("]", ")").split())


def _heading(k: int, p: Problem) -> str:
    skills = ", ".join(str(s) for s in (p.skills or (p.skill,)))
    return f"## Problem {k + 1}: {p.title}\n\n*Checklist skill {skills}; seed {p.seed}.*"


def _image(path: str, alt: str) -> str:
    return f"![{_alt(alt)}]({path})"


def problems_markdown(
    problems: Sequence[Problem], title: str, figures: Mapping[str, str] | None = None
) -> str:
    """The problem sheet: each statement, its figure (if drawn) and the answers asked for."""
    figures = figures or {}
    parts = [f"# {title}\n", "Give each answer to 4 significant digits.\n"]
    for k, p in enumerate(problems):
        parts.append(_heading(k, p) + "\n")
        parts.append(p.statement + "\n")
        path = figures.get(figure_name(k, "statement"))
        if path:
            parts.append(_image(path, p.figure_alt) + "\n")
        asked = "\n".join(f"- `{name}`: {label}" for name, label in p.answer_labels.items())
        parts.append("**Answers to give:**\n\n" + asked + "\n")
    return "\n".join(parts)


def solutions_markdown(
    problems: Sequence[Problem], title: str, figures: Mapping[str, str] | None = None
) -> str:
    """The answer key: answers, worked solution and, for staff, the usual wrong answers."""
    figures = figures or {}
    parts = [f"# {title}: solutions\n"]
    for k, p in enumerate(problems):
        parts.append(_heading(k, p) + "\n")
        rows = "\n".join(
            f"| `{name}` | {p.answer_labels[name]} | {num(value)} |"
            for name, value in p.answers.items()
        )
        parts.append("| answer | what | value |\n|---|---|---|\n" + rows + "\n")
        parts.append(p.solution + "\n")
        path = figures.get(figure_name(k, "solution"))
        if path:
            parts.append(_image(path, p.solution_figure_alt) + "\n")
        wrong = [
            f"- `{name}` = {num(m.value)}: {m.hint}" for name, ms in p.mistakes.items() for m in ms
        ]
        if wrong:
            parts.append("**Common wrong answers** (for graders):\n\n" + "\n".join(wrong) + "\n")
    return "\n".join(parts)


def problems_json(problems: Sequence[Problem]) -> str:
    """``problems.json``: a list of objects with ``skill``, ``seed``, ``params``, ``answers``
    (flat objects of named numbers) and the rest of each problem."""
    return json.dumps([p.to_json() for p in problems], indent=1, ensure_ascii=False) + "\n"
