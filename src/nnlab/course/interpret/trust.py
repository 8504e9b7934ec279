"""The five seeded worlds of chapter 13, where a network with excellent validation accuracy
still lets us down, and the experiments run on them.

- `v_truth`, `v_world`: label 1 above a "V", sampled in a window of ``x1`` (covariate shift).
- `drift_curve`: accuracy and mean confidence as the sampling window slides.
- `watermark_data`: a shortcut feature equal to the label in training, random at test.
- `copies_data`, `seed_explanations`, `most_different_pair`, `best_unit_match`: two noisy
  copies of one feature; how seeds split integrated-gradients credit between them.
- `weather_world`: a confounded proxy, and the intervention ``do(p := p + push)``.
- `train_logged`: the classifier training used throughout, with the loss at the end and its
  change over the last tenth of the steps (to say whether a run has settled).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine.errors import NnlabValueError
from ...nn.fit import fit
from ...nn.metrics import accuracy
from ...nn.mlp import MLP
from .attribution import integrated_gradients
from .scores import score_function
from .units import hidden_activations

__all__ = [
    "Logged",
    "SeedRun",
    "best_unit_match",
    "copies_data",
    "drift_curve",
    "most_different_pair",
    "seed_explanations",
    "train_logged",
    "v_truth",
    "v_world",
    "watermark_data",
    "weather_world",
]


@dataclass(frozen=True)
class Logged:
    """A trained classifier with its final mean BCE and that loss's change over the last
    tenth of the steps (negative: still falling)."""

    net: MLP
    final_loss: float
    last_change: float


def train_logged(sizes, X, y, steps: int, seed: int = 0, lr: float = 0.02) -> Logged:
    """``MLP(sizes, "relu", output="sigmoid", seed=seed)`` trained as
    `nnlab.train_classifier` trains it (Adam on the mean BCE), with its loss log."""
    net = MLP(list(sizes), "relu", output="sigmoid", seed=seed)
    history = fit(net, X, y, loss="bce", optimizer="adam", lr=lr, steps=steps, seed=0)
    losses = np.asarray(history.losses, dtype=np.float64)
    tail = max(1, len(losses) // 10)
    return Logged(net, float(losses[-1]), float(losses[-1] - losses[-1 - tail]))


def v_truth(X) -> np.ndarray:
    """Positive where the true label is 1: above the V ``x2 = |x1| - 1``. ``X`` (n, 2)."""
    X = np.asarray(X, dtype=np.float64)
    return X[:, 1] - (np.abs(X[:, 0]) - 1)


def v_world(n: int, x1_range, seed: int):
    """``n`` points with ``x1`` uniform on ``x1_range`` and ``x2`` on [-3, 3], and labels."""
    if n < 1:
        raise NnlabValueError(f"v_world: n must be at least 1, got {n}")
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.uniform(*x1_range, n), rng.uniform(-3, 3, n)])
    return X, (v_truth(X) > 0).astype(int)


def drift_curve(f, shifts, n: int = 400, first_seed: int = 10, window=(-3.0, -0.5)):
    """Accuracy and mean confidence ``mean(max(p, 1 - p))`` of the score function ``f`` on
    fresh V-world data from the window shifted right by each ``s`` in ``shifts`` (the k-th
    shift's sample is seeded ``first_seed + k``). Returns two arrays like ``shifts``."""
    acc, conf = [], []
    for k, s in enumerate(np.asarray(shifts, dtype=np.float64)):
        X, y = v_world(n, (window[0] + s, window[1] + s), seed=first_seed + k)
        z = f(X)
        p = 1.0 / (1.0 + np.exp(-z))
        acc.append(accuracy(z, y, from_logits=True))
        conf.append(float(np.mean(np.maximum(p, 1.0 - p))))
    return np.array(acc), np.array(conf)


def watermark_data(n: int, tag_matches_label: bool, seed: int):
    """Label from ``x1 + x2`` plus noise; ``x3`` is a tag ``2y - 1`` (training) or a random
    sign (test), plus small noise."""
    rng = np.random.default_rng(seed)
    core = rng.standard_normal((n, 2))
    y = (core[:, 0] + core[:, 1] + 0.7 * rng.standard_normal(n) > 0).astype(int)
    tag = (2 * y - 1) if tag_matches_label else rng.choice([-1, 1], n)
    X = np.column_stack([core, tag + 0.1 * rng.standard_normal(n)])
    return X, y


def copies_data(n: int, seed: int):
    """Label from ``a1 + a2``; the inputs are two noisy copies of ``a1`` and ``a2`` itself."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, 2))
    X = np.column_stack(
        [a[:, 0] + 0.05 * rng.standard_normal(n), a[:, 0] + 0.05 * rng.standard_normal(n), a[:, 1]]
    )
    return X, (a[:, 0] + a[:, 1] > 0).astype(int)


@dataclass(frozen=True)
class SeedRun:
    """One seed of `seed_explanations`: test accuracy, IG at the query (d,), the share of the
    first feature in the first two features' credit, the training log."""

    seed: int
    accuracy: float
    ig: np.ndarray
    share: float
    logged: Logged

    @property
    def net(self) -> MLP:
        return self.logged.net


def seed_explanations(X_tr, y_tr, X_te, y_te, x_query, seeds, steps: int, hidden: int = 8):
    """Train ``MLP([d, hidden, 1])`` from each seed and explain ``x_query`` (1, d) with
    integrated gradients (baseline 0, 128 midpoint steps)."""
    runs = []
    for seed in seeds:
        logged = train_logged([X_tr.shape[1], hidden, 1], X_tr, y_tr, steps=steps, seed=seed)
        f = score_function(logged.net)
        ig = integrated_gradients(f, x_query, steps=128).attributions[0]
        acc = accuracy(f(X_te), y_te, from_logits=True)
        runs.append(SeedRun(int(seed), acc, ig, float(ig[0] / (ig[0] + ig[1])), logged))
    return runs


def most_different_pair(runs):
    """The two runs with exactly equal test accuracy whose shares differ most."""
    best = None
    for i, a in enumerate(runs):
        for b in runs[i + 1 :]:
            if a.accuracy == b.accuracy and (best is None or abs(a.share - b.share) > best[0]):
                best = (abs(a.share - b.share), a, b)
    if best is None:
        raise NnlabValueError("most_different_pair: no two runs have the same test accuracy")
    return best[1], best[2]


def best_unit_match(net_a: MLP, net_b: MLP, X) -> np.ndarray:
    """For each active hidden unit of ``net_a`` on ``X``, the largest |correlation| of its
    activations with those of an active unit of ``net_b`` (units that never vary are left
    out: a correlation with a constant is undefined)."""
    H_a, H_b = hidden_activations(net_a, X), hidden_activations(net_b, X)
    live_a, live_b = H_a.std(axis=0) > 1e-9, H_b.std(axis=0) > 1e-9
    k = int(live_a.sum())
    corr = np.abs(np.corrcoef(H_a[:, live_a].T, H_b[:, live_b].T)[:k, k:])
    return corr.max(axis=1)


def weather_world(n: int, seed: int, push_sales: float = 0.0, record_weather: bool = False):
    """Weather ``u``, sales ``p = u + noise (+ push)``, accidents ``y = [u + noise > 0]``.

    ``push_sales`` is the intervention ``do(p := p + push)``: it moves ``p``, not ``u``, so
    ``y`` is unchanged. Inputs are ``p`` alone (n, 1), or ``(p, u)`` with ``record_weather``.
    """
    rng = np.random.default_rng(seed)
    u = rng.standard_normal(n)
    p = u + 0.3 * rng.standard_normal(n) + push_sales
    y = (u + 0.3 * rng.standard_normal(n) > 0).astype(int)
    return (np.column_stack([p, u]) if record_weather else p[:, None]), y
