"""Time one full training step of an MLP in nnlab and in reference engines, side by side.

One step = forward pass + loss + backward pass + plain SGD update (lr 0.1) of every
parameter. Engines, all run in one process on identical data and initial weights:

  hand numpy       forward/backward written by hand, cs231n-style layers (the numpy floor)
  nnlab reverse    nnlab.value_and_grad of loss(net.logits(X, params), y)
  nnlab backprop   nnlab.backprop.loss_and_gradients (cached z/a, explicit deltas)
  HIPS autograd    the same network re-written with autograd.numpy
  torch            PyTorch CPU eager (only if torch imports), threads matched to numpy's BLAS
  matmuls only     the step's matrix products alone, forward and backward (the BLAS floor)

Before timing, every training engine runs a few steps from the same start and the script
exits with status 1 unless all their losses (and final parameters) agree.

    python benchmarks/engine.py [--case small|large32|large64|all] [--repeats N]
                                [--steps-check N] [--malloc-tuned] [--quick]
                                [--isolated] [--engines NAMES] [--blas-threads N]

``--malloc-tuned`` raises glibc's mmap/trim thresholds before numpy is imported, so no
engine pays page faults for its temporaries; ``--isolated`` times each engine alone in a
fresh process instead of round-robin in this one.

See benchmarks/README.md for what is measured and the results.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

# --- glibc malloc tuning: must happen before numpy (or anything large) is allocated -----
# mallopt parameter numbers from glibc's <malloc.h>.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_WANTED = 256 << 20  # accepted by glibc 2.36 (Debian 12)
MMAP_THRESHOLD_MAX = 32 << 20  # the cap of some glibc versions (HEAP_MAX_SIZE / 2): the fallback
TRIM_THRESHOLD = 1 << 30


def tune_malloc() -> str:
    """Keep freed numpy buffers in the heap: no mmap/munmap or brk trimming per temporary.

    With glibc's defaults a large temporary is either mmap'ed (above the dynamic mmap
    threshold) or, when freed, returned to the kernel by trimming the top of the heap, so
    the next step touches fresh pages and takes one minor page fault per 4 KiB page. Raising
    the mmap threshold to 256 MiB and the trim threshold to 1 GiB makes freed buffers
    reusable. These are global settings, so every arena (every thread) gets them.
    Returns a description of what was set (or why not).
    """
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return "not available (no glibc mallopt)"
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    mmap = MMAP_THRESHOLD_WANTED
    if not mallopt(M_MMAP_THRESHOLD, mmap):
        mmap = MMAP_THRESHOLD_MAX
        if not mallopt(M_MMAP_THRESHOLD, mmap):
            return "mallopt(M_MMAP_THRESHOLD) refused"
    if not mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD):
        return "mallopt(M_TRIM_THRESHOLD) refused"
    return f"M_MMAP_THRESHOLD={mmap >> 20} MiB, M_TRIM_THRESHOLD={TRIM_THRESHOLD >> 20} MiB"


MALLOC_SETTING = "glibc defaults"
if __name__ == "__main__" and "--malloc-tuned" in sys.argv[1:]:
    MALLOC_SETTING = "tuned: " + tune_malloc()

# ruff: noqa: E402  (the imports below must come after the mallopt call above)
import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import nnlab
from nnlab.nn import backprop

LR = 0.1
RTOL = {np.dtype(np.float32): 1e-4, np.dtype(np.float64): 1e-9}


# --- cases ------------------------------------------------------------------------------
@dataclass
class Case:
    """A network, a loss and a data set: everything an engine needs to build its step."""

    name: str
    sizes: list[int]
    activation: str  # hidden units: "tanh" or "relu"
    loss: str  # "bce" (sigmoid output, labels 0/1) or "softmax_ce" (integer labels)
    dtype: np.dtype
    X: np.ndarray
    y: np.ndarray  # (n,) float 0/1 for "bce", (n,) int64 for "softmax_ce"
    params0: list[np.ndarray] = field(default_factory=list)

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def output(self) -> str:
        return "sigmoid" if self.loss == "bce" else "softmax"

    def describe(self) -> str:
        arch = "-".join(map(str, self.sizes))
        out = "sigmoid + BCE on logits" if self.loss == "bce" else "softmax cross-entropy"
        return f"{arch} {self.activation}, {out}, {self.n} points, {self.dtype}"


def make_moons(n: int, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (as sklearn's make_moons), from a seeded generator."""
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.concatenate(
        [
            np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
            np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], axis=1),
        ]
    )
    X += noise * rng.standard_normal(X.shape)
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    order = rng.permutation(n)
    return X[order], y[order]


