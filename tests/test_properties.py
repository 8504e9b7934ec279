"""Property tests: reverse mode == forward mode == HIPS autograd == central differences.

Hypothesis draws shapes, compositions of ops, MLP architectures and inputs. Tolerances:

* reverse mode, forward mode and autograd compute the same derivative exactly up to
  rounding, so they must agree to a norm-wise relative error of ``EXACT_RTOL = 1e-7``
  (measured against at least ``EXACT_FLOOR``, so a gradient that cancels to ~0 does not turn
  rounding noise into a relative error of 1);
* central differences carry O(h^2) truncation and O(eps_mach / h) roundoff error
  (h = 1e-6), so they are compared with ``max|exact - fd| <= FD_RTOL * max|exact| + FD_ATOL``,
  ``FD_RTOL = 1e-5`` and ``FD_ATOL = 1e-8``;
* ReLU networks are compared between the exact modes only: at a kink finite differences
  are meaningless. Both engines use the subgradient 0 at exactly 0 there (``np.where``
  in the autograd version, not ``np.maximum``, which autograd splits 50/50 at ties).
"""

from __future__ import annotations

from types import SimpleNamespace

import autograd
import autograd.numpy as anp
import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import nnlab

EXACT_RTOL = 1e-7
EXACT_FLOOR = 1e-5  # gradients that cancel to ~0 are compared to within 1e-7 * 1e-5 absolutely
FD_RTOL = 1e-5
FD_ATOL = 1e-8

finite = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False, width=64)


# --- random compositions of ops on random shapes ---------------------------------------------
def _ag_softmax(v, axis=-1):
    e = anp.exp(v - anp.max(v, axis=axis, keepdims=True))
    return e / anp.sum(e, axis=axis, keepdims=True)


def _ag_logsumexp(v, axis=None, keepdims=False):
    m = anp.max(v, axis=axis, keepdims=True)
    out = anp.log(anp.sum(anp.exp(v - m), axis=axis, keepdims=True)) + m
    return out if keepdims else anp.squeeze(out, axis=axis)


# The same formulas run on nnlab (Tensors) and on autograd.numpy: each library differentiates
# them its own way.
AG = SimpleNamespace(
    tanh=anp.tanh,
    exp=anp.exp,
    log=anp.log,
    sum=anp.sum,
    mean=anp.mean,
    transpose=anp.transpose,
    reshape=anp.reshape,
    sigmoid=lambda v: 1.0 / (1.0 + anp.exp(-v)),
    softplus=lambda v: anp.logaddexp(0.0, v),
    softmax=_ag_softmax,
    logsumexp=_ag_logsumexp,
)

# Each step maps the running value v to a value of the same shape and keeps it O(1), so long
# chains neither overflow nor saturate. `c` is a constant that broadcasts against v.
STEPS = {
    "tanh": lambda m, v, c: m.tanh(v),
    "sigmoid": lambda m, v, c: m.sigmoid(2.0 * v),
    "softplus": lambda m, v, c: m.softplus(v) - 1.0,
    "gaussian": lambda m, v, c: m.exp(-v * v),
    "affine": lambda m, v, c: v * c + 0.5,
    "divide": lambda m, v, c: v / (1.5 + c * c),
    "square": lambda m, v, c: m.tanh(v * v - v),
    "self-product": lambda m, v, c: v * m.tanh(v + c),
    "log": lambda m, v, c: m.log(1.0 + v * v),
    "pow": lambda m, v, c: (1.0 + v * v) ** -0.5,
    "softmax": lambda m, v, c: m.softmax(v, axis=-1),
    "center": lambda m, v, c: v - m.mean(v, axis=0, keepdims=True),
    "lse": lambda m, v, c: m.tanh(v - m.logsumexp(v, axis=-1, keepdims=True)),
    "sum-back": lambda m, v, c: v + m.tanh(m.sum(v * c, axis=-1, keepdims=True)),
    "transpose-twice": lambda m, v, c: m.transpose(m.transpose(v) * 0.5) + v,
    "reshape-twice": lambda m, v, c: m.reshape(m.reshape(v, (-1,)), v.shape) * c,
    "reversed": lambda m, v, c: (v[::-1] - v) * 0.5,
}


