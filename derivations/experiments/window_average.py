"""A witness for "Estimating g_hat_B*": the mean of N batch means, and its running-average form.

At a fixed parameter, ``N = B*/B`` consecutive batch gradients of ``B`` examples each are
averaged (the slide's window) and, separately, folded into a running average with weight
``B/B*`` (the slide's recursion). The effective batch size of an estimator ``X`` of ``g`` is
``sigma^2 / Var(X)`` (a plain batch of ``n`` examples has ``n``). Chains are independent;
within a chain the windows are disjoint, so they are independent too; the running average's
final value is taken once per chain, after ``40 N`` batches (the zero start's weight
``(1 - B/B*)^(40N) ~ e^-40`` is negligible).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.batch_noise import NOISE_NAMES, batch_moments
from numerics.chain_stats import function_of_means

from ..model import ExperimentResult, Measurement

__all__ = ["WindowBudget", "WindowAverages"]


@dataclass(frozen=True)
class WindowBudget:
    chains: int
    windows: int


@dataclass(frozen=True)
class WindowAverages:
    """Effective batch sizes of the window mean (primary) and of the running average (derived)."""

    batch: int
    bstar: int
    noise: int
    sigma: float = 1.0
    g: float = 0.25
    running_derived: sp.Basic | None = None
    values: Mapping[sp.Symbol, float] = field(default_factory=dict)
    name: str = "Monte Carlo: window mean and running average of batch gradients"
    kind: str = "monte-carlo"
    budgets: Mapping[str, WindowBudget] = field(default_factory=lambda: {
        "quick": WindowBudget(512, 40), "full": WindowBudget(4096, 80)})

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        bud = self.budgets[budget]
        start = time.perf_counter()
        n = self.bstar // self.batch
        mean, _ = batch_moments(self.noise, self.batch, bud.chains, bud.windows * n, seed)
        ghat = self.g + self.sigma * mean
        windows = ghat.reshape(bud.chains, bud.windows, n).mean(axis=2)
        cols = np.column_stack([windows.mean(axis=1), (windows**2).mean(axis=1)])
        eff = function_of_means(cols, lambda mm: self.sigma**2 / (mm[1] - mm[0] ** 2),
                                "sigma^2 / variance of the window mean")
        preds = {lab: float(sp.sympify(h).subs(self.values)) for lab, h in hypotheses.items()}
        ms = [Measurement(f"effective batch size of (1/N) sum of N = {n} batch means (B = {self.batch}, "
                          f"B* = {self.bstar}, {NOISE_NAMES[self.noise]} noise)", eff.value, eff.se, eff.method, preds)]
        w = self.batch / self.bstar
        run = np.zeros(bud.chains)
        for t in range(ghat.shape[1]):
            run = (1 - w) * run + w * ghat[:, t]
        blocks = run.reshape(16, -1)
        rcols = np.column_stack([blocks.mean(axis=1), (blocks**2).mean(axis=1)])
        reff = function_of_means(rcols, lambda mm: self.sigma**2 / (mm[1] - mm[0] ** 2),
                                 "sigma^2 / variance of the final running average (chains in 16 blocks)")
        if self.running_derived is not None:
            ms.append(Measurement(f"effective batch size of the running average, weight B/B* = {w:g}",
                                  reff.value, reff.se, reff.method,
                                  {"derived": float(sp.sympify(self.running_derived).subs(self.values))}))
        setup = {"B": self.batch, "B*": self.bstar, "N": n, "noise": NOISE_NAMES[self.noise], "g": self.g,
                 "sigma": self.sigma, "chains": bud.chains, "windows per chain": bud.windows,
                 "running-average mean (should be g)": float(run.mean()), "seed": seed}
        return ExperimentResult(tuple(ms), setup, (), time.perf_counter() - start, ghat.size * self.batch)
