"""Delta-method standard errors against an exact case."""

import numpy as np
import pytest

from numerics.estimators import delta_method


def test_linear_statistic_has_the_plain_standard_error():
    v = np.random.default_rng(0).normal(size=(400, 2))
    e = delta_method(v, lambda m: 2 * m[0] - m[1])
    direct = 2 * v[:, 0] - v[:, 1]
    assert e.value == pytest.approx(direct.mean(), rel=1e-12)
    assert e.se == pytest.approx(direct.std(ddof=1) / np.sqrt(400), rel=1e-6)


def test_ratio_uses_the_known_shift():
    v = np.random.default_rng(1).normal(loc=[2.0, 4.0], scale=0.1, size=(100, 2))
    e = delta_method(v, lambda m: m[0] / m[1], shift=np.array([1.0, 0.0]))
    assert e.value == pytest.approx((v[:, 0].mean() + 1) / v[:, 1].mean())
