"""Gradient-norm clipping: `optim.clip_by_global_norm` and `optim.train(..., clip_norm=c)`."""

import numpy as np
import pytest

from nnlab.engine.errors import NnlabValueError
from nnlab.nn import optim


def quartic(p):
    """L(w) = w^4, whose gradient 4 w^3 explodes away from 0."""
    return (p[0] ** 4).sum()


def test_a_long_gradient_is_rescaled_to_the_bound_with_its_direction_kept():
    grads = [np.array([3.0]), {"b": np.array([[4.0, 0.0]])}]
    clipped, norm = optim.clip_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(5.0)
    assert clipped[0] == pytest.approx([0.6])
    assert np.allclose(clipped[1]["b"], [[0.8, 0.0]])
    assert grads[0][0] == 3.0  # the argument is left untouched


def test_a_short_gradient_is_returned_unchanged():
    grads = [np.array([0.3, -0.4])]
    clipped, norm = optim.clip_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(0.5)
    assert np.array_equal(clipped[0], grads[0]) and clipped[0] is not grads[0]


@pytest.mark.parametrize("bad", [0, -1.0, float("inf"), float("nan"), "1", True])
def test_max_norm_must_be_positive_and_finite(bad):
    with pytest.raises(NnlabValueError, match="^optim.clip_by_global_norm: max_norm"):
        optim.clip_by_global_norm([np.ones(2)], bad)
    with pytest.raises(NnlabValueError, match="^optim.train: clip_norm"):
        optim.train(quartic, [np.array([1.0])], clip_norm=bad)


def test_a_nonfinite_gradient_cannot_be_clipped():
    with pytest.raises(NnlabValueError, match="^optim.clip_by_global_norm: the gradient"):
        optim.clip_by_global_norm([np.array([np.nan, 1.0])], 1.0)


def test_train_with_clipping_takes_steps_of_at_most_lr_times_the_bound():
    # From w = 3, GD on w^4 with lr 0.1 diverges: w -> w (1 - 0.4 w^2) grows once w^2 > 5.
    plain = optim.train(quartic, [np.array([3.0])], lr=0.1, steps=50)
    assert plain.diverged
    clipped = optim.train(quartic, [np.array([3.0])], lr=0.1, steps=400, clip_norm=1.0,
                          record_params=True)  # fmt: skip
    path = np.array([p[0][0] for p in clipped.trajectory])
    assert not clipped.diverged and clipped.final_loss < 1e-3
    assert np.max(np.abs(np.diff(path))) <= 0.1 * 1.0 + 1e-12
    # the first step is exactly lr * c long; the recorded norm is the one before clipping
    assert path[0] - path[1] == pytest.approx(0.1)
    assert clipped.grad_norms[0] == pytest.approx(108.0)


def test_clipping_never_binding_changes_nothing():
    a = optim.train(quartic, [np.array([0.5])], lr=0.1, steps=30)
    b = optim.train(quartic, [np.array([0.5])], lr=0.1, steps=30, clip_norm=10.0)
    assert a.losses == b.losses and np.array_equal(a.params[0], b.params[0])


def test_clipping_applies_before_the_optimizer_state_update():
    # Momentum's velocity accumulates clipped gradients: first step -lr * c * sign.
    h = optim.train(quartic, [np.array([3.0])], "momentum", lr=0.1, steps=2, mu=0.5,
                    clip_norm=2.0, record_params=True)  # fmt: skip
    w0, w1, w2 = (p[0][0] for p in h.trajectory)
    assert w0 - w1 == pytest.approx(0.2)
    g1 = min(1.0, 2.0 / abs(4 * w1**3)) * 4 * w1**3
    assert w1 - w2 == pytest.approx(0.5 * 0.2 + 0.1 * g1)
