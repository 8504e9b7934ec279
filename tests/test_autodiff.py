"""The autodiff API: grad, value_and_grad, vjp, jvp, jacobian and Tensor.backward."""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab import Tensor
from nnlab.engine.errors import NotDifferentiableError
from nnlab.engine.tensor import JVPTensor, toposort

RNG = np.random.default_rng(20240611)
X = RNG.standard_normal(3)
Y = RNG.standard_normal((3, 2))
Z = RNG.standard_normal(2)


def f3(x, y, z):
    """A scalar function of three arguments that uses all of them."""
    return nnlab.sum(nnlab.tanh(x @ y) * z) + nnlab.sum(x * x)


def fd_partials(fd_grad):
    return (
        fd_grad(lambda x: f3(x, Y, Z), X),
        fd_grad(lambda y: f3(X, y, Z), Y),
        fd_grad(lambda z: f3(X, Y, z), Z),
    )


# --- grad and value_and_grad --------------------------------------------------------------
def test_grad_with_int_argnums(fd_grad, check_fd):
    dx, dy, dz = fd_partials(fd_grad)
    check_fd(nnlab.grad(f3)(X, Y, Z), dx)
    check_fd(nnlab.grad(f3, argnums=1)(X, Y, Z), dy)
    check_fd(nnlab.grad(f3, argnums=2)(X, Y, Z), dz)


def test_grad_with_tuple_argnums(fd_grad, check_fd):
    dx, dy, dz = fd_partials(fd_grad)
    grads = nnlab.grad(f3, argnums=(0, 2))(X, Y, Z)
    assert isinstance(grads, tuple) and len(grads) == 2
    check_fd(grads[0], dx)
    check_fd(grads[1], dz)
    one = nnlab.grad(f3, argnums=(1,))(X, Y, Z)
    assert isinstance(one, tuple) and len(one) == 1
    check_fd(one[0], dy)


def test_value_and_grad_returns_the_value_and_the_same_gradient():
    value, grads = nnlab.value_and_grad(f3, argnums=(0, 1, 2))(X, Y, Z)
    assert isinstance(value, float)
    assert value == pytest.approx(float(f3(X, Y, Z)), rel=1e-15)
    for a, b in zip(grads, nnlab.grad(f3, argnums=(0, 1, 2))(X, Y, Z), strict=True):
        np.testing.assert_array_equal(a, b)


def test_value_and_grad_passes_keyword_arguments_through():
    def f(x, scale=1.0):
        return nnlab.sum(x * x) * scale

    value, g = nnlab.value_and_grad(f)(X, scale=3.0)
    assert value == pytest.approx(3.0 * np.sum(X * X))
    np.testing.assert_allclose(g, 6.0 * X)


def test_grad_of_list_and_dict_parameters(fd_grad, check_fd):
    W, b = RNG.standard_normal((3, 2)), RNG.standard_normal(2)

    def loss(p):
        return nnlab.mean(nnlab.tanh(X @ p["W"] + p["b"]) ** 2)

    g = nnlab.grad(loss)({"W": W, "b": b})
    assert isinstance(g, dict) and set(g) == {"W", "b"}
    check_fd(g["W"], fd_grad(lambda W: loss({"W": W, "b": b}), W))
    check_fd(g["b"], fd_grad(lambda b: loss({"W": W, "b": b}), b))

    gl = nnlab.grad(lambda p: loss({"W": p[0], "b": p[1]}))([W, b])
    assert isinstance(gl, list) and len(gl) == 2
    np.testing.assert_allclose(gl[0], g["W"], rtol=1e-15)
    np.testing.assert_allclose(gl[1], g["b"], rtol=1e-15)

    nested = nnlab.grad(lambda p: loss({"W": p["layers"][0][0], "b": p["layers"][0][1]}))(
        {"layers": [(W, b)]}
    )
    assert isinstance(nested["layers"], list) and isinstance(nested["layers"][0], tuple)
    np.testing.assert_allclose(nested["layers"][0][0], g["W"], rtol=1e-15)


