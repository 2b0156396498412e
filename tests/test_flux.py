"""One-step flux: Monte Carlo crossings against the exact quadrature and the closed form."""

import math
from statistics import NormalDist

import numpy as np

from numerics.flux_1d import exact_flux, net_crossings

N = NormalDist()


def test_exact_flux_of_gaussian_diffusion_matches_closed_form():
    # N(0,1) particles, step s xi: J(c) = Phi(c) - Phi(c / sqrt(1 + s^2)).
    s = 0.3
    pts = [0.5, 1.0, 1.5]
    got = exact_flux([0.0], [s], mean=0.0, sd=1.0, points=pts)
    want = [N.cdf(c) - N.cdf(c / math.sqrt(1 + s * s)) for c in pts]
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-13)


def test_crossings_estimate_the_exact_flux():
    """Mean over 64 independent chains, |z| < 5 per point (false alarm 6e-7 each); a flux
    off by 20 % is >= 8.7 se away here (z_crit + z_power for power 0.999), so the test
    would see it."""
    s = 0.3
    flux, _ = net_crossings([0.0], [s], mean=0.0, sd=1.0, points=[0.5, 1.0], chains=64,
                            per_chain=50_000, seed=9)
    exact = exact_flux([0.0], [s], mean=0.0, sd=1.0, points=[0.5, 1.0])
    mean = flux.mean(axis=0)
    se = flux.std(axis=0, ddof=1) / math.sqrt(flux.shape[0])
    assert np.all(np.abs(mean - exact) < 5 * se)
    assert np.all(np.abs(0.8 * exact - mean) > 5 * se)


def test_deterministic_drift_flux():
    # Shift every particle by +d: J(c) = Phi(c) - Phi(c - d).
    d = 0.1
    got = exact_flux([-d], [0.0], mean=0.0, sd=1.0, points=[0.0, 1.0])
    want = [N.cdf(c) - N.cdf(c - d) for c in (0.0, 1.0)]
    # The smoothed indicator's O(h^2) error, h = 24/20000: ~1e-5 relative.
    np.testing.assert_allclose(got, want, rtol=2e-5)