@st.composite
def compositions(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    x = draw(hnp.arrays(np.float64, shape, elements=finite))
    names = draw(st.lists(st.sampled_from(sorted(STEPS)), min_size=1, max_size=5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    consts = []
    for _ in names:
        c_shape = tuple(1 if rng.random() < 0.5 else n for n in shape)
        c_shape = c_shape[rng.integers(0, len(shape) + 1) :]  # maybe fewer leading axes
        consts.append(rng.uniform(-1.5, 1.5, c_shape))
    weights = rng.standard_normal(shape)
    return names, x, consts, weights


def _program(m, names, consts, weights):
    def f(x):
        v = x
        for name, c in zip(names, consts, strict=True):
            v = STEPS[name](m, v, c)
        return m.sum(v * weights)

    return f


@given(composition=compositions())
def test_random_compositions_all_modes_agree(composition, fd_grad, rel_err, check_fd):
    names, x, consts, weights = composition
    f = _program(nnlab, names, consts, weights)
    f_ag = _program(AG, names, consts, weights)

    value, reverse = nnlab.value_and_grad(f)(x)
    forward = nnlab.jacobian(f, x, mode="forward")
    assert forward.passes == x.size
    oracle = autograd.grad(f_ag)(x)

    assert np.isclose(value, f_ag(x), rtol=1e-12, atol=1e-12)
    assert reverse.shape == x.shape
    assert rel_err(reverse, forward.jacobian, EXACT_FLOOR) <= EXACT_RTOL, names
    assert rel_err(reverse, oracle, EXACT_FLOOR) <= EXACT_RTOL, names
    check_fd(reverse, fd_grad(f, x), rtol=FD_RTOL, atol=FD_ATOL, what=str(names))


# --- random MLPs -----------------------------------------------------------------------------
SMOOTH = ["tanh", "sigmoid", "softplus"]
OUTPUTS = ["identity", "sigmoid", "softmax"]


@st.composite
def mlp_problems(draw, hidden_activations):
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=4))
    activations = [draw(st.sampled_from(hidden_activations)) for _ in sizes[2:]]
    output = draw(st.sampled_from(OUTPUTS))
    bias = draw(st.lists(st.booleans(), min_size=len(sizes) - 1, max_size=len(sizes) - 1))
    n = draw(st.integers(1, 4))
    X = draw(hnp.arrays(np.float64, (n, sizes[0]), elements=finite))
    seed = draw(st.integers(0, 2**32 - 1))
    net = nnlab.MLP(sizes, activation=activations, output=output, seed=seed % 1000, bias=bias)
    rng = np.random.default_rng(seed)
    # Non-zero biases, so that their gradients are exercised away from the initial point.
    params = [p + rng.uniform(-0.5, 0.5, p.shape) if p.ndim == 1 else p for p in net.parameters()]
    k = sizes[-1]
    if output == "identity":
        targets = rng.standard_normal((n, k))
    elif output == "sigmoid":
        targets = (rng.random((n, k)) < 0.5).astype(float)
    else:
        targets = rng.integers(0, k, n)
    R = rng.standard_normal((n, k))
    return net, params, X, targets, R


def nnlab_objective(net, X, targets, R):
    """A scalar loss of the parameters: the output's natural loss (+ a probe of the softmax)."""

    def f(params):
        out = net.apply(params, X)
        if net.output == "identity":
            return nnlab.mse(out, targets)
        if net.output == "sigmoid":
            return nnlab.binary_cross_entropy(out, targets)
        ce = nnlab.softmax_cross_entropy(net.logits(X, params), targets)
        return ce + nnlab.mean(out * R)

    return f


AG_HIDDEN = {
    "tanh": anp.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + anp.exp(-z)),
    "softplus": lambda z: anp.logaddexp(0.0, z),
    # Subgradient 0 at exactly 0, like nnlab (autograd's np.maximum would give 1/2 at ties).
    "relu": lambda z: anp.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: anp.where(z > 0, z, 0.01 * z),
}


def autograd_objective(net, X, targets, R):
    """The same network and loss written independently with autograd.numpy."""
    spec = net.spec()
    k = spec["sizes"][-1]

    def f(params):
        it = iter(params)
        a = X
        depth = len(spec["sizes"]) - 1
        for layer in range(depth):
            W = next(it)
            z = anp.dot(a, W)
            if spec["bias"][layer]:
                z = z + next(it)
            a = AG_HIDDEN[spec["activation"][layer]](z) if layer < depth - 1 else z
        if spec["output"] == "identity":
            return anp.mean((z - targets) ** 2)
        if spec["output"] == "sigmoid":
            p = 1.0 / (1.0 + anp.exp(-z))
            return -anp.mean(targets * anp.log(p) + (1 - targets) * anp.log(1 - p))
        m = anp.max(z, axis=1, keepdims=True)
        lse = anp.log(anp.sum(anp.exp(z - m), axis=1, keepdims=True)) + m
        probs = anp.exp(z - lse)
        onehot = np.eye(k)[targets]
        ce = anp.mean(lse[:, 0] - anp.sum(z * onehot, axis=1))
        return ce + anp.mean(probs * R)

    return f


def flat_version(f, shapes):
    """``f`` of a flat parameter vector, unpacked by getitem and reshape (works on Tensors too)."""
    ends = np.cumsum([int(np.prod(s)) for s in shapes]).tolist()
    spans = list(zip([0, *ends[:-1]], ends, shapes, strict=True))

    def g(theta):
        return f([theta[a:b].reshape(s) for a, b, s in spans])

    return g


