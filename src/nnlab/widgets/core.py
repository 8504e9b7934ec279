"""The two widget patterns every chapter uses.

`Explorer`: controls -> ``render(**values)`` -> outputs updated in place. The
first render is an ordinary ``display(..., display_id=True)``, so the built book
shows the default state as a figure or table without a kernel, and strict nbval
sees deterministic text; moving a control updates the same outputs.

`SelfCheck`: a box where a student types a number and gets it graded against
the engine's answer, with a hint when the answer matches a known mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as W
from IPython.display import HTML, Pretty, display

from ..course.grading import DEFAULT_RTOL, Mistake, grade
from ..engine.errors import NnlabValueError

__all__ = ["Explorer", "Mistake", "SelfCheck", "grade", "show_controls"]


class Explorer:
    """Wire named controls to a render function.

    ``controls`` maps argument names to ipywidgets (sliders, dropdowns...);
    ``render(**values)`` returns a list of displayable objects (figures, HTML,
    or strings, shown as plain text). ``outputs`` always holds the latest
    render, which tests can inspect after setting values with `set`.
    """

    def __init__(self, controls: dict[str, W.ValueWidget], render: Callable[..., Sequence]):
        self.controls = controls
        self.render = render
        self.outputs = list(render(**self.values))
        self._handles = []
        for control in controls.values():
            control.observe(self._on_change, names="value")

    @property
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values) -> list:
        """Set control values from code (as a student's drag would) and return the outputs."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise NnlabValueError(
                f"Explorer.set: unknown control(s) {sorted(unknown)}; controls: "
                f"{sorted(self.controls)}"
            )
        for name, value in values.items():
            self.controls[name].value = value
        return self.outputs

    def _on_change(self, change) -> None:
        self.outputs = list(self.render(**self.values))
        for handle, output in zip(self._handles, self.outputs, strict=False):
            handle.update(_displayable(output))

    def show(self) -> None:
        """Display the current outputs, then the controls."""
        self._handles = [display(_displayable(o), display_id=True) for o in self.outputs]
        show_controls(W.VBox(list(self.controls.values())), "sliders: " + ", ".join(self.controls))


def show_controls(widget: W.Widget, description: str) -> None:
    """Display a widget with a fixed plain-text stand-in.

    The default text is the widget's repr, which lists every trait and changes between
    ipywidgets releases; strict nbval compares it, so we replace it with a stable line.
    """
    bundle = widget._repr_mimebundle_()
    bundle["text/plain"] = f"[interactive: {description}; live in a running notebook]"
    display(bundle, raw=True)


def _displayable(output):
    return Pretty(output) if isinstance(output, str) else output


class SelfCheck:
    """A text box and a Check button; feedback comes from `grade`."""

    def __init__(
        self, prompt: str, expected: float, mistakes: Sequence[Mistake] = (), rtol=DEFAULT_RTOL
    ):
        self.prompt, self.expected, self.mistakes, self.rtol = prompt, expected, mistakes, rtol
        # continuous_update=False: the value changes on Enter or leaving the box, not per keystroke.
        self.answer = W.Text(
            placeholder="your answer", description="Answer:", continuous_update=False
        )
        self.button = W.Button(description="Check")
        self.feedback = W.HTML(value="")
        self.button.on_click(lambda _: self.check())
        self.answer.observe(lambda _: self.check(), names="value")

    def check(self, answer=None) -> tuple[bool, str]:
        """Grade ``answer`` (default: the text box) and show the feedback."""
        if answer is not None:
            self.answer.value = str(answer)
        correct, message = grade(self.answer.value, self.expected, self.mistakes, self.rtol)
        colour = "#2e7d32" if correct else "#c62828"
        self.feedback.value = f'<span style="color:{colour}">{message}</span>'
        return correct, message

    def show(self) -> None:
        display(HTML(f"<b>Check yourself.</b> {self.prompt}"))
        show_controls(W.VBox([W.HBox([self.answer, self.button]), self.feedback]), "answer box")
