"""Witnesses for one-dimensional stationary laws: Monte Carlo chains and the transfer operator.

Both run the process the slide describes (SGD, or Euler-Maruyama for an SDE), written once
as a sympy update ``Delta(x, xi)`` in a :class:`StationarySpec1D`, on a ladder of step sizes
that keeps the temperature fixed, and measure stationary expectations of polynomial
observables. At a finite step the chain's law differs from the continuous-time one at
O(step) (DESIGN.md, "Discrete SGD is not the SDE"), so each witness extrapolates its
measurements to step -> 0 and states the remainder as a bias bound:

- :class:`MonteCarloStationary1D`: independent chains, each started at a point of an even,
  hypothesis-free spread, burnt in for ``BURN_IN_E_FOLDS`` relaxation times of the chain
  itself (its spectral gap, computed by the transfer operator), then time-averaged;
  standard errors are over chains; the extrapolation is a WLS line with a curvature bound
  (:func:`numerics.stats.extrapolate_to_zero`).
- :class:`TransferOperator1D`: the deterministic third witness. The chain's Markov kernel on
  a grid, its stationary vector, the same observables, the same extrapolation done by
  exact interpolation; the bound combines grid refinement and the extrapolation's spread.

Hypotheses (densities up to normalisation) are integrated from their log-density by the
trapezoidal rule (:func:`numerics.quadrature.expectations_1d`) at the parameters of the
smallest rung.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.chains_1d import run_chains_1d
from numerics.grid_1d import Grid1D, stationary_of_transfer, transfer_operator
from numerics.poly import horner_numpy
from numerics.quadrature import DensityNotNormalisable, expectations_1d
from numerics.rng import derive_seed
from numerics.stats import extrapolate_to_zero, mean_over_chains

from ..codegen import concrete, np_callable, update_polynomials
from ..fokker_planck import XI
from ..model import ExperimentResult, Measurement, Plot
from ..symbols import normalisers
from .validate import check_rungs, check_stable

__all__ = ["MonteCarloBudget", "StationarySpec1D", "MonteCarloStationary1D",
           "TransferOperator1D", "stationary_witnesses", "BURN_IN_E_FOLDS"]

#: Burn-in length in relaxation times. The slowest mode of the chain decays like
#: exp(-rate * n); after 16 e-folds an initial deviation of the observable (at most
#: max|f| on the start interval, ~10 for x^4 here) has shrunk by e^-16 = 1.1e-7, far below
#: any standard error the budgets reach (>= 1e-4).
BURN_IN_E_FOLDS = 16


@dataclass(frozen=True)
class MonteCarloBudget:
    """Chains, and relaxation times averaged per chain after burn-in."""

    chains: int
    sample_relaxations: float

    def __post_init__(self):
        if self.chains < 2 or self.sample_relaxations <= 0:
            raise ValueError(f"budget {self} needs chains >= 2 and sample_relaxations > 0")


@dataclass(frozen=True)
class StationarySpec1D:
    """A one-dimensional stationary-law experiment, declared once in sympy.

    ``update`` is ``Delta(state, xi)`` in terms of the claim's symbols; ``functions``
    makes the function symbols concrete (e.g. the loss); ``rungs`` give every parameter a
    value at each rung of the step-size ladder, ``ladder`` names the parameter that goes to
    zero. ``observables`` are polynomials in ``state``.
    """

    label: str
    update: sp.Expr
    state: sp.Symbol
    functions: Mapping[sp.FunctionClass, sp.Lambda]
    rungs: tuple[Mapping[sp.Symbol, float], ...]
    ladder: sp.Symbol
    observables: tuple[sp.Expr, ...]
    budgets: Mapping[str, MonteCarloBudget]
    domain: tuple[float, float] = (-3.0, 3.0)
    start: tuple[float, float] = (-1.5, 1.5)
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if len(self.rungs) < 3:
            raise ValueError(f"{self.label}: a ladder needs >= 3 rungs to bound its curvature")
        check_rungs(self.label, self.rungs)
        hs = [float(r[self.ladder]) for r in self.rungs]
        if any(h <= 0 for h in hs) or len(set(hs)) != len(hs):
            raise ValueError(f"{self.label}: ladder values {hs} must be distinct and > 0")

    @property
    def ladder_values(self) -> np.ndarray:
        return np.array([float(r[self.ladder]) for r in self.rungs])

    @property
    def reference(self) -> Mapping[sp.Symbol, float]:
        """The rung with the smallest step: where hypotheses are evaluated."""
        return self.rungs[int(np.argmin(self.ladder_values))]

    def polynomials(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        values = {s: sp.nsimplify(v) if isinstance(v, int) else sp.Float(v, 30)
                  for s, v in self.rungs[k].items()}
        upd = concrete(self.update, values, self.functions)
        F, S = update_polynomials(upd, self.state, XI)
        check_stable(self.label, self.rungs[k], F)
        return F, S

    def observable_coefficients(self) -> list[np.ndarray]:
        """Each observable as coefficients on ``(1, x, ..., x^K)``."""
        out = []
        for f in self.observables:
            poly = sp.Poly(sp.expand(concrete(f, {}, self.functions)), self.state)
            c = np.zeros(self.max_degree + 1)
            for (k,), v in poly.terms():
                c[k] = float(v)
            out.append(c)
        return out

    @property
    def max_degree(self) -> int:
        return max(sp.Poly(sp.expand(concrete(f, {}, self.functions)), self.state).degree()
                   for f in self.observables)

    def grid(self, n: int) -> Grid1D:
        return Grid1D(self.domain[0], self.domain[1], n)

    def stationary_on_grid(self, k: int, n: int, relaxation: bool = False):
        """Transfer-operator stationary law at rung ``k`` on ``n`` cells (cached).

        ``relaxation=True`` also computes the spectral gap (eigenvalues: the costly part).
        """
        key = (k, n, relaxation)
        if key not in self._cache:
            F, S = self.polynomials(k)
            grid = self.grid(n)
            P = transfer_operator(grid, lambda u: horner_numpy(F, u), lambda u: horner_numpy(S, u),
                                  1.0, 1.0)
            self._cache[key] = stationary_of_transfer(grid, P, relaxation)
        return self._cache[key]

    def grid_expectations(self, n: int) -> np.ndarray:
        """Stationary expectations of the observables at every rung, ``(rungs, observables)``."""
        key = ("expectations", n)
        if key not in self._cache:
            coeffs = self.observable_coefficients()
            out = []
            for k in range(len(self.rungs)):
                st = self.stationary_on_grid(k, n)
                powers = np.vstack([st.grid.centres**d for d in range(len(coeffs[0]))])
                out.append([st.expectation(c @ powers) for c in coeffs])
            self._cache[key] = np.array(out)
        return self._cache[key]

    def predictions(self, hypotheses: Mapping[str, sp.Basic]) -> tuple[dict, dict]:
        """Expectations of the observables under each hypothesis, and notes for failures."""
        values = {**{s: sp.Float(v, 30) for s, v in self.reference.items()},
                  **{z: 1 for z in normalisers()}}
        observables = [np_callable(concrete(f, {}, self.functions), self.state)
                       for f in self.observables]
        preds, notes = {}, {}
        for label, expr in hypotheses.items():
            key = ("prediction", sp.srepr(expr))  # the same density is integrated once
            if key not in self._cache:
                log_density = sp.expand_log(sp.log(concrete(expr, values, self.functions)),
                                            force=True)
                try:
                    self._cache[key] = (expectations_1d(
                        np_callable(log_density, self.state), observables, self.domain,
                        name=f"{label} density"), None)
                except DensityNotNormalisable as exc:
                    if label == "derived":
                        raise
                    self._cache[key] = ([math.nan] * len(observables), str(exc))
            preds[label], note = self._cache[key]
            if note:
                notes[label] = note
        return preds, notes

    def grid_size(self) -> int:
        """Cells so that the smallest step's spread spans >= 4 cells, and at least 400."""
        width = self.domain[1] - self.domain[0]
        sds = []
        for k in range(len(self.rungs)):
            _, S = self.polynomials(k)
            sds.append(float(np.min(np.abs(horner_numpy(S, self.grid(64).centres)))))
        return int(max(400, math.ceil(4 * width / min(sds))))


