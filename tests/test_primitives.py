"""Every primitive's VJP (reverse mode) and JVP (forward mode) against central differences.

Each case is a small function that exercises one primitive of `nnlab.primitives.PRIMITIVES`
(with broadcasting, axis/keepdims and indexing variants). For a case with inputs ``xs``:

* reverse mode: ``nnlab.vjp`` pulled back along a random cotangent ``g`` must equal
  ``g . J`` with ``J`` the central-difference Jacobian;
* forward mode: ``nnlab.jvp`` along random tangents ``v`` must equal ``J v``.

Inputs of kinked functions (relu, abs, leaky_relu, maximum) are kept away from the kink,
so that finite differences are meaningful there; the subgradient at the kink is tested
separately.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

import nnlab
from nnlab import Tensor
from nnlab.engine.primitives import PRIMITIVES
from nnlab.engine.tensor import apply, toposort


@dataclass(frozen=True)
class Case:
    prim: str
    label: str
    fn: Callable
    inputs: Callable[[np.random.Generator], tuple]

    @property
    def id(self) -> str:
        return f"{self.prim}:{self.label}"


def normal(*shape, scale=1.0):
    return lambda rng: rng.standard_normal(shape) * scale


def positive(*shape):
    return lambda rng: rng.uniform(0.5, 2.0, shape)


def off_zero(*shape):
    """Values with 0.2 <= |x| <= 2 and random sign: away from kinks and poles at 0."""
    return lambda rng: rng.choice([-1.0, 1.0], shape) * rng.uniform(0.2, 2.0, shape)


def inputs(*makers):
    return lambda rng: tuple(m(rng) for m in makers)


def untied_pair(shape_x, shape_y):
    """Two arrays whose broadcast entries differ by at least 0.1 (no ties for maximum)."""

    def make(rng):
        while True:
            x, y = rng.standard_normal(shape_x), rng.standard_normal(shape_y)
            if np.min(np.abs(x - y)) > 0.1:
                return x, y

    return make


CASES: list[Case] = []


def case(prim, label, fn, make):
    CASES.append(Case(prim, label, fn, make))


# --- binary arithmetic, with broadcasting ---------------------------------------------------
BROADCASTS = {
    "same": ((2, 3), (2, 3)),
    "col-row": ((3, 1), (1, 4)),
    "matrix-vector": ((2, 3), (3,)),
    "scalar-array": ((), (2, 3)),
    "array-scalar": ((2, 3), ()),
}
BINARY = {
    "add": (nnlab.add, lambda x, y: x + y),
    "sub": (nnlab.subtract, lambda x, y: x - y),
    "mul": (nnlab.multiply, lambda x, y: x * y),
    "div": (nnlab.divide, lambda x, y: x / y),
}
for _prim, (_fn, _op) in BINARY.items():
    for _label, (_sx, _sy) in BROADCASTS.items():
        _second = off_zero(*_sy) if _prim == "div" else normal(*_sy)
        case(_prim, _label, _fn, inputs(normal(*_sx), _second))
    # The operator form, and a Python number on either side (reflected operators).
    case(_prim, "operator", _op, inputs(normal(2, 3), off_zero(2, 3)))
case("add", "python-number-left", lambda x: 2.5 + x, inputs(normal(3)))
case("sub", "python-number-left", lambda x: 2.5 - x, inputs(normal(3)))
case("mul", "python-number-left", lambda x: 2.5 * x, inputs(normal(3)))
case("div", "python-number-left", lambda x: 2.5 / x, inputs(off_zero(3)))
case("div", "python-number-right", lambda x: x / 2.5, inputs(normal(3)))

case("neg", "function", nnlab.negative, inputs(normal(2, 3)))
case("neg", "operator", lambda x: -x, inputs(normal(4)))

case("pow", "same", nnlab.power, inputs(positive(2, 3), normal(2, 3)))
case("pow", "col-row", nnlab.power, inputs(positive(3, 1), normal(1, 4)))
case("pow", "matrix-vector", nnlab.power, inputs(positive(2, 3), normal(3)))
case("pow", "scalar-exponent", nnlab.power, inputs(positive(2, 3), normal()))
case("pow", "integer-power-negative-base", lambda x: x**3, inputs(off_zero(2, 3)))
case("pow", "fractional-power", lambda x: x**2.5, inputs(positive(4)))
case("pow", "python-base", lambda x: 2.0**x, inputs(normal(4)))

MATMULS = {
    "1d-1d": ((3,), (3,)),
    "2d-1d": ((2, 3), (3,)),
    "1d-2d": ((3,), (3, 4)),
    "2d-2d": ((2, 3), (3, 4)),
    "batched-batched": ((2, 2, 3), (2, 3, 4)),
    "batched-2d": ((2, 2, 3), (3, 4)),
    "2d-batched": ((2, 3), (2, 3, 4)),
    "broadcast-batches": ((2, 1, 2, 3), (3, 3, 4)),
    "1d-batched": ((3,), (2, 3, 4)),
    "batched-1d": ((2, 4, 3), (3,)),
}
for _label, (_sa, _sb) in MATMULS.items():
    case("matmul", _label, nnlab.matmul, inputs(normal(*_sa), normal(*_sb)))
case("matmul", "operator", lambda a, b: a @ b, inputs(normal(2, 3), normal(3, 2)))
AFFINES = {
    "2d": ((5, 3), (3, 4), (4,)),
    "1d-input": ((3,), (3, 4), (4,)),
    "row-bias": ((5, 3), (3, 4), (1, 4)),
    "scalar-bias": ((5, 3), (3, 4), ()),
}
for _label, (_sx, _sw, _sb) in AFFINES.items():
    case("affine", _label, nnlab.affine, inputs(normal(*_sx), normal(*_sw), normal(*_sb)))

for _label, (_sx, _sy) in BROADCASTS.items():
    case("maximum", _label, nnlab.maximum, untied_pair(_sx, _sy))

# where: the condition is data (fixed, or a comparison of an input kept away from the kink).
_MASK = np.array([[True, False, True], [False, False, True]])
_ROWS = np.array([[True], [False], [True]])
case("where", "same", lambda x, y: nnlab.where(_MASK, x, y), inputs(normal(2, 3), normal(2, 3)))
case("where", "broadcast", lambda x, y: nnlab.where(_MASK, x, y), inputs(normal(3), normal()))
case(
    "where",
    "broadcast-condition",
    lambda x, y: nnlab.where(_ROWS, x, y),
    inputs(normal(1, 4), normal(3, 4)),
)
case("where", "comparison", lambda x: nnlab.where(x > 0, x * x, -x), inputs(off_zero(3, 4)))

# --- elementwise ----------------------------------------------------------------------------
case("exp", "matrix", nnlab.exp, inputs(normal(2, 3)))
case("log", "matrix", nnlab.log, inputs(positive(2, 3)))
case("tanh", "matrix", nnlab.tanh, inputs(normal(2, 3, scale=1.5)))
case("sigmoid", "matrix", nnlab.sigmoid, inputs(normal(2, 3, scale=2.0)))
case("softplus", "matrix", nnlab.softplus, inputs(normal(2, 3, scale=2.0)))
case("relu", "matrix", nnlab.relu, inputs(off_zero(3, 4)))
case("leaky_relu", "default-slope", nnlab.leaky_relu, inputs(off_zero(3, 4)))
case("leaky_relu", "slope-0.2", lambda x: nnlab.leaky_relu(x, slope=0.2), inputs(off_zero(3, 4)))
case("abs", "function", nnlab.abs, inputs(off_zero(3, 4)))
case("abs", "operator", lambda x: abs(x), inputs(off_zero(5)))

# --- reductions and normalisers -------------------------------------------------------------
REDUCTIONS = {
    "all": (dict(), (2, 3)),
    "axis0": (dict(axis=0), (2, 3)),
    "axis1": (dict(axis=1), (2, 3)),
    "axis-1": (dict(axis=-1), (2, 3, 4)),
    "axes02": (dict(axis=(0, 2)), (2, 3, 4)),
    "axis1-keepdims": (dict(axis=1, keepdims=True), (2, 3)),
    "all-keepdims": (dict(axis=None, keepdims=True), (2, 3)),
    "vector": (dict(), (5,)),
}
for _prim, _fn in [("sum", nnlab.sum), ("mean", nnlab.mean), ("logsumexp", nnlab.logsumexp)]:
    for _label, (_kw, _shape) in REDUCTIONS.items():
        case(_prim, _label, lambda x, _fn=_fn, _kw=_kw: _fn(x, **_kw), inputs(normal(*_shape)))
case("sum", "method", lambda x: x.sum(axis=0), inputs(normal(3, 2)))
case("mean", "method", lambda x: x.mean(axis=1, keepdims=True), inputs(normal(3, 2)))

SOFTMAXES = {
    "vector": (dict(), (4,)),
    "last-axis": (dict(axis=-1), (3, 4)),
    "axis0": (dict(axis=0), (3, 4)),
    "3d-axis1": (dict(axis=1), (2, 3, 2)),
}
for _label, (_kw, _shape) in SOFTMAXES.items():
    case("softmax", _label, lambda x, _kw=_kw: nnlab.softmax(x, **_kw), inputs(normal(*_shape)))

# --- shape ----------------------------------------------------------------------------------
case("reshape", "2x3-to-3x2", lambda x: nnlab.reshape(x, (3, 2)), inputs(normal(2, 3)))
case("reshape", "flatten", lambda x: nnlab.reshape(x, (6,)), inputs(normal(2, 3)))
case("reshape", "minus-one", lambda x: nnlab.reshape(x, (4, -1)), inputs(normal(2, 3, 2)))
case("reshape", "method", lambda x: x.reshape(3, 2), inputs(normal(6)))
case("transpose", "2d", nnlab.transpose, inputs(normal(2, 3)))
case("transpose", "T", lambda x: x.T, inputs(normal(3, 2)))
case("transpose", "3d-default", nnlab.transpose, inputs(normal(2, 3, 4)))
case("transpose", "3d-axes", lambda x: nnlab.transpose(x, (2, 0, 1)), inputs(normal(2, 3, 4)))
case(
    "transpose",
    "3d-negative-axes",
    lambda x: nnlab.transpose(x, (-1, 0, 1)),
    inputs(normal(2, 3, 4)),
)
case("transpose", "method", lambda x: x.transpose((1, 0, 2)), inputs(normal(2, 3, 4)))

MASK = np.array(
    [[True, False, True, False], [False, False, True, True], [True, True, False, False]]
)
GETITEMS = {
    "integer": 1,
    "slices": (slice(1, None), slice(None, None, 2)),
    "negative-step": (slice(None, None, -1), 2),
    "fancy-repeated": ([0, 0, 2],),
    "fancy-pairs-repeated": ([0, 1, 0, 0], [2, 2, 2, 3]),
    "boolean-mask": MASK,
    "ellipsis": (Ellipsis, 1),
    "newaxis": (slice(None), None, slice(1, 3)),
}
for _label, _index in GETITEMS.items():
    case("getitem", _label, lambda x, _i=_index: x[_i], inputs(normal(3, 4)))


# --- fused losses: the labels are a second differentiable argument (soft labels) -------------
def _probability_rows(n, k):
    def make(rng):
        p = rng.random((n, k)) + 0.1
        return p / p.sum(axis=1, keepdims=True)

    return make


def _uniform(*shape):
    return lambda rng: rng.uniform(0.05, 0.95, shape)


case(
    "bce_with_logits",
    "hard-labels",
    lambda z: nnlab.binary_cross_entropy_with_logits(z, np.array([[0.0], [1.0], [1.0], [0.0]])),
    inputs(normal(4, 1)),
)
case(
    "bce_with_logits",
    "soft-labels",
    lambda z, y: apply(PRIMITIVES["bce_with_logits"], z, y),
    inputs(normal(3, 2), _uniform(3, 2)),
)
case(
    "softmax_cross_entropy",
    "integer-labels",
    lambda z: nnlab.softmax_cross_entropy(z, np.array([2, 0, 1, 2])),
    inputs(normal(4, 3)),
)
case(
    "softmax_cross_entropy",
    "soft-labels",
    lambda z, y: apply(PRIMITIVES["softmax_cross_entropy"], z, y),
    inputs(normal(4, 3), _probability_rows(4, 3)),
)


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_vjp_and_jvp_match_central_differences(c: Case, fd_jacobians, check_fd):
    rng = np.random.default_rng(zlib.crc32(c.id.encode()))
    xs = c.inputs(rng)

    # The case really exercises the primitive it claims to test.
    out = c.fn(*[Tensor(x) for x in xs])
    assert c.prim in {node.op for node in toposort(out)}

    y, pullback = nnlab.vjp(c.fn, *xs)
    np.testing.assert_allclose(y, np.asarray(c.fn(*xs)), rtol=1e-14, atol=0)
    jacobians = fd_jacobians(c.fn, *xs)

    g = rng.standard_normal(y.shape)
    grads = pullback(g)
    grads = grads if len(xs) > 1 else (grads,)
    for k, (x, gx, J) in enumerate(zip(xs, grads, jacobians, strict=True)):
        assert gx.shape == np.shape(x), f"VJP for argument {k} has the wrong shape"
        check_fd(gx, np.tensordot(g, J, axes=g.ndim), what=f"VJP, argument {k}")

    vs = tuple(rng.standard_normal(np.shape(x)) for x in xs)
    y2, t = nnlab.jvp(c.fn, tuple(xs), vs)
    np.testing.assert_array_equal(y2, y)
    expected = sum(np.tensordot(J, v, axes=v.ndim) for J, v in zip(jacobians, vs, strict=True))
    assert np.shape(t) == y.shape
    check_fd(t, expected, what="JVP")


def test_every_primitive_in_the_table_has_cases():
    """A new entry in the table without a case here fails this test."""
    covered = {c.prim for c in CASES}
    missing = sorted(set(PRIMITIVES) - covered)
    assert not missing, f"primitives without derivative tests: {missing}"
    assert not covered - set(PRIMITIVES), "cases name primitives that are not in the table"


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_table_entry_is_well_formed(name):
    prim = PRIMITIVES[name]
    assert prim.name == name
    assert len(prim.vjps) == len(prim.jvps) >= 1
    assert all(callable(rule) for rule in prim.vjps + prim.jvps)


def test_getitem_gradient_accumulates_over_repeated_indices():
    x = np.arange(5.0)
    w = np.array([1.0, 10.0, 100.0, 1000.0])
    g = nnlab.grad(lambda x: nnlab.sum(x[[0, 0, 3, 0]] * w))(x)
    np.testing.assert_array_equal(g, [1.0 + 10.0 + 1000.0, 0.0, 0.0, 100.0, 0.0])

    pairs = nnlab.grad(lambda x: x[[1, 1, 0], [2, 2, 2]].sum())(np.zeros((2, 3)))
    np.testing.assert_array_equal(pairs, [[0, 0, 1], [0, 0, 2]])


def test_getitem_accepts_a_tensor_of_indices():
    # Tensor.__getitem__ unwraps Tensor indices, so an index Tensor must select like its array.
    x = Tensor([10.0, 20.0, 30.0])
    picked = x[Tensor(np.array([2, 0]))]
    np.testing.assert_array_equal(picked.value, [30.0, 10.0])


def test_relu_subgradient_at_zero_is_zero():
    x = np.array([0.0, 0.0, 1.0, -1.0])
    np.testing.assert_array_equal(nnlab.grad(lambda x: nnlab.relu(x).sum())(x), [0, 0, 1, 0])
    _, t = nnlab.jvp(nnlab.relu, (x,), (np.ones(4),))
    np.testing.assert_array_equal(t, [0, 0, 1, 0])
    # The same convention for leaky_relu (slope at 0) and abs (sign(0) = 0).
    np.testing.assert_allclose(
        nnlab.grad(lambda x: nnlab.leaky_relu(x).sum())(x), [0.01, 0.01, 1, 0.01]
    )
    np.testing.assert_array_equal(nnlab.grad(lambda x: nnlab.abs(x).sum())(x), [0, 0, 1, -1])


def test_maximum_tie_sends_the_gradient_to_the_first_argument():
    x, y = np.array([1.0, 2.0]), np.array([1.0, 3.0])
    gx, gy = nnlab.grad(lambda x, y: nnlab.maximum(x, y).sum(), argnums=(0, 1))(x, y)
    np.testing.assert_array_equal(gx, [1, 0])
    np.testing.assert_array_equal(gy, [0, 1])
    assert np.all(gx + gy == 1)  # the subgradient is still a convex combination


def test_pow_exponent_derivative_is_zero_for_a_negative_base():
    # x**y with x < 0 is real only for integer y; its y-derivative is taken as 0 there.
    x, y = np.array([-2.0, 3.0]), np.array([3.0, 2.0])
    gx, gy = nnlab.grad(lambda x, y: nnlab.power(x, y).sum(), argnums=(0, 1))(x, y)
    np.testing.assert_allclose(gx, [3 * 4.0, 2 * 3.0])
    np.testing.assert_allclose(gy, [0.0, 9.0 * np.log(3.0)])


def _strict(fn, *args):
    """Call ``fn`` with numpy overflow/invalid warnings turned into errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            return fn(*args)


