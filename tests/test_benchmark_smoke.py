"""Smoke test of benchmarks/engine.py: on tiny sizes every engine trains identically.

A correctness test only: nothing here looks at a time. Engines whose package is missing
(PyTorch in CI, possibly HIPS autograd) are simply absent.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "engine.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("nnlab_benchmark_engine", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


TINY = [
    ("small", 40, [2, 5, 4, 1]),  # tanh hidden, sigmoid + BCE on logits, two moons
    ("large64", 32, [6, 8, 7, 3]),  # ReLU hidden, softmax cross-entropy, random labels
]


@pytest.mark.parametrize(("name", "n", "sizes"), TINY, ids=[t[0] for t in TINY])
def test_all_engines_agree_in_float64(bench, name, n, sizes):
    case = bench.make_case(name, n=n, sizes=sizes)
    assert case.dtype == np.float64
    result = bench.check_agreement(case, steps=3)
    engines = set(result.losses)
    assert {"hand numpy", "nnlab reverse", "nnlab backprop"} <= engines
    if importlib.util.find_spec("autograd") is not None:
        assert "HIPS autograd" in engines
    assert result.ok, (result.worst, result.param_ok)
    for losses in result.losses.values():
        assert len(losses) == 4
        assert np.allclose(losses, result.losses["hand numpy"], rtol=1e-9, atol=0)
    # Training does something: the loss moved.
    reference = result.losses["hand numpy"]
    assert reference[-1] != reference[0]


def test_the_check_catches_a_wrong_engine(bench, monkeypatch):
    def wrong(case):
        engine = bench.hand_numpy(case)
        step = engine.step

        def twice():  # two updates per step: a different trajectory
            step()
            return step()

        return bench.Engine("wrong", twice, engine.params)

    monkeypatch.setattr(bench, "ENGINE_BUILDERS", [bench.hand_numpy, wrong])
    result = bench.check_agreement(bench.make_case("small", n=20, sizes=[2, 3, 1]), steps=2)
    assert not result.ok
    assert result.worst["wrong"] > 1e-6


def test_matmul_floor_is_not_a_training_engine(bench):
    case = bench.make_case("large64", n=16, sizes=[4, 6, 3])
    floor = [e for e in bench.build_engines(case) if e.name == "matmuls only"]
    assert len(floor) == 1 and floor[0].params is None
    floor[0].step()  # runs on these shapes


def test_cli_quick_run(bench, capsys):
    status = bench.main(["--case", "small", "--quick", "--points", "50", "--steps-check", "2"])
    out = capsys.readouterr().out
    assert status == 0
    assert "| hand numpy |" in out and "nnlab reverse" in out and "matmuls only" in out


MEMORY = BENCHMARK.with_name("memory.py")


def test_memory_benchmark_runs_and_forward_mode_stays_flat(capsys):
    spec = importlib.util.spec_from_file_location("nnlab_benchmark_memory", MEMORY)
    memory = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(memory)
    rows = memory.measure(width=32, batch=16, depths=[1, 4, 16])
    assert [r["depth"] for r in rows] == [1, 4, 16]
    # The machine-independent counts: reverse stores 2 values per layer, forward holds 3 at most.
    assert [r["chain stored"] for r in rows] == [2 * 32 * 16 * d for d in (1, 4, 16)]
    assert [r["chain alive"] for r in rows[1:]] == [3 * 2 * 32 * 16] * 2
    table = memory.format_table(rows)
    assert table.count("\n") == 2 + 3 - 1 and table.startswith("| depth | chain reverse MiB")
    assert memory.main(["--width", "8", "--batch", "4", "--depths", "1,2"]) == 0
    assert "| 2 |" in capsys.readouterr().out
