"""Witness for RMSProp's effective per-parameter rates, in two dimensions.

RMSProp divides each coordinate's step by ``sqrt(s[i])``, a running average of ``g_hat[i]^2``
(deck 003). A :class:`RMSPropSpec` declares the loss gradient and the noise (sympy), ``N_s``
and a ladder of ``eta``. Hypotheses are per-parameter rate vectors ``(eta_x, eta_y)`` (sympy);
each predicts

- ``sqrt(E[s_i]) / sigma_i = eta / (eta_i sigma_i)``: the RMS denominator, in units of the noise;
- ``T_x / T_y = (eta_x sigma_x^2) / (eta_y sigma_y^2)``: the stationary temperatures' ratio for a
  separable quadratic loss with equal curvatures (``T_i = E[x_i^2]`` then), since SGD at rate
  ``eta_i`` and noise ``sigma_i`` has temperature ``eta_i sigma_i^2 / 2`` in that coordinate.

:class:`MonteCarloRMSProp` runs the chains (:mod:`numerics.rmsprop_nd`) on the ladder and
extrapolates to ``eta -> 0`` with a fitted curvature (no exact finite-step reference exists).
The fluctuation of ``s`` about its mean affects both coordinates alike (``s_i / sigma_i^2`` has
the same law in both as ``g -> 0``), so it cancels in ``T_x / T_y``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.estimators import delta_method
from numerics.rmsprop_nd import run_rmsprop
from numerics.rng import derive_seed
from numerics.stats import extrapolate_to_zero

from ..codegen import concrete
from ..codegen_nd import poly_system
from ..model import ExperimentResult, Measurement, Plot
from .stationary_1d import BURN_IN_E_FOLDS, MonteCarloBudget

__all__ = ["RMSPropSpec", "MonteCarloRMSProp", "STATISTICS"]

STATISTICS = ("sqrt(E[s_x])/sigma_x", "sqrt(E[s_y])/sigma_y", "T_x/T_y = E[x^2]/E[y^2]")


@dataclass(frozen=True)
class RMSPropSpec:
    label: str
    gradient: sp.Matrix
    noise: sp.Matrix  # constant n x m
    state: tuple[sp.Symbol, sp.Symbol]
    eta: sp.Symbol
    sigmas: tuple[sp.Symbol, sp.Symbol]
    n_s: float
    rungs: tuple[Mapping[sp.Symbol, float], ...]
    budgets: Mapping[str, MonteCarloBudget]
    curvature: float  # of the loss in each coordinate (equal), for the relaxation time
    start: tuple[tuple[float, float], tuple[float, float]] = ((-0.3, 0.3), (-0.3, 0.3))
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def h(self) -> np.ndarray:
        return np.array([float(r[self.eta]) for r in self.rungs])

    def values(self, k):
        return {s: sp.Float(v, 30) for s, v in self.rungs[k].items()}

    def predictions(self, hypotheses) -> dict[str, list[float]]:
        k = int(np.argmin(self.h))
        vals = self.values(k)
        e = float(vals[self.eta])
        sx, sy = (float(vals[s]) for s in self.sigmas)
        out = {}
        for label, H in hypotheses.items():
            rx, ry = (float(concrete(v, vals)) for v in sp.Matrix(H))
            out[label] = [e / (rx * sx), e / (ry * sy), (rx * sx**2) / (ry * sy**2)]
        return out


@dataclass(frozen=True)
class MonteCarloRMSProp:
    spec: RMSPropSpec
    name: str = "Monte Carlo RMSProp chains"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        b = spec.budgets[budget]
        start = time.perf_counter()
        x, y = spec.state
        obs = poly_system([x**2, y**2], spec.state, "observable")
        k_ = int(math.ceil(math.sqrt(b.chains)))
        grid = np.array([(u, v) for u in np.linspace(*spec.start[0], k_) for v in np.linspace(*spec.start[1], k_)])
        x0 = np.ascontiguousarray(grid[np.linspace(0, len(grid) - 1, b.chains).round().astype(int)])
        per_rung, info = [], []
        for k in range(len(spec.rungs)):
            vals = spec.values(k)
            grad = poly_system([concrete(g, vals) for g in spec.gradient], spec.state, "gradient")
            C = np.array(concrete(spec.noise, vals), dtype=float)
            e = float(vals[spec.eta])
            sx, sy = (float(vals[s]) for s in spec.sigmas)
            # Slowest mode: rate ~ eta curvature / sigma_max per step; s forgets in N_s steps.
            relax = max(max(sx, sy) / (e * spec.curvature), spec.n_s)
            burn = int(math.ceil(BURN_IN_E_FOLDS * relax))
            sample = int(math.ceil(b.sample_relaxations * relax))
            run = run_rmsprop(grad, C, eta=e, n_s=spec.n_s, x0=x0, n_steps=burn + sample,
                              burn_in=burn, seed=derive_seed(seed, k), observables=obs)
            per_chain = np.hstack([run.observables, run.s_mean])  # x^2, y^2, s_x, s_y
            fs = (lambda m, sx=sx: math.sqrt(m[2]) / sx, lambda m, sy=sy: math.sqrt(m[3]) / sy,
                  lambda m: m[0] / m[1])
            ests = [delta_method(per_chain, f) for f in fs]
            per_rung.append(ests)
            info.append({"rung": {str(s): float(v) for s, v in spec.rungs[k].items()},
                         "relaxation_steps": relax, "burn_in": burn, "sample_steps": sample,
                         "estimates": [[q.value, q.se] for q in ests], "seconds": run.seconds})
        preds = spec.predictions(hypotheses)
        measurements, series = [], []
        for j, name in enumerate(STATISTICS):
            yv = np.array([r[j].value for r in per_rung])
            se = np.array([r[j].se for r in per_rung])
            ext = extrapolate_to_zero(spec.h, yv, se)
            measurements.append(Measurement(f"{name} ({spec.eta} -> 0)", ext.value, ext.se,
                                            f"{per_rung[0][j].method} at each rung; {ext.method}",
                                            {lab: p[j] for lab, p in preds.items()},
                                            ext.bias_bound, ext.bias_note))
            series.append({"observable": name, "h": spec.h.tolist(), "y": yv.tolist(), "se": se.tolist(),
                           "extrapolated": [ext.value, ext.se]})
        setup = {"process": spec.label, "gradient": sp.sstr(spec.gradient), "noise": sp.sstr(spec.noise),
                 "N_s": spec.n_s, "chains": b.chains, "rungs": info, "seed": seed,
                 "update": "s <- (1 - 1/N_s) s + g_hat^2 / N_s; x <- x - eta g_hat / sqrt(s + 1e-8)"}
        plot = Plot("ladder", f"{spec.label}: extrapolation in {spec.eta}",
                    {"ladder": str(spec.eta), "series": series, "predictions": preds})
        return ExperimentResult(tuple(measurements), setup, (plot,), time.perf_counter() - start,
                                sum(int(r["burn_in"] + r["sample_steps"]) for r in info) * b.chains)
