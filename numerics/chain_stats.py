"""Standard errors for ratios and smooth functions of per-chain means (delta method).

Independent chains give independent replicates (:func:`numerics.stats.mean_over_chains`);
these helpers extend that to

- a *ratio* of sums, e.g. the frequency of an event among the trials where a condition
  holds: ``R = sum_c num_c / sum_c den_c`` with ``se = sd_c(num_c - R den_c) / (mean den
  sqrt(n))`` (the linearisation of the ratio estimator; W. G. Cochran, *Sampling
  Techniques*, 3rd ed., 1977, sec. 6.4);
- a smooth function ``f`` of several per-chain means: ``se = sd_c(grad f . (m_c - m)) /
  sqrt(n)`` with the gradient by central differences.

A frequency of 0 or 1 has no spread across chains; its standard error is floored at ``1/N``
(N trials): the binomial standard error when one event in N is allowed, so that an
estimate of exactly 0 or 1 still carries the resolution its sample size gives.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .stats import Estimate

__all__ = ["ratio_over_chains", "frequency_over_chains", "function_of_means"]


def _per_chain(a, name) -> np.ndarray:
    v = np.asarray(a, dtype=float)
    if v.ndim != 1 or v.size < 2:
        raise ValueError(f"{name} has shape {v.shape}; need a 1-D array over >= 2 chains")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} has non-finite entries")
    return v


def ratio_over_chains(num, den) -> Estimate:
    """``sum num / sum den`` over chains with its delta-method standard error."""
    num, den = _per_chain(num, "num"), _per_chain(den, "den")
    if num.shape != den.shape:
        raise ValueError(f"num {num.shape} and den {den.shape} must have the same shape")
    total = den.sum()
    if not total > 0:
        raise ValueError(f"den sums to {total}; the ratio is undefined")
    r = num.sum() / total
    n = num.size
    z = (num - r * den) / (total / n)
    return Estimate(float(r), float(z.std(ddof=1) / math.sqrt(n)),
                    f"ratio of sums over {n} independent chains, delta-method se")


def frequency_over_chains(hits, trials) -> Estimate:
    """The frequency ``sum hits / sum trials`` with se floored at ``1 / sum trials``."""
    est = ratio_over_chains(hits, trials)
    n_trials = float(np.sum(trials))
    if est.se < 1.0 / n_trials:
        return Estimate(est.value, 1.0 / n_trials,
                        f"{est.method}; floored at 1/N, N = {n_trials:.0f} trials")
    return Estimate(est.value, est.se, f"{est.method}, N = {n_trials:.0f} trials")


def function_of_means(per_chain: np.ndarray, f: Callable[[np.ndarray], float],
                      what: str = "f(means)") -> Estimate:
    """``f(column means)`` of a ``(chains, k)`` array, with the delta-method standard error."""
    x = np.asarray(per_chain, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValueError(f"per_chain has shape {x.shape}; need (chains >= 2, k)")
    if not np.all(np.isfinite(x)):
        raise ValueError("per_chain has non-finite entries")
    m = x.mean(axis=0)
    value = float(f(m))
    grad = np.empty(m.size)
    for j in range(m.size):
        # Central difference with a step at the scale of the chains' spread: the function
        # is smooth there, and the step's own error is far below the se it feeds.
        h = 1e-4 * max(float(x[:, j].std()), abs(float(m[j])), 1e-300)
        up, down = m.copy(), m.copy()
        up[j] += h
        down[j] -= h
        grad[j] = (f(up) - f(down)) / (2 * h)
    lin = (x - m) @ grad
    n = x.shape[0]
    return Estimate(value, float(lin.std(ddof=1) / math.sqrt(n)),
                    f"{what} of means over {n} independent chains, delta-method se")