def make_case(name: str, n: int | None = None, sizes: list[int] | None = None, dtype=None) -> Case:
    """``small`` (two moons), ``large32`` / ``large64`` (gaussian points, random labels).

    ``n``, ``sizes`` and ``dtype`` override the defaults (the smoke test uses tiny sizes).
    """
    if name == "small":
        sizes = sizes or [2, 16, 16, 1]
        dtype = np.dtype(np.float64 if dtype is None else dtype)
        X, y = make_moons(n or 1000)
        X, y = X.astype(dtype), y.astype(dtype)
        if sizes[0] != 2:
            raise ValueError("the small case has 2 inputs (two moons)")
        case = Case(name, sizes, "tanh", "bce", dtype, X, y)
    elif name in ("large32", "large64"):
        sizes = sizes or [64, 256, 256, 10]
        if dtype is None:
            dtype = np.float32 if name == "large32" else np.float64
        dtype = np.dtype(dtype)
        rng = np.random.default_rng(1)
        n = n or 4096
        X = rng.standard_normal((n, sizes[0])).astype(dtype)
        y = rng.integers(0, sizes[-1], size=n).astype(np.int64)
        case = Case(name, sizes, "relu", "softmax_ce", dtype, X, y)
    else:
        raise ValueError(f"unknown case {name!r}; valid names: small, large32, large64")
    net = nnlab.MLP(case.sizes, case.activation, case.output, seed=0, dtype=dtype)
    case.params0 = [p.copy() for p in net.parameters()]
    return case


# --- engines ----------------------------------------------------------------------------
@dataclass
class Engine:
    """``step()`` does one training step and returns the loss before the update."""

    name: str
    step: Callable[[], float]
    params: Callable[[], list[np.ndarray]] | None  # None: not a training engine
    note: str = ""
    runtime: str = "numpy"  # whose thread pool the step uses: "numpy" (OpenBLAS) or "torch"


def _fresh(case: Case) -> list[np.ndarray]:
    return [p.copy() for p in case.params0]


# (a) hand-written numpy, the layers of cs231n's assignments ----------------------------
def affine_forward(x, w, b):
    return x @ w + b, (x, w)


def affine_backward(dout, cache, need_dx=True):
    x, w = cache
    dx = dout @ w.T if need_dx else None
    return dx, x.T @ dout, dout.sum(axis=0)


def relu_forward(x):
    return np.maximum(x, 0), x


def relu_backward(dout, x):
    return dout * (x > 0)


def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, out):
    return dout * (1 - out * out)


def softmax_loss(z, y):
    """Mean cross-entropy of softmax(z) against integer labels, and its gradient dL/dz."""
    n = z.shape[0]
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    loss = -(shifted[rows, y] - np.log(s[:, 0])).sum() / n
    dz = e / s
    dz[rows, y] -= 1
    dz /= n
    return float(loss), dz


def sigmoid_bce_loss(z, y):
    """Mean binary cross-entropy of sigmoid(z) (computed on logits), and dL/dz."""
    n = z.shape[0]
    loss = np.mean(np.logaddexp(0, z) - y * z)
    dz = (1 / (1 + np.exp(-z)) - y) / n
    return float(loss), dz


