"""Kernels behind the blog's claims (deck 004): piecewise polynomials, ensembles, the
finite-volume solver in three conventions, the Nystrom operator, chain statistics."""

import math

import numba
import numpy as np
import pytest

from numerics.ensemble_stats import binomial_fraction, jackknife_over_chains, sd_with_se
from numerics.ensemble_1d import (run_occupation_1d, run_snapshots_1d,
                                  run_snapshots_1d_reference)
from numerics.fv_1d import (CONVENTIONS, evolve_implicit_euler, fv_generator, fv_stationary,
                            grid_moments)
from numerics.grid_1d import Grid1D, fokker_planck_generator
from numerics.nystrom_1d import nystrom_transfer, relaxation_rate, stationary_masses
from numerics.piecewise import Piecewise1D, piecewise_numpy

TWO_PIECES = Piecewise1D([[0.0, 1.0, 0.0], [0.5, -1.0, 2.0]], [0.25])  # x | 0.5 - x + 2x^2


def test_piecewise_evaluates_each_piece_from_its_break():
    x = np.array([-1.0, 0.0, 0.2499, 0.25, 1.0])
    expected = np.where(x < 0.25, x, 0.5 - x + 2 * x**2)
    np.testing.assert_allclose(TWO_PIECES(x), expected, rtol=0, atol=1e-15)


@pytest.mark.parametrize("coeffs, breaks, match", [
    ([[1.0], [2.0]], [], "2 pieces need 1 breaks"),
    ([[1.0], [2.0], [3.0]], [1.0, 0.0], "strictly increasing"),
    ([[np.nan]], [], "finite"),
])
def test_piecewise_validation_names_the_problem(coeffs, breaks, match):
    with pytest.raises(ValueError, match=match):
        Piecewise1D(coeffs, breaks)


@pytest.mark.parametrize("noise, period", [("gaussian", None), ("sign", None), ("gaussian", (0.0, 1.0))])
def test_snapshot_kernel_equals_numpy_reference(noise, period):
    x0 = np.linspace(0.05, 0.95, 7)
    kw = dict(a=0.05, b=0.1, x0=x0, record=[0, 3, 3, 40], seed=17, noise=noise, period=period)
    fast = run_snapshots_1d(TWO_PIECES, [1.0, 0.5], **kw)
    slow = run_snapshots_1d_reference(TWO_PIECES, [1.0, 0.5], **kw)
    # Same streams, same operations in the same order (Horner per piece): bit for bit,
    # up to the floor() of the wrap, which both compute identically.
    np.testing.assert_array_equal(fast.states, slow)


def test_snapshots_are_identical_at_any_thread_count():
    kw = dict(a=0.01, b=0.05, x0=np.linspace(-1, 1, 64), record=[10, 500], seed=5)
    top = numba.config.NUMBA_NUM_THREADS
    previous = numba.get_num_threads()
    runs = []
    try:
        for t in sorted({1, top}):
            numba.set_num_threads(t)
            runs.append(run_snapshots_1d(TWO_PIECES, [1.0], **kw))
    finally:
        numba.set_num_threads(previous)
    np.testing.assert_array_equal(runs[0].states, runs[-1].states)


def test_escaped_chains_are_reported_not_raised():
    # x' = x - 2.5 x: multiplier -1.5, every chain diverges.
    snap = run_snapshots_1d([0.0, 1.0], [0.0], a=2.5, b=0.0, x0=np.ones(4), record=[5, 2000], seed=1)
    assert np.all(snap.escaped > 5) and np.all(np.isfinite(snap.states[:, 0]))
    assert np.all(np.isnan(snap.states[:, 1]))


