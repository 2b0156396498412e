"""Deterministic grid witnesses against closed forms."""

import math

import numpy as np
import pytest

from numerics.grid_1d import (Grid1D, fokker_planck_generator, stationary_of_generator,
                              stationary_of_transfer, transfer_operator)


def test_generator_conserves_mass_and_has_gibbs_null_vector():
    # dx = -x dt + sqrt(2 T) dB: stationary N(0, T) (Ornstein-Uhlenbeck).
    T = 0.3
    g = Grid1D(-4, 4, 400)
    Q = fokker_planck_generator(g, lambda x: -x, lambda x: 2 * T + 0 * x)
    np.testing.assert_allclose(Q.sum(axis=0), 0, atol=1e-9)
    assert np.all(Q - np.diag(np.diag(Q)) >= 0)  # M-matrix: positive stationary vector
    st = stationary_of_generator(g, Q)
    # Scharfetter-Gummel is second-order: 400 cells over 8 give ~1e-4 relative error.
    assert st.expectation(g.centres**2) == pytest.approx(T, rel=2e-4)
    # OU's slowest mode decays at rate 1 (eigenvalue -1 of the generator).
    assert st.relaxation_rate == pytest.approx(1.0, rel=1e-3)


def test_transfer_operator_matches_exact_discrete_variance():
    # x' = (1 - eta h) x + eta sigma xi: exact stationary variance eta^2 sigma^2 / (1 - (1 - eta h)^2).
    eta, h, sigma = 0.05, 1.5, 2.0
    g = Grid1D(-2.5, 2.5, 600)
    P = transfer_operator(g, lambda x: eta * h * x, lambda x: eta * sigma + 0 * x, 1.0, 1.0)
    np.testing.assert_allclose(P.sum(axis=0), 1, atol=1e-12)
    st = stationary_of_transfer(g, P)
    exact = eta**2 * sigma**2 / (1 - (1 - eta * h) ** 2)
    # Mapping each cell from its centre adds ~h^2/12 of spread per step, which accumulates
    # to a second-order bias: halving the cells must quarter the error, and the witness's
    # bound |E_n - E_2n| must cover the finer grid's error.
    coarse = st.expectation(g.centres**2)
    g2 = Grid1D(-2.5, 2.5, 1200)
    P2 = transfer_operator(g2, lambda x: eta * h * x, lambda x: eta * sigma + 0 * x, 1.0, 1.0)
    fine = stationary_of_transfer(g2, P2, relaxation=False).expectation(g2.centres**2)
    assert abs(coarse - exact) / abs(fine - exact) == pytest.approx(4, rel=0.05)
    assert abs(fine - exact) <= abs(fine - coarse)
    # Slowest mode of the linear chain decays by |1 - eta h| per step.
    assert st.relaxation_rate == pytest.approx(-math.log(1 - eta * h), rel=1e-3)


def test_transfer_operator_refuses_unresolved_kernel():
    with pytest.raises(ValueError, match="refine the grid"):
        transfer_operator(Grid1D(-1, 1, 10), lambda x: 0 * x, lambda x: 0.01 + 0 * x, 1.0, 1.0)


@pytest.mark.parametrize("lo, hi, n", [(1, 0, 10), (0, 1, 2), (0, float("inf"), 10)])
def test_grid_validation(lo, hi, n):
    with pytest.raises(ValueError):
        Grid1D(lo, hi, n)
