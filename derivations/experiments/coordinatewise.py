"""A witness for the per-parameter use of the 1-D guarantee on a d-dimensional quadratic.

Loss ``(1/2)(Phi - Phi*)^T H (Phi - Phi*)``; per-example gradients ``H (Phi - Phi*) +
sigma xi`` with independent standardised noise per coordinate. Each coordinate ``i`` gets
the 1-D treatment of deck 003 ("The High Dimensional Case"): its own ``g_hat[i]``,
``sigma_hat[i]``, curvature bound ``L[i] = H[i, i]`` (the second derivative along that
coordinate), rate ``eta*(B)[i] = (1/L[i])(1 - 2 sigma_hat[i]/(g_hat[i] sqrt B))``, and the
summed guarantee ``loss(Phi - eta o g_hat) <= loss(Phi) - sum_i (L[i]/2) eta[i]^2 g_hat[i]^2``.
:class:`CoordinatewiseGuarantee` measures how often that summed guarantee holds among the
batches where every coordinate's +- event holds and every ``eta*(B)[i] > 0``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.batch_noise import NOISE_NAMES, batch_moments
from numerics.chain_stats import frequency_over_chains
from numerics.rng import derive_seed

from ..model import ExperimentResult, Measurement
from .batch_events import BUDGETS, BatchBudget

__all__ = ["QuadraticProblem", "CoordinatewiseGuarantee"]


@dataclass(frozen=True)
class QuadraticProblem:
    label: str
    hessian: tuple[tuple[float, ...], ...]
    offset: tuple[float, ...]  # Phi - Phi*
    sigma: float
    batch: int
    kind: int

    @property
    def H(self) -> np.ndarray:
        return np.array(self.hessian, dtype=float)

    @property
    def gradient(self) -> np.ndarray:
        return self.H @ np.array(self.offset, dtype=float)

    def describe(self) -> dict:
        return {"problem": self.label, "H": [list(r) for r in self.hessian], "Phi - Phi*": list(self.offset),
                "gradient": self.gradient.tolist(), "sigma": self.sigma, "B": self.batch,
                "noise": NOISE_NAMES[self.kind]}


@dataclass(frozen=True)
class CoordinatewiseGuarantee:
    """Monte Carlo: P(summed per-coordinate guarantee | every coordinate's +- event, eta*[i] > 0)."""

    problem: QuadraticProblem
    name: str = "Monte Carlo batches: per-coordinate guarantee in d dimensions"
    kind: str = "monte-carlo"
    budgets: Mapping[str, BatchBudget] = field(default_factory=lambda: dict(BUDGETS))

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        pr = self.problem
        bud = self.budgets[budget]
        start = time.perf_counter()
        H, g = pr.H, pr.gradient
        d = g.size
        L = np.diag(H)
        mean, sd = batch_moments(pr.kind, pr.batch, bud.chains, bud.per_chain * d, derive_seed(seed, d))
        gh = g + pr.sigma * mean.reshape(bud.chains, bud.per_chain, d)
        sh = pr.sigma * sd.reshape(bud.chains, bud.per_chain, d)
        c = 2 * sh / np.sqrt(pr.batch)
        event = np.all(np.abs(g - gh) <= c, axis=2)
        u = gh - c
        valid = event & np.all(u > 0, axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = u / (L * gh)  # eta*(B)[i] = (1/L)(1 - c/g_hat)
        step = rate * gh
        offset = np.array(pr.offset, dtype=float)
        # exact loss change on the quadratic: -g . step + (1/2) step^T H step
        change = -(step @ g) + 0.5 * np.einsum("cki,ij,ckj->ck", step, H, step)
        claimed = -0.5 * np.sum(L * rate**2 * gh**2, axis=2)
        holds = change <= claimed + 1e-12 * (1 + np.abs(claimed))  # rounding of O(100) sums
        est = frequency_over_chains((holds & valid).sum(axis=1), valid.sum(axis=1))
        preds = {lab: float(sp.sympify(h)) for lab, h in hypotheses.items()}
        m = Measurement(f"P(summed guarantee | every coordinate's +- event, eta*[i] > 0), {pr.label}",
                        est.value, est.se, est.method, preds)
        typical = {"mean loss change on valid batches": float(np.mean(change[valid])) if valid.any() else None,
                   "mean claimed change on valid batches": float(np.mean(claimed[valid])) if valid.any() else None,
                   "valid batches": int(valid.sum()), "offset norm": float(np.linalg.norm(offset))}
        setup = {**pr.describe(), **typical, "batches": bud.chains * bud.per_chain, "seed": seed}
        return ExperimentResult((m,), setup, (), time.perf_counter() - start,
                                bud.chains * bud.per_chain * d * pr.batch)
