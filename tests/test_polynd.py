"""Packed multivariate polynomials against sympy, and their validation."""

import numpy as np
import pytest
import sympy as sp

from derivations.codegen_nd import poly_system, update_systems
from numerics.polynd import PolySystem, eval_system_numpy

x, y = sp.symbols("x y", real=True)


def test_evaluation_matches_sympy_at_random_points():
    exprs = [x**3 - 2 * x * y + 0.5, 3 * y**2 * x**2 - y, sp.Integer(0), sp.Float(1.25)]
    sys_ = poly_system(exprs, (x, y))
    pts = np.random.default_rng(3).normal(size=(50, 2))
    got = sys_(pts)
    for k, e in enumerate(exprs):
        f = sp.lambdify((x, y), e, "numpy")
        want = np.broadcast_to(np.asarray(f(pts[:, 0], pts[:, 1]), dtype=float), (50,))
        np.testing.assert_allclose(got[:, k], want, rtol=1e-13, atol=1e-13)


def test_structure_queries():
    s = poly_system([x + 2 * y + 1, 3 * y], (x, y))
    assert s.is_affine() and not s.is_constant() and s.component_variables(1) == {1}
    assert PolySystem.constant([1.0, 2.0, 3.0, 4.0], 2).is_constant()
    assert poly_system([x * y], (x, y)).max_degree == 1 and not poly_system([x * y], (x, y)).is_affine()


def test_update_split_into_drift_and_noise():
    xi = sp.symbols("xi_1 xi_2", real=True)
    F, S = update_systems(sp.Matrix([-0.1 * x + 0.2 * xi[0], -0.3 * y * x + (1 + x) * xi[1]]), (x, y), xi)
    pt = np.array([[0.7, -0.2]])
    np.testing.assert_allclose(F(pt)[0], [0.07, -0.042])
    np.testing.assert_allclose(S(pt)[0], [0.2, 0.0, 0.0, 1.7])


def test_nonlinear_noise_is_refused():
    xi = sp.symbols("xi_1 xi_2", real=True)
    with pytest.raises(ValueError, match="not linear"):
        update_systems(sp.Matrix([xi[0] ** 2, xi[1]]), (x, y), xi)


@pytest.mark.parametrize("kwargs, match", [
    (dict(exponents=np.zeros((1, 2), dtype=np.int32)), "int64"),
    (dict(coefficients=np.array([np.nan])), "finite"),
    (dict(offsets=np.array([0, 2], dtype=np.int64)), "offsets"),
])
def test_bad_tables_name_themselves(kwargs, match):
    base = dict(exponents=np.zeros((1, 2), dtype=np.int64), coefficients=np.array([1.0]),
                offsets=np.array([0, 1], dtype=np.int64), n_vars=2)
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        PolySystem(**base)


def test_reference_order_is_the_kernels():
    # x^2 y evaluated as c * x^2 * y, powers by repeated multiplication: exactly representable here.
    s = PolySystem.from_components([{(2, 1): 3.0}], 2)
    assert eval_system_numpy(s, np.array([[2.0, 0.5]]))[0, 0] == 6.0