def test_softmax_is_stable_for_huge_inputs():
    cases = {
        (1000.0, -1000.0): [1.0, 0.0],
        (1000.0, 1000.0): [0.5, 0.5],
        (-1000.0, -1000.0, -1000.0): [1 / 3, 1 / 3, 1 / 3],
        (1000.0, 999.0): [1 / (1 + np.exp(-1.0)), np.exp(-1.0) / (1 + np.exp(-1.0))],
    }
    for x, expected in cases.items():
        out = _strict(nnlab.softmax, np.array(x))
        assert np.all(np.isfinite(out))
        np.testing.assert_allclose(out, expected, rtol=1e-15, atol=0)
    g = _strict(nnlab.grad(lambda x: nnlab.softmax(x)[0]), np.array([1000.0, -1000.0]))
    np.testing.assert_array_equal(g, [0.0, 0.0])


def test_logsumexp_is_stable_for_huge_inputs():
    log2 = np.log(2.0)
    assert _strict(nnlab.logsumexp, np.array([1000.0, 1000.0])) == pytest.approx(
        1000 + log2, rel=1e-15
    )
    assert _strict(nnlab.logsumexp, np.array([-1000.0, -1000.0])) == pytest.approx(
        -1000 + log2, rel=1e-15
    )
    assert _strict(nnlab.logsumexp, np.array([1000.0, -1000.0])) == 1000.0
    rows = _strict(
        lambda x: nnlab.logsumexp(x, axis=1), np.array([[1000.0, 1000.0], [-1000.0, -1000.0]])
    )
    np.testing.assert_allclose(rows, [1000 + log2, -1000 + log2], rtol=1e-15)
    # The gradient is exp(x - lse): at |x| ~ 1000 one ulp of lse (1.1e-13) limits its accuracy.
    g = _strict(nnlab.grad(nnlab.logsumexp), np.array([1000.0, -1000.0, 1000.0]))
    np.testing.assert_allclose(g, [0.5, 0.0, 0.5], rtol=1e-12, atol=0)


def test_sigmoid_is_finite_and_exact_at_the_extremes():
    out = _strict(nnlab.sigmoid, np.array([800.0, -800.0, 0.0]))
    np.testing.assert_array_equal(out, [1.0, 0.0, 0.5])
    # Far in the left tail the result keeps full relative precision (no 1 - 1 cancellation).
    tail = _strict(nnlab.sigmoid, np.array([-700.0, -40.0]))
    np.testing.assert_allclose(
        tail, np.exp([-700.0, -40.0]) / (1 + np.exp([-700.0, -40.0])), rtol=1e-14
    )
    g = _strict(nnlab.grad(lambda x: nnlab.sigmoid(x).sum()), np.array([800.0, -800.0]))
    np.testing.assert_array_equal(g, [0.0, 0.0])


def test_softplus_is_stable_at_the_extremes():
    out = _strict(nnlab.softplus, np.array([1000.0, -1000.0]))
    np.testing.assert_array_equal(out, [1000.0, 0.0])
    g = nnlab.grad(lambda x: nnlab.softplus(x).sum())(np.array([1000.0, -1000.0]))
    np.testing.assert_array_equal(g, [1.0, 0.0])
