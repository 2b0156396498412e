"""Witnesses for coarse-grained steps: the law of N updates of a 2-D chain from a fixed point.

The decks pass from SGD to an SDE by grouping N = Delta t / eta updates: their sum should have
mean ``-D g Delta t`` and covariance ``eta Delta t D Sigma D^T`` to first order in Delta t.
An :class:`IncrementSpec` declares the update (sympy, linear in the draws), a start ``Phi_0``,
the number of steps ``N`` and a ladder of ``Delta t`` (each rung sets ``eta = Delta t / N``).
The statistics are ``E[Phi_N - Phi_0] / Delta t`` (two entries) and
``Cov[Phi_N] / (eta Delta t)`` (three entries); hypotheses are 5-vectors of sympy expressions.

:class:`MonteCarloIncrement` runs independent replicas of the N steps (the chain kernel with
``burn_in = N - 1``, so its "time average" is the final state) and takes the delta method over
replicas; :class:`ExactIncrement` uses the linear chain's exact N-step mean and covariance
(quadratic loss, constant noise). Both extrapolate to ``Delta t -> 0`` (the statement is first
order in Delta t); the Monte Carlo's bound uses the exact curvature.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.chains_nd import run_chains_nd
from numerics.estimators import delta_method
from numerics.linear_gaussian import LinearChain
from numerics.rng import derive_seed
from numerics.stats import extrapolate_to_zero

from ..codegen import concrete
from ..codegen_nd import poly_system, update_systems
from ..model import ExperimentResult, Measurement, Plot

__all__ = ["IncrementSpec", "MonteCarloIncrement", "ExactIncrement", "increment_witnesses",
           "STATISTICS"]

STATISTICS = ("E[dx]/dt", "E[dy]/dt", "Cov_xx/(eta dt)", "Cov_xy/(eta dt)", "Cov_yy/(eta dt)")


@dataclass(frozen=True)
class IncrementSpec:
    label: str
    update: sp.Matrix
    state: tuple[sp.Symbol, sp.Symbol]
    draws: tuple[sp.Symbol, ...]
    functions: Mapping
    start: tuple[float, float]
    n_steps: int
    rungs: tuple[Mapping[sp.Symbol, float], ...]  # each with the ladder symbol and eta
    ladder: sp.Symbol
    eta: sp.Symbol
    budgets: Mapping[str, int]  # replicas
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if len(self.rungs) < 3:
            raise ValueError(f"{self.label}: a ladder needs >= 3 rungs")
        for r in self.rungs:
            if abs(float(r[self.eta]) * self.n_steps - float(r[self.ladder])) > 1e-12:
                raise ValueError(f"{self.label}: each rung needs {self.ladder} = N {self.eta}")

    @property
    def h(self) -> np.ndarray:
        return np.array([float(r[self.ladder]) for r in self.rungs])

    def values(self, k):
        return {s: sp.Float(v, 30) for s, v in self.rungs[k].items()}

    def systems(self, k):
        upd = sp.Matrix(self.update).applyfunc(lambda e: concrete(e, self.values(k), self.functions))
        return update_systems(upd, self.state, self.draws)

    def scales(self, k) -> tuple[float, float]:
        dt = float(self.rungs[k][self.ladder])
        return dt, float(self.rungs[k][self.eta]) * dt

    def statistic(self, k):
        """``f(E[x], E[y], E[x^2], E[xy], E[y^2]) -> 5 statistics`` at rung ``k``."""
        dt, edt = self.scales(k)
        x0, y0 = self.start

        def f(m):
            return np.array([(m[0] - x0) / dt, (m[1] - y0) / dt, (m[2] - m[0] ** 2) / edt,
                             (m[3] - m[0] * m[1]) / edt, (m[4] - m[1] ** 2) / edt])
        return f

    def exact(self) -> np.ndarray:
        if "exact" not in self._cache:
            out = []
            for k in range(len(self.rungs)):
                lc = LinearChain.from_polynomials(*self.systems(k), 1.0)
                M, Q = lc.M, lc.S @ lc.S.T
                mean = np.array(self.start, dtype=float)
                cov = np.zeros((2, 2))
                for _ in range(self.n_steps):
                    mean = M @ mean - lc.f0
                    cov = M @ cov @ M.T + Q
                m = [mean[0], mean[1], cov[0, 0] + mean[0] ** 2, cov[0, 1] + mean[0] * mean[1],
                     cov[1, 1] + mean[1] ** 2]
                out.append(self.statistic(k)(np.array(m)))
            self._cache["exact"] = np.array(out)
        return self._cache["exact"]

    def predictions(self, hypotheses) -> dict[str, list[float]]:
        k = int(np.argmin(self.h))
        vals = self.values(k)
        out = {}
        for label, H in hypotheses.items():
            Hc = sp.Matrix(H).applyfunc(lambda e: concrete(e, vals, self.functions)
                                        .subs({self.state[0]: self.start[0], self.state[1]: self.start[1]}))
            out[label] = [float(v) for v in Hc]
        return out


@dataclass(frozen=True)
class MonteCarloIncrement:
    spec: IncrementSpec
    name: str = "Monte Carlo N-step increments"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        replicas = spec.budgets[budget]
        start = time.perf_counter()
        x, y = spec.state
        obs = poly_system([x, y, x**2, x * y, y**2], spec.state, "moment")
        exact = spec.exact()
        curvature = np.polyfit(spec.h, exact, 2)[0]
        per_rung, info = [], []
        for k in range(len(spec.rungs)):
            run = run_chains_nd(*spec.systems(k), x0=np.tile(spec.start, (replicas, 1)),
                                n_steps=spec.n_steps, burn_in=spec.n_steps - 1,
                                seed=derive_seed(seed, k), observables=obs)
            f = spec.statistic(k)
            ests = [delta_method(run.observables, lambda m, j=j, f=f: f(m)[j]) for j in range(5)]
            per_rung.append(ests)
            info.append({"rung": {str(s): float(v) for s, v in spec.rungs[k].items()},
                         "estimates": [[e.value, e.se] for e in ests], "exact": exact[k].tolist()})
        preds = spec.predictions(hypotheses)
        measurements, series = [], []
        for j, name in enumerate(STATISTICS):
            yv = np.array([r[j].value for r in per_rung])
            se = np.array([r[j].se for r in per_rung])
            ext = extrapolate_to_zero(spec.h, yv, se, curvature=float(curvature[j]),
                                      curvature_note="exact N-step law of the linear chain")
            measurements.append(Measurement(f"{name} ({spec.ladder} -> 0, N = {spec.n_steps})",
                                            ext.value, ext.se, f"{per_rung[0][j].method}; {ext.method}",
                                            {lab: p[j] for lab, p in preds.items()},
                                            ext.bias_bound, ext.bias_note))
            series.append({"observable": name, "h": spec.h.tolist(), "y": yv.tolist(), "se": se.tolist(),
                           "extrapolated": [ext.value, ext.se]})
        setup = {"process": spec.label, "update": sp.sstr(spec.update), "start": list(spec.start),
                 "steps_per_increment": spec.n_steps, "replicas": replicas, "rungs": info, "seed": seed}
        plot = Plot("ladder", f"{spec.label}: N-step moments against {spec.ladder}",
                    {"ladder": str(spec.ladder), "series": series, "predictions": preds})
        return ExperimentResult(tuple(measurements), setup, (plot,), time.perf_counter() - start,
                                replicas * spec.n_steps * len(spec.rungs))


@dataclass(frozen=True)
class ExactIncrement:
    spec: IncrementSpec
    name: str = "exact N-step law (linear chain)"
    kind: str = "deterministic"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        exact, h = spec.exact(), spec.h
        weights = np.array([np.prod([(0 - h[m]) / (h[i] - h[m]) for m in range(len(h)) if m != i])
                            for i in range(len(h))])
        two = np.argsort(h)[:2]
        w_line = np.array([-h[two[1]] / (h[two[0]] - h[two[1]]), -h[two[0]] / (h[two[1]] - h[two[0]])])
        preds = spec.predictions(hypotheses)
        measurements = []
        for j, name in enumerate(STATISTICS):
            value = float(weights @ exact[:, j])
            bound = abs(value - float(w_line @ exact[two, j])) + 1e-9 * max(1.0, abs(value))
            measurements.append(Measurement(
                f"{name} ({spec.ladder} -> 0, N = {spec.n_steps})", value, 0.0,
                "deterministic (exact recursion of mean and covariance)",
                {lab: p[j] for lab, p in preds.items()}, bound,
                "|interpolation through all rungs - line through the two smallest| + rounding"))
        setup = {"process": spec.label, "exact_by_rung": exact.tolist(), "h": h.tolist()}
        return ExperimentResult(tuple(measurements), setup, (), time.perf_counter() - start, 0)


def increment_witnesses(spec: IncrementSpec) -> tuple:
    return (MonteCarloIncrement(spec, name=f"Monte Carlo: {spec.label}"),
            ExactIncrement(spec, name=f"exact: {spec.label}"))
