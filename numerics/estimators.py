"""Functions of means over independent chains, with delta-method standard errors.

A statistic such as a configurational temperature ``T_x = E[(d_x L)^2] / E[d_xx L]`` is a
smooth function ``f`` of several stationary means. Each chain gives one vector of time
averages; chains are independent, so the vector of means over chains has covariance
``Cov / n`` and, to first order, ``se(f) = sqrt(grad f^T (Cov / n) grad f)`` (the delta
method; e.g. A. W. van der Vaart, *Asymptotic Statistics*, Cambridge 1998, ch. 3). The
gradient is taken by central differences scaled to each mean's own standard error, so it
needs no symbolic form of ``f``.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .stats import Estimate

__all__ = ["delta_method"]


def delta_method(per_chain: np.ndarray, f: Callable[[np.ndarray], float],
                 shift: np.ndarray | None = None) -> Estimate:
    """``f(mean + shift)`` with its delta-method standard error over independent chains.

    ``per_chain`` is ``(chains, K)``; ``shift`` (optional, length ``K``) is a known,
    exactly computed correction added to the means before ``f`` (e.g. the exact
    discretisation bias of a linear chain, removed).
    """
    v = np.asarray(per_chain, dtype=float)
    if v.ndim != 2 or v.shape[0] < 2:
        raise ValueError(f"per_chain has shape {v.shape}; need (chains >= 2, K)")
    n, K = v.shape
    mean = v.mean(axis=0) + (0.0 if shift is None else np.asarray(shift, dtype=float))
    cov = np.atleast_2d(np.cov(v, rowvar=False)) / n
    value = float(f(mean))
    if not math.isfinite(value):
        raise ValueError(f"statistic is not finite at the means {mean}")
    se_each = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    grad = np.zeros(K)
    for k in range(K):
        h = se_each[k] * 1e-3 if se_each[k] > 0 else 0.0
        if h == 0.0:
            continue
        up, down = mean.copy(), mean.copy()
        up[k] += h
        down[k] -= h
        grad[k] = (f(up) - f(down)) / (2 * h)
    se = float(math.sqrt(max(float(grad @ cov @ grad), 0.0)))
    return Estimate(value, se, f"delta method over {n} independent chains")