def hand_numpy(case: Case) -> Engine:
    params = _fresh(case)
    X = case.X
    y = case.y[:, None] if case.loss == "bce" else case.y
    if case.activation == "relu":
        act_f, act_b = relu_forward, relu_backward
    else:
        act_f, act_b = tanh_forward, tanh_backward
    loss_fn = sigmoid_bce_loss if case.loss == "bce" else softmax_loss
    depth = len(params) // 2

    def step():
        a, caches, act_caches = X, [], []
        for layer in range(depth):
            z, cache = affine_forward(a, params[2 * layer], params[2 * layer + 1])
            caches.append(cache)
            if layer < depth - 1:
                a, act_cache = act_f(z)
                act_caches.append(act_cache)
        loss, dz = loss_fn(z, y)
        grads = [None] * len(params)
        for layer in reversed(range(depth)):
            da, grads[2 * layer], grads[2 * layer + 1] = affine_backward(
                dz, caches[layer], need_dx=layer > 0
            )
            if layer > 0:
                dz = act_b(da, act_caches[layer - 1])
        for p, g in zip(params, grads, strict=True):
            p -= LR * g
        return loss

    return Engine("hand numpy", step, lambda: params)


# (b) nnlab reverse mode ----------------------------------------------------------------
def nnlab_reverse(case: Case) -> Engine:
    params = _fresh(case)
    net = nnlab.MLP(case.sizes, case.activation, case.output, seed=0, dtype=case.dtype)
    loss_of = (
        nnlab.binary_cross_entropy_with_logits
        if case.loss == "bce"
        else nnlab.softmax_cross_entropy
    )
    X, y = case.X, case.y

    def loss(ps):
        return loss_of(net.logits(X, ps), y)

    value_and_grad = nnlab.value_and_grad(loss)

    def step():
        value, grads = value_and_grad(params)
        for p, g in zip(params, grads, strict=True):
            p -= LR * g
        return value

    return Engine("nnlab reverse", step, lambda: params)


# (c) nnlab explicit backprop -----------------------------------------------------------
def nnlab_backprop(case: Case) -> Engine:
    params = _fresh(case)
    net = nnlab.MLP(case.sizes, case.activation, case.output, seed=0, dtype=case.dtype)
    X, y = case.X, case.y

    def step():
        value, grads = backprop.loss_and_gradients(net, X, y, case.loss, params)
        for p, g in zip(params, grads, strict=True):
            p -= LR * g
        return value

    return Engine("nnlab backprop", step, lambda: params)


# (d) HIPS autograd ---------------------------------------------------------------------
def hips_autograd(case: Case) -> Engine | None:
    try:
        import autograd
        import autograd.numpy as anp
        from autograd.tracer import getval
    except ImportError:
        return None
    params = _fresh(case)
    X = case.X
    depth = len(params) // 2
    act = anp.tanh if case.activation == "tanh" else (lambda z: anp.maximum(z, 0))
    if case.loss == "bce":
        target = case.y[:, None]

        def loss_of(z):
            return anp.mean(anp.logaddexp(0, z) - target * z)
    else:
        target = np.eye(case.sizes[-1], dtype=case.dtype)[case.y]

        def loss_of(z):
            # The shift is a constant (the loss does not depend on it), so no gradient flows.
            m = np.max(getval(z), axis=1, keepdims=True)
            lse = anp.log(anp.sum(anp.exp(z - m), axis=1)) + m[:, 0]
            return anp.mean(lse - anp.sum(z * target, axis=1))

    def loss(ps):
        a = X
        for layer in range(depth):
            z = anp.dot(a, ps[2 * layer]) + ps[2 * layer + 1]
            a = act(z) if layer < depth - 1 else z
        return loss_of(a)

    value_and_grad = autograd.value_and_grad(loss)

    def step():
        value, grads = value_and_grad(params)
        for p, g in zip(params, grads, strict=True):
            p -= LR * g
        return float(value)

    return Engine("HIPS autograd", step, lambda: params, f"autograd {_version('autograd')}")


# (e) PyTorch CPU -----------------------------------------------------------------------
def blas_threads() -> int:
    """numpy's BLAS thread count (torch is set to the same)."""
    return openblas_runtime().get("threads") or len(os.sched_getaffinity(0))


