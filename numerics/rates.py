"""Rates of limits measured on a ladder: power-law exponents with standard errors and bias bounds.

A slide that says "as eta -> 0, X -> 0" implies a rate, ``X ~ C eta^b``; the rate is what
separates a right argument from a wrong one (a spread falling like ``eta^(1/2)`` or like
``eta``, say). The rate is measured as the slope of ``log X`` against ``log h`` over a
ladder of ``h``:

- :func:`jackknife`: a statistic of independent replicates (an sd, a kurtosis, an
  interquartile range, a mean) and its delete-a-group jackknife standard error
  (B. Efron, C. Stein, Ann. Statist. 9 (1981) 586), which needs no formula per statistic;
- :func:`power_law_exponent`: the WLS slope of ``log X`` on ``log h`` with its standard
  error, and a bound on the slope's bias from the next order, ``X = C h^b (1 + d h + ...)``:
  the straight line absorbs ``d h`` into its slope by ``d * kappa`` with ``kappa`` known
  from the design; ``d`` is either given (from a deterministic model of the same process)
  or estimated by fitting the extra term on the same points.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .stats import Estimate, weighted_polyfit

__all__ = ["jackknife", "jackknife_means", "power_law_exponent", "excess_kurtosis",
           "interquartile_range"]


def jackknife(samples: np.ndarray, statistic: Callable[[np.ndarray], float], groups: int = 32) -> Estimate:
    """``statistic(samples)`` with the delete-a-group jackknife standard error.

    ``samples`` has independent replicates along axis 0 (rows may be vectors); they are
    split into ``groups`` contiguous groups of equal size (the remainder is dropped from
    the groups but kept in the full-sample value).
    """
    x = np.asarray(samples)
    n = x.shape[0]
    if not (isinstance(groups, int) and 2 <= groups <= n):
        raise ValueError(f"groups={groups!r} must be an integer in [2, n={n}]")
    size = n // groups
    full = float(statistic(x))
    keep = np.ones(n, dtype=bool)
    leave = np.empty(groups)
    for g in range(groups):
        keep[:] = True
        keep[g * size:(g + 1) * size] = False
        leave[g] = statistic(x[keep])
    se = math.sqrt((groups - 1) / groups * float(np.sum((leave - leave.mean()) ** 2)))
    return Estimate(full, se, f"delete-a-group jackknife over {groups} groups of {size} replicates")


def jackknife_means(features: np.ndarray, of_means: Callable[[np.ndarray], float],
                    groups: int = 128) -> Estimate:
    """``of_means(column means of features)`` with its delete-a-group jackknife error.

    The fast path of :func:`jackknife` for statistics that are smooth functions of sample
    means (a variance, a kurtosis, a correlation, a ratio of means): each group's column
    sums are computed once and the leave-one-group-out means by subtraction, so many groups
    (many degrees of freedom for the error) cost almost nothing.
    """
    f = np.asarray(features, dtype=float)
    if f.ndim == 1:
        f = f[:, None]
    n = f.shape[0]
    if not (isinstance(groups, int) and 2 <= groups <= n):
        raise ValueError(f"groups={groups!r} must be an integer in [2, n={n}]")
    size = n // groups
    sums = f[: groups * size].reshape(groups, size, f.shape[1]).sum(axis=1)
    total = f.sum(axis=0)
    full = float(of_means(total / n))
    leave = np.array([of_means((total - sums[g]) / (n - size)) for g in range(groups)])
    se = math.sqrt((groups - 1) / groups * float(np.sum((leave - leave.mean()) ** 2)))
    return Estimate(full, se, f"delete-a-group jackknife over {groups} groups of {size} replicates")


def excess_kurtosis(x: np.ndarray) -> float:
    """``E[(x - m)^4] / Var^2 - 3`` of a sample (plain moment estimator)."""
    d = np.asarray(x, dtype=float) - np.mean(x)
    d2 = d * d
    v = d2.mean()
    return float((d2 * d2).mean() / (v * v) - 3.0)


def interquartile_range(x: np.ndarray) -> float:
    q1, q3 = np.quantile(np.asarray(x, dtype=float), [0.25, 0.75])
    return float(q3 - q1)


def power_law_exponent(h, y, se_log, correction: float | None = None,
                       correction_note: str = "", correction_power: float = 1.0) -> Estimate:
    """Exponent ``b`` of ``y ~ C h^b`` from a ladder, with standard error and bias bound.

    ``y`` are positive values at the rungs ``h``, ``se_log`` the standard errors of
    ``log y`` (independent between rungs). The slope of the WLS line ``log y = c + b log h``
    is reported. Its bias from the next order ``log y = c + b log h + d h`` is ``d kappa``,
    ``kappa`` the line's slope fitted to ``h`` itself (design-known). ``correction``: ``d``
    known independently; the bound is then ``2 |d kappa|`` (the 2 covers the neglected
    ``h^2`` order and the error of ``d``). Otherwise ``d`` is fitted on the same points
    (needs >= 4 rungs) and the bound is ``2 (|d| + 2 se(d)) |kappa|``: the fitted ``d`` absorbs
    part of the order after (``log(1 + d h) = d h - d^2 h^2 / 2 + ...``), so it can fall
    short of the true one by that much; the factor 2, as for a known ``d``, covers it (the
    tests hold the bound to ladders with a 10 % next order at the coarsest rung).
    """
    h, y, se_log = (np.asarray(a, dtype=float) for a in (h, y, se_log))
    if not (h.shape == y.shape == se_log.shape and h.ndim == 1):
        raise ValueError("h, y and se_log must be 1-D arrays of equal length")
    if np.any(h <= 0) or np.any(y <= 0):
        raise ValueError(f"h={h.tolist()} and y={y.tolist()} must be > 0 (a power law on a log scale)")
    if h.size < 3 or (correction is None and h.size < 4):
        raise ValueError(f"a ladder of {h.size} rungs cannot bound the next order; need >= 4 "
                         "(or >= 3 with a known correction)")
    lh, ly = np.log(h), np.log(y)
    # Centre log h so the intercept and slope are nearly uncorrelated (numerics only).
    u = lh - lh.mean()
    line = weighted_polyfit(u, ly, se_log, 1)
    X = np.vander(u, 2, increasing=True)
    W = 1.0 / se_log**2
    if not correction_power > 0:
        raise ValueError(f"correction_power={correction_power!r} must be > 0")
    hq = h**correction_power
    kappa = float((line.cov @ (X.T @ (W * hq)))[1])
    fit = f"line chi2 = {line.chi2:.2f} on {line.dof} dof"
    if correction is not None:
        bias = 2 * abs(correction * kappa)
        note = (f"next order d h^{correction_power:g}: 2|d kappa| with d = {correction:.3g} ({correction_note}), "
                f"kappa = {kappa:.3g}; {fit}")
    else:
        A = np.column_stack([np.ones_like(u), u, hq])
        cov = np.linalg.inv(A.T @ (W[:, None] * A))
        coef = cov @ (A.T @ (W * ly))
        d, d_se = float(coef[2]), math.sqrt(float(cov[2, 2]))
        bias = 2 * (abs(d) + 2 * d_se) * abs(kappa)
        note = (f"next order d h^{correction_power:g}: 2 (|d| + 2 se(d)) |kappa| with d = {d:.3g} +/- {d_se:.2g} fitted on "
                f"the same rungs, kappa = {kappa:.3g}; {fit}")
    return Estimate(float(line.coef[1]), math.sqrt(float(line.cov[1, 1])),
                    f"WLS slope of log y on log h over {h.size} rungs "
                    f"h = {', '.join(f'{v:g}' for v in h)}",
                    bias_bound=bias, bias_note=note)
