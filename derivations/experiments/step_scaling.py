"""Witnesses for learning-rate scaling: n small-batch steps against one large-batch step.

Deck 003 ("Scaling eta", "Deriving Learning Rates") argues that ``n`` steps with batch ``b``
at rate ``eta`` match, to first order in ``eta``, one step with batch ``n b`` at rate
``k eta`` with ``k = n``. :class:`StepPair` declares the pair (the mean gradient as a sympy
polynomial, the start, the noise); both paths use the same examples
(:func:`numerics.batch_steps.small_vs_big_steps`), and the same draws at every rung of the
ladder of ``eta`` (common random numbers), so the ratios below are precise.

:class:`ScalingRatios` measures, as ``eta -> 0``,

- ``R1 = E[Phi_0 - Phi_small] / E[Phi_0 - Phi_big]`` (mean displacement), and
- ``R2 = Var(Phi_small) / Var(Phi_big)`` (spread),

with the big step run at the *derived* multiple ``k_d``. A hypothesis that the matching
multiple is ``k_h`` predicts ``R1 -> k_h / k_d`` and ``R2 -> (k_h / k_d)^2`` (displacement is
linear and spread quadratic in the rate, at first order). The limit is the intercept of a
line through the rungs; all rungs' estimates are functions of the same chains, so the
standard error comes from the delta method over chains (:func:`numerics.chain_stats.
function_of_means`), and the bias bound is the quadratic term the line ignores.

:class:`ErrorOrder` measures the order ``p`` of the first-order approximation's error
``Phi_small - Phi_big = O(eta^p)`` from the RMS error on a geometric ladder.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from numerics.batch_noise import NOISE_NAMES
from numerics.batch_steps import small_vs_big_steps
from numerics.chain_stats import function_of_means

from ..codegen import polynomial_coefficients
from ..model import ExperimentResult, Measurement, Plot

__all__ = ["StepPair", "StepBudget", "ScalingRatios", "ErrorOrder", "STEP_BUDGETS"]


@dataclass(frozen=True)
class StepBudget:
    chains: int
    per_chain: int


STEP_BUDGETS = {"quick": StepBudget(16, 2000), "full": StepBudget(64, 20000)}


@dataclass(frozen=True)
class StepPair:
    """``n`` steps of batch ``b`` at ``eta`` vs one step of batch ``n b`` at ``k eta``."""

    label: str
    gradient: sp.Expr  # the mean gradient, a polynomial in ``state``
    state: sp.Symbol
    x0: float
    sigma: float
    kind: int
    b: int
    n: int
    k: float

    def coefficients(self) -> np.ndarray:
        return polynomial_coefficients(self.gradient, self.state, "mean gradient")

    def run(self, eta: float, budget: StepBudget, seed: int):
        return small_vs_big_steps(self.coefficients(), x0=self.x0, sigma=self.sigma, kind=self.kind,
                                  b=self.b, n=self.n, eta_small=eta, eta_big=self.k * eta,
                                  n_chains=budget.chains, n_per_chain=budget.per_chain, seed=seed)

    def describe(self) -> dict:
        return {"pair": self.label, "mean gradient": sp.sstr(self.gradient), "x0": self.x0,
                "sigma": self.sigma, "noise": NOISE_NAMES[self.kind], "small": f"{self.n} steps of batch {self.b}",
                "big": f"1 step of batch {self.n * self.b} at {self.k:g} x the small rate"}


def _line_weights(h: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    """OLS intercept weights ``w`` (value at 0 = w . y), ``kappa = w . h^2``, quadratic-coef weights."""
    X = np.vander(h, 2, increasing=True)
    w = np.linalg.solve(X.T @ X, X.T)[0]
    X2 = np.vander(h, 3, increasing=True)
    c2 = np.linalg.lstsq(X2, np.eye(h.size), rcond=None)[0][2]
    return w, float(w @ h**2), c2


@dataclass(frozen=True)
class ScalingRatios:
    """Monte Carlo witness: R1 (mean) and R2 (spread) ratios on a ladder of eta, extrapolated.

    ``multiple`` maps a hypothesis (sympy) to the matching multiple ``k_h`` it claims.
    ``exact`` optionally gives the exact ``(R1, R2)`` at a finite eta (for a quadratic loss):
    then ``finite`` etas are also measured there, with derived-only predictions, to show the
    rule's error as a function of eta.
    """

    pair: StepPair
    ladder: tuple[float, ...]
    multiple: Callable[[sp.Basic], float]
    exact: Callable[[float], tuple[float, float]] | None = None
    finite: tuple[float, ...] = ()
    name: str = "Monte Carlo: small-batch steps vs one large-batch step"
    kind: str = "monte-carlo"
    budgets: Mapping[str, StepBudget] = field(default_factory=lambda: dict(STEP_BUDGETS))

    def _moments(self, eta, bud, seed):
        small, big = self.pair.run(eta, bud, seed)
        ds, db = self.pair.x0 - small, self.pair.x0 - big
        return np.column_stack([ds.mean(1), db.mean(1), (ds**2).mean(1), (db**2).mean(1)])

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        bud = self.budgets[budget]
        start = time.perf_counter()
        h = np.array(self.ladder, dtype=float)
        cols = np.hstack([self._moments(eta, bud, seed) for eta in h])  # same seed: common draws
        w, kappa, c2 = _line_weights(h)
        lag = np.array([np.prod([(0 - h[q]) / (h[i] - h[q]) for q in range(h.size) if q != i])
                        for i in range(h.size)])

        def r1(mm, j):
            return mm[4 * j] / mm[4 * j + 1]

        def r2(mm, j):
            return (mm[4 * j + 2] - mm[4 * j] ** 2) / (mm[4 * j + 3] - mm[4 * j + 1] ** 2)

        kd = self.pair.k
        measurements, series = [], []
        for name, f, power in (("R1 = E[displacement, small steps] / E[displacement, big step]", r1, 1),
                               ("R2 = Var(small steps) / Var(big step)", r2, 2)):
            limit = function_of_means(cols, lambda mm: float(sum(lag[j] * f(mm, j) for j in range(h.size))),
                                      "interpolation through the rungs, value at eta = 0,")
            line = function_of_means(cols, lambda mm: float(sum(w[j] * f(mm, j) for j in range(h.size))))
            bias = abs(line.value - limit.value) + 2 * line.se
            preds = {lab: (self.multiple(hyp) / kd) ** power for lab, hyp in hypotheses.items()}
            measurements.append(Measurement(
                f"{name}, eta -> 0 ({self.pair.label})", limit.value, limit.se,
                f"{limit.method}; rungs eta = {', '.join(f'{v:g}' for v in h)} (common draws)",
                preds, bias, "remainder of the interpolation at 0, bounded by its distance to the line "
                             "through the rungs (the O(eta^2) term the line ignores)"))
            per = [function_of_means(cols, lambda mm, j=j: float(f(mm, j))) for j in range(h.size)]
            series.append({"observable": name.split(" =")[0], "h": h.tolist(), "y": [e.value for e in per],
                           "se": [e.se for e in per], "extrapolated": [limit.value, limit.se]})
        for eta in self.finite:
            cols_f = self._moments(eta, bud, seed)
            exact = self.exact(eta)
            for j, (name, f) in enumerate((("R1", r1), ("R2", r2))):
                est = function_of_means(cols_f, lambda mm, f=f: float(f(mm, 0)))
                measurements.append(Measurement(
                    f"{name} at eta = {eta:g} (finite step: the rule's error), {self.pair.label}",
                    est.value, est.se, est.method, {"derived": exact[j]}))
        plot = Plot("ladder", f"{self.pair.label}: displacement and spread ratios against eta",
                    {"ladder": "eta", "series": series, "predictions": {}})
        setup = {**self.pair.describe(), "ladder": list(self.ladder), "finite": list(self.finite),
                 "chains": bud.chains, "trials_per_chain": bud.per_chain, "seed": seed}
        steps = bud.chains * bud.per_chain * self.pair.n * self.pair.b * (h.size + len(self.finite))
        return ExperimentResult(tuple(measurements), setup, (plot,), time.perf_counter() - start, steps)


@dataclass(frozen=True)
class ErrorOrder:
    """Monte Carlo witness: the order p of ``Phi_small - Phi_big = O(eta^p)``.

    On a geometric ladder ``eta_j = eta_0 2^j`` the local orders are
    ``p_j = log2(RMS_{j+1} / RMS_j)``; they tend to ``p`` linearly in eta, so a line through
    them is extrapolated to ``eta = 0`` (bias: the quadratic term it ignores). Each
    hypothesis (an order) predicts itself. ``leading`` optionally names the derived leading
    coefficient ``lim E[Phi_small - Phi_big] / eta^2``, measured the same way.
    """

    pair: StepPair
    ladder: tuple[float, ...]
    leading: float | None = None
    name: str = "Monte Carlo: order of the first-order approximation's error"
    kind: str = "monte-carlo"
    budgets: Mapping[str, StepBudget] = field(default_factory=lambda: dict(STEP_BUDGETS))

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        bud = self.budgets[budget]
        start = time.perf_counter()
        etas = np.array(self.ladder, dtype=float)
        ratios = etas[1:] / etas[:-1]
        if etas.size < 4 or not np.allclose(ratios, ratios[0]):
            raise ValueError(f"ladder {self.ladder} must be geometric with >= 4 rungs")
        cols = []
        for eta in etas:
            small, big = self.pair.run(eta, bud, seed)
            err = small - big
            cols.append(np.column_stack([(err**2).mean(1), err.mean(1)]))
        cols = np.hstack(cols)
        mids = np.sqrt(etas[1:] * etas[:-1])
        w, kappa, c2 = _line_weights(mids)
        # Interpolation through every local order, value at 0 (Lagrange weights): the line
        # through them differs by the quadratic term, a bound on what the interpolation leaves.
        lag = np.array([np.prod([(0 - mids[q]) / (mids[i] - mids[q]) for q in range(mids.size) if q != i])
                        for i in range(mids.size)])
        base = math.log(ratios[0])

        def local(mm, j):
            return 0.5 * math.log(mm[2 * (j + 1)] / mm[2 * j]) / base

        limit = function_of_means(cols, lambda mm: sum(lag[j] * local(mm, j) for j in range(mids.size)),
                                  "interpolated order at eta = 0")
        line = function_of_means(cols, lambda mm: sum(w[j] * local(mm, j) for j in range(mids.size)))
        bias = abs(line.value - limit.value) + 2 * line.se
        preds = {lab: float(hyp) for lab, hyp in hypotheses.items()}
        ms = [Measurement(f"order p of the error (RMS), eta -> 0 ({self.pair.label})", limit.value, limit.se,
                          f"{limit.method}; local orders between eta = {', '.join(f'{v:g}' for v in etas)}",
                          preds, bias, "remainder of the interpolation at 0, bounded by its distance to "
                                       "the line through the local orders (the O(eta^2) term)")]
        if self.leading is not None:
            hh = etas
            wl, kl, cl = _line_weights(hh)
            lead = function_of_means(cols, lambda mm: sum(wl[j] * mm[2 * j + 1] / hh[j] ** 2 for j in range(hh.size)))
            lc = function_of_means(cols, lambda mm: sum(cl[j] * mm[2 * j + 1] / hh[j] ** 2 for j in range(hh.size)))
            ms.append(Measurement(f"E[error] / eta^2, eta -> 0 ({self.pair.label})", lead.value, lead.se,
                                  lead.method, {"derived": self.leading},
                                  2 * (abs(lc.value) + 2 * lc.se) * abs(kl), "O(eta^2) remainder of the line"))
        per = [function_of_means(cols, lambda mm, j=j: local(mm, j)) for j in range(mids.size)]
        plot = Plot("ladder", f"{self.pair.label}: local order of the error against eta",
                    {"ladder": "eta", "series": [{"observable": "local order p", "h": mids.tolist(),
                                                  "y": [e.value for e in per], "se": [e.se for e in per],
                                                  "extrapolated": [limit.value, limit.se]}],
                     "predictions": {k: [v] for k, v in preds.items()}})
        setup = {**self.pair.describe(), "ladder": list(self.ladder), "chains": bud.chains,
                 "trials_per_chain": bud.per_chain, "seed": seed}
        steps = bud.chains * bud.per_chain * self.pair.n * self.pair.b * etas.size
        return ExperimentResult(tuple(ms), setup, (plot,), time.perf_counter() - start, steps)
