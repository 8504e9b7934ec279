"""Practice sheets for course staff: ``python -m nnlab.practice``.

    python -m nnlab.practice --skills 2,8,9 --count 10 --seed 2027 --out DIR

writes ``DIR/problems.md``, ``DIR/solutions.md``, ``DIR/problems.json`` and the figures they
reference (``DIR/figures/*.svg``, drawn with `nnlab.plots`). The same seed gives
byte-identical files; each problem's own seed (in the files) regenerates it alone with
``nnlab.course.practice.generate(skill, seed)``. ``--pdf`` hands the Markdown to the print
edition's tools (see `write_pdfs`).

This is the one module outside the layer folders: a thin entry point over
`nnlab.course.practice` (the problems) and `nnlab.plots` (the figures), imported by nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from .engine.errors import NnlabError, NnlabValueError

__all__ = ["draw_figure", "main", "write_figures", "write_pdfs", "write_sheet"]

WHERE = "nnlab.practice"
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"  # in a source checkout


def draw_figure(spec: dict):
    """A practice figure spec (``Problem.figure`` or ``solution_figure``) as a matplotlib
    Figure, drawn with `nnlab.plots.practice`."""
    from .plots.practice import FIGURE_KINDS, practice_figure

    kind = spec.get("kind") if isinstance(spec, dict) else None
    if kind not in FIGURE_KINDS:
        raise NnlabValueError(f"{WHERE}: unknown figure spec kind {kind!r}")
    return practice_figure(spec)


def write_figures(problems, out: Path) -> dict[str, str]:
    """Draw every figure as SVG under ``out/figures``; returns ``{name: relative path}``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .course.practice.sheet import figure_name

    written: dict[str, str] = {}
    (out / "figures").mkdir(parents=True, exist_ok=True)
    # A fixed hash salt and no date make the SVG files byte-identical from run to run.
    with matplotlib.rc_context({"svg.hashsalt": "nnlab-practice", "svg.fonttype": "path"}):
        for k, p in enumerate(problems):
            for which, spec in (("statement", p.figure), ("solution", p.solution_figure)):
                if spec is None:
                    continue
                name = figure_name(k, which)
                fig = draw_figure(spec)
                fig.savefig(out / name, format="svg", metadata={"Date": None})
                plt.close(fig)
                written[name] = name
    return written


def write_sheet(skills, count: int, seed: int, out, figures: bool = True) -> list[Path]:
    """Write ``problems.md``, ``solutions.md`` and ``problems.json`` (and figures) to ``out``."""
    from .course.practice import problem_set
    from .course.practice.sheet import problems_json, problems_markdown, solutions_markdown

    problems = problem_set(skills, count, seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    drawn = write_figures(problems, out) if figures else {}
    names = ", ".join(str(s) for s in dict.fromkeys(p.skill for p in problems))
    title = f"nnlab practice: skills {names}, seed {seed}"
    files = {
        "problems.md": problems_markdown(problems, title, drawn),
        "solutions.md": solutions_markdown(problems, title, drawn),
        "problems.json": problems_json(problems),
    }
    paths = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def write_pdfs(out) -> list[Path]:
    """PDFs of the two sheets, through the print edition's tools.

    The hook: ``scripts/print_book.py`` must provide ``print_markdown(markdown_path, pdf_path)``
    (the print edition renders HTML to PDF with Chromium). Until it does, this fails with a
    message saying so; the Markdown sheets are written either way.
    """
    script = SCRIPTS / "print_book.py"
    printer = None
    if script.exists():
        spec = importlib.util.spec_from_file_location("print_book", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        printer = getattr(module, "print_markdown", None)
    if printer is None:
        raise NnlabValueError(
            f"{WHERE}: --pdf needs print_markdown(markdown_path, pdf_path) in "
            f"{script} (the print edition's tools), which is not there yet; the Markdown "
            "sheets were written, so print them once it is"
        )
    out = Path(out)
    return [printer(out / f"{name}.md", out / f"{name}.pdf") for name in ("problems", "solutions")]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would exit; a clear NnlabError instead
        raise NnlabValueError(f"{WHERE}: {message} (see python -m nnlab.practice --help)")


def _parser() -> argparse.ArgumentParser:
    from .course.practice import SKILLS

    parser = _Parser(
        prog="python -m nnlab.practice",
        description="Write seeded practice problems with answer keys for course staff.",
    )
    parser.add_argument(
        "--skills",
        default=",".join(map(str, SKILLS)),
        help=f"comma-separated checklist numbers (default: all, {SKILLS})",
    )
    parser.add_argument("--count", default="5", help="problems per skill (default 5)")
    parser.add_argument("--seed", required=True, help="sheet seed (a non-negative integer)")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--no-figures", action="store_true", help="skip drawing the figures")
    parser.add_argument("--pdf", action="store_true",
                        help="also print PDFs with the print edition's tools")  # fmt: skip
    return parser


def _integer(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise NnlabValueError(f"{WHERE}: --{name} must be an integer, got {text!r}") from None


def main(argv: list[str] | None = None) -> list[Path]:
    """Parse the command line and write the sheet; returns the files written."""
    args = _parser().parse_args(argv)
    count, seed = _integer(args.count, "count"), _integer(args.seed, "seed")
    if count < 1:
        raise NnlabValueError(f"{WHERE}: --count must be at least 1, got {count}")
    if seed < 0:
        raise NnlabValueError(f"{WHERE}: --seed must be a non-negative integer, got {seed}")
    paths = write_sheet(args.skills, count, seed, args.out, figures=not args.no_figures)
    if args.pdf:
        paths += write_pdfs(args.out)
    return paths


if __name__ == "__main__":
    try:
        for path in main():
            print(path)
    except NnlabError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
