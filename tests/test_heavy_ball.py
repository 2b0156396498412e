"""The heavy-ball kernel against its numpy reference on the same draws (exact up to rounding)."""

import numpy as np
import pytest

from numerics.heavy_ball import heavy_ball_reference, run_heavy_ball
from numerics.rng import normals


def test_kernel_matches_reference_and_thread_count():
    args = dict(a=0.05, beta=0.9, h=1.5, sigma=0.7, x0=2.0)
    last, avg = run_heavy_ball(**args, n_chains=5, n_steps=40, burn_in=10, seed=7, threads=1)
    last2, avg2 = run_heavy_ball(**args, n_chains=5, n_steps=40, burn_in=10, seed=7, threads=2)
    ref_last, ref_avg = heavy_ball_reference(**args, noise=normals(7, 5, 40), burn_in=10)
    # Same arithmetic in the same order: equal to rounding (deterministic, no false alarm).
    np.testing.assert_allclose(last, ref_last, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(avg, ref_avg, rtol=1e-12, atol=1e-14)
    assert np.array_equal(last, last2) and np.array_equal(avg, avg2)


def test_bad_input_named():
    with pytest.raises(ValueError, match="beta=1.0"):
        run_heavy_ball(0.1, 1.0, 1.0, 1.0, 0.0, 4, 10, 0, seed=1)
