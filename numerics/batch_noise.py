"""Per-example gradient noise and the statistics of one batch: mean and (biased) sd.

A batch holds ``B`` per-example gradients ``g + sigma xi_b`` with ``xi_b`` iid, mean 0,
variance 1, drawn from one of three laws (all standardised, so ``sigma`` is the per-example
standard deviation whatever the law):

- ``GAUSSIAN``: ``xi ~ N(0, 1)`` (one normal per draw);
- ``STUDENT_T``: Student's t with ``STUDENT_NU = 5`` degrees of freedom scaled by
  ``sqrt((nu - 2) / nu)`` (heavy tails; ``nu + 1`` normals per draw: ``z``, then the ``nu``
  normals of the chi-square);
- ``TWO_POINT``: ``sqrt((1-p)/p)`` with probability ``p = TWO_POINT_P``, else
  ``-sqrt(p/(1-p))`` (skewed: +3 w.p. 0.1, -1/3 w.p. 0.9; one uniform per draw).

The slide (deck 003, "Calculating B* and eta* in One Dimension") estimates the per-example
spread by ``sigma_hat = sqrt(E_batch (x_b - mean)^2)``: the *biased* (divide-by-B) standard
deviation, which is what :func:`batch_moments` returns.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from .rng import next_double, next_normal, normals, seed_states, uniforms
from .threads import run_chunked

__all__ = ["GAUSSIAN", "STUDENT_T", "TWO_POINT", "NOISE_NAMES", "STUDENT_NU", "TWO_POINT_P",
           "TWO_POINT_VALUES", "next_noise", "noise_reference", "batch_moments",
           "batch_moments_reference", "check_kind"]

GAUSSIAN, STUDENT_T, TWO_POINT = 0, 1, 2
STUDENT_NU = 5
TWO_POINT_P = 0.1
#: (high value, low value) of the standardised two-point law.
TWO_POINT_VALUES = (math.sqrt((1 - TWO_POINT_P) / TWO_POINT_P), -math.sqrt(TWO_POINT_P / (1 - TWO_POINT_P)))
NOISE_NAMES = {GAUSSIAN: "Gaussian",
               STUDENT_T: f"Student-t({STUDENT_NU}), unit variance",
               TWO_POINT: f"two-point skewed ({TWO_POINT_VALUES[0]:g} w.p. {TWO_POINT_P:g}, "
                          f"{TWO_POINT_VALUES[1]:.4g} otherwise)"}
_T_SCALE = math.sqrt((STUDENT_NU - 2) / STUDENT_NU)
_HI, _LO = TWO_POINT_VALUES


def check_kind(kind: int) -> int:
    if kind not in NOISE_NAMES:
        raise ValueError(f"kind={kind!r} must be one of {sorted(NOISE_NAMES)} ({NOISE_NAMES})")
    return int(kind)


@nb.njit(inline="always", cache=True)
def next_noise(states, c, kind):
    """One standardised noise draw of law ``kind`` from chain ``c``'s stream."""
    if kind == 0:
        return next_normal(states, c)
    if kind == 1:
        z = next_normal(states, c)
        v = 0.0
        for _ in range(STUDENT_NU):
            e = next_normal(states, c)
            v += e * e
        return z / math.sqrt(v / STUDENT_NU) * _T_SCALE
    if next_double(states, c) < TWO_POINT_P:
        return _HI
    return _LO


def noise_reference(kind: int, seed: int, n_chains: int, n_per_chain: int) -> np.ndarray:
    """The first ``n_per_chain`` draws of :func:`next_noise` per chain, in plain numpy."""
    kind = check_kind(kind)
    if kind == GAUSSIAN:
        return normals(seed, n_chains, n_per_chain)
    if kind == STUDENT_T:
        z = normals(seed, n_chains, n_per_chain * (STUDENT_NU + 1)).reshape(n_chains, n_per_chain,
                                                                             STUDENT_NU + 1)
        v = np.zeros((n_chains, n_per_chain))
        for j in range(1, STUDENT_NU + 1):  # the kernel's summation order
            v = v + z[:, :, j] * z[:, :, j]
        return z[:, :, 0] / np.sqrt(v / STUDENT_NU) * _T_SCALE
    u = uniforms(seed, n_chains, n_per_chain)
    return np.where(u < TWO_POINT_P, _HI, _LO)


@nb.njit(nogil=True, cache=True)
def _batch_moments(lo, hi, kind, B, states, mean, sd):
    """Chains ``lo .. hi - 1`` (see :mod:`numerics.threads`)."""
    n = mean.shape[1]
    for c in range(lo, hi):
        xs = np.empty(B)
        for k in range(n):
            acc = 0.0
            for b in range(B):
                xs[b] = next_noise(states, c, kind)
                acc += xs[b]
            m = acc / B
            ss = 0.0
            for b in range(B):
                d = xs[b] - m
                ss += d * d
            mean[c, k] = m
            sd[c, k] = math.sqrt(ss / B)


def _validate(kind, B, n_chains, n_per_chain):
    kind = check_kind(kind)
    if not (isinstance(B, (int, np.integer)) and B >= 1):
        raise ValueError(f"B={B!r} must be an integer >= 1")
    for name, v in (("n_chains", n_chains), ("n_per_chain", n_per_chain)):
        if not (isinstance(v, (int, np.integer)) and v >= 1):
            raise ValueError(f"{name}={v!r} must be an integer >= 1")
    return kind


def batch_moments(kind: int, B: int, n_chains: int, n_per_chain: int, seed: int):
    """Mean and biased sd of ``n_per_chain`` batches of ``B`` standardised draws, per chain.

    Returns ``(mean, sd)``, each ``(n_chains, n_per_chain)``. A batch of per-example
    gradients ``g + sigma xi_b`` then has ``g_hat = g + sigma * mean`` and
    ``sigma_hat = sigma * sd``. Bit-identical at any thread count (chain ``c`` uses stream
    ``(seed, c)`` and writes only its row).
    """
    kind = _validate(kind, B, n_chains, n_per_chain)
    mean = np.empty((n_chains, n_per_chain))
    sd = np.empty((n_chains, n_per_chain))
    run_chunked(_batch_moments, n_chains, kind, int(B), seed_states(seed, n_chains), mean, sd)
    return mean, sd


def batch_moments_reference(kind: int, B: int, n_chains: int, n_per_chain: int, seed: int):
    """Plain numpy :func:`batch_moments`: the same draws, summed in the same order."""
    kind = _validate(kind, B, n_chains, n_per_chain)
    xi = noise_reference(kind, seed, n_chains, n_per_chain * B).reshape(n_chains, n_per_chain, B)
    acc = np.zeros((n_chains, n_per_chain))
    for b in range(B):
        acc = acc + xi[:, :, b]
    m = acc / B
    ss = np.zeros_like(m)
    for b in range(B):
        ss = ss + (xi[:, :, b] - m) ** 2
    return m, np.sqrt(ss / B)
