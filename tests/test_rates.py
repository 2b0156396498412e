"""Rate fits and jackknife errors (numerics.rates)."""

import math

import numpy as np
import pytest

from numerics.rates import (excess_kurtosis, interquartile_range, jackknife, jackknife_means,
                            power_law_exponent)
from numerics.rng import normals


def test_jackknife_of_the_mean_is_the_usual_standard_error():
    x = normals(3, 1, 4096)[0]
    est = jackknife(x, np.mean, groups=64)
    # For the mean the delete-a-group jackknife is the between-group se: within 20 % of
    # sd/sqrt(n) (its own relative sd is 1/sqrt(2 * 63) ~ 9 %; 20 % is 2.2 of those:
    # false alarm ~3 %, acceptable for a deterministic seeded check of a formula).
    assert est.value == pytest.approx(x.mean())
    assert abs(est.se / (x.std(ddof=1) / math.sqrt(x.size)) - 1) < 0.2


def test_fast_jackknife_equals_the_general_one_for_smooth_statistics():
    x = normals(5, 1, 2048)[0] ** 2
    feats = np.column_stack([x, x * x])
    slow = jackknife(x, lambda v: float(np.mean(v * v) - np.mean(v) ** 2), groups=32)
    fast = jackknife_means(feats, lambda m: m[1] - m[0] ** 2, groups=32)
    assert fast.value == pytest.approx(slow.value, rel=1e-12)
    assert fast.se == pytest.approx(slow.se, rel=1e-9)


def test_statistics_of_a_known_sample():
    assert excess_kurtosis(np.array([-1.0, 1.0] * 50)) == pytest.approx(-2.0)
    assert interquartile_range(np.arange(101.0)) == pytest.approx(50.0)


def test_exact_power_law_gives_its_exponent():
    h = np.array([0.1, 0.05, 0.025, 0.0125])
    fit = power_law_exponent(h, 3 * h**0.5, np.full(4, 1e-3), correction=0.0)
    assert fit.value == pytest.approx(0.5, abs=1e-12) and fit.bias_bound == 0.0


def test_next_order_is_bounded_when_known_and_when_fitted():
    h = np.array([0.1, 0.05, 0.025, 0.0125, 0.00625])
    y = 2 * h * (1 + 0.8 * h)
    se = np.full(5, 1e-4)
    known = power_law_exponent(h, y, se, correction=0.8)
    fitted = power_law_exponent(h, y, se)
    for fit in (known, fitted):
        assert abs(fit.value - 1.0) <= fit.bias_bound  # the line's slope is biased by ~0.8 kappa
        assert fit.bias_bound > 0


def test_fractional_next_order():
    h = np.array([1 / 16, 1 / 64, 1 / 256, 1 / 1024, 1 / 4096])
    y = h**0.25 * (1 + 0.5 * h**0.5)
    fit = power_law_exponent(h, y, np.full(5, 1e-4), correction_power=0.5)
    assert abs(fit.value - 0.25) <= fit.bias_bound


@pytest.mark.parametrize("args, match", [
    (([0.1, 0.2, 0.3], [1, 2, 3], [0.1] * 3), "need >= 4"),
    (([0.1, -0.2, 0.3, 0.4], [1, 2, 3, 4], [0.1] * 4), "must be > 0"),
])
def test_bad_ladders_are_refused(args, match):
    with pytest.raises(ValueError, match=match):
        power_law_exponent(*map(np.array, args))


def test_groups_must_fit_the_sample():
    with pytest.raises(ValueError, match="groups=1"):
        jackknife(np.zeros(10), np.mean, groups=1)
