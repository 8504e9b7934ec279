"""Errors that name the problem in the learner's terms, not numpy's."""


class NnlabError(Exception):
    """Base class for errors raised by nnlab."""


class ShapeError(NnlabError, ValueError):
    """Operands whose shapes do not fit; the message names the op and the shapes."""


class DivergenceError(NnlabError, RuntimeError):
    """Training produced a non-finite or exploding loss."""


def unknown_name(kind: str, name, valid) -> ValueError:
    """A ValueError for an unknown choice, listing the valid names."""
    listed = ", ".join(repr(v) for v in sorted(valid))
    return ValueError(f"unknown {kind} {name!r}; valid names: {listed}")
