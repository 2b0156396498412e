"""Witnesses for deck 003's gradient-flow slides: limits of small updates, the loss's rate.

- :class:`FlowLimit`: ``N t`` batch updates ``Phi <- Phi - (eta/N)(L'(Phi) + sigma xi/sqrt(B))``
  (:func:`numerics.chains_1d.run_chains_1d`, Gaussian batch noise) on a ladder of ``N``; the
  mean end point is extrapolated to ``N -> oo`` (bias O(1/N): Euler), and ``N Var`` too (the
  spread vanishes like ``1/N``); the total updates (``sigma = 0``) give a deterministic
  companion (:class:`EulerLimit`).
- :class:`LossRate`: one batch update of size ``eta/N`` from ``Phi_0``; the change of the loss
  per unit time over ``-L'(Phi_0)^2`` is extrapolated to ``N -> oo``: the coefficient ``c`` in
  ``d loss/dt = -c |grad loss|^2``.
- :class:`DivergentFlow`: gradient flow on ``loss = exp(-Phi)`` by small batch updates: the
  growth of ``Phi`` per unit of ``log t`` between two late times, and the loss at the end.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from numerics.batch_noise import GAUSSIAN, batch_moments
from numerics.chain_stats import function_of_means
from numerics.chains_1d import run_chains_1d
from numerics.rng import derive_seed, normals
from numerics.stats import extrapolate_to_zero, mean_over_chains

from ..codegen import polynomial_coefficients
from ..model import ExperimentResult, Measurement

__all__ = ["FlowSpec", "FlowLimit", "EulerLimit", "LossRate", "DivergentFlow"]


@dataclass(frozen=True)
class FlowSpec:
    """Gradient flow dPhi/dt = -eta L'(Phi) from Phi_0 to time t, with batch noise sigma/sqrt(B)."""

    label: str
    loss: sp.Expr  # a polynomial in ``state``
    state: sp.Symbol
    phi0: float
    eta: float
    t: float
    sigma: float
    batch: int
    ladder: tuple[int, ...]  # N: updates per unit time

    @property
    def gradient(self) -> np.ndarray:
        return polynomial_coefficients(sp.diff(self.loss, self.state), self.state, "L'")

    def end_points(self, n: int, chains: int, seed: int, noise: bool = True) -> np.ndarray:
        h = self.eta / n
        steps = int(round(n * self.t))
        b = h * self.sigma / math.sqrt(self.batch) if noise else 0.0
        run = run_chains_1d(self.gradient, [1.0], a=h, b=b, x0=np.full(chains, self.phi0), n_steps=steps,
                            burn_in=steps - 1, seed=seed, n_moments=1)
        return run.final


@dataclass(frozen=True)
class FlowBudget:
    chains: int


@dataclass(frozen=True)
class FlowLimit:
    """Monte Carlo: the mean end point of N t batch updates, and N Var, as N -> oo.

    ``spread_limit`` is the derived limit of ``N Var(Phi_N(t))`` (a number).
    """

    spec: FlowSpec
    spread_limit: float
    predict: Callable[[sp.Basic], float]
    name: str = "Monte Carlo: N t batch updates of size eta/N"
    kind: str = "monte-carlo"
    budgets: Mapping[str, FlowBudget] = field(default_factory=lambda: {"quick": FlowBudget(20000),
                                                                        "full": FlowBudget(200000)})

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        bud = self.budgets[budget]
        start = time.perf_counter()
        sp_ = self.spec
        h = np.array([1.0 / n for n in sp_.ladder])
        means, mses, nvars, nses = [], [], [], []
        for k, n in enumerate(sp_.ladder):
            x = sp_.end_points(n, bud.chains, derive_seed(seed, n)).reshape(16, -1)
            cols = np.column_stack([x.mean(axis=1), (x**2).mean(axis=1)])
            m = function_of_means(cols, lambda mm: mm[0], "mean end point")
            v = function_of_means(cols, lambda mm, n=n: n * (mm[1] - mm[0] ** 2), "N Var")
            means.append(m.value), mses.append(m.se), nvars.append(v.value), nses.append(v.se)
        mean_ext = extrapolate_to_zero(h, np.array(means), np.array(mses))
        var_ext = extrapolate_to_zero(h, np.array(nvars), np.array(nses))
        preds = {lab: self.predict(hyp) for lab, hyp in hypotheses.items()}
        ms = (Measurement(f"mean of Phi_N(t), N -> oo ({sp_.label})", mean_ext.value, mean_ext.se,
                          f"{mean_ext.method}; chains in 16 blocks", preds, mean_ext.bias_bound, mean_ext.bias_note),
              Measurement(f"N Var(Phi_N(t)), N -> oo: the spread vanishes like 1/N ({sp_.label})", var_ext.value,
                          var_ext.se, var_ext.method, {"derived": self.spread_limit}, var_ext.bias_bound,
                          var_ext.bias_note))
        setup = {"flow": sp_.label, "loss": sp.sstr(sp_.loss), "Phi_0": sp_.phi0, "eta": sp_.eta, "t": sp_.t,
                 "sigma": sp_.sigma, "B": sp_.batch, "N": list(sp_.ladder), "chains": bud.chains,
                 "means": means, "N Var": nvars, "seed": seed}
        return ExperimentResult(ms, setup, (), time.perf_counter() - start,
                                bud.chains * int(sum(n * sp_.t for n in sp_.ladder)))