def pytorch(case: Case) -> Engine | None:
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return None
    torch.set_num_threads(blas_threads())
    params = [torch.tensor(p, requires_grad=True) for p in case.params0]
    X = torch.from_numpy(case.X.copy())
    depth = len(params) // 2
    act = torch.tanh if case.activation == "tanh" else torch.relu
    if case.loss == "bce":
        target = torch.from_numpy(case.y[:, None].copy())

        def loss_of(z):
            return F.binary_cross_entropy_with_logits(z, target)
    else:
        target = torch.from_numpy(case.y.copy())

        def loss_of(z):
            return F.cross_entropy(z, target)

    def step():
        a = X
        for layer in range(depth):
            z = a @ params[2 * layer] + params[2 * layer + 1]
            a = act(z) if layer < depth - 1 else z
        loss = loss_of(a)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.sub_(LR * p.grad)
                p.grad = None
        return loss.item()

    def current():
        return [p.detach().numpy() for p in params]

    threads = torch.get_num_threads()
    note = f"torch {torch.__version__}, {threads} thread{'s' if threads != 1 else ''}"
    return Engine("torch", step, current, note, runtime="torch")


# (f) the matrix products alone ---------------------------------------------------------
def matmuls_only(case: Case) -> Engine:
    """The step's matmuls: one per layer forward, dW for every layer and the deltas
    below the top layer backward (no dX), with fixed, well-scaled stand-in deltas."""
    Ws = [p.copy() for p in case.params0[0::2]]
    X = case.X
    rng = np.random.default_rng(2)
    deltas = [(rng.standard_normal((case.n, w.shape[1])) / case.n).astype(case.dtype) for w in Ws]

    def step():
        acts = [X]
        for W in Ws:
            acts.append(acts[-1] @ W)
        for layer in reversed(range(len(Ws))):
            acts[layer].T @ deltas[layer]  # dW
            if layer > 0:
                deltas[layer] @ Ws[layer].T  # delta one layer down
        return float("nan")

    return Engine("matmuls only", step, None, "BLAS floor")


ENGINE_BUILDERS = [hand_numpy, nnlab_reverse, nnlab_backprop, hips_autograd, pytorch, matmuls_only]


def build_engines(case: Case, names: list[str] | None = None) -> list[Engine]:
    """Every available engine for ``case`` (fresh parameter copies); absent ones skipped."""
    engines = [e for e in (build(case) for build in ENGINE_BUILDERS) if e is not None]
    if names is not None:
        engines = [e for e in engines if e.name in names]
    return engines


# --- correctness ------------------------------------------------------------------------
@dataclass
class Agreement:
    ok: bool
    losses: dict[str, list[float]]
    worst: dict[str, float]  # largest relative loss difference to hand numpy, per engine
    param_ok: dict[str, bool]
    rtol: float


def check_agreement(case: Case, steps: int = 5, rtol: float | None = None) -> Agreement:
    """Run ``steps + 1`` training steps per engine from the same start; compare with hand numpy.

    The last loss is the loss after ``steps`` updates; parameters after all steps are
    compared too (relative to each array's largest entry).
    """
    rtol = RTOL[case.dtype] if rtol is None else rtol
    engines = [e for e in build_engines(case) if e.params is not None]
    losses = {e.name: [e.step() for _ in range(steps + 1)] for e in engines}
    ref_losses = np.array(losses["hand numpy"])
    ref_params = engines[0].params()
    worst, param_ok = {}, {}
    for e in engines:
        got = np.array(losses[e.name])
        worst[e.name] = float(np.max(np.abs(got - ref_losses) / np.abs(ref_losses)))
        param_ok[e.name] = all(
            np.allclose(p, r, rtol=rtol, atol=rtol * np.max(np.abs(r)))
            for p, r in zip(e.params(), ref_params, strict=True)
        )
    ok = all(np.isfinite(v) and v <= rtol for v in worst.values()) and all(param_ok.values())
    return Agreement(ok, losses, worst, param_ok, rtol)


