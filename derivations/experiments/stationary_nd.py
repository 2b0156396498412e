"""Witnesses for stationary laws in two dimensions: Monte Carlo chains and the Fokker-Planck grid.

A :class:`StationarySpecND` declares the process once in sympy (a vector update
``Delta(x, xi)`` linear in the draws, its time per step), the rungs of parameters, named
polynomial *observables*, named *current fields* ``G`` (whose functional ``int J . G``
measures the probability current, e.g. its circulation for ``G = (-y, x)``), and the
*statistics* computed from their stationary means (e.g. a per-coordinate configurational
temperature ``T_x = E[(d_x L)^2] / E[d_xx L]``, which equals ``T`` for any Gibbs law
``exp(-L/T)`` and any loss, by integration by parts).

Discrete SGD is not the SDE: at a finite step the chain's law is off at O(step). Each spec
names how that bias is handled (``bias``):

- ``"exact-linear"``: the process is linear (quadratic loss, constant noise and
  preconditioner). Its stationary law at the simulated step is known exactly (discrete
  Lyapunov equation), and so is the SDE's (continuous Lyapunov); their difference is the
  exact bias, added to the chain means before the statistic (:mod:`numerics.linear_gaussian`).
  Each rung gives its own measurements.
- ``"separable"``: the process factorises into independent 1-D chains (separable loss,
  diagonal noise and preconditioner). Rungs form a ladder at fixed temperature; the chain's
  exact finite-step expectations come from each coordinate's 1-D transfer operator, whose
  curvature along the ladder bounds the extrapolation's remainder (as in the 1-D witnesses).
- ``"ladder"``: anything else. The ladder's curvature is fitted from the chains
  themselves (a wider, noise-limited bound; :func:`numerics.stats.extrapolate_to_zero`).

The deterministic third witness (:class:`FokkerPlanckGrid2D`) solves the stationary
Fokker-Planck equation of the SDE limit on a grid with the full diffusion matrix
(:mod:`numerics.grid_2d`), on ``n`` and ``2 n`` cells; the bound is their difference.
Hypotheses (densities up to normalisation) predict every statistic by 2-D quadrature; a
current statistic is predicted as ``E_p[b . G + (1/2) D : grad G]``, the current functional
the process would carry if its law were ``p`` (integration by parts of the Ito current).

The declaration lives in :mod:`.spec_nd`, the statistics in :mod:`.statistics_nd`, the plots
in :mod:`.plots_nd`; this module holds the two witnesses.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import sympy as sp

from numerics.chains_nd import HistogramSpec, run_chains_nd
from numerics.estimators import delta_method
from numerics.grid_2d import Grid2D, fokker_planck_2d
from numerics.rng import derive_seed
from numerics.stats import extrapolate_to_zero

from ..model import ExperimentResult, Measurement, Plot
from .plots_nd import current_plot, density_plot
from .spec_nd import BIAS_MODES, StationarySpecND
from .stationary_1d import BURN_IN_E_FOLDS
from .statistics_nd import (CIRCULATION, CURRENT_SYMBOL, ZERO_CURRENT, Statistic,
                            configurational_temperatures, gibbs_shape_statistics, json_safe,
                            rotation_field)

__all__ = ["Statistic", "StationarySpecND", "MonteCarloStationaryND", "FokkerPlanckGrid2D",
           "stationary_nd_witnesses", "configurational_temperatures", "gibbs_shape_statistics",
           "BIAS_MODES", "ZERO_CURRENT", "CURRENT_SYMBOL", "CIRCULATION", "rotation_field", "json_safe"]


def _start_points(box, chains: int) -> np.ndarray:
    """An even, hypothesis-free spread of starting points over a box."""
    k = int(math.ceil(math.sqrt(chains)))
    xs = np.linspace(*box[0], k)
    ys = np.linspace(*box[1], k)
    pts = np.array([(a, b) for a in xs for b in ys])
    return np.ascontiguousarray(pts[np.linspace(0, len(pts) - 1, chains).round().astype(int)])


@dataclass(frozen=True)
class MonteCarloStationaryND:
    spec: StationarySpecND
    name: str = "Monte Carlo chains (2-D)"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        if budget not in spec.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(spec.budgets)}")
        b = spec.budgets[budget]
        start = time.perf_counter()
        x0 = _start_points(spec.start, b.chains)
        per_rung, info, chain_steps, plots = [], [], 0, []
        hspec = HistogramSpec(tuple(a for a, _ in spec.domain), tuple(c for _, c in spec.domain), (48, 48))
        for k in range(len(spec.rungs)):
            F, S = spec.systems(k)
            relax, relax_note = spec.relaxation_steps(k)
            burn = int(math.ceil(BURN_IN_E_FOLDS * relax))
            sample = int(math.ceil(b.sample_relaxations * relax))
            run = run_chains_nd(F, S, x0=x0, n_steps=burn + sample, burn_in=burn,
                                seed=derive_seed(seed, k), observables=spec.observable_system(k),
                                fields=spec.field_system(k), modulation=spec.kernel_modulation(k),
                                hist=hspec if k == spec.measured_rungs()[0] else None)
            chain_steps += run.chain_steps
            per_chain = np.hstack([run.observables, run.currents / spec.tau(k)])
            shift = None
            if spec.bias == "exact-linear":
                shift = spec.linear_inputs(k, True) - spec.linear_inputs(k, False)
            ests = [delta_method(per_chain, spec.statistic_function(s), shift) for s in spec.statistics]
            per_rung.append(ests)
            # Rounding: sums over ~1e4 steps carry ~1e-12 of the inputs' scale; some estimators
            # vanish identically (e.g. the circulation of two equal-curvature decoupled chains).
            rounding = 1e-10 * float(np.sqrt(np.mean(per_chain**2)))
            info.append({"rung": {str(s): float(v) for s, v in spec.rungs[k].items()},
                         "relaxation_steps": relax, "relaxation_rule": relax_note,
                         "burn_in": burn, "sample_steps": sample, "seed": run.seed,
                         "seconds": run.seconds,
                         "estimates": {s.name: [e.value, e.se] for s, e in zip(spec.statistics, ests)},
                         **({"exact_bias_removed": dict(zip(spec.input_names, shift.tolist()))}
                            if shift is not None else {})})
            if run.hist is not None:
                plots.append(density_plot(spec, hypotheses, k, run.hist, hspec, b.chains * sample))
        measurements, notes = [], {}
        if spec.bias == "exact-linear":
            for k in spec.measured_rungs():
                preds, nts = spec.predictions(hypotheses, k)
                notes.update(nts)
                for j, s in enumerate(spec.statistics):
                    e = per_rung[k][j]
                    measurements.append(Measurement(
                        observable=f"{s.name} ({spec.rung_tag(k)})", estimate=e.value,
                        standard_error=e.se, se_method=e.method,
                        predictions={lab: p[j] for lab, p in preds.items() if p[j] is not None},
                        bias_bound=1e-9 * abs(e.value) + rounding,
                        bias_note=("exact: the chain's discrete-Lyapunov stationary law minus the "
                                   "SDE's continuous-Lyapunov law, removed from the means "
                                   "(1e-9 relative + 1e-10 of the inputs' scale cover rounding)")))
        else:
            k = spec.reference
            preds, notes = spec.predictions(hypotheses, k)
            h = spec.ladder_values
            if spec.bias == "separable":
                exact = np.array([spec.statistic_values(spec.separable_inputs(r))
                                  for r in range(len(spec.rungs))])
                curvature = np.polyfit(h, exact, 2)[0]
                note = "1-D transfer operators of the independent coordinates"
            else:
                curvature, note = [None] * len(spec.statistics), ""
            series = []
            for j, s in enumerate(spec.statistics):
                y = np.array([r[j].value for r in per_rung])
                se = np.array([r[j].se for r in per_rung])
                c = curvature[j]
                ext = extrapolate_to_zero(h, y, se, curvature=None if c is None else float(c),
                                          curvature_note=note)
                measurements.append(Measurement(
                    observable=f"{s.name} ({spec.rung_tag(k)})", estimate=ext.value,
                    standard_error=ext.se, se_method=f"{per_rung[0][j].method} at each rung; {ext.method}",
                    predictions={lab: p[j] for lab, p in preds.items() if p[j] is not None},
                    bias_bound=ext.bias_bound, bias_note=ext.bias_note))
                series.append({"observable": s.name, "h": h.tolist(), "y": y.tolist(),
                               "se": se.tolist(), "extrapolated": [ext.value, ext.se]})
            plots.append(Plot("ladder", f"{spec.label}: extrapolation in {spec.ladder}",
                              {"ladder": str(spec.ladder), "series": series,
                               "predictions": {lab: p for lab, p in preds.items()}}))
        setup = {"process": spec.label, "update": sp.sstr(spec.update), "state": [str(s) for s in spec.state],
                 "time_per_step": sp.sstr(spec.step_time),
                 "functions": {str(f): sp.sstr(lam) for f, lam in spec.functions.items()},
                 "observables": {k: sp.sstr(v) for k, v in spec.observables.items()},
                 "current_fields": {k: [sp.sstr(g) for g in v] for k, v in spec.currents.items()},
                 "bias_handling": spec.bias, "chains": b.chains,
                 "sample_relaxations": b.sample_relaxations,
                 "burn_in_rule": f"{BURN_IN_E_FOLDS} relaxation times",
                 "start": f"evenly spread on {spec.start} (hypothesis-free)",
                 "rungs": info, "unnormalisable": notes, "seed": seed}
        plots = [Plot(pl.kind, pl.title, json_safe(pl.data)) for pl in plots]
        return ExperimentResult(tuple(measurements), json_safe(setup), tuple(plots),
                                time.perf_counter() - start, chain_steps)


def _auto_grid(spec: StationarySpecND, k: int, n: int) -> Grid2D:
    """Cells with ``h_x/h_y = sqrt(D_11/D_22)`` at the box centre and about ``n^2`` of them."""
    b, D = spec.sde(k)
    (x0, x1), (y0, y1) = spec.domain
    centre = {spec.state[0]: (x0 + x1) / 2, spec.state[1]: (y0 + y1) / 2}
    Dc = np.array(D.subs(centre), dtype=float)
    r = math.sqrt(Dc[0, 0] / Dc[1, 1])
    hy = math.sqrt((x1 - x0) * (y1 - y0) / (r * n * n))
    nx = max(8, int(round((x1 - x0) / (r * hy))))
    ny = max(8, int(round((y1 - y0) / hy)))
    return Grid2D((x0, y0), (x1, y1), (nx, ny))


def _vector_callable(exprs, state):
    f = sp.lambdify(state, list(exprs), "numpy")

    def call(pts):
        vals = f(pts[:, 0], pts[:, 1])
        return np.column_stack([np.broadcast_to(np.asarray(v, dtype=float), pts.shape[0]) for v in vals])
    return call


def _matrix_callable(M, state):
    f = sp.lambdify(state, [M[i, j] for i in range(2) for j in range(2)], "numpy")

    def call(pts):
        vals = f(pts[:, 0], pts[:, 1])
        arr = np.column_stack([np.broadcast_to(np.asarray(v, dtype=float), pts.shape[0]) for v in vals])
        return arr.reshape(-1, 2, 2)
    return call


@dataclass(frozen=True)
class FokkerPlanckGrid2D:
    spec: StationarySpecND
    name: str = "Fokker-Planck grid (2-D)"
    kind: str = "deterministic"

    def solve(self, k: int, n: int):
        spec = self.spec
        key = ("grid", k, n)
        if key not in spec._cache:
            b, D = spec.sde(k)
            grid = _auto_grid(spec, k, n)
            spec._cache[key] = fokker_planck_2d(grid, _vector_callable(list(b), spec.state),
                                                _matrix_callable(D, spec.state), spec.support)
        return spec._cache[key]

    def inputs(self, st, k: int) -> np.ndarray:
        spec = self.spec
        pts = st.grid.points
        vals = []
        for e in spec._obs_exprs(k):
            f = sp.lambdify(spec.state, e, "numpy")
            vals.append(st.expectation(np.broadcast_to(np.asarray(f(pts[:, 0], pts[:, 1]), dtype=float),
                                                       pts.shape[0])))
        for G in spec.field_exprs(k):
            vals.append(st.current_functional(_vector_callable(G, spec.state)))
        return np.array(vals)

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        n = spec.grid_cells if budget == "quick" else 2 * spec.grid_cells
        measurements, plots, info, notes = [], [], [], {}
        for k in spec.measured_rungs():
            coarse, fine = self.solve(k, n), self.solve(k, 2 * n)
            inputs_fine = self.inputs(fine, k)
            vc = spec.statistic_values(self.inputs(coarse, k))
            vf = spec.statistic_values(inputs_fine)
            # Rounding (grid sums, quadrature of the predictions): 1e-10 of the inputs' scale.
            rounding = 1e-10 * float(np.sqrt(np.mean(inputs_fine**2)))
            preds, nts = spec.predictions(hypotheses, k)
            notes.update(nts)
            # The box cuts the tail off (reflecting): put the tail, extrapolated geometrically from
            # the two outer rings, back on the outer ring and take 10 x the statistics' change
            # (observables are largest out there, so the change can exceed the tail's mass).
            tail = fine.tail_mass()
            if math.isfinite(tail):
                vt = spec.statistic_values(self.inputs(fine.with_tail(), k))
                trunc = [10.0 * abs(a - b) for a, b in zip(vt, vf)]
            else:  # a tail that does not decay bounds nothing
                trunc = [abs(v) for v in vf]
            for j, s in enumerate(spec.statistics):
                measurements.append(Measurement(
                    observable=f"{s.name} ({spec.rung_tag(k, grid=True)})",
                    estimate=vf[j], standard_error=0.0, se_method="deterministic (no sampling error)",
                    predictions={lab: p[j] for lab, p in preds.items() if p[j] is not None},
                    bias_bound=abs(vf[j] - vc[j]) + trunc[j] + rounding,
                    bias_note=(f"grid refinement |{fine.grid.n} cells - {coarse.grid.n} cells| (a "
                               "second-order scheme: bounds the finer grid's error) + box truncation, "
                               f"10 x the change when the tail beyond the box (extrapolated from its "
                               f"outer rings: {tail:.1e}) is put back, + 1e-10 of the inputs' scale "
                               "for rounding")))
            info.append({"rung": {str(s): float(v) for s, v in spec.rungs[k].items()},
                         "cells": [list(coarse.grid.n), list(fine.grid.n)], "box": spec.domain,
                         "coarse": vc, "fine": vf})
            if k == spec.measured_rungs()[0]:
                plots.append(current_plot(spec, fine, f"{spec.label}: stationary current (grid)"))
        setup = {"process": spec.label, "equation": "dp/dt = -div(b p - (1/2) div(D p)), b and D per "
                 "unit time from the update's per-step moments",
                 "scheme": "lattice-direction split of D, Scharfetter-Gummel fluxes, GTH solve "
                           "(numerics.grid_2d)", "rungs": info, "unnormalisable": notes}
        plots = [Plot(pl.kind, pl.title, json_safe(pl.data)) for pl in plots]
        return ExperimentResult(tuple(measurements), json_safe(setup), tuple(plots),
                                time.perf_counter() - start, 0)


def stationary_nd_witnesses(spec: StationarySpecND) -> tuple:
    """Both witnesses of a 2-D spec: Monte Carlo chains and the Fokker-Planck grid."""
    return (MonteCarloStationaryND(spec, name=f"Monte Carlo: {spec.label}"),
            FokkerPlanckGrid2D(spec, name=f"Fokker-Planck grid: {spec.label}"))