def test_sign_noise_moves_by_exactly_plus_or_minus_b_s():
    snap = run_snapshots_1d([0.0], [1.0], a=0.1, b=0.3, x0=np.zeros(2000), record=[1], seed=3,
                            noise="sign")
    assert set(np.round(snap.states[:, 0], 12)) == {-0.3, 0.3}
    # Fair sign: the count of +0.3 is Binomial(2000, 1/2); |k - 1000| < 5.03 * sqrt(500)
    # fails with probability 5e-7 (the suite's per-test budget); a bias of 0.1 is caught surely.
    k = int(np.count_nonzero(snap.states[:, 0] > 0))
    assert abs(k - 1000) < 5.03 * math.sqrt(500)


def test_occupation_fractions_sum_to_one_inside_the_range():
    occ = run_occupation_1d([0.0, 1.0], [1.0], a=0.01, b=0.1, x0=np.zeros(16), burn_in=10,
                            n_sample=200, seed=2, hist_range=(-20, 20), n_bins=40)
    np.testing.assert_allclose(occ.fractions.sum(axis=1), 1.0)


def _stationary_closed_form(g, m, v, convention):
    fine = np.linspace(g.lo, g.hi, 200001)
    beta = 2 * m(fine) / v(fine)
    phi = np.concatenate([[0.0], np.cumsum((beta[1:] + beta[:-1]) / 2 * np.diff(fine))])
    dens = v(fine) ** (-CONVENTIONS[convention]) * np.exp(phi)
    dens /= np.trapezoid(dens, fine)
    mean = np.trapezoid(dens * fine, fine)
    return mean, math.sqrt(np.trapezoid(dens * (fine - mean) ** 2, fine))


@pytest.mark.parametrize("convention", sorted(CONVENTIONS))
def test_fv_stationary_law_is_each_conventions_closed_form(convention):
    # Double well with a variance that differs between the wells: the three laws differ.
    g = Grid1D(-3.0, 4.0, 700)
    m = lambda x: -(x**3 - x)  # noqa: E731
    v = lambda x: 0.4 * (1 + x / 2 + x**2 / 4) ** 2  # noqa: E731
    Q = fv_generator(g, m, v, convention)
    np.testing.assert_allclose(Q.sum(axis=0), 0, atol=1e-10)
    assert np.all(Q - np.diag(np.diag(Q)) >= 0)
    mean, sd = grid_moments(g, fv_stationary(g, Q))
    exact_mean, exact_sd = _stationary_closed_form(g, m, v, convention)
    # Scharfetter-Gummel is second order: at h = 0.01 the error is ~1e-4 (measured: 7e-5).
    assert mean == pytest.approx(exact_mean, abs=5e-4)
    assert sd == pytest.approx(exact_sd, abs=5e-4)


def test_fv_ito_generator_equals_the_core_generator():
    g = Grid1D(-2.0, 2.0, 50)
    m, v = (lambda x: -x), (lambda x: 1 + x**2)
    np.testing.assert_allclose(fv_generator(g, m, v, "ito"), fokker_planck_generator(g, m, v),
                               rtol=1e-12, atol=1e-12)


def test_fv_periodic_pure_diffusion_has_temperature_v_p_uniform():
    g = Grid1D(0.0, 1.0, 200)
    v = lambda x: (1 + 8 * x**2 * (1 - x) ** 2) ** 2  # noqa: E731
    p = fv_stationary(g, fv_generator(g, lambda x: 0 * x, v, "ito", "periodic"))
    vp = v(g.centres) * p
    np.testing.assert_allclose(vp, vp.mean(), rtol=1e-10)


def test_implicit_euler_is_positive_and_exact_in_mass_far_beyond_the_explicit_limit():
    g = Grid1D(-1.0, 4.0, 400)
    m = lambda x: -4 * (x - 1) * (x - 1.5) * (x - 2)  # noqa: E731
    v = lambda x: 0.001 * (0.4 + 0.6 * (x - 2) ** 2) ** 2  # noqa: E731
    Q = fv_generator(g, m, v, "fickian")
    explicit_limit = 1.0 / np.max(-np.diag(Q))
    p0 = np.exp(-0.5 * ((g.centres - 0.5) / 0.175) ** 2)
    p0 /= p0.sum() * g.h
    ev = evolve_implicit_euler(g, Q, p0, 100 * explicit_limit, [0, 5, 50])
    assert np.all(ev.densities >= 0)
    np.testing.assert_allclose(ev.densities.sum(axis=1) * g.h, 1.0, rtol=1e-12)
    # The explicit step at that dt would amplify the fastest mode by |1 - 100 * ...| >> 1.
    assert np.max(np.abs(np.linalg.eigvals(np.eye(g.n) + 100 * explicit_limit * Q))) > 10


