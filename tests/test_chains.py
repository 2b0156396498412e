"""The 1-D chain kernel against its numpy reference, and its invariance to thread count."""

import numba
import numpy as np
import pytest

from numerics.chains_1d import run_chains_1d, run_chains_1d_reference

DOUBLE_WELL_DRIFT = np.array([0.0, -1.0, 0.0, 1.0])  # L' = x^3 - x


def test_kernel_equals_numpy_reference_bit_for_bit():
    x0 = np.linspace(-1.5, 1.5, 9)
    kw = dict(a=0.01, b=0.07, x0=x0, n_steps=200, burn_in=50, seed=11, n_moments=4)
    run = run_chains_1d(DOUBLE_WELL_DRIFT, [1.0, 0.0, 0.5], **kw)
    moments, final = run_chains_1d_reference(DOUBLE_WELL_DRIFT, [1.0, 0.0, 0.5], **kw)
    np.testing.assert_array_equal(run.final, final)
    # Moments are summed in the same order in both; allow 4 ulp for the final division.
    np.testing.assert_allclose(run.moments, moments, rtol=4 * np.finfo(float).eps, atol=0)


def test_results_identical_at_any_thread_count():
    kw = dict(a=0.01, b=0.05, x0=np.linspace(-1, 1, 64), n_steps=500, burn_in=100, seed=5)
    top = numba.config.NUMBA_NUM_THREADS
    runs = [run_chains_1d(DOUBLE_WELL_DRIFT, [1.0], threads=t, **kw) for t in sorted({1, top})]
    for r in runs[1:]:
        np.testing.assert_array_equal(r.moments, runs[0].moments)
        np.testing.assert_array_equal(r.hist_counts, runs[0].hist_counts)


def test_histogram_counts_every_kept_state_in_range():
    run = run_chains_1d([0.0, 1.0], [1.0], a=0.1, b=0.1, x0=np.zeros(8), n_steps=100, burn_in=10,
                        seed=2, hist_range=(-10, 10))
    assert run.hist_counts.sum() == 8 * 90


def test_unstable_step_is_reported():
    # Quadratic with curvature h = 1 and step a = 2.5: |1 - a h| > 1 diverges.
    with pytest.raises(FloatingPointError, match="unstable"):
        run_chains_1d([0.0, 1.0], [1.0], a=2.5, b=0.1, x0=np.ones(4), n_steps=2000, burn_in=0, seed=1)


@pytest.mark.parametrize("kwargs, match", [
    (dict(a=0.0), "a=0.0"), (dict(a=float("nan")), "a=nan"), (dict(b=-1.0), "b=-1.0"),
    (dict(n_steps=0), "n_steps=0"), (dict(burn_in=10), "burn_in=10"), (dict(n_moments=0), "n_moments=0"),
])
def test_bad_arguments_name_themselves(kwargs, match):
    base = dict(a=0.1, b=0.1, x0=np.zeros(2), n_steps=10, burn_in=0, seed=1)
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        run_chains_1d([0.0, 1.0], [1.0], **base)


def test_sgd_on_a_quadratic_hits_the_exact_discrete_variance():
    """x' = (1 - eta h) x - eta sigma xi has stationary variance eta^2 sigma^2 / (1 - (1 - eta h)^2),
    the exact finite-eta target, not the SDE's eta sigma^2 / (2 h). Chains start at 0 and burn
    in for 40 relaxation times (1/(eta h) steps each), leaving an e^-80 trace of the start.

    Test at |z| < 5 over 400 independent chains (false alarm 6e-7). Power: the SDE value is
    eta h / 2 = 2.5 % lower, which is ~12 se here, so a kernel that sampled the SDE law
    would fail."""
    from numerics.stats import mean_over_chains

    eta, h, sigma = 0.05, 1.0, 2.0
    burn = int(40 / (eta * h))
    run = run_chains_1d([0.0, eta * h], [eta * sigma], a=1.0, b=1.0, x0=np.zeros(400),
                        n_steps=burn + 20_000, burn_in=burn, seed=77, n_moments=2)
    est = mean_over_chains(run.moments[:, 1])
    exact = eta**2 * sigma**2 / (1 - (1 - eta * h) ** 2)
    sde = eta * sigma**2 / (2 * h)
    assert abs(est.value - exact) < 5 * est.se
    assert abs(est.value - sde) > 8.1 * est.se
