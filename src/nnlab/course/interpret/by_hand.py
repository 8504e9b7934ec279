"""Small computations a student does with pencil and paper, done here so the book's worked
solutions and self-checks quote the same numbers.

- `logistic_ig_by_hand`: saliency, gradient x input and integrated gradients of a logistic
  model, for its logit and for its probability (closed form along the straight path).
- `rotation_by_hand`: a two-unit hidden layer before and after the change W -> W M,
  V -> M^{-1} V, with identity and with ReLU activation.
- `logistic_ig_check`, `rotation_check`: the expected answer and the usual wrong answers
  (`nnlab.course.grading.Mistake`) for the self-checks built on them.
"""

from __future__ import annotations

import numpy as np

from ...engine.errors import NnlabValueError, ShapeError
from ..grading import distinct_mistakes

__all__ = ["logistic_ig_by_hand", "logistic_ig_check", "rotation_by_hand", "rotation_check"]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _vector(v, where: str, what: str) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    if v.ndim != 1 or not np.all(np.isfinite(v)):
        raise ShapeError(f"{where}: {what} must be a finite vector, got shape {v.shape}")
    return v


def logistic_ig_by_hand(w, c: float, x, baseline) -> dict:
    """Attributions of ``p(x) = sigmoid(x w + c)`` (w, x, baseline: shape (d,)).

    Along ``x' + t (x - x')`` the logit ``z`` is linear in ``t``, so the path average of
    ``sigmoid'(z)`` is ``(p(x) - p(x')) / (z(x) - z(x'))`` and the probability's IG is the
    logit's IG ``(x - x') * w`` scaled by that factor. Returns every intermediate number.
    """
    where = "logistic_ig_by_hand"
    w, x, b = (_vector(v, where, n) for v, n in ((w, "w"), (x, "x"), (baseline, "baseline")))
    if not (len(w) == len(x) == len(b)):
        raise ShapeError(f"{where}: w, x and baseline need one length, got {len(w)}, {len(x)}, "
                         f"{len(b)}")  # fmt: skip
    z_x, z_b = float(x @ w + c), float(b @ w + c)
    if z_x == z_b:
        raise NnlabValueError(f"{where}: x and the baseline have the same logit; nothing moves")
    p_x, p_b = float(_sigmoid(z_x)), float(_sigmoid(z_b))
    ig_logit = (x - b) * w
    scale = (p_x - p_b) / (z_x - z_b)  # the path average of sigmoid'(z)
    slope = p_x * (1.0 - p_x)  # sigmoid'(z(x)), the endpoint's
    return {
        "z_x": z_x,
        "z_baseline": z_b,
        "p_x": p_x,
        "p_baseline": p_b,
        "ig_logit": ig_logit,
        "path_average_slope": scale,
        "ig_probability": ig_logit * scale,
        "endpoint_slope": slope,
        "saliency_probability": slope * w,
        "grad_x_input_probability": (x - b) * slope * w,
    }


def logistic_ig_check(w, c: float, x, baseline, feature: int = 0):
    """``(expected, mistakes)``: the probability's IG for ``feature``, and the values a student
    gets by using the endpoint gradient, forgetting the sigmoid, or the saliency alone."""
    h = logistic_ig_by_hand(w, c, x, baseline)
    j = int(feature)
    expected = float(h["ig_probability"][j])
    return expected, distinct_mistakes(
        expected,
        [
            (h["grad_x_input_probability"][j],
             "That is gradient x input: it uses the slope at x only, not the average along "
             "the path."),
            (h["ig_logit"][j],
             "That is the logit's attribution; the question asks about the probability."),
            (h["saliency_probability"][j],
             "That is the saliency dp/dx_j; multiply by the displacement and average the slope."),
        ],
    )  # fmt: skip


def rotation_by_hand(x, W, V, M) -> dict:
    """One hidden layer (no bias) before and after ``W -> W M``, ``V -> M^{-1} V``.

    ``x`` (d,), ``W`` (d, m), ``V`` (m,), ``M`` (m, m) invertible. Returns the old and new
    hidden values and output weights, and both outputs with identity and with ReLU units.
    """
    where = "rotation_by_hand"
    x, V = _vector(x, where, "x"), _vector(V, where, "V")
    W, M = np.asarray(W, dtype=np.float64), np.asarray(M, dtype=np.float64)
    if W.shape != (len(x), len(V)) or M.shape != (len(V), len(V)):
        raise ShapeError(f"{where}: need W ({len(x)}, {len(V)}) and M ({len(V)}, {len(V)}), "
                         f"got {W.shape} and {M.shape}")  # fmt: skip
    if abs(np.linalg.det(M)) < 1e-12:
        raise NnlabValueError(f"{where}: M is not invertible")
    h, V_new = x @ W, np.linalg.solve(M, V)
    h_new = h @ M
    relu = lambda a: np.maximum(a, 0.0)  # noqa: E731
    return {
        "h": h,
        "h_new": h_new,
        "V_new": V_new,
        "identity_old": float(h @ V),
        "identity_new": float(h_new @ V_new),
        "relu_old": float(relu(h) @ V),
        "relu_new": float(relu(h_new) @ V_new),
    }


def rotation_check(x, W, V, M):
    """``(expected, mistakes)`` for the ReLU network's output after the change of units."""
    r = rotation_by_hand(x, W, V, M)
    expected = r["relu_new"]
    return expected, distinct_mistakes(
        expected,
        [
            (r["identity_new"],
             "That is the identity-activation output; apply ReLU to the new hidden values."),
            (float(np.maximum(r["h_new"], 0.0) @ V),
             "You kept the old output weights V; use the new ones, M^{-1} V."),
        ],
    )  # fmt: skip
