"""Errors name the problem in the learner's terms: the op, the shapes, the valid choices."""

from __future__ import annotations

import re

import numpy as np
import pytest

import nnlab
from nnlab import MLP, ShapeError, Tensor
from nnlab.engine.errors import NotDifferentiableError


def message(excinfo) -> str:
    return str(excinfo.value)


# --- shapes --------------------------------------------------------------------------------
@pytest.mark.parametrize("wrap", [Tensor, np.asarray], ids=["tensor", "array"])
def test_matmul_shape_error_names_the_op_and_both_shapes(wrap):
    with pytest.raises(ShapeError) as excinfo:
        nnlab.matmul(wrap(np.ones((3, 2))), np.ones((3, 1)))
    text = message(excinfo)
    assert "matmul" in text and "(3, 2)" in text and "(3, 1)" in text
    assert isinstance(excinfo.value, ValueError)  # still catchable as a ValueError
    assert isinstance(excinfo.value, nnlab.NnlabError)


def test_matmul_operator_shape_error():
    with pytest.raises(ShapeError, match=r"matmul.*\(3, 2\).*\(3, 1\)"):
        Tensor(np.ones((3, 2))) @ np.ones((3, 1))


def test_add_shape_error_names_the_op_and_both_shapes():
    with pytest.raises(ShapeError) as excinfo:
        Tensor(np.ones((2, 3))) + np.ones(4)
    text = message(excinfo)
    assert "add" in text and "(2, 3)" in text and "(4,)" in text
    with pytest.raises(ShapeError, match=r"add.*\(2, 3\).*\(4,\)"):
        nnlab.add(np.ones((2, 3)), np.ones(4))


def test_other_binary_ops_name_themselves():
    a, b = Tensor(np.ones((2, 3))), np.ones(4)
    for op, name in [
        (lambda: a - b, "sub"),
        (lambda: a * b, "mul"),
        (lambda: a / b, "div"),
        (lambda: nnlab.maximum(a, b), "maximum"),
    ]:
        with pytest.raises(ShapeError, match=rf"^{name}\b.*\(2, 3\).*\(4,\)"):
            op()


def test_reshape_to_the_wrong_size():
    with pytest.raises(ShapeError, match=r"reshape.*\(6,\)"):
        nnlab.reshape(Tensor(np.ones(6)), (4, 2))


# --- names ---------------------------------------------------------------------------------
def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match="swish") as excinfo:
        MLP([2, 3, 1], activation="swish")
    text = message(excinfo)
    for name in ["'relu'", "'tanh'", "'sigmoid'", "'leaky_relu'", "'softplus'", "'identity'"]:
        assert name in text
    with pytest.raises(ValueError, match="'relu'"):
        nnlab.get_activation("Relu")


def test_unknown_output_activation_lists_valid_names():
    with pytest.raises(ValueError) as excinfo:
        MLP([2, 3, 1], output="tanh")
    text = message(excinfo)
    assert "output activation" in text and "'tanh'" in text
    for name in ["'identity'", "'sigmoid'", "'softmax'"]:
        assert name in text


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError) as excinfo:
        nnlab.get_loss("hinge")
    text = message(excinfo)
    assert "'hinge'" in text
    for name in ["'mse'", "'bce'", "'bce_logits'", "'softmax_ce'"]:
        assert name in text
    with pytest.raises(ValueError, match="'softmax_ce'"):
        nnlab.backprop.loss_and_gradients(MLP([2, 1]), np.ones((2, 2)), np.ones(2), "hinge")


def test_unknown_jacobian_mode():
    with pytest.raises(ValueError, match="'forward'.*'reverse'"):
        nnlab.jacobian(nnlab.exp, np.ones(2), mode="both")