def test_tridiagonal_solver_matches_dense_solves():
    g = Grid1D(-2.0, 2.0, 60)
    Q = fv_generator(g, lambda x: -x, lambda x: 0.5 + 0 * x, "ito")
    p0 = np.exp(-(g.centres - 0.3) ** 2 / 0.1)
    p0 /= p0.sum() * g.h
    ev = evolve_implicit_euler(g, Q, p0, 0.05, [7])
    p = p0.copy()
    A = np.eye(g.n) - 0.05 * Q
    for _ in range(7):
        p = np.linalg.solve(A, p)
    np.testing.assert_allclose(ev.densities[0], p, rtol=1e-12, atol=1e-14)


def test_nystrom_operator_is_exact_for_the_linear_chain():
    # x' = (1 - eta k) x + s xi: stationary N(0, s^2 / (1 - (1 - eta k)^2)); spectral accuracy.
    eta, k, s = 0.05, 1.5, 0.1
    g = Grid1D(-2.5, 2.5, 100)
    P = nystrom_transfer(g, lambda x: x - eta * k * x, lambda x: s + 0 * x)
    m = stationary_masses(P)
    exact = s**2 / (1 - (1 - eta * k) ** 2)
    assert m @ g.centres**2 == pytest.approx(exact, rel=1e-12)
    assert relaxation_rate(P) == pytest.approx(-math.log(1 - eta * k), rel=1e-9)


def test_nystrom_periodic_constant_noise_is_uniform_and_refuses_wide_kernels():
    g = Grid1D(0.0, 1.0, 100)
    m = stationary_masses(nystrom_transfer(g, lambda x: x, lambda x: 0.03 + 0 * x, periodic=True))
    np.testing.assert_allclose(m, 0.01, rtol=1e-10)
    with pytest.raises(ValueError, match="tenth of the period"):
        nystrom_transfer(g, lambda x: x, lambda x: 0.2 + 0 * x, periodic=True)
    with pytest.raises(ValueError, match="refine the grid"):
        nystrom_transfer(g, lambda x: x, lambda x: 0.001 + 0 * x)


def test_jackknife_of_a_ratio_agrees_with_the_delta_method():
    rng = np.random.default_rng(7)  # a seeded local generator, not the global state
    a = rng.normal(2.0, 0.5, 4000)
    b = rng.normal(1.0, 0.3, 4000)
    est = jackknife_over_chains(np.stack([a, b], axis=1), lambda m: math.log(m[0] / m[1]), groups=100)
    delta = math.sqrt(np.var(a, ddof=1) / (4000 * 4) + np.var(b, ddof=1) / 4000)
    assert est.value == pytest.approx(math.log(a.mean() / b.mean()))
    # A 100-block jackknife estimates se with relative error ~ 1/sqrt(2 * 99) = 7 %; 30 %
    # is a >4-sigma margin.
    assert est.se == pytest.approx(delta, rel=0.3)


def test_sd_and_fraction_errors():
    rng = np.random.default_rng(3)
    v = rng.normal(0, 2.0, 10000)
    est = sd_with_se(v)
    assert est.se == pytest.approx(2.0 / math.sqrt(2 * 10000), rel=0.05)  # normal: sd / sqrt(2n)
    f = binomial_fraction(0, 1000)
    assert f.value == 0 and 0 < f.se < 0.002
    with pytest.raises(ValueError, match="successes=5"):
        binomial_fraction(5, 4)
