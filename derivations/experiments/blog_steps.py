"""Few-step witnesses of the blog's model: where a point mass goes, how fast a distribution spreads, which points stay put.

- :class:`DisplacementMoments`: chains start at given points (or iid from a normal law),
  take ``n`` steps, and the mean and variance of the displacement per step are measured
  (iid chains; the variance's error by the delta method). Hypotheses are sympy results in
  the claim's symbols (``eta``, ``G(W)``, ``V(W)``, ``W``): a pair (centre, variance) of
  the law after one step from a point, or a variance increase per step; they are evaluated
  at the start point with the landscape's functions.
- :class:`FixedPointFate`: chains start near a candidate fixed point ``W*`` (iid uniform
  offsets) and run ``n`` steps; the fraction that ends within a tolerance of ``W*``
  (Agresti-Coull error) is compared with each hypothesis's verdict on the point
  (a sympy condition: true -> 1, false -> 0), evaluated with the point's ``G'(W*)``,
  ``V(W*)`` and the learning rate.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.ensemble_stats import binomial_fraction, sd_with_se
from numerics.ensemble_1d import run_snapshots_1d
from numerics.rng import derive_seed, normals, uniforms
from numerics.stats import Estimate

from ..codegen_piecewise import piecewise_data
from ..model import ExperimentResult, Measurement

__all__ = ["StepSetting", "DisplacementMoments", "FixedPointFate"]


@dataclass(frozen=True)
class StepSetting:
    """SGD ``W' = W - eta (G(W) + S(W) xi)`` with ``V = S^2``; ``G``, ``S`` sympy in ``x``."""

    label: str
    x: sp.Symbol
    gradient: sp.Expr
    amplitude: sp.Expr
    eta: float
    noise: str = "gaussian"

    def kernel(self) -> dict:
        return {"f": piecewise_data(self.gradient, self.x, "G"),
                "s": piecewise_data(self.amplitude, self.x, "S"),
                "a": self.eta, "b": self.eta, "noise": self.noise}

    def evaluate(self, expr: sp.Basic, at: float, G_fn, V_fn, eta_sym) -> sp.Basic:
        """``expr`` with G, V made concrete, the state at ``at`` and the learning rate set."""
        u = sp.Dummy("u", real=True)
        e = sp.sympify(expr)
        e = e.replace(G_fn, sp.Lambda(u, self.gradient.subs(self.x, u)))
        e = e.replace(V_fn, sp.Lambda(u, (self.amplitude ** 2).subs(self.x, u)))
        return e.doit().subs({self.x: sp.Float(at, 30), eta_sym: sp.Float(self.eta, 30)})

    def describe(self) -> dict:
        return {"setting": self.label, "G": sp.sstr(self.gradient),
                "sqrt(V)": sp.sstr(self.amplitude), "eta": self.eta, "noise": self.noise}


