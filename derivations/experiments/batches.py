"""Batches drawn from a population of scalars y, for deck 003's "A One Dimensional Example".

Two populations: a continuous one, ``y ~ N(mu, 1)``, and a discrete one, ``y = +-1`` with
probability 1/2 each (a finite training set is a discrete population). Each chain draws one
batch of ``B`` values from its own stream (:mod:`numerics.rng`), so estimates are
reproducible at any thread count and their standard errors are over independent chains.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from numerics.rng import normals, uniforms
from numerics.stats import mean_over_chains

from ..model import ExperimentResult
from .finite_sum_sgd import hypothesis_values, plain_measurement

__all__ = ["POPULATIONS", "BatchSpec", "MonteCarloBatch", "draw_batches"]

#: name -> (mean, sampler(seed, chains, B) -> array (chains, B))
POPULATIONS: dict[str, tuple[float, Callable]] = {
    "normal(0.5, 1)": (0.5, lambda seed, c, B: 0.5 + normals(seed, c, B)),
    "+-1": (0.0, lambda seed, c, B: np.where(uniforms(seed, c, B) < 0.5, -1.0, 1.0)),
}


def draw_batches(population: str, seed: int, chains: int, batch: int) -> np.ndarray:
    if population not in POPULATIONS:
        raise ValueError(f"population={population!r} must be one of {sorted(POPULATIONS)}")
    return POPULATIONS[population][1](seed, chains, batch)


@dataclass(frozen=True)
class BatchSpec:
    """A per-chain statistic of one batch, ``statistic(batch_array, population_mean) -> (chains,)``."""

    label: str
    population: str
    batch: int
    statistic: Callable[[np.ndarray, float], np.ndarray]
    observable: str
    values: Mapping[sp.Symbol, float]
    chains: Mapping[str, int]


@dataclass(frozen=True)
class MonteCarloBatch:
    spec: BatchSpec
    name: str = "Monte Carlo batches"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        n = spec.chains[budget]
        mean = POPULATIONS[spec.population][0]
        ys = draw_batches(spec.population, seed, n, spec.batch)
        est = mean_over_chains(spec.statistic(ys, mean))
        m = plain_measurement(spec.observable, est.value, est.se, est.method,
                              hypothesis_values(hypotheses, spec.values), 0.0,
                              "none: exact sampling of the population")
        setup = {"population": spec.population, "batch": spec.batch, "chains": n, "seed": seed}
        return ExperimentResult((m,), setup, (), time.perf_counter() - start, n * spec.batch)