# --- timing -----------------------------------------------------------------------------
@dataclass
class Timing:
    name: str
    note: str
    ms: np.ndarray  # per-step time of each repetition
    faults: np.ndarray  # minor page faults per step of each repetition
    inner: int

    @property
    def median(self) -> float:
        return float(np.median(self.ms))

    @property
    def iqr(self) -> float:
        q1, q3 = np.percentile(self.ms, [25, 75])
        return float(q3 - q1)


def _minflt() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _block(step, inner: int) -> tuple[float, int]:
    f0 = _minflt()
    t0 = time.perf_counter()
    for _ in range(inner):
        step()
    t1 = time.perf_counter()
    return t1 - t0, _minflt() - f0


def time_engines(
    engines: list[Engine],
    repeats: int,
    warmup: int = 3,
    block_s: float = 0.002,
    settle_s: float | None = None,
    seed: int = 0,
) -> list[Timing]:
    """Round-robin timing: each repetition runs one block of every engine, in a fresh
    random order, so slow drifts and noise bursts hit all engines alike. A block is
    ``inner`` consecutive steps (enough for ~``block_s``), reported per step.

    numpy's OpenBLAS workers spin (sched_yield) for ~0.1 s after a BLAS call and torch's
    OpenMP workers spin too, so a block that directly follows the other runtime's block
    shares the cores with spinning threads and can run several times slower. Engines of
    the other runtime (torch) therefore sit at the start or end of a repetition
    (alternately, so they run back to back across repetitions), and after every switch of
    runtime the next engine runs untimed for ``settle_s`` seconds first (default 0.25 s
    when a pool has more than one thread, else 0).
    """
    if settle_s is None:
        settle_s = 0.25 if blas_threads() > 1 else 0.0
    for e in engines:
        for _ in range(warmup):
            e.step()
    inner = {}
    for e in engines:  # calibrate the block length on a few timed steps
        dt, _ = _block(e.step, 3)
        inner[e.name] = max(1, min(1000, round(block_s / max(dt / 3, 1e-7))))
    ms = {e.name: [] for e in engines}
    faults = {e.name: [] for e in engines}
    rng = np.random.default_rng(seed)
    main = [e for e in engines if e.runtime == "numpy"]
    other = [e for e in engines if e.runtime != "numpy"]
    previous = engines[-1].runtime
    gc.collect()
    for r in range(repeats):
        order = [main[i] for i in rng.permutation(len(main))]
        order = other + order if r % 2 == 0 else order + other
        for e in order:
            if e.runtime != previous and settle_s > 0:
                t_end = time.perf_counter() + settle_s
                while time.perf_counter() < t_end:
                    e.step()
            previous = e.runtime
            dt, df = _block(e.step, inner[e.name])
            ms[e.name].append(1e3 * dt / inner[e.name])
            faults[e.name].append(df / inner[e.name])
    return [
        Timing(e.name, e.note, np.array(ms[e.name]), np.array(faults[e.name]), inner[e.name])
        for e in engines
    ]


# --- machine information ----------------------------------------------------------------
def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:  # noqa: BLE001 - informational only
        return "not installed"


_OPENBLAS_SYMBOLS = {  # scipy-openblas (numpy >= 2 wheels), 64-bit-int builds, plain builds
    "threads": "scipy_openblas_get_num_threads64_ openblas_get_num_threads64_ "
    "openblas_get_num_threads",
    "set_threads": "scipy_openblas_set_num_threads64_ openblas_set_num_threads64_ "
    "openblas_set_num_threads",
    "core": "scipy_openblas_get_corename64_ openblas_get_corename64_ openblas_get_corename",
    "config": "scipy_openblas_get_config64_ openblas_get_config64_ openblas_get_config",
}


