"""The finite-sum SGD kernel against its numpy reference, its sampling schemes and its errors."""

import itertools

import numba
import numpy as np
import pytest

from numerics.finite_sum import SparsePolynomials, run_finite_sum, run_finite_sum_reference
from numerics.moments import QuadraticExamples, stationary_moments

# Four quadratic examples in 2-D: gradient g_i + H_i Phi on the monomials (1, Phi_1, Phi_2).
H = np.array([[[2, .5], [.5, 1]], [[1, -.3], [-.3, .5]], [[1.2, 0], [0, -.4]], [[1.5, .2], [.2, 1]]])
G = np.array([[1, .5], [-.5, 1], [-1, -1], [.5, -.5]])
LINEAR = np.array([[0, 0], [1, 0], [0, 1]])


def _gradients(cubic: float = 0.0) -> SparsePolynomials:
    exps = np.vstack([LINEAR, [[3, 0]]])
    coefs = np.zeros((4, 2, 4))
    coefs[:, :, 0] = G
    coefs[:, :, 1] = H[:, :, 0]
    coefs[:, :, 2] = H[:, :, 1]
    coefs[:, 0, 3] = cubic  # a cubic gradient term, so the reference exercises powers > 1
    return SparsePolynomials(exps, coefs)


def _loss_observable() -> SparsePolynomials:
    Hb = H.mean(axis=0)
    # (1/2) Phi^T Hbar Phi, and Phi_1 alone
    return SparsePolynomials(np.array([[2, 0], [1, 1], [0, 2], [1, 0]]),
                             np.array([[.5 * Hb[0, 0], Hb[0, 1], .5 * Hb[1, 1], 0.0],
                                       [0.0, 0.0, 0.0, 1.0]]))


@pytest.mark.parametrize("sampling, batch, update", [
    ("with-replacement", 1, "sgd"), ("with-replacement", 3, "sgd"), ("reshuffle", 1, "sgd"),
    ("reshuffle", 2, "sgd"), ("with-replacement", 1, "assign")])
def test_kernel_equals_numpy_reference_bit_for_bit(sampling, batch, update):
    x0 = np.array([[0.0, 0.0], [0.3, -0.2], [-1.0, 0.5]])
    eta = np.linspace(0.1, 0.05, 60)
    kw = dict(x0=x0, eta=eta, seed=17, batch=batch, sampling=sampling, burn_in=12, every=3,
              checkpoints=[5, 40, 60], update=update)
    run = run_finite_sum(_gradients(0.2), _loss_observable(), **kw)
    averages, maxima, snapshots, final = run_finite_sum_reference(_gradients(0.2), _loss_observable(), **kw)
    np.testing.assert_array_equal(run.final, final)
    np.testing.assert_array_equal(run.snapshots, snapshots)
    np.testing.assert_array_equal(run.maxima, maxima)
    np.testing.assert_array_equal(run.averages, averages)
    assert run.kept == len(range(12, 60, 3))


def test_results_identical_at_any_thread_count():
    kw = dict(x0=np.zeros((32, 2)), eta=np.full(400, 0.1), seed=3, burn_in=100)
    top = numba.config.NUMBA_NUM_THREADS
    runs = [run_finite_sum(_gradients(), _loss_observable(), threads=t, **kw) for t in sorted({1, top})]
    for r in runs[1:]:
        np.testing.assert_array_equal(r.averages, runs[0].averages)
        np.testing.assert_array_equal(r.final, runs[0].final)


def test_reshuffling_visits_every_example_once_per_epoch():
    # L_i = c_i Phi with c_i = 10^i: after one epoch at eta = 1 the displacement is
    # -sum_i c_i exactly when every example was used once (the digits would show a repeat).
    c = 10.0 ** np.arange(4)
    grads = SparsePolynomials(np.array([[0]]), c.reshape(4, 1, 1))
    obs = SparsePolynomials(np.array([[1]]), np.array([[1.0]]))
    run = run_finite_sum(grads, obs, x0=np.zeros((64, 1)), eta=np.ones(8), seed=5,
                         sampling="reshuffle", checkpoints=[4, 8])
    np.testing.assert_array_equal(run.snapshots[:, :, 0], -np.array([[1111.0, 2222.0]] * 64))


def test_with_replacement_draws_are_uniform():
    # Same digits trick over 4000 draws per chain: each example's count is binomial
    # (4000, 1/4), sd 27.4; a tolerance of 6 sd has false-alarm probability 2e-9 per count
    # (16 counts); a biased sampler (e.g. one example at 1/3) would sit 76 sd away.
    c = 10.0 ** (4 * np.arange(4))
    grads = SparsePolynomials(np.array([[0]]), c.reshape(4, 1, 1))
    obs = SparsePolynomials(np.array([[1]]), np.array([[1.0]]))
    run = run_finite_sum(grads, obs, x0=np.zeros((4, 1)), eta=np.ones(4000), seed=9, escape=1e20)
    total = -run.final[:, 0]
    counts = np.array([(total // c[k]) % 10**4 for k in range(4)]).T
    assert np.all(counts.sum(axis=1) == 4000)
    assert np.all(np.abs(counts - 1000) <= 6 * np.sqrt(4000 * 0.25 * 0.75))


def test_stationary_mean_loss_matches_exact_moments():
    # False-alarm probability 5e-7 (z = 5.03, the suite's per-assertion level); the chains
    # are independent, so the standard error over chains is honest.
    eta = 0.1
    ex = QuadraticExamples(H, G)
    _, S, rho = stationary_moments(ex, eta)
    relax = 1 / -np.log(rho)
    burn = int(16 * relax)
    run = run_finite_sum(_gradients(), _loss_observable(), x0=np.zeros((128, 2)),
                         eta=np.full(burn + 4000, eta), seed=11, burn_in=burn)
    v = run.averages[:, 0]
    exact = 0.5 * np.trace(ex.Hbar @ S)
    assert abs(v.mean() - exact) <= 5.03 * v.std(ddof=1) / np.sqrt(v.size)


def test_unstable_learning_rate_is_reported():
    with pytest.raises(FloatingPointError, match="unstable"):
        run_finite_sum(_gradients(), _loss_observable(), x0=np.ones((4, 2)), eta=np.full(3000, 3.0),
                       seed=1)


@pytest.mark.parametrize("kwargs, match", [
    (dict(batch=0), "batch=0"), (dict(sampling="cyclic"), "sampling='cyclic'"),
    (dict(burn_in=-1), "burn_in=-1"), (dict(every=0), "every=0"),
    (dict(checkpoints=[5, 3]), "checkpoints"), (dict(eta=np.array([0.1, -1.0])), "eta"),
    (dict(update="momentum"), "update='momentum'"), (dict(sampling="reshuffle", batch=3), "divide"),
])
def test_bad_arguments_name_themselves(kwargs, match):
    base = dict(x0=np.zeros((2, 2)), eta=np.full(10, 0.1), seed=1)
    base.update(kwargs)
    with pytest.raises(ValueError, match=match):
        run_finite_sum(_gradients(), _loss_observable(), **base)


def test_sparse_polynomials_evaluate_monomials():
    p = SparsePolynomials(np.array([[0, 0], [2, 1], [0, 3]]), np.array([[1.0, 2.0, 3.0]]))
    x = np.array([[2.0, -1.0], [0.5, 2.0]])
    mono = p.monomials(x)
    np.testing.assert_array_equal(mono, [[1, -4, -1], [1, 0.5, 8]])
    with pytest.raises(ValueError, match="last axis"):
        SparsePolynomials(np.array([[0, 0]]), np.zeros((1, 2)))
