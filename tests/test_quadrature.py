"""Fast trapezoidal expectations against mpmath quadrature, and refusal of bad densities."""

import mpmath
import numpy as np
import pytest

from numerics.quadrature import DensityNotNormalisable, expectations_1d, expectations_1d_mpmath


@pytest.mark.parametrize("T", [0.05, 0.25, 1.0])
def test_trapezoid_matches_mpmath_on_double_well(T):
    fast = expectations_1d(lambda x: -(x**2 - 1) ** 2 / (4 * T), [lambda x: x**2, lambda x: x**4])
    ref = expectations_1d_mpmath(lambda x: mpmath.exp(-(x**2 - 1) ** 2 / (4 * T)),
                                 [lambda x: x**2, lambda x: x**4])
    np.testing.assert_allclose(fast, ref, rtol=1e-10)


def test_narrow_gaussian_is_resolved():
    sd = 1e-3
    (m2,) = expectations_1d(lambda x: -x**2 / (2 * sd**2), [lambda x: x**2])
    assert m2 == pytest.approx(sd**2, rel=1e-9)


@pytest.mark.parametrize("log_density", [lambda x: x**2, lambda x: 0 * x, lambda x: np.log(np.abs(x) + 1)])
def test_densities_that_do_not_normalise_are_refused(log_density):
    with pytest.raises(DensityNotNormalisable, match="does not normalise"):
        expectations_1d(log_density, [lambda x: x])