def _openblas_function(key: str):
    """The OpenBLAS function ``key`` from the library numpy loaded (found in /proc/self/maps)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _OPENBLAS_SYMBOLS[key].split():
            fn = getattr(lib, name, None)
            if fn is not None:
                return fn
    return None


def openblas_runtime() -> dict:
    """Core type, thread count and build of the OpenBLAS numpy loaded, read with ctypes."""
    info = {}
    for key, restype in [
        ("threads", ctypes.c_int),
        ("core", ctypes.c_char_p),
        ("config", ctypes.c_char_p),
    ]:
        fn = _openblas_function(key)
        if fn is not None:
            fn.restype = restype
            value = fn()
            info[key] = value.decode() if isinstance(value, bytes) else value
    return info


def set_blas_threads(n: int) -> bool:
    """Set numpy's OpenBLAS thread count at run time (False if it cannot be found)."""
    fn = _openblas_function("set_threads")
    if fn is None:
        return False
    fn.argtypes, fn.restype = [ctypes.c_int], None
    fn(n)
    return True


def numpy_blas_summary() -> str:
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # noqa: BLE001 - numpy < 1.26 has no mode="dicts"
        return "see numpy.show_config()"


def nnlab_source() -> str:
    """Where nnlab was imported from and, inside a git checkout, its commit (and dirty src/)."""
    path = os.path.dirname(os.path.abspath(nnlab.__file__))
    try:
        run = {"cwd": path, "capture_output": True, "text": True, "timeout": 10, "check": True}
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], **run).stdout.strip()
        status = ["git", "status", "--porcelain", "--untracked-files=no", "--", "."]
        dirty = subprocess.run(status, **run).stdout.strip()
        return f"{path} (git {commit}{', src modified' if dirty else ''})"
    except (OSError, subprocess.SubprocessError):
        return path


def machine_info() -> list[str]:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            thp = f.read().strip()
    except OSError:
        thp = "unknown"
    ob = openblas_runtime()
    env = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_"))}
    lines = [
        f"cpu: {cpu}; nproc {len(os.sched_getaffinity(0))} (os.cpu_count {os.cpu_count()})",
        f"python {platform.python_version()}, numpy {np.__version__}, nnlab {nnlab.__version__}, "
        f"autograd {_version('autograd')}, torch {_version('torch')}",
        f"nnlab from {nnlab_source()}",
        f"numpy BLAS: {numpy_blas_summary()}; runtime core {ob.get('core', '?')}, "
        f"{ob.get('threads', '?')} threads ({ob.get('config', 'config unknown')})",
        "BLAS/OpenMP env: " + (", ".join(f"{k}={v}" for k, v in sorted(env.items())) or "none set"),
        f"malloc: {MALLOC_SETTING}; transparent hugepages: {thp}",
        "load average at start (1/5/15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()),
    ]
    try:
        import torch

        blas = "MKL" if torch.backends.mkl.is_available() else "non-MKL BLAS"
        torch.set_num_threads(blas_threads())
        lines.append(
            f"torch {torch.__version__}: {blas}, set_num_threads({blas_threads()}) "
            f"-> {torch.get_num_threads()} intra-op threads"
        )
    except ImportError:
        lines.append("torch: not installed (engine skipped)")
    return lines


