"""Witnesses for flow laws in two dimensions: the current one step carries, tested against fields.

The slides' "gradient flow" and "diffusion flow" are the two parts of the probability current
``J`` of a density ``p`` under a process. A :class:`FlowSpecND` declares one step (a sympy
vector update linear in the draws, with its time ``step_time``), a Gaussian density ``p`` of
particles, polynomial test fields ``G`` and a ladder of step sizes. Per unit time the current
functional of one step from ``p`` (:mod:`numerics.flux_nd`) tends to ``int J . G dx``: a
constant ``G`` reads off the total current, a linear ``G`` its diffusion part (e.g.
``G = (x, 0)`` gives ``E[b_x x] + (1/2) E[D_xx]``). Hypotheses are current vectors (sympy
2-vectors in ``p(x, y)``); each predicts ``int J_h . G dx`` with the particles' Gaussian for
``p`` (2-D trapezoidal rule).

:class:`MonteCarloFlow2D` samples particles and steps; :class:`ExactFlow2D` evaluates the same
functional exactly (Gauss-Hermite, the integrand being polynomial). Both extrapolate to
step -> 0; the Monte Carlo's O(h^2) bound uses the exact functional's curvature.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.flux_nd import exact_step_currents, integral_2d, step_currents
from numerics.rng import derive_seed
from numerics.stats import extrapolate_to_zero, mean_over_chains

from ..codegen import concrete
from ..codegen_nd import poly_system, update_systems
from ..model import ExperimentResult, Measurement, Plot
from .flux_1d import FluxBudget

__all__ = ["FlowSpecND", "MonteCarloFlow2D", "ExactFlow2D", "flow_witnesses", "gaussian_2d",
           "DENSITY", "TEST_FIELDS"]

#: The density the flow laws are written for; hypotheses use ``DENSITY(x, y)``.
DENSITY = sp.Function("p")


def TEST_FIELDS(x, y) -> dict[str, tuple]:
    """Fields that read off the total current and every entry of the diffusion part."""
    return {"G = (1, 0)": (1, 0), "G = (0, 1)": (0, 1), "G = (x, 0)": (x, 0),
            "G = (0, y)": (0, y), "G = (y, x)": (y, x)}


def gaussian_2d(x, y, mean, cov) -> sp.Expr:
    """The particles' density ``N(mean, cov)`` as a sympy expression."""
    m = sp.Matrix([sp.nsimplify(v) for v in mean])
    V = sp.Matrix(2, 2, [sp.nsimplify(v) for v in np.asarray(cov).ravel()])
    d = sp.Matrix([x, y]) - m
    return sp.exp(-(d.T * V.inv() * d)[0] / 2) / (2 * sp.pi * sp.sqrt(V.det()))


@dataclass(frozen=True)
class FlowSpecND:
    label: str
    update: sp.Matrix
    state: tuple[sp.Symbol, sp.Symbol]
    draws: tuple[sp.Symbol, ...]
    step_time: sp.Expr
    functions: Mapping
    mean: tuple[float, float]
    cov: tuple[tuple[float, float], tuple[float, float]]
    fields: Mapping[str, tuple]
    rungs: tuple[Mapping[sp.Symbol, float], ...]
    ladder: sp.Symbol
    budgets: Mapping[str, FluxBudget]
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if len(self.rungs) < 3:
            raise ValueError(f"{self.label}: a ladder needs >= 3 rungs")

    @property
    def h(self) -> np.ndarray:
        return np.array([float(r[self.ladder]) for r in self.rungs])

    def values(self, k):
        return {s: sp.Float(v, 30) for s, v in self.rungs[k].items()}

    def tau(self, k) -> float:
        return float(concrete(self.step_time, self.values(k), self.functions))

    def systems(self, k):
        key = ("sys", k)
        if key not in self._cache:
            upd = sp.Matrix(self.update).applyfunc(lambda e: concrete(e, self.values(k), self.functions))
            self._cache[key] = update_systems(upd, self.state, self.draws)
        return self._cache[key]

    @property
    def field_system(self):
        return poly_system([g for G in self.fields.values() for g in G], self.state, "test field")

    def exact(self) -> np.ndarray:
        """Exact current functional per unit time, ``(rungs, fields)``."""
        if "exact" not in self._cache:
            self._cache["exact"] = np.array([
                exact_step_currents(*self.systems(k), self.field_system, mean=self.mean, cov=self.cov)
                / self.tau(k) for k in range(len(self.rungs))])
        return self._cache["exact"]

    def predictions(self, hypotheses) -> dict[str, list[float]]:
        k = int(np.argmin(self.h))
        x, y = self.state
        p0 = gaussian_2d(x, y, self.mean, self.cov)
        sd = [math.sqrt(self.cov[i][i]) for i in range(2)]
        box = tuple((self.mean[i] - 12 * sd[i], self.mean[i] + 12 * sd[i]) for i in range(2))
        out = {}
        for label, J in hypotheses.items():
            key = ("pred", sp.srepr(J))
            if key not in self._cache:
                Jc = sp.Matrix(J).subs(DENSITY(x, y), p0).doit()
                Jc = Jc.applyfunc(lambda e: concrete(e, self.values(k), self.functions))
                jf = sp.lambdify((x, y), list(Jc), "numpy", cse=True)
                vals = []
                for G in self.fields.values():
                    gf = sp.lambdify((x, y), list(G), "numpy")

                    def integrand(X, Y, jf=jf, gf=gf):
                        j, g = jf(X, Y), gf(X, Y)
                        return j[0] * g[0] + j[1] * g[1]
                    vals.append(integral_2d(integrand, box, n=401))
                self._cache[key] = vals
            out[label] = self._cache[key]
        return out


