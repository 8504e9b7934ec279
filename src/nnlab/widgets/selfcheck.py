"""`SelfCheck`: a box where a student types a number and gets it graded against the engine's
answer, with a hint when the answer matches a known mistake (grading in `nnlab.course.grading`).
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W
from IPython.display import HTML, display

from ..course.grading import DEFAULT_RTOL, Mistake, grade
from .core import show_controls

__all__ = ["SelfCheck"]


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
