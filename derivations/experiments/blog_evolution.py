"""Time evolution of the blog's model: an ensemble's mean and spread, by SGD chains and by the master equation.

The post validates its master equation by evolving a distribution from about
N(0.5, 0.175^2) and comparing its mean and standard deviation over time with a Monte Carlo
run of (stochastic) gradient descent; its own solver was unstable. Here:

- hypotheses are master equations ``dp/dt = RHS`` (t counts SGD steps), sympy expressions
  linear in ``p, p', p''``. Each is brought to flux form ``J = m p - D p'`` with
  ``D = a2``, ``m = a2' - a1`` (``RHS = a2 p'' + a1 p' + a0 p``; conservation requires
  ``a0 = -m'``, checked) and solved by the positivity-preserving finite-volume scheme of
  :mod:`numerics.fv_1d` (Scharfetter-Gummel fluxes, implicit Euler, Richardson in the time
  step), or, when ``D = 0`` (gradient descent), exactly along its characteristics
  ``dW/dt = m(W)`` (RK4 on quadrature nodes of the initial law): upwinding would smear it;
- :class:`MonteCarloEvolution` runs independent chains from iid draws of the initial law at
  the smallest learning rate of the landscape's ladder (``eta V = c S^2`` fixed) and reports
  mean and sd at the chosen times ``tau = eta * steps``; standard errors from iid chains;
- the chain at finite ``eta`` is not the ``eta -> 0`` limit: its own law, computed
  deterministically (Nystrom operator, or for gradient descent the exact push-forward of
  quadrature nodes) on the ladder and extrapolated, gives the bias bound, and is
  :class:`ChainEvolution`, the deterministic witness.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.ensemble_stats import sd_with_se
from numerics.ensemble_1d import run_snapshots_1d
from numerics.fv_1d import evolve_implicit_euler, fv_generator
from numerics.rng import derive_seed, normals
from numerics.stats import mean_over_chains

from ..codegen_piecewise import substitute_functions
from ..model import ExperimentResult, Measurement, Plot
from .blog_landscape import Landscape, ladder_limit

__all__ = ["EvolutionBudget", "EvolutionSpec", "MonteCarloEvolution", "ChainEvolution",
           "evolution_witnesses", "NotAMasterEquation"]

_QUAD_NODES = 4001  # initial-law quadrature for characteristics and push-forwards (+-8 sd)


class NotAMasterEquation(ValueError):
    """A hypothesis is not a conservative linear equation in p, p', p''."""


@dataclass(frozen=True)
class EvolutionBudget:
    chains: int


