"""Errors that name the problem, and the function that found it, in the learner's terms.

Every error nnlab raises is an `NnlabError`. Each also derives from the built-in exception
that code written without nnlab in mind would catch (``ValueError``, ``TypeError``,
``IndexError``), so ``except ValueError`` keeps working. Messages start with the name of the
public function that raised them, followed by a colon: ``"mse: prediction of shape ..."``.
"""


class NnlabError(Exception):
    """Base class for every error raised by nnlab."""


class NnlabValueError(NnlabError, ValueError):
    """An argument of the right type with a value the function cannot use."""


class NnlabTypeError(NnlabError, TypeError):
    """An argument of the wrong kind (an MLP where its parameters belong, a numpy ufunc on a
    Tensor, ...)."""


class NnlabIndexError(NnlabError, IndexError):
    """An index or position that does not exist."""


class ShapeError(NnlabValueError):
    """Operands whose shapes do not fit; the message names the op and the shapes."""


class NotDifferentiableError(NnlabTypeError):
    """A derivative was asked of something that has none here: a function whose output does
    not depend on its arguments as far as the engine can see, or a derivative of a derivative.
    Returning zeros would be a silent wrong answer, so nnlab refuses."""


class GradCheckError(NnlabError, AssertionError):
    """A failed gradient check (`nnlab.check_grads`): an assertion, as in a test. ``report``
    holds the numbers (a GradCheckReport or DirectionalCheck); the message is its table."""

    def __init__(self, report):
        super().__init__(str(report))
        self.report = report


class DivergenceError(NnlabError, RuntimeError):
    """Training produced a non-finite or exploding loss."""


def unknown_name(function: str, kind: str, name, valid) -> NnlabValueError:
    """The error for an unknown choice, listing the valid names."""
    listed = ", ".join(repr(v) for v in sorted(valid))
    return NnlabValueError(f"{function}: unknown {kind} {name!r}; valid names: {listed}")
