"""`SelfCheck`: a box where a student types a number and gets it graded against the engine's
answer, with a hint when the answer matches a known mistake (grading in `nnlab.course.grading`).

In a notebook it is a widget (Enter or the Check button grades; editing the box clears an old
verdict). In the built book the same output carries a static form whose answer and mistake
values are data, graded in the browser by ``_static/nnlab/grader.js`` exactly as `grade` does.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as W

from ..course.grading import DEFAULT_RTOL, RETRY, Mistake, grade
from . import static
from .core import show_controls

__all__ = ["SelfCheck", "feedback_html"]


def feedback_html(correct: bool, message: str) -> str:
    """A verdict in words first (colour is never the only cue), then the message."""
    colour = "#2e7d32" if correct else "#c62828"
    return f'<span style="color:{colour}" role="status">{html.escape(message)}</span>'


class SelfCheck:
    """A text box and a Check button; feedback comes from `grade`."""

    def __init__(
        self,
        prompt: str,
        expected: float,
        mistakes: Sequence[Mistake] = (),
        rtol=DEFAULT_RTOL,
        retry: str = RETRY,
    ):
        self.prompt, self.expected, self.mistakes, self.rtol = prompt, expected, mistakes, rtol
        self.retry = retry  # the advice for a wrong answer that matches no known mistake
        # continuous_update=False: the value changes on Enter or leaving the box, not per keystroke.
        self.answer = W.Text(
            placeholder="your answer", description="Answer:", continuous_update=False
        )
        self.button = W.Button(description="Check")
        self.feedback = W.HTML(value="")
        self.button.on_click(lambda _: self.check())
        self.answer.observe(self._on_answer, names="value")

    def _on_answer(self, change) -> None:
        if str(change["new"]).strip():
            self.check()
        else:
            self.feedback.value = ""  # an emptied box keeps no old verdict

    def check(self, answer=None) -> tuple[bool, str]:
        """Grade ``answer`` (default: the text box) and show the feedback."""
        if answer is not None:
            self.answer.value = str(answer)
        correct, message = grade(
            self.answer.value, self.expected, self.mistakes, self.rtol, self.retry
        )
        self.feedback.value = feedback_html(correct, message)
        return correct, message

    def static_html(self) -> str:
        """The form the built book shows in place of the widget."""
        return static.check_html(
            self.prompt, self.expected, list(self.mistakes), self.rtol, self.retry
        )

    def show(self) -> None:
        prompt = W.HTML(value=f"<b>Check yourself.</b> {html.escape(self.prompt)}")
        box = W.VBox([prompt, W.HBox([self.answer, self.button]), self.feedback])
        show_controls(box, f"answer box: {self.prompt}", html=self.static_html())
