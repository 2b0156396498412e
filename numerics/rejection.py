"""Exact posterior samples by rejection from a generative model: a witness of Bayes' rule.

The model (a probit classifier with one parameter): ``Phi ~ N(0, prior_sd^2)``; for each of
``n`` examples ``x_i`` is drawn uniformly from ``x_support`` (its law does not involve
``Phi``) and ``y_i = 1[Phi x_i + xi_i > 0]`` with ``xi_i ~ N(0, 1)`` independent. A draw is
accepted when the whole training set it generates, inputs and labels, equals the observed
one. Accepted ``Phi`` are independent draws from ``p(Phi | Train)`` by the definition of
conditioning, with no formula for the posterior anywhere: the witness never evaluates a
likelihood, a prior density or Bayes' rule.

Each chain ``c`` makes ``attempts`` draws from its own stream ``(seed, c)`` and stores its
accepted values in its own row, so the result does not depend on the thread count.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from .rng import next_double, next_normal, seed_states
from .threads import run_chunked

__all__ = ["probit_rejection", "probit_rejection_reference"]


@nb.njit(nogil=True, cache=True)
def _probit(lo, hi, x_support, obs_x, obs_y, prior_sd, attempts, states, out, counts):
    """Chains ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    capacity = out.shape[1]
    n = obs_x.shape[0]
    m = x_support.shape[0]
    for c in range(lo, hi):
        k = 0
        for _ in range(attempts):
            phi = prior_sd * next_normal(states, c)
            ok = True
            for i in range(n):
                j = int(next_double(states, c) * m)
                if j != obs_x[i]:
                    ok = False
                    break
                y = 1 if phi * x_support[j] + next_normal(states, c) > 0.0 else 0
                if y != obs_y[i]:
                    ok = False
                    break
            if ok and k < capacity:
                out[c, k] = phi
                k += 1
        counts[c] = k


def _validate(x_support, obs_x, obs_y, prior_sd, attempts):
    xs = np.ascontiguousarray(np.asarray(x_support, dtype=np.float64))
    ox = np.ascontiguousarray(np.asarray(obs_x, dtype=np.int64))
    oy = np.ascontiguousarray(np.asarray(obs_y, dtype=np.int64))
    if xs.ndim != 1 or xs.size == 0:
        raise ValueError(f"x_support={x_support!r} must be a non-empty 1-D sequence")
    if ox.shape != oy.shape or ox.ndim != 1 or ox.size == 0:
        raise ValueError(f"obs_x={obs_x!r} and obs_y={obs_y!r} must be 1-D and of equal length")
    if np.any((ox < 0) | (ox >= xs.size)):
        raise ValueError(f"obs_x={obs_x!r} must index x_support (0..{xs.size - 1})")
    if np.any((oy != 0) & (oy != 1)):
        raise ValueError(f"obs_y={obs_y!r} must be labels 0 or 1")
    if not prior_sd > 0:
        raise ValueError(f"prior_sd={prior_sd!r} must be > 0")
    if not (isinstance(attempts, (int, np.integer)) and attempts >= 1):
        raise ValueError(f"attempts={attempts!r} must be an integer >= 1")
    return xs, ox, oy


def probit_rejection(x_support, obs_x, obs_y, *, prior_sd: float, chains: int, attempts: int,
                     seed: int, capacity: int | None = None) -> np.ndarray:
    """Accepted posterior draws of ``Phi``, chain by chain in order (a 1-D array)."""
    xs, ox, oy = _validate(x_support, obs_x, obs_y, prior_sd, attempts)
    if not (isinstance(chains, (int, np.integer)) and chains >= 1):
        raise ValueError(f"chains={chains!r} must be an integer >= 1")
    capacity = attempts if capacity is None else int(capacity)
    states = seed_states(seed, chains)
    out = np.zeros((chains, capacity))
    counts = np.zeros(chains, dtype=np.int64)
    run_chunked(_probit, chains, xs, ox, oy, float(prior_sd), int(attempts), states, out, counts)
    return np.concatenate([out[c, :counts[c]] for c in range(chains)])


@nb.njit(cache=True)
def _one_normal(states, c):
    return next_normal(states, c)


@nb.njit(cache=True)
def _one_uniform(states, c):
    return next_double(states, c)


def probit_rejection_reference(x_support, obs_x, obs_y, *, prior_sd, chains, attempts, seed):
    """Plain-Python control flow of :func:`probit_rejection`, drawing the same streams one
    number at a time; it must return the same accepted values in the same order."""
    xs, ox, oy = _validate(x_support, obs_x, obs_y, prior_sd, attempts)
    states = seed_states(seed, chains)
    accepted = []
    for c in range(chains):
        for _ in range(attempts):
            phi = prior_sd * _one_normal(states, c)
            ok = True
            for i in range(ox.size):
                j = int(_one_uniform(states, c) * xs.size)
                if j != ox[i]:
                    ok = False
                    break
                y = 1 if phi * xs[j] + _one_normal(states, c) > 0.0 else 0
                if y != oy[i]:
                    ok = False
                    break
            if ok:
                accepted.append(phi)
    return np.array(accepted)
