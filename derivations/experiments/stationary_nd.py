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
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from numerics.chains_nd import HistogramSpec, run_chains_nd
from numerics.estimators import delta_method
from numerics.grid_1d import (Grid1D, StationaryGrid1D, fokker_planck_generator,
                              stationary_of_generator, transfer_operator)
from numerics.grid_2d import Grid2D, fokker_planck_2d, gth_banded
from numerics.linear_gaussian import LinearChain
from numerics.poly import horner_numpy
from numerics.quadrature_2d import DensityNotNormalisable, expectations_2d
from numerics.rng import derive_seed
from numerics.stats import extrapolate_to_zero

from ..codegen import concrete
from ..codegen_nd import np_callable_2d, poly_system, update_systems
from ..fokker_planck_nd import sde_coefficients
from ..model import ExperimentResult, Measurement, Plot
from ..symbols import normalisers
from .stationary_1d import BURN_IN_E_FOLDS, MonteCarloBudget

__all__ = ["Statistic", "StationarySpecND", "MonteCarloStationaryND", "FokkerPlanckGrid2D",
           "stationary_nd_witnesses", "configurational_temperatures", "gibbs_shape_statistics",
           "BIAS_MODES", "ZERO_CURRENT", "CURRENT_SYMBOL", "CIRCULATION", "rotation_field", "json_safe"]

BIAS_MODES = ("exact-linear", "separable", "ladder")

#: The hypothesis "the stationary probability current vanishes" (detailed balance): it
#: predicts 0 for every statistic built from current functionals alone, nothing else.
CURRENT_SYMBOL = sp.Symbol("J")
ZERO_CURRENT = sp.Eq(CURRENT_SYMBOL, 0, evaluate=False)


@dataclass(frozen=True)
class Statistic:
    """``f(*means of inputs)``; inputs name observables or current fields of the spec."""

    name: str
    inputs: tuple[str, ...]
    f: Callable[..., float]


def configurational_temperatures(loss: sp.Expr, xs, pooled: bool = False) -> tuple[dict, tuple[Statistic, ...]]:
    """Observables and statistics ``T_i = E[(d_i L)^2] / E[d_ii L]`` and their ratio.

    For ``p = exp(-sum_i L_i(x_i) / T_i)`` (separable) ``T_i`` is coordinate ``i``'s
    temperature; for a Gibbs law ``exp(-L/T)`` every ``T_i = T`` whatever ``L`` (integrate
    ``d_i(p d_i L)`` by parts), so ``T_x / T_y = 1`` for *every* Gibbs law.
    """
    obs, stats = {}, []
    names = [str(x) for x in xs]
    for x, nm in zip(xs, names):
        obs[f"(d{nm} L)^2"] = sp.expand(sp.diff(loss, x) ** 2)
        obs[f"d{nm}{nm} L"] = sp.expand(sp.diff(loss, x, 2))
        stats.append(Statistic(f"T_{nm} = E[(d{nm} L)^2]/E[d{nm}{nm} L]",
                               (f"(d{nm} L)^2", f"d{nm}{nm} L"), lambda a, b: a / b))
    a, b = names[:2]
    stats.append(Statistic(f"T_{a}/T_{b}", (f"(d{a} L)^2", f"d{a}{a} L", f"(d{b} L)^2", f"d{b}{b} L"),
                           lambda p, q, r, s: (p / q) / (r / s)))
    if pooled:
        stats.append(Statistic("T = E[|grad L|^2]/E[lap L]",
                               (f"(d{a} L)^2", f"d{a}{a} L", f"(d{b} L)^2", f"d{b}{b} L"),
                               lambda p, q, r, s: (p + r) / (q + s)))
    cross = sp.expand(sp.diff(loss, xs[0], xs[1]))
    if cross != 0:
        # E[d_x L d_y L] = T E[d_xy L] for a Gibbs law too: a third temperature that must agree.
        obs[f"d{a}L d{b}L"] = sp.expand(sp.diff(loss, xs[0]) * sp.diff(loss, xs[1]))
        obs[f"d{a}{b} L"] = cross
        stats.append(Statistic(f"T_{a}{b}/T_{a}, T_{a}{b} = E[d{a}L d{b}L]/E[d{a}{b} L]",
                               (f"d{a}L d{b}L", f"d{a}{b} L", f"(d{a} L)^2", f"d{a}{a} L"),
                               lambda p, q, r, s: (p / q) / (r / s)))
    return obs, tuple(stats)