@dataclass(frozen=True)
class DisplacementMoments:
    """Mean and variance of ``W_n - W_0`` per step, from each start point.

    ``observables`` name what each hypothesis predicts: ``"centre"`` (E[W_1] from a point:
    the hypothesis's component 0), ``"variance"`` (Var[W_1] from a point: component 1) or
    ``"variance per step"`` (Var[W_n - W_0] / n: the hypothesis itself).
    """

    setting: StepSetting
    G_fn: sp.FunctionClass
    V_fn: sp.FunctionClass
    eta_sym: sp.Symbol
    starts: tuple[float, ...]
    steps: int
    observables: tuple[str, ...]
    chains: Mapping[str, int]
    initial_sd: float = 0.0  # > 0: iid N(start, sd^2) starts instead of a point
    name: str = "Monte Carlo displacements"
    kind: str = "monte-carlo"

    def _predict(self, h, what: str, at: float) -> float:
        if what == "centre":
            return float(self.setting.evaluate(h[0], at, self.G_fn, self.V_fn, self.eta_sym))
        if what == "variance":
            return float(self.setting.evaluate(h[1], at, self.G_fn, self.V_fn, self.eta_sym))
        return float(self.setting.evaluate(h, at, self.G_fn, self.V_fn, self.eta_sym))

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        start = time.perf_counter()
        n = self.chains[budget]
        measurements, steps_done = [], 0
        for j, w0 in enumerate(self.starts):
            x0 = np.full(n, float(w0))
            if self.initial_sd > 0:
                x0 = x0 + self.initial_sd * normals(derive_seed(seed, "initial", j), n, 1)[:, 0]
            snap = run_snapshots_1d(**self.setting.kernel(), x0=x0, record=[0, self.steps],
                                    seed=derive_seed(seed, j))
            steps_done += snap.chain_steps
            d = snap.states[:, 1] - snap.states[:, 0]
            for what in self.observables:
                if what == "centre":
                    m = d.mean()
                    est = Estimate(float(w0 + m), float(d.std(ddof=1) / np.sqrt(n)),
                                   f"mean over {n} iid chains")
                    label = f"E[W_1] from a point at W = {w0:g}"
                else:
                    sd = sd_with_se(d)
                    scale = 1.0 if what == "variance" else 1.0 / self.steps
                    est = Estimate(sd.value**2 * scale, 2 * sd.value * sd.se * scale,
                                   f"sample variance of {n} iid displacements (delta method)")
                    label = (f"Var[W_1] from a point at W = {w0:g}" if what == "variance" else
                             f"Var[W_n - W_0] / n, n = {self.steps}, from N({w0:g}, "
                             f"{self.initial_sd:g}^2)")
                preds = {}
                for lab, h in hypotheses.items():
                    try:
                        preds[lab] = self._predict(h, what, w0)
                    except (TypeError, IndexError, ValueError):
                        continue
                measurements.append(Measurement(label, est.value, est.se, est.method, preds))
        return ExperimentResult(tuple(measurements),
                                {**self.setting.describe(), "chains": n, "steps": self.steps,
                                 "starts": list(self.starts), "initial_sd": self.initial_sd,
                                 "seed": seed}, (), time.perf_counter() - start, steps_done)


@dataclass(frozen=True)
class FixedPointFate:
    """Do chains started within ``offset`` of ``W*`` converge to it?

    ``points`` maps a description to ``(setting, W*, values)`` where ``values`` gives the
    symbols of the hypotheses' conditions (e.g. ``G'(W*)``, ``V(W*)``, ``eta``) their values
    at that point; a chain has converged when ``|W_n - W*| < tolerance``.
    """

    points: tuple[tuple[str, StepSetting, float, Mapping], ...]
    offset: float
    steps: int
    tolerance: float
    chains: Mapping[str, int]
    name: str = "Monte Carlo: fate of chains started near the point"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        start = time.perf_counter()
        n = self.chains[budget]
        measurements, total = [], 0
        rows = []
        for j, (desc, setting, w_star, values) in enumerate(self.points):
            # iid uniform offsets in (-offset, offset): the random initial conditions
            x0 = w_star + self.offset * (2 * uniforms(derive_seed(seed, "start", j), n, 1)[:, 0] - 1)
            snap = run_snapshots_1d(**setting.kernel(), x0=x0, record=[self.steps],
                                    seed=derive_seed(seed, j), escape=1e6)
            total += snap.chain_steps
            final = snap.states[:, 0]
            ok = int(np.count_nonzero(np.isfinite(final) & (np.abs(final - w_star) < self.tolerance)))
            est = binomial_fraction(ok, x0.size)
            preds = {}
            for lab, h in hypotheses.items():
                v = sp.sympify(h).subs(values)
                if v in (sp.true, sp.false):
                    preds[lab] = 1.0 if v is sp.true else 0.0
            measurements.append(Measurement(
                f"fraction converging to W* = {w_star:g}: {desc}", est.value, est.se, est.method,
                preds))
            rows.append({"point": desc, "W*": w_star, "values": {str(k): float(v) for k, v in values.items()},
                         "converged": ok, "of": int(x0.size),
                         "escaped": int(np.count_nonzero(snap.escaped))})
        return ExperimentResult(tuple(measurements),
                                {"offset": self.offset, "steps": self.steps,
                                 "tolerance": self.tolerance, "points": rows, "seed": seed},
                                (), time.perf_counter() - start, total)
