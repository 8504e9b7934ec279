"""The engine never answers silently wrong: each case a learner can hit is a named error.

Derivatives of derivatives, outputs that do not depend on the arguments, numpy functions on
Tensors, bad argnums, names and seeds; and the cases that are *not* errors (comparisons as
masks, x * 0, an argument f does not use) give the right numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab import Tensor
from nnlab.engine.errors import (
    NnlabError,
    NnlabIndexError,
    NnlabTypeError,
    NnlabValueError,
    NotDifferentiableError,
)

X = np.array([0.5, -1.0, 2.0])


def cube_sum(x):
    return nnlab.sum(x * x * x)


# --- derivatives of derivatives ---------------------------------------------------------------
NESTINGS = {
    "grad of grad": lambda: nnlab.grad(lambda x: nnlab.sum(nnlab.grad(cube_sum)(x)))(X),
    "grad of value_and_grad": lambda: nnlab.grad(lambda x: nnlab.value_and_grad(cube_sum)(x)[0])(X),
    "grad of jvp": lambda: nnlab.grad(lambda x: nnlab.sum(nnlab.jvp(cube_sum, x, X)[1]))(X),
    "jvp of grad": lambda: nnlab.jvp(lambda x: nnlab.sum(nnlab.grad(cube_sum)(x)), X, X),
    "jvp of jvp": lambda: nnlab.jvp(lambda x: nnlab.jvp(cube_sum, x, X)[1], X, X),
    "jacobian of grad": lambda: nnlab.jacobian(nnlab.grad(cube_sum), X),
    "forward jacobian of grad": lambda: nnlab.jacobian(nnlab.grad(cube_sum), X, mode="forward"),
    "vjp of grad": lambda: nnlab.vjp(nnlab.grad(cube_sum), X),
    "trace of grad": lambda: nnlab.trace(lambda x: nnlab.sum(nnlab.grad(cube_sum)(x)), X),
}


@pytest.mark.parametrize("call", NESTINGS.values(), ids=NESTINGS.keys())
def test_derivatives_of_derivatives_are_refused_and_point_to_curvature(call):
    with pytest.raises(NotDifferentiableError) as caught:
        call()
    text = str(caught.value)
    assert text.split(":")[0] in ("grad", "value_and_grad", "jvp")
    assert "nnlab.course.curvature.hessian" in text and "hvp" in text


def test_the_grad_of_grad_message():
    with pytest.raises(NotDifferentiableError, match="^grad: nnlab does not take derivatives of"):
        nnlab.grad(nnlab.grad(lambda x: x * x * x))(2.0)


def test_modes_mixed_through_a_closure_are_refused():
    # The inner derivative closes over the outer variable instead of taking it as argument.
    def grad_of_closure_jvp(x):
        return nnlab.jvp(lambda v: nnlab.sum(x * v), (X,), (np.ones(3),))[1]

    with pytest.raises(NotDifferentiableError, match="^jvp: mul got a forward-mode value"):
        nnlab.grad(grad_of_closure_jvp)(X)

    def jvp_of_closure_grad(x):
        return nnlab.sum(nnlab.grad(lambda w: nnlab.sum(w * x))(X))

    with pytest.raises(NotDifferentiableError, match="hessian"):
        nnlab.jvp(jvp_of_closure_grad, (X,), (np.ones(3),))

    def jvp_of_closure_jvp(x):
        return nnlab.jvp(lambda v: nnlab.sum(x * v), (X,), (np.ones(3),))[1]

    with pytest.raises(NotDifferentiableError, match="^jvp: mul got values of two nested jvp"):
        nnlab.jvp(jvp_of_closure_jvp, (X,), (np.ones(3),))


def test_a_user_tensor_is_a_point_outside_any_derivative():
    # Not nesting: outside grad, a Tensor argument is just the point to differentiate at.
    g = nnlab.grad(cube_sum)(Tensor(X))
    np.testing.assert_allclose(g, 3 * X**2)


def test_values_that_escape_a_jvp_are_constants_afterwards():
    kept = []

    def f(x):
        kept.append(x * 2.0)
        return nnlab.sum(x * x)

    nnlab.jvp(f, (X,), (np.ones(3),))
    escaped = kept[0]
    # Later, in a new derivative, the escaped value is a constant: d(sum(x * c))/dx = c.
    np.testing.assert_allclose(nnlab.grad(lambda x: nnlab.sum(x * escaped))(X), 2 * X)
    _, t = nnlab.jvp(lambda x: nnlab.sum(x * escaped), (X,), (np.ones(3),))
    assert float(t) == pytest.approx(float(np.sum(2 * X)))
    with pytest.raises(NotDifferentiableError, match="^backward: this value was computed in"):
        escaped.backward(np.ones(3))


# --- outputs that do not depend on the arguments ------------------------------------------------
NOT_FROM_ARGUMENTS = {
    ".item()": lambda x: nnlab.sum(x * x).item(),
    ".value": lambda x: nnlab.sum(x * x).value,
    "a constant": lambda x: 3.0,
    "a numpy result": lambda x: np.sum(X),
    "a fresh Tensor": lambda x: nnlab.sum(Tensor(X) * 2.0),
}
DERIVATIVES = {
    "grad": lambda f: nnlab.grad(f)(X),
    "value_and_grad": lambda f: nnlab.value_and_grad(f)(X),
    "vjp": lambda f: nnlab.vjp(f, X),
    "jvp": lambda f: nnlab.jvp(f, (X,), (np.ones(3),)),
    "jacobian": lambda f: nnlab.jacobian(f, X),
    "jacobian-forward": lambda f: nnlab.jacobian(f, X, mode="forward"),
    "trace": lambda f: nnlab.trace(f, X),
}


@pytest.mark.parametrize("f", NOT_FROM_ARGUMENTS.values(), ids=NOT_FROM_ARGUMENTS.keys())
@pytest.mark.parametrize("name", DERIVATIVES)
def test_an_output_not_computed_from_the_arguments_is_an_error(name, f):
    function = name.split("-")[0]
    with pytest.raises(NotDifferentiableError) as caught:
        DERIVATIVES[name](f)
    assert str(caught.value).startswith(
        f"{function}: the output does not depend on the arguments: "
        "did you call .item(), .value or a numpy function?"
    )


def test_a_zero_derivative_of_an_output_computed_from_the_arguments_is_a_number():
    def f(x):
        return nnlab.sum(x * 0.0)

    np.testing.assert_array_equal(nnlab.grad(f)(X), np.zeros(3))
    assert float(nnlab.jvp(f, (X,), (np.ones(3),))[1]) == 0.0
    np.testing.assert_array_equal(nnlab.jacobian(f, X, mode="forward").jacobian, np.zeros(3))
    # An argument f does not use, next to one it does, has gradient 0 (it is really 0).
    gx, gy = nnlab.grad(lambda x, y: nnlab.sum(y * y), argnums=(0, 1))(X, X)
    np.testing.assert_array_equal(gx, np.zeros(3))
    _, t = nnlab.jvp(lambda x, y: nnlab.sum(y * y), (X, X), (np.ones(3), np.zeros(3)))
    assert float(t) == 0.0


# --- numpy functions on Tensors --------------------------------------------------------------
NUMPY_CALLS = {
    "tanh": (lambda t: np.tanh(t), "nnlab.tanh"),
    "exp": (lambda t: np.exp(t), "nnlab.exp"),
    "log": (lambda t: np.log(t), "nnlab.log"),
    "absolute": (lambda t: np.abs(t), "nnlab.abs"),
    "maximum": (lambda t: np.maximum(t, 0), "nnlab.maximum"),
    "sum": (lambda t: np.sum(t), "nnlab.sum"),
    "mean": (lambda t: np.mean(t), "nnlab.mean"),
    "dot": (lambda t: np.dot(t, t), "nnlab.matmul"),
    "where": (lambda t: np.where(t > 0, t, 0), "nnlab.where"),
    "reshape": (lambda t: np.reshape(t, (3, 1)), "nnlab.reshape"),
    "add.reduce": (lambda t: np.add.reduce(t), "nnlab.sum"),
    "sin": (lambda t: np.sin(t), "nnlab has no sin primitive"),
}


@pytest.mark.parametrize("name", NUMPY_CALLS)
def test_numpy_functions_on_a_tensor_name_the_nnlab_function(name):
    call, instead = NUMPY_CALLS[name]
    with pytest.raises(NnlabTypeError) as caught:
        call(Tensor(X))
    text = str(caught.value)
    assert text.startswith(f"np.{name}: numpy functions do not record on a Tensor: use ")
    assert instead in text
    # Inside grad the same call is the same error, not a zero gradient.
    with pytest.raises(NnlabTypeError, match=f"^np.{name}"):
        nnlab.grad(lambda x: nnlab.sum(call(x)))(X)


def test_converting_a_tensor_to_an_array_is_an_error():
    with pytest.raises(NnlabTypeError, match="^np.asarray: a Tensor is not a numpy array"):
        np.asarray(Tensor(X))


def test_numpy_operators_with_a_tensor_still_record():
    t = Tensor(X)
    for out in (np.ones(3) + t, np.ones(3) - t, np.ones(3) * t, np.ones(3) / t, np.ones(3) ** t):
        assert isinstance(out, Tensor) and out.parents == (t,)
    g = nnlab.grad(lambda x: nnlab.sum(np.full(3, 2.0) * x + np.ones(3) @ (x * x)))(X)
    np.testing.assert_allclose(g, 2.0 + 3 * 2 * X)  # the scalar sum(x*x) is added 3 times
    assert np.shape(t) == (3,) and np.ndim(t) == 1 and np.size(t) == 3
    assert np.float64(2.0) * t is not None and isinstance(np.float64(2.0) * t, Tensor)


# --- comparisons and where ----------------------------------------------------------------
def test_comparisons_are_plain_boolean_arrays():
    t = Tensor(X)
    for result, expected in [
        (t > 0, X > 0),
        (t < 0, X < 0),
        (t >= 0.5, X >= 0.5),
        (t <= 0.5, X <= 0.5),
        (t == 2.0, X == 2.0),
        (t != 2.0, X != 2.0),
        (0 < t, X > 0),
        (np.zeros(3) < t, X > 0),
        (t > Tensor(np.ones(3)), X > 1),
    ]:
        assert type(result) is np.ndarray and result.dtype == bool
        np.testing.assert_array_equal(result, expected)
    assert len({t, Tensor(X)}) == 2  # still hashable by identity


def test_a_comparison_mask_is_a_relu_as_in_autograd():
    def relu_by_mask(x):
        return nnlab.sum(x * (x > 0))

    np.testing.assert_array_equal(nnlab.grad(relu_by_mask)(X), (X > 0).astype(float))
    _, t = nnlab.jvp(relu_by_mask, (X,), (np.ones(3),))
    assert float(t) == 2.0
    np.testing.assert_array_equal(
        nnlab.grad(lambda x: nnlab.sum((x > 0) * x))(X), (X > 0).astype(float)
    )


def test_where_routes_the_gradient_to_the_chosen_branch():
    def f(x, y):
        return nnlab.sum(nnlab.where(x > 0, x * x, y))

    gx, gy = nnlab.grad(f, argnums=(0, 1))(X, np.full(3, 7.0))
    np.testing.assert_array_equal(gx, np.where(X > 0, 2 * X, 0.0))
    np.testing.assert_array_equal(gy, np.where(X > 0, 0.0, 1.0))
    _, t = nnlab.jvp(f, (X, np.full(3, 7.0)), (np.ones(3), np.ones(3)))
    assert float(t) == pytest.approx(float(np.sum(np.where(X > 0, 2 * X, 1.0))))
    # A scalar branch broadcasts; its gradient is summed back to a scalar.
    g = nnlab.grad(lambda c: nnlab.sum(nnlab.where(X > 0, X, c)), argnums=0)(0.5)
    assert np.shape(g) == () and float(g) == 1.0
    # On plain arrays it is np.where; a Tensor condition is data.
    np.testing.assert_array_equal(nnlab.where(X > 0, X, 0.0), np.where(X > 0, X, 0.0))
    out = nnlab.where(Tensor(X > 0), Tensor(X), 0.0)
    assert isinstance(out, Tensor)
    assert nnlab.where is nnlab.engine.ops.where and "where" in nnlab.__all__


# --- arguments, names, seeds ---------------------------------------------------------------
def test_argnums_out_of_range_names_grad():
    with pytest.raises(
        NnlabIndexError, match=r"^grad: argnums 1 is out of range for a call with 1"
    ):
        nnlab.grad(cube_sum, argnums=1)(X)
    with pytest.raises(NnlabIndexError, match=r"^value_and_grad: argnums 2 is out of range"):
        nnlab.value_and_grad(lambda x, y: cube_sum(x), argnums=(0, 2))(X, X)
    with pytest.raises(NnlabTypeError, match="^grad: argnums must be an int"):
        nnlab.grad(cube_sum, argnums="x")(X)
    # In range, counted from the end as Python does.
    np.testing.assert_allclose(nnlab.grad(lambda x, y: cube_sum(y), argnums=-1)(X, X), 3 * X**2)


def test_trace_with_the_wrong_number_of_names():
    with pytest.raises(NnlabValueError, match=r"^trace: got 2 inputs but 1 names: \['a'\]"):
        nnlab.trace(lambda a, b: a * b, 1.0, 2.0, names=["a"])
    with pytest.raises(NnlabValueError, match=r"^trace: got 1 inputs but 2 names"):
        nnlab.trace(lambda a: a * 2.0, 1.0, names=["a", "b"])


def test_graph_lookups_of_names_that_are_not_there():
    g = nnlab.trace(lambda a, b: (a * b).named("c") + a, 1.0, 2.0, names=["a", "b"])
    with pytest.raises(NnlabIndexError, match=r"^Graph: no node named 'z'; nodes: a, b, c, v3"):
        g["z"]
    with pytest.raises(NnlabIndexError, match=r"^Graph.tangents: 'c' is not an input.*a, b"):
        g.tangents("c")
    with pytest.raises(NnlabIndexError, match=r"^Graph.tangents: 'z' is not an input"):
        g.tangents("z")
    with pytest.raises(NnlabIndexError, match=r"^Graph.tangents: 2 is not an input's position"):
        g.tangents(2)
    with pytest.raises(NnlabValueError, match=r"^Graph.tangents: direction of shape \(2,\)"):
        g.tangents("a", direction=np.ones(2))


def test_jvp_argument_errors_name_jvp():
    with pytest.raises(NnlabValueError, match="^jvp: got 2 primal inputs but 1 tangents"):
        nnlab.jvp(lambda x, y: x * y, (X, X), (X,))
    with pytest.raises(nnlab.ShapeError, match=r"^jvp: tangent of shape \(2,\) for input \(3,\)"):
        nnlab.jvp(cube_sum, (X,), (np.ones(2),))
    with pytest.raises(NnlabValueError, match="^jacobian: unknown mode 'sideways'"):
        nnlab.jacobian(cube_sum, X, mode="sideways")
    with pytest.raises(NnlabValueError, match="^grad: f must return a scalar"):
        nnlab.grad(lambda x: x * 2.0)(X)


def test_engine_errors_are_nnlab_errors_and_builtin_ones():
    assert issubclass(NotDifferentiableError, NnlabError)
    assert issubclass(NotDifferentiableError, TypeError)
    with pytest.raises(ValueError, match="^backward: a non-scalar output"):
        (Tensor(X) * 2.0).backward()
    with pytest.raises(IndexError, match="^getitem: the index Tensor holds non-integers"):
        Tensor(X)[Tensor([0.5])]


def test_jvp_tensors_come_from_jvp_only(recwarn):
    with pytest.raises(NnlabTypeError, match="^JVPTensor: made by nnlab.jvp only"):
        nnlab.engine.JVPTensor(X)
    assert not recwarn.list  # and the refused object goes away quietly