#: The current's circulation ``int J . (-y, x) dx`` (angular momentum of the probability flow):
#: 0 under detailed balance; a rotating stationary current makes it non-zero.
CIRCULATION = ("circulation", Statistic("circulation int J . (-y, x) dx", ("circulation",), lambda c: c))


def rotation_field(xs) -> tuple[sp.Expr, sp.Expr]:
    return (-xs[1], xs[0])


def gibbs_shape_statistics(loss: sp.Expr, xs) -> tuple[dict, tuple[Statistic, ...]]:
    """Two configurational temperatures that agree for every Gibbs law, and their ratio.

    For ``p = exp(-L/T)``, ``E[grad L . grad f] = T E[lap f]`` for every ``f``; ``f = L``
    gives ``T_1 = E[|grad L|^2] / E[lap L]`` and ``f = L^2/2`` gives
    ``T_2 = E[L |grad L|^2] / E[|grad L|^2 + L lap L]``. A law that is a function of ``L``
    but not exponential in it (a temperature that varies with ``L``) has ``T_2 != T_1``.
    """
    grad2 = sp.expand(sum(sp.diff(loss, x) ** 2 for x in xs))
    lap = sp.expand(sum(sp.diff(loss, x, 2) for x in xs))
    obs = {"|grad L|^2": grad2, "lap L": lap, "L |grad L|^2": sp.expand(loss * grad2),
           "L lap L": sp.expand(loss * lap)}
    t1 = Statistic("T_1 = E[|grad L|^2]/E[lap L]", ("|grad L|^2", "lap L"), lambda a, b: a / b)
    t21 = Statistic("T_2/T_1, T_2 = E[L|grad L|^2]/E[|grad L|^2 + L lap L]",
                    ("|grad L|^2", "lap L", "L |grad L|^2", "L lap L"),
                    lambda a, b, c, d: (c / (a + d)) / (a / b))
    return obs, (t1, t21)


