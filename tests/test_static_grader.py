"""The browser's grader (_ext/static/nnlab/grader.js) against the Python one, case by case.

node runs the JavaScript file (it exports its functions under CommonJS) over one table of
answers; every verdict and every message must equal `nnlab.course.grading.grade`'s, and
every table row `TableCheck.grade_row`'s.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from browser import require_tool

from nnlab.course.grading import ABS_TOL, DEFAULT_RTOL, Mistake, grade
from nnlab.course.modes import olah_graph
from nnlab.widgets import static
from nnlab.widgets.autodiff import EMPTY_ROW, TableCheck

GRADER = Path(__file__).resolve().parents[1] / "_ext" / "static" / "nnlab" / "grader.js"

ANSWERS = [
    "0.25", "1/4", " 1 / 4 ", "0.2502", "0.2499", "0.26", "\u22120.25", "-0.25", "+0.25", ".25",
    "25e-2", "2.5E-1", "0.25.", "1_000", "1__0", "_1", "1/0", "0/0", "1/-0", "1/2/3", "inf",
    "-Infinity", "nan", "inf/inf", "abc", "", "   ", "0x10", "1,5", "one", "it's", 'say "x"',
    "tab\there", "a\\b", "\u00a0", "0.25\u00a0", "\u200b1", "1e400", "-1e-7", "0", "-0",
    "0.0000001", "3/12", "\u22121/4", "0.75", "-0.5", "0.5", "1/8", "5.", "5.e-1", "e5", "1e",
    "\x1c0.25", "\ufeff0.25", "0.25\u3000",
]  # fmt: skip
CHECKS = [
    dict(expected=0.25, mistakes=[Mistake(-0.25, "Check the sign."), Mistake(0.75, "1 - p?")]),
    dict(expected=0.0, mistakes=[Mistake(0.5, "Half of it."), Mistake(1e-7, "tiny")]),
    dict(expected=-0.5, mistakes=[Mistake(0.125, "an eighth")], rtol=0.05),
]


def _node(script: str, payload) -> list:
    node = shutil.which("nodejs") or require_tool("node", "`sudo apt-get install nodejs`")
    program = (
        f"const g = require({json.dumps(str(GRADER))});\n"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n" + script
    )
    done = subprocess.run([node, "-e", program], input=json.dumps(payload),
                          capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(done.stdout)


def _data(check: dict) -> dict:
    return static._check_data(check["expected"], check["mistakes"],
                              check.get("rtol", DEFAULT_RTOL))  # fmt: skip


def test_the_javascript_grader_gives_grades_verdicts_and_messages():
    cases = [(a, i) for i in range(len(CHECKS)) for a in ANSWERS]
    # the typical mistakes' own values, as a student would type them
    cases += [(repr(m.value), i) for i, c in enumerate(CHECKS) for m in c["mistakes"]]
    data = [_data(c) for c in CHECKS]
    got = _node(
        "console.log(JSON.stringify(input.cases.map(([a, i]) => g.grade(a, input.data[i]))));",
        {"cases": cases, "data": data},
    )
    expected = [
        list(grade(a, CHECKS[i]["expected"], CHECKS[i]["mistakes"],
                   CHECKS[i].get("rtol", DEFAULT_RTOL)))
        for a, i in cases
    ]  # fmt: skip
    mismatches = [(c, g, e) for c, g, e in zip(cases, got, expected, strict=True) if g != e]
    assert not mismatches, mismatches[:5]
    assert len({msg for _, msg in expected}) > 8  # the table reaches many different messages


def test_the_javascript_table_rows_match_the_table_check():
    check = TableCheck(olah_graph(1.0, -2.0), "adjoint")
    rows = [{"name": n, **static._check_data(check.totals[n], check.mistakes[n], DEFAULT_RTOL)}
            for n in check.order]  # fmt: skip
    answers = ["", "  ", "abc", *ANSWERS[:10]]
    answers += [repr(m.value) for n in check.order for m in check.mistakes[n]]
    answers += [repr(check.totals[n]) for n in check.order]
    cases = [(a, i) for i in range(len(rows)) for a in answers]
    got = _node(
        "console.log(JSON.stringify(input.cases.map(([a, i]) => g.gradeRow(a, input.rows[i]))));",
        {"cases": cases, "rows": rows},
    )
    expected = [list(check.grade_row(check.order[i], a)) for a, i in cases]
    assert got == expected
    assert [False, EMPTY_ROW] in got and any(ok for ok, _ in got)
    assert all(" Or: " not in message for _, message in got)  # one hint per row


def test_check_data_carries_the_python_tolerances():
    data = _data(CHECKS[2])
    assert data["rtol"] == 0.05 and data["abs_tol"] == ABS_TOL
    assert data["correct"] == grade("-0.5", -0.5)[1]


def test_the_javascript_grades_practice_banks_as_the_widget_does():
    """Every answer of the first problems of each practice bank: the key's value as printed,
    the exact value, each usual mistake, an empty box and unreadable text, through
    ``gradeProblem`` (the bank's form) against `grade_answer` (the JupyterLab widget)."""
    from nnlab.course.practice import GENERATORS
    from nnlab.course.practice.problem import num
    from nnlab.widgets import practice

    problems = [p for s in sorted(set(GENERATORS) - {6}) for p in practice.bank_problems(s, 3)]
    forms, cases = [], []
    for k, problem in enumerate(problems):
        forms.append(practice._answers_data(problem))
        for name, value in problem.answers.items():
            typed = [num(value), repr(value), "", " ", "x", "1/0", repr(value * 2 + 1)]
            typed += [repr(m.value) for m in problem.mistakes[name]]
            cases += [(k, name, t) for t in typed]
    # one submit per case: the answer in its box, the other boxes empty
    payload = {"forms": forms, "cases": cases}
    got = _node(
        "console.log(JSON.stringify(input.cases.map(([k, name, typed]) => {"
        " const form = input.forms[k];"
        " const answers = form.map(row => row.name === name ? typed : '');"
        " return g.gradeProblem(answers, form)[form.findIndex(row => row.name === name)]; })));",
        payload,
    )
    expected = [
        list(practice.grade_answer(t, problems[k].answers[n], problems[k].mistakes[n]))
        for k, n, t in cases
    ]
    mismatches = [(c, g, e) for c, g, e in zip(cases, got, expected, strict=True) if g != e]
    assert not mismatches, mismatches[:5]
    right = [g for (k, n, t), g in zip(cases, got, strict=True)
             if t == num(problems[k].answers[n])]  # fmt: skip
    assert right and all(ok for ok, _ in right)  # the printed key is graded right
    assert sum(msg.startswith("Not quite. ") and "Recompute" not in msg for _, msg in got) > 50
