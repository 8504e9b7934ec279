"""Gradient checks: the engine's derivative rules against central differences.

Central differences need nothing but evaluations of ``f``, so they referee both
modes of automatic differentiation: `check_grads` builds every argument's
Jacobian three ways (forward mode, reverse mode, central differences) and
compares them entry by entry; `check_random_direction` does the same for one
random direction, which is cheap enough for large inputs.

Everything is computed in float64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .autodiff import jvp, vjp
from .errors import GradCheckError, NnlabValueError, ShapeError
from .tensor import Tensor

MODES = ("forward", "reverse")
# Rounding in f makes a central difference wrong by about MACHINE_EPS * |f| / eps; the
# floor of a check allows this many times that, since f's own rounding spans several ulps.
ROUNDING_MARGIN = 10.0
MACHINE_EPS = np.finfo(np.float64).eps


def _array(out) -> np.ndarray:
    """``f``'s output as a float64 array (f may return a Tensor, an array or a float)."""
    return np.asarray(out.value if isinstance(out, Tensor) else out, dtype=np.float64)


def numerical_jacobian(f, x, eps: float = 1e-6) -> np.ndarray:
    """Central differences of ``f`` at ``x``: shape ``y.shape + x.shape`` where ``y = f(x)``.

    Entry ``[i, j]`` is ``(f(x + eps e_j)[i] - f(x - eps e_j)[i]) / (2 eps)``. Its error is
    about ``eps**2 * f'''`` (truncation) plus ``machine_eps * |f| / eps`` (rounding), so
    ``eps = 1e-6`` gives roughly 10 correct digits for well-scaled float64 functions.
    ``f`` is called with fresh copies of ``x``, so it may modify its argument.
    """
    if not eps > 0:
        raise NnlabValueError(f"numerical_jacobian: eps must be a positive step, got {eps!r}")
    x = np.array(x, dtype=np.float64)
    y = _array(f(x.copy()))
    columns = np.empty(y.shape + (x.size,))
    for j in range(x.size):
        plus, minus = x.copy(), x.copy()
        plus.flat[j] += eps
        minus.flat[j] -= eps
        # x + eps is rounded, so divide by the step actually taken rather than by 2 eps.
        step = plus.flat[j] - minus.flat[j]
        if step == 0:
            raise NnlabValueError(
                f"numerical_jacobian: eps={eps:g} is lost in rounding at "
                f"x.flat[{j}] = {x.flat[j]:g}"
            )
        columns[..., j] = (_array(f(plus)) - _array(f(minus))) / step
    return columns.reshape(y.shape + x.shape)


