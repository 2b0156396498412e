"""The 2-D Fokker-Planck grid with full diffusion against closed forms, and its GTH solver."""

import math

import numpy as np
import pytest

from numerics.grid_2d import Grid2D, fokker_planck_2d, gth_banded, gth_dense, lattice_decomposition
from numerics.linear_gaussian import continuous_lyapunov
from numerics.quadrature_2d import expectations_2d

SIG = np.array([[1.0, 0.6], [0.6, 0.5]])
H = np.array([[1.5, 0.5], [0.5, 1.0]])


def test_banded_gth_equals_dense_gth():
    rng = np.random.default_rng(5)
    N, bw = 60, 7
    R = np.zeros((N, N))
    for i in range(N):
        for j in range(max(0, i - bw), min(N, i + bw + 1)):
            if i != j:
                R[i, j] = rng.uniform(0.1, 2.0)
    s, t = np.nonzero(R)
    np.testing.assert_allclose(gth_banded(s, t, R[s, t], N, bw), gth_dense(R), rtol=1e-12)
    pi = gth_dense(R)
    Q = R - np.diag(R.sum(axis=1))
    np.testing.assert_allclose(pi @ Q, 0, atol=1e-12)  # the defining property


def _ou(n):
    # Non-commuting drift and correlated diffusion: a stationary law with a rotating current.
    A = H @ np.linalg.inv(SIG)
    C = 0.5 * np.linalg.inv(SIG)
    S = continuous_lyapunov(A, C)
    sd = np.sqrt(np.diag(S))
    g = Grid2D((-7 * sd[0], -7 * sd[1]), (7 * sd[0], 7 * sd[1]), (n, n))
    st = fokker_planck_2d(g, lambda p: -p @ A.T, lambda p: np.broadcast_to(C, (len(p), 2, 2)))
    P = g.points
    cov = np.array([st.expectation(P[:, 0] ** 2), st.expectation(P[:, 0] * P[:, 1]),
                    st.expectation(P[:, 1] ** 2)])
    circ = st.current_functional(lambda q: np.column_stack([-q[:, 1], q[:, 0]]))
    R = np.array([[0.0, -1.0], [1.0, 0.0]])
    exact = np.array([S[0, 0], S[0, 1], S[1, 1]]), -np.trace(R.T @ (A @ S))
    return st, cov, circ, exact


def test_correlated_ou_converges_at_second_order_to_the_lyapunov_law():
    _, c32, k32, (S, circ) = _ou(32)
    st, c64, k64, _ = _ou(64)
    assert np.all(st.mass > 0)  # positivity
    e32, e64 = np.abs(c32 - S).max(), np.abs(c64 - S).max()
    assert e32 / e64 == pytest.approx(4.0, rel=0.25)  # halving h quarters the error
    # The witness's bound |fine - coarse| covers the finer grid's error (order >= 1 suffices).
    assert e64 <= np.abs(c64 - c32).max()
    assert abs(k32 - circ) / abs(k64 - circ) == pytest.approx(4.0, rel=0.3)
    assert abs(k64 - circ) <= abs(k64 - k32)


def test_gibbs_law_of_a_nonlinear_loss():
    # b = -grad U, D = 2T I: stationary exp(-U/T) with a non-separable double well.
    T = 0.3
    U = lambda X, Y: (X**2 - 1) ** 2 / 4 + (Y - X / 2) ** 2 / 2  # noqa: E731
    def grad(p):
        X, Y = p[:, 0], p[:, 1]
        return np.column_stack([X**3 - X - (Y - X / 2) / 2, Y - X / 2])
    g = Grid2D((-3.0, -3.0), (3.0, 3.0), (96, 96))
    st = fokker_planck_2d(g, lambda p: -grad(p), lambda p: np.broadcast_to(2 * T * np.eye(2), (len(p), 2, 2)))
    P = g.points
    want = expectations_2d(lambda X, Y: -U(X, Y) / T, [lambda X, Y: X**2, lambda X, Y: X * Y])
    got = [st.expectation(P[:, 0] ** 2), st.expectation(P[:, 0] * P[:, 1])]
    np.testing.assert_allclose(got, want, rtol=3e-3)
    # Zero current: detailed balance holds for a gradient drift with isotropic diffusion.
    assert abs(st.current_functional(lambda q: np.column_stack([-q[:, 1], q[:, 0]]))) < 1e-10


def test_support_region_and_decomposition_errors():
    g = Grid2D((-1.0, -1.0), (1.0, 1.0), (20, 20))
    st = fokker_planck_2d(g, lambda p: -p, lambda p: np.broadcast_to(0.2 * np.eye(2), (len(p), 2, 2)),
                          support=lambda p: p[:, 0] ** 2 + p[:, 1] ** 2 < 0.81)
    outside = g.points[:, 0] ** 2 + g.points[:, 1] ** 2 >= 0.81
    assert np.all(st.mass[outside] == 0) and st.mass.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="h_x/h_y"):
        lattice_decomposition(np.array([[[1.0, 0.9], [0.9, 1.0]]]), 1.0, 3.0)
    assert math.isfinite(st.boundary_mass())