@dataclass(frozen=True)
class EulerLimit:
    """Deterministic: N t total updates (no noise) extrapolated to N -> oo through every rung."""

    spec: FlowSpec
    predict: Callable[[sp.Basic], float]
    name: str = "Euler total updates (deterministic)"
    kind: str = "deterministic"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        start = time.perf_counter()
        sp_ = self.spec
        h = np.array([1.0 / n for n in sp_.ladder])
        y = np.array([sp_.end_points(n, 2, 0, noise=False)[0] for n in sp_.ladder])
        lag = np.array([np.prod([(0 - h[q]) / (h[i] - h[q]) for q in range(h.size) if q != i]) for i in range(h.size)])
        two = np.argsort(h)[:2]
        line = y[two[0]] + (y[two[1]] - y[two[0]]) / (h[two[1]] - h[two[0]]) * (0 - h[two[0]])
        value = float(lag @ y)
        m = Measurement(f"Phi_N(t) of total updates, N -> oo ({sp_.label})", value, 0.0,
                        "deterministic (interpolation through the rungs)",
                        {lab: self.predict(hyp) for lab, hyp in hypotheses.items()},
                        float(abs(value - line)) + 1e-12, "|interpolation - line through the two finest rungs|")
        return ExperimentResult((m,), {"N": list(sp_.ladder), "Phi_N(t)": y.tolist()}, (), time.perf_counter() - start, 0)


