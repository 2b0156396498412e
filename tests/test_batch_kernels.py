"""The batch-size kernels against their numpy references, and their statistics.

Kernels: per-example noise laws and batch moments (numerics.batch_noise), small- vs
large-batch steps (numerics.batch_steps), the adaptive algorithm (numerics.adaptive_lr);
helpers: ratio and delta-method standard errors (numerics.chain_stats).
"""

import math

import numba
import numpy as np
import pytest

from numerics.adaptive_lr import DIVERGED, OK, SIGMA_UNDEFINED, run_adaptive, run_adaptive_reference
from numerics.batch_noise import (GAUSSIAN, STUDENT_T, TWO_POINT, batch_moments, batch_moments_reference,
                                  noise_reference)
from numerics.batch_steps import small_vs_big_steps, small_vs_big_steps_reference
from numerics.chain_stats import frequency_over_chains, function_of_means, ratio_over_chains

KINDS = (GAUSSIAN, STUDENT_T, TWO_POINT)


@pytest.mark.parametrize("kind", KINDS)
def test_batch_moments_equal_reference_bit_for_bit(kind):
    a = batch_moments(kind, 5, 3, 7, 11)
    b = batch_moments_reference(kind, 5, 3, 7, 11)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


@pytest.mark.parametrize("kind", KINDS)
def test_noise_laws_are_standardised(kind):
    # 400k draws: the mean's se is 1/632 = 0.0016 and the variance's se is at most
    # sqrt((kurtosis - 1)/n) = sqrt(8/4e5) = 0.0045 (Student-t(5): excess kurtosis 6).
    # A 6-se tolerance has false-alarm probability 2e-9 per check; a law off by 0.03 in
    # mean or variance (a wrong scale) is caught with power ~1.
    xi = noise_reference(kind, 3, 4, 100_000).ravel()
    assert abs(xi.mean()) < 6 * 0.0016
    assert abs(xi.var() - 1.0) < 6 * 0.0045


def test_biased_sd_is_the_slides_definition():
    mean, sd = batch_moments_reference(GAUSSIAN, 4, 2, 3, 5)
    xi = noise_reference(GAUSSIAN, 5, 2, 12).reshape(2, 3, 4)
    np.testing.assert_allclose(sd, np.sqrt(((xi - xi.mean(axis=2, keepdims=True)) ** 2).mean(axis=2)), rtol=1e-14)


def test_batch_moments_identical_at_any_thread_count():
    top = numba.config.NUMBA_NUM_THREADS
    runs = []
    for t in sorted({1, top}):
        prev = numba.get_num_threads()
        numba.set_num_threads(t)
        try:
            runs.append(batch_moments(STUDENT_T, 8, 6, 50, 2))
        finally:
            numba.set_num_threads(prev)
    for r in runs[1:]:
        np.testing.assert_array_equal(r[0], runs[0][0])


@pytest.mark.parametrize("kind", KINDS)
def test_small_vs_big_steps_equal_reference(kind):
    kw = dict(x0=0.7, sigma=0.5, kind=kind, b=2, n=3, eta_small=0.1, eta_big=0.6, n_chains=3, n_per_chain=5, seed=4)
    a = small_vs_big_steps([0, 1, 0, 1], **kw)
    b = small_vs_big_steps_reference([0, 1, 0, 1], **kw)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_one_small_step_is_the_big_step():
    # n = 1 and equal rates: both paths are the same update on the same examples.
    a, b = small_vs_big_steps([0.3, 1.0], x0=1.0, sigma=1.0, kind=GAUSSIAN, b=4, n=1, eta_small=0.2,
                              eta_big=0.2, n_chains=2, n_per_chain=10, seed=1)
    np.testing.assert_array_equal(a, b)


ADAPTIVE = dict(x_star=np.array([0.1, -0.2, 0.0]), sigma=np.array([0.5, 0.8, 1.0]), B=3, K=5, eps=1e-6,
                lam_B=16.0, lam_eta=1 / 32, n_steps=60, record_t=[0, 5, 6, 30, 60], seed=9)
H3 = [[1, 0.5, 0], [0.5, 2, 0.1], [0, 0.1, 1]]


def _same(r1, r2):
    for f in ("phi", "g_tilde", "s_tilde", "bstar", "eta", "memory"):
        np.testing.assert_array_equal(getattr(r1, f), getattr(r2, f), err_msg=f)
    for f in ("fail_step", "fail_code", "weight_over_one"):
        np.testing.assert_array_equal(getattr(r1, f), getattr(r2, f), err_msg=f)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("extra", [{}, {"bstar_scale": 3.0, "w_max": 0.5, "eta_cap": 0.5},
                                   {"freeze": True, "weight_bstar": 40.0}])