@dataclass(frozen=True)
class EvolutionSpec:
    """Mean and sd of W at physical times ``taus`` (``tau = eta * steps``) from ``N(mean0, sd0^2)``."""

    landscape: Landscape
    p_fn: sp.FunctionClass
    G_fn: sp.FunctionClass
    V_fn: sp.FunctionClass
    eta: sp.Symbol
    mean0: float
    sd0: float
    taus: tuple[float, ...]
    budgets: Mapping[str, EvolutionBudget]
    deterministic_gd: bool = False  # V = 0: gradient descent, no noise at all

    def steps(self, eta: float) -> np.ndarray:
        n = np.array([t / eta for t in self.taus])
        if np.any(np.abs(n - np.round(n)) > 1e-9):
            raise ValueError(f"times {self.taus} must be whole numbers of steps at eta = {eta}")
        return np.round(n).astype(np.int64)

    # -- hypotheses: master equations -> (mean, sd) at each time --------------------------
    def coefficients(self, rhs: sp.Expr):
        """``(D, m)`` callables of the flux form of ``dp/dt = rhs`` at the smallest eta."""
        land, x = self.landscape, self.landscape.x
        values = {self.eta: sp.Float(land.etas[0], 30)}
        e = substitute_functions(rhs, land.functions(self.G_fn, self.V_fn), values).doit()
        P0, P1, P2 = sp.symbols("P0 P1 P2")
        pw = self.p_fn(x)
        e = e.subs(sp.Derivative(pw, (x, 2)), P2).subs(sp.Derivative(pw, x), P1).subs(pw, P0)
        e = sp.expand(e)
        if e.free_symbols - {x, P0, P1, P2} or sp.Poly(e, P0, P1, P2).total_degree() > 1:
            raise NotAMasterEquation(f"{rhs} is not linear in p, p', p'' with known coefficients")
        a2, a1, a0 = (e.coeff(s) for s in (P2, P1, P0))
        m = sp.diff(a2, x) - a1
        leftover = a0 + sp.diff(m, x)
        xs = land.grid(land.cells).centres
        f = sp.lambdify(x, leftover, "numpy")
        if np.max(np.abs(np.broadcast_to(f(xs), xs.shape))) > 1e-9:
            raise NotAMasterEquation(f"{rhs} does not conserve probability (a0 != -m')")
        D = sp.lambdify(x, a2, "numpy")
        M = sp.lambdify(x, m, "numpy")
        return (lambda u: np.broadcast_to(np.asarray(D(u), float), np.shape(u)).copy(),
                lambda u: np.broadcast_to(np.asarray(M(u), float), np.shape(u)).copy())

    def _initial(self, xs):
        return np.exp(-0.5 * ((xs - self.mean0) / self.sd0) ** 2)

    def solve(self, rhs: sp.Expr, cells: int | None = None, dt: float = 1.0):
        """``(means, sds, error bound)`` of the master equation at the times, and its densities
        (cached per hypothesis: both witnesses predict with the same solutions). The bound adds
        the time-step error (implicit Euler at dt and 2 dt, Richardson) and, on the default
        grid, the grid error (the same on half the cells)."""
        land = self.landscape
        key = ("solve", sp.srepr(rhs), self.mean0, self.sd0, self.taus, cells, dt)
        if key not in land._cache:
            land._cache[key] = self._solve(rhs, cells, dt)
        return land._cache[key]

    def _solve(self, rhs, cells, dt):
        land = self.landscape
        D, m = self.coefficients(rhs)
        steps = self.steps(land.etas[0])
        grid = land.grid(cells or land.cells)
        if np.all(D(grid.centres) == 0):
            return self._characteristics(m, steps) + (None,)
        Q = fv_generator(grid, m, lambda u: 2 * D(u), convention="fickian")
        p0 = self._initial(grid.centres)
        p0 /= p0.sum() * grid.h

        def run(step):
            k = np.round(steps / step).astype(np.int64)
            ev = evolve_implicit_euler(grid, Q, p0, step, np.concatenate([[0], k]))
            return ev.densities[1:]

        coarse, fine = run(2 * dt), run(dt)
        rich = np.maximum(2 * fine - coarse, 0.0)  # implicit Euler is first order in dt
        mom = np.array([_moments(grid.centres, d) for d in rich])
        err = np.abs(mom - np.array([_moments(grid.centres, d) for d in fine]))
        if cells is None:  # grid error: the same solution on half the cells
            half = self._solve(rhs, grid.n // 2, dt)
            err = err + np.abs(mom - np.stack([half[0], half[1]], axis=1))
        return mom[:, 0], mom[:, 1], err, (grid, rich)

    def _characteristics(self, m, steps):
        x, w = self._nodes()
        out, t_prev, y = [], 0.0, x.copy()
        for n in steps:
            h = (n - t_prev) / max(1, int(math.ceil((n - t_prev) / 0.5)))
            while t_prev < n - 1e-12:  # RK4 in steps, h <= 1/2 step
                k1 = m(y)
                k2 = m(y + h / 2 * k1)
                k3 = m(y + h / 2 * k2)
                k4 = m(y + h * k3)
                y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
                t_prev += h
            out.append(_weighted_moments(y, w))
        mom = np.array(out)
        return mom[:, 0], mom[:, 1], np.full_like(mom, 1e-9)

    def _nodes(self):
        x = self.mean0 + self.sd0 * np.linspace(-8, 8, _QUAD_NODES)
        w = self._initial(x)
        return x, w / w.sum()

    def predictions(self, hypotheses) -> tuple[dict, dict]:
        preds, notes = {}, {}
        for label, h in hypotheses.items():
            try:
                mean, sd, _, _ = self.solve(h)
                preds[label] = np.concatenate([mean, sd])
            except (NotAMasterEquation, ValueError, TypeError) as exc:
                preds[label] = np.full(2 * len(self.taus), np.nan)
                notes[label] = str(exc)
        return preds, notes

    # -- the chain's own law on the ladder ---------------------------------------------------
    def chain_moments(self, eta: float, cells: int) -> np.ndarray:
        """``[means..., sds...]`` of the chain at ``eta`` at the times (deterministic)."""
        land = self.landscape
        key = ("evolution", self.mean0, self.sd0, self.taus, eta, cells, self.deterministic_gd)
        if key in land._cache:
            return land._cache[key]
        steps = self.steps(eta)
        if self.deterministic_gd:
            y, w = self._nodes()
            out, k = [], 0
            for n in steps:
                while k < n:
                    y = y - eta * land.G(y)
                    k += 1
                out.append(_weighted_moments(y, w))
        else:
            grid = land.grid(cells)
            P = land.transfer(eta, cells)
            mass = self._initial(grid.centres)
            mass /= mass.sum()
            out, k = [], 0
            for n in steps:
                while k < n:
                    mass = P @ mass
                    k += 1
                out.append(_weighted_moments(grid.centres, mass))
        mom = np.array(out)
        land._cache[key] = np.concatenate([mom[:, 0], mom[:, 1]])
        return land._cache[key]

    def extrapolation(self):
        """``(chain at the smallest eta, eta -> 0 limit, bound on the latter)`` per observable
        (:func:`.blog_landscape.ladder_limit`; grid error ``n`` vs ``3n/2`` cells)."""
        h = np.array(self.landscape.etas)
        n = self.landscape.cells
        fine = np.array([self.chain_moments(e, (3 * n) // 2) for e in h])
        coarse = None if self.deterministic_gd else np.array(
            [self.chain_moments(e, n) for e in h[:3]])
        zero, bound = ladder_limit(h, fine, coarse)
        return fine[0], zero, bound

    def names(self) -> list[str]:
        return ([f"mean of W at tau = eta t = {t:g}" for t in self.taus]
                + [f"sd of W at tau = eta t = {t:g}" for t in self.taus])


def _moments(xs, density):
    w = density / density.sum()
    mean = float(w @ xs)
    return mean, math.sqrt(max(float(w @ (xs - mean) ** 2), 0.0))


def _weighted_moments(xs, w):
    mean = float(w @ xs)
    return mean, math.sqrt(max(float(w @ (xs - mean) ** 2), 0.0))


@dataclass(frozen=True)
class MonteCarloEvolution:
    spec: EvolutionSpec
    name: str = "Monte Carlo ensemble"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec, land = self.spec, self.spec.landscape
        if budget not in spec.budgets:
            raise ValueError(f"budget={budget!r} must be one of {sorted(spec.budgets)}")
        start = time.perf_counter()
        eta = land.etas[0]
        n = spec.budgets[budget].chains
        x0 = spec.mean0 + spec.sd0 * normals(derive_seed(seed, "initial"), n, 1)[:, 0]
        kw = land.kernel_arguments(eta)
        if spec.deterministic_gd:
            kw["b"] = 0.0
        steps = spec.steps(eta)
        snap = run_snapshots_1d(**kw, x0=x0, record=np.concatenate([[0], steps]),
                                seed=derive_seed(seed, "chains"))
        if np.any(snap.escaped):
            raise FloatingPointError(f"{int(np.count_nonzero(snap.escaped))} chains escaped: the "
                                     f"step eta = {eta} is unstable here")
        states = snap.states[:, 1:]
        ests = ([mean_over_chains(states[:, k]) for k in range(len(steps))]
                + [sd_with_se(states[:, k]) for k in range(len(steps))])
        at_eta, zero, ext = spec.extrapolation()
        grid_at_eta = (np.zeros_like(at_eta) if spec.deterministic_gd
                       else np.abs(at_eta - spec.chain_moments(eta, land.cells)))
        preds, notes = spec.predictions(hypotheses)
        _, _, solver_err, _ = spec.solve(hypotheses["derived"])
        solver = np.concatenate([solver_err[:, 0], solver_err[:, 1]])
        how = "exact push-forward of the GD map" if spec.deterministic_gd else "Nystrom operator"
        measurements = []
        for k, (name, est) in enumerate(zip(spec.names(), ests)):
            # The chain at eta is not the eta -> 0 limit: remove its own shift, computed
            # deterministically from the chain ({how}; no hypothesis enters), and bound what
            # remains: the limit's extrapolation error, the shift's grid error, and the error of
            # the master-equation solver that computes the predictions.
            shift = at_eta[k] - zero[k]
            bias = ext[k] + grid_at_eta[k] + solver[k]
            measurements.append(Measurement(
                observable=f"{name} (eta -> 0 at eta V = {land.temperature:g} S^2)",
                estimate=float(est.value - shift), standard_error=est.se,
                se_method=(f"{est.method}; Monte Carlo at eta = {eta:g} ({est.value:.5g}) minus the "
                           f"chain's own shift to eta -> 0 ({shift:+.3g}, {how} on the ladder "
                           f"{list(land.etas)})"),
                predictions={lab: float(p[k]) for lab, p in preds.items()}, bias_bound=float(bias),
                bias_note=(f"the eta -> 0 extrapolation's error {ext[k]:.2g} + the shift's grid "
                           f"error {grid_at_eta[k]:.2g} + the master-equation solver's own error "
                           f"{solver[k]:.2g} (time step halving with Richardson, half grid)")))
        T = len(spec.taus)
        plots = (Plot("series", f"{land.label}: mean of W over time",
                      {"x": list(spec.taus), "xlabel": "tau = eta t",
                       "ylabel": "mean of W",
                       "series": {"Monte Carlo (eta -> 0)": [m.estimate for m in measurements[:T]],
                                  **{lab: [float(v) for v in p[:T]] for lab, p in preds.items()
                                     if np.all(np.isfinite(p))}}}),
                 Plot("series", f"{land.label}: sd of W over time",
                      {"x": list(spec.taus), "xlabel": "tau = eta t", "ylabel": "sd of W",
                       "series": {"Monte Carlo (eta -> 0)": [m.estimate for m in measurements[T:]],
                                  **{lab: [float(v) for v in p[T:]] for lab, p in preds.items()
                                     if np.all(np.isfinite(p))}}}))
        setup = {**land.describe(), "eta (Monte Carlo)": eta, "chains": n,
                 "initial": f"iid N({spec.mean0}, {spec.sd0}^2)",
                 "steps": steps.tolist(), "gradient descent only": spec.deterministic_gd,
                 "raw Monte Carlo at eta (value, se)": [[e.value, e.se] for e in ests],
                 "chain at eta (deterministic)": at_eta.tolist(), "chain's eta -> 0 limit": zero.tolist(),
                 "unavailable": notes, "seed": seed}
        return ExperimentResult(tuple(measurements), setup, plots, time.perf_counter() - start,
                                snap.chain_steps)


@dataclass(frozen=True)
class ChainEvolution:
    spec: EvolutionSpec
    name: str = "chain law on the ladder, eta -> 0"
    kind: str = "deterministic"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        at_eta, zero, ext = spec.extrapolation()
        preds, notes = spec.predictions(hypotheses)
        _, _, solver_err, _ = spec.solve(hypotheses["derived"])
        solver = np.concatenate([solver_err[:, 0], solver_err[:, 1]])
        how = ("exact push-forward of 4001 quadrature nodes by the gradient-descent map"
               if spec.deterministic_gd else "Nystrom operator of the chain")
        measurements = tuple(
            Measurement(observable=f"{name} (eta -> 0 at eta V = {spec.landscape.temperature:g} S^2)",
                        estimate=float(zero[k]), standard_error=0.0,
                        se_method=f"deterministic: {how}, quadratic through three rungs of {list(spec.landscape.etas)}",
                        predictions={lab: float(p[k]) for lab, p in preds.items()},
                        bias_bound=float(ext[k] + solver[k]),
                        bias_note="quadratic vs line through the two smallest rungs and vs cubic "
                                  "through four, grid error, and the master-equation solver's own error")
            for k, name in enumerate(spec.names()))
        setup = {"rungs": list(spec.landscape.etas), "method": how, "unavailable": notes,
                 "chain at each rung": {f"eta = {e:g}": spec.chain_moments(
                     e, spec.landscape.cells if spec.deterministic_gd else (3 * spec.landscape.cells) // 2).tolist()
                     for e in spec.landscape.etas}}
        return ExperimentResult(measurements, setup, (), time.perf_counter() - start, 0)


def evolution_witnesses(spec: EvolutionSpec) -> tuple:
    label = spec.landscape.label
    return (MonteCarloEvolution(spec, name=f"Monte Carlo: {label}"),
            ChainEvolution(spec, name=f"chain law (deterministic, eta -> 0): {label}"))