@dataclass(frozen=True)
class LossRate:
    """Monte Carlo: (E loss(Phi_1) - loss(Phi_0)) N / (-L'(Phi_0)^2) for one update of size eta/N."""

    loss: sp.Expr
    state: sp.Symbol
    phi0: float
    eta: float
    sigma: float
    batch: int
    ladder: tuple[int, ...]
    name: str = "Monte Carlo: the loss's rate of change under small batch updates"
    kind: str = "monte-carlo"
    budgets: Mapping[str, FlowBudget] = field(default_factory=lambda: {"quick": FlowBudget(16 * 8000),
                                                                        "full": FlowBudget(16 * 80000)})

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        bud = self.budgets[budget]
        start = time.perf_counter()
        f = sp.lambdify(self.state, self.loss, "numpy")
        grad = float(sp.diff(self.loss, self.state).subs(self.state, self.phi0))
        l0 = float(f(self.phi0))
        mean, _ = batch_moments(GAUSSIAN, self.batch, 16, bud.chains // 16, seed)  # same draws at every rung
        ys, ses = [], []
        for n in self.ladder:
            phi1 = self.phi0 - self.eta / n * (grad + self.sigma * mean)
            rate = (f(phi1) - l0) * n / (-grad**2)
            e = mean_over_chains(rate.mean(axis=1))
            ys.append(e.value), ses.append(e.se)
        h = np.array([1.0 / n for n in self.ladder])
        ext = extrapolate_to_zero(h, np.array(ys), np.array(ses))
        preds = {lab: float(sp.sympify(hyp)) for lab, hyp in hypotheses.items()}
        m = Measurement(f"(d loss/dt) / (-|grad loss|^2) at Phi = {self.phi0:g}, eta = {self.eta:g}",
                        ext.value, ext.se, f"{ext.method} (common draws at every rung)", preds, ext.bias_bound,
                        ext.bias_note)
        setup = {"loss": sp.sstr(self.loss), "Phi_0": self.phi0, "eta": self.eta, "sigma": self.sigma,
                 "B": self.batch, "N": list(self.ladder), "ratios": ys, "se": ses, "seed": seed}
        return ExperimentResult((m,), setup, (), time.perf_counter() - start, bud.chains * self.batch)


@dataclass(frozen=True)
class DivergentFlow:
    """Monte Carlo: batch updates on loss exp(-Phi); growth of Phi per unit log t, and the loss.

    ``predict_growth(h)`` maps a hypothesis to its predicted growth between ``t1`` and ``t2``;
    ``loss_limit`` is the derived loss at ``t2``. ``bias`` is the stated bound on the
    difference between the updates and the flow (from the noise-free updates).
    """

    phi0: float
    eta_step: float
    t1: float
    t2: float
    sigma: float
    predict_growth: Callable[[sp.Basic], float]
    loss_at_t2: float
    name: str = "Monte Carlo: batch updates on loss exp(-Phi)"
    kind: str = "monte-carlo"
    budgets: Mapping[str, FlowBudget] = field(default_factory=lambda: {"quick": FlowBudget(256),
                                                                        "full": FlowBudget(4096)})

    def _path(self, xi):
        phi = np.full(xi.shape[0], self.phi0)
        n1, n2 = int(round(self.t1 / self.eta_step)), int(round(self.t2 / self.eta_step))
        at1 = None
        for k in range(n2):
            phi = phi - self.eta_step * (-np.exp(-phi) + self.sigma * xi[:, k])
            if k + 1 == n1:
                at1 = phi.copy()
        return at1, phi

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        bud = self.budgets[budget]
        start = time.perf_counter()
        n2 = int(round(self.t2 / self.eta_step))
        xi = normals(seed, bud.chains, n2)
        a, b = self._path(xi)
        a0, b0 = self._path(np.zeros((2, n2)))
        span = math.log(self.t2 / self.t1)
        growth = (b - a) / span
        g_est = mean_over_chains(growth)
        exact = self.predict_growth(hypotheses["derived"])
        # Step error (noise-free updates against the exact flow), plus the noise's Jensen effect on
        # the convex drift exp(-Phi): second order in the spread, bounded by the spread's variance.
        jensen = float(np.var(b) + np.var(a))
        bias = float(abs((b0[0] - a0[0]) / span - exact)) * 2 + jensen / span + 1e-12
        preds = {lab: self.predict_growth(h) for lab, h in hypotheses.items()}
        loss = mean_over_chains(np.exp(-b))
        ms = (Measurement(f"(Phi(t2) - Phi(t1)) / log(t2/t1), t1 = {self.t1:g}, t2 = {self.t2:g}", g_est.value,
                          g_est.se, g_est.method, preds, bias,
                          "2 |noise-free updates - exact flow| (the step's own error) + Var(Phi)/log(t2/t1) "
                          "(the noise's Jensen effect on the convex drift)"),
              Measurement(f"loss exp(-Phi) at t2 = {self.t2:g}", loss.value, loss.se, loss.method,
                          {"derived": self.loss_at_t2},
                          float(2 * abs(math.exp(-b0[0]) - self.loss_at_t2) + math.exp(-b0[0]) * jensen) + 1e-12,
                          "2 |noise-free updates - exact flow| + the noise's Jensen term"))
        setup = {"loss": "exp(-Phi)", "Phi_0": self.phi0, "step": self.eta_step, "sigma": self.sigma,
                 "chains": bud.chains, "noise-free Phi(t1), Phi(t2)": [float(a0[0]), float(b0[0])], "seed": seed}
        return ExperimentResult(ms, setup, (), time.perf_counter() - start, bud.chains * n2)
