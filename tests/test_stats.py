"""Statistics helpers: budget arithmetic, standard errors, extrapolation, power."""

import math

import numpy as np
import pytest

from numerics import rng
from numerics.stats import (FalseAlarmBudget, budget_factor_needed, effective_sample_size,
                            extrapolate_to_zero, mean_over_chains, resolving_power,
                            weighted_polyfit, within_tolerance, z_score)


def test_budget_default_is_five_sigma():
    b = FalseAlarmBudget()
    assert b.alpha == pytest.approx(5e-7)
    assert b.z_crit == pytest.approx(5.0263, abs=1e-3)
    assert b.z_power == pytest.approx(3.0902, abs=1e-3)


@pytest.mark.parametrize("kw, match", [(dict(total=0), "total="), (dict(max_assertions=0), "max_assertions="),
                                       (dict(power=1.0), "power=")])
def test_budget_validation(kw, match):
    with pytest.raises(ValueError, match=match):
        FalseAlarmBudget(**kw)


def test_mean_over_chains_se():
    est = mean_over_chains(np.array([1.0, 2.0, 3.0, 4.0]))
    assert est.value == 2.5 and est.se == pytest.approx(np.std([1, 2, 3, 4], ddof=1) / 2)
    with pytest.raises(ValueError):
        mean_over_chains(np.array([1.0]))


def test_ess_of_ar1_matches_theory():
    """AR(1) with phi = 0.8: integrated autocorrelation time (1+phi)/(1-phi) = 9, so
    ESS ~ n/9. Over 2e5 points Geyer's estimator is within ~5 % (its sd is ~2 %);
    an estimator ignoring correlation would give n, off by 9x."""
    z = rng.normals(4, 1, 200_000)[0]
    phi = 0.8
    x = np.empty_like(z)
    x[0] = z[0] / math.sqrt(1 - phi**2)
    for t in range(1, z.size):
        x[t] = phi * x[t - 1] + z[t]
    assert effective_sample_size(x) == pytest.approx(z.size / 9, rel=0.1)


def test_extrapolation_is_exact_for_lines_and_bounds_curvature():
    h = np.array([0.01, 0.02, 0.03])
    se = np.full(3, 1e-3)
    est = extrapolate_to_zero(h, 2 + 3 * h, se)
    assert est.value == pytest.approx(2.0, abs=1e-12)
    # A known curvature c: the line's intercept is off by c * kappa; the bound covers it.
    c = 5.0
    est = extrapolate_to_zero(h, 2 + 3 * h + c * h**2, se, curvature=c)
    assert abs(est.value - 2.0) <= est.bias_bound
    assert est.bias_bound == pytest.approx(2 * abs(est.value - 2.0), rel=1e-9)


def test_weighted_polyfit_recovers_coefficients():
    h = np.linspace(0, 1, 5)
    fit = weighted_polyfit(h, 1 - 2 * h + 0.5 * h**2, np.ones(5), 2)
    np.testing.assert_allclose(fit.coef, [1, -2, 0.5], atol=1e-12)
    assert fit.dof == 2 and fit.chi2 == pytest.approx(0, abs=1e-20)


def test_tolerance_power_and_budget_factor():
    assert within_tolerance(1.0, 1.04, 0.01, 0.0, 5.0)
    assert not within_tolerance(1.0, 1.06, 0.01, 0.0, 5.0)
    assert within_tolerance(1.0, 1.06, 0.01, 0.02, 5.0)
    assert z_score(1.0, 0.9, 0.05) == pytest.approx(2.0)
    assert resolving_power(1.0, 1.2, 0.01, 0.05) == pytest.approx(10.0)
    # se 0.05 gives 2 sigma separation of 0.1; 8 sigma needs se / 4, i.e. 16x the samples.
    assert budget_factor_needed(1.0, 1.1, 0.05, 0.0, 8.0) == pytest.approx(16.0)
    assert budget_factor_needed(1.0, 1.1, 0.05, 0.06, 8.0) == math.inf