# --- labels and predictions -------------------------------------------------------------------
@pytest.mark.parametrize(
    "labels, shown",
    [(np.array([0, 2, 1]), "2"), (np.array([0.5, 1.0, 0.0]), "0.5"), (np.array([-1, 0, 1]), "-1")],
)
@pytest.mark.parametrize(
    "loss",
    [nnlab.binary_cross_entropy, nnlab.binary_cross_entropy_with_logits],
    ids=["bce", "bce_logits"],
)
def test_binary_cross_entropy_rejects_labels_other_than_0_and_1(labels, shown, loss):
    with pytest.raises(ValueError, match="labels must be 0 or 1") as excinfo:
        loss(np.array([0.2, 0.7, 0.4]), labels)
    assert shown in message(excinfo)


def test_binary_cross_entropy_rejects_probabilities_outside_0_1():
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]") as excinfo:
        nnlab.binary_cross_entropy(np.array([0.2, 1.7]), np.array([0, 1]))
    assert "1.7" in message(excinfo)
    with pytest.raises(ValueError, match="probabilities"):
        nnlab.binary_cross_entropy(np.array([-0.1, 0.5]), np.array([0, 1]))


def test_one_hot_rejects_labels_out_of_range():
    with pytest.raises(ValueError, match=r"0\.\.2 for 3 classes") as excinfo:
        nnlab.one_hot(np.array([0, 3]), 3)
    assert "3" in message(excinfo)
    with pytest.raises(ValueError, match=r"0\.\.2"):
        nnlab.one_hot(np.array([0, -1]), 3)
    with pytest.raises(ValueError, match="integers"):
        nnlab.one_hot(np.array([0.5, 1.0]), 3)
    with pytest.raises(ValueError, match="1-D"):
        nnlab.one_hot(np.array([[0, 1]]), 3)


def test_softmax_cross_entropy_rejects_labels_out_of_range():
    with pytest.raises(ValueError, match=r"0\.\.2 for 3 classes"):
        nnlab.softmax_cross_entropy(np.ones((2, 3)), np.array([0, 3]))


def test_softmax_cross_entropy_rejects_one_hot_of_the_wrong_width():
    with pytest.raises(ShapeError) as excinfo:
        nnlab.softmax_cross_entropy(np.ones((2, 3)), np.ones((2, 4)))
    text = message(excinfo)
    assert "(2, 3)" in text and "(2, 4)" in text


def test_softmax_cross_entropy_rejects_a_wrong_number_of_labels():
    with pytest.raises(ShapeError, match="2 rows of logits but 3 labels"):
        nnlab.softmax_cross_entropy(np.ones((2, 3)), np.array([0, 1, 2]))
    with pytest.raises(ShapeError, match=r"\(n, k\)"):
        nnlab.softmax_cross_entropy(np.ones(3), np.array([0]))


def test_loss_targets_of_the_wrong_shape():
    with pytest.raises(ShapeError, match=r"mse.*\(3, 2\).*\(3,\)"):
        nnlab.mse(np.ones((3, 2)), np.ones(3))


def test_non_finite_targets_are_rejected():
    with pytest.raises(ValueError, match="non-finite"):
        nnlab.mse(np.ones(3), np.array([1.0, np.nan, 0.0]))


# --- MLP inputs and construction ----------------------------------------------------------------
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_mlp_input_gives_a_clear_message(bad):
    X = np.ones((3, 2))
    X[1, 0] = bad
    with pytest.raises(
        ValueError, match=r"MLP input contains 1 non-finite value\(s\) \(nan or inf\)"
    ):
        MLP([2, 3, 1])(X)
    with pytest.raises(ValueError, match="non-finite"):
        nnlab.backprop.loss_and_gradients(MLP([2, 3, 1]), X, np.ones(3), "mse")


@pytest.mark.parametrize("shape", [(4, 3), (3,), (2, 2, 2)])
def test_mlp_input_of_the_wrong_width_names_expected_and_got(shape):
    with pytest.raises(ShapeError) as excinfo:
        MLP([2, 3, 1])(np.ones(shape))
    text = message(excinfo)
    assert "(n, 2)" in text and str(shape) in text


