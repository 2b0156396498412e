"""Exact moments of quadratic finite-sum SGD: defining properties, brute force, the kernel."""

import itertools

import numpy as np
import pytest

from numerics.moments import (QuadraticExamples, moment_trajectory, moment_trajectory_reference,
                              stationary_moments)

H = np.array([[[2, .5], [.5, 1]], [[1, -.3], [-.3, .5]], [[1.2, 0], [0, -.4]]])
G = np.array([[1, .5], [-.5, 1], [.2, -.7]])  # gbar != 0: the general mean is exercised


def _brute_force_step(ex, m, S, eta, batch):
    """E over every batch (n^B equally likely index tuples) of the one-step moments."""
    n = ex.H.shape[0]
    m_new, S_new = np.zeros_like(m), np.zeros_like(S)
    batches = list(itertools.product(range(n), repeat=batch))
    for idx in batches:
        A = np.eye(ex.d) - eta * ex.H[list(idx)].mean(axis=0)
        b = -eta * ex.g[list(idx)].mean(axis=0)
        m_new += A @ m + b
        S_new += A @ S @ A.T + np.outer(A @ m, b) + np.outer(b, A @ m) + np.outer(b, b)
    return m_new / len(batches), S_new / len(batches)


@pytest.mark.parametrize("batch", [1, 2, 3])
def test_stationary_moments_are_a_fixed_point_of_the_brute_force_step(batch):
    ex = QuadraticExamples(H, G)
    m, S, rho = stationary_moments(ex, 0.2, batch)
    assert rho < 1
    m1, S1 = _brute_force_step(ex, m, S, 0.2, batch)
    np.testing.assert_allclose(m1, m, rtol=0, atol=1e-12)
    np.testing.assert_allclose(S1, S, rtol=0, atol=1e-12)


def test_trajectory_kernel_matches_reference_and_brute_force():
    ex = QuadraticExamples(H, G)
    eta = 0.3 / np.sqrt(np.arange(1, 41))
    m0, S0 = np.array([1.0, -2.0]), np.array([[1.0, -2.0], [-2.0, 4.5]])
    mk, Sk = moment_trajectory(ex, eta, m0, S0, [1, 7, 40], batch=2)
    mr, Sr = moment_trajectory_reference(ex, eta, m0, S0, [1, 7, 40], batch=2)
    np.testing.assert_allclose(mk, mr, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(Sk, Sr, rtol=1e-13, atol=1e-15)
    m, S = m0, S0
    for e in eta[:7]:
        m, S = _brute_force_step(ex, m, S, e, 2)
    np.testing.assert_allclose(Sk[1], S, rtol=1e-12)
    np.testing.assert_allclose(mk[1], m, rtol=1e-12)


def test_unstable_learning_rate_is_refused():
    with pytest.raises(ValueError, match="mean-square stable"):
        stationary_moments(QuadraticExamples(H, G), 2.5)


@pytest.mark.parametrize("H_, g_, match", [
    (np.zeros((2, 2, 3)), np.zeros((2, 2)), "shape"),
    (np.array([[[1, 2], [0, 1]]] * 2, dtype=float), np.zeros((2, 2)), "symmetric"),
])
def test_bad_examples_are_refused(H_, g_, match):
    with pytest.raises(ValueError, match=match):
        QuadraticExamples(H_, g_)
