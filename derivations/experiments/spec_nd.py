"""The declaration of a 2-D stationary-law experiment, and its exact references.

See :mod:`derivations.experiments.stationary_nd` for what the witnesses do with it. A
:class:`StationarySpecND` holds the process (a sympy vector update and its time per step),
the rungs, the observables, current fields and statistics, and how the discretisation bias is
handled (``bias``): exactly for linear chains (Lyapunov), through 1-D transfer operators for
separable ones, or by a ladder with a fitted curvature. It also computes what the hypotheses
(densities) predict, by 2-D quadrature.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from numerics.grid_1d import (Grid1D, StationaryGrid1D, fokker_planck_generator,
                              stationary_of_generator, transfer_operator)
from numerics.grid_2d import gth_banded
from numerics.linear_gaussian import LinearChain
from numerics.poly import horner_numpy
from numerics.quadrature_2d import DensityNotNormalisable, expectations_2d

from ..codegen import concrete
from ..codegen_nd import np_callable_2d, poly_system, update_systems
from ..fokker_planck_nd import sde_coefficients
from ..symbols import normalisers
from .stationary_1d import MonteCarloBudget
from .statistics_nd import ZERO_CURRENT, Statistic

__all__ = ["StationarySpecND", "BIAS_MODES"]

BIAS_MODES = ("exact-linear", "separable", "ladder")


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