def test_grad_is_zero_for_an_argument_f_does_not_use():
    gx, gy = nnlab.grad(lambda x, y: nnlab.sum(y * y), argnums=(0, 1))(X, Y)
    np.testing.assert_array_equal(gx, np.zeros_like(X))
    np.testing.assert_allclose(gy, 2 * Y)
    # A leaf inside a dict that the loss ignores also gets zeros of its shape.
    g = nnlab.grad(lambda p: nnlab.sum(p["used"] ** 2))({"used": X, "unused": Y})
    np.testing.assert_array_equal(g["unused"], np.zeros((3, 2)))


def test_grad_of_a_function_that_ignores_all_arguments_is_an_error():
    # A zero gradient here would be a silent wrong answer: f's output was not computed from
    # its arguments by nnlab, so the engine cannot know what the derivative is.
    for fname, derivative in (("grad", nnlab.grad), ("value_and_grad", nnlab.value_and_grad)):
        with pytest.raises(NotDifferentiableError, match=rf"^{fname}: the output does not depend"):
            derivative(lambda x: 4.0)(X)
        with pytest.raises(NotDifferentiableError, match=r"\.item\(\), \.value or a numpy"):
            derivative(lambda x, y: np.sum(Z), argnums=(0, 1))(X, Y)


def test_a_tensor_output_computed_from_the_arguments_may_have_a_zero_gradient():
    # x * 0 is computed from x: its gradient is 0, correctly.
    value, g = nnlab.value_and_grad(lambda x: nnlab.sum(x * 0.0))(X)
    assert value == 0.0
    np.testing.assert_array_equal(g, np.zeros(3))


def test_grad_of_integer_inputs_is_float():
    g = nnlab.grad(lambda x: nnlab.sum(x * x))(np.array([1, 2, 3]))
    assert g.dtype == np.float64
    np.testing.assert_array_equal(g, [2.0, 4.0, 6.0])


def test_grad_accepts_a_size_one_output_of_any_rank():
    # grad documents "f must return a scalar" and accepts any size-1 output, e.g. the squared
    # error of one example through a 1-output network, whose value has shape (1,).
    w = np.array([[0.5], [-1.0], [2.0]])
    value, g = nnlab.value_and_grad(lambda w: (X @ w - 1.0) ** 2)(w)
    residual = float((X @ w)[0]) - 1.0
    assert value == pytest.approx(residual**2)
    np.testing.assert_allclose(g, 2 * residual * X[:, None])
    g = nnlab.grad(lambda x: nnlab.reshape(nnlab.sum(x * x), (1, 1)))(X)
    np.testing.assert_allclose(g, 2 * X)


def test_returned_gradients_are_independent_writeable_arrays():
    # Gradients handed to the user must be ordinary arrays: writeable, and sharing memory
    # neither with each other nor with the caller's cotangent, because optimisers and
    # gradient clipping update them in place.
    g = nnlab.grad(lambda x: nnlab.sum(x))(X)
    assert g.flags.writeable, "grad returned a read-only (broadcast) view"
    t = Tensor(X)
    nnlab.sum(t).backward()
    assert t.grad.flags.writeable, "Tensor.backward stored a read-only (broadcast) view"

    w = np.array([1.0, 2.0, 3.0])
    gx, gy = nnlab.grad(lambda x, y: (x + y) @ w, argnums=(0, 1))(X, X.copy())
    assert not np.shares_memory(gx, gy), "the gradients of x and y are one array"
    if gx.flags.writeable:
        gx *= 2.0
    np.testing.assert_array_equal(gy, w)

    cotangent = np.ones(3)
    _, pullback = nnlab.vjp(lambda x: x + 1.0, X)
    assert not np.shares_memory(pullback(cotangent), cotangent)


# --- vjp ----------------------------------------------------------------------------------
def test_vjp_matches_central_differences_and_pulls_back_twice(fd_jacobians, check_fd):
    def f(x, y):
        return nnlab.tanh(x @ y) * 2.0 + nnlab.sum(x)

    y, pullback = nnlab.vjp(f, X, Y)
    assert y.shape == (2,)
    np.testing.assert_allclose(y, f(X, Y), rtol=1e-15)
    Jx, Jy = fd_jacobians(f, X, Y)

    g1, g2 = np.array([1.0, -2.0]), np.array([0.5, 3.0])
    first = pullback(g1)
    second = pullback(g2)  # a second reverse pass over the same trace
    again = pullback(g1)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    check_fd(first[0], g1 @ Jx)
    check_fd(first[1], np.tensordot(g1, Jy, axes=1))
    check_fd(second[0], g2 @ Jx)
    check_fd(second[1], np.tensordot(g2, Jy, axes=1))
    # Pullbacks are linear in the cotangent.
    both = pullback(g1 + g2)
    for s, a, b in zip(both, first, second, strict=True):
        np.testing.assert_allclose(s, a + b, rtol=1e-13, atol=1e-15)


