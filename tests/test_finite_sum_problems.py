"""Helpers of the finite-sum claims: problems in sympy, exact expectations, excursion bounds, pairs."""

import itertools

import numpy as np
import pytest
import sympy as sp

from derivations.experiments.dimension import pairs_within
from derivations.experiments.schedules import STEP, Schedule, excursion_bounds, run_probability
from derivations.experiments.training_sets import (PHI, nonquadratic_2d, offset_quadratic_1d,
                                                   pm_one_quadratic_1d)
from derivations.finite_sum import FiniteSumProblem, exact_expectation, sparse_polynomials
from numerics.rng import uniforms


def test_sparse_polynomials_evaluate_as_sympy_does():
    p = nonquadratic_2d()
    polys = p.gradient_polynomials()
    pts = uniforms(3, 5, 2) * 4 - 2
    mono = polys.monomials(pts)
    for (a, b), row in zip(pts, mono):
        for i in range(p.n):
            for k in range(p.d):
                want = float(p.gradients[i][k].subs(dict(zip(p.state, (a, b)))))
                assert abs(polys.coefs[i, k] @ row - want) <= 1e-12 * (1 + abs(want))


def test_problem_refuses_a_point_that_is_not_critical():
    with pytest.raises(ValueError, match="grad L"):
        FiniteSumProblem("bad", (PHI,), (PHI**2, (PHI - 1) ** 2), optimum=(1,))


def test_problem_at_an_offset_optimum():
    p = offset_quadratic_1d()
    assert p.loss_at_optimum == sp.Rational(1, 2)
    assert p.excess_loss.subs(PHI, 2) == 0
    assert p.G2 == 1


def test_exact_expectation_uses_the_first_two_moments_only_up_to_degree_two():
    x, y = sp.symbols("x y")
    m, S = np.array([1.0, 2.0]), np.array([[3.0, 0.5], [0.5, 5.0]])
    assert exact_expectation(1 + x + 2 * x * y + y**2, (x, y), m, S) == pytest.approx(1 + 1 + 1 + 5)
    with pytest.raises(ValueError, match="degree 3"):
        exact_expectation(x**3, (x, y), m, S)


@pytest.mark.parametrize("window, r", [(1, 1), (5, 2), (9, 3), (12, 4), (3, 5)])
def test_run_probability_matches_enumeration(window, r):
    hits = 0
    for seq in itertools.product((0, 1), repeat=window):
        run, best = 0, 0
        for k, v in enumerate(seq):
            run = run + 1 if k and v == seq[k - 1] else 1
            best = max(best, run)
        hits += best >= r
    assert run_probability(window, r) == pytest.approx(hits / 2**window, abs=1e-14)


def test_excursion_bounds_bracket_nothing_they_should_not():
    # The upper bound is a probability bound: at least the lower bound.
    p = pm_one_quadratic_1d()
    for expr in (sp.Rational(1, 2) / sp.sqrt(STEP), 2 / sp.log(STEP + 7)):
        b = excursion_bounds(p, Schedule("s", expr), 0.0, 256, 0.125)
        assert 0 <= b["lower"] <= b["upper"] <= 1


def test_pairs_within_matches_brute_force():
    x = uniforms(8, 1, 300)[0]
    for eps in (0.0, 0.01, 0.1, 0.5):
        brute = sum(1 for i in range(x.size) for j in range(i + 1, x.size) if abs(x[i] - x[j]) <= eps)
        assert pairs_within(x, eps) == brute


def test_sparse_polynomials_union_basis():
    x, y = sp.symbols("x y")
    sp_ = sparse_polynomials([x**2, 3 * y + 1], (x, y))
    assert sp_.coefs.shape == (2, 3)
    np.testing.assert_array_equal(sp_.coefs @ sp_.monomials(np.array([2.0, 5.0])), [4.0, 16.0])
