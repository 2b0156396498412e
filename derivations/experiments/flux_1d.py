"""Witnesses for flow laws: the probability carried across a point in one step.

The slides derive "diffusion flow" and "gradient flow" by counting the mass that crosses a
point in a short step. :class:`FluxSpec1D` declares that step (a sympy update), a Gaussian
density of particles, the points, a ladder of step sizes, and the *unit* that turns the
flux per step into the coefficient the slide states (e.g. ``alpha`` in
``J = -alpha sigma^2 dt p'(x)``). :class:`MonteCarloFlux1D` counts crossings;
:class:`ExactFlux1D` integrates the same flux deterministically. Both extrapolate the
coefficient to step -> 0; the Monte Carlo's O(h^2) bound uses the exact flux's curvature.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from numerics.flux_1d import exact_flux, net_crossings
from numerics.rng import derive_seed
from numerics.stats import extrapolate_to_zero, mean_over_chains

from ..codegen import concrete, update_polynomials
from ..fokker_planck import XI
from ..model import ExperimentResult, Measurement, Plot
from .validate import check_rungs, check_stable

__all__ = ["FluxBudget", "FluxSpec1D", "MonteCarloFlux1D", "ExactFlux1D", "flux_witnesses",
           "gaussian_density"]


def gaussian_density(x: sp.Symbol, mean: float, sd: float) -> sp.Expr:
    """The particles' density ``N(mean, sd^2)`` as a sympy expression in ``x``."""
    m, s = sp.nsimplify(mean), sp.nsimplify(sd)
    return sp.exp(-(x - m) ** 2 / (2 * s**2)) / (s * sp.sqrt(2 * sp.pi))


@dataclass(frozen=True)
class FluxBudget:
    chains: int
    per_chain: int


@dataclass(frozen=True)
class FluxSpec1D:
    """One-step flux experiment. ``unit`` is a sympy expression in ``state`` and the rung's
    parameters; the observable at point ``c`` is ``J(c) / unit(c)``. ``coefficient`` maps a
    hypothesis (sympy) to its predicted observable."""

    label: str
    update: sp.Expr
    state: sp.Symbol
    mean: float
    sd: float
    points: tuple[float, ...]
    rungs: tuple[Mapping[sp.Symbol, float], ...]
    ladder: sp.Expr  # a symbol, or an expression of the rung's values (e.g. eta^2 sigma^2)
    unit: sp.Expr
    observable: str
    coefficient: Callable[[sp.Basic], float]
    budgets: Mapping[str, FluxBudget]

    def __post_init__(self):
        if len(self.rungs) < 3:
            raise ValueError(f"{self.label}: a ladder needs >= 3 rungs")
        check_rungs(self.label, self.rungs)

    @property
    def h(self) -> np.ndarray:
        return np.array([float(sp.sympify(self.ladder).subs(r)) for r in self.rungs])

    def polynomials(self, k):
        upd = concrete(self.update, {s: sp.Float(v, 30) for s, v in self.rungs[k].items()})
        F, S = update_polynomials(upd, self.state, XI)
        check_stable(self.label, self.rungs[k], F)
        return F, S

    def units(self, k) -> np.ndarray:
        u = sp.lambdify(self.state, concrete(self.unit, {s: sp.Float(v, 30) for s, v in self.rungs[k].items()}))
        return np.array([float(u(c)) for c in self.points])

    def exact(self) -> np.ndarray:
        """Exact coefficient at every rung and point, ``(rungs, points)``."""
        return np.array([exact_flux(*self.polynomials(k), mean=self.mean, sd=self.sd,
                                    points=self.points) / self.units(k)
                         for k in range(len(self.rungs))])

    def predictions(self, hypotheses) -> dict[str, float]:
        return {label: float(self.coefficient(h)) for label, h in hypotheses.items()}


def _name(spec, c):
    return f"{spec.observable} at {spec.state} = {c:g}, {spec.ladder} -> 0"