def test_mlp_construction_errors():
    with pytest.raises(ValueError, match="1 hidden layer.*1 activation"):
        MLP([2, 3, 1], activation=["relu", "tanh"])
    with pytest.raises(ValueError, match="one flag per layer"):
        MLP([2, 3, 1], bias=[True])
    with pytest.raises(ValueError, match="at least two positive integers"):
        MLP([2])
    with pytest.raises(ValueError, match="positive integers"):
        MLP([2, 0, 1])
    with pytest.raises(ShapeError, match="set_parameters"):
        MLP([2, 3, 1]).set_parameters([np.ones((2, 3))])


# --- autodiff misuse -----------------------------------------------------------------------
def test_backward_on_a_non_scalar_needs_a_seed():
    with pytest.raises(ValueError, match="seed") as excinfo:
        (Tensor(np.ones(3)) * 2).backward()
    assert "(3,)" in message(excinfo)
    with pytest.raises(ShapeError, match=r"seed of shape \(2,\).*\(3,\)"):
        (Tensor(np.ones(3)) * 2).backward(np.ones(2))


def test_grad_of_a_vector_valued_function_points_to_vjp_and_jacobian():
    with pytest.raises(ValueError) as excinfo:
        nnlab.grad(lambda x: x * 2)(np.ones(3))
    text = message(excinfo)
    assert "scalar" in text and "(3,)" in text
    assert "vjp" in text and "jacobian" in text
    with pytest.raises(ValueError, match="vjp"):
        nnlab.value_and_grad(lambda x: x * 2)(np.ones(3))


def test_grad_of_a_constant_vector_valued_function_points_to_vjp_and_jacobian():
    # f returns a plain array that does not depend on x: still not a scalar, same message.
    with pytest.raises(ValueError, match="vjp") as excinfo:
        nnlab.grad(lambda x: np.ones(3))(np.ones(3))
    assert "(3,)" in message(excinfo)


def test_jvp_with_a_mismatched_tangent_shape():
    with pytest.raises(ShapeError) as excinfo:
        nnlab.jvp(lambda x: x * 2, (np.ones(3),), (np.ones(2),))
    text = message(excinfo)
    assert "tangent" in text and "(2,)" in text and "(3,)" in text


def test_jvp_with_the_wrong_number_of_tangents():
    with pytest.raises(ValueError, match=re.escape("2 primal inputs but 1 tangents")):
        nnlab.jvp(lambda x, y: x * y, (np.ones(3), np.ones(3)), (np.ones(3),))


def test_vjp_with_a_mismatched_cotangent_shape():
    _, pullback = nnlab.vjp(lambda x: x * 2, np.ones(3))
    with pytest.raises(ShapeError, match=r"cotangent of shape \(2,\).*\(3,\)"):
        pullback(np.ones(2))


def test_trace_of_a_function_that_ignores_its_inputs():
    with pytest.raises(NotDifferentiableError, match="^trace: the output does not"):
        nnlab.trace(lambda x: 3.0, 1.0)


def test_index_tensor_with_non_integer_values():
    with pytest.raises(IndexError, match="non-integer"):
        Tensor([1.0, 2.0])[Tensor([0.5])]


def test_mlp_apply_with_the_wrong_number_of_parameters():
    # A flat list missing an array must fail with a message about the parameters, not with a
    # bare StopIteration (which a surrounding generator would even turn into a RuntimeError).
    net = MLP([2, 3, 1])
    with pytest.raises(ValueError, match="param") as excinfo:
        net.apply(net.parameters()[:3], np.ones((1, 2)))
    assert "4" in message(excinfo) and "3" in message(excinfo)


def test_mlp_weight_of_the_wrong_shape_set_by_hand():
    # Weights are set by hand in the exercises; a transposed matrix must give a ShapeError
    # in nnlab's terms (which layer, which shapes), not numpy's raw matmul message.
    net = MLP([2, 3, 1])
    net.W[0] = np.ones((3, 2))
    with pytest.raises(ShapeError) as excinfo:
        net(np.ones((4, 2)))
    assert "(3, 2)" in message(excinfo)
