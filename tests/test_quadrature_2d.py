"""2-D expectations of unnormalised densities against closed forms."""

import numpy as np
import pytest

from numerics.quadrature_2d import DensityNotNormalisable, expectations_2d


def test_correlated_gaussian_moments():
    S = np.array([[0.5, 0.2], [0.2, 0.3]])
    P = np.linalg.inv(S)
    logp = lambda X, Y: -0.5 * (P[0, 0] * X**2 + 2 * P[0, 1] * X * Y + P[1, 1] * Y**2)  # noqa: E731
    got = expectations_2d(logp, [lambda X, Y: X**2, lambda X, Y: X * Y, lambda X, Y: Y**4],
                          box=((-1, 1), (-1, 1)))
    np.testing.assert_allclose(got, [0.5, 0.2, 3 * 0.3**2], rtol=1e-10)


def test_heavy_tails_are_refused():
    with pytest.raises(DensityNotNormalisable):
        expectations_2d(lambda X, Y: -np.log1p(X**2 + Y**2), [lambda X, Y: X])
