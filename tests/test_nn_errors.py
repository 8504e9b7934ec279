"""Every public function of nnlab.nn rejects bad input with an NnlabError that names it.

Each case calls one function with one mistake and checks three things: the class (an
`NnlabError` subclass), the built-in class code written without nnlab would catch
(``ValueError``, ``TypeError``, ``RuntimeError``), and that the message starts with the
public function's name and a colon.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnlab
from nnlab import MLP, Tensor
from nnlab.engine.errors import (
    DivergenceError,
    NnlabError,
    NnlabTypeError,
    NnlabValueError,
    ShapeError,
)
from nnlab.nn import backprop, data, fit, loss_closure, losses, metrics, optim, train_classifier

NAN_ROW = np.array([[np.nan, 0.0]])
X4, Y4 = data.xor()


def _net(**kw):
    return MLP([2, 3, 1], **kw)


def _square(p):
    return (p[0] * p[0]).sum()


def _growing_schedule(step):
    return 0.1 if step == 0 else -1.0


# (id, call, error class, built-in class, prefix of the message)
CASES = [
    # --- mlp ------------------------------------------------------------------------------
    ("MLP sizes", lambda: MLP([2]), NnlabValueError, ValueError, "MLP: "),
    (
        "MLP activations",
        lambda: MLP([2, 3, 1], activation=["relu", "tanh"]),
        NnlabValueError,
        ValueError,
        "MLP: ",
    ),
    (
        "MLP activation type",
        lambda: MLP([2, 3, 1], activation=None),
        NnlabTypeError,
        TypeError,
        "MLP: ",
    ),
    ("MLP bias flags", lambda: MLP([2, 3, 1], bias=[True]), NnlabValueError, ValueError, "MLP: "),
    ("MLP output name", lambda: MLP([2, 1], output="tanh"), NnlabValueError, ValueError, "MLP: "),
    ("MLP input width", lambda: _net()(np.ones((4, 3))), ShapeError, ValueError, "MLP: "),
    ("MLP input nan", lambda: _net()(NAN_ROW), NnlabValueError, ValueError, "MLP: "),
    (
        "MLP params count",
        lambda: _net().apply([np.ones((2, 3))], X4),
        ShapeError,
        ValueError,
        "MLP: ",
    ),
    (
        "MLP.set_parameters",
        lambda: _net().set_parameters([np.ones((2, 3))]),
        ShapeError,
        ValueError,
        "MLP.set_parameters: ",
    ),
    (
        "get_activation",
        lambda: nnlab.get_activation("gelu"),
        NnlabValueError,
        ValueError,
        "get_activation: ",
    ),
    # --- losses ---------------------------------------------------------------------------
    ("mse shape", lambda: losses.mse(np.ones((3, 2)), np.ones(3)), ShapeError, ValueError, "mse: "),
    (
        "mse nan",
        lambda: losses.mse(np.ones(2), np.array([1.0, np.nan])),
        NnlabValueError,
        ValueError,
        "mse: ",
    ),
    (
        "bce labels",
        lambda: losses.binary_cross_entropy(np.array([0.5]), np.array([2])),
        NnlabValueError,
        ValueError,
        "binary_cross_entropy: ",
    ),
    (
        "bce probabilities",
        lambda: losses.binary_cross_entropy(np.array([1.5]), np.array([1])),
        NnlabValueError,
        ValueError,
        "binary_cross_entropy: ",
    ),
    (
        "bce_with_logits labels",
        lambda: losses.binary_cross_entropy_with_logits(np.array([0.5]), np.array([2])),
        NnlabValueError,
        ValueError,
        "binary_cross_entropy_with_logits: ",
    ),
    (
        "bce_with_logits shape",
        lambda: losses.binary_cross_entropy_with_logits(np.ones(3), np.ones(2)),
        ShapeError,
        ValueError,
        "binary_cross_entropy_with_logits: ",
    ),
    (
        "one_hot range",
        lambda: losses.one_hot(np.array([0, 3]), 3),
        NnlabValueError,
        ValueError,
        "one_hot: ",
    ),
    (
        "one_hot integers",
        lambda: losses.one_hot(np.array([0.5]), 3),
        NnlabValueError,
        ValueError,
        "one_hot: ",
    ),
    (
        "softmax_ce shape",
        lambda: losses.softmax_cross_entropy(np.ones(3), np.array([0])),
        ShapeError,
        ValueError,
        "softmax_cross_entropy: ",
    ),
    (
        "softmax_ce label range",
        lambda: losses.softmax_cross_entropy(np.ones((2, 3)), np.array([0, 3])),
        NnlabValueError,
        ValueError,
        "softmax_cross_entropy: ",
    ),
    (
        "softmax_ce labels nan",
        lambda: losses.softmax_cross_entropy(np.ones((1, 3)), np.array([np.nan])),
        NnlabValueError,
        ValueError,
        "softmax_cross_entropy: ",
    ),
    ("get_loss", lambda: losses.get_loss("hinge"), NnlabValueError, ValueError, "get_loss: "),
    # --- backprop -------------------------------------------------------------------------
    (
        "backprop pair",
        lambda: backprop.loss_and_gradients(_net(), X4, Y4, "bce"),
        NnlabValueError,
        ValueError,
        "backprop: ",
    ),
    (
        "backprop loss name",
        lambda: backprop.loss_and_gradients(_net(), X4, Y4, "hinge"),
        NnlabValueError,
        ValueError,
        "backprop: ",
    ),
    (
        "backprop.backward delta",
        lambda: backprop.backward(_net(), backprop.forward(_net(), X4), np.ones((3, 1))),
        ShapeError,
        ValueError,
        "backprop.backward: ",
    ),
    # --- optim: rules and schedules -------------------------------------------------------
    ("optim.make name", lambda: optim.make("adamw"), NnlabValueError, ValueError, "optim.make: "),
    (
        "optim.make hyper",
        lambda: optim.make("adam", mu=0.9),
        NnlabValueError,
        ValueError,
        "optim.make: ",
    ),
    (
        "optim.Momentum mu",
        lambda: optim.Momentum(mu=1.5),
        NnlabValueError,
        ValueError,
        "optim.Momentum: ",
    ),
    (
        "optim.Nesterov mu",
        lambda: optim.Nesterov(mu=-0.1),
        NnlabValueError,
        ValueError,
        "optim.Nesterov: ",
    ),
    (
        "optim.RMSProp eps",
        lambda: optim.RMSProp(eps=0),
        NnlabValueError,
        ValueError,
        "optim.RMSProp: ",
    ),
    (
        "optim.Adam beta2",
        lambda: optim.Adam(beta2=1.0),
        NnlabValueError,
        ValueError,
        "optim.Adam: ",
    ),
    (
        "Optimizer.update shapes",
        lambda: optim.GD().update([np.ones(2)], [np.ones(3)], optim.GD().init([np.ones(2)]), 0.1),
        ShapeError,
        ValueError,
        "optim.GD.update: ",
    ),
    (
        "Optimizer.update count",
        lambda: optim.GD().update([np.ones(2)], [], optim.GD().init([np.ones(2)]), 0.1),
        ShapeError,
        ValueError,
        "optim.GD.update: ",
    ),
    (
        "Optimizer.rule",
        lambda: optim.Optimizer().update([np.ones(1)], [np.ones(1)], {"t": 0}, 1),
        NnlabTypeError,
        TypeError,
        "optim.Optimizer.rule: ",
    ),
    ("optim.constant", lambda: optim.constant(-1), NnlabValueError, ValueError, "optim.constant: "),
    (
        "optim.step_decay",
        lambda: optim.step_decay(0.1, every=0),
        NnlabValueError,
        ValueError,
        "optim.step_decay: ",
    ),
    (
        "optim.exponential",
        lambda: optim.exponential(0.1, rate=float("nan")),
        NnlabValueError,
        ValueError,
        "optim.exponential: ",
    ),
    (
        "optim.cosine",
        lambda: optim.cosine(0.1, total_steps=0),
        NnlabValueError,
        ValueError,
        "optim.cosine: ",
    ),
    (
        "optim.as_schedule",
        lambda: optim.as_schedule("fast"),
        NnlabTypeError,
        TypeError,
        "optim.as_schedule: ",
    ),
    # --- optim.train ----------------------------------------------------------------------
    (
        "train MLP as params",
        lambda: optim.train(_square, _net()),
        NnlabTypeError,
        TypeError,
        "optim.train: got an MLP; pass net.parameters()",
    ),
    (
        "train MLP as loss",
        lambda: optim.train(_net(), _net().parameters()),
        NnlabTypeError,
        TypeError,
        "optim.train: got an MLP as the loss function",
    ),
    (
        "train loss not callable",
        lambda: optim.train(3.0, [np.ones(1)]),
        NnlabTypeError,
        TypeError,
        "optim.train: loss_fn must be a function",
    ),
    (
        "train params not numeric",
        lambda: optim.train(_square, ["w"]),
        NnlabTypeError,
        TypeError,
        "optim.train: parameters must be numeric",
    ),
    (
        "train params nan",
        lambda: optim.train(_square, [np.array([np.nan])]),
        NnlabValueError,
        ValueError,
        "optim.train: initial parameters contains",
    ),
    (
        "train steps",
        lambda: optim.train(_square, [np.ones(1)], steps=-1),
        NnlabValueError,
        ValueError,
        "optim.train: steps",
    ),
    (
        "train lr",
        lambda: optim.train(_square, [np.ones(1)], lr=-0.1),
        NnlabValueError,
        ValueError,
        "optim.train: lr",
    ),
    (
        "train lr type",
        lambda: optim.train(_square, [np.ones(1)], lr="fast"),
        NnlabTypeError,
        TypeError,
        "optim.train: a learning rate",
    ),
    (
        "train schedule value",
        lambda: optim.train(_square, [np.ones(1)], schedule=_growing_schedule, steps=3),
        NnlabValueError,
        ValueError,
        "optim.train: the learning rate schedule gave lr=-1.0",
    ),
    (
        "train optimizer name",
        lambda: optim.train(_square, [np.ones(1)], optimizer="adamw"),
        NnlabValueError,
        ValueError,
        "optim.make: ",
    ),
    (
        "train hyper with instance",
        lambda: optim.train(_square, [np.ones(1)], optimizer=optim.Adam(), mu=0.5),
        NnlabValueError,
        ValueError,
        "optim.train: give hyperparameters",
    ),
    (
        "train on_divergence",
        lambda: optim.train(_square, [np.ones(1)], on_divergence="warn"),
        NnlabValueError,
        ValueError,
        "optim.train: ",
    ),
    (
        "train divergence_factor",
        lambda: optim.train(_square, [np.ones(1)], divergence_factor=1),
        NnlabValueError,
        ValueError,
        "optim.train: divergence_factor",
    ),
    (
        "train batch without data",
        lambda: optim.train(_square, [np.ones(1)], batch_size=2),
        NnlabValueError,
        ValueError,
        "optim.train: batch_size needs data",
    ),
    (
        "train data pair",
        lambda: optim.train(_square, [np.ones(1)], data=np.ones(3)),
        NnlabValueError,
        ValueError,
        "optim.train: data must be a pair",
    ),
    (
        "train data rows",
        lambda: optim.train(_square, [np.ones(1)], data=(np.ones((3, 1)), Y4)),
        ShapeError,
        ValueError,
        "optim.train: data X has shape",
    ),
    (
        "train data empty",
        lambda: optim.train(_square, [np.ones(1)], data=(np.ones((0, 1)), np.ones(0))),
        NnlabValueError,
        ValueError,
        "optim.train: data has no examples",
    ),
    (
        "train data nan",
        lambda: optim.train(_square, [np.ones(1)], data=(NAN_ROW, np.ones(1))),
        NnlabValueError,
        ValueError,
        "optim.train: training inputs X contains",
    ),
    (
        "train batch_size",
        lambda: optim.train(_square, [np.ones(1)], data=(X4, Y4), batch_size=0),
        NnlabValueError,
        ValueError,
        "optim.train: batch_size",
    ),
    (
        "train diverges",
        lambda: optim.train(_square, [np.ones(1)], lr=10.0, steps=50, on_divergence="raise"),
        DivergenceError,
        RuntimeError,
        "optim.train: diverged at step",
    ),
    (
        "random_restarts",
        lambda: optim.random_restarts(_square, lambda rng: [np.ones(1)], 0),
        NnlabValueError,
        ValueError,
        "optim.random_restarts: ",
    ),
    # --- fit ------------------------------------------------------------------------------
    ("fit not an MLP", lambda: fit([np.ones((2, 1))], X4, Y4), NnlabTypeError, TypeError, "fit: "),
    ("fit loss", lambda: fit(_net(), X4, Y4, loss="hinge"), NnlabValueError, ValueError, "fit: "),
    (
        "fit nan inputs",
        lambda: fit(_net(), NAN_ROW, np.ones(1)),
        NnlabValueError,
        ValueError,
        "fit: inputs X contains",
    ),
    (
        "fit nan targets",
        lambda: fit(_net(), X4, np.array([0.0, np.nan, 1.0, 1.0])),
        NnlabValueError,
        ValueError,
        "fit: targets y contains",
    ),
    (
        "fit hands train its errors",
        lambda: fit(_net(), X4, Y4, steps=-1),
        NnlabValueError,
        ValueError,
        "optim.train: steps",
    ),
    (
        "loss_closure",
        lambda: loss_closure("net", X4, Y4),
        NnlabTypeError,
        TypeError,
        "loss_closure: ",
    ),
    (
        "loss_closure loss",
        lambda: loss_closure(_net(), X4, Y4, loss="l1"),
        NnlabValueError,
        ValueError,
        "loss_closure: ",
    ),
    (
        "train_classifier",
        lambda: train_classifier(_net(), NAN_ROW, np.ones(1)),
        NnlabValueError,
        ValueError,
        "fit: ",
    ),
    # --- metrics --------------------------------------------------------------------------
    ("metrics.mse", lambda: metrics.mse(np.ones(3), np.ones(2)), ShapeError, ValueError, "mse: "),
    (
        "metrics.accuracy",
        lambda: metrics.accuracy(np.array([1.5]), np.array([1])),
        NnlabValueError,
        ValueError,
        "accuracy: ",
    ),
    (
        "metrics.predicted_labels",
        lambda: metrics.predicted_labels(np.array([1.5])),
        NnlabValueError,
        ValueError,
        "predicted_labels: ",
    ),
    (
        "metrics.log_loss",
        lambda: metrics.log_loss(np.array([0.5]), np.array([2])),
        NnlabValueError,
        ValueError,
        "log_loss: ",
    ),
    # --- data -----------------------------------------------------------------------------
    ("data.xor", lambda: data.xor(noise=-1), NnlabValueError, ValueError, "xor: "),
    ("data.moons", lambda: data.moons(n=0), NnlabValueError, ValueError, "moons: "),
    ("data.circles", lambda: data.circles(factor=1.5), NnlabValueError, ValueError, "circles: "),
    ("data.spirals", lambda: data.spirals(classes=1), NnlabValueError, ValueError, "spirals: "),
    (
        "data.blobs",
        lambda: data.blobs(centers=[[0.0, 0.0]]),
        NnlabValueError,
        ValueError,
        "blobs: ",
    ),
    (
        "data.function_samples",
        lambda: data.function_samples(np.sin, domain=(1, 0)),
        NnlabValueError,
        ValueError,
        "function_samples: ",
    ),
    (
        "data.function_samples f",
        lambda: data.function_samples(lambda x: x[:3]),
        NnlabValueError,
        ValueError,
        "function_samples: ",
    ),
    (
        "data.grid",
        lambda: data.grid((0, 1), (0, 1), steps=1),
        NnlabValueError,
        ValueError,
        "grid: ",
    ),
    (
        "data.train_val_test_split rows",
        lambda: data.train_val_test_split(X4, Y4[:3]),
        ShapeError,
        ValueError,
        "train_val_test_split: ",
    ),
    (
        "data.train_val_test_split fractions",
        lambda: data.train_val_test_split(X4, Y4, fractions=(0.5, 0.5, 0.5)),
        NnlabValueError,
        ValueError,
        "train_val_test_split: ",
    ),
]


@pytest.mark.parametrize(
    "call, error, builtin, prefix", [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_each_nn_function_names_itself_in_an_nnlab_error(call, error, builtin, prefix):
    with pytest.raises(error) as excinfo:
        call()
    assert isinstance(excinfo.value, NnlabError)
    assert isinstance(excinfo.value, builtin)
    assert str(excinfo.value).startswith(prefix), str(excinfo.value)


def test_train_given_an_mlp_says_exactly_what_to_do():
    with pytest.raises(NnlabTypeError) as excinfo:
        optim.train(loss_closure(_net(), X4, Y4), _net())
    assert str(excinfo.value) == (
        "optim.train: got an MLP; pass net.parameters() (or use nnlab.fit(net, X, y))"
    )


# --- a NaN inside a Tensor is caught like one inside an array -----------------------------
@pytest.mark.parametrize(
    "run",
    [
        lambda net, x: net.apply(None, x),
        lambda net, x: net.logits(x),
        lambda net, x: net.forward(x),
        lambda net, x: net(x),
    ],
    ids=["apply", "logits", "forward", "call"],
)
@pytest.mark.parametrize("wrap", [np.asarray, Tensor], ids=["array", "Tensor"])
def test_a_nan_input_is_caught_as_array_and_as_tensor(run, wrap):
    with pytest.raises(NnlabValueError) as excinfo:
        run(_net(), wrap(NAN_ROW.copy()))
    assert str(excinfo.value) == "MLP: the MLP input contains 1 non-finite value(s) (nan or inf)"


def test_a_nan_tensor_input_is_caught_inside_autodiff():
    net = _net()
    x = Tensor(np.array([[np.nan, 0.0]]))
    with pytest.raises(NnlabValueError, match="^MLP: "):
        nnlab.grad(lambda params: net.apply(params, x).sum())(net.parameters())