def _observable_names(spec: StationarySpec1D) -> list[str]:
    return [f"E[{sp.sstr(f)}]" for f in spec.observables]


def _densities_plot(spec: StationarySpec1D, hypotheses, hist_edges, hist_counts, kept) -> Plot:
    centres = 0.5 * (hist_edges[1:] + hist_edges[:-1])
    width = hist_edges[1] - hist_edges[0]
    values = {**{s: sp.Float(v, 30) for s, v in spec.reference.items()},
              **{z: 1 for z in normalisers()}}
    fine = np.linspace(hist_edges[0], hist_edges[-1], 301)
    curves = {}
    for label, expr in hypotheses.items():
        f = np_callable(concrete(expr, values, spec.functions), spec.state)
        with np.errstate(all="ignore"):
            y = f(fine)
        mass = np.trapezoid(y, fine) if hasattr(np, "trapezoid") else np.trapz(y, fine)
        if np.isfinite(mass) and mass > 0:
            curves[label] = (y / mass).tolist()
    return Plot("histogram-vs-densities",
                f"{spec.label}: stationary histogram at {spec.ladder} = {spec.reference[spec.ladder]:g}",
                {"x": centres.tolist(), "density": (hist_counts / (kept * width)).tolist(),
                 "curve_x": fine.tolist(), "curves": curves, "state": str(spec.state)})


