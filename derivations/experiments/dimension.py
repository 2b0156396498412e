"""The correlation dimension of a stationary law: does it have a density?

For a law mu on the line let ``C(eps) = P(|X - X'| <= eps)`` with ``X, X'`` independent
draws. If mu has a bounded density p, ``C(eps) = 2 eps int p^2 (1 + O(eps^2))``, so
``D_2(eps) = log_4 (C(eps) / C(eps/4))`` tends to 1; a singular self-similar law with two
pieces of weight 1/2 scaled by lambda = 1/4 has ``C(eps/4) = C(eps)/2`` exactly below its
gap, ``D_2 = 1/2`` (P. Grassberger, I. Procaccia, Physica D 9 (1983) 189; K. Falconer,
*Fractal Geometry*, 3rd ed., ch. 17).

The witness draws one stationary sample per independent chain (each chain's final state,
after a burn-in of 16 relaxation times), splits the chains into groups, computes the
U-statistic ``C`` within each group by sorting, and reports the mean of the groups'
``D_2`` with the standard error across groups (independent chains). The finite-eps bias
is bounded by the change of ``D_2`` between eps and 2 eps plus twice its noise.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from numerics.stats import mean_over_chains

from ..model import ExperimentResult
from .finite_sum_sgd import hypothesis_values, plain_measurement

__all__ = ["pairs_within", "DimensionSpec", "MonteCarloDimension"]


def pairs_within(x: np.ndarray, eps: float) -> int:
    """Number of unordered pairs ``i < j`` with ``|x_i - x_j| <= eps`` (sorting, O(n log n))."""
    s = np.sort(np.asarray(x, dtype=float))
    upper = np.searchsorted(s, s + eps, side="right")
    return int(np.sum(upper - np.arange(1, s.size + 1)))


def _d2(x: np.ndarray, eps: float) -> float:
    big, small = pairs_within(x, eps), pairs_within(x, eps / 4)
    if small == 0:
        return math.nan
    return math.log(big / small) / math.log(4)


@dataclass(frozen=True)
class DimensionSpec:
    """``sampler(seed, chains) -> (chains,)`` stationary draws, one per independent chain;
    ``steps_per_chain`` is what one draw costs (for the record)."""

    label: str
    sampler: Callable[[int, int], np.ndarray]
    steps_per_chain: int
    eps: float
    groups: int
    values: Mapping[sp.Symbol, float]
    chains: Mapping[str, int]


@dataclass(frozen=True)
class MonteCarloDimension:
    spec: DimensionSpec
    name: str = "Monte Carlo correlation dimension"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        n = spec.chains[budget]
        x = spec.sampler(seed, n)
        groups = np.array_split(x, spec.groups)
        small = mean_over_chains(np.array([_d2(g, spec.eps) for g in groups]))
        large = mean_over_chains(np.array([_d2(g, 2 * spec.eps) for g in groups]))
        bias = abs(small.value - large.value) + 2 * math.hypot(small.se, large.se)
        m = plain_measurement(
            f"correlation dimension log_4 C(eps)/C(eps/4), eps = {spec.eps:g}", small.value,
            small.se, f"{small.method} (groups of independent chains)",
            hypothesis_values(hypotheses, spec.values), bias,
            f"|D_2(eps) - D_2(2 eps)| + 2 se (D_2(2 eps) = {large.value:.4f} +/- {large.se:.2g})")
        setup = {"process": spec.label, "chains": n, "groups": spec.groups, "eps": spec.eps,
                 "seed": seed, "d2_at_2eps": [large.value, large.se]}
        return ExperimentResult((m,), setup, (), time.perf_counter() - start,
                                n * spec.steps_per_chain)