@dataclass(frozen=True)
class MonteCarloFlux1D:
    spec: FluxSpec1D
    name: str = "Monte Carlo crossings"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        if budget not in spec.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(spec.budgets)}")
        b = spec.budgets[budget]
        start = time.perf_counter()
        exact = spec.exact()
        curvature = np.polyfit(spec.h, exact, 2)[0]
        per_rung, steps, rungs = [], 0, []
        for k in range(len(spec.rungs)):
            F, S = spec.polynomials(k)
            flux, _ = net_crossings(F, S, mean=spec.mean, sd=spec.sd, points=spec.points,
                                    chains=b.chains, per_chain=b.per_chain, seed=derive_seed(seed, k))
            steps += b.chains * b.per_chain
            ests = [mean_over_chains(flux[:, j] / u) for j, u in enumerate(spec.units(k))]
            per_rung.append(ests)
            rungs.append({"rung": {str(s): float(v) for s, v in spec.rungs[k].items()},
                          "estimates": [[e.value, e.se] for e in ests],
                          "exact": exact[k].tolist()})
        preds = spec.predictions(hypotheses)
        measurements, series = [], []
        for j, c in enumerate(spec.points):
            y = np.array([r[j].value for r in per_rung])
            se = np.array([r[j].se for r in per_rung])
            ext = extrapolate_to_zero(spec.h, y, se, curvature=float(curvature[j]),
                                      curvature_note="exact flux by quadrature")
            measurements.append(Measurement(_name(spec, c), ext.value, ext.se,
                                            f"{per_rung[0][j].method} at each rung; {ext.method}",
                                            preds, ext.bias_bound, ext.bias_note))
            series.append({"observable": f"{spec.observable} at {c:g}", "h": spec.h.tolist(),
                           "y": y.tolist(), "se": se.tolist(), "extrapolated": [ext.value, ext.se]})
        setup = {"process": spec.label, "update": sp.sstr(spec.update),
                 "particles": f"N({spec.mean}, {spec.sd}^2)", "chains": b.chains,
                 "particles_per_chain": b.per_chain, "rungs": rungs, "seed": seed}
        plot = Plot("ladder", f"{spec.label}: {spec.observable} against {spec.ladder}",
                    {"ladder": str(spec.ladder), "series": series,
                     "predictions": {k: [v] * len(spec.points) for k, v in preds.items()}})
        return ExperimentResult(tuple(measurements), setup, (plot,), time.perf_counter() - start, steps)


@dataclass(frozen=True)
class ExactFlux1D:
    spec: FluxSpec1D
    name: str = "exact flux (quadrature)"
    kind: str = "deterministic"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        exact = spec.exact()
        h = spec.h
        weights = np.array([np.prod([(0 - h[m]) / (h[i] - h[m]) for m in range(len(h)) if m != i])
                            for i in range(len(h))])
        two = np.argsort(h)[:2]
        w_line = np.array([-h[two[1]] / (h[two[0]] - h[two[1]]), -h[two[0]] / (h[two[1]] - h[two[0]])])
        preds = spec.predictions(hypotheses)
        measurements = []
        for j, c in enumerate(spec.points):
            value = float(weights @ exact[:, j])
            bound = abs(value - float(w_line @ exact[two, j])) + 1e-9 * float(np.abs(weights).sum())
            measurements.append(Measurement(
                _name(spec, c), value, 0.0, "deterministic (quadrature, no sampling error)", preds,
                bound, "|interpolation through all rungs - line through the two smallest| + quadrature error"))
        setup = {"process": spec.label, "exact_by_rung": exact.tolist(), "h": h.tolist()}
        return ExperimentResult(tuple(measurements), setup, (), time.perf_counter() - start, 0)


def flux_witnesses(spec: FluxSpec1D) -> tuple:
    return (MonteCarloFlux1D(spec, name=f"Monte Carlo: {spec.label}"),
            ExactFlux1D(spec, name=f"exact flux: {spec.label}"))
