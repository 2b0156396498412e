"""Witnesses for scaling exponents: ``E[f(Phi)] ~ eta^p`` for small eta, on finite-sum SGD.

The exponent is measured as a local slope on doubling pairs,
``p(eta) = log2(v(2 eta) / v(eta))`` with ``v(eta)`` the stationary mean of the observable.
Two pairs, ``(eta0, 2 eta0)`` and ``(2 eta0, 4 eta0)``, run on independent chains; the
measurement is the slope of the smaller pair, and its distance to the ``eta -> 0`` limit is
bounded by the change between the pairs (for ``p(eta) = p0 + b eta + ...`` the smaller
pair's offset ``~ b eta0`` is below that change ``~ 2 b eta0 - b eta0``):

- Monte Carlo (:class:`MonteCarloExponent`): bound ``|p_A - p_B| + 2 se(p_A - p_B)``, or on
  quadratic problems twice the exact offset of the small pair's slope from the limit;
- exact moments (:class:`ExactExponent`, quadratic problems): the slope at a pair 2^-8
  times smaller, bound ``2 |p(eta) - p(eta/2)|`` there.

Hypotheses give ``p`` in the limit (a number, or one component of a Tuple).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from numerics.finite_sum import run_finite_sum
from numerics.moments import stationary_moments
from numerics.rng import derive_seed

from ..finite_sum import FiniteSumProblem, exact_expectation
from ..model import ExperimentResult, Plot
from .finite_sum_sgd import (BURN_IN_E_FOLDS, FiniteSumBudget, hypothesis_values,
                             plain_measurement as _measure)

__all__ = ["ExponentSpec", "MonteCarloExponent", "ExactExponent", "exponent_witnesses"]


@dataclass(frozen=True)
class ExponentSpec:
    """The exponent ``p`` of ``E[observable] ~ eta^p`` near ``eta = 0`` for one training set."""

    label: str
    problem: FiniteSumProblem
    observable: sp.Expr
    observable_name: str
    eta0: float
    values: Mapping[sp.Symbol, float]
    budgets: Mapping[str, FiniteSumBudget]
    component: int | None = None
    relaxation: Callable[[float], float] | None = None

    def __post_init__(self):
        if not self.eta0 > 0:
            raise ValueError(f"{self.label}: eta0={self.eta0!r} must be > 0")

    @property
    def exact_available(self) -> bool:
        return self.problem.is_quadratic

    def relaxation_steps(self, eta: float) -> float:
        if self.relaxation is not None:
            return float(self.relaxation(eta))
        _, _, rho = stationary_moments(self.problem.quadratic_examples(), eta)
        return 1.0 / -math.log(rho)

    def exact_mean(self, eta: float) -> float:
        m, S, _ = stationary_moments(self.problem.quadratic_examples(), eta)
        return exact_expectation(self.problem.in_delta(self.observable), self.problem.state, m, S)

    def exact_slope(self, eta: float) -> float:
        return math.log2(self.exact_mean(2 * eta) / self.exact_mean(eta))

    def predictions(self, hypotheses) -> dict[str, float]:
        return hypothesis_values(hypotheses, self.values, self.component)

    @property
    def name(self) -> str:
        return f"exponent p of E[{self.observable_name}] ~ eta^p, eta -> 0"


@dataclass(frozen=True)
class MonteCarloExponent:
    spec: ExponentSpec
    name: str = "Monte Carlo exponent"
    kind: str = "monte-carlo"

    def _mean(self, eta, budget, seed):
        spec = self.spec
        relax = spec.relaxation_steps(eta)
        burn = int(math.ceil(BURN_IN_E_FOLDS * relax))
        sample = int(math.ceil(budget.sample_relaxations * relax))
        every = max(1, int(relax / budget.records_per_relaxation))
        run = run_finite_sum(spec.problem.gradient_polynomials(),
                             spec.problem.observable_polynomials([spec.observable]),
                             x0=spec.problem.start(budget.chains),
                             eta=np.full(burn + sample, eta), seed=seed, burn_in=burn, every=every)
        v = run.averages[:, 0]
        return float(v.mean()), float(v.std(ddof=1) / math.sqrt(v.size)), budget.chains * (burn + sample)

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        if budget not in spec.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(spec.budgets)}")
        b = spec.budgets[budget]
        start = time.perf_counter()
        e0 = spec.eta0
        runs = [self._mean(e, b, derive_seed(seed, k))
                for k, e in enumerate((e0, 2 * e0, 2 * e0, 4 * e0))]
        steps = sum(r[2] for r in runs)

        def slope(lo, hi):
            p = math.log2(hi[0] / lo[0])
            se = math.hypot(lo[1] / lo[0], hi[1] / hi[0]) / math.log(2)
            return p, se

        pA, seA = slope(runs[0], runs[1])
        pB, seB = slope(runs[2], runs[3])
        if spec.exact_available:
            # The slope of the exact moments at this pair versus far smaller eta: the
            # discretisation offset itself, known; doubled for safety.
            bias = 2 * abs(spec.exact_slope(e0) - spec.exact_slope(e0 / 2**8))
            note = (f"2 |p_exact({e0:g}, {2 * e0:g}) - p_exact at eta/256| (exact moments); the "
                    f"larger pair gives {pB:.4f} +/- {seB:.2g}")
        else:
            bias = abs(pA - pB) + 2 * math.hypot(seA, seB)
            note = (f"|p({e0:g}, {2 * e0:g}) - p({2 * e0:g}, {4 * e0:g})| + 2 se of that change "
                    f"(= {pB:.4f} +/- {seB:.2g} at the larger pair)")
        preds = spec.predictions(hypotheses)
        m = _measure(spec.name, pA, seA,
                        f"log2 of the ratio of means over {b.chains} independent chains at "
                        f"eta = {e0:g} and {2 * e0:g}, delta method", preds, bias, note)
        setup = {"process": spec.label, "observable": sp.sstr(spec.observable),
                 "chains": b.chains, "sample_relaxations": b.sample_relaxations,
                 "means": [{"eta": e, "mean": r[0], "se": r[1]}
                           for e, r in zip((e0, 2 * e0, 2 * e0, 4 * e0), runs)],
                 "slopes": {"small pair": [pA, seA], "large pair": [pB, seB]}, "seed": seed}
        plot = Plot("series", f"{spec.label}: E[{spec.observable_name}] against eta (log-log)",
                    {"x": [math.log2(e) for e in (e0, 2 * e0, 4 * e0)],
                     "series": {f"log2 E[{spec.observable_name}]": [
                         math.log2(runs[0][0]), math.log2(0.5 * (runs[1][0] + runs[2][0])),
                         math.log2(runs[3][0])]},
                     "xlabel": "log2 eta", "ylabel": f"log2 E[{spec.observable_name}]"})
        return ExperimentResult((m,), setup, (plot,), time.perf_counter() - start, steps)


@dataclass(frozen=True)
class ExactExponent:
    spec: ExponentSpec
    name: str = "exact moments exponent"
    kind: str = "deterministic"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        if not spec.exact_available:
            raise ValueError(f"{spec.label}: exact moments need a quadratic problem")
        start = time.perf_counter()
        e = spec.eta0 / 2**8
        p, p_half = spec.exact_slope(e), spec.exact_slope(e / 2)
        m = _measure(spec.name, p, 0.0, "deterministic (exact stationary moments)",
                        spec.predictions(hypotheses), 2 * abs(p - p_half) + 1e-9,
                        f"2 |p({e:.3g}) - p({e / 2:.3g})| + rounding")
        return ExperimentResult((m,), {"process": spec.label, "eta": e, "slope": p,
                                       "slope_half": p_half}, (), time.perf_counter() - start, 0)


def exponent_witnesses(spec: ExponentSpec) -> tuple:
    out = [MonteCarloExponent(spec, name=f"Monte Carlo: {spec.label}")]
    if spec.exact_available:
        out.append(ExactExponent(spec, name=f"exact moments: {spec.label}"))
    return tuple(out)
