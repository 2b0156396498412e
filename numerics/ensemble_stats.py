"""Standard errors for smooth functions of means over independent chains, and of spreads.

:func:`jackknife_over_chains` handles any smooth ``fn`` of the per-chain means (a log-ratio
of two occupation fractions, a ratio of two log-ratios): chains are split into ``groups``
blocks in order, ``fn`` is recomputed leaving each block out, and
``se^2 = (g - 1) / g * sum (theta_k - mean theta)^2`` (B. Efron, C. Stein, Ann. Statist. 9
(1981) 586). Independent chains make the blocks exchangeable, so the estimate is honest
whatever the autocorrelation inside a chain. :func:`sd_with_se` gives a sample standard
deviation of iid values and its delta-method error ``sqrt((m4 - s^4) / (4 s^2 n))``.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .stats import Estimate

__all__ = ["jackknife_over_chains", "sd_with_se", "binomial_fraction"]


def jackknife_over_chains(per_chain: np.ndarray, fn: Callable[[np.ndarray], float],
                          groups: int = 50) -> Estimate:
    """``fn(mean over chains of per_chain)`` with a grouped jackknife standard error.

    ``per_chain`` is ``(chains, k)``; ``fn`` maps a length-``k`` vector to a number.
    """
    a = np.asarray(per_chain, dtype=float)
    if a.ndim != 2 or a.shape[0] < 2:
        raise ValueError(f"per_chain has shape {a.shape}; need (chains >= 2, k)")
    g = int(min(groups, a.shape[0]))
    if g < 2:
        raise ValueError(f"groups={groups!r} must be >= 2")
    value = float(fn(a.mean(axis=0)))
    blocks = np.array_split(np.arange(a.shape[0]), g)
    total = a.sum(axis=0)
    thetas = np.array([fn((total - a[b].sum(axis=0)) / (a.shape[0] - b.size)) for b in blocks])
    if not np.all(np.isfinite(thetas)):
        raise FloatingPointError("a leave-one-block-out value is not finite (an empty interval?); "
                                 "run more chains or widen the interval")
    se = math.sqrt((g - 1) / g * float(np.sum((thetas - thetas.mean()) ** 2)))
    return Estimate(value, se, f"grouped jackknife over {a.shape[0]} independent chains in {g} blocks")


def sd_with_se(values: np.ndarray) -> Estimate:
    """Sample standard deviation of iid ``values`` and its delta-method standard error."""
    v = np.asarray(values, dtype=float)
    n = v.size
    if n < 4:
        raise ValueError(f"values has {n} entries; need >= 4")
    c = v - v.mean()
    s2 = float(c @ c / (n - 1))
    m4 = float(np.mean(c**4))
    se = math.sqrt(max(m4 - s2**2, 0.0) / (4 * s2 * n)) if s2 > 0 else 0.0
    return Estimate(math.sqrt(s2), se, f"sample sd of {n} iid values; se = sqrt((m4 - s^4)/(4 s^2 n))")


def binomial_fraction(successes: int, n: int) -> Estimate:
    """A fraction with the Agresti-Coull standard error, which stays > 0 at 0 and n successes
    (A. Agresti, B. A. Coull, Amer. Statist. 52 (1998) 119)."""
    if not (0 <= successes <= n and n >= 1):
        raise ValueError(f"successes={successes!r} must be in [0, n={n!r}], n >= 1")
    p_tilde = (successes + 2) / (n + 4)
    return Estimate(successes / n, math.sqrt(p_tilde * (1 - p_tilde) / (n + 4)),
                    f"{successes} of {n}; Agresti-Coull se")
