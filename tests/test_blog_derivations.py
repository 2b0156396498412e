"""The sympy side of the blog's claims (deck 004): piecewise code generation, densities with
integrals, the ladder bound, the zero-current law and master equations in flux form."""

import math

import numpy as np
import pytest
import sympy as sp

from derivations.blog_model import SGD_STEP, G, V, W, Z, eta, master_rhs, p, zero_current_density
from derivations.codegen_piecewise import DensityGrid, DensityNotAvailable, piecewise_data
from derivations.equivalence import compare
from derivations.experiments.blog_evolution import EvolutionBudget, EvolutionSpec, NotAMasterEquation
from derivations.experiments.blog_landscape import Landscape, ladder_limit
from derivations.fokker_planck import XI, zero_flux_density_1d
from derivations.model import Relation
from derivations.symbols import SIGMA, sigma


def test_piecewise_data_matches_the_sympy_expression():
    expr = sp.Piecewise((-W * (W + 1), W < 0), (sp.Integer(0), W < sp.Rational(1, 2)),
                        ((W - 1) ** 2 / 8, True))
    data = piecewise_data(expr, W)
    f = sp.lambdify(W, expr, "numpy")
    xs = np.linspace(-2, 2, 41)
    np.testing.assert_allclose(data(xs), f(xs), rtol=0, atol=1e-15)
    with pytest.raises(ValueError, match="conditions must read"):
        piecewise_data(sp.Piecewise((W, W > 0), (0, True)), W)


def test_density_grid_integrates_indefinite_and_definite_integrals():
    u = sp.Symbol("u", real=True)
    dg = DensityGrid(W, -12.0, 12.0)
    for expr in (sp.exp(-sp.Integral(W, W)), sp.exp(-sp.Integral(u, (u, 3, W)))):
        d = dg.density(expr)  # N(0, 1) either way
        mean = np.trapezoid(d * dg.grid, dg.grid)
        assert mean == pytest.approx(0, abs=1e-9)
        assert np.trapezoid(d * dg.grid**2, dg.grid) == pytest.approx(1, rel=1e-8)
    with pytest.raises(DensityNotAvailable, match="not decayed"):
        dg.density(sp.exp(-sp.Abs(W) / 10))


def test_ladder_limit_bound_covers_a_cubic_remainder():
    h = np.array([0.01, 0.02, 0.03, 0.04])
    for a, b, c, d in [(1.0, 2.0, 0.0, 50.0), (0.3, -1.0, 4.0, -20.0)]:
        values = a + b * h + c * h**2 + d * h**3
        zero, bound = ladder_limit(h, values)
        assert abs(zero - a) <= bound
        assert abs(zero - a) == pytest.approx(6 * abs(d) * 0.01**3, rel=1e-6)


def test_zero_current_density_agrees_with_dsolve_route():
    step = -eta * (sp.diff(sp.Function("L")(W), W) + sigma * XI)
    mine, _ = zero_current_density(step)
    core, _ = zero_flux_density_1d(step, W, Z)
    cmp = compare(mine, core, relation=Relation.DENSITY, variables=(W,), setting=(SIGMA,))
    assert cmp.status.agrees


def test_zero_current_density_is_the_ito_law_with_position_dependent_v():
    density, _ = zero_current_density(SGD_STEP)
    assert density == sp.exp(-2 * sp.Integral(G(W) / V(W), W) / eta) / (Z * V(W))


def _spec():
    land = Landscape("test", W, 1 - W, 1 + W**2 / 4, 0.1, (0.01, 0.02, 0.03, 0.04), (-3.0, 5.0),
                     (0.0, 2.0), cells=200)
    return EvolutionSpec(land, p, G, V, eta, 1.0, 0.2, (0.2,), {"quick": EvolutionBudget(10)})


def test_master_equations_in_flux_form_carry_each_conventions_drift():
    spec = _spec()
    xs = np.linspace(-1, 2, 7)
    c, e = 0.1, 0.01
    vfun = lambda x: (c / e) * (1 + x**2 / 4) ** 2  # noqa: E731
    dv = lambda x: (c / e) * 2 * (1 + x**2 / 4) * (x / 2)  # noqa: E731
    for conv, share in (("ito", 1.0), ("stratonovich", 0.5), ("fickian", 0.0)):
        D, m = spec.coefficients(master_rhs(conv))
        np.testing.assert_allclose(D(xs), e**2 * vfun(xs) / 2, rtol=1e-12)
        # J = -eta G p - (eta^2/2) V^(1-a) (V^a p)' = [-eta G - a (eta^2/2) V'] p - D p'
        np.testing.assert_allclose(m(xs), -e * (1 - xs) - share * e**2 / 2 * dv(xs), rtol=1e-10,
                                   atol=1e-14)


def test_a_master_equation_that_loses_mass_is_refused():
    with pytest.raises(NotAMasterEquation, match="conserve"):
        _spec().coefficients(eta * G(W) * sp.diff(p(W), W) - p(W))


def test_fv_master_equation_solution_matches_the_ornstein_uhlenbeck_closed_form():
    # G = W - 1 with constant V: mean and variance of an OU process, in steps.
    land = Landscape("ou", W, W - 1, sp.Integer(1), 0.1, (0.01, 0.02, 0.03, 0.04), (-2.0, 4.0),
                     (0.0, 2.0), cells=600)
    spec = EvolutionSpec(land, p, G, V, eta, 0.5, 0.175, (0.5, 2.0), {"quick": EvolutionBudget(10)})
    mean, sd, err, _ = spec.solve(master_rhs("ito"))
    tau = np.array([0.5, 2.0])
    exact_mean = 1 - 0.5 * np.exp(-tau)
    exact_var = 0.175**2 * np.exp(-2 * tau) + 0.1 / 2 * (1 - np.exp(-2 * tau))
    # The solver's own error bound (time step + grid) must cover its actual error, and be small.
    assert np.all(np.abs(mean - exact_mean) <= err[:, 0])
    assert np.all(np.abs(sd - np.sqrt(exact_var)) <= err[:, 1])
    assert math.isfinite(err.max()) and err.max() < 2e-3