def test_vjp_of_one_input_returns_a_single_array():
    y, pullback = nnlab.vjp(lambda x: x * x, X)
    g = pullback(np.ones(3))
    assert isinstance(g, np.ndarray)
    np.testing.assert_allclose(g, 2 * X)


def test_vjp_of_a_constant_function_is_an_error():
    with pytest.raises(NotDifferentiableError, match="^vjp: the output does not depend"):
        nnlab.vjp(lambda x: np.ones(2), X)


# --- jvp ----------------------------------------------------------------------------------
def test_jvp_with_several_inputs(fd_jacobians, check_fd):
    def f(x, y, z):
        return nnlab.sigmoid(x @ y) * z

    vx, vy, vz = RNG.standard_normal(3), RNG.standard_normal((3, 2)), RNG.standard_normal(2)
    y, t = nnlab.jvp(f, (X, Y, Z), (vx, vy, vz))
    np.testing.assert_allclose(y, f(X, Y, Z), rtol=1e-15)
    Jx, Jy, Jz = fd_jacobians(f, X, Y, Z)
    expected = Jx @ vx + np.tensordot(Jy, vy, axes=2) + Jz @ vz
    check_fd(t, expected)
    # Linearity: the total tangent is the sum of the tangents of each input alone.
    zeros = (np.zeros(3), np.zeros((3, 2)), np.zeros(2))
    parts = []
    for k, v in enumerate((vx, vy, vz)):
        seeds = list(zeros)
        seeds[k] = v
        parts.append(nnlab.jvp(f, (X, Y, Z), tuple(seeds))[1])
    np.testing.assert_allclose(t, sum(parts), rtol=1e-13, atol=1e-15)


def test_jvp_with_a_single_input_needs_no_tuples():
    y, t = nnlab.jvp(nnlab.exp, X, np.ones(3))
    np.testing.assert_allclose(y, np.exp(X))
    np.testing.assert_allclose(t, np.exp(X))


def test_jvp_equals_vjp_transposed():
    """<J v, u> == <v, J^T u> for random u, v: forward and reverse mode agree."""

    def f(x):
        return nnlab.softmax(nnlab.tanh(x @ Y))

    v, u = RNG.standard_normal(3), RNG.standard_normal(2)
    _, Jv = nnlab.jvp(f, (X,), (v,))
    _, pullback = nnlab.vjp(f, X)
    assert float(Jv @ u) == pytest.approx(float(v @ pullback(u)), rel=1e-12)


# --- jacobian -----------------------------------------------------------------------------
def test_jacobian_both_modes_agree_and_count_passes(fd_jacobians, check_fd):
    A = RNG.standard_normal((5, 2))

    def f(x):  # R^5 -> R^2
        return nnlab.tanh(x @ A) + nnlab.sum(x * x)

    x = RNG.standard_normal(5)
    forward = nnlab.jacobian(f, x, mode="forward")
    reverse = nnlab.jacobian(f, x, mode="reverse")
    default = nnlab.jacobian(f, x)
    assert isinstance(forward, nnlab.JacobianResult)
    assert forward.passes == 5  # one tangent sweep per input entry
    assert reverse.passes == 2  # one adjoint sweep per output entry
    assert default.passes == 2
    assert forward.jacobian.shape == reverse.jacobian.shape == (2, 5)
    np.testing.assert_allclose(forward.jacobian, reverse.jacobian, rtol=1e-13, atol=1e-15)
    check_fd(reverse.jacobian, fd_jacobians(f, x)[0])


