"""Path kernels (numerics.paths_1d) against their numpy references, and their laws."""

import math

import numba
import numpy as np
import pytest

from numerics.paths_1d import (StepLaw, gradient_flow, gradient_flow_reference, run_data_sgd,
                               run_data_sgd_reference, run_noise_paths, run_noise_paths_reference)

COEF = np.array([[0.0, -1.2, 0.0, 1.0], [0.0, -0.8, 0.0, 1.0], [0.3, -1.0, 0.0, 1.0]])


def test_data_sgd_equals_reference_bit_for_bit():
    kw = dict(x0=np.linspace(-1, 1, 7), checkpoints=[0, 10, 50], seed=3)
    etas = np.linspace(0.02, 0.08, 50)
    np.testing.assert_array_equal(run_data_sgd(COEF, etas, **kw), run_data_sgd_reference(COEF, etas, **kw))


@pytest.mark.parametrize("law", list(StepLaw))
def test_noise_paths_equal_reference_bit_for_bit(law):
    f = [0.0, -1.0, 0.0, 1.0] if law is not StepLaw.STABLE else [0.0]
    kw = dict(a=0.01, b=0.1, x0=np.linspace(-1, 1, 5), n_steps=40, checkpoints=[0, 5, 40], seed=9,
              law=law, alpha=1.5)
    x, w = run_noise_paths(f, [1.0, 0.0, 0.5], **kw)
    xr, wr = run_noise_paths_reference(f, [1.0, 0.0, 0.5], **kw)
    np.testing.assert_array_equal(x, xr)
    np.testing.assert_array_equal(w, wr)


def test_gradient_flow_equals_reference():
    x0 = np.linspace(0.2, 0.8, 9)
    a = gradient_flow([0.0, -1.0, 0.0, 1.0], [-1.0, 0.0, 3.0], x0=x0, t=1.0, steps=200)
    b = gradient_flow_reference([0.0, -1.0, 0.0, 1.0], [-1.0, 0.0, 3.0], x0=x0, t=1.0, steps=200)
    np.testing.assert_allclose(a, b, rtol=1e-14, atol=0)  # same arithmetic; allow FMA-free ulps


def test_gradient_flow_hits_the_closed_form():
    # x' = -(x^3 - x): x(t)^2 = 1 / (1 + (1/x0^2 - 1) e^(-2t)). RK4 with 400 steps: error ~1e-11.
    x0 = np.array([0.2, 0.5, 0.8])
    x, _ = gradient_flow([0.0, -1.0, 0.0, 1.0], [-1.0, 0.0, 3.0], x0=x0, t=1.0, steps=400)
    np.testing.assert_allclose(x, 1 / np.sqrt(1 + (1 / x0**2 - 1) * math.exp(-2.0)), rtol=1e-9)


def test_euler_error_coefficient_matches_the_scheme():
    # The coefficient E(t) of Euler's error: (x_N - x(t)) / dt -> E(t); at dt = 1e-3 the
    # remainder is O(dt) ~ 1e-3 relative (deterministic, no statistics).
    x0 = np.array([0.3])
    x, e = gradient_flow([0.0, -1.0, 0.0, 1.0], [-1.0, 0.0, 3.0], x0=x0, t=1.0)
    n = 1000
    xe, _ = run_noise_paths([0.0, -1.0, 0.0, 1.0], [0.0], a=1.0 / n, b=0.0, x0=x0, n_steps=n,
                            checkpoints=[n], seed=1)
    assert abs((xe[0, 0] - x[0]) * n - e[0]) < 5e-3 * abs(e[0])


def test_results_identical_at_any_thread_count():
    top = numba.config.NUMBA_NUM_THREADS
    runs = []
    for threads in sorted({1, top}):
        previous = numba.get_num_threads()
        numba.set_num_threads(threads)
        try:
            runs.append(run_data_sgd(COEF, np.full(100, 0.05), x0=np.linspace(-1, 1, 64),
                                     checkpoints=[100], seed=5))
        finally:
            numba.set_num_threads(previous)
    for r in runs[1:]:
        np.testing.assert_array_equal(r, runs[0])


def test_stable_steps_have_the_stated_characteristic_function():
    # E cos(s xi) = exp(-|s|^alpha). n = 200000 draws: sd of cos(s xi) <= 1, so se <= 0.0023;
    # the tolerance 5 se has false-alarm probability 6e-7 per check. Power: a scale off by
    # 10 % moves exp(-s^1.5) at s = 1 by 0.05, 20 se.
    x, _ = run_noise_paths([0.0], [1.0], a=0.1, b=1.0, x0=np.zeros(200000), n_steps=1, checkpoints=[1],
                           seed=7, law=StepLaw.STABLE, alpha=1.5)
    for s in (0.5, 1.0, 2.0):
        c = np.cos(s * x[:, 0])
        se = c.std(ddof=1) / math.sqrt(c.size)
        assert abs(c.mean() - math.exp(-s**1.5)) < 5 * se


def test_unit_variance_laws():
    # Var = 1 for NORMAL, RADEMACHER, UNIFORM. n = 100000: se(var) <= sqrt(2/n) * 1.0 ~ 0.0045
    # (excess kurtosis <= 0 here); 5 se: false alarm 6e-7; power against a variance of 3
    # (uniform on [-3, 3]) is certain.
    for law in (StepLaw.NORMAL, StepLaw.RADEMACHER, StepLaw.UNIFORM):
        x, _ = run_noise_paths([0.0], [1.0], a=0.1, b=1.0, x0=np.zeros(100000), n_steps=1, checkpoints=[1],
                               seed=11, law=law)
        assert abs(x.var() - 1.0) < 5 * math.sqrt(2 / x.size)


@pytest.mark.parametrize("kwargs, match", [
    (dict(checkpoints=[5, 3]), "checkpoints"), (dict(n_steps=0), "n_steps=0"),
    (dict(law=StepLaw.STABLE, alpha=1.0), "alpha=1.0"), (dict(x0=[]), "x0"),
])
def test_bad_arguments_name_themselves(kwargs, match):
    base = dict(a=0.1, b=0.1, x0=np.zeros(2), n_steps=10, checkpoints=[10], seed=1)
    with pytest.raises(ValueError, match=match):
        run_noise_paths([0.0], [1.0], **{**base, **kwargs})


def test_bad_schedule_is_refused():
    with pytest.raises(ValueError, match="etas"):
        run_data_sgd(COEF, np.array([0.1, -0.1]), x0=np.zeros(2), checkpoints=[2], seed=1)


def test_divergence_is_reported():
    with pytest.raises(FloatingPointError, match="diverged"):
        run_data_sgd(np.array([[0.0, 1.0]]), np.full(2000, 2.5), x0=np.ones(2), checkpoints=[2000], seed=1)
