"""End states of the blog's model: stationary interval masses, by Monte Carlo and by the chain's operator.

Every observable is a smooth function of the stationary masses of a few intervals (a mass,
a log-ratio of two small intervals' masses, a ratio of such log-ratios), so a hypothesis
that is a density predicts it exactly (the interval integrals, no binning bias) and a
hypothesis that is a number (a claimed ratio) predicts it through the observable's own
``predict``.

- :class:`MonteCarloEndState`: independent chains at the smallest learning rate of the
  landscape's ladder, started evenly over a hypothesis-free interval, burnt in for
  ``BURN_IN_E_FOLDS`` relaxation times of the chain (its Nystrom operator's spectral gap),
  then each chain's occupation of the intervals; standard errors by a grouped jackknife over
  chains. The chain at finite ``eta`` is not the continuum law: the bias bound is the
  chain's own deterministic value there minus its extrapolation to ``eta -> 0`` over the
  ladder, plus the extrapolation's spread and the grid error (all from the operator, none
  from a hypothesis).
- :class:`EndStateOperator`: that extrapolated value itself, a deterministic third witness.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from numerics.ensemble_stats import jackknife_over_chains
from numerics.ensemble_1d import run_occupation_1d
from numerics.nystrom_1d import stationary_masses
from numerics.rng import derive_seed

from ..codegen_piecewise import DensityNotAvailable, substitute_functions
from ..model import ExperimentResult, Measurement, Plot
from .blog_landscape import Landscape, ladder_limit

__all__ = ["OMIT", "EndStateObservable", "EndStateSpec", "MonteCarloEndState", "EndStateOperator",
           "end_state_witnesses", "BURN_IN_E_FOLDS", "EndStateBudget"]

#: What an observable's ``predict`` returns for a hypothesis that predicts nothing about it
#: (a proposition such as "the wider basin's centre is denser"): the label is left out.
OMIT = object()

#: Burn-in in relaxation times: an initial deviation (at most 1 in a mass) shrinks by
#: e^-16 = 1.1e-7, far below the standard errors the budgets reach (>= 1e-4).
BURN_IN_E_FOLDS = 16


@dataclass(frozen=True)
class EndStateObservable:
    """``fn(masses of intervals)``; ``predict(label, hypothesis)`` may return a number for
    hypotheses that are not densities, :data:`OMIT` for those that predict nothing here, or
    None (then the hypothesis is a density and its interval masses are used)."""

    name: str
    intervals: tuple[tuple[float, float], ...]
    fn: Callable[[np.ndarray], float]
    predict: Callable[[str, sp.Basic], float | None] | None = None
    #: The same quantity at points, from a density callable: when given, density hypotheses
    #: predict the point value and the interval-versus-point difference under the model's
    #: law (``EndStateSpec.reference``) joins the bias bound.
    point_fn: Callable[[Callable[[np.ndarray], np.ndarray]], float] | None = None


@dataclass(frozen=True)
class EndStateBudget:
    chains: int
    sample_relaxations: float


@dataclass(frozen=True)
class EndStateSpec:
    """What to measure on which landscape; ``G_fn``, ``V_fn``, ``eta`` are the claim's symbols."""

    landscape: Landscape
    observables: tuple[EndStateObservable, ...]
    G_fn: sp.FunctionClass
    V_fn: sp.FunctionClass
    eta: sp.Symbol
    budgets: Mapping[str, EndStateBudget]
    bin_width: float = 0.01
    extra_values: Mapping = None  # other symbols of the hypotheses (a normaliser, say)
    #: The model's own end state (a density in the claim's symbols), used only to bound the
    #: difference between interval and point versions of observables with a ``point_fn``.
    reference: sp.Expr | None = None

    def density_of(self, h: sp.Basic) -> np.ndarray:
        """Normalised density of a hypothesis on the landscape's density grid (cached)."""
        land = self.landscape
        key = ("density", sp.srepr(h), land.etas[0])
        if key not in land._cache:
            if not isinstance(h, sp.Expr):
                raise DensityNotAvailable(f"{h} is not a density")
            values = {self.eta: land.etas[0], **(self.extra_values or {})}
            expr = substitute_functions(h, land.functions(self.G_fn, self.V_fn), values)
            land._cache[key] = land.density_grid().density(expr)
        return land._cache[key]

    def point_bias(self) -> np.ndarray:
        """Per observable, |interval version - point version| under the reference law."""
        out = np.zeros(len(self.observables))
        if self.reference is None:
            if any(o.point_fn for o in self.observables):
                raise ValueError("observables with a point_fn need the spec's reference density")
            return out
        dg = self.landscape.density_grid()
        dens = self.density_of(self.reference)
        for k, o in enumerate(self.observables):
            if o.point_fn is not None:
                masses = dg.interval_masses(dens, o.intervals)
                out[k] = abs(o.fn(masses) - o.point_fn(lambda xs: dg.at(dens, xs)))
        return out

    def intervals(self) -> list[tuple[float, float]]:
        out = []
        for o in self.observables:
            for iv in o.intervals:
                if iv not in out:
                    out.append(iv)
        return out

    def hypothesis_values(self, hypotheses) -> tuple[dict, dict]:
        """Per label, each observable's prediction (NaN where unavailable, None where the
        hypothesis predicts nothing), and notes."""
        dg = self.landscape.density_grid()
        ivs = self.intervals()
        preds, notes = {}, {}
        for label, h in hypotheses.items():
            row, dens = [], None
            for o in self.observables:
                v = o.predict(label, h) if o.predict else None
                if v is OMIT:
                    row.append(None)
                    continue
                if v is None:
                    if dens is None:
                        try:
                            dens = self.density_of(h)
                        except (DensityNotAvailable, TypeError, ValueError, AttributeError) as exc:
                            dens = np.full(dg.grid.size, np.nan)
                            notes[label] = str(exc)
                    if not np.all(np.isfinite(dens)):
                        v = math.nan
                    elif o.point_fn is not None:
                        v = o.point_fn(lambda xs, d=dens: dg.at(d, xs))
                    else:
                        masses = dg.interval_masses(dens, ivs)
                        v = o.fn(masses[[ivs.index(iv) for iv in o.intervals]])
                row.append(float(v))
            preds[label] = row
        return preds, notes

    def operator_values(self, eta: float, n: int) -> np.ndarray:
        """Each observable under the chain's own stationary law at ``eta`` (Nystrom, ``n`` cells)."""
        land = self.landscape
        key = ("stationary masses", eta, n)
        if key not in land._cache:
            land._cache[key] = stationary_masses(land.transfer(eta, n))
        m = land._cache[key]
        grid = land.grid(n)
        edges = grid.lo + np.arange(n + 1) * grid.h
        cum = np.concatenate([[0.0], np.cumsum(m)])
        # Masses are point samples p(x_j) h; the cumulative mass at a cell edge is exact to
        # O(h^2), and linear interpolation between edges keeps that order.
        ivs = self.intervals()
        masses = np.array([np.interp(b, edges, cum) - np.interp(a, edges, cum) for a, b in ivs])
        return np.array([o.fn(masses[[ivs.index(iv) for iv in o.intervals]])
                         for o in self.observables])

    def extrapolation(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(value at the smallest eta, eta -> 0 limit, bound on the limit's error)``
        from the chain's own operator on the ladder (:func:`.blog_landscape.ladder_limit`;
        grid error: ``n`` versus ``3n/2`` cells)."""
        land = self.landscape
        n = land.cells
        h = np.array(land.etas)
        fine = np.array([self.operator_values(e, (3 * n) // 2) for e in h])
        coarse = np.array([self.operator_values(e, n) for e in h[:3]])
        zero, bound = ladder_limit(h, fine, coarse)
        return fine[0], zero, bound


def _names(spec: EndStateSpec) -> list[str]:
    return [f"{o.name} (end state, eta -> 0 at eta sigma^2 = {spec.landscape.temperature:g})"
            for o in spec.observables]


@dataclass(frozen=True)
class MonteCarloEndState:
    spec: EndStateSpec
    name: str = "Monte Carlo end state"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec, land = self.spec, self.spec.landscape
        if budget not in spec.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(spec.budgets)}")
        b = spec.budgets[budget]
        start = time.perf_counter()
        eta = land.etas[0]
        rate = 1.0 / land.relaxation_steps(eta)
        burn = int(math.ceil(BURN_IN_E_FOLDS / rate))
        sample = int(math.ceil(b.sample_relaxations / rate))
        lo, hi = land.domain
        n_bins = int(round((hi - lo) / spec.bin_width))
        ivs = spec.intervals()
        edges = np.linspace(lo, hi, n_bins + 1)
        index = []
        for a, bb in ivs:
            ia, ib = (a - lo) / spec.bin_width, (bb - lo) / spec.bin_width
            if abs(ia - round(ia)) > 1e-9 or abs(ib - round(ib)) > 1e-9:
                raise ValueError(f"interval [{a}, {bb}) must start and end on the bin grid "
                                 f"(width {spec.bin_width} from {lo})")
            index.append((int(round(ia)), int(round(ib))))
        x0 = np.linspace(land.start[0], land.start[1], b.chains, endpoint=not land.periodic)
        occ = run_occupation_1d(**land.kernel_arguments(eta), x0=x0, burn_in=burn, n_sample=sample,
                                seed=derive_seed(seed, "end state"), hist_range=(lo, hi),
                                n_bins=n_bins)
        masses = np.stack([occ.fractions[:, i:j].sum(axis=1) for i, j in index], axis=1)
        at_eta, zero, ext_bound = spec.extrapolation()
        grid_at_eta = np.abs(at_eta - spec.operator_values(eta, land.cells))
        point = spec.point_bias()
        preds, notes = spec.hypothesis_values(hypotheses)
        measurements, raw = [], []
        for k, (o, name) in enumerate(zip(spec.observables, _names(spec))):
            cols = [ivs.index(iv) for iv in o.intervals]
            est = jackknife_over_chains(masses[:, cols], o.fn)
            raw.append([est.value, est.se])
            # The chain at eta is not the eta -> 0 law: remove its own shift, computed
            # deterministically from the chain's operator (no hypothesis enters), and bound
            # what remains: the limit's extrapolation error and the shift's grid error.
            shift = at_eta[k] - zero[k]
            bias = ext_bound[k] + grid_at_eta[k] + point[k]
            measurements.append(Measurement(
                observable=name, estimate=float(est.value - shift), standard_error=est.se,
                se_method=(f"{est.method}; Monte Carlo at eta = {eta:g} ({est.value:.5g}) minus the "
                           f"chain's own shift to eta -> 0 ({shift:+.3g}, Nystrom operator on the "
                           f"ladder {list(land.etas)})"),
                predictions={lab: p[k] for lab, p in preds.items() if p[k] is not None},
                bias_bound=float(bias),
                bias_note=(f"the eta -> 0 extrapolation's error {ext_bound[k]:.2g} (quadratic vs "
                           f"line and cubic, grid) + the shift's grid error {grid_at_eta[k]:.2g}"
                           + (f" + {point[k]:.2g} (intervals vs points, under the model's law)"
                              if point[k] else ""))))
        plot = self._plot(spec, hypotheses, occ, eta)
        setup = {**land.describe(), "eta (Monte Carlo)": eta, "chains": b.chains,
                 "relaxation_steps": 1.0 / rate, "burn_in": burn, "sample_steps": sample,
                 "start": f"evenly spread on {list(land.start)} (hypothesis-free)",
                 "intervals": [list(iv) for iv in ivs], "unavailable": notes, "seed": occ.seed,
                 "raw Monte Carlo at eta (value, se)": raw,
                 "chain's value at eta (Nystrom)": at_eta.tolist(),
                 "chain's eta -> 0 limit": zero.tolist()}
        return ExperimentResult(tuple(measurements), setup, (plot,), time.perf_counter() - start,
                                occ.chain_steps)

    @staticmethod
    def _plot(spec, hypotheses, occ, eta) -> Plot:
        land = spec.landscape
        width = occ.edges[1] - occ.edges[0]
        coarse = max(1, int(round(0.05 / width)))  # plot in bins of ~0.05
        frac = occ.fractions.mean(axis=0)
        n = (frac.size // coarse) * coarse
        dens = frac[:n].reshape(-1, coarse).sum(axis=1) / (coarse * width)
        centres = occ.edges[0] + (np.arange(dens.size) + 0.5) * coarse * width
        dg = land.density_grid()
        xs = np.linspace(*land.domain, 301)
        curves = {}
        for label, h in [("model's end state", spec.reference), *hypotheses.items()]:
            if h is None or not isinstance(h, sp.Expr) or not h.has(land.x):
                continue  # propositions and numbers have no density to draw
            try:
                d = spec.density_of(h)
            except (DensityNotAvailable, TypeError, ValueError, AttributeError):
                continue
            curves[label] = dg.at(d, xs).tolist()
        return Plot("histogram-vs-densities", f"{land.label}: end state at eta = {eta:g}",
                    {"x": centres.tolist(), "density": dens.tolist(), "curve_x": xs.tolist(),
                     "curves": curves, "state": str(land.x)})


@dataclass(frozen=True)
class EndStateOperator:
    spec: EndStateSpec
    name: str = "chain operator (Nystrom), eta -> 0"
    kind: str = "deterministic"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec, land = self.spec, self.spec.landscape
        start = time.perf_counter()
        at_eta, zero, bound = spec.extrapolation()
        bound = bound + spec.point_bias()
        preds, notes = spec.hypothesis_values(hypotheses)
        measurements = tuple(
            Measurement(observable=name, estimate=float(zero[k]), standard_error=0.0,
                        se_method="deterministic (no sampling error)",
                        predictions={lab: p[k] for lab, p in preds.items() if p[k] is not None},
                        bias_bound=float(bound[k]),
                        bias_note="quadratic through three rungs vs line through two and cubic "
                                  "through four, plus grid error (plus intervals vs points under "
                                  "the model's law, if any)")
            for k, name in enumerate(_names(spec)))
        setup = {**land.describe(), "cells": land.cells,
                 "values at each rung": {f"eta = {e:g}": spec.operator_values(e, (3 * land.cells) // 2).tolist()
                                         for e in land.etas},
                 "unavailable": notes}
        return ExperimentResult(measurements, setup, (), time.perf_counter() - start, 0)


def end_state_witnesses(spec: EndStateSpec) -> tuple:
    label = spec.landscape.label
    return (MonteCarloEndState(spec, name=f"Monte Carlo: {label}"),
            EndStateOperator(spec, name=f"chain operator (Nystrom, eta -> 0): {label}"))