def _rounding(exact: np.ndarray) -> float:
    """1e-10 of the functionals' scale: what rounding leaves (some vanish exactly, e.g. the
    total current of a pure-noise step, and their estimates are then rounding alone)."""
    return 1e-10 * float(np.sqrt(np.mean(exact**2)))


def _name(spec: FlowSpecND, j: int) -> str:
    return f"int J . G dx, {list(spec.fields)[j]} ({spec.ladder} -> 0)"


@dataclass(frozen=True)
class MonteCarloFlow2D:
    spec: FlowSpecND
    name: str = "Monte Carlo one-step currents (2-D)"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        if budget not in spec.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(spec.budgets)}")
        b = spec.budgets[budget]
        start = time.perf_counter()
        exact = spec.exact()
        curvature = np.polyfit(spec.h, exact, 2)[0]
        per_rung, rungs = [], []
        for k in range(len(spec.rungs)):
            cur = step_currents(*spec.systems(k), spec.field_system, mean=spec.mean, cov=spec.cov,
                                chains=b.chains, per_chain=b.per_chain, seed=derive_seed(seed, k))
            ests = [mean_over_chains(cur[:, j] / spec.tau(k)) for j in range(cur.shape[1])]
            per_rung.append(ests)
            rungs.append({"rung": {str(s): float(v) for s, v in spec.rungs[k].items()},
                          "estimates": [[e.value, e.se] for e in ests], "exact": exact[k].tolist()})
        preds = spec.predictions(hypotheses)
        rounding = _rounding(exact)
        measurements, series = [], []
        for j in range(len(spec.fields)):
            y = np.array([r[j].value for r in per_rung])
            se = np.array([r[j].se for r in per_rung])
            ext = extrapolate_to_zero(spec.h, y, se, curvature=float(curvature[j]),
                                      curvature_note="exact one-step functional (Gauss-Hermite)")
            measurements.append(Measurement(_name(spec, j), ext.value, ext.se,
                                            f"{per_rung[0][j].method} at each rung; {ext.method}",
                                            {lab: p[j] for lab, p in preds.items()},
                                            ext.bias_bound + rounding,
                                            f"{ext.bias_note}; + {rounding:.1e} for rounding"))
            series.append({"observable": list(spec.fields)[j], "h": spec.h.tolist(), "y": y.tolist(),
                           "se": se.tolist(), "extrapolated": [ext.value, ext.se]})
        setup = {"process": spec.label, "update": sp.sstr(spec.update),
                 "time_per_step": sp.sstr(spec.step_time),
                 "particles": {"mean": list(spec.mean), "cov": [list(r) for r in spec.cov]},
                 "fields": {k: [sp.sstr(g) for g in v] for k, v in spec.fields.items()},
                 "estimator": "(X'-X).G(midpoint) - (S xi).G(X) per step, divided by the step's time",
                 "chains": b.chains, "particles_per_chain": b.per_chain, "rungs": rungs, "seed": seed}
        plot = Plot("ladder", f"{spec.label}: current functionals against {spec.ladder}",
                    {"ladder": str(spec.ladder), "series": series, "predictions": preds})
        return ExperimentResult(tuple(measurements), setup, (plot,), time.perf_counter() - start,
                                b.chains * b.per_chain * len(spec.rungs))


@dataclass(frozen=True)
class ExactFlow2D:
    spec: FlowSpecND
    name: str = "exact one-step currents (Gauss-Hermite)"
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
        rounding = _rounding(exact)
        measurements = []
        for j in range(len(spec.fields)):
            value = float(weights @ exact[:, j])
            bound = (abs(value - float(w_line @ exact[two, j])) + 1e-9 * float(np.abs(weights).sum())
                     + rounding)
            measurements.append(Measurement(
                _name(spec, j), value, 0.0, "deterministic (Gauss-Hermite, exact at each rung)",
                {lab: p[j] for lab, p in preds.items()}, bound,
                "|interpolation through all rungs - line through the two smallest| + rounding"))
        setup = {"process": spec.label, "exact_by_rung": exact.tolist(), "h": h.tolist()}
        return ExperimentResult(tuple(measurements), setup, (), time.perf_counter() - start, 0)


def flow_witnesses(spec: FlowSpecND) -> tuple:
    return (MonteCarloFlow2D(spec, name=f"Monte Carlo: {spec.label}"),
            ExactFlow2D(spec, name=f"exact: {spec.label}"))
