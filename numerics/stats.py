"""Statistics for judging simulations: standard errors, extrapolation, z, budgets, power.

Conventions. An estimate carries a standard error ``se`` (sampling noise) and a
``bias_bound`` (a stated bound on systematic error, e.g. the O(eta^2) remainder of an
extrapolation). A hypothesis predicting ``mu`` is *accepted* when
``|estimate - mu| <= z_crit * se + bias_bound`` and *rejected* otherwise, with ``z_crit``
set by a suite-wide false-alarm budget (Bonferroni over every statistical assertion).
A test *has the power* to reject a wrong prediction ``mu'`` when the right one is ``mu`` if
``|mu - mu'| >= (z_crit + z_power) * se + 2 * bias_bound``: then the estimate, within
``z_power * se + bias_bound`` of ``mu`` with probability ``1 - beta``, lies outside
``mu'``'s acceptance band.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

__all__ = [
    "FalseAlarmBudget",
    "Estimate",
    "mean_over_chains",
    "effective_sample_size",
    "mean_with_ess",
    "LineFit",
    "weighted_polyfit",
    "extrapolate_to_zero",
    "z_score",
    "within_tolerance",
    "resolving_power",
    "budget_factor_needed",
    "chi2_sf",
]

_STD_NORMAL = NormalDist()


@dataclass(frozen=True)
class FalseAlarmBudget:
    """Split a suite-wide false-alarm probability over at most ``max_assertions`` tests.

    With ``total = 1e-3`` and ``max_assertions = 2000`` each two-sided test runs at
    ``alpha = 5e-7``, i.e. ``z_crit = 5.03``: a run of the whole catalogue wrongly rejects
    a true statement with probability below 1e-3. ``power = 0.999`` adds ``z_power = 3.09``
    to the margin a wrong alternative must clear to count as resolvable.
    """

    total: float = 1e-3
    max_assertions: int = 2000
    power: float = 0.999

    def __post_init__(self):
        if not 0 < self.total < 1:
            raise ValueError(f"total={self.total!r} must be in (0, 1)")
        if not (isinstance(self.max_assertions, int) and self.max_assertions >= 1):
            raise ValueError(f"max_assertions={self.max_assertions!r} must be an integer >= 1")
        if not 0.5 <= self.power < 1:
            raise ValueError(f"power={self.power!r} must be in [0.5, 1)")

    @property
    def alpha(self) -> float:
        """False-alarm probability of one two-sided test."""
        return self.total / self.max_assertions

    @property
    def z_crit(self) -> float:
        return _STD_NORMAL.inv_cdf(1 - self.alpha / 2)

    @property
    def z_power(self) -> float:
        return _STD_NORMAL.inv_cdf(self.power)


@dataclass(frozen=True)
class Estimate:
    """A number with its standard error and how that error was obtained."""

    value: float
    se: float
    method: str
    bias_bound: float = 0.0
    bias_note: str = ""


def mean_over_chains(per_chain: np.ndarray) -> Estimate:
    """Mean of independent per-chain values, ``se = sd / sqrt(n)`` (chains are iid).

    Each chain's value is itself a time average; whatever the autocorrelation inside a
    chain, independent chains give independent replicates, so this ``se`` is honest.
    """
    v = np.asarray(per_chain, dtype=float)
    if v.ndim != 1 or v.size < 2:
        raise ValueError(f"per_chain has shape {v.shape}; need a 1-D array of >= 2 chains")
    n = v.size
    return Estimate(float(v.mean()), float(v.std(ddof=1) / math.sqrt(n)),
                    f"sd over {n} independent chains / sqrt({n})")


def effective_sample_size(series: np.ndarray) -> float:
    """ESS of one correlated series by Geyer's initial positive sequence estimator.

    ``ESS = n / tau`` with ``tau = -1 + 2 sum_k Gamma_k`` where ``Gamma_k`` are sums of
    adjacent autocorrelation pairs, truncated at the first non-positive one
    (C. J. Geyer, Statist. Sci. 7 (1992) 473).
    """
    x = np.asarray(series, dtype=float)
    n = x.size
    if n < 4:
        raise ValueError(f"series has {n} points; need >= 4")
    x = x - x.mean()
    var = float(np.dot(x, x) / n)
    if var == 0.0:
        return float(n)
    size = 1 << (2 * n - 1).bit_length()
    spec = np.fft.rfft(x, size)
    acov = np.fft.irfft(spec * np.conj(spec), size)[:n] / n
    rho = acov / var
    tau = -1.0
    for k in range(0, n - 1, 2):
        pair = rho[k] + rho[k + 1]
        if pair <= 0:
            break
        tau += 2 * pair
    return float(n / max(tau, 1e-12))


def mean_with_ess(series: np.ndarray) -> Estimate:
    """Mean of one correlated series with ``se = sd / sqrt(ESS)``."""
    x = np.asarray(series, dtype=float)
    ess = effective_sample_size(x)
    return Estimate(float(x.mean()), float(x.std(ddof=1) / math.sqrt(ess)),
                    f"sd / sqrt(ESS), ESS = {ess:.0f} of {x.size} (Geyer initial positive sequence)")


@dataclass(frozen=True)
class LineFit:
    """Weighted least squares fit ``y = sum_k coef[k] h^k``; ``cov`` from the given se."""

    coef: np.ndarray
    cov: np.ndarray
    chi2: float
    dof: int


def weighted_polyfit(h, y, se, degree: int) -> LineFit:
    """Weighted least squares polynomial fit with weights ``1 / se^2``."""
    h, y, se = (np.asarray(a, dtype=float) for a in (h, y, se))
    if not (h.shape == y.shape == se.shape and h.ndim == 1):
        raise ValueError("h, y and se must be 1-D arrays of equal length")
    if h.size < degree + 1:
        raise ValueError(f"{h.size} points cannot fit a degree-{degree} polynomial")
    if np.any(se <= 0):
        raise ValueError("every se must be > 0")
    X = np.vander(h, degree + 1, increasing=True)
    W = 1.0 / se**2
    A = X.T @ (W[:, None] * X)
    cov = np.linalg.inv(A)
    coef = cov @ (X.T @ (W * y))
    resid = (y - X @ coef) / se
    return LineFit(coef=coef, cov=cov, chi2=float(resid @ resid), dof=int(h.size - degree - 1))


def chi2_sf(x: float, dof: int) -> float:
    """Survival function of the chi-square distribution (regularised upper gamma)."""
    if dof <= 0:
        return 1.0
    import mpmath

    return float(mpmath.gammainc(dof / 2.0, x / 2.0, regularized=True))


def extrapolate_to_zero(h, y, se, curvature: float | None = None,
                        curvature_note: str = "") -> Estimate:
    """Estimate ``y(0)`` from measurements on a ladder ``h`` (e.g. of step sizes).

    A straight line is fitted by WLS and its intercept reported. Its systematic error is
    the curvature it ignores: for ``y = a + b h + c h^2`` the intercept is biased by
    ``c * kappa`` with ``kappa = e0' (X'WX)^-1 X'W h^2``, known from the design.

    ``curvature``: a value of ``c`` known independently (e.g. from a deterministic model of
    the same chain); the bound is then ``2 |c kappa|`` (the factor 2 covers the error of
    that value and the neglected cubic term). Without it, ``c`` is estimated by a
    quadratic WLS fit on the same points and the bound is ``(|c| + 2 se(c)) |kappa|``,
    which needs three or more rungs and is wide when the data are noisy.
    """
    h, y, se = (np.asarray(a, dtype=float) for a in (h, y, se))
    if h.size < 2 or (curvature is None and h.size < 3):
        raise ValueError(f"a ladder of {h.size} rungs cannot bound its curvature; need >= 3 "
                         "(or >= 2 with a known curvature)")
    line = weighted_polyfit(h, y, se, 1)
    X = np.vander(h, 2, increasing=True)
    W = 1.0 / se**2
    kappa = float((line.cov @ (X.T @ (W * h**2)))[0])
    fit = f"line chi2 = {line.chi2:.2f} on {line.dof} dof"
    if curvature is not None:
        bias = 2 * abs(curvature * kappa)
        note = f"O(h^2) remainder: 2|c kappa| with c = {curvature:.3g} ({curvature_note}), kappa = {kappa:.3g}; {fit}"
    else:
        quad = weighted_polyfit(h, y, se, 2)
        c_hat, c_se = float(quad.coef[2]), math.sqrt(float(quad.cov[2, 2]))
        bias = (abs(c_hat) + 2 * c_se) * abs(kappa)
        note = (f"O(h^2) remainder: (|c|+2se(c))|kappa| with c = {c_hat:.3g} +/- {c_se:.2g} "
                f"from a quadratic fit, kappa = {kappa:.3g}; {fit}")
    return Estimate(
        float(line.coef[0]),
        math.sqrt(float(line.cov[0, 0])),
        f"WLS line through {h.size} rungs h = {', '.join(f'{v:g}' for v in h)}, intercept at h = 0",
        bias_bound=bias, bias_note=note)


def z_score(estimate: float, prediction: float, se: float) -> float:
    """``(estimate - prediction) / se``; infinite when ``se == 0`` and they differ."""
    diff = estimate - prediction
    if se > 0:
        return diff / se
    return 0.0 if diff == 0 else math.copysign(math.inf, diff)


def within_tolerance(estimate: float, prediction: float, se: float, bias_bound: float,
                     z_crit: float) -> bool:
    """Accept ``prediction`` when ``|estimate - prediction| <= z_crit se + bias_bound``."""
    return abs(estimate - prediction) <= z_crit * se + bias_bound


def resolving_power(right: float, wrong: float, se: float, bias_bound: float) -> float:
    """Separation of two predictions in standard errors, after the bias is paid twice.

    Compare with ``z_crit + z_power``: at or above it, a test whose truth is ``right``
    rejects ``wrong`` with probability at least the budget's ``power``.
    """
    usable = abs(right - wrong) - 2 * bias_bound
    if se <= 0:
        return math.inf if usable > 0 else 0.0
    return usable / se


def budget_factor_needed(right: float, wrong: float, se: float, bias_bound: float,
                         z_needed: float) -> float:
    """Factor by which the sample size must grow to reach ``z_needed`` separation.

    ``se`` falls like ``1/sqrt(n)``; infinite when the bias alone eats the separation (the
    step size, not the sample, must then shrink).
    """
    usable = abs(right - wrong) - 2 * bias_bound
    if usable <= 0:
        return math.inf
    return max(1.0, (z_needed * se / usable) ** 2)