# --- report -----------------------------------------------------------------------------
def format_table(timings: list[Timing]) -> str:
    base = next((t.median for t in timings if t.name == "hand numpy"), None)
    rows = [
        "| engine | median ms/step | IQR ms | x hand numpy | minor faults/step | steps/block |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for t in timings:
        label = f"{t.name} ({t.note})" if t.note else t.name
        rows.append(
            f"| {label} | {t.median:.3f} | {t.iqr:.3f} | "
            f"{'-' if base is None else format(t.median / base, '.2f')} | "
            f"{np.mean(t.faults):.0f} | {t.inner} |"
        )
    return "\n".join(rows)


def run_check(case: Case, steps: int) -> bool:
    agreement = check_agreement(case, steps)
    for engine, worst in agreement.worst.items():
        final = agreement.losses[engine][-1]
        flag = "ok" if worst <= agreement.rtol and agreement.param_ok[engine] else "MISMATCH"
        print(
            f"  check: {engine:15s} loss after {steps} steps {final:.10g}  "
            f"max rel diff {worst:.1e}  params {'ok' if agreement.param_ok[engine] else 'DIFFER'}"
            f"  [{flag}]"
        )
    if not agreement.ok:
        print(f"  engines disagree (rtol {agreement.rtol:g})", file=sys.stderr)
    return agreement.ok


def time_isolated(name: str, engine_names: list[str], args) -> list[Timing]:
    """Each engine timed alone in a fresh process (its own heap and thread pools)."""
    timings = []
    for engine in engine_names:
        cmd = [sys.executable, os.path.abspath(__file__), "--case", name, "--engines", engine]
        cmd += ["--repeats", str(args.repeats), "--no-check", "--result-json"]
        cmd += ["--malloc-tuned"] if args.malloc_tuned else []
        cmd += ["--quick"] if args.quick else []
        cmd += ["--points", str(args.points)] if args.points else []
        cmd += ["--blas-threads", str(args.blas_threads)] if args.blas_threads else []
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("RESULT "):
                r = json.loads(line[len("RESULT ") :])
                ms, faults = np.array(r["ms"]), np.array(r["faults"])
                timings.append(Timing(r["name"], r["note"], ms, faults, r["inner"]))
    return timings


def run_case(name: str, args) -> bool:
    case = make_case(name, n=args.points)
    print(f"\n## {name}: {case.describe()}\n")
    if args.check and not run_check(case, args.steps_check):
        return False
    engines = build_engines(case, args.engines)
    if not engines:
        print(f"  no engine named {args.engines}", file=sys.stderr)
        return False
    t0 = time.perf_counter()
    if args.isolated:
        timings = time_isolated(name, [e.name for e in engines], args)
        how = "repetitions per engine, each engine in its own process"
    else:
        timings = time_engines(engines, args.repeats, warmup=args.warmup)
        how = "round-robin repetitions"
    elapsed = time.perf_counter() - t0
    if args.result_json:
        for t in timings:
            fields = {"name": t.name, "note": t.note, "inner": t.inner}
            fields.update(ms=t.ms.tolist(), faults=t.faults.tolist())
            print("RESULT " + json.dumps(fields))
    print()
    print(format_table(timings))
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{args.repeats} {how} in {elapsed:.0f} s; load after: {load}")
    return True


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", choices=["small", "large32", "large64", "all"], default="all")
    parser.add_argument("--repeats", type=int, default=None, help="round-robin repetitions")
    parser.add_argument("--steps-check", type=int, default=5, help="steps of the loss check")
    parser.add_argument(
        "--malloc-tuned",
        action="store_true",
        help="raise glibc's mmap and trim thresholds before numpy is imported",
    )
    parser.add_argument("--quick", action="store_true", help="few repetitions (smoke test)")
    parser.add_argument("--points", type=int, default=None, help="override the number of points")
    parser.add_argument(
        "--engines",
        type=lambda text: [name.strip() for name in text.split(",")],
        default=None,
        help="time only these engines (comma-separated names, e.g. 'hand numpy'); "
        "all are still checked",
    )
    parser.add_argument(
        "--isolated",
        action="store_true",
        help="time each engine alone in a fresh process instead of round-robin in this one",
    )
    parser.add_argument("--no-check", dest="check", action="store_false", help=argparse.SUPPRESS)
    parser.add_argument("--result-json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="set numpy's OpenBLAS threads (and torch's) to N (default: as loaded)",
    )
    args = parser.parse_args(argv)
    if args.repeats is None:
        args.repeats = 3 if args.quick else 100
    args.warmup = 1 if args.quick else 5
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.blas_threads is not None and not set_blas_threads(args.blas_threads):
        print("note: could not set OpenBLAS threads (library not found)", file=sys.stderr)
    if args.malloc_tuned and MALLOC_SETTING == "glibc defaults":
        print("note: --malloc-tuned only acts when engine.py runs as a script", file=sys.stderr)
    print("# nnlab engine benchmark: one SGD step (forward + backward + update), lr 0.1")
    given = sys.argv[1:] if argv is None else list(argv)
    print("command: python " + " ".join([os.path.relpath(__file__), *given]))
    for line in machine_info():
        print(f"- {line}")
    cases = ["small", "large32", "large64"] if args.case == "all" else [args.case]
    ok = True
    for name in cases:
        ok = run_case(name, args) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