def test_jacobian_of_matrix_input_has_output_shape_then_input_shape(fd_jacobians, check_fd):
    def f(M):  # R^(2x3) -> R^3
        return nnlab.sum(nnlab.exp(M) * M, axis=0)

    M = RNG.standard_normal((2, 3))
    forward = nnlab.jacobian(f, M, mode="forward")
    reverse = nnlab.jacobian(f, M, mode="reverse")
    assert forward.jacobian.shape == reverse.jacobian.shape == (3, 2, 3)
    assert (forward.passes, reverse.passes) == (6, 3)
    np.testing.assert_allclose(forward.jacobian, reverse.jacobian, rtol=1e-13, atol=1e-15)
    check_fd(forward.jacobian, fd_jacobians(f, M)[0])


def test_jacobian_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match="forward"):
        nnlab.jacobian(nnlab.exp, X, mode="sideways")


# --- Tensor.backward ----------------------------------------------------------------------
def test_backward_accumulates_into_leaves_and_overwrites_interior_nodes():
    x = Tensor([1.0, -2.0, 3.0])
    h = (x * x).named("h")
    out = nnlab.sum(h * 3.0)
    out.backward()
    np.testing.assert_allclose(x.grad, 6 * x.value)
    np.testing.assert_allclose(h.grad, [3.0, 3.0, 3.0])
    out.backward()  # second call: the leaf accumulates, the interior node does not
    np.testing.assert_allclose(x.grad, 12 * x.value)
    np.testing.assert_allclose(h.grad, [3.0, 3.0, 3.0])
    np.testing.assert_allclose(out.grad, 1.0)

    nnlab.sum(x * 5.0).backward()  # another graph on the same leaf adds its gradient too
    np.testing.assert_allclose(x.grad, 12 * x.value + 5.0)


def test_backward_with_a_seed_is_a_vector_jacobian_product():
    x = Tensor(X)
    y = nnlab.tanh(x @ Y)
    seed = np.array([2.0, -1.0])
    y.backward(seed)
    np.testing.assert_allclose(x.grad, Y @ (seed * (1 - np.tanh(X @ Y) ** 2)), rtol=1e-14)


def test_a_leaf_used_twice_gets_both_contributions():
    x = Tensor(2.0)
    y = x * x * x + x
    y.backward()
    assert y.item() == 10.0
    assert x.grad == pytest.approx(3 * 4.0 + 1)


# --- operator overloads --------------------------------------------------------------------
@pytest.mark.parametrize(
    "op, expected_grad",
    [
        (lambda a, t: a + t, lambda a, x: np.ones_like(x)),
        (lambda a, t: a - t, lambda a, x: -np.ones_like(x)),
        (lambda a, t: a * t, lambda a, x: a),
        (lambda a, t: a / t, lambda a, x: -a / x**2),
        (lambda a, t: a**t, lambda a, x: a**x * np.log(a)),
    ],
    ids=["add", "sub", "mul", "div", "pow"],
)
def test_ndarray_on_the_left_returns_a_tensor(op, expected_grad):
    a = np.array([1.5, 2.0, 3.0])
    x = np.array([0.5, -1.0, 2.0])
    t = Tensor(x)
    out = op(a, t)
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.value, op(a, x))
    nnlab.sum(out).backward()
    np.testing.assert_allclose(t.grad, expected_grad(a, x), rtol=1e-14)


def test_ndarray_matmul_tensor_returns_a_tensor():
    t = Tensor(Y)
    out = X @ t
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.value, X @ Y)
    nnlab.sum(out).backward()
    np.testing.assert_allclose(t.grad, np.outer(X, np.ones(2)))


def test_python_numbers_on_the_left():
    t = Tensor(np.array([1.0, 2.0]))
    for out, value in [
        (3 + t, [4, 5]),
        (3 - t, [2, 1]),
        (3 * t, [3, 6]),
        (4 / t, [4, 2]),
        (2**t, [2, 4]),
    ]:
        assert isinstance(out, Tensor)
        np.testing.assert_allclose(out.value, value)


def test_operators_on_tensors_build_the_expected_nodes():
    a, b = Tensor(X), Tensor(Y)
    assert (a + 1).op == "add" and (a - 1).op == "sub" and (-a).op == "neg"
    assert (a @ b).op == "matmul" and abs(a).op == "abs" and (a**2).op == "pow"
    assert b.T.op == "transpose" and b[0].op == "getitem" and a.sum().op == "sum"
    assert a.mean().op == "mean" and b.reshape(6).op == "reshape"
    assert (a @ b).parents == (a, b)


