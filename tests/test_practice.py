"""The practice generators (nnlab.course.practice): answers are the engine's and match central
differences, mistakes are gradable, statements render, seeds reproduce."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from mdit_py_plugins.dollarmath import dollarmath_plugin
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

import nnlab
from nnlab.course import practice, section16
from nnlab.course.costs import jacobian_cost
from nnlab.course.grading import DEFAULT_RTOL, close, grade
from nnlab.course.practice import (
    autodiff_tables,
    backprop,
    forward_pass,
    parameter_counts,
    pass_counts,
    permutation_midpoint,
    quadratic_descent,
    xor_weights,
)
from nnlab.course.xor import XOR_X, XOR_Y
from nnlab.engine.errors import NnlabValueError
from nnlab.nn.losses import binary_cross_entropy
from nnlab.nn.mlp import MLP

SEEDS = range(40)
ALL = [(skill, seed) for skill in practice.SKILLS for seed in SEEDS]
EPS = 1e-6


def _sigmoid(t):
    return 1.0 / (1.0 + np.exp(-t))


def _central(f, p: dict, name: str) -> float:
    up, down = dict(p), dict(p)
    up[name] += EPS
    down[name] -= EPS
    return (f(up) - f(down)) / (2 * EPS)


@pytest.fixture(scope="module")
def problems():
    return {(skill, seed): practice.generate(skill, seed) for skill, seed in ALL}


# ---------------------------------------------------------------- shape of every problem


@pytest.mark.parametrize("skill", practice.SKILLS)
def test_every_problem_is_flat_named_numbers_with_gradable_mistakes(problems, skill):
    for seed in SEEDS:
        p = problems[(skill, seed)]
        assert skill in p.skills and p.seed == seed
        for table in (p.params, p.answers):
            assert table and all(isinstance(k, str) for k in table)
            assert all(isinstance(v, float) and math.isfinite(v) for v in table.values())
        assert set(p.answer_labels) == set(p.answers) == set(p.mistakes)
        for name, answer in p.answers.items():
            ms = p.mistakes[name]
            assert ms, f"skill {skill} seed {seed}: {name} has no common mistake"
            values = [m.value for m in ms]
            for k, v in enumerate(values):
                assert not close(v, answer, DEFAULT_RTOL), (skill, seed, name, v, answer)
                assert all(not close(v, w, DEFAULT_RTOL) for w in values[:k])
            # the hints are reachable: grading a listed mistake returns its hint
            for m in ms:
                correct, message = grade(m.value, answer, ms)
                assert not correct and m.hint in message
            assert grade(answer, answer, ms)[0]


@pytest.mark.parametrize("skill", practice.SKILLS)
def test_same_seed_same_problem_and_seeds_differ(problems, skill):
    again = practice.generate(skill, 7)
    assert again.to_json() == problems[(skill, 7)].to_json()
    distinct = {repr(sorted(problems[(skill, s)].params.items())) for s in SEEDS}
    assert len(distinct) > len(SEEDS) // 2


# ---------------------------------------------------------------- rendering

_MYST = create_md_parser(MdParserConfig(enable_extensions={"dollarmath"}), RendererHTML)
_PLAIN = MarkdownIt("commonmark").enable("table").use(dollarmath_plugin)


def _check_markdown(text: str, where):
    tokens = _PLAIN.parse(text)
    maths = [t for t in _walk(tokens) if t.type in ("math_inline", "math_block")]
    for t in _walk(tokens):
        if t.type == "text":
            assert "$" not in t.content, f"{where}: unbalanced maths delimiter in {t.content!r}"
    for m in maths:
        assert m.content.count("{") == m.content.count("}"), f"{where}: braces in {m.content!r}"
        assert m.content.strip(), where
    # MyST (the book's parser) finds the same maths, and leaves no dollar sign in the text
    html = _MYST.render(text)
    assert html.count('class="math') == len(maths), where
    assert "$" not in re.sub(
        r"<[^>]+>", "", re.sub(r'<(span|div) class="math.*?</\1>', "", html, flags=re.S)
    ), where


def _walk(tokens):
    for t in tokens:
        yield t
        yield from _walk(t.children or [])


@pytest.mark.parametrize("skill", practice.SKILLS)
def test_statements_and_solutions_render_with_balanced_maths(problems, skill):
    for seed in range(10):
        p = problems[(skill, seed)]
        _check_markdown(p.statement, (skill, seed, "statement"))
        _check_markdown(p.solution, (skill, seed, "solution"))
        for label in p.answer_labels.values():
            _check_markdown(label, (skill, seed, "label"))


# ---------------------------------------------------------------- engine and central differences


def _bce_16(p):
    h1 = max(p["w11"] * p["x1"] + p["w21"] * p["x2"], 0.0)
    h2 = max(p["w12"] * p["x1"] + p["w22"] * p["x2"], 0.0)
    yhat = _sigmoid(p["v0"] + p["v1"] * h1 + p["v2"] * h2)
    return -(p["y"] * np.log(yhat) + (1 - p["y"]) * np.log(1 - yhat))


def test_backprop_answers_are_the_engine_and_central_differences():
    dead = alive = 0
    for seed in range(60):
        p = practice.backprop_problem(seed)
        assert list(p.params) == list(backprop.PARAMS)
        assert list(p.answers) == list(backprop.ANSWERS)
        e = backprop.engine_values(p.params)
        assert all(p.answers[k] == e[k] for k in p.answers)
        weights = {k: p.params[k] for k in section16.PARAMS}
        x = np.array([[p.params["x1"], p.params["x2"]]])
        assert p.answers["yhat"] == pytest.approx(float(section16.network(**weights)(x)[0, 0]))
        for name in backprop.ANSWERS[1:]:
            fd = _central(_bce_16, p.params, name[4:])
            assert p.answers[name] == pytest.approx(fd, rel=1e-6, abs=1e-8), (seed, name)
        z = (e["z1"], e["z2"])
        assert min(abs(t) for t in z) >= backprop.KINK_GAP
        assert any(abs(p.answers[k]) > 1e-3 for k in backprop.ANSWERS[1:])
        dead += min(z) < 0
        alive += min(z) > 0
    assert dead and alive, "some seeds need a dead unit, some none"


def test_forward_pass_answers_match_a_numpy_forward_pass():
    widths = set()
    for seed in range(40):
        p = practice.forward_pass_problem(seed)
        q, width, output = p.params, p.extra["width"], p.extra["output"]
        widths.add(width)
        z = [
            q[f"w1{j}"] * q["x1"] + q[f"w2{j}"] * q["x2"] + q[f"b{j}"] for j in range(1, width + 1)
        ]
        h = [max(t, 0.0) for t in z]
        logit = q["v0"] + sum(q[f"v{j}"] * h[j - 1] for j in range(1, width + 1))
        yhat = _sigmoid(logit) if output == "sigmoid" else logit
        assert p.answers["yhat"] == pytest.approx(yhat, rel=1e-12)
        for j in range(1, width + 1):
            assert p.answers[f"h{j}"] == pytest.approx(h[j - 1])
        assert min(abs(t) for t in z) >= forward_pass.KINK_GAP
        assert p.figure["sizes"] == [2, width, 1]
    assert widths == {2, 3}


def test_autodiff_tables_are_the_engine_and_central_differences():
    for seed in range(40):
        p = practice.autodiff_tables_problem(seed)
        spec = p.extra["graph"]
        graph = autodiff_tables.build_graph(spec)
        assert 2 <= len(graph.inputs) <= 3
        assert any(n["op"] in autodiff_tables.NONLINEAR for n in spec["nodes"])
        assert p.answers == autodiff_tables.engine_answers(graph, spec["wrt"])
        names = list(spec["inputs"])
        out = graph.nodes[graph.output].name

        def value_of(node, inputs, spec=spec):
            return float(autodiff_tables.build_graph({**spec, "inputs": inputs})[node].value)

        # forward mode: d node / d wrt by central differences on the input
        for key, value in p.answers.items():
            kind, node = key.split("_", 1)
            if kind == "tan":
                fd = _central(lambda q, n=node: value_of(n, q), dict(spec["inputs"]), spec["wrt"])
                assert value == pytest.approx(fd, abs=1e-5), (seed, key)
            elif node in names:  # reverse mode at an input: d out / d input
                fd = _central(lambda q, out=out: value_of(out, q), dict(spec["inputs"]), node)
                assert value == pytest.approx(fd, abs=1e-5), (seed, key)


def test_pass_counts_follow_the_engines_jacobian():
    for seed in range(60):
        p = practice.pass_counts_problem(seed)
        n, m = int(p.params["n"]), int(p.params["m"])
        assert n != m
        assert p.answers["reverse_cheaper"] == (1.0 if m < n else 0.0)
        if n * m <= 40:  # run the engine on a small f: R^n -> R^m
            A = np.random.default_rng(seed).standard_normal((n, m))
            cost = jacobian_cost(lambda x, A=A: nnlab.tanh(x @ A), np.ones(n))
            assert (cost.forward_passes, cost.reverse_passes) == (
                p.answers["forward_passes"],
                p.answers["reverse_passes"],
            )


def test_quadratic_descent_matches_gd_with_central_differences():
    stable = set()
    for seed in range(60):
        p = practice.quadratic_descent_problem(seed)
        assert list(p.params) == ["a", "w0", "eta", "k"]
        assert {"eta_max", "w_k", "loss_k"} <= set(p.answers)
        a, w, eta, k = (p.params[n] for n in ("a", "w0", "eta", "k"))
        loss = lambda t, a=a: 0.5 * a * t * t  # noqa: E731
        for _ in range(int(k)):
            w -= eta * (loss(w + EPS) - loss(w - EPS)) / (2 * EPS)
        assert p.answers["w_k"] == pytest.approx(w, rel=1e-6)
        assert p.answers["loss_k"] == pytest.approx(loss(w), rel=1e-6)
        assert p.answers["eta_max"] == pytest.approx(2 / a, rel=1e-12)
        # the threshold is where GD stops converging
        for factor, shrinks in ((0.98, True), (1.02, False)):
            t = 1.0
            for _ in range(200):
                t -= factor * p.answers["eta_max"] * a * t
            assert (abs(t) < 1) == shrinks
        stable.add(p.answers["stable"])
    assert stable == {0.0, 1.0}


def test_parameter_counts_match_counting_by_hand():
    for seed in range(40):
        p = practice.parameter_counts_problem(seed)
        sizes, bias = p.extra["sizes"], bool(p.params["bias"])
        weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
        assert p.answers["n_weights"] == weights
        assert p.answers["n_params"] == weights + (sum(sizes[1:]) if bias else 0)
        assert p.answers["depth"] == len(sizes) - 1
        layer = int(p.params["layer"])
        assert p.answers["width"] == sizes[layer]
        assert p.answers["added_params"] == sizes[layer - 1] + sizes[layer + 1] + bias
        assert MLP(sizes, bias=bias).n_parameters == p.answers["n_params"]


def test_permutation_midpoint_losses():
    for seed in range(30):
        p = practice.permutation_midpoint_problem(seed)
        q = p.params
        X, y = permutation_midpoint.data(q)

        def loss(W, v, c, X=X, y=y):
            h = np.maximum(X @ W, 0.0)
            yhat = _sigmoid(h @ v + c)
            return float(np.mean(-(y * np.log(yhat) + (1 - y) * np.log(1 - yhat))))

        W = np.array([[q["w11"], q["w12"]], [q["w21"], q["w22"]]])
        v = np.array([q["v1"], q["v2"]])
        L = loss(W, v, q["c"])
        assert p.answers["loss_theta"] == pytest.approx(L, rel=1e-12)
        assert p.answers["loss_perm"] == pytest.approx(loss(W[:, ::-1], v[::-1], q["c"]), rel=1e-12)
        mid = loss((W + W[:, ::-1]) / 2, (v + v[::-1]) / 2, q["c"])
        assert p.answers["loss_mid"] == pytest.approx(mid, rel=1e-12)
        assert p.answers["gap"] > 0.05  # convexity fails at the midpoint
        net = permutation_midpoint.network(q)
        assert float(binary_cross_entropy(net(X), y)) == pytest.approx(L)


def test_xor_weights_hidden_representation_and_verdict():
    verdicts = set()
    for seed in range(40):
        p = practice.xor_weights_problem(seed)
        q = p.params
        W = np.array([[q["w11"], q["w12"]], [q["w21"], q["w22"]]])
        h = np.maximum(XOR_X @ W + np.array([q["b1"], q["b2"]]), 0.0)
        logits = h @ np.array([q["v1"], q["v2"]]) + q["c"]
        correct = int(np.sum((logits > 0).astype(int) == XOR_Y))
        for k in range(4):
            for j in range(2):
                assert p.answers[f"x{k + 1}_h{j + 1}"] == pytest.approx(h[k, j])
        assert p.answers["n_correct"] == correct
        assert p.answers["classifies"] == (1.0 if correct == 4 else 0.0)
        assert np.min(np.abs(logits)) >= 0.5
        verdicts.add(p.answers["classifies"])
    assert verdicts == {0.0, 1.0}


def test_problem_set_seeds_are_derived_and_reproducible():
    a = practice.problem_set("2,8", 3, 2027)
    b = practice.problem_set([2, 8], 3, 2027)
    assert [p.to_json() for p in a] == [p.to_json() for p in b]
    assert [p.skill for p in a] == [2, 2, 2, 8, 8, 8]
    assert len({p.seed for p in a}) == 6
    c = practice.problem_set("2,8", 3, 2028)
    assert [p.params for p in a] != [p.params for p in c]
    assert [p.skill for p in practice.problem_set("1,6,1", 1, 0)] == [6]
    assert practice.generate(8, a[3].seed).to_json() == a[3].to_json()


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: practice.backprop_problem(-1), "backprop_problem"),
        (lambda: practice.forward_pass_problem(1.5), "forward_pass_problem"),
        (lambda: practice.autodiff_tables_problem("3"), "autodiff_tables_problem"),
        (lambda: practice.pass_counts_problem(True), "pass_counts_problem"),
        (lambda: practice.quadratic_descent_problem(None), "quadratic_descent_problem"),
        (lambda: practice.parameter_counts_problem(-2), "parameter_counts_problem"),
        (lambda: practice.permutation_midpoint_problem(0.5), "permutation_midpoint_problem"),
        (lambda: practice.xor_weights_problem("x"), "xor_weights_problem"),
        (lambda: practice.generate(3, 0), "generate"),
        (lambda: practice.generate(8, -5), "generate"),
        (lambda: practice.problem_set("2,x", 1, 0), "problem_set"),
        (lambda: practice.problem_set("", 1, 0), "problem_set"),
        (lambda: practice.problem_set("2", 0, 0), "problem_set"),
        (lambda: autodiff_tables.build_graph({"nodes": []}), "build_graph"),
    ],
)
def test_bad_arguments_are_errors_naming_the_function(call, name):
    with pytest.raises(NnlabValueError, match=rf"^{name}: "):
        call()


def test_generators_are_fast_enough_for_a_bank():
    # 20 problems per skill (the static bank's size) is cheap, so the chapter can build it live.
    bank = practice.problem_set(practice.SKILLS, 20, 1)
    assert len(bank) == 20 * (len(practice.SKILLS) - 1)


def test_module_uses_no_plotting():
    for module in (forward_pass, backprop, autodiff_tables, pass_counts, quadratic_descent,
                   parameter_counts, permutation_midpoint, xor_weights):  # fmt: skip
        assert "matplotlib" not in open(module.__file__).read()