def _all_modes(net, params, X, targets, R):
    f = nnlab_objective(net, X, targets, R)
    value, reverse = nnlab.value_and_grad(f)(params)
    assert [g.shape for g in reverse] == [p.shape for p in params]
    reverse = np.concatenate([g.ravel() for g in reverse])

    theta = np.concatenate([p.ravel() for p in params])
    f_flat = flat_version(f, [p.shape for p in params])
    forward = nnlab.jacobian(f_flat, theta, mode="forward")
    assert forward.passes == theta.size

    f_ag = autograd_objective(net, X, targets, R)
    ag_value = f_ag(params)
    oracle = np.concatenate([g.ravel() for g in autograd.grad(f_ag)(params)])
    return value, ag_value, reverse, forward.jacobian, oracle, f_flat, theta


@given(problem=mlp_problems(SMOOTH))
def test_smooth_mlp_gradients_all_modes_agree(problem, fd_grad, rel_err, check_fd):
    net, params, X, targets, R = problem
    value, ag_value, reverse, forward, oracle, f_flat, theta = _all_modes(
        net, params, X, targets, R
    )
    assert np.isclose(value, ag_value, rtol=1e-12, atol=1e-14)
    assert rel_err(reverse, forward, EXACT_FLOOR) <= EXACT_RTOL
    assert rel_err(reverse, oracle, EXACT_FLOOR) <= EXACT_RTOL
    check_fd(reverse, fd_grad(f_flat, theta), rtol=FD_RTOL, atol=FD_ATOL, what=repr(net))


@given(problem=mlp_problems(["relu", "leaky_relu"]))
def test_relu_mlp_gradients_reverse_forward_and_autograd_agree(problem, rel_err):
    net, params, X, targets, R = problem
    value, ag_value, reverse, forward, oracle, _, _ = _all_modes(net, params, X, targets, R)
    assert np.isclose(value, ag_value, rtol=1e-12, atol=1e-14)
    assert rel_err(reverse, forward, EXACT_FLOOR) <= EXACT_RTOL
    assert rel_err(reverse, oracle, EXACT_FLOOR) <= EXACT_RTOL


@given(problem=mlp_problems(SMOOTH + ["relu"]))
def test_mlp_on_arrays_equals_mlp_on_tensors(problem):
    """The same network evaluated on plain arrays (no tracing) and inside grad gives one value."""
    net, params, X, targets, R = problem
    f = nnlab_objective(net, X, targets, R)
    plain = float(f(params))
    traced, _ = nnlab.value_and_grad(f)(params)
    assert plain == traced


