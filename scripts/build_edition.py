"""Build one edition of the book: staff (the default build), student, or print (two PDFs).

    scripts/build-edition staff     # _build/html            solutions in dropdowns
    scripts/build-edition student   # _build/student/html    no solution text, code or output
    scripts/build-edition print     # _build/print/nnlab-staff.pdf, nnlab-student.pdf
    scripts/build-edition all       # the three

``--out DIR`` puts everything under DIR instead of ``_build``. Every edition reads the same
execution cache (``DIR/.jupyter_cache``), so only the first build executes the notebooks. The
student edition is the staff configuration with ``hide_solutions`` overridden, the way
``jupyter-book build`` passes its own overrides to Sphinx; ``_config.yml`` is never edited.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ("staff", "student")


# The print edition leaves out the Practice page: its banks are interactive, and its problems
# print as sheets with answer keys (`python -m nnlab.practice --pdf`). The intro's one link to it
# stays plain text in the PDF; that is the one warning the print build allows.
PRINTED_WITHOUT = "chapters/practice"


def _print_toc(out: Path) -> Path:
    """``_toc.yml`` without the parts whose only chapter is not printed, written under ``out``."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    toc["parts"] = [
        part for part in toc["parts"] if [c["file"] for c in part["chapters"]] != [PRINTED_WITHOUT]
    ]
    path = out / "_toc_print.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    return path


def html_dir(out: Path, edition: str, builder: str = "html") -> Path:
    """Where an edition's pages go: the staff HTML is the default build's ``_build/html``."""
    return out / builder if edition == "staff" else out / edition / builder


class _Tee(io.TextIOBase):
    """Write to the terminal and keep a copy (to read the build's warnings afterwards)."""

    def __init__(self, *streams):
        self.streams = streams

    def write(self, text):
        for stream in self.streams:
            stream.write(text)
        return len(text)


def build_html(edition: str, out: Path, builder: str = "html") -> Path:
    """Build ``edition`` with Sphinx ``builder`` (html or singlehtml); fail on any warning."""
    from jupyter_book.sphinx import build_sphinx  # the same entry point as `jupyter-book build`

    if edition not in EDITIONS:
        raise SystemExit(f"build_html: unknown edition {edition!r} (staff or student)")
    target = html_dir(out, edition, builder)
    toc = ROOT / "_toc.yml" if builder == "html" else _print_toc(out)
    overrides = {
        "external_toc_path": str(toc),
        "nitpicky": True,
        "hide_solutions": edition == "student",
        "nb_execution_cache_path": str(out / ".jupyter_cache"),
        "latex_individualpages": False,
    }
    captured = io.StringIO()
    with contextlib.redirect_stderr(_Tee(sys.stderr, captured)):
        result = build_sphinx(
            ROOT,
            target,
            noconfig=True,
            path_config=str(ROOT / "_config.yml"),
            confoverrides=overrides,
            doctreedir=target.parent
            / (".doctrees" if builder == "html" else f".doctrees-{builder}"),
            builder=builder,
            warningiserror=builder != "singlehtml",
            keep_going=True,
        )
    # The single page is only printed; sphinx-book-theme's light/dark option is unknown to
    # its builder, a harmless warning. Any other warning fails the print build too.
    other = [
        line
        for line in captured.getvalue().splitlines()
        if "WARNING" in line
        and "unsupported theme option 'default_mode'" not in line
        and not (builder != "html" and PRINTED_WITHOUT in line and "unknown document" in line)
    ]
    if other:
        listed = "\n".join(other)
        raise SystemExit(f"build-edition: warnings in the {builder} build:\n{listed}")
    if result != 0:
        raise SystemExit(f"build-edition: the {edition} {builder} build failed ({result})")
    print(f"{edition} edition ({builder}): {target}")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("edition", choices=[*EDITIONS, "print", "all"])
    parser.add_argument("--out", type=Path, default=ROOT / "_build", help="default: _build")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if args.edition in ("staff", "all"):
        build_html("staff", out)
    if args.edition in ("student", "all"):
        build_html("student", out)
    if args.edition in ("print", "all"):
        from print_book import print_edition

        for edition in EDITIONS:
            page = build_html(edition, out, "singlehtml")
            print_edition(page / "intro.html", out / "print" / f"nnlab-{edition}.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