def numerical_grad(f, x, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar ``f`` at ``x`` (same shape as ``x``)."""
    y = _array(f(np.array(x, dtype=np.float64)))
    if y.size != 1:
        raise NnlabValueError(
            f"numerical_grad: f must return a scalar, but it returned shape {y.shape}; "
            "use numerical_jacobian for array outputs"
        )
    return numerical_jacobian(f, x, eps).reshape(np.shape(x))


def relative_error(a, b, floor: float = 1e-12) -> float:
    """The largest elementwise ``|a - b| / max(|a| + |b|, floor)`` (the cs231n measure).

    It is symmetric in ``a`` and ``b`` and lies in [0, 1]: 0 for equal entries, 1 when one
    is zero or the signs differ. ``floor`` handles entries that are both (nearly) zero:
    there the absolute difference is divided by ``floor``, so two zeros give 0, not nan.
    As a rule of thumb in float64, below 1e-7 is agreement, above 1e-2 is a bug.
    """
    a, b = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64))
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)))


def resolution(y, eps: float, rtol: float) -> float:
    """The size below which central differences of an output like ``y`` cannot reach ``rtol``.

    Checks use it as the ``floor`` of `relative_error`: smaller Jacobian entries are
    compared in absolute terms (error ``|a - b| / floor``), so rounding noise in the
    central differences of an entry that is really 0 does not count as a bug.
    """
    scale = max(1.0, float(np.max(np.abs(y), initial=0.0)))
    return ROUNDING_MARGIN * MACHINE_EPS * scale / (eps * rtol)


def _vary(f, args, k):
    """``f`` as a function of argument ``k`` alone, the other arguments held fixed."""

    def f_k(x):
        return f(*args[:k], x, *args[k + 1 :])

    return f_k


def _forward_jacobians(f, args) -> list[np.ndarray]:
    """Forward mode: one pass per entry of each argument, seeded with a unit tangent there
    and zero tangents for every other entry (of every argument), like `jacobian`'s passes."""
    zeros = [np.zeros_like(x) for x in args]
    jacobians = []
    for k, x in enumerate(args):
        columns = []
        for j in range(x.size):
            tangents = list(zeros)
            tangents[k] = np.zeros_like(x)
            tangents[k].flat[j] = 1.0
            y, t = jvp(f, tuple(args), tuple(tangents))
            columns.append(np.ravel(t))
        jacobians.append(np.stack(columns, axis=-1).reshape(np.shape(y) + x.shape))
    return jacobians


def _reverse_jacobians(f, args) -> list[np.ndarray]:
    """Reverse mode: each pullback of a unit cotangent is one row of every argument's Jacobian."""
    y, pullback = vjp(f, *args)
    rows = [[] for _ in args]
    for i in range(y.size):
        cotangent = np.zeros(y.size)
        cotangent[i] = 1.0
        grads = pullback(cotangent.reshape(y.shape))
        for k, g in enumerate((grads,) if len(args) == 1 else grads):
            if np.shape(g) != args[k].shape:
                raise ShapeError(
                    f"check_grads: reverse mode: the gradient of argument {k} has shape "
                    f"{np.shape(g)}, but the argument has shape {args[k].shape} (a VJP rule "
                    "that returns the wrong shape, e.g. one that does not undo broadcasting)"
                )
            rows[k].append(np.ravel(g))
    return [np.reshape(r, y.shape + x.shape) for r, x in zip(rows, args, strict=True)]


JACOBIANS = {"forward": _forward_jacobians, "reverse": _reverse_jacobians}


def _worst_entry(analytic, numerical, floor):
    """The index where ``analytic`` and ``numerical`` differ most, relative to their size."""
    err = np.abs(analytic - numerical) / np.maximum(np.abs(analytic) + np.abs(numerical), floor)
    # nan (an inf or nan in either Jacobian) is the worst there is.
    err = np.where(np.isnan(err), np.inf, err)
    return np.unravel_index(int(np.argmax(err)), err.shape)


def _index(idx) -> str:
    """``[i, j]`` for an index into an array, nothing for a scalar."""
    return f"[{', '.join(str(int(i)) for i in idx)}]" if len(idx) else ""


@dataclass
class GradCheckReport:
    """Relative errors (`relative_error`) of each mode's Jacobians against central differences.

    ``errors[mode][k]`` is the error of argument ``k``'s Jacobian, of shape
    ``output_shape + shapes[k]``; the Jacobians themselves are in ``analytic[mode][k]``
    and ``numerical[k]``. Errors above ``rtol`` fail; entries smaller than ``floor``
    are compared in absolute terms.
    """

    errors: dict[str, list[float]]
    analytic: dict[str, list[np.ndarray]]
    numerical: list[np.ndarray]
    output_shape: tuple[int, ...]
    rtol: float
    floor: float

    @property
    def shapes(self) -> list[tuple[int, ...]]:
        return [n.shape[len(self.output_shape) :] for n in self.numerical]

    @property
    def failures(self) -> list[tuple[str, int]]:
        """``(mode, argument)`` pairs whose error exceeds ``rtol`` (nan counts as failing)."""
        return [
            (mode, k)
            for mode, errs in self.errors.items()
            for k, e in enumerate(errs)
            if not e <= self.rtol
        ]

    @property
    def passed(self) -> bool:
        return not self.failures

    def __str__(self) -> str:
        modes = list(self.errors)
        lines = [
            "gradient check: relative error against central differences "
            f"(rtol {self.rtol:.1e}, floor {self.floor:.1e}, output shape {self.output_shape})",
            f"{'arg':>4} {'shape':>14}" + "".join(f" {m:>10}" for m in modes),
        ]
        for k, shape in enumerate(self.shapes):
            cells = "".join(f" {self.errors[m][k]:>10.2e}" for m in modes)
            lines.append(f"{k:>4} {str(shape):>14}{cells}")
        for mode, k in self.failures:
            analytic, numerical = self.analytic[mode][k], self.numerical[k]
            index = _worst_entry(analytic, numerical, self.floor)
            n_out = len(self.output_shape)
            lines.append(
                f"FAILED {mode} mode, arg {k}: worst entry d out{_index(index[:n_out])} / "
                f"d arg{k}{_index(index[n_out:])} = {analytic[index]:.6e}, "
                f"central difference {numerical[index]:.6e}"
            )
        if self.passed:
            lines.append("passed")
        return "\n".join(lines)


def _float_args(args, where):
    if not args:
        raise NnlabValueError(f"{where}: needs at least one argument to differentiate")
    return [np.array(a, dtype=np.float64) for a in args]


def check_grads(
    f, *args, modes=MODES, eps: float = 1e-6, rtol: float = 1e-6, floor: float | None = None
) -> GradCheckReport:
    """Check forward and reverse mode of ``f`` at ``args`` against central differences.

    ``f`` takes one or more arrays and returns a scalar or an array, built from nnlab
    operations. For every argument, each mode in ``modes`` builds the full Jacobian
    (forward: one tangent sweep per input entry; reverse: one pullback per output
    entry), and `relative_error` compares it with `numerical_jacobian`. ``floor``
    defaults to `resolution`. Returns a `GradCheckReport`; raises `GradCheckError`
    (an AssertionError whose message is the report's table) if any error exceeds ``rtol``.
    """
    modes = (modes,) if isinstance(modes, str) else tuple(modes)
    if not modes or any(m not in JACOBIANS for m in modes):
        raise NnlabValueError(f"check_grads: modes must name some of {MODES}, got {modes}")
    args = _float_args(args, "check_grads")
    y = _array(f(*args))
    numerical = [numerical_jacobian(_vary(f, args, k), x, eps) for k, x in enumerate(args)]
    floor = resolution(y, eps, rtol) if floor is None else floor
    analytic = {mode: JACOBIANS[mode](f, args) for mode in modes}
    errors = {
        mode: [relative_error(a, n, floor) for a, n in zip(jacs, numerical, strict=True)]
        for mode, jacs in analytic.items()
    }
    report = GradCheckReport(errors, analytic, numerical, y.shape, rtol, floor)
    if not report.passed:
        raise GradCheckError(report)
    return report


@dataclass
class DirectionalCheck:
    """``u . (J v)`` for a random input direction ``v`` and output weights ``u``, three ways.

    ``forward`` is ``u . jvp(f, x, v)``, ``reverse`` is ``sum_k vdot(pullback(u)_k, v_k)``
    (for a scalar f, ``u = 1`` and this is ``vdot(grad f, v)``), and ``numerical`` is ``u``
    dotted with the central difference of ``f`` along ``v``.
    """

    forward: float
    reverse: float
    numerical: float
    rtol: float
    floor: float

    @property
    def errors(self) -> dict[str, float]:
        return {
            mode: relative_error(getattr(self, mode), self.numerical, self.floor) for mode in MODES
        }

    @property
    def passed(self) -> bool:
        return all(e <= self.rtol for e in self.errors.values())

    def __str__(self) -> str:
        errors = self.errors
        lines = [f"directional check (rtol {self.rtol:.1e}, floor {self.floor:.1e})"]
        for mode in (*MODES, "numerical"):
            error = f"  relative error {errors[mode]:.2e}" if mode in errors else ""
            lines.append(f"{mode:>10} {getattr(self, mode):>+16.9e}{error}")
        lines.append("passed" if self.passed else "FAILED")
        return "\n".join(lines)


def check_random_direction(
    f, *args, seed: int = 0, eps: float = 1e-6, rtol: float = 1e-6
) -> DirectionalCheck:
    """Check ``f``'s derivative along one random (seeded) direction: one pass per mode.

    The direction ``v`` (one part per argument, unit length overall) and the output
    weights ``u`` come from ``np.random.default_rng(seed)``. Returns a `DirectionalCheck`;
    raises `GradCheckError` with its table when a mode disagrees with the central difference.
    """
    args = _float_args(args, "check_random_direction")
    rng = np.random.default_rng(seed)
    vs = [rng.standard_normal(x.shape) for x in args]
    norm = np.sqrt(sum(np.sum(v * v) for v in vs))
    vs = [v / norm for v in vs]
    y, pullback = vjp(f, *args)
    u = np.ones(()) if y.ndim == 0 else rng.standard_normal(y.shape)
    _, tangent = jvp(f, tuple(args), tuple(vs))
    grads = pullback(u)
    grads = (grads,) if len(args) == 1 else grads

    def along(s):
        return _array(f(*(x + s * v for x, v in zip(args, vs, strict=True))))

    central = (along(eps) - along(-eps)) / (2 * eps)
    check = DirectionalCheck(
        forward=float(np.vdot(u, tangent)),
        reverse=float(sum(np.vdot(g, v) for g, v in zip(grads, vs, strict=True))),
        numerical=float(np.vdot(u, central)),
        rtol=rtol,
        floor=resolution(y, eps, rtol),
    )
    if not check.passed:
        raise GradCheckError(check)
    return check
