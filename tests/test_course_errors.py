"""Errors from the course, plots and widgets layers: NnlabError subclasses whose message starts
with the public function the learner called, and no numpy warning on large logits."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import nnlab
from nnlab.course import basis, evaluation, formula, regions, section16, xor
from nnlab.course.architecture import normalize_spec
from nnlab.course.interpret import attribution, perturbation, units
from nnlab.engine.errors import NnlabError, NnlabTypeError, NnlabValueError, ShapeError


@pytest.mark.parametrize(
    "call, kind, start",
    [
        (lambda: normalize_spec("2-2-1"), NnlabTypeError, "normalize_spec: "),
        (lambda: formula.latex_layers([2, 2, 1]), NnlabValueError, "latex_layers: "),
        (lambda: formula.formula_to_spec("x @", {}), NnlabValueError, "formula_to_spec: "),
        (
            lambda: basis.polynomial_features(np.zeros((3, 2)), -1),
            NnlabValueError,
            "polynomial_exponents: ",
        ),  # fmt: skip
        (lambda: basis.fit_linear(np.zeros((3, 2)), np.zeros(4)), ShapeError, "fit_linear: "),
        (
            lambda: basis.learned_features(nnlab.MLP([2, 1]), np.zeros((1, 2))),
            NnlabValueError,
            "learned_features: ",
        ),  # fmt: skip
        (
            lambda: regions.pieces_on_segment(nnlab.MLP([2, 3, 1], "tanh"), [0, 0], [1, 1]),
            NnlabValueError,
            "breakpoints_on_segment: ",
        ),  # fmt: skip
        (
            lambda: regions.hidden_preactivations(nnlab.MLP([2, 3, 1]), np.zeros((4, 3))),
            ShapeError,
            "hidden_preactivations: ",
        ),  # fmt: skip
        (lambda: evaluation.kfold_indices(3, k=5), NnlabValueError, "kfold_indices: "),
        (lambda: evaluation.early_stopping([]), NnlabValueError, "early_stopping: "),
        (
            lambda: evaluation.paired_comparison([1.0], [2.0]),
            NnlabValueError,
            "paired_comparison: ",
        ),  # fmt: skip
        (
            lambda: attribution.integrated_gradients(
                lambda X: X.sum(1), np.ones((2, 2)), rule="simpson"
            ),
            NnlabValueError,
            "integrated_gradients: ",
        ),  # fmt: skip
        (
            lambda: perturbation.occlusion_importance(lambda X: X[:, 0], np.ones((3, 2)), [1, 0]),
            ShapeError,
            "occlusion_importance: ",
        ),  # fmt: skip
        (lambda: units.ablate_units(nnlab.MLP([2, 3, 1]), [5]), NnlabValueError, "ablate_units: "),
        (
            lambda: units.hidden_activations("net", np.ones((1, 2))),
            NnlabTypeError,
            "hidden_activations: ",
        ),  # fmt: skip
        (lambda: section16.forward_readout(w11=1.0), NnlabValueError, "forward_readout: "),
        (
            lambda: section16.gradients(**dict(section16.GRADIENT_DEFAULTS, y=3)),
            NnlabValueError,
            "gradients: ",
        ),  # fmt: skip
        (lambda: xor.xor_forward(np.eye(3)), ShapeError, "xor_forward: "),
        (
            lambda: xor.xor_mistakes(xor.HANDOUT_W, None, None, None, point=7),
            NnlabValueError,
            "xor_mistakes: ",
        ),  # fmt: skip
    ],
)
def test_course_errors_are_nnlab_errors_named_after_the_function(call, kind, start):
    with pytest.raises(kind) as info:
        call()
    assert isinstance(info.value, NnlabError)
    assert str(info.value).startswith(start), str(info.value)


def test_plot_and_widget_errors_name_their_function():
    from nnlab.plots import evaluation as pe
    from nnlab.plots import network
    from nnlab.widgets import backprop

    with pytest.raises(NnlabValueError, match=r"^draw_network: colors needs one colour"):
        network.draw_network([2, 2, 1], colors=["red"])
    with pytest.raises(NnlabValueError, match=r"^plot_selection_optimism: "):
        pe.plot_selection_optimism([1.0, 2.0], [1.0], chosen=0)
    with pytest.raises(NnlabValueError, match=r"^gradient_explorer: unknown value"):
        backprop.gradient_explorer(w99=1.0)


def test_logistic_probabilities_do_not_overflow_for_large_logits():
    fit = basis.LogisticFit(w=np.array([1.0]), b=0.0, history=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning from np.exp would fail here
        p = fit.predict_proba(np.array([[-1000.0], [0.0], [1000.0]]))
    np.testing.assert_array_equal(p, [0.0, 0.5, 1.0])
