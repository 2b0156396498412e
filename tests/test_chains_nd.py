"""The n-D chain kernel against its numpy reference, its thread invariance, and an exact law."""

import numba
import numpy as np
import pytest
import sympy as sp

from derivations.codegen_nd import poly_system
from numerics.chains_nd import HistogramSpec, run_chains_nd, run_chains_nd_reference
from numerics.linear_gaussian import LinearChain
from numerics.polynd import PolySystem
from numerics.stats import FalseAlarmBudget

x, y = sp.symbols("x y", real=True)
ETA = 0.02
# A nonlinear drift (double well in x, coupled to y) and state-dependent correlated noise.
DRIFT = poly_system([ETA * (x**3 - x + 0.3 * y), ETA * (y - 0.5 * x)], (x, y))
NOISE = poly_system([0.1 + 0.02 * x**2, 0.03, 0.0, 0.05 + 0.01 * x * y], (x, y))
OBS = poly_system([x**2, x * y, y**4], (x, y))
FIELDS = poly_system([-y, x, 1, 0], (x, y))


def test_kernel_equals_numpy_reference_bit_for_bit():
    x0 = np.random.default_rng(0).normal(size=(21, 2))
    kw = dict(x0=x0, n_steps=150, burn_in=40, seed=7, observables=OBS, fields=FIELDS)
    run = run_chains_nd(DRIFT, NOISE, **kw)
    obs, cur, final = run_chains_nd_reference(DRIFT, NOISE, **kw)
    np.testing.assert_array_equal(run.final, final)
    # Same sums in the same order; 4 ulp for the final division by the kept steps.
    np.testing.assert_allclose(run.observables, obs, rtol=4 * np.finfo(float).eps, atol=0)
    np.testing.assert_allclose(run.currents, cur, rtol=4 * np.finfo(float).eps, atol=1e-300)


def test_results_identical_at_any_thread_count():
    kw = dict(x0=np.zeros((40, 2)), n_steps=300, burn_in=50, seed=3, observables=OBS, fields=FIELDS,
              hist=HistogramSpec((-2.0, -2.0), (2.0, 2.0), (10, 10)))
    top = numba.config.NUMBA_NUM_THREADS
    runs = [run_chains_nd(DRIFT, NOISE, threads=t, **kw) for t in sorted({1, top})]
    for r in runs[1:]:
        np.testing.assert_array_equal(r.observables, runs[0].observables)
        np.testing.assert_array_equal(r.currents, runs[0].currents)
        np.testing.assert_array_equal(r.hist, runs[0].hist)
        np.testing.assert_array_equal(r.displacement, runs[0].displacement)


def test_linear_chain_hits_the_exact_discrete_lyapunov_law():
    # x' = x - eta (H x + C xi): the stationary covariance is the discrete Lyapunov solution.
    H = np.array([[1.5, 0.5], [0.5, 1.0]])
    C = np.linalg.cholesky(np.array([[1.0, 0.6], [0.6, 0.5]])) * 3
    eta = 0.05
    drift = poly_system([eta * (H[0, 0] * x + H[0, 1] * y), eta * (H[1, 0] * x + H[1, 1] * y)], (x, y))
    noise = PolySystem.constant((eta * C).ravel(), 2)
    obs = poly_system([x**2, x * y, y**2], (x, y))
    fields = poly_system([-y, x], (x, y))
    lc = LinearChain.from_polynomials(drift, noise, eta)
    steps = lc.relaxation_steps()
    run = run_chains_nd(drift, noise, x0=np.zeros((2000, 2)), n_steps=int(56 * steps),
                        burn_in=int(16 * steps), seed=11, observables=obs, fields=fields)
    want = np.concatenate([lc.expectations(obs, continuous=False),
                           lc.current_functionals(fields, continuous=False)])
    per_chain = np.hstack([run.observables, run.currents / eta])
    got = per_chain.mean(axis=0)
    se = per_chain.std(axis=0, ddof=1) / np.sqrt(per_chain.shape[0])
    # False alarm: 4 two-sided tests at z_crit = 5.03, < 2e-6 together. Power: a factor-1.1
    # error in the covariance (> 20 se here) would be caught with probability ~1.
    assert np.all(np.abs(got - want) <= FalseAlarmBudget().z_crit * se)
    assert np.all(np.abs(got[:3] * 1.1 - want[:3]) > 10 * se[:3])


def test_unstable_step_is_reported():
    drift = poly_system([2.5 * x, 2.5 * y], (x, y))
    with pytest.raises(FloatingPointError, match="unstable"):
        run_chains_nd(drift, PolySystem.constant([0.1, 0, 0, 0.1], 2), x0=np.ones((4, 2)),
                      n_steps=500, burn_in=0, seed=1)


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_steps=0), "n_steps=0"), (dict(burn_in=10), "burn_in=10"),
    (dict(x0=np.zeros((3, 3))), "x0 must"),
])
def test_bad_arguments_name_themselves(kwargs, match):
    base = dict(x0=np.zeros((3, 2)), n_steps=10, burn_in=0, seed=1)
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        run_chains_nd(DRIFT, NOISE, **base)


def test_modulated_kernel_equals_reference():
    # x' = x - q^-1 F + q^-1/2 S xi with q = 1 + x^2 + y^2 / 2 (a rational preconditioner).
    q = poly_system([1 + x**2 + y**2 / 2], (x, y))
    kw = dict(x0=np.random.default_rng(2).normal(size=(9, 2)), n_steps=120, burn_in=20, seed=5,
              observables=OBS, fields=FIELDS, modulation=(q, -1.0, -0.5))
    run = run_chains_nd(DRIFT, NOISE, **kw)
    obs, cur, final = run_chains_nd_reference(DRIFT, NOISE, **kw)
    np.testing.assert_array_equal(run.final, final)
    np.testing.assert_allclose(run.observables, obs, rtol=4 * np.finfo(float).eps, atol=0)
