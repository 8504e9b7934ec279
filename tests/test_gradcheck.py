"""Gradient checking: central differences, the relative error, and check_grads catching bugs.

The bugs are planted in primitives built for the test (never registered in the table):
a wrong VJP must fail reverse mode only, a wrong JVP forward mode only.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nnlab
from nnlab.engine import gradcheck
from nnlab.engine.errors import ShapeError
from nnlab.engine.gradcheck import (
    GradCheckError,
    check_grads,
    check_random_direction,
    numerical_grad,
    numerical_jacobian,
    relative_error,
)
from nnlab.engine.primitives import Primitive, unbroadcast
from nnlab.engine.tensor import apply


def rng(seed=0):
    return np.random.default_rng(seed)


# --- central differences ------------------------------------------------------------------


@pytest.mark.parametrize(
    "f, df",
    [
        (lambda x: nnlab.sum(x**3), lambda x: 3 * x**2),
        (lambda x: nnlab.sum(nnlab.exp(x)), np.exp),
        (lambda x: nnlab.sum(nnlab.tanh(x)), lambda x: 1 - np.tanh(x) ** 2),
        (lambda x: nnlab.sum(nnlab.log(x * x + 1)), lambda x: 2 * x / (x * x + 1)),
        (lambda x: nnlab.logsumexp(x), lambda x: np.exp(x) / np.sum(np.exp(x))),
    ],
    ids=["cube", "exp", "tanh", "log", "logsumexp"],
)
def test_numerical_grad_matches_closed_forms(f, df):
    x = rng().uniform(-1.5, 1.5, size=(2, 3))
    g = numerical_grad(f, x)
    assert g.shape == x.shape and g.dtype == np.float64
    np.testing.assert_allclose(g, df(x), rtol=1e-8, atol=1e-8)


def test_numerical_grad_of_a_scalar_input():
    assert numerical_grad(lambda x: x**3, 2.0) == pytest.approx(12.0, rel=1e-8)


def test_numerical_jacobian_shapes_and_values():
    A = rng().standard_normal((4, 3))
    x = rng(1).standard_normal(3)
    np.testing.assert_allclose(numerical_jacobian(lambda v: A @ v, x), A, atol=1e-8)
    # softmax: J = diag(s) - s s^T, output shape (3,) + input shape (3,)
    s = np.exp(x) / np.exp(x).sum()
    J = numerical_jacobian(nnlab.softmax, x)
    np.testing.assert_allclose(J, np.diag(s) - np.outer(s, s), atol=1e-9)
    X = rng(2).standard_normal((2, 3))
    assert numerical_jacobian(lambda M: nnlab.tanh(M @ A.T), X).shape == (2, 4, 2, 3)


def test_numerical_jacobian_matches_autograd():
    anp = pytest.importorskip("autograd.numpy")
    autograd = pytest.importorskip("autograd")

    def f(x):
        return anp.tanh(x[:, None] * x[None, :]).sum(axis=0) + anp.exp(x)

    x = rng().standard_normal(4)
    np.testing.assert_allclose(numerical_jacobian(f, x), autograd.jacobian(f)(x), atol=1e-8)


def test_numerical_grad_leaves_x_alone_even_if_f_mutates_it():
    x = np.array([1.0, 2.0])
    original = x.copy()

    def f(v):
        total = float(np.sum(v**2))
        v[:] = 0  # a careless f
        return total

    np.testing.assert_allclose(numerical_grad(f, x), 2 * original, atol=1e-8)
    np.testing.assert_array_equal(x, original)


def test_numerical_grad_errors():
    with pytest.raises(ValueError, match="scalar.*numerical_jacobian"):
        numerical_grad(lambda x: x * 2, np.ones(3))
    with pytest.raises(ValueError, match="eps must be a positive step"):
        numerical_grad(lambda x: nnlab.sum(x), np.ones(3), eps=0)
    with pytest.raises(ValueError, match="lost in rounding"):
        numerical_grad(lambda x: nnlab.sum(x), np.array([1e12]), eps=1e-6)


# --- relative error ----------------------------------------------------------------------


def test_relative_error_edge_cases():
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error(1.0, -1.0) == 1.0  # opposite signs
    assert relative_error(0.0, 1e-3) == 1.0  # one of them zero
    assert relative_error(1.0, 1.0 + 1e-8) == pytest.approx(0.5e-8, rel=1e-6)
    # Below the floor the absolute difference counts.
    assert relative_error(0.0, 1e-15, floor=1e-12) == pytest.approx(1e-3)
    assert relative_error(np.array([]), np.array([])) == 0.0
    # The worst entry decides.
    assert relative_error([1.0, 1.0], [1.0, 3.0]) == pytest.approx(0.5)
    assert np.isnan(relative_error(np.nan, 1.0))


@given(
    arrays(np.float64, 5, elements=st.floats(-1e6, 1e6)),
    arrays(np.float64, 5, elements=st.floats(-1e6, 1e6)),
)
def test_relative_error_is_symmetric_and_between_0_and_1(a, b):
    e = relative_error(a, b)
    assert e == relative_error(b, a)
    assert 0.0 <= e <= 1.0


# --- check_grads on correct functions ----------------------------------------------------


def mlp_loss(W0, b0, W1, b1):
    X = rng(5).standard_normal((6, 3))
    labels = np.array([0, 1, 2, 0, 1, 2])
    return nnlab.softmax_cross_entropy(nnlab.tanh(X @ W0 + b0) @ W1 + b1, labels)


SMOOTH = {
    "matmul": (lambda A, B: A @ B, [(3, 4), (4, 2)]),
    "tanh-affine-broadcast": (lambda A, W, b: nnlab.tanh(A @ W + b), [(3, 4), (4, 5), (5,)]),
    "softmax-axis0": (lambda Z, w: nnlab.softmax(Z * w, axis=0), [(3, 4), (1, 4)]),
    "logsumexp-keepdims": (lambda Z: nnlab.logsumexp(Z, axis=1, keepdims=True), [(3, 4)]),
    "scalar-loss": (lambda Z, c: nnlab.mean(nnlab.logsumexp(Z, axis=1) * c), [(3, 4), (3,)]),
    "sigmoid-div-pow": (
        lambda x, y: nnlab.sigmoid(x) / (1 + y**2) + nnlab.softplus(x * y),
        [(3, 1), (1, 4)],
    ),
    "mlp-softmax-ce": (mlp_loss, [(3, 5), (5,), (5, 3), (3,)]),
}


@pytest.mark.parametrize("name", SMOOTH)
def test_check_grads_passes_on_smooth_functions(name):
    f, shapes = SMOOTH[name]
    args = [rng(i).standard_normal(shape) for i, shape in enumerate(shapes)]
    report = check_grads(f, *args)
    assert report.passed and not report.failures
    assert list(report.errors) == ["forward", "reverse"]
    assert report.shapes == shapes
    for mode, errors in report.errors.items():
        assert len(errors) == len(shapes)
        assert max(errors) < 1e-6, mode
        for jac, numerical in zip(report.analytic[mode], report.numerical, strict=True):
            assert jac.shape == report.output_shape + numerical.shape[len(report.output_shape) :]
    assert check_random_direction(f, *args).passed


def test_check_grads_accepts_plain_lists_and_ints():
    report = check_grads(lambda x: nnlab.sum(x**2), [1, 2, 3])
    np.testing.assert_allclose(report.numerical[0], [2.0, 4.0, 6.0], atol=1e-8)


def test_report_table_has_fixed_precision_rows():
    A, B = rng().standard_normal((3, 4)), rng(1).standard_normal((4, 2))
    table = str(check_grads(lambda a, b: nnlab.tanh(a @ b), A, B))
    lines = table.splitlines()
    assert "rtol 1.0e-06" in lines[0] and "output shape (3, 2)" in lines[0]
    assert lines[1].split() == ["arg", "shape", "forward", "reverse"]
    assert re.fullmatch(r"\s+0\s+\(3, 4\)\s+\d\.\d\de-\d\d\s+\d\.\d\de-\d\d", lines[2])
    assert re.fullmatch(r"\s+1\s+\(4, 2\)\s+\d\.\d\de-\d\d\s+\d\.\d\de-\d\d", lines[3])
    assert lines[-1] == "passed"


def test_check_grads_argument_validation():
    with pytest.raises(ValueError, match="at least one argument"):
        check_grads(lambda: 1.0)
    with pytest.raises(ValueError, match="modes must name some of"):
        check_grads(lambda x: nnlab.sum(x), np.ones(2), modes=("sideways",))
    with pytest.raises(ValueError, match="modes must name some of"):
        check_grads(lambda x: nnlab.sum(x), np.ones(2), modes=())
    report = check_grads(lambda x: nnlab.sum(x), np.ones(2), modes="reverse")
    assert list(report.errors) == ["reverse"]


def test_top_level_export():
    assert nnlab.check_grads is check_grads
    assert nnlab.gradcheck is gradcheck


# --- check_grads on planted bugs ---------------------------------------------------------


def cube_prim(vjp_coefficient=3.0, jvp_coefficient=3.0):
    """x**3, with the derivative 3 x**2 in each rule unless a coefficient plants a bug."""
    return Primitive(
        "cube",
        lambda x: x**3,
        vjps=(lambda g, out, x: g * vjp_coefficient * x**2,),
        jvps=(lambda t, out, x: t * jvp_coefficient * x**2,),
    )


CUBE = cube_prim()
CUBE_WRONG_VJP = cube_prim(vjp_coefficient=2.0)
CUBE_WRONG_JVP = cube_prim(jvp_coefficient=2.0)
X = np.array([[0.5, -1.0, 1.5], [2.0, -0.3, 0.8]])


def loss_with(prim):
    return lambda x: nnlab.sum(nnlab.tanh(apply(prim, x)))


def test_correct_custom_primitive_passes():
    assert check_grads(loss_with(CUBE), X).passed
    assert check_grads(lambda x: apply(CUBE, x), X).passed  # array output


@pytest.mark.parametrize(
    "prim, broken, fine",
    [(CUBE_WRONG_VJP, "reverse", "forward"), (CUBE_WRONG_JVP, "forward", "reverse")],
    ids=["wrong-vjp", "wrong-jvp"],
)
@pytest.mark.parametrize("output", ["scalar", "array"])
def test_check_grads_catches_a_wrong_rule_in_its_mode_only(prim, broken, fine, output):
    f = loss_with(prim) if output == "scalar" else (lambda x: apply(prim, x))
    with pytest.raises(GradCheckError) as caught:
        check_grads(f, X)
    report = caught.value.report
    assert isinstance(caught.value, AssertionError)
    assert report.failures == [(broken, 0)]
    assert report.errors[broken][0] > 1e-2
    assert report.errors[fine][0] < 1e-6
    message = str(caught.value)
    assert message == str(report)
    assert f"FAILED {broken} mode, arg 0: worst entry" in message
    assert f"FAILED {fine}" not in message
    # Checking only the mode whose rule is right passes.
    assert check_grads(f, X, modes=(fine,)).passed


def test_check_grads_names_the_argument_with_the_wrong_rule():
    # x * y whose VJP for y multiplies by y instead of x.
    bad_mul = Primitive(
        "bad_mul",
        np.multiply,
        vjps=(
            lambda g, out, x, y: unbroadcast(g * y, x),
            lambda g, out, x, y: unbroadcast(g * y, y),
        ),
        jvps=(lambda t, out, x, y: t * y, lambda t, out, x, y: x * t),
    )
    x, y = rng().standard_normal((3, 4)), rng(1).standard_normal(4)
    with pytest.raises(GradCheckError, match=r"FAILED reverse mode, arg 1") as caught:
        check_grads(lambda a, b: nnlab.tanh(apply(bad_mul, a, b)), x, y)
    assert caught.value.report.failures == [("reverse", 1)]


def test_check_grads_reports_a_vjp_that_forgets_to_unbroadcast():
    no_unbroadcast = Primitive(
        "add_no_unbroadcast",
        np.add,
        vjps=(lambda g, out, x, y: g, lambda g, out, x, y: g),
        jvps=(lambda t, out, x, y: t, lambda t, out, x, y: t),
    )
    x, b = np.ones((3, 2)), np.ones(2)
    shapes = r"argument 1 has shape \(3, 2\).*\(2,\)"
    with pytest.raises(ShapeError, match=rf"^check_grads: .*{shapes}"):
        check_grads(lambda u, v: apply(no_unbroadcast, u, v), x, b, modes=("reverse",))


@pytest.mark.parametrize("prim, broken", [(CUBE_WRONG_VJP, "reverse"), (CUBE_WRONG_JVP, "forward")])
def test_check_random_direction_catches_wrong_rules(prim, broken):
    check = check_random_direction(loss_with(CUBE), X)
    assert check.passed and str(check).endswith("passed")
    assert check.forward == pytest.approx(check.reverse, rel=1e-12)
    with pytest.raises(GradCheckError, match="FAILED") as caught:
        check_random_direction(loss_with(prim), X)
    assert not caught.value.report.passed
    row = re.search(rf"{broken}\s+\S+\s+relative error (\S+)", str(caught.value))
    assert row and float(row[1]) > 1e-2


def test_check_random_direction_is_seeded():
    f, shapes = SMOOTH["tanh-affine-broadcast"]
    args = [rng(i).standard_normal(shape) for i, shape in enumerate(shapes)]
    assert check_random_direction(f, *args, seed=3) == check_random_direction(f, *args, seed=3)
    assert check_random_direction(f, *args, seed=3) != check_random_direction(f, *args, seed=4)


def test_check_grads_of_an_argument_f_ignores_gives_zero_jacobians_in_both_modes():
    # f uses x only: the Jacobian for y is really 0, and forward mode (every argument
    # seeded, one at a time) agrees with reverse mode and with central differences.
    x, y = rng().standard_normal(3), rng(1).standard_normal(2)
    report = check_grads(lambda a, b: nnlab.tanh(a) * 2.0, x, y)
    for mode in ("forward", "reverse"):
        assert report.analytic[mode][1].shape == (3, 2)
        assert not report.analytic[mode][1].any()
    np.testing.assert_allclose(report.analytic["forward"][0], np.diag(2 * (1 - np.tanh(x) ** 2)))
