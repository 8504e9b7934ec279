"""Practice without end: seeded hand-computation problems with answer keys (numpy only).

One generator per skill of the handout's checklist, each a pure function of a seed that
returns a `Problem` (statement, params, answers, worked solution, common mistakes, figure
spec). `generate(skill, seed)` picks the generator by checklist number; `problem_set`
draws a sheet; `sheet` renders it as Markdown and JSON. The staff command line is
``python -m nnlab.practice`` (`nnlab.practice`), which also draws the figures.

=====  ==========================================  ===============================
skill  generator                                   answers
=====  ==========================================  ===============================
1, 6   `parameter_counts_problem`                  depth, width, n_weights, ...
2      `forward_pass_problem`                      h1, h2[, h3], yhat
4      `xor_weights_problem`                       x{k}_h{j}, n_correct, classifies
7      `permutation_midpoint_problem`              loss_theta, loss_perm, loss_mid, gap
8      `backprop_problem`                          yhat, dL_dw11 ... dL_dv2
9      `autodiff_tables_problem`                   tan_<node>, adj_<node>
10     `pass_counts_problem`                       forward/reverse_passes, reverse_cheaper
12     `quadratic_descent_problem`                 eta_max, w_k, loss_k, stable
=====  ==========================================  ===============================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ...engine.errors import NnlabValueError
from .autodiff_tables import autodiff_tables_problem, build_graph
from .backprop import backprop_problem
from .forward_pass import forward_pass_problem
from .parameter_counts import parameter_counts_problem
from .pass_counts import pass_counts_problem
from .permutation_midpoint import permutation_midpoint_problem
from .problem import Problem, check_seed
from .quadratic_descent import quadratic_descent_problem
from .xor_weights import xor_weights_problem

__all__ = [
    "GENERATORS",
    "Problem",
    "SKILLS",
    "autodiff_tables_problem",
    "backprop_problem",
    "build_graph",
    "forward_pass_problem",
    "generate",
    "parameter_counts_problem",
    "pass_counts_problem",
    "permutation_midpoint_problem",
    "problem_seed",
    "problem_set",
    "parse_skills",
    "quadratic_descent_problem",
    "xor_weights_problem",
]

# Checklist number -> generator. Skills 1 and 6 share the architecture problem.
GENERATORS: dict[int, Callable[[int], Problem]] = {
    1: parameter_counts_problem,
    2: forward_pass_problem,
    4: xor_weights_problem,
    6: parameter_counts_problem,
    7: permutation_midpoint_problem,
    8: backprop_problem,
    9: autodiff_tables_problem,
    10: pass_counts_problem,
    12: quadratic_descent_problem,
}
SKILLS = tuple(sorted(GENERATORS))


def _check_skill(skill, where: str) -> int:
    if (
        isinstance(skill, bool)
        or not isinstance(skill, int | np.integer)
        or skill not in GENERATORS
    ):
        raise NnlabValueError(
            f"{where}: no practice generator for skill {skill!r}; skills with one: "
            f"{', '.join(map(str, SKILLS))}"
        )
    return int(skill)


def generate(skill: int, seed: int) -> Problem:
    """The problem for checklist ``skill`` drawn from ``seed`` (the same on every machine)."""
    skill = _check_skill(skill, "generate")
    return GENERATORS[skill](check_seed(seed, "generate"))


def problem_seed(base: int, skill: int, index: int) -> int:
    """The seed of problem ``index`` of ``skill`` on a sheet with seed ``base``: independent
    streams per (base, skill, index) from numpy's SeedSequence (platform independent)."""
    base = check_seed(base, "problem_seed")
    state = np.random.SeedSequence([base, int(skill), int(index)]).generate_state(1)
    return int(state[0])


def parse_skills(skills, where: str = "parse_skills") -> list[int]:
    """``"2,8,9"`` or ``[2, 8, 9]`` as a list of checklist numbers with generators; a skill
    repeated (or 1 next to 6, which share a generator) is kept once."""
    if isinstance(skills, str):
        parts = [s.strip() for s in skills.split(",") if s.strip()]
        try:
            skills = [int(s) for s in parts]
        except ValueError:
            raise NnlabValueError(
                f"{where}: skills must be comma-separated checklist numbers like '2,8,9', "
                f"got {','.join(parts)!r}"
            ) from None
    out: list[int] = []
    for s in skills:
        s = _check_skill(s, where)
        if all(GENERATORS[s] is not GENERATORS[t] for t in out):
            out.append(s)
    if not out:
        raise NnlabValueError(
            f"{where}: no skills given; choose from {', '.join(map(str, SKILLS))}"
        )
    return out


def problem_set(skills: Iterable[int] | str, count: int, seed: int) -> list[Problem]:
    """``count`` problems of each skill, skill by skill, each with its own derived seed."""
    skills = parse_skills(skills, "problem_set")
    if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 1:
        raise NnlabValueError(f"problem_set: count must be a positive integer, got {count!r}")
    seed = check_seed(seed, "problem_set")
    return [GENERATORS[s](problem_seed(seed, s, i)) for s in skills for i in range(int(count))]
