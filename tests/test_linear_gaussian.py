"""Exact laws of linear Gaussian chains: Lyapunov solvers, Gaussian moments, current functionals."""

import numpy as np
import pytest

from numerics.linear_gaussian import (LinearChain, continuous_lyapunov, discrete_lyapunov,
                                      gaussian_expectations)
from numerics.polynd import PolySystem

M = np.array([[0.9, 0.05], [-0.1, 0.85]])
Q = np.array([[0.2, 0.05], [0.05, 0.1]])


def test_discrete_lyapunov_equals_its_series():
    S = discrete_lyapunov(M, Q)
    series, term = np.zeros((2, 2)), Q.copy()
    for _ in range(2000):  # rho(M)^4000 ~ 1e-100: the series has converged
        series += term
        term = M @ term @ M.T
    np.testing.assert_allclose(S, series, rtol=1e-12)


def test_continuous_lyapunov_solves_its_equation_and_is_the_small_step_limit():
    A = np.array([[1.5, 0.5], [0.2, 1.0]])
    C = np.array([[1.0, 0.3], [0.3, 0.5]])
    S = continuous_lyapunov(A, C)
    np.testing.assert_allclose(A @ S + S @ A.T, C, atol=1e-13)
    # Euler chain with step tau: Sigma_d -> Sigma_c linearly in tau.
    errs = [np.abs(discrete_lyapunov(np.eye(2) - t * A, t * C) - S).max() for t in (1e-2, 5e-3)]
    assert errs[0] / errs[1] == pytest.approx(2.0, rel=0.05)


def test_gaussian_moments_are_isserlis():
    mean, cov = np.array([0.3, -0.2]), np.array([[1.0, 0.4], [0.4, 2.0]])
    sysm = PolySystem.from_components([{(2, 0): 1}, {(1, 1): 1}, {(2, 2): 1}], 2)
    got = gaussian_expectations(mean, cov, sysm)
    m1, m2 = mean
    c11, c12, c22 = cov[0, 0], cov[0, 1], cov[1, 1]
    # E[x^2 y^2] for a Gaussian with mean: expand around the mean (Isserlis for the centred part).
    ex2y2 = (c11 * c22 + 2 * c12**2 + m1**2 * c22 + m2**2 * c11 + 4 * m1 * m2 * c12 + m1**2 * m2**2)
    np.testing.assert_allclose(got, [c11 + m1**2, c12 + m1 * m2, ex2y2], rtol=1e-12)


def test_circulation_of_the_sde_is_the_antisymmetric_part():
    # dx = -A x dt + noise C: int J . (-y, x) dx = (1/2) tr(R^T (S A^T - A S)) with R the rotation.
    A = np.array([[1.5, 0.5], [0.5, 1.0]])
    Sig = np.array([[1.0, 0.6], [0.6, 0.5]])
    tau = 1e-3
    drift = PolySystem.from_components([{(1, 0): tau * A[0, 0], (0, 1): tau * A[0, 1]},
                                        {(1, 0): tau * A[1, 0], (0, 1): tau * A[1, 1]}], 2)
    noise = PolySystem.constant((np.linalg.cholesky(Sig) * np.sqrt(tau)).ravel(), 2)
    lc = LinearChain.from_polynomials(drift, noise, tau)
    S = lc.covariance_continuous()
    R = np.array([[0.0, -1.0], [1.0, 0.0]])
    want = -np.trace(R.T @ (A @ S))  # E[b . R x] with b = -A x; the diffusion term vanishes
    fields = PolySystem.from_components([{(0, 1): -1}, {(1, 0): 1}], 2)
    assert lc.current_functionals(fields, continuous=True)[0] == pytest.approx(want, rel=1e-10)
    # The chain's own value differs from the SDE's at O(tau).
    assert lc.current_functionals(fields, continuous=False)[0] == pytest.approx(want, rel=1e-2)


def test_unstable_chain_is_refused():
    with pytest.raises(ValueError, match="spectral radius"):
        discrete_lyapunov(np.diag([1.01, 0.5]), np.eye(2))
