"""Toy data sets: shapes, labels, determinism, geometry, splits and argument checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnlab
from nnlab.nn import data

# name -> (call with defaults, expected n, expected label set)
CLASSIFICATION = {
    "xor": (lambda **kw: data.xor(noise=0.1, **kw), 4, {0, 1}),
    "moons": (data.moons, 200, {0, 1}),
    "circles": (data.circles, 200, {0, 1}),
    "spirals": (data.spirals, 300, {0, 1, 2}),
    "blobs": (data.blobs, 200, {0, 1}),
}


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_shapes_dtypes_and_labels(name):
    make, n, labels = CLASSIFICATION[name]
    X, y = make()
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert set(y.tolist()) == labels
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_same_seed_same_data_other_seed_other_data(name):
    make = CLASSIFICATION[name][0]
    X0, y0 = make(seed=0)
    X0_again, y0_again = make(seed=0)
    X1, y1 = make(seed=1)
    np.testing.assert_array_equal(X0, X0_again)
    np.testing.assert_array_equal(y0, y0_again)
    assert not np.array_equal(X0, X1)
    np.testing.assert_array_equal(y0, y1)  # labels are fixed by class sizes, not drawn


@pytest.mark.parametrize(
    "make, n, classes",
    [
        (data.moons, 201, 2),
        (data.circles, 7, 2),
        (lambda n: data.spirals(n, classes=4), 10, 4),
        (lambda n: data.blobs(n, centers=3), 200, 3),
        (lambda n: data.blobs(n, centers=np.eye(5)), 23, 5),
    ],
)
def test_classes_are_balanced_to_within_one(make, n, classes):
    X, y = make(n)
    counts = np.bincount(y, minlength=classes)
    assert len(X) == len(y) == n == counts.sum()
    assert len(counts) == classes and counts.max() - counts.min() <= 1


def test_balanced_exactly_when_divisible():
    assert np.bincount(data.moons(200)[1]).tolist() == [100, 100]
    assert np.bincount(data.spirals(300, classes=3)[1]).tolist() == [100, 100, 100]


# --- xor --------------------------------------------------------------------------------


def test_xor_is_the_handouts_four_points():
    X, y = data.xor()
    np.testing.assert_array_equal(X, [[1, 1], [1, -1], [-1, 1], [-1, -1]])
    np.testing.assert_array_equal(y, [1, 0, 0, 1])
    np.testing.assert_array_equal(y, X[:, 0] * X[:, 1] > 0)


def test_xor_repeats_corners_in_order_and_jitters_them():
    X, y = data.xor(n_per_corner=3)
    assert X.shape == (12, 2)
    np.testing.assert_array_equal(X, np.repeat(data.XOR_POINTS, 3, axis=0))
    np.testing.assert_array_equal(y, [1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1])
    Xn, yn = data.xor(noise=0.1, n_per_corner=50)
    np.testing.assert_array_equal(yn, np.repeat([1, 0, 0, 1], 50))
    jitter = Xn - np.repeat(data.XOR_POINTS, 50, axis=0)
    assert 0.07 < jitter.std() < 0.13
    # With small noise every point stays in its corner's quadrant.
    np.testing.assert_array_equal(yn, Xn[:, 0] * Xn[:, 1] > 0)


# --- geometry ---------------------------------------------------------------------------


def test_moons_without_noise_lie_on_their_arcs():
    X, y = data.moons(20, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert np.all(upper[:, 1] >= -1e-12) and np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_circles_without_noise_have_radii_1_and_factor():
    X, y = data.circles(30, noise=0.0, factor=0.3)
    radius = np.hypot(*X.T)
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)


def test_spirals_match_the_cs231n_construction():
    X, y = data.spirals(300, classes=3, noise=0.0)
    for k in range(3):
        r = np.linspace(0, 1, 100)
        t = np.linspace(4 * k, 4 * (k + 1), 100)
        np.testing.assert_allclose(X[y == k], np.column_stack([r * np.sin(t), r * np.cos(t)]))
    noisy, _ = data.spirals(300, classes=3)
    np.testing.assert_allclose(np.hypot(*noisy.T), np.hypot(*X.T))  # noise turns, never stretches


def test_blobs_gather_around_their_centers():
    X, y = data.blobs(3000, centers=2, std=0.5)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [3, 0], atol=0.05)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [-3, 0], atol=0.05)
    np.testing.assert_allclose(X[y == 0].std(axis=0), [0.5, 0.5], atol=0.05)
    centers = [[0, 0, 0], [5, 5, 5], [-5, 0, 5]]
    X3, y3 = data.blobs(30, centers=centers, std=0.0)
    assert X3.shape == (30, 3)
    np.testing.assert_array_equal(X3, np.asarray(centers, float)[y3])


# --- regression samples and grids -------------------------------------------------------


def test_function_samples():
    x, y = data.function_samples(lambda t: nnlab.tanh(3 * t), n=40, domain=(-2, 3))
    assert x.shape == (40, 1) and y.shape == (40,) and x.dtype == y.dtype == np.float64
    assert np.all(np.diff(x[:, 0]) >= 0) and np.all((x >= -2) & (x <= 3))
    np.testing.assert_array_equal(y, np.tanh(3 * x[:, 0]))
    _, noisy = data.function_samples(lambda t: nnlab.tanh(3 * t), n=40, domain=(-2, 3), noise=0.1)
    assert 0 < np.abs(noisy - y).max() < 0.5
    _, constant = data.function_samples(lambda t: 2.0, n=5)
    np.testing.assert_array_equal(constant, np.full(5, 2.0))
    a, b = data.function_samples(np.sin, seed=4), data.function_samples(np.sin, seed=4)
    np.testing.assert_array_equal(a[0], b[0])


def test_grid_shapes_and_layout():
    g = data.grid((-1, 1), (0, 2), steps=5)
    assert isinstance(g, data.Grid)
    assert g.points.shape == (25, 2) and g.xx.shape == g.yy.shape == (5, 5)
    np.testing.assert_array_equal(g.points[:, 0].reshape(g.xx.shape), g.xx)
    np.testing.assert_array_equal(g.points[:, 1].reshape(g.yy.shape), g.yy)
    assert g.points.min(axis=0).tolist() == [-1, 0] and g.points.max(axis=0).tolist() == [1, 2]
    np.testing.assert_array_equal(g.yy[:, 0], np.linspace(0, 2, 5))  # rows step through ylim
    points, xx, yy = data.grid((0, 1), (0, 1))
    assert points.shape == (200 * 200, 2) and xx.shape == (200, 200)


# --- splits -----------------------------------------------------------------------------


def test_split_sizes_disjoint_and_complete():
    X, y = data.moons(200)
    (Xtr, ytr), (Xva, yva), (Xte, yte) = data.train_val_test_split(X, y)
    assert (len(Xtr), len(Xva), len(Xte)) == (120, 40, 40)
    assert (len(ytr), len(yva), len(yte)) == (120, 40, 40)
    rows = [tuple(r) for part in (Xtr, Xva, Xte) for r in part]
    assert len(set(rows)) == 200 and set(rows) == {tuple(r) for r in X}
    # Labels travel with their rows.
    label_of = {tuple(r): label for r, label in zip(X, y, strict=True)}
    for part_X, part_y in ((Xtr, ytr), (Xva, yva), (Xte, yte)):
        assert [label_of[tuple(r)] for r in part_X] == part_y.tolist()
    # Shuffled, and seeded.
    assert not np.array_equal(Xtr, X[:120])
    again = data.train_val_test_split(X, y)
    np.testing.assert_array_equal(again[0][0], Xtr)
    other = data.train_val_test_split(X, y, seed=1)
    assert not np.array_equal(other[0][0], Xtr)


@given(st.integers(0, 500), st.sampled_from([(0.6, 0.2, 0.2), (0.8, 0.1, 0.1), (1, 0, 0)]))
def test_split_sizes_add_up(n, fractions):
    X, y = np.arange(2 * n).reshape(n, 2), np.arange(n)
    parts = data.train_val_test_split(X, y, fractions)
    sizes = [len(part_y) for _, part_y in parts]
    assert sum(sizes) == n
    assert all(abs(size - f * n) <= 1 for size, f in zip(sizes, fractions, strict=True))
    assert sorted(np.concatenate([part_y for _, part_y in parts]).tolist()) == list(range(n))


def test_module_is_exported():
    assert nnlab.data is data


# --- argument validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: data.moons(0), "moons: n must be a positive integer, got 0"),
        (lambda: data.circles(-3), "circles: n must be a positive integer, got -3"),
        (lambda: data.spirals(10.5), "spirals: n must be a positive integer, got 10.5"),
        (lambda: data.blobs(True), "blobs: n must be a positive integer, got True"),
        (lambda: data.moons(noise=-0.1), "moons: noise must be a finite number >= 0, got -0.1"),
        (lambda: data.xor(noise=np.inf), "xor: noise must be a finite number >= 0, got inf"),
        (lambda: data.xor(n_per_corner=0), "xor: n_per_corner must be a positive integer, got 0"),
        (lambda: data.spirals(classes=1), "spirals: classes must be an integer >= 2, got 1"),
        (
            lambda: data.circles(factor=1.5),
            r"circles: factor \(inner radius\) must lie in \(0, 1\)",
        ),
        (lambda: data.blobs(centers=1), "blobs: centers must be an integer >= 2, got 1"),
        (lambda: data.blobs(centers=[[0, 0]]), "blobs: centers must be a number of classes >= 2"),
        (lambda: data.blobs(std=-1), "blobs: std must be a finite number >= 0"),
        (
            lambda: data.function_samples(np.sin, domain=(1, 0)),
            r"function_samples: domain must satisfy low < high",
        ),
        (
            lambda: data.function_samples(lambda x: x[:3]),
            r"function_samples: f must return 50 values for x of shape \(50,\), got shape \(3,\)",
        ),
        (lambda: data.grid((0, 1), (0, 1), steps=1), "grid: steps must be an integer >= 2, got 1"),
        (lambda: data.grid((0,), (0, 1)), r"grid: xlim must be a pair \(low, high\)"),
        (
            lambda: data.train_val_test_split(np.zeros((3, 2)), np.zeros(4)),
            "train_val_test_split: X has 3 rows but y has 4 labels",
        ),
        (
            lambda: data.train_val_test_split(np.zeros((3, 2)), np.zeros(3), (0.5, 0.5)),
            "train_val_test_split: fractions must be three numbers >= 0 that sum to 1",
        ),
        (
            lambda: data.train_val_test_split(np.zeros((3, 2)), np.zeros(3), (0.7, 0.2, 0.2)),
            r"that sum to 1 \(train, validation, test\), got \[0.7, 0.2, 0.2\]",
        ),
    ],
)
def test_arguments_are_validated(call, message):
    with pytest.raises(ValueError, match=message):
        call()