@dataclass(frozen=True)
class StationarySpecND:
    """A 2-D stationary-law experiment declared once in sympy (see the module docstring).

    ``update`` is ``Delta(state, draws)`` in the claim's symbols; ``step_time`` the time per
    step (``eta`` for SGD); ``functions`` makes function symbols concrete; ``rungs`` give
    every parameter a value; ``ladder`` names the parameter that goes to 0 (ladder modes).
    ``relaxation_time`` (time units) is required by the ``"ladder"`` mode, with a reason in
    ``relaxation_note``. ``support`` (points -> bool) restricts the grid witness to a region the
    process never leaves. ``modulation = (q, a, b)``: the update is ``-q^a F + q^b S xi`` with
    polynomial ``F``, ``S`` and a scalar polynomial ``q > 0`` (a rational preconditioner).
    """

    label: str
    update: sp.Matrix
    state: tuple[sp.Symbol, sp.Symbol]
    draws: tuple[sp.Symbol, ...]
    step_time: sp.Expr
    functions: Mapping
    rungs: tuple[Mapping[sp.Symbol, float], ...]
    observables: Mapping[str, sp.Expr]
    statistics: tuple[Statistic, ...]
    budgets: Mapping[str, MonteCarloBudget]
    bias: str
    ladder: sp.Symbol | None = None
    currents: Mapping[str, tuple[sp.Expr, sp.Expr]] = field(default_factory=dict)
    domain: tuple[tuple[float, float], tuple[float, float]] = ((-3.0, 3.0), (-3.0, 3.0))
    start: tuple[tuple[float, float], tuple[float, float]] = ((-1.0, 1.0), (-1.0, 1.0))
    relaxation_time: float | None = None
    relaxation_note: str = ""
    grid_cells: int = 48
    support: Callable | None = None
    modulation: tuple[sp.Expr, float, float] | None = None
    plot_labels: tuple[str, ...] = ("derived", "stated")
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if self.bias not in BIAS_MODES:
            raise ValueError(f"bias={self.bias!r} must be one of {BIAS_MODES}")
        if self.bias != "exact-linear":
            if self.ladder is None or len(self.rungs) < 3:
                raise ValueError(f"{self.label}: bias={self.bias!r} needs a ladder of >= 3 rungs")
            hs = [float(r[self.ladder]) for r in self.rungs]
            if any(h <= 0 for h in hs) or len(set(hs)) != len(hs):
                raise ValueError(f"{self.label}: ladder values {hs} must be distinct and > 0")
        if self.bias == "ladder" and not (self.relaxation_time and self.relaxation_note):
            raise ValueError(f"{self.label}: bias='ladder' needs relaxation_time and relaxation_note")
        names = set(self.observables) | set(self.currents)
        for s in self.statistics:
            missing = set(s.inputs) - names
            if missing:
                raise ValueError(f"statistic {s.name!r} uses undeclared inputs {sorted(missing)}")

    # --- the process at a rung -------------------------------------------------------------
    def values(self, k: int) -> dict:
        return {s: sp.Float(v, 30) for s, v in self.rungs[k].items()}

    def tau(self, k: int) -> float:
        return float(concrete(self.step_time, self.values(k), self.functions))

    def concrete_update(self, k: int) -> sp.Matrix:
        return sp.Matrix(self.update).applyfunc(lambda e: concrete(e, self.values(k), self.functions))

    def systems(self, k: int):
        key = ("systems", k)
        if key not in self._cache:
            mod = None
            if self.modulation is not None:
                q, a, b = self.modulation
                mod = (concrete(q, self.values(k), self.functions), a, b)
            self._cache[key] = update_systems(self.concrete_update(k), self.state, self.draws, mod)
        return self._cache[key]

    def kernel_modulation(self, k: int):
        """``(q, a, b)`` for the chain kernel, or None."""
        if self.modulation is None:
            return None
        q, a, b = self.modulation
        return (poly_system([concrete(q, self.values(k), self.functions)], self.state, "modulation"), a, b)

    def sde(self, k: int) -> tuple[sp.Matrix, sp.Matrix]:
        key = ("sde", k)
        if key not in self._cache:
            tau = sp.Float(self.tau(k), 30)
            self._cache[key] = sde_coefficients(self.concrete_update(k), self.draws, tau, simplify=False)
        return self._cache[key]

    @property
    def input_names(self) -> list[str]:
        return list(self.observables) + list(self.currents)

    def _obs_exprs(self, k: int) -> list[sp.Expr]:
        return [sp.expand(concrete(e, self.values(k), self.functions)) for e in self.observables.values()]

    def observable_system(self, k: int):
        return poly_system(self._obs_exprs(k), self.state, "observable")

    def field_exprs(self, k: int) -> list[tuple[sp.Expr, sp.Expr]]:
        return [tuple(sp.expand(concrete(g, self.values(k), self.functions)) for g in G)
                for G in self.currents.values()]

    def field_system(self, k: int):
        flat = [g for G in self.field_exprs(k) for g in G]
        return poly_system(flat, self.state, "current field") if flat else None

    def current_integrands(self, k: int) -> list[sp.Expr]:
        """``b . G + (1/2) D : grad G``: its mean under ``p`` is ``int J . G`` at law ``p``."""
        b, D = self.sde(k)
        out = []
        for G in self.field_exprs(k):
            Gm = sp.Matrix(G)
            jac = Gm.jacobian(sp.Matrix(self.state))
            out.append(sp.expand((b.T * Gm)[0] + sum(D[i, j] * jac[i, j] for i in range(2)
                                                      for j in range(2)) / 2))
        return out

    @property
    def ladder_values(self) -> np.ndarray:
        return np.array([float(r[self.ladder]) for r in self.rungs])

    @property
    def reference(self) -> int:
        return int(np.argmin(self.ladder_values)) if self.ladder is not None else 0

    def measured_rungs(self) -> list[int]:
        """Rungs that get their own measurements (every rung for exact-linear, else the reference)."""
        return list(range(len(self.rungs))) if self.bias == "exact-linear" else [self.reference]

    def rung_tag(self, k: int, grid: bool = False) -> str:
        """How a measurement reaches the SDE limit, and at which parameters."""
        how = "SDE limit" if grid else ("SDE limit, exact bias removed" if self.bias == "exact-linear"
                                        else f"{self.ladder} -> 0")
        if self.bias == "exact-linear" and len(self.rungs) > 1:
            return ", ".join(f"{s} = {float(v):g}" for s, v in self.rungs[k].items()) + f"; {how}"
        return how

    # --- hypotheses ---------------------------------------------------------------------------
    def hypothesis_inputs(self, label: str, expr: sp.Basic, k: int) -> tuple[np.ndarray, str | None]:
        key = ("hyp", sp.srepr(expr), k)
        if key not in self._cache:
            values = {**self.values(k), **{z: 1 for z in normalisers()}}
            dens = concrete(expr, values, self.functions)
            x, y = self.state
            logd = sp.expand_log(sp.log(dens), force=True)
            integrands = self._obs_exprs(k) + self.current_integrands(k)
            try:
                vals = expectations_2d(np_callable_2d(logd, x, y),
                                       [np_callable_2d(e, x, y) for e in integrands],
                                       self.domain, name=f"{label} density")
                self._cache[key] = (np.array(vals), None)
            except (DensityNotNormalisable, ValueError) as exc:
                if label == "derived":
                    raise
                self._cache[key] = (np.full(len(integrands), math.nan), str(exc))
        return self._cache[key]

    def statistic_values(self, inputs: np.ndarray) -> list[float]:
        idx = {n: i for i, n in enumerate(self.input_names)}
        out = []
        for s in self.statistics:
            args = [inputs[idx[n]] for n in s.inputs]
            with np.errstate(all="ignore"):
                out.append(float(s.f(*args)) if all(map(math.isfinite, args)) else math.nan)
        return out

    def predictions(self, hypotheses, k: int) -> tuple[dict[str, list[float]], dict[str, str]]:
        """Each density hypothesis's statistics; propositions (``sympy.true``) predict nothing."""
        preds, notes = {}, {}
        for label, expr in hypotheses.items():
            if expr == ZERO_CURRENT:
                # None: this hypothesis says nothing about the statistic (not a failed prediction).
                zero = [float(s.f(*[0.0] * len(s.inputs))) if set(s.inputs) <= set(self.currents)
                        else None for s in self.statistics]
                if any(v is not None for v in zero):
                    preds[label] = zero
                continue
            if isinstance(expr, sp.logic.boolalg.Boolean):
                continue
            inputs, note = self.hypothesis_inputs(label, expr, k)
            preds[label] = self.statistic_values(inputs)
            if note:
                notes[label] = note
        return preds, notes

    def statistic_function(self, s: Statistic) -> Callable[[np.ndarray], float]:
        idx = [self.input_names.index(n) for n in s.inputs]
        return lambda v: s.f(*[v[i] for i in idx])

    # --- exact references ------------------------------------------------------------------------
    def linear_chain(self, k: int) -> LinearChain:
        F, S = self.systems(k)
        return LinearChain.from_polynomials(F, S, self.tau(k))

    def linear_inputs(self, k: int, continuous: bool) -> np.ndarray:
        lc = self.linear_chain(k)
        obs = lc.expectations(self.observable_system(k), continuous)
        fs = self.field_system(k)
        cur = lc.current_functionals(fs, continuous) if fs is not None else np.zeros(0)
        return np.concatenate([obs, cur])

    def separable_chains(self, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per coordinate, the 1-D drift and noise coefficient arrays; ValueError if not separable."""
        F, S = self.systems(k)
        n = 2
        m = S.n_outputs // n
        out = []
        for i in range(n):
            if F.component_variables(i) - {i}:
                raise ValueError(f"{self.label}: drift component {i} depends on other coordinates; "
                                 "bias='separable' needs independent coordinates")
            row = [i * m + l for l in range(m)]
            live = [r for r in row if S.offsets[r + 1] > S.offsets[r]]
            if len(live) != 1 or S.component_variables(live[0]) - {i}:
                raise ValueError(f"{self.label}: noise row {i} must have one entry depending on "
                                 f"coordinate {i} only for bias='separable'")
            out.append((_one_d(F, i, i), _one_d(S, live[0], i)))
        for k_obs, e in enumerate(self._obs_exprs(k)):
            if len(e.free_symbols & set(self.state)) > 1:
                raise ValueError(f"observable {list(self.observables)[k_obs]} mixes coordinates; "
                                 "bias='separable' needs single-coordinate observables")
        return out

    def separable_stationary(self, k: int):
        """Each coordinate's chain on a grid: its transfer operator's stationary law.

        The Gaussian kernel of one step is negligible (< 1e-15) beyond its mean +- 8.3 sd, so
        the operator is banded and its stationary vector comes from the banded GTH solver
        (:func:`numerics.grid_2d.gth_banded`) rather than a dense solve.
        """
        key = ("sep", k)
        if key not in self._cache:
            res = []
            for i, (F1, S1) in enumerate(self.separable_chains(k)):
                lo, hi = self.domain[i]
                grid0 = Grid1D(lo, hi, 64)
                sd = float(np.min(np.abs(horner_numpy(S1, grid0.centres))))
                # >= 4 cells per step sd (the 1-D witnesses' rule).
                n = int(max(400, math.ceil(4.0 * (hi - lo) / sd)))
                grid = Grid1D(lo, hi, n)
                P = transfer_operator(grid, lambda u, F1=F1: horner_numpy(F1, u),
                                      lambda u, S1=S1: horner_numpy(S1, u), 1.0, 1.0)
                res.append(_banded_stationary(grid, P, F1, S1))
            self._cache[key] = res
        return self._cache[key]

    def separable_inputs(self, k: int) -> np.ndarray:
        st = self.separable_stationary(k)
        vals = []
        for e in self._obs_exprs(k):
            dims = [i for i, s in enumerate(self.state) if s in e.free_symbols]
            i = dims[0] if dims else 0
            f = sp.lambdify(self.state[i], e, "numpy")
            c = st[i].grid.centres
            vals.append(st[i].expectation(np.broadcast_to(np.asarray(f(c), dtype=float), c.shape)))
        return np.array(vals)

    def relaxation_steps(self, k: int) -> tuple[float, str]:
        if self.bias == "exact-linear":
            return self.linear_chain(k).relaxation_steps(), "spectral radius of the linear chain's M"
        if self.bias == "separable":
            return (self.separable_relaxation_time() / self.tau(k),
                    "spectral gap of each coordinate's 1-D Fokker-Planck generator (the SDE limit, "
                    "the same at every rung of a fixed-temperature ladder)")
        return self.relaxation_time / self.tau(k), self.relaxation_note

    def separable_relaxation_time(self) -> float:
        """Slowest relaxation time (time units) over the coordinates, from their 1-D generators."""
        if "relax" not in self._cache:
            k = self.reference
            tau = self.tau(k)
            times = []
            for i, (F1, S1) in enumerate(self.separable_chains(k)):
                grid = Grid1D(*self.domain[i], 160)
                Q = fokker_planck_generator(grid, lambda u, F1=F1: -horner_numpy(F1, u) / tau,
                                            lambda u, S1=S1: horner_numpy(S1, u) ** 2 / tau)
                times.append(1.0 / stationary_of_generator(grid, Q).relaxation_rate)
            self._cache["relax"] = max(times)
        return self._cache["relax"]


def json_safe(obj):
    """Plot data and setups as JSON allows them: non-finite numbers become ``None``."""
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def _banded_stationary(grid: Grid1D, P: np.ndarray, F1, S1) -> StationaryGrid1D:
    """Stationary law of the column-stochastic ``P`` keeping the band that carries its mass."""
    x = grid.centres
    reach = np.abs(horner_numpy(F1, x)) + 8.3 * np.abs(horner_numpy(S1, x))
    bw = int(min(grid.n - 1, math.ceil(reach.max() / grid.h) + 1))
    j, i = np.meshgrid(np.arange(grid.n), np.arange(grid.n))
    keep = (np.abs(i - j) <= bw) & (i != j) & (P > 0)
    # P[i, j] is the probability j -> i: as rates from j to i for GTH.
    mass = gth_banded(j[keep], i[keep], P[keep], grid.n, bw)
    return StationaryGrid1D(grid=grid, density=mass / grid.h, relaxation_rate=math.nan)


def _one_d(system, comp: int, var: int) -> np.ndarray:
    """Component ``comp`` of a PolySystem, a polynomial in variable ``var`` only, as 1-D coefficients."""
    lo, hi = system.offsets[comp], system.offsets[comp + 1]
    deg = int(system.exponents[lo:hi, var].max()) if hi > lo else 0
    c = np.zeros(deg + 1)
    for t in range(lo, hi):
        c[system.exponents[t, var]] += system.coefficients[t]
    return c


def _start_points(box, chains: int) -> np.ndarray:
    """An even, hypothesis-free spread of starting points over a box."""
    k = int(math.ceil(math.sqrt(chains)))
    xs = np.linspace(*box[0], k)
    ys = np.linspace(*box[1], k)
    pts = np.array([(a, b) for a in xs for b in ys])
    return np.ascontiguousarray(pts[np.linspace(0, len(pts) - 1, chains).round().astype(int)])


def _density_on_bins(spec: StationarySpecND, expr, k, xe, ye):
    values = {**spec.values(k), **{z: 1 for z in normalisers()}}
    dens = concrete(expr, values, spec.functions)
    xc, yc = 0.5 * (xe[1:] + xe[:-1]), 0.5 * (ye[1:] + ye[:-1])
    X, Y = np.meshgrid(xc, yc, indexing="ij")
    logd = sp.expand_log(sp.log(dens), force=True)
    with np.errstate(all="ignore"):
        lp = np_callable_2d(logd, *spec.state)(X, Y)
        w = np.exp(lp - np.nanmax(lp))
    area = (xe[1] - xe[0]) * (ye[1] - ye[0])
    mass = np.nansum(w) * area
    return (w / mass).tolist() if np.isfinite(mass) and mass > 0 else None


def density_plot(spec: StationarySpecND, hypotheses, k: int, hist: np.ndarray,
                 hspec: HistogramSpec, kept: int) -> Plot:
    """Plot kind ``density-2d``: the chains' histogram against the hypotheses' densities.

    Data keys: ``x_edges``, ``y_edges`` (bin edges), ``simulation`` (density per bin,
    ``[i][j]`` with ``i`` along x), ``laws`` (label -> density per bin, normalised on the
    box), ``state`` (the two coordinate names), ``rung`` (parameters).
    """
    xe, ye = hspec.edges(0), hspec.edges(1)
    area = (xe[1] - xe[0]) * (ye[1] - ye[0])
    laws = {}
    for label in spec.plot_labels:
        if label in hypotheses and not isinstance(hypotheses[label], sp.logic.boolalg.Boolean):
            d = _density_on_bins(spec, hypotheses[label], k, xe, ye)
            if d is not None:
                laws[label] = d
    return Plot("density-2d", f"{spec.label}: stationary histogram against the laws",
                {"x_edges": xe.tolist(), "y_edges": ye.tolist(),
                 "simulation": (hist / (kept * area)).tolist(), "laws": laws,
                 "state": [str(s) for s in spec.state],
                 "rung": {str(s): float(v) for s, v in spec.rungs[k].items()}})


def simulated_current_plot(spec: StationarySpecND, run, hspec: HistogramSpec, kept: int,
                           tau: float) -> Plot:
    """Plot kind ``current-2d`` from the chains: displacements binned at the step's midpoint.

    ``J(bin) ~ sum of displacements / (kept states * step time * bin area)`` (the midpoint
    rule), on 2 x 2 merged bins. Same keys as :func:`current_plot`.
    """
    d = run.displacement.reshape(2, hspec.bins[0] // 2, 2, hspec.bins[1] // 2, 2).sum(axis=(2, 4))
    h = run.hist.reshape(hspec.bins[0] // 2, 2, hspec.bins[1] // 2, 2).sum(axis=(1, 3))
    xe, ye = hspec.edges(0)[::2], hspec.edges(1)[::2]
    area = (xe[1] - xe[0]) * (ye[1] - ye[0])
    J = d / (kept * tau * area)
    return Plot("current-2d", f"{spec.label}: stationary current (simulation)",
                {"x": (0.5 * (xe[1:] + xe[:-1])).tolist(), "y": (0.5 * (ye[1:] + ye[:-1])).tolist(),
                 "jx": J[0].tolist(), "jy": J[1].tolist(), "density": (h / (kept * area)).tolist(),
                 "state": [str(s) for s in spec.state],
                 "source": "simulation: midpoint-binned displacements per unit time"})


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
                plots.append(simulated_current_plot(spec, run, hspec, b.chains * sample, spec.tau(k)))
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


def current_plot(spec: StationarySpecND, st, title: str) -> Plot:
    """Plot kind ``current-2d``: the grid's stationary current field and density.

    Data keys: ``x``, ``y`` (cell centres, subsampled), ``jx``, ``jy`` (current components
    ``[i][j]``), ``density`` (same cells), ``state``, ``source``.
    """
    J = st.current_field()
    dens = st.density
    step = max(1, st.grid.n[0] // 24), max(1, st.grid.n[1] // 24)
    sl = (slice(None, None, step[0]), slice(None, None, step[1]))
    return Plot("current-2d", title,
                {"x": st.grid.centres(0)[sl[0]].tolist(), "y": st.grid.centres(1)[sl[1]].tolist(),
                 "jx": J[0][sl].tolist(), "jy": J[1][sl].tolist(), "density": dens[sl].tolist(),
                 "state": [str(s) for s in spec.state],
                 "source": "stationary Fokker-Planck grid (SDE limit)"})


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
            ring = fine.boundary_mass()
            trunc = max(1e-6, 50.0 * ring)
            for j, s in enumerate(spec.statistics):
                measurements.append(Measurement(
                    observable=f"{s.name} ({spec.rung_tag(k, grid=True)})",
                    estimate=vf[j], standard_error=0.0, se_method="deterministic (no sampling error)",
                    predictions={lab: p[j] for lab, p in preds.items() if p[j] is not None},
                    bias_bound=abs(vf[j] - vc[j]) + trunc * abs(vf[j]) + rounding,
                    bias_note=(f"grid refinement |{fine.grid.n} cells - {coarse.grid.n} cells| (a "
                               "second-order scheme: bounds the finer grid's error) + box truncation "
                               f"and quadrature, max(1e-6, 50 x mass in the boundary cells = {ring:.1e}) "
                               "relative, + 1e-10 of the inputs' scale for rounding")))
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
