"""Exact event probabilities for one batch, and the numerical optimiser (deck-003 claims)."""

import itertools
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from derivations.batch_theory import (LOWER_LIMIT, PM_EVENT, B, TieError, conditional_probability,
                                      event_probability, g, ghat, sigmahat)
from derivations.experiments.optimum import golden_minimum
from numerics.batch_noise import GAUSSIAN, TWO_POINT, TWO_POINT_P, TWO_POINT_VALUES, batch_moments


@pytest.mark.parametrize("batch", [2, 5, 16, 64])
def test_gaussian_coverage_is_the_t_law(batch):
    """P(|g - g_hat| <= 2 sigma_hat/sqrt B) = P(|t_{B-1}| <= 2 sqrt((B-1)/B)), biased sd."""
    x = 2 * mpmath.sqrt(mpmath.mpf(batch - 1) / batch)
    nu = batch - 1
    t_law = 1 - mpmath.betainc(nu / 2, 0.5, 0, nu / (nu + x**2), regularized=True)
    p = event_probability(PM_EVENT.subs(B, batch), a=0.4, batch=batch, kind=GAUSSIAN)
    assert p == pytest.approx(float(t_law), abs=1e-12)


def test_two_point_probability_by_brute_force():
    """Enumerate every batch of 6 two-point draws and sum the probabilities of the event."""
    batch, a = 6, 0.3
    hi, lo = TWO_POINT_VALUES
    event = sp.And(PM_EVENT, ghat > 0).subs(B, batch)
    total = 0.0
    for draws in itertools.product((hi, lo), repeat=batch):
        xs = np.array(draws)
        m, s = xs.mean(), xs.std()
        k = int(np.sum(xs == hi))
        if abs(m) <= 2 * s / math.sqrt(batch) and a + m > 0:
            total += TWO_POINT_P**k * (1 - TWO_POINT_P) ** (batch - k)
    assert event_probability(event, a=a, batch=batch, kind=TWO_POINT) == pytest.approx(total, abs=1e-12)


def test_exact_engine_agrees_with_simulated_batches():
    # 1.6M batches: the frequency's se is <= 0.0004; 6 se has false-alarm probability 2e-9
    # and a wrong event (one relation dropped) moves it by >= 0.05 here.
    batch, a = 9, 0.2
    ev = sp.And(ghat > 0, LOWER_LIMIT < 0, ghat - g <= 2 * sigmahat / sp.sqrt(B)).subs(B, batch)
    p = event_probability(ev, a=a, batch=batch, kind=GAUSSIAN)
    m, s = batch_moments(GAUSSIAN, batch, 16, 100_000, 5)
    gh, sh = a + m, s
    mc = np.mean((gh > 0) & (gh - 2 * sh / 3 < 0) & (gh - a <= 2 * sh / 3))
    assert abs(mc - p) < 6 * math.sqrt(p * (1 - p) / m.size)


def test_conditional_probability_of_the_line_3_event_is_one_for_positive_g_hat():
    cond = (ghat - g <= 2 * sigmahat / sp.sqrt(B)).subs(B, 16)
    given = sp.And(PM_EVENT, ghat > 0).subs(B, 16)
    assert conditional_probability(cond, given, a=1.5, batch=16, kind=GAUSSIAN) == pytest.approx(1.0, abs=1e-12)


def test_a_lattice_tie_is_refused():
    # With two-point noise and B = 2 a batch (hi, lo) has g_hat - g = (hi + lo)/2 exactly:
    # a relation that holds with equality there would be decided by rounding.
    hi, lo = TWO_POINT_VALUES
    tie = ghat - g <= sp.nsimplify((hi + lo) / 2)
    with pytest.raises(TieError, match="equality"):
        event_probability(tie, a=0.5, batch=2, kind=TWO_POINT)


def test_unsupported_noise_and_nonlinear_events_are_refused():
    with pytest.raises(ValueError, match="kind=1"):
        event_probability(ghat > 0, a=0.5, batch=4, kind=1)
    with pytest.raises(ValueError, match="linear"):
        event_probability(ghat**2 > 1, a=0.5, batch=4, kind=GAUSSIAN)


def test_golden_minimum_finds_interior_and_boundary_minima():
    assert golden_minimum(lambda x: (x - 0.37) ** 2, 0.0, 1.0) == pytest.approx(0.37, abs=1e-9)
    assert golden_minimum(lambda x: x, 0.0, 1.0) == 0.0
    assert golden_minimum(lambda x: (math.log(x) - 3) ** 2, 1e-2, 1e4, log=True) == pytest.approx(math.e**3, rel=1e-8)


def test_absolute_constants_scale_with_sigma():
    """g_hat ~ N(g, sigma^2/B): P(0 <= g_hat <= 4) with g = 1, sigma = 2, B = 4 is Phi(3) - Phi(-1)."""
    p = event_probability(sp.And(ghat >= 0, ghat <= 4), a=0.5, batch=4, kind=GAUSSIAN, sigma=2.0)
    expected = float(mpmath.ncdf(3) - mpmath.ncdf(-1))
    assert p == pytest.approx(expected, abs=1e-12)
