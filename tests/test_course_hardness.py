"""nnlab.course.hardness: chapter 11's experiments, checked against what they claim."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nnlab
from nnlab.course import conditioning as cond
from nnlab.course import hardness as hard
from nnlab.course.grading import DEFAULT_RTOL, close, grade
from nnlab.engine.errors import NnlabValueError


def toy(p):  # (vw - 1)^2: a saddle at the origin, minima on vw = 1
    return (p[0] * p[1] - 1.0) ** 2


def bowl(p):  # two separate minima at p0 = +-1
    return (p[0] ** 2 - 1.0) ** 2 + p[1] ** 2


def test_critical_points_report_gradient_norm_and_hessian():
    cps = hard.critical_points(toy, {"saddle": (0.1, -0.05), "minimum": (1.2, 0.9)})
    s, m = cps["saddle"], cps["minimum"]
    assert np.allclose(s.point, 0, atol=1e-10) and s.grad_norm < 1e-10
    assert s.hessian.classify() == "saddle"
    assert np.allclose(s.hessian.eigenvalues, [-2.0, 2.0], atol=1e-5)
    assert math.isclose(m.point[0] * m.point[1], 1.0, rel_tol=1e-9) and m.loss < 1e-18
    with pytest.raises(NnlabValueError, match="^critical_points: "):
        hard.critical_points(toy, {})


def test_descent_runs_label_the_nearest_minimum_and_converge():
    minima = {"left": np.array([-1.0, 0.0]), "right": np.array([1.0, 0.0])}
    runs = hard.descent_runs(bowl, minima, n_runs=6, box=(-2.0, 2.0), seed=1, lr=0.05, steps=300)
    assert len(runs) == 6
    for run in runs:
        side = "left" if run.start[0] < 0 else "right"  # the basins are the half-planes
        assert run.nearest == side
        assert run.final_grad_norm < 1e-6
        assert np.allclose(run.history.trajectory[0], run.start)
    again = hard.descent_runs(bowl, minima, n_runs=6, box=(-2.0, 2.0), seed=1, lr=0.05, steps=300)
    assert all(np.array_equal(a.start, b.start) for a, b in zip(runs, again, strict=True))
    with pytest.raises(NnlabValueError, match="^descent_runs: "):
        hard.descent_runs(bowl, minima, n_runs=2, box=(1.0, -1.0))


def test_split_at_saddle_finds_two_close_starts_in_different_basins():
    saddle = hard.critical_points(bowl, {"saddle": (0.05, 0.01)})["saddle"]
    assert saddle.hessian.classify() == "saddle"
    minima = {"left": np.array([-1.0, 0.0]), "right": np.array([1.0, 0.0])}
    split = hard.split_at_saddle(bowl, saddle, minima, t_range=(-0.3, 0.2), halvings=12, lr=0.05)
    assert 0 < split.hi - split.lo <= 0.5 / 2**12 + 1e-15
    assert set(split.heads_to.values()) == {"left", "right"}
    # the separating curve of this bowl is the line p0 = 0
    crossing = split.base + 0.5 * (split.lo + split.hi) * split.direction
    assert abs(crossing[0]) < 1e-3
    with pytest.raises(NnlabValueError, match="^split_at_saddle: "):
        hard.split_at_saddle(bowl, hard.critical_points(bowl, {"m": (0.9, 0.1)})["m"], minima)


def test_depth_explosion_grows_with_depth_only_above_the_scaled_init():
    X, y = nnlab.data.moons(60, noise=0.1, seed=0)
    he = hard.depth_explosion(X, y, [3, 9], scale=1.0)
    big = hard.depth_explosion(X, y, [3, 9], scale=1.5)
    assert he[1].grad_norm < 3 * he[0].grad_norm  # no explosion at the width-scaled init
    assert big[1].grad_norm > 1.5**4 * big[0].grad_norm  # at least 1.5^(9-3)/~2
    assert big[1].loss_after > big[1].loss_before  # one step makes things worse
    assert he[1].loss_after < he[1].loss_before
    with pytest.raises(NnlabValueError, match="^depth_explosion: "):
        hard.depth_explosion(X, y, [1])


def test_dead_relu_report_bias_shift_kills_every_gradient():
    X, y = nnlab.data.moons(80, noise=0.1, seed=0)
    rep = hard.dead_relu_report(X, y, [2, 8, 8, 1], lrs=[0.5], steps=20, bias_shift=-10.0)
    assert np.all(rep.shifted_before == 1.0) and np.all(rep.shifted_after == 1.0)
    assert rep.shifted_max_grad == 0.0
    assert rep.shifted_losses[0] == rep.shifted_losses[1]
    dead, final = rep.trained[0.5]
    assert dead.shape == (2,) and final < rep.shifted_losses[0]


def test_rates_and_quadratic_steps():
    assert hard.gd_rate(9) == pytest.approx(0.8)
    assert hard.momentum_rate(9) == pytest.approx(0.5)
    rows = hard.quadratic_steps([10, 100])
    for row in rows:
        assert row.gd_steps == row.gd_predicted
        assert row.max_lr == pytest.approx(2 / row.kappa)
        # momentum needs about sqrt(kappa) steps: far fewer than gradient descent
        assert row.momentum_steps < row.gd_steps / 2
        predicted = math.log(1e-8) / (2 * math.log(hard.momentum_rate(row.kappa)))
        assert row.momentum_predicted == math.ceil(predicted)
        assert row.momentum_predicted <= row.momentum_steps < 2 * row.momentum_predicted
    for bad in (0.5, float("inf"), True):
        with pytest.raises(NnlabValueError, match="^gd_rate: "):
            hard.gd_rate(bad)


def test_penalised_fit_reaches_a_strict_minimum():
    fit, H = hard.penalised_fit_hessian(steps=2000)
    assert fit.grad_norms[-1] < 1e-5 and H.classify() == "minimum-like"
    assert cond.condition_number(H) > 100


@pytest.mark.parametrize(
    "make,args,answer",
    [(hard.stable_step_check, ([2.0, 18.0],), 2 / 18), (hard.contraction_check, (9,), 0.8)],
)
def test_self_checks(make, args, answer):
    expected, mistakes = make(*args)
    assert expected == pytest.approx(answer)
    values = [expected] + [m.value for m in mistakes]
    assert len(mistakes) == 3
    assert not any(close(a, b, DEFAULT_RTOL) for i, a in enumerate(values) for b in values[i + 1 :])
    assert grade(f"{answer:.4f}", expected, mistakes)[0]
    for m in mistakes:
        ok, message = grade(str(m.value), expected, mistakes)
        assert not ok and m.hint in message


def test_self_checks_reject_bad_input():
    with pytest.raises(NnlabValueError, match="^stable_step_check: "):
        hard.stable_step_check([1.0, -2.0])
    with pytest.raises(NnlabValueError, match="^contraction_check: "):
        hard.contraction_check(1)
