"""Interactive explorers and self-check boxes (ipywidgets; never imported by the core).

The maths lives in tested functions elsewhere in nnlab; a widget only wires
controls to a pure ``render`` function and shows its results.
"""

from .core import Explorer, Mistake, SelfCheck, grade

__all__ = ["Explorer", "Mistake", "SelfCheck", "grade"]
