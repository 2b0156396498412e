"""Symbolic running averages: induction proofs, closed-form moments, schedules and weights."""

import numpy as np
import pytest
import sympy as sp

from derivations.experiments.running_averages import approximate
from derivations.recurrences import (N, cumulative_mean, ema, first_failure, induction, kingma_ba,
                                     linear_form_weight, min_schedule, min_schedule_weight, s, t,
                                     unrolled_weight, weight_moments, weight_values, x)
from numerics.running_average import filter_weights

q = 1 - 1 / N


def test_induction_proves_the_right_closed_form_and_refutes_the_flipped_one():
    assert induction(ema(), q ** (t - s) / N).proved
    wrong = induction(ema(), q ** (-(t - s)) / N)
    assert not wrong.proved and "carried weights" in wrong.failure
    k, iterated, claimed = first_failure(ema(), q ** (-(t - s)) / N, {N: 2})
    assert k == 2 and iterated == x(1) / 4 + x(2) / 2 and claimed == x(1) + x(2) / 2


def test_unrolled_weights_of_the_standard_recurrences():
    assert sp.simplify(unrolled_weight(ema()) - q ** (t - s) / N) == 0
    assert unrolled_weight(cumulative_mean()) == 1 / t
    beta = sp.Symbol("beta", positive=True)
    kb = unrolled_weight(kingma_ba())
    assert sp.simplify(kb - (1 - beta) * beta ** (t - s) / (1 - beta**t)) == 0


def test_weight_moments_match_direct_sums_at_a_point():
    mom = weight_moments(q ** (t - s) / N)
    n_, t_ = 7, 11
    w = np.array([(1 - 1 / n_) ** (t_ - k) / n_ for k in range(1, t_ + 1)])
    at = {N: n_, t: t_}
    assert float(mom.gain.subs(at)) == pytest.approx(w.sum(), rel=1e-12)
    assert float(mom.power.subs(at)) == pytest.approx(w @ w, rel=1e-12)
    assert float(mom.age.subs(at)) == pytest.approx(w @ (t_ - np.arange(1, t_ + 1)), rel=1e-12)


def test_min_schedule_weights_equal_the_recurrence_run_on_impulses():
    n_, T = 5, 12
    alpha, beta, scale = min_schedule().schedules({N: n_}, T)
    W = filter_weights(alpha[None], beta[None], scale[None], [0], [3, 5, 12], T)
    for j, at in enumerate((3, 5, 12)):
        expected = weight_values(min_schedule_weight(), {N: n_}, at)
        np.testing.assert_allclose(W[0, j, :at], expected, rtol=1e-13)


def test_linear_form_weight_reads_sums_and_rejects_nonlinear_ones():
    assert linear_form_weight(sp.Sum(q ** (t - s) * x(s), (s, 1, t)) / N) == q ** (t - s) / N
    with pytest.raises(ValueError, match="not linear"):
        linear_form_weight(sp.Sum(x(s) ** 2, (s, 1, t)))


def test_approximate_returns_the_band_point_nearest_the_derived_value():
    assert approximate(1.0, 0.95, 0.10) == 0.95  # inside: the statement is as good as the truth
    assert approximate(1.0, 0.5, 0.10) == pytest.approx(0.9)  # outside: the band's edge
    assert approximate(-2.0, -3.0, 0.10) == pytest.approx(-2.2)  # negative values keep their band