# --- dtypes -------------------------------------------------------------------------------
def test_float32_stays_float32_through_forward_and_backward():
    rng = np.random.default_rng(3)
    x = Tensor(rng.standard_normal((4, 3)).astype(np.float32))
    W = Tensor(rng.standard_normal((3, 2)).astype(np.float32))
    b = Tensor(np.zeros(2, dtype=np.float32))
    h = nnlab.tanh(x @ W + b) * 2.0 - 1.0
    h = nnlab.sigmoid(h) + nnlab.softplus(h) + nnlab.relu(h) + nnlab.leaky_relu(h) + h**2 / 3.0
    h = nnlab.softmax(h, axis=1) + nnlab.logsumexp(h, axis=1, keepdims=True) + nnlab.exp(-abs(h))
    loss = nnlab.mean(nnlab.log(h + 1.0)) + nnlab.sum(h[:, 0]) + nnlab.maximum(h, 0.5).T.sum()
    nodes = toposort(loss)
    assert all(n.dtype == np.float32 for n in nodes), {n.op: n.dtype for n in nodes}
    loss.backward()
    assert {n.grad.dtype for n in nodes} == {np.dtype(np.float32)}
    assert x.grad.shape == (4, 3) and W.grad.shape == (3, 2) and b.grad.shape == (2,)

    g = nnlab.grad(lambda w: nnlab.sum(nnlab.tanh(x.value @ w)))(W.value)
    assert g.dtype == np.float32
    _, t = nnlab.jvp(lambda w: nnlab.tanh(x.value @ w), (W.value,), (np.ones((3, 2), np.float32),))
    assert t.dtype == np.float32


def test_float32_mlp_loss_and_gradients_stay_float32():
    net = nnlab.MLP([3, 4, 2], activation="tanh", output="softmax", dtype=np.float32)
    X32 = RNG.standard_normal((5, 3)).astype(np.float32)
    value, grads = nnlab.value_and_grad(
        lambda p: nnlab.softmax_cross_entropy(net.logits(X32, p), np.array([0, 1, 1, 0, 1]))
    )(net.parameters())
    assert all(p.dtype == np.float32 for p in net.parameters())
    assert all(g.dtype == np.float32 for g in grads)
    assert np.isfinite(value)


def test_gradients_of_two_arguments_never_share_one_array():
    # add's VJP hands the same (freshly allocated) array to both of its parents.
    c = np.array([[1.0, 2.0], [3.0, 4.0]])
    gx, gy = nnlab.grad(lambda x, y: nnlab.sum((x + y) * c), argnums=(0, 1))(
        np.ones((2, 2)), np.ones((2, 2))
    )
    np.testing.assert_array_equal(gx, c)
    np.testing.assert_array_equal(gy, c)
    assert not np.shares_memory(gx, gy)
    gx += 1
    np.testing.assert_array_equal(gy, c)


# --- forward mode streams ------------------------------------------------------------------
def test_jvp_streams_its_tangents_and_records_no_graph():
    W = RNG.standard_normal((3, 4))
    seen = []

    def f(x):
        h = nnlab.tanh(x @ W)
        seen.append(h)
        return nnlab.sum(nnlab.sigmoid(h) * h)

    v = RNG.standard_normal(3)
    y, t = nnlab.jvp(f, (X,), (v,))
    (h,) = seen
    # The intermediate carried its tangent and kept no link back to what made it.
    assert type(h) is JVPTensor and h.parents == () and h.op == "tanh"
    np.testing.assert_allclose(h.tangent, (1 - np.tanh(X @ W) ** 2) * (v @ W), rtol=1e-14)
    # The same rules as the recorded forward walk of trace, to the last bit.
    graph = nnlab.trace(f, X)
    assert float(y) == float(graph.nodes[graph.output].value)
    np.testing.assert_array_equal(t, graph.tangents(0, direction=v)[graph.output])


def test_forward_jacobian_takes_one_streaming_pass_per_input():
    calls = []

    def f(x):
        calls.append(type(x))
        return nnlab.tanh(x * 2.0)

    result = nnlab.jacobian(f, X, mode="forward")
    assert result.passes == 3 and calls == [JVPTensor] * 3
    np.testing.assert_allclose(result.jacobian, np.diag(2 * (1 - np.tanh(2 * X) ** 2)))
