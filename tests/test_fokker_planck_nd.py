"""The n-D Fokker-Planck helpers on cases with known answers."""

import sympy as sp

from derivations.fokker_planck_nd import (curl_2x2, gibbs_minors, gibbs_temperature, lyapunov_symbolic,
                                          noise_symbols, potential_force, sde_coefficients,
                                          stationarity_residual, zero_current_density)

x, y = sp.symbols("x y", real=True)
eta, T = sp.symbols("eta T", positive=True)
Z = sp.Symbol("Z", positive=True)
XI = noise_symbols(2)


def test_isotropic_sgd_gives_gibbs_for_a_general_loss():
    L = sp.Function("L")(x, y)
    upd = -eta * sp.Matrix([sp.diff(L, x) + XI[0], sp.diff(L, y) + XI[1]])
    b, D = sde_coefficients(upd, XI, eta)
    p, _, curls, _ = zero_current_density(b, D, (x, y), Z)
    assert all(c == 0 for c in curls)
    assert sp.simplify(p * Z * sp.exp(2 * L / eta)) == 1
    assert gibbs_temperature(p, L, (x, y)) == eta / 2


def test_non_commuting_drift_and_noise_have_no_zero_current_law_but_a_stationary_one():
    H = sp.Matrix([[sp.Rational(3, 2), sp.Rational(1, 2)], [sp.Rational(1, 2), 1]])
    C = sp.Matrix([[1, 0], [sp.Rational(3, 5), sp.Rational(2, 5)]])
    upd = -eta * (H * sp.Matrix([x, y]) + C * sp.Matrix(XI))
    b, D = sde_coefficients(upd, XI, eta)
    assert any(c != 0 for c in curl_2x2(potential_force(b, D, (x, y)), (x, y)))
    S = lyapunov_symbolic(H, D)
    p = sp.exp(-(sp.Matrix([x, y]).T * S.inv() * sp.Matrix([x, y]))[0] / 2)
    assert stationarity_residual(b, D, p, (x, y)) == 0  # stationary without zero current
    assert any(m != 0 for m in gibbs_minors(p, (sp.Matrix([x, y]).T * H * sp.Matrix([x, y]))[0] / 2, (x, y)))


def test_two_temperatures_fail_the_gibbs_test():
    L1, L2 = sp.Function("L")(x), sp.Function("L")(y)
    p = sp.exp(-L1 / T - L2 / (2 * T))
    assert gibbs_temperature(p, L1 + L2, (x, y)) is None
    assert gibbs_minors(p, L1 + L2, (x, y))[0] != 0
