"""The mean of N sampled per-example gradients at a fixed Phi, against the full gradient.

Deck 003's physicist's proof: "An arbitrarily large sample will become arbitrarily accurate
as an estimate of the full gradient." At a fixed parameter value the mean of ``N`` indices
drawn uniformly with replacement estimates ``E_i g_i``; its mean squared error is measured
on a ladder in ``1/N`` and extrapolated to ``N -> oo``. Each chain draws its own ``N``
uniforms from its stream (:func:`numerics.rng.uniforms`), so the result does not depend on
how the chains are split.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.rng import derive_seed, uniforms
from numerics.stats import extrapolate_to_zero, mean_over_chains

from ..finite_sum import FiniteSumProblem
from ..model import ExperimentResult, Plot
from .finite_sum_sgd import hypothesis_values, plain_measurement as _measure

__all__ = ["SampleMeanSpec", "MonteCarloSampleMean"]


@dataclass(frozen=True)
class SampleMeanSpec:
    label: str
    problem: FiniteSumProblem
    sizes: tuple[int, ...]
    values: Mapping[sp.Symbol, float]
    chains: Mapping[str, int]


@dataclass(frozen=True)
class MonteCarloSampleMean:
    """``E||(1/N) sum_k g_(i_k) - E_i g_i||^2`` at ``Phi*`` on a ladder of ``N``, extrapolated in ``1/N``.

    The mean squared error of an average of ``N`` independent draws is exactly linear in
    ``1/N`` (no curvature), so the extrapolation carries no bias term.
    """

    spec: SampleMeanSpec
    name: str = "Monte Carlo sample means"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        n_chains = spec.chains[budget]
        p = spec.problem
        g = p.quadratic_examples().g  # g_i at Phi*
        full = g.mean(axis=0)
        ests = []
        for k, N in enumerate(spec.sizes):
            idx = (uniforms(derive_seed(seed, k), n_chains, N) * p.n).astype(np.int64)
            err = g[idx].mean(axis=1) - full
            ests.append(mean_over_chains((err**2).sum(axis=1)))
        h = 1.0 / np.array(spec.sizes, dtype=float)
        y = np.array([e.value for e in ests])
        se = np.array([e.se for e in ests])
        ext = extrapolate_to_zero(h, y, se, curvature=0.0,
                                  curvature_note="the MSE of a mean of N iid draws is linear in 1/N")
        m = _measure("E||mean of N sampled gradients - full gradient||^2, N -> oo", ext.value,
                        ext.se, f"{ests[0].method} per N; {ext.method}",
                        hypothesis_values(hypotheses, spec.values), ext.bias_bound, ext.bias_note)
        plot = Plot("ladder", f"{spec.label}: mean squared error against 1/N",
                    {"ladder": "1/N", "series": [{"observable": "MSE", "h": h.tolist(),
                                                  "y": y.tolist(), "se": se.tolist(),
                                                  "extrapolated": [ext.value, ext.se]}],
                     "predictions": {}})
        setup = {"process": spec.label, "sizes": list(spec.sizes), "chains": n_chains, "seed": seed,
                 "mse": [[float(a), float(b)] for a, b in zip(y, se)]}
        return ExperimentResult((m,), setup, (plot,), time.perf_counter() - start,
                                n_chains * sum(spec.sizes))
