"""The RMSProp kernel against its numpy reference."""

import numpy as np
import pytest

from numerics.polynd import PolySystem
from numerics.rmsprop_nd import run_rmsprop, run_rmsprop_reference

GRAD = PolySystem.from_components([{(1, 0): 1.0, (3, 0): 0.1}, {(0, 1): 2.0}], 2)
C = np.array([[2.0, 0.0], [0.3, 1.0]])


def test_kernel_equals_reference_bit_for_bit():
    kw = dict(eta=0.01, n_s=50.0, x0=np.random.default_rng(1).normal(size=(9, 2)), n_steps=200,
              burn_in=50, seed=4, observables=PolySystem.from_components([{(2, 0): 1}, {(1, 1): 1}], 2))
    run = run_rmsprop(GRAD, C, **kw)
    obs, smean, final = run_rmsprop_reference(GRAD, C, **kw)
    np.testing.assert_array_equal(run.final, final)
    np.testing.assert_allclose(run.observables, obs, rtol=4 * np.finfo(float).eps, atol=0)
    np.testing.assert_allclose(run.s_mean, smean, rtol=4 * np.finfo(float).eps, atol=0)


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="eta="):
        run_rmsprop(GRAD, C, eta=0.0, n_s=10.0, x0=np.zeros((2, 2)), n_steps=10, burn_in=0, seed=1)
    with pytest.raises(ValueError, match="noise matrix"):
        run_rmsprop(GRAD, np.ones((3, 1)), eta=0.1, n_s=10.0, x0=np.zeros((2, 2)), n_steps=10,
                    burn_in=0, seed=1)