@dataclass(frozen=True)
class MonteCarloStationary1D:
    spec: StationarySpec1D
    name: str = "Monte Carlo chains"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        if budget not in spec.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(spec.budgets)}")
        b = spec.budgets[budget]
        start = time.perf_counter()
        n_grid = spec.grid_size()
        coeffs = spec.observable_coefficients()
        K = max(1, len(coeffs[0]) - 1)
        x0 = np.linspace(spec.start[0], spec.start[1], b.chains)
        per_rung, rung_info, chain_steps = [], [], 0
        hist_plot = None
        for k, rung in enumerate(spec.rungs):
            F, S = spec.polynomials(k)
            rate = spec.stationary_on_grid(k, n_grid, relaxation=True).relaxation_rate  # per step
            burn = int(math.ceil(BURN_IN_E_FOLDS / rate))
            sample = int(math.ceil(b.sample_relaxations / rate))
            run = run_chains_1d(F, S, a=1.0, b=1.0, x0=x0, n_steps=burn + sample, burn_in=burn,
                                seed=derive_seed(seed, k), n_moments=K,
                                hist_range=spec.domain, n_bins=120)
            chain_steps += run.chain_steps
            moments = np.hstack([np.ones((b.chains, 1)), run.moments])
            ests = [mean_over_chains(moments @ c) for c in coeffs]
            per_rung.append(ests)
            rung_info.append({"rung": {str(s): float(v) for s, v in rung.items()},
                              "relaxation_steps": 1.0 / rate, "burn_in": burn,
                              "sample_steps": sample, "seed": run.seed,
                              "estimates": [[e.value, e.se] for e in ests]})
            if k == int(np.argmin(spec.ladder_values)):
                hist_plot = _densities_plot(spec, hypotheses, run.hist_edges, run.hist_counts,
                                            b.chains * sample)
        preds, notes = spec.predictions(hypotheses)
        h = spec.ladder_values
        names = _observable_names(spec)
        # The O(h^2) curvature of each observable along the ladder, from the chain's own
        # transfer operator: a deterministic value, so the bias bound is not noise-limited.
        curvature = np.polyfit(h, spec.grid_expectations(n_grid), 2)[0]
        measurements, ladder_series = [], []
        for j, name in enumerate(names):
            y = np.array([r[j].value for r in per_rung])
            se = np.array([r[j].se for r in per_rung])
            ext = extrapolate_to_zero(h, y, se, curvature=float(curvature[j]),
                                      curvature_note=f"transfer operator, {n_grid} cells")
            measurements.append(Measurement(
                observable=f"{name} as {spec.ladder} -> 0",
                estimate=ext.value, standard_error=ext.se,
                se_method=f"{per_rung[0][j].method} at each rung; {ext.method}",
                predictions={lab: p[j] for lab, p in preds.items()},
                bias_bound=ext.bias_bound, bias_note=ext.bias_note))
            ladder_series.append({"observable": name, "h": h.tolist(), "y": y.tolist(),
                                  "se": se.tolist(), "extrapolated": [ext.value, ext.se]})
        plots = [hist_plot] if hist_plot else []
        plots.append(Plot("ladder", f"{spec.label}: extrapolation in {spec.ladder}",
                          {"ladder": str(spec.ladder), "series": ladder_series,
                           "predictions": {lab: [p[j] for j in range(len(names))]
                                           for lab, p in preds.items()}}))
        setup = {"process": spec.label, "update": sp.sstr(spec.update),
                 "functions": {str(f): sp.sstr(lam) for f, lam in spec.functions.items()},
                 "chains": b.chains, "sample_relaxations": b.sample_relaxations,
                 "burn_in_rule": f"{BURN_IN_E_FOLDS} relaxation times of the chain (spectral gap of "
                                 "its transfer operator)",
                 "start": f"evenly spread on [{spec.start[0]}, {spec.start[1]}] (hypothesis-free)",
                 "rungs": rung_info, "unnormalisable": notes, "seed": seed}
        return ExperimentResult(tuple(measurements), setup, tuple(plots),
                                time.perf_counter() - start, chain_steps)


