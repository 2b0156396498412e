"""The running-average kernel against its numpy reference, its exact weights and moments."""

import numba
import numpy as np
import pytest

from numerics.running_average import (BATCH_MEAN, BATCH_MEAN_SQUARED, GAUSSIAN, MEAN_OF_SQUARES,
                                      STUDENT_T, channel_moments, filter_weights, run_filters,
                                      run_filters_reference)
from numerics.stats import mean_over_chains

T, N = 30, 5
STEPS = np.arange(1, T + 1)
# Filters: 1/N running average on the batch mean, cumulative mean on the squared batch mean,
# Kingma-Ba (beta = 0.8) on the mean of squares, a window of 4 on the batch mean.
ALPHA = np.vstack([np.full(T, 1 - 1 / N), 1 - 1 / STEPS, np.full(T, 0.8), np.zeros(T)])
BETA = np.vstack([np.full(T, 1 / N), 1 / STEPS, np.full(T, 0.2), np.zeros(T)])
SCALE = np.vstack([np.ones(T), np.ones(T), 1 / (1 - 0.8**STEPS), np.ones(T)])
CHANNEL = [BATCH_MEAN, BATCH_MEAN_SQUARED, MEAN_OF_SQUARES, BATCH_MEAN]
WINDOW = [0, 0, 0, 4]
KW = dict(alpha=ALPHA, beta=BETA, scale=SCALE, channel=CHANNEL, window=WINDOW, record=[1, 4, 5, 30],
          probe=[1, 2, 30])


@pytest.mark.parametrize("law", [GAUSSIAN, STUDENT_T])
@pytest.mark.parametrize("batch", [1, 3])
def test_kernel_equals_numpy_reference_bit_for_bit(law, batch):
    mean_path = np.linspace(-0.5, 1.0, T)
    run = run_filters(mean_path, sd=1.3, batch=batch, law=law, chains=9, seed=17, **KW)
    values, probes = run_filters_reference(mean_path, sd=1.3, batch=batch, law=law, chains=9, seed=17, **KW)
    np.testing.assert_array_equal(run.values, values)
    np.testing.assert_array_equal(run.probes, probes)


def test_results_identical_at_any_thread_count():
    top = numba.config.NUMBA_NUM_THREADS
    runs = [run_filters(np.ones(T), sd=1.0, chains=64, seed=5, threads=k, **KW) for k in sorted({1, top})]
    for r in runs[1:]:
        np.testing.assert_array_equal(r.values, runs[0].values)


def test_weights_are_the_recurrences_closed_forms():
    W = filter_weights(ALPHA, BETA, SCALE, WINDOW, [4, 30], T)
    s = np.arange(1, 5)
    np.testing.assert_allclose(W[0, 0, :4], (1 - 1 / N) ** (4 - s) / N, rtol=1e-14)
    np.testing.assert_allclose(W[1, 1], np.full(T, 1 / T), rtol=1e-14)
    np.testing.assert_allclose(W[2, 1].sum(), 1.0, rtol=1e-14)  # Kingma-Ba weights sum to 1
    np.testing.assert_array_equal(W[3, 1], np.r_[np.zeros(T - 4), np.full(4, 0.25)])
    assert np.all(W[:, 0, 4:] == 0)  # nothing from the future


def test_noiseless_run_equals_weights_times_means():
    mean_path = np.linspace(0.2, 2.0, T)
    run = run_filters(mean_path, sd=0.0, chains=2, seed=1, **KW)
    W = filter_weights(ALPHA, BETA, SCALE, WINDOW, KW["record"], T)
    mom = channel_moments(mean_path, 0.0, 1)
    for k, ch in enumerate(CHANNEL):
        np.testing.assert_allclose(run.values[0, k], W[k] @ mom.mean[ch], rtol=1e-13)


@pytest.mark.parametrize("law", [GAUSSIAN, STUDENT_T])
def test_channel_moments_match_simulation(law):
    """Each channel's mean and variance at batch size 4 against 20 000 sequences.

    |z| < 5 per assertion (false alarm 6e-7 each, 12 assertions). The Student t has 11
    degrees of freedom here: the standard error of a variance of squares needs a finite
    8th moment (t(5) has none). Power: using the Gaussian kurtosis 3 for the t(11)'s 3.86
    shifts Var of the mean of squares by 29 % (> 10 se here), so a wrong kurtosis term fails."""
    B, sd, m = 4, 1.5, 0.7
    ident = dict(alpha=np.zeros((3, 1)), beta=np.ones((3, 1)), scale=np.ones((3, 1)),
                 channel=[0, 1, 2], window=[0, 0, 0], record=[1])
    run = run_filters(np.full(1, m), sd=sd, batch=B, law=law, dof=11, chains=20_000, seed=23, **ident)
    mom = channel_moments(np.full(1, m), sd, B, law, dof=11)
    for ch in range(3):
        y = run.values[:, ch, 0]
        est = mean_over_chains(y)
        assert abs(est.value - mom.mean[ch, 0]) < 5 * est.se
        var = mean_over_chains((y - y.mean()) ** 2 * y.size / (y.size - 1))
        assert abs(var.value - mom.variance[ch, 0]) < 5 * var.se


@pytest.mark.parametrize("kwargs, match", [
    (dict(sd=-1.0), "sd=-1.0"), (dict(batch=0), "batch=0"), (dict(law=7), "law=7"),
    (dict(law=STUDENT_T, dof=4), "dof=4"), (dict(chains=1), "chains=1"),
    (dict(record=[3, 2]), "record="), (dict(record=[T + 1]), "record="),
    (dict(channel=[0, 0, 5, 0]), "channel="), (dict(window=[0, 0, 0, -1]), "window="),
])
def test_bad_arguments_name_themselves(kwargs, match):
    base = dict(KW, sd=1.0, chains=4, seed=1)
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        run_filters(np.zeros(T), **base)
