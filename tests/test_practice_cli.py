"""The staff command line, python -m nnlab.practice: files, schema, byte-identical reruns."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nnlab import practice as cli
from nnlab.course import practice
from nnlab.engine.errors import NnlabValueError

BACKPROP_PARAMS = ["w11", "w12", "w21", "w22", "v0", "v1", "v2", "x1", "x2", "y"]
BACKPROP_ANSWERS = ["yhat", "dL_dw11", "dL_dw12", "dL_dw21", "dL_dw22", "dL_dv0", "dL_dv1",
                    "dL_dv2"]  # fmt: skip


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    out = tmp_path_factory.mktemp("sheet")
    cli.main(["--skills", "2,8,9,12", "--count", "1", "--seed", "2027", "--out", str(out)])
    return out


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}  # fmt: skip


def test_the_cli_writes_the_sheet_and_its_figures(sheet):
    files = _files(sheet)
    assert {"problems.md", "solutions.md", "problems.json"} <= set(files)
    figures = [name for name in files if name.startswith("figures/")]
    assert figures and all(name.endswith(".svg") for name in figures)
    problems_md = files["problems.md"].decode()
    solutions_md = files["solutions.md"].decode()
    for name in figures:  # every figure is referenced, with alt text
        where = problems_md if "statement" in name else solutions_md
        assert f"]({name})" in where and f"![]({name})" not in where
    assert problems_md.count("## Problem ") == 4
    assert "Common wrong answers" in solutions_md and "Common wrong answers" not in problems_md


def test_problems_json_has_the_schema(sheet):
    records = json.loads((sheet / "problems.json").read_text())
    assert isinstance(records, list) and len(records) == 4
    assert [r["skill"] for r in records] == [2, 8, 9, 12]
    for r in records:
        assert {"skill", "seed", "params", "answers"} <= set(r)
        for table in (r["params"], r["answers"]):
            assert all(isinstance(k, str) and isinstance(v, int | float) for k, v in table.items())
        # each record regenerates from its own seed, with the same numbers
        again = practice.generate(r["skill"], r["seed"])
        for name, value in again.answers.items():
            assert r["answers"][name] == pytest.approx(value, rel=1e-9, abs=1e-12)
        for m_name, ms in r["mistakes"].items():
            assert [m["hint"] for m in ms] == [m.hint for m in again.mistakes[m_name]]
    back = [r for r in records if r["skill"] == 8]
    for r in back:
        assert list(r["params"]) == BACKPROP_PARAMS
        assert list(r["answers"]) == BACKPROP_ANSWERS
    for r in (r for r in records if r["skill"] == 12):
        assert list(r["params"]) == ["a", "w0", "eta", "k"]
        assert {"eta_max", "w_k", "loss_k"} <= set(r["answers"])


def test_same_seed_gives_byte_identical_files_in_a_fresh_process(sheet, tmp_path):
    out = tmp_path / "again"
    subprocess.run(
        [sys.executable, "-m", "nnlab.practice", "--skills", "2,8,9,12", "--count", "1",
         "--seed", "2027", "--out", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    assert _files(out) == _files(sheet)


def test_different_seeds_give_different_problems(sheet, tmp_path):
    cli.main(["--skills", "2,8,9,12", "--count", "1", "--seed", "2028", "--out", str(tmp_path),
              "--no-figures"])  # fmt: skip
    assert (tmp_path / "problems.json").read_bytes() != (sheet / "problems.json").read_bytes()
    assert not (tmp_path / "figures").exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--seed", "1"], "required: --out"),
        (["--seed", "x", "--out", "d"], "--seed must be an integer"),
        (["--seed", "-1", "--out", "d"], "--seed must be a non-negative"),
        (["--seed", "1", "--count", "0", "--out", "d"], "--count must be at least 1"),
        (["--seed", "1", "--skills", "3", "--out", "d"], "no practice generator for skill 3"),
        (["--seed", "1", "--bogus", "--out", "d"], "unrecognized arguments"),
    ],
)
def test_bad_arguments_are_clear_errors(argv, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NnlabValueError, match=r"^(nnlab\.practice|problem_set): ") as info:
        cli.main(argv)
    assert message in str(info.value)


def test_the_command_reports_errors_without_a_traceback(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "nnlab.practice", "--seed", "1", "--skills", "5", "--out",
         str(tmp_path)], capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.startswith("error: problem_set: no practice generator for skill 5")
    assert "Traceback" not in run.stderr


def test_pdf_hook_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "SCRIPTS", tmp_path)  # a checkout without the print tools
    with pytest.raises(NnlabValueError, match=r"^nnlab\.practice: --pdf needs print_markdown"):
        cli.main(["--seed", "1", "--skills", "10", "--count", "1", "--out", str(tmp_path),
                  "--pdf"])  # fmt: skip
    assert (tmp_path / "problems.md").exists()  # the sheets are written first


def test_pdf_hook_calls_the_print_tool_when_present(tmp_path, monkeypatch):
    (tmp_path / "print_book.py").write_text(
        "from pathlib import Path\n"
        "def print_markdown(md, pdf):\n"
        "    Path(pdf).write_text('pdf of ' + Path(md).name)\n"
        "    return Path(pdf)\n"
    )
    monkeypatch.setattr(cli, "SCRIPTS", tmp_path)
    paths = cli.main(["--seed", "1", "--skills", "10", "--count", "1", "--out",
                      str(tmp_path / "out"), "--pdf"])  # fmt: skip
    assert (tmp_path / "out" / "problems.pdf").read_text() == "pdf of problems.md"
    assert tmp_path / "out" / "solutions.pdf" in paths


def test_every_figure_kind_draws():
    import matplotlib.pyplot as plt

    for skill in (2, 4, 6, 8, 9, 12):
        p = practice.generate(skill, 3)
        for spec in (p.figure, p.solution_figure):
            if spec is not None:
                fig = cli.draw_figure(spec)
                assert fig.axes
                plt.close(fig)
    with pytest.raises(NnlabValueError, match=r"^nnlab\.practice: unknown figure spec kind"):
        cli.draw_figure({"kind": "pie"})


def test_pdf_prints_both_sheets_with_typeset_maths_and_figures(tmp_path):
    """--pdf through scripts/print_book.py's print_markdown (Chromium, the book's MathJax)."""
    import re

    from browser import chromium_path, require_tool

    chromium_path()
    pdftotext = require_tool("pdftotext", "`sudo apt-get install poppler-utils`")
    pdfinfo = require_tool("pdfinfo", "`sudo apt-get install poppler-utils`")
    out = tmp_path / "sheet"
    # As staff run it, in a process of its own: the session's browser fixture holds a Playwright
    # event loop, and Playwright's sync API refuses to start a second one inside it.
    command = [sys.executable, "-m", "nnlab.practice", "--skills", "8,12", "--count", "2",
               "--seed", "2027", "--out", str(out), "--pdf"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (out / "problems.pdf").is_file() and (out / "solutions.pdf").is_file()
    problems = json.loads((out / "problems.json").read_text())
    for name in ("problems", "solutions"):
        pdf = out / f"{name}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        for k, p in enumerate(problems):
            assert f"Problem {k + 1}: {p['title']}" in text
            assert f"seed {p['seed']}" in text
        # maths typeset (MathJax draws it as vector glyphs): no TeX source left in the text
        assert not re.search(r"\$|\\\(|\\(hat|frac|partial|eta|sigma)\b", text), text[:500]
        pages = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True,
                               check=True).stdout  # fmt: skip
        assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) >= 2
    solutions = subprocess.run([pdftotext, str(out / "solutions.pdf"), "-"], capture_output=True,
                               text=True, check=True).stdout  # fmt: skip
    assert "Common wrong answers" in solutions
    problems_text = subprocess.run([pdftotext, str(out / "problems.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "Common wrong answers" not in problems_text
