"""Stationary moments of Euler-Maruyama on a quadratic loss: a light witness with exact targets.

On ``L(Phi) = (h/2)(Phi - m)^2 + c`` the Langevin SDE's Euler step
``Phi' = Phi - h (Phi - m) dt + sigma sqrt(dt) xi`` is an AR(1) chain with coefficient
``a = 1 - h dt``; its stationary law is exactly Gaussian with mean ``m`` and variance
``v(dt) = sigma^2 dt / (1 - a^2) = sigma^2 / (h (2 - h dt))`` at every ``dt``, so the
continuous-time law (``dt -> 0``) and the discretisation's curvature in ``dt`` are both
known in closed form. That replaces the transfer operator of
:mod:`derivations.experiments.stationary_1d` (whose spectrum is the costly part) for
quadratic losses:

- :class:`QuadraticLangevinMC`: independent chains (:func:`numerics.chains_1d.run_chains_1d`)
  burnt in for 16 relaxation times ``1 / -log|a|`` steps, time-averaged ``E Phi^2`` and
  ``E Phi^4`` with standard errors over chains, extrapolated to ``dt = 0`` with the exact
  curvature as the bias bound;
- :class:`QuadraticLangevinExact`: the same quantities from the closed form (deterministic).

Hypotheses (densities in ``Phi``) are integrated by quadrature after the claim's symbols
are made concrete.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.chains_1d import run_chains_1d
from numerics.quadrature import DensityNotNormalisable, expectations_1d
from numerics.rng import derive_seed
from numerics.stats import extrapolate_to_zero, mean_over_chains

from ..codegen import concrete, np_callable, polynomial_coefficients
from ..model import ExperimentResult, Measurement

__all__ = ["QuadraticLangevin", "QuadraticLangevinMC", "QuadraticLangevinExact"]

BURN_IN_E_FOLDS = 16


@dataclass(frozen=True)
class QuadraticLangevin:
    """The setting: a quadratic loss (Lambda), sigma^2, the dt ladder, concrete symbol values."""

    state: sp.Symbol
    loss_symbol: sp.FunctionClass
    loss: sp.Lambda
    sigma_squared: float
    rungs: tuple[float, ...]
    values: Mapping[sp.Symbol, object]  # e.g. {n: 2, Z: 1} for the hypotheses
    budgets: Mapping[str, tuple[int, float]]  # budget -> (chains, relaxation times sampled per chain)

    @property
    def curvature_and_minimum(self) -> tuple[float, float]:
        c = polynomial_coefficients(self.loss(self.state), self.state, "loss")
        if c.size != 3 or c[2] <= 0:
            raise ValueError(f"loss {self.loss} must be quadratic with positive curvature")
        h = 2 * c[2]
        return h, -c[1] / h

    def exact(self, dt: float) -> tuple[float, float]:
        """Exact stationary ``(E Phi^2, E Phi^4)`` of the chain at step ``dt``."""
        h, m = self.curvature_and_minimum
        v = self.sigma_squared / (h * (2 - h * dt))
        return m * m + v, m**4 + 6 * m * m * v + 3 * v * v

    def predictions(self, hypotheses) -> dict[str, list[float]]:
        out = {}
        f2, f4 = (np_callable(self.state**k, self.state) for k in (2, 4))
        for label, expr in hypotheses.items():
            e = concrete(expr, self.values, {self.loss_symbol: self.loss})
            log_density = sp.expand_log(sp.log(e), force=True)
            try:
                out[label] = expectations_1d(np_callable(log_density, self.state), [f2, f4])
            except DensityNotNormalisable:
                out[label] = [math.nan, math.nan]
        return out

    def curvature(self) -> np.ndarray:
        """The exact quadratic coefficient in dt of each moment along the ladder."""
        h = np.array(self.rungs)
        y = np.array([self.exact(v) for v in h])
        return np.polyfit(h, y, 2)[0]


NAMES = ("E[Phi^2] as dt -> 0", "E[Phi^4] as dt -> 0")


@dataclass(frozen=True)
class QuadraticLangevinMC:
    setting: QuadraticLangevin
    name: str = "Monte Carlo: Euler-Maruyama chains on a quadratic loss"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        s = self.setting
        chains, relaxations = s.budgets[budget]
        start = time.perf_counter()
        h, m = s.curvature_and_minimum
        f = polynomial_coefficients(sp.diff(s.loss(s.state), s.state), s.state, "gradient")
        per_rung, steps_total = [], 0
        for k, dt in enumerate(s.rungs):
            rate = -math.log(abs(1 - h * dt))  # per step
            burn, sample = math.ceil(BURN_IN_E_FOLDS / rate), math.ceil(relaxations / rate)
            sd = math.sqrt(s.sigma_squared / (2 * h))
            run = run_chains_1d(f, [math.sqrt(s.sigma_squared)], a=dt, b=math.sqrt(dt),
                                x0=np.linspace(m - 3 * sd, m + 3 * sd, chains), n_steps=burn + sample,
                                burn_in=burn, seed=derive_seed(seed, k), n_moments=4,
                                hist_range=(m - 8 * sd, m + 8 * sd))
            steps_total += run.chain_steps
            per_rung.append([mean_over_chains(run.moments[:, 1]), mean_over_chains(run.moments[:, 3])])
        preds = s.predictions(hypotheses)
        curv = s.curvature()
        out = []
        for j, name in enumerate(NAMES):
            y = np.array([r[j].value for r in per_rung])
            se = np.array([r[j].se for r in per_rung])
            ext = extrapolate_to_zero(np.array(s.rungs), y, se, curvature=float(curv[j]),
                                      curvature_note="exact AR(1) stationary law")
            out.append(Measurement(name, ext.value, ext.se, f"{per_rung[0][j].method} at each rung; {ext.method}",
                                   {lab: p[j] for lab, p in preds.items()}, ext.bias_bound, ext.bias_note))
        setup = {"loss": sp.sstr(s.loss), "sigma^2": s.sigma_squared, "dt": list(s.rungs), "chains": chains,
                 "relaxation times sampled": relaxations,
                 "burn-in": f"{BURN_IN_E_FOLDS} relaxation times 1/-log|1 - h dt| (exact for AR(1))",
                 "per rung": [[r[0].value, r[0].se, r[1].value, r[1].se] for r in per_rung]}
        return ExperimentResult(tuple(out), setup, (), time.perf_counter() - start, steps_total)


@dataclass(frozen=True)
class QuadraticLangevinExact:
    setting: QuadraticLangevin
    name: str = "exact AR(1) stationary law of the Euler-Maruyama chain"
    kind: str = "deterministic"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        s = self.setting
        start = time.perf_counter()
        h, _ = s.curvature_and_minimum
        limit = s.exact(0.0)  # the closed form at dt = 0 (continuous time)
        preds = s.predictions(hypotheses)
        out = tuple(Measurement(name, float(limit[j]), 0.0, "deterministic (closed form, v = sigma^2/(h(2 - h dt)) at dt = 0)",
                                {lab: p[j] for lab, p in preds.items()}, 1e-9 * max(1.0, abs(limit[j])),
                                "rounding and the hypotheses' quadrature (~1e-12)")
                    for j, name in enumerate(NAMES))
        return ExperimentResult(out, {"curvature h": h, "sigma^2": s.sigma_squared}, (),
                                time.perf_counter() - start, 0)