@given(
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=finite),
    st.integers(0, 2**32 - 1),
)
def test_vjp_and_jvp_are_adjoint(x, seed):
    """<u, J v> == <J^T u, v>: forward and reverse mode are transposes of each other."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((x.shape[-1], 3))

    def f(x):
        return nnlab.softmax(nnlab.tanh(x @ A), axis=-1) * nnlab.sum(x * x)

    v = rng.standard_normal(x.shape)
    y, Jv = nnlab.jvp(f, (x,), (v,))
    u = rng.standard_normal(y.shape)
    _, pullback = nnlab.vjp(f, x)
    lhs, rhs = float(np.vdot(u, Jv)), float(np.vdot(pullback(u), v))
    assert abs(lhs - rhs) <= 1e-10 * max(1.0, abs(lhs), abs(rhs))


# --- single primitives on random shapes --------------------------------------------------------
def _check_vjp_jvp(f, xs, seed, fd_jacobians, check_fd, rel_err):
    """Reverse mode (random cotangent) and forward mode (random tangents) vs FD and each other."""
    rng = np.random.default_rng(seed)
    y, pullback = nnlab.vjp(f, *xs)
    g = rng.standard_normal(np.shape(y))
    grads = pullback(g)
    grads = grads if len(xs) > 1 else (grads,)
    vs = tuple(rng.standard_normal(np.shape(x)) for x in xs)
    _, t = nnlab.jvp(f, tuple(xs), vs)
    jacobians = fd_jacobians(f, *xs)
    for k, (x, gx, J) in enumerate(zip(xs, grads, jacobians, strict=True)):
        assert np.shape(gx) == np.shape(x)
        check_fd(gx, np.tensordot(g, J, axes=g.ndim), rtol=FD_RTOL, atol=FD_ATOL, what=f"vjp {k}")
    expected = sum(np.tensordot(J, v, axes=v.ndim) for J, v in zip(jacobians, vs, strict=True))
    check_fd(t, expected, rtol=FD_RTOL, atol=FD_ATOL, what="jvp")
    # <g, J v> computed by the two modes agree to rounding.
    lhs = float(np.vdot(g, t))
    rhs = float(sum(np.vdot(gx, v) for gx, v in zip(grads, vs, strict=True)))
    assert rel_err(lhs, rhs, 1.0) <= EXACT_RTOL


BINARY_OPS = {
    "add": nnlab.add,
    "sub": nnlab.subtract,
    "mul": nnlab.multiply,
    "div": lambda x, y: nnlab.divide(x, 1.5 + nnlab.tanh(y)),
    "pow": lambda x, y: nnlab.power(1.5 + nnlab.tanh(x), y),
    "maximum": lambda x, y: nnlab.maximum(x, y + 10.0),  # y wins everywhere: no ties
}


@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3),
    op=st.sampled_from(sorted(BINARY_OPS)),
    seed=st.integers(0, 2**32 - 1),
)
def test_binary_ops_broadcast_on_random_shapes(shapes, op, seed, fd_jacobians, check_fd, rel_err):
    rng = np.random.default_rng(seed)
    xs = [rng.standard_normal(s) for s in shapes.input_shapes]
    f = BINARY_OPS[op]
    assert np.shape(f(*xs)) == shapes.result_shape
    _check_vjp_jvp(f, xs, seed, fd_jacobians, check_fd, rel_err)


@given(
    shapes=hnp.mutually_broadcastable_shapes(
        signature="(m?,n),(n,p?)->(m?,p?)", max_dims=2, max_side=3
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_matmul_on_random_shapes(shapes, seed, fd_jacobians, check_fd, rel_err):
    rng = np.random.default_rng(seed)
    xs = [rng.standard_normal(s) for s in shapes.input_shapes]
    _check_vjp_jvp(nnlab.matmul, xs, seed, fd_jacobians, check_fd, rel_err)


@st.composite
def reductions(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    ndim = len(shape)
    axes = draw(
        st.lists(
            st.integers(-ndim, ndim - 1), min_size=1, max_size=ndim, unique_by=lambda a: a % ndim
        )
    )
    axis = draw(st.sampled_from([None, axes[0], tuple(axes)]))
    keepdims = draw(st.booleans())
    op = draw(st.sampled_from(["sum", "mean", "logsumexp", "softmax"]))
    if op == "softmax":
        return shape, op, {"axis": axes[0]}
    return shape, op, {"axis": axis, "keepdims": keepdims}


@given(case=reductions(), seed=st.integers(0, 2**32 - 1))
def test_reductions_on_random_axes(case, seed, fd_jacobians, check_fd, rel_err):
    shape, op, kw = case
    x = np.random.default_rng(seed).standard_normal(shape)
    fn = getattr(nnlab, op)
    _check_vjp_jvp(lambda x: fn(x, **kw), [x], seed, fd_jacobians, check_fd, rel_err)
    expected = {
        "sum": lambda: np.sum(x, **kw),
        "mean": lambda: np.mean(x, **kw),
        "logsumexp": lambda: np.log(np.sum(np.exp(x), **kw)),
        "softmax": lambda: np.exp(x) / np.sum(np.exp(x), axis=kw["axis"], keepdims=True),
    }[op]()
    np.testing.assert_allclose(fn(x, **kw), expected, rtol=1e-12, atol=1e-15)


@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3),
    data=st.data(),
    seed=st.integers(0, 2**32 - 1),
)
def test_transpose_and_reshape_on_random_shapes(shape, data, seed, fd_jacobians, check_fd, rel_err):
    ndim = len(shape)
    perm = data.draw(st.permutations(range(ndim)))
    axes = tuple(a - ndim if data.draw(st.booleans()) else a for a in perm)  # some negative
    x = np.random.default_rng(seed).standard_normal(shape)
    _check_vjp_jvp(lambda x: nnlab.transpose(x, axes), [x], seed, fd_jacobians, check_fd, rel_err)
    new_shape = (-1,) + shape[:1] if x.size % shape[0] == 0 else (-1,)
    _check_vjp_jvp(
        lambda x: nnlab.reshape(x, new_shape), [x], seed, fd_jacobians, check_fd, rel_err
    )


@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
    data=st.data(),
    seed=st.integers(0, 2**32 - 1),
)
def test_getitem_on_random_indices(shape, data, seed, fd_jacobians, check_fd, rel_err):
    index = data.draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    rows = data.draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=1, max_size=5))
    x = np.random.default_rng(seed).standard_normal(shape)
    _check_vjp_jvp(lambda x: x[index], [x], seed, fd_jacobians, check_fd, rel_err)
    # Fancy indexing on the first axis, repeats allowed: the gradient accumulates.
    _check_vjp_jvp(lambda x: x[rows], [x], seed, fd_jacobians, check_fd, rel_err)
