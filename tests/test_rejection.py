"""The rejection sampler (numerics.rejection): its kernel against the plain reference, and Bayes."""

import math

import numpy as np
import pytest

from numerics.rejection import probit_rejection, probit_rejection_reference

ARGS = ([-1.0, 0.5, 2.0], [2, 0, 1], [1, 0, 0])


def test_kernel_equals_reference():
    kw = dict(prior_sd=1.0, chains=4, attempts=3000, seed=3)
    a = probit_rejection(*ARGS, **kw)
    b = probit_rejection_reference(*ARGS, **kw)
    assert a.size > 0
    np.testing.assert_array_equal(a, b)


def test_single_example_posterior_mean():
    # One example x = 1, y = 1, prior N(0, 1): p(Phi | y) = 2 phi(Phi) Phi_N(Phi), whose mean
    # is 1/sqrt(pi) = 0.5642 (skew-normal). The draws are i.i.d. posterior samples; with
    # n ~ 1e5 accepted the se is ~0.0026; 5 se: false alarm 6e-7. Power: the prior's mean 0
    # and the tempered posterior's (exponent 2 on the likelihood, mean 0.78) are > 80 se away.
    draws = probit_rejection([1.0], [0], [1], prior_sd=1.0, chains=16, attempts=20000, seed=5)
    se = draws.std(ddof=1) / math.sqrt(draws.size)
    assert abs(draws.mean() - 1 / math.sqrt(math.pi)) < 5 * se


@pytest.mark.parametrize("kwargs, match", [
    (dict(obs_x=[5], obs_y=[1]), "obs_x"), (dict(obs_x=[0], obs_y=[2]), "obs_y"),
    (dict(obs_x=[0], obs_y=[1], prior_sd=0.0), "prior_sd"),
])
def test_bad_arguments_name_themselves(kwargs, match):
    base = dict(x_support=[1.0], prior_sd=1.0, chains=1, attempts=10, seed=1)
    with pytest.raises(ValueError, match=match):
        probit_rejection(**{**base, **kwargs})