def test_adaptive_kernel_equals_reference(kind, extra):
    x0 = np.ones((4, 3)) * np.array([0.3, 3.0, 8.0, 20.0])[:, None]
    _same(run_adaptive(H3, kind=kind, x0=x0, **ADAPTIVE, **extra),
          run_adaptive_reference(H3, kind=kind, x0=x0, **ADAPTIVE, **extra))


def test_adaptive_one_dimension_and_failure_codes():
    # Far starts with B = 3 drive the weight above 1: sigma~^2 turns negative (code 1).
    x0 = np.array([0.05, 3.0, 8.0])
    kw = dict(x_star=0.0, sigma=1.0, B=3, kind=GAUSSIAN, K=5, eps=1e-8, lam_B=16.0, lam_eta=1 / 32,
              n_steps=200, record_t=[0, 100, 200], seed=3)
    r = run_adaptive([[1.0]], x0=x0, **kw)
    _same(r, run_adaptive_reference([[1.0]], x0=x0, **kw))
    assert set(r.fail_code.tolist()) <= {OK, SIGMA_UNDEFINED, DIVERGED}
    assert r.fail_code[2] != OK
    assert np.all(np.isnan(r.eta[r.fail_code != OK, -1]))


def test_capped_weight_keeps_sigma_defined():
    # With w <= 1/2, s~ - g~^2 stays > 0 (v' >= v/2): no chain may fail with code 1.
    x0 = np.linspace(0.5, 20, 32)
    r = run_adaptive([[1.0]], x_star=0.0, sigma=1.0, B=8, kind=TWO_POINT, K=20, eps=1e-8, lam_B=128.0,
                     lam_eta=1 / 32, x0=x0, n_steps=500, record_t=[500], seed=5, w_max=0.5, eta_cap=0.5)
    assert not np.any(r.fail_code == SIGMA_UNDEFINED)


def test_fixed_weight_memory_is_deterministic():
    r = run_adaptive([[1.0]], x_star=0.0, sigma=1.0, B=2, kind=GAUSSIAN, K=10, eps=1e-8, lam_B=16.0,
                     lam_eta=1 / 32, x0=np.full(3, 0.25), n_steps=100, record_t=[100], seed=1, freeze=True,
                     weight_bstar=50.0)
    # updates at t = 0..99: weight B/K while t <= K (11 updates), then B/weight_bstar (89)
    expected = (1 - 2 / 10) ** 11 * (1 - 2 / 50) ** 89
    np.testing.assert_allclose(r.memory[:, 0], expected, rtol=1e-12)


@pytest.mark.parametrize("kwargs, match", [
    (dict(B=0), "B=0"), (dict(K=0), "K=0"), (dict(eps=-1.0), "eps=-1.0"), (dict(w_max=0.0), "w_max=0.0"),
    (dict(record_t=[5, 1]), "record_t"), (dict(kind=7), "kind=7"), (dict(weight_bstar=-1.0), "weight_bstar=-1.0"),
])
def test_adaptive_bad_arguments_name_themselves(kwargs, match):
    base = dict(x_star=0.0, sigma=1.0, B=2, kind=GAUSSIAN, K=5, eps=1e-8, lam_B=16.0, lam_eta=0.1,
                x0=np.ones(2), n_steps=10, record_t=[10], seed=1)
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        run_adaptive([[1.0]], **base)


@pytest.mark.parametrize("kwargs, match", [(dict(b=0), "b=0"), (dict(eta_small=-1.0), "eta_small=-1.0"),
                                           (dict(sigma=float("nan")), "sigma=nan")])
def test_steps_bad_arguments_name_themselves(kwargs, match):
    base = dict(x0=0.0, sigma=1.0, kind=GAUSSIAN, b=1, n=2, eta_small=0.1, eta_big=0.2, n_chains=2,
                n_per_chain=2, seed=1)
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        small_vs_big_steps([0.0, 1.0], **base)


def test_ratio_se_matches_the_linearisation():
    num = np.array([3.0, 5.0, 4.0, 6.0])
    den = np.array([10.0, 12.0, 9.0, 11.0])
    est = ratio_over_chains(num, den)
    r = num.sum() / den.sum()
    z = (num - r * den) / den.mean()
    assert est.value == pytest.approx(r)
    assert est.se == pytest.approx(z.std(ddof=1) / 2)


def test_frequency_floor_for_zero_events():
    est = frequency_over_chains(np.zeros(4), np.full(4, 25.0))
    assert est.value == 0.0 and est.se == pytest.approx(1 / 100)


def test_delta_method_is_exact_for_a_linear_function():
    x = np.arange(12.0).reshape(6, 2) ** 1.5
    est = function_of_means(x, lambda m: 2 * m[0] - 3 * m[1])
    lin = 2 * x[:, 0] - 3 * x[:, 1]
    assert est.value == pytest.approx(lin.mean())
    assert est.se == pytest.approx(lin.std(ddof=1) / math.sqrt(6), rel=1e-6)
