"""A pytest plugin that writes the outputs nbval observes back into the notebooks.

`scripts/refresh-notebooks` runs ``pytest --nbval-lax -p nbval_refresh`` on the chapters, so
the stored outputs are produced by exactly the execution that strict nbval later compares
with: same kernel start, same cell-by-cell driver. (Re-executing with nbconvert instead gave
outputs that differed from nbval's run in the last printed digit of some long training runs
on this kind of machine, which made a freshly refreshed notebook fail strict nbval.)

Cells tagged ``nbval-skip`` are executed too here, so their stored outputs are refreshed.
"""

from __future__ import annotations

import nbformat
import pytest

_notebooks: dict[str, object] = {}


def _as_output(out) -> nbformat.NotebookNode:
    kind = out["output_type"]
    if kind == "stream":
        return nbformat.v4.new_output("stream", name=out["name"], text=out["text"])
    if kind == "error":
        return nbformat.v4.new_output(
            "error", ename=out["ename"], evalue=out["evalue"], traceback=out["traceback"]
        )
    fields = {"data": out["data"], "metadata": out.get("metadata", {})}
    if kind == "execute_result":
        fields["execution_count"] = None  # numbered below, with the cell
    return nbformat.v4.new_output(kind, **fields)


def pytest_collection_modifyitems(items):
    for item in items:
        options = getattr(item, "options", None)
        if options is not None and options.get("skip"):
            options["skip"] = False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    outputs = getattr(item, "test_outputs", None)
    if outputs is None or not hasattr(item, "cell"):
        return
    item.cell.outputs = [_as_output(o) for o in outputs]
    _notebooks[str(item.parent.fspath)] = item.parent.nb


def pytest_sessionfinish(session, exitstatus):
    if exitstatus != 0:
        print("\nnbval_refresh: a cell failed; no notebook was rewritten")
        return
    for path, nb in sorted(_notebooks.items()):
        count = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            count += 1
            cell.execution_count = count
            cell.metadata.pop("execution", None)
            for out in cell.outputs:
                if out.output_type == "execute_result":
                    out.execution_count = count
        nbformat.write(nb, path)
        print(f"\nnbval_refresh: wrote {path}")
