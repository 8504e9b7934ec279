"""Skills 1 and 6: read an architecture off its drawing: depth, a layer's width and the
number of parameters, and what one more hidden unit costs.

Depth counts layers of weights (the input layer is not a layer, as in handout §1.6; its
Figure 1 counts it, see the book's erratum). Counts come from `MLP.n_parameters`.
"""

from __future__ import annotations

import numpy as np

from ...nn.mlp import MLP
from .problem import (
    Problem,
    check_seed,
    choice,
    draw_until,
    every_answer_has_a_mistake,
    mistakes_for_answers,
)

ACTIVATIONS = ("relu", "tanh", "sigmoid")


def _params(sizes: list[int], bias: bool) -> int:
    return MLP(sizes, activation="relu", bias=bias).n_parameters


def engine_counts(sizes: list[int], bias: bool, layer: int) -> dict:
    """Depth, the width of hidden layer ``layer`` (1-based) and parameter counts from MLPs."""
    wider = list(sizes)
    wider[layer] += 1
    return {
        "depth": float(MLP(sizes).depth),
        "width": float(sizes[layer]),
        "n_params": float(_params(sizes, bias)),
        "n_weights": float(_params(sizes, False)),
        "added_params": float(_params(wider, bias) - _params(sizes, bias)),
    }


def _draw(rng: np.random.Generator, seed: int) -> Problem | None:
    n_hidden = int(choice(rng, (1, 2, 3)))
    sizes = [int(choice(rng, (2, 3, 4, 5)))]
    sizes += [int(choice(rng, (2, 3, 4, 5, 6))) for _ in range(n_hidden)]
    sizes.append(int(choice(rng, (1, 2, 3))))
    bias = bool(rng.random() < 0.75)
    layer = int(rng.integers(1, n_hidden + 1))
    activation = str(choice(rng, ACTIVATIONS))
    answers = engine_counts(sizes, bias, layer)
    before, after = sizes[layer - 1], sizes[layer + 1]
    hidden_units = sum(sizes[1:-1])
    cand = {
        "depth": [
            (answers["depth"] + 1, "You counted the input layer; this book counts layers of "
             "weights (hidden layers plus the output layer), as handout §1.6 does."),
            (answers["depth"] - 1, "You counted only the hidden layers; the output layer "
             "has weights too."),
        ],
        "width": [
            (hidden_units, "Width is the number of units in one layer, not in all hidden "
             "layers together."),
            (sizes[layer - 1], "Layers are counted from the inputs: the input layer is layer "
             "0, the first hidden layer is layer 1."),
            (sizes[layer + 1], "Layers are counted from the inputs, and the first hidden "
             "layer is layer 1."),
        ],
        "n_params": [
            (answers["n_weights"], "Each non-input unit also has a bias."),
            (sum(sizes), "You counted units; parameters are the weights on the edges (and "
             "the biases)."),
            (answers["n_weights"] + sum(sizes), "Input units have no bias; only the units "
             "of the hidden and output layers do."),
        ],
        "n_weights": [
            (answers["n_params"], "You counted biases too; the question asks for weights."),
            (sum(a + b for a, b in zip(sizes[:-1], sizes[1:], strict=True)),
             "Adjacent layers are fully connected: n_in x n_out weights between them, not "
             "n_in + n_out."),
        ],
        "added_params": [
            (before + after, "The new unit also has a bias of its own."),
            (before + (1 if bias else 0), "The new unit also sends a weight to each unit of "
             "the next layer."),
            (after, "The new unit receives a weight from each unit of the previous layer."),
        ],
    }  # fmt: skip
    if not bias:
        cand["added_params"][0] = (
            before + after + 1,
            "You added a bias for the new unit; this network has none.",
        )
        cand["n_params"] = cand["n_params"][1:] + [
            (answers["n_weights"] + sum(sizes[1:]), "You counted biases; this network has none.")
        ]
    mistakes = mistakes_for_answers(answers, cand)
    if not every_answer_has_a_mistake(mistakes):
        return None
    arch = "-".join(str(n) for n in sizes)
    return Problem(
        skill=6,
        kind="parameter_counts",
        seed=seed,
        title=f"Reading the architecture of a {arch} network",
        statement=(
            f"The figure shows a fully connected network with {activation} hidden units "
            + (
                "and a bias on every hidden and output unit (the square nodes)"
                if bias
                else "and **no biases**"
            )
            + ".\n\n"
            "1. What is its depth (the number of layers of weights; the input layer does not "
            "count)?\n"
            f"2. What is the width of hidden layer {layer} (layers counted from the inputs, "
            "which are layer 0)?\n"
            "3. How many weights does it have, and how many parameters in all?\n"
            f"4. How many parameters does one more unit in hidden layer {layer} add?"
        ),
        params={
            "layer": float(layer),
            "bias": 1.0 if bias else 0.0,
            **{f"n{i}": float(n) for i, n in enumerate(sizes)},
        },  # fmt: skip
        answers=answers,
        answer_labels={
            "depth": "the depth",
            "width": f"the width of hidden layer {layer}",
            "n_weights": "the number of weights",
            "n_params": "the number of parameters",
            "added_params": f"parameters added by one more unit in hidden layer {layer}",
        },
        solution=_solution(sizes, bias, layer, answers),
        mistakes=mistakes,
        skills=(1, 6),
        figure={
            "kind": "network",
            "sizes": sizes,
            "bias": [bias] * (len(sizes) - 1),
            "edges": [],
        },  # fmt: skip
        figure_alt=(
            f"A fully connected network with layer sizes {arch} (inputs first)"
            + (", with a bias node feeding each non-input layer." if bias else ", no biases.")
        ),
        extra={"sizes": sizes},
    )


def _solution(sizes, bias, layer, answers) -> str:
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    weights = " + ".join(f"{a}\\cdot{b}" for a, b in pairs)
    biases = " + ".join(str(b) for _, b in pairs)
    count = (
        f"weights ${weights} = {int(answers['n_weights'])}$"
        + (f", biases ${biases} = {int(answers['n_params'] - answers['n_weights'])}$, "
           f"so {int(answers['n_params'])} parameters" if bias else
           f"; no biases, so {int(answers['n_params'])} parameters")
    )  # fmt: skip
    before, after = sizes[layer - 1], sizes[layer + 1]
    added = f"{before} + {after}" + (" + 1" if bias else "")
    return (
        f"Layer sizes (inputs first): {', '.join(map(str, sizes))}. There are "
        f"{len(sizes) - 2} hidden layer(s) and one output layer, so the depth is "
        f"{int(answers['depth'])}. Hidden layer {layer} has {sizes[layer]} units.\n\n"
        f"Between layers of sizes $n$ and $n'$ there are $n n'$ weights (and $n'$ biases): "
        f"{count}.\n\n"
        f"One more unit in hidden layer {layer} receives {before} weights, sends {after}"
        + (" and has its own bias" if bias else "")
        + f": ${added} = {int(answers['added_params'])}$ parameters. Width adds parameters "
        "linearly, depth adds a layer's worth of them: both raise the complexity of the "
        "functions the network can represent."
    )


def parameter_counts_problem(seed: int) -> Problem:
    """Depth, width and parameter counts of a drawn architecture, drawn from ``seed``:
    answers ``depth``, ``width``, ``n_weights``, ``n_params`` and ``added_params``."""
    seed = check_seed(seed, "parameter_counts_problem")
    return draw_until(lambda rng: _draw(rng, seed), seed, "parameter_counts_problem")
