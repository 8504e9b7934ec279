"""Interactive explorers and self-check boxes (ipywidgets; never imported by the layers below).

The maths lives in tested functions in `nnlab.course`; a widget only wires controls to a pure
``render`` function and shows its results.
"""

from ..course.grading import Mistake, grade
from .explorer import Explorer
from .selfcheck import SelfCheck

__all__ = ["Explorer", "Mistake", "SelfCheck", "grade"]
