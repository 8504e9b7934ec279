"""Counting the linear regions of ReLU networks.

A ReLU network is piecewise linear: inside a set of inputs where every hidden unit keeps the
same on/off state (its *activation pattern*), each layer is an affine map, so the whole
network is affine there. We count

* along a segment ``x(s) = x0 + s (x1 - x0)``, ``s`` in ``[0, 1]``, exactly: layer by layer,
  each pre-activation is affine in ``s`` on every current piece, so its zero (if the sign
  changes inside the piece) is found in closed form and splits the piece
  (`breakpoints_on_segment`);
* the same count from activation patterns on a fine grid of the segment
  (`grid_pieces_on_segment`), a check on the exact method;
* in 2-D, the number of distinct activation patterns on a grid (`pattern_ids`); each pattern's
  set is convex (fixing the pattern makes every pre-activation affine in x, and the pattern is a
  set of linear inequalities), so distinct patterns count regions, up to ones too small for
  the grid.

`sawtooth_net` is the classic deep construction: L compositions of the tent map, 2 ReLUs per
layer, 2**L linear pieces on [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engine.errors import NnlabTypeError, NnlabValueError, ShapeError
from ..nn.mlp import MLP


def _check_relu(net: MLP, where: str) -> None:
    if not isinstance(net, MLP):
        raise NnlabTypeError(f"{where}: expected an nnlab.MLP, got {type(net).__name__}")
    if net.depth < 2:
        raise NnlabValueError(
            f"{where}: the network has no hidden layer, so it has a single linear region"
        )
    bad = [a for a in net.activations if a != "relu"]
    if bad:
        raise NnlabValueError(
            f"{where}: region counting needs ReLU hidden layers, got activations {bad}"
        )
    if net.output != "identity":
        raise NnlabValueError(
            f"{where}: region counting needs an identity output, got {net.output!r}"
        )


def random_relu_net(sizes: Sequence[int], seed: int = 0, bias_std: float = 1.0) -> MLP:
    """A ReLU ``MLP(sizes)`` with the engine's seeded He weights and N(0, bias_std^2) biases.

    The engine starts biases at zero, which makes every first-layer boundary pass through the
    origin; random biases spread the boundaries out, as in a typical trained network.
    """
    if not bias_std >= 0:
        raise NnlabValueError(f"random_relu_net: bias_std must be non-negative, got {bias_std}")
    net = MLP(list(sizes), activation="relu", output="identity", seed=seed)
    rng = np.random.default_rng([seed, 1])
    net.b = [rng.standard_normal(b.shape) * bias_std for b in net.b]
    return net


def hidden_preactivations(net: MLP, X) -> list[np.ndarray]:
    """Pre-activations ``z`` of every hidden layer on the rows of ``X``."""
    _check_relu(net, "hidden_preactivations")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != net.sizes[0]:
        raise ShapeError(
            f"hidden_preactivations: X must have shape (n, {net.sizes[0]}), got {X.shape}"
        )
    return [np.asarray(z) for z in net.forward(X).z[:-1]]


def activation_patterns(net: MLP, X) -> np.ndarray:
    """Boolean ``(n, hidden units)``: which units are on (pre-activation > 0) at each row of X."""
    return np.concatenate([z > 0 for z in hidden_preactivations(net, X)], axis=1)


def pattern_ids(net: MLP, X) -> np.ndarray:
    """One integer per row of X; equal integers mean equal activation patterns (0, 1, 2, ...)."""
    _, ids = np.unique(_packed(activation_patterns(net, X)), return_inverse=True)
    return ids.reshape(-1)


def count_patterns(net: MLP, X) -> int:
    """The number of distinct activation patterns among the rows of X."""
    return int(np.unique(_packed(activation_patterns(net, X))).size)


def _packed(patterns: np.ndarray) -> np.ndarray:
    # one bytes-like scalar per row, so np.unique compares whole patterns quickly
    bits = np.ascontiguousarray(np.packbits(patterns, axis=1))
    return bits.view(np.dtype((np.void, bits.shape[1]))).reshape(-1)


def _segment(net: MLP, x0, x1, where: str) -> tuple[np.ndarray, np.ndarray]:
    _check_relu(net, where)
    d = net.sizes[0]
    x0 = np.asarray(x0, dtype=np.float64).reshape(-1)
    x1 = np.asarray(x1, dtype=np.float64).reshape(-1)
    if x0.shape != (d,) or x1.shape != (d,):
        raise NnlabValueError(
            f"{where}: the segment ends must have {d} coordinate(s), got {x0.shape}, {x1.shape}"
        )
    if np.array_equal(x0, x1):
        raise NnlabValueError(f"{where}: the segment ends x0 and x1 must differ")
    return x0, x1


def breakpoints_on_segment(net: MLP, x0, x1) -> np.ndarray:
    """Exact positions ``s`` in (0, 1) where the activation pattern changes along the segment.

    Works layer by layer. On a piece where layers before l keep their pattern, layer l's
    pre-activations are affine in s, so a unit whose sign differs at the piece's two ends has
    exactly one zero inside, at ``s_a + (s_b - s_a) z_a / (z_a - z_b)``.
    """
    x0, x1 = _segment(net, x0, x1, "breakpoints_on_segment")
    cuts = np.array([0.0, 1.0])
    for layer in range(net.depth - 1):
        points = x0 + cuts[:, None] * (x1 - x0)
        z = hidden_preactivations(net, points)[layer]
        za, zb = z[:-1], z[1:]
        sa, sb = cuts[:-1, None], cuts[1:, None]
        crossing = za * zb < 0
        with np.errstate(divide="ignore", invalid="ignore"):
            s = sa + (sb - sa) * za / (za - zb)
        new = s[crossing]
        tol = 1e-12
        new = new[(new > tol) & (new < 1 - tol)]
        cuts = np.unique(np.concatenate([cuts, new]))
        # merge cuts closer than the tolerance (the same zero seen from two sides)
        keep = np.concatenate([[True], np.diff(cuts) > tol])
        keep[-1] = True
        cuts = cuts[keep]
    return cuts[1:-1]


def pieces_on_segment(net: MLP, x0, x1) -> int:
    """Number of activation regions the segment passes through (exact)."""
    return int(breakpoints_on_segment(net, x0, x1).size + 1)


def grid_pieces_on_segment(net: MLP, x0, x1, n: int = 100001) -> int:
    """The same count from activation patterns at ``n`` equally spaced points of the segment.

    The points are the midpoints of ``n`` equal cells, ``s = (i + 1/2) / n``, so they avoid the
    round values where a pre-activation can touch zero without changing sign. Counts pattern
    changes between neighbouring points, plus one. It can miss a piece shorter than the grid
    spacing, so it is a lower bound that agrees with the exact count when the grid is fine.
    """
    x0, x1 = _segment(net, x0, x1, "grid_pieces_on_segment")
    if n < 2:
        raise NnlabValueError(
            f"grid_pieces_on_segment: the grid needs at least 2 points, got n={n}"
        )
    s = (np.arange(n) + 0.5) / n
    P = activation_patterns(net, x0 + s[:, None] * (x1 - x0))
    return int(np.count_nonzero(np.any(P[1:] != P[:-1], axis=1)) + 1)


def linear_pieces_on_segment(net: MLP, x0, x1, rtol: float = 1e-9) -> int:
    """Pieces of the output function itself: neighbouring regions with equal slope are merged.

    A pattern change need not bend the output (a unit may feed the output with weight 0), so
    this count is at most `pieces_on_segment`.
    """
    x0, x1 = _segment(net, x0, x1, "linear_pieces_on_segment")
    cuts = np.concatenate([[0.0], breakpoints_on_segment(net, x0, x1), [1.0]])
    y = np.asarray(net(x0 + cuts[:, None] * (x1 - x0)))[:, 0]
    slopes = np.diff(y) / np.diff(cuts)
    scale = max(1.0, float(np.max(np.abs(slopes))))
    changes = np.abs(np.diff(slopes)) > rtol * scale
    return int(np.count_nonzero(changes) + 1)


def sawtooth_net(L: int) -> MLP:
    """L compositions of the tent map on [0, 1], as an ``MLP([1, 2, ..., 2, 1])``.

    tent(t) = 2 ReLU(t) - 4 ReLU(t - 1/2) on [0, 1]. Each hidden layer holds ReLU(t) and
    ReLU(t - 1/2) of the previous tent value t; the next layer's weights form t from them.
    The output tent^L(x) has 2**L linear pieces on [0, 1], from 2L hidden units.
    """
    if not isinstance(L, int | np.integer) or isinstance(L, bool) or L < 1:
        raise NnlabValueError(
            f"sawtooth_net: the number of tent layers L must be a positive integer, got {L!r}"
        )
    L = int(L)
    net = MLP([1] + [2] * L + [1], activation="relu", output="identity")
    mix = np.array([[2.0], [-4.0]])  # tent value from (ReLU(t), ReLU(t - 1/2))
    split = np.array([0.0, -0.5])
    params = [np.array([[1.0, 1.0]]), split.copy()]
    for _ in range(L - 1):
        params += [mix @ np.array([[1.0, 1.0]]), split.copy()]
    params += [mix.copy(), np.zeros(1)]
    net.set_parameters(params)
    return net


def tent_power(x, L: int) -> np.ndarray:
    """tent composed L times, computed directly with numpy (a check on `sawtooth_net`)."""
    t = np.asarray(x, dtype=np.float64)
    for _ in range(int(L)):
        t = np.where(t <= 0.5, 2 * t, 2 - 2 * t)
    return t


def width_for_budget(n_in: int, depth: int, budget: int) -> int:
    """The width w whose ``[n_in] + [w] * (depth - 1) + [1]`` net has the parameter count
    closest to ``budget``."""
    if depth < 2:
        raise NnlabValueError(
            f"width_for_budget: depth (weight layers) must be at least 2, got {depth}"
        )
    if budget < 1:
        raise NnlabValueError(f"width_for_budget: budget must be positive, got {budget}")
    best, best_gap = 1, None
    for w in range(1, budget + 1):
        count = parameter_count([n_in] + [w] * (depth - 1) + [1])
        gap = abs(count - budget)
        if best_gap is None or gap < best_gap:
            best, best_gap = w, gap
        if count > budget:
            break
    return best


def parameter_count(sizes: Sequence[int]) -> int:
    """Weights plus biases of a fully connected net with these layer sizes."""
    sizes = list(sizes)
    return int(sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=False)))


# --- hand counts, for self-checks -----------------------------------------------------------
def parameter_count_mistakes(sizes: Sequence[int]) -> tuple[float, list]:
    """The parameter count of a fully connected ``sizes`` net and the usual wrong counts
    (weights only, a bias on the input layer too, no output bias), for a self-check."""
    from .grading import distinct_mistakes

    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise NnlabValueError(
            f"parameter_count_mistakes: sizes must list at least two positive widths, got {sizes}"
        )
    right = parameter_count(sizes)
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=False))
    return float(right), distinct_mistakes(
        float(right),
        [
            (weights, "Those are the weights only; every unit after the input layer also has "
             "a bias."),
            (right + sizes[0], "The input layer has no biases: biases belong to the units that "
             "compute z = aW + b, i.e. every layer after the input."),
            (right - sizes[-1], "Almost: the output unit has a bias too."),
            (weights + len(sizes) - 1, "One bias per *unit*, not one per layer."),
        ],
    )  # fmt: skip


def relu_line_net(w, b, v, c: float = 0.0) -> MLP:
    """The ``MLP([1, n, 1])`` ReLU net with hidden weights ``w``, biases ``b`` (n,) and output
    weights ``v`` (n,), output bias ``c``: ``x -> sum_k v_k ReLU(w_k x + b_k) + c``."""
    w, b, v = (np.asarray(a, dtype=np.float64).reshape(-1) for a in (w, b, v))
    if not (w.shape == b.shape == v.shape) or w.size == 0:
        raise ShapeError(
            f"relu_line_net: w, b and v must have the same length n >= 1, got "
            f"{w.shape}, {b.shape}, {v.shape}"
        )
    net = MLP([1, w.size, 1], activation="relu", output="identity")
    net.set_parameters([w[None, :], b, v[:, None], np.array([float(c)])])
    return net


def line_pieces_mistakes(w, b, v) -> tuple[float, list]:
    """Linear pieces of ``x -> sum_k v_k ReLU(w_k x + b_k)`` on the whole real line, and the
    usual wrong counts, for a self-check.

    The segment counted on reaches 10 units past the outermost kink, so every kink is inside.
    Wrong counts: activation regions (a kink whose slope change cancels, or whose unit has
    output weight 0, still counted) and n + 1 (coinciding kinks counted twice).
    """
    from .grading import distinct_mistakes

    net = relu_line_net(w, b, v)
    w = np.asarray(w, dtype=np.float64).reshape(-1)
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    kinks = -b[w != 0] / w[w != 0]
    reach = 10.0 + (float(np.max(np.abs(kinks))) if kinks.size else 0.0)
    pieces = linear_pieces_on_segment(net, [-reach], [reach])
    patterns = pieces_on_segment(net, [-reach], [reach])
    return float(pieces), distinct_mistakes(
        float(pieces),
        [
            (patterns, "That counts activation regions. A kink bends the output only if the "
             "slopes on its two sides differ: a unit with output weight 0, or kinks whose "
             "slope changes cancel, leave the line straight."),
            (w.size + 1, "That is the bound n + 1. Kinks at the same x count once, and some "
             "kinks may not bend the output."),
        ],
    )  # fmt: skip


def average_region_counts(sizes: Sequence[int], seeds, x0, x1, points) -> tuple[float, float]:
    """Mean over ``seeds`` of `random_relu_net(sizes, seed)`'s pieces on the segment x0-x1
    (exact) and of its distinct activation patterns at ``points`` (a grid of the plane)."""
    seeds = list(seeds)
    if not seeds:
        raise NnlabValueError("average_region_counts: need at least one seed")
    nets = [random_relu_net(sizes, seed=s) for s in seeds]
    line = [pieces_on_segment(net, x0, x1) for net in nets]
    plane = [count_patterns(net, points) for net in nets]
    return float(np.mean(line)), float(np.mean(plane))