@dataclass(frozen=True)
class TransferOperator1D:
    spec: StationarySpec1D
    name: str = "transfer operator (grid)"
    kind: str = "deterministic"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        n = spec.grid_size()
        h = spec.ladder_values
        order = np.argsort(h)
        names = _observable_names(spec)
        preds, notes = spec.predictions(hypotheses)

        coarse, fine = spec.grid_expectations(n), spec.grid_expectations(2 * n)
        grid_err = np.abs(fine - coarse)  # the coarse grid's error bound, per rung
        # Exact interpolation through all rungs, value at h = 0 (Lagrange weights).
        weights = np.array([np.prod([(0 - h[m]) / (h[i] - h[m]) for m in range(len(h)) if m != i])
                            for i in range(len(h))])
        two = order[:2]  # the two smallest steps: a line through them, for the spread
        w_line = np.array([-h[two[1]] / (h[two[0]] - h[two[1]]), -h[two[0]] / (h[two[1]] - h[two[0]])])
        measurements = []
        for j, name in enumerate(names):
            value = float(weights @ fine[:, j])
            line = float(w_line @ fine[two, j])
            bound = abs(value - line) + float(np.abs(weights) @ grid_err[:, j])
            measurements.append(Measurement(
                observable=f"{name} as {spec.ladder} -> 0", estimate=value, standard_error=0.0,
                se_method="deterministic (no sampling error)",
                predictions={lab: p[j] for lab, p in preds.items()}, bias_bound=bound,
                bias_note=(f"interpolation through {len(h)} rungs; bound = |full - line through "
                           f"two smallest rungs| + sum|w| * grid error ({n} vs {2 * n} cells)")))
        setup = {"process": spec.label, "grid": f"{2 * n} cells on [{spec.domain[0]}, {spec.domain[1]}]",
                 "rungs": [{"rung": {str(s): float(v) for s, v in r.items()},
                            "expectations": fine[k].tolist(), "grid_error": grid_err[k].tolist()}
                           for k, r in enumerate(spec.rungs)],
                 "unnormalisable": notes}
        return ExperimentResult(tuple(measurements), setup, (), time.perf_counter() - start, 0)


def stationary_witnesses(spec: StationarySpec1D) -> tuple:
    """Both witnesses of a stationary-law spec: Monte Carlo and the transfer operator."""
    return (MonteCarloStationary1D(spec, name=f"Monte Carlo: {spec.label}"),
            TransferOperator1D(spec, name=f"transfer operator: {spec.label}"))
