"""Shared test helpers: central differences, error measures and hypothesis profiles.

The helpers are session-scoped fixtures (plain functions), so they also work inside
``@given`` tests without tripping hypothesis' function-scoped-fixture health check.

Hypothesis profiles: ``ci`` (the default) is derandomized, so every run checks the same
examples and a red CI run can be reproduced locally; ``dev`` draws fresh random examples
each run; ``thorough`` draws 1000 random examples per property (minutes, not for every run).
Choose with ``HYPOTHESIS_PROFILE=dev`` or ``pytest --hypothesis-profile=dev``.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

_COMMON = dict(
    max_examples=40,
    deadline=None,  # no timing assertions: a slow shared runner must not fail the suite
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, **_COMMON)
settings.register_profile("dev", **_COMMON)
settings.register_profile("thorough", **{**_COMMON, "max_examples": 1000})
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FD_EPS = 1e-6


def central_jacobians(f, *xs, eps: float = FD_EPS) -> list[np.ndarray]:
    """Jacobians of ``f(*xs)`` by central differences, one per input.

    ``f`` is called on plain float64 arrays (nnlab ops then just compute values).
    The Jacobian for input ``k`` has shape ``y.shape + xs[k].shape``. The step is
    ``eps * max(1, |x_i|)``; the error is O(step**2) truncation plus
    O(machine_eps * |f| / step) roundoff, about 1e-10 for O(1) inputs.
    """
    xs = [np.array(x, dtype=np.float64) for x in xs]
    y0 = np.asarray(f(*xs), dtype=np.float64)
    jacobians = []
    for k, x in enumerate(xs):
        J = np.zeros(y0.shape + x.shape)
        for idx in np.ndindex(x.shape):
            h = eps * max(1.0, abs(x[idx]))
            plus = [a.copy() for a in xs]
            minus = [a.copy() for a in xs]
            plus[k][idx] += h
            minus[k][idx] -= h
            diff = np.asarray(f(*plus), dtype=np.float64) - np.asarray(f(*minus), dtype=np.float64)
            J[(Ellipsis, *idx)] = diff / (2 * h)
        jacobians.append(J)
    return jacobians


def central_grad(f, x, eps: float = FD_EPS) -> np.ndarray:
    """Gradient of scalar ``f`` at array ``x`` by central differences."""
    return central_jacobians(f, x, eps=eps)[0]


def max_rel_err(a, b, floor: float = 0.0) -> float:
    """Norm-wise relative error ``max|a - b| / max(max|a|, max|b|, floor)`` (0 when all are 0).

    ``floor`` keeps a derivative that cancels to (almost) zero from turning rounding noise
    into a relative error of 1: below it, the error is measured against ``floor``.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, f"shapes differ: {a.shape} vs {b.shape}"
    if a.size == 0:
        return 0.0
    scale = max(np.max(np.abs(a)), np.max(np.abs(b)), floor)
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b)) / scale)


def assert_matches_fd(exact, fd, rtol: float = 1e-5, atol: float = 1e-8, what: str = ""):
    """``max|exact - fd| <= rtol * max|exact| + atol``: the tolerance for finite differences.

    Finite differences carry truncation and roundoff error, so they are compared
    norm-wise (a tiny component of a large gradient is not held to a relative bound).
    """
    exact, fd = np.asarray(exact, dtype=np.float64), np.asarray(fd, dtype=np.float64)
    assert exact.shape == fd.shape, f"{what}: shapes differ: {exact.shape} vs {fd.shape}"
    err = float(np.max(np.abs(exact - fd), initial=0.0))
    bound = rtol * float(np.max(np.abs(exact), initial=0.0)) + atol
    assert err <= bound, f"{what}: |exact - fd| = {err:.3e} > {bound:.3e}\nexact={exact}\nfd={fd}"


@pytest.fixture(scope="session")
def fd_jacobians():
    return central_jacobians


@pytest.fixture(scope="session")
def fd_grad():
    return central_grad


@pytest.fixture(scope="session")
def rel_err():
    return max_rel_err


@pytest.fixture(scope="session")
def check_fd():
    return assert_matches_fd


# --- browser tests (see tests/browser.py) ------------------------------------------------------
@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium (Playwright), shared by the session's browser tests."""
    from browser import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def staff_html():
    """The staff edition's ``html`` folder, built once for this session (or NNLAB_BOOK_HTML)."""
    from browser import staff_book

    return staff_book()


@pytest.fixture(scope="session")
def book_url(chromium, staff_html):
    """The staff edition of the book, built for this session and served on loopback."""
    from browser import serve

    with serve(staff_html) as url:
        yield url


@pytest.fixture
def laptop_page(chromium):
    """A fresh page at a laptop's size (1366 x 768)."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    yield page
    context.close()
