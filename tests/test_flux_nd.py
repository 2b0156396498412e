"""One-step current functionals: exact Gauss-Hermite against closed forms, Monte Carlo against exact."""

import numpy as np
import pytest
import sympy as sp

from derivations.codegen_nd import poly_system
from numerics.flux_nd import exact_step_currents, integral_2d, step_currents
from numerics.polynd import PolySystem
from numerics.stats import FalseAlarmBudget

x, y = sp.symbols("x y", real=True)
MEAN, COV = (0.2, -0.1), ((1.0, 0.3), (0.3, 0.8))
FIELDS = poly_system([1, 0, x, 0, y, x], (x, y))


def test_pure_diffusion_current_is_half_the_covariance_against_grad_g():
    # Step S xi with constant S: int J . G = (1/2) E[D : grad G], D = S S^T, exactly for any step.
    S = np.array([[0.3, 0.0], [0.1, 0.2]])
    got = exact_step_currents(PolySystem.from_components([{}, {}], 2), PolySystem.constant(S.ravel(), 2),
                              FIELDS, mean=MEAN, cov=COV)
    D = S @ S.T
    np.testing.assert_allclose(got, [0.0, 0.5 * D[0, 0], 0.5 * (D[0, 1] + D[1, 0])], atol=1e-14)


def test_monte_carlo_agrees_with_exact():
    F = poly_system([0.02 * (x**3 - y), 0.02 * y], (x, y))
    S = poly_system([0.2 * (1 + x**2 / 4), 0.0, 0.05, 0.15], (x, y))
    exact = exact_step_currents(F, S, FIELDS, mean=MEAN, cov=COV)
    cur = step_currents(F, S, FIELDS, mean=MEAN, cov=COV, chains=64, per_chain=5000, seed=2)
    got, se = cur.mean(axis=0), cur.std(axis=0, ddof=1) / 8
    # False alarm: 3 two-sided tests at z_crit = 5.03 (< 2e-6). Power 0.999: a 50 % error in any
    # component lies beyond z_crit + z_power = 8.12 se (checked below), thanks to the control variate.
    budget = FalseAlarmBudget()
    assert np.all(np.abs(got - exact) <= budget.z_crit * se)
    assert np.all(0.5 * np.abs(exact) > (budget.z_crit + budget.z_power) * se)


def test_integral_2d_of_a_gaussian():
    f = lambda X, Y: np.exp(-(X**2 + Y**2) / 2) / (2 * np.pi)  # noqa: E731
    assert integral_2d(f, ((-12, 12), (-12, 12))) == pytest.approx(1.0, abs=1e-14)
