"""One SGD step on the §1.6 network (nnlab.course.sgd_step): the hand formulas against the
engine and central differences, the update rule, and the mistake hints."""

from __future__ import annotations

import numpy as np
import pytest

from nnlab.course import section16, sgd_step
from nnlab.course.grading import DEFAULT_RTOL, close, grade
from nnlab.engine.errors import NnlabValueError
from nnlab.engine.gradcheck import numerical_grad

DEFAULTS = dict(section16.GRADIENT_DEFAULTS)
DEAD_UNIT_2 = dict(w11=0.5, w12=-1.0, w21=-0.5, w22=1.0, v0=0.25, v1=1.0, v2=2.0,
                   x1=2.0, x2=-1.0, y=0)  # fmt: skip


def _random_values(seed):
    rng = np.random.default_rng(seed)
    v = {k: float(rng.uniform(-2, 2)) for k in (*section16.PARAMS, *section16.INPUTS)}
    v["y"] = int(rng.integers(0, 2))
    return v


def _loss_of(vec, values):
    w = dict(zip(section16.PARAMS, vec, strict=True))
    return sgd_step._loss({**values, **w}, values["y"])


@pytest.mark.parametrize("values", [DEFAULTS, DEAD_UNIT_2, *map(_random_values, range(6))])
def test_hand_gradient_equals_engine_and_central_differences(values):
    r = sgd_step.full_gradient(**values)
    vec = np.array([values[k] for k in section16.PARAMS])
    fd = numerical_grad(lambda p: _loss_of(p, values), vec)
    for k, f in zip(section16.PARAMS, fd, strict=True):
        assert r["hand"][k] == pytest.approx(r["engine"][k], abs=1e-12)
        assert r["hand"][k] == pytest.approx(f, abs=1e-6)


def test_dead_unit_gets_no_gradient():
    r = sgd_step.full_gradient(**DEAD_UNIT_2)
    assert r["z2"] < 0
    assert r["hand"]["w12"] == r["hand"]["w22"] == r["hand"]["v2"] == 0.0
    assert r["hand"]["w11"] != 0.0


def test_step_moves_against_the_gradient_and_lowers_the_loss():
    step = sgd_step.sgd_step(0.1, **DEFAULTS)
    for k in section16.PARAMS:
        assert step["new"][k] == pytest.approx(step["old"][k] - 0.1 * step["gradient"]["hand"][k])
    assert step["loss_after"] < step["loss_before"]
    assert step["loss_before"] == pytest.approx(section16.gradients(**DEFAULTS)["loss"])
    # for a small step the decrease is about lr * ||g||^2 (first order)
    small = sgd_step.sgd_step(1e-4, **DEFAULTS)
    drop = small["loss_before"] - small["loss_after"]
    assert drop == pytest.approx(1e-4 * small["grad_norm_sq"], rel=1e-3)


def test_step_text_lists_every_weight_and_both_losses():
    text = sgd_step.step_text(sgd_step.sgd_step(0.1, **DEFAULTS))
    for k in section16.PARAMS:
        assert f"\n{k:>6} " in text
    step = sgd_step.sgd_step(0.1, **DEFAULTS)
    assert f"{step['loss_before']:.6f} -> {step['loss_after']:.6f}" in text


@pytest.mark.parametrize("name", section16.PARAMS)
@pytest.mark.parametrize("values", [DEFAULTS, DEAD_UNIT_2])
def test_mistakes_are_distinct_and_never_the_answer(name, values):
    step = sgd_step.sgd_step(0.1, **values)
    answer = step["new"][name]
    mistakes = sgd_step.updated_weight_mistakes(name, 0.1, **values)
    assert mistakes
    seen = [answer]
    for m in mistakes:
        assert not any(close(m.value, s, DEFAULT_RTOL) for s in seen)
        seen.append(m.value)
        correct, message = grade(f"{m.value:.6f}", answer, mistakes)
        assert not correct and m.hint in message
    assert grade(f"{answer:.6f}", answer, mistakes)[0]


def test_forgotten_indicator_is_caught_for_a_dead_unit():
    mistakes = sgd_step.updated_weight_mistakes("w12", 0.1, **DEAD_UNIT_2)
    r = sgd_step.full_gradient(**DEAD_UNIT_2)
    wrong = DEAD_UNIT_2["w12"] - 0.1 * r["err"] * DEAD_UNIT_2["v2"] * DEAD_UNIT_2["x1"]
    _, message = grade(f"{wrong:.6f}", DEAD_UNIT_2["w12"], mistakes)
    assert "active" in message


@pytest.mark.parametrize(
    "call, text",
    [
        (lambda: sgd_step.full_gradient(**dict(DEFAULTS, y=2)), "full_gradient: "),
        (lambda: sgd_step.full_gradient(w11=1.0, y=1), "full_gradient: "),
        (lambda: sgd_step.sgd_step(0.0, **DEFAULTS), "sgd_step: "),
        (lambda: sgd_step.sgd_step(float("nan"), **DEFAULTS), "sgd_step: "),
        (
            lambda: sgd_step.updated_weight_mistakes("w33", 0.1, **DEFAULTS),
            "updated_weight_mistakes: ",
        ),
    ],
)
def test_bad_input_names_the_function(call, text):
    with pytest.raises(NnlabValueError, match=text):
        call()
