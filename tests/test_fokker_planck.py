"""Stationary densities from first principles."""

import sympy as sp

from derivations.fokker_planck import XI, flux_1d, gaussian_moments, zero_flux_density_1d
from derivations.symbols import L, Z, eta, sigma, x


def test_gaussian_moments_of_polynomial_updates():
    a, b = sp.symbols("a b")
    assert gaussian_moments(a + b * XI) == (a, b**2)
    m, v = gaussian_moments(XI**2)  # chi-square with 1 dof: mean 1, variance 2
    assert (m, v) == (1, 2)


def test_sgd_gives_gibbs_at_eta_sigma2_over_2():
    density, steps = zero_flux_density_1d(-eta * (sp.diff(L(x), x) + sigma * XI), x, Z)
    assert sp.simplify(sp.log(density) + 2 * L(x) / (eta * sigma**2) + sp.log(Z)) == 0
    assert len(steps) >= 5


def test_state_dependent_noise_gives_ito_prefactor():
    s = sp.Function("s", positive=True)
    density, _ = zero_flux_density_1d(-eta * (sp.diff(L(x), x) + s(x) * XI), x, Z)
    # Zero flux holds, and the 1/s^2 prefactor of the Ito convention is there.
    m, v = gaussian_moments(-eta * (sp.diff(L(x), x) + s(x) * XI))
    assert sp.simplify(flux_1d(m, v, density, x)) == 0
    _, denominator = density.as_numer_denom()
    assert denominator.has(s(x) ** 2)
    quadratic = density.subs(s(x), 1).doit()
    assert sp.simplify(sp.log(quadratic) + 2 * L(x) / eta + sp.log(Z)) == 0
