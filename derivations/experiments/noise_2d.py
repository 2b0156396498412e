"""Gradient noise from per-example losses, and how it looks in other coordinates.

The model: linear regression in two parameters, one example ``(a, b)`` with ``a ~ N(0, I_2)``
and ``b ~ N(0, 1)`` per draw, per-example loss ``l(Phi; a, b) = (a . Phi - b)^2 / 2``. Its
stochastic gradient ``g_hat = a (a . Phi - b)`` has mean ``g = Phi`` and covariance

    Sigma(Phi) = (1 + |Phi|^2) I + Phi Phi^T

(Isserlis' theorem; :func:`gaussian_expectation` derives it): correlated and state-dependent,
as real gradient noise is. In coordinates ``psi`` with ``Phi = F(psi)`` the per-example loss is
``l(F(psi); a, b)`` and its gradient is taken *in psi* (sympy differentiates the composed loss;
no transformation rule is assumed).

A :class:`NoiseSpec` names a vector of per-example quantities (polynomials in the draws at a
fixed point) and statistics of their law: sample covariance entries, or functions of the
sample mean and covariance (an adaptive step direction ``-Sigma_hat^{-1} g_bar``). The Monte
Carlo draws examples from per-chain streams; the deterministic witness integrates exactly with
Gauss-Hermite (the integrands are polynomials in the draws).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from numerics.linear_gaussian import tensor_rule
from numerics.rng import normals
from numerics.stats import mean_over_chains

from ..codegen import concrete
from ..codegen_nd import poly_system
from ..model import ExperimentResult, Measurement

__all__ = ["DRAWS", "example_loss", "gaussian_expectation", "NoiseSpec", "MonteCarloNoise",
           "ExactNoise", "noise_witnesses", "covariance_statistics"]

#: One example's draws: a_1, a_2 (inputs) and b (target), independent standard normals.
DRAWS = sp.symbols("a_1 a_2 b", real=True)


def example_loss(phi: sp.Matrix) -> sp.Expr:
    a1, a2, b = DRAWS
    return (a1 * phi[0] + a2 * phi[1] - b) ** 2 / 2


def _normal_moment(k: int) -> sp.Integer:
    """``E[z^k]``, ``z ~ N(0, 1)``: 0 for odd ``k``, ``(k - 1)!!`` for even ``k``."""
    return sp.Integer(0) if k % 2 else sp.factorial2(k - 1)


def gaussian_expectation(expr: sp.Expr, draws=DRAWS) -> sp.Expr:
    """``E[expr]`` for independent standard normal ``draws`` (``expr`` polynomial in them)."""
    poly = sp.Poly(sp.expand(expr), *draws)
    total = 0
    for mono, c in poly.terms():
        w = 1
        for k in mono:
            w *= _normal_moment(k)
        total += c * w
    return sp.simplify(total)


@dataclass(frozen=True)
class NoiseSpec:
    """Per-example quantities ``u(draws)`` at a point, and the statistics measured from them.

    ``quantities`` are sympy expressions in ``DRAWS`` and in symbols given numbers by
    ``values``; each statistic maps the per-chain sample mean ``m`` and sample covariance ``V``
    of the quantities to a number. ``predict`` maps a hypothesis (sympy) to the statistics.
    """

    label: str
    quantities: tuple[sp.Expr, ...]
    values: Mapping[sp.Symbol, float]
    statistics: tuple[tuple[str, Callable[[np.ndarray, np.ndarray], float]], ...]
    predict: Callable[[sp.Basic, Mapping], list[float]]
    budgets: Mapping[str, tuple[int, int]]  # (chains, examples per chain)
    bias_relative: float = 0.0
    bias_note: str = ""
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def system(self):
        vals = {s: sp.Float(v, 30) for s, v in self.values.items()}
        return poly_system([concrete(q, vals) for q in self.quantities], DRAWS, "per-example quantity")


def covariance_statistics(n: int) -> tuple:
    """Sample covariance entries ``V_ij`` (``i <= j``) of ``n`` quantities."""
    return tuple((f"Cov[u_{i + 1}, u_{j + 1}]", lambda m, V, i=i, j=j: V[i, j])
                 for i in range(n) for j in range(i, n))


@dataclass(frozen=True)
class MonteCarloNoise:
    spec: NoiseSpec
    name: str = "Monte Carlo over examples"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        chains, per_chain = spec.budgets[budget]
        start = time.perf_counter()
        z = normals(seed, chains, 3 * per_chain).reshape(chains, per_chain, 3)
        sysm = spec.system()
        per_chain_stats = np.empty((chains, len(spec.statistics)))
        for c in range(chains):
            u = sysm(z[c])
            m = u.mean(axis=0)
            V = np.atleast_2d(np.cov(u, rowvar=False))
            per_chain_stats[c] = [f(m, V) for _, f in spec.statistics]
        preds = {lab: spec.predict(h, spec.values) for lab, h in hypotheses.items()}
        measurements = []
        for j, (name, _) in enumerate(spec.statistics):
            e = mean_over_chains(per_chain_stats[:, j])
            measurements.append(Measurement(
                name, e.value, e.se, f"{e.method}; {per_chain} examples per chain",
                {lab: p[j] for lab, p in preds.items()},
                spec.bias_relative * abs(e.value), spec.bias_note))
        setup = {"process": spec.label, "quantities": [sp.sstr(q) for q in spec.quantities],
                 "point": {str(k): v for k, v in spec.values.items()}, "chains": chains,
                 "examples_per_chain": per_chain, "seed": seed}
        return ExperimentResult(tuple(measurements), setup, (), time.perf_counter() - start,
                                chains * per_chain)


@dataclass(frozen=True)
class ExactNoise:
    spec: NoiseSpec
    name: str = "exact expectations over examples (Gauss-Hermite)"
    kind: str = "deterministic"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        pts, wts = tensor_rule(3, 8)
        u = spec.system()(pts)
        m = wts @ u
        V = np.einsum("t,ti,tj->ij", wts, u - m, u - m)
        preds = {lab: spec.predict(h, spec.values) for lab, h in hypotheses.items()}
        measurements = []
        for j, (name, f) in enumerate(spec.statistics):
            v = float(f(m, V))
            measurements.append(Measurement(
                name, v, 0.0, "deterministic (Gauss-Hermite, exact for these polynomials)",
                {lab: p[j] for lab, p in preds.items()},
                1e-10 * max(1.0, abs(v)), "rounding only (the rule is exact for degree <= 15)"))
        return ExperimentResult(tuple(measurements), {"process": spec.label, "rule": "8^3 Gauss-Hermite"},
                                (), time.perf_counter() - start, 0)


def noise_witnesses(spec: NoiseSpec) -> tuple:
    return (MonteCarloNoise(spec, name=f"Monte Carlo: {spec.label}"),
            ExactNoise(spec, name=f"exact: {spec.label}"))


# --- coordinate systems psi, Phi = F(psi) ------------------------------------------------------
psi1, psi2 = sp.symbols("psi_1 psi_2", real=True)
PSI = (psi1, psi2)
#: The coordinate map's components, as function symbols a claim's statement can use.
F1, F2 = sp.Function("F_1", real=True), sp.Function("F_2", real=True)
_u, _v = sp.symbols("u v", real=True)
#: A linear change of coordinates Phi = A psi, and a nonlinear one.
LINEAR_MAP = {F1: sp.Lambda((_u, _v), sp.Rational(6, 5) * _u + _v / 2),
              F2: sp.Lambda((_u, _v), -sp.Rational(3, 10) * _u + sp.Rational(4, 5) * _v)}
NONLINEAR_MAP = {F1: sp.Lambda((_u, _v), _u + _v**2 / 2), F2: sp.Lambda((_u, _v), _v + _u**3 / 3)}
#: The point psi_0 where the noise is sampled.
PSI0 = {psi1: 0.5, psi2: -0.6}


def generic_map() -> sp.Matrix:
    """``Phi = F(psi)`` with undetermined components (concrete maps replace F_1, F_2)."""
    return sp.Matrix([F1(psi1, psi2), F2(psi1, psi2)])


def example_gradient_in(coords_map: sp.Matrix) -> sp.Matrix:
    """``d l(F(psi); a, b) / d psi``: the per-example gradient taken in the psi coordinates."""
    loss = example_loss(coords_map)
    return sp.Matrix([sp.diff(loss, p) for p in PSI])


def concrete_map(mapping: dict) -> sp.Matrix:
    return generic_map().replace(F1, mapping[F1]).replace(F2, mapping[F2]).doit()


_MOMENTS_CACHE: dict = {}


def psi_moments(mapping: dict) -> tuple[sp.Matrix, sp.Matrix, sp.Matrix]:
    """``(g_hat_psi, g_psi, Sigma_psi)`` for a coordinate map, computed once (Isserlis)."""
    key = tuple(sorted((str(f), sp.srepr(lam)) for f, lam in mapping.items()))
    if key not in _MOMENTS_CACHE:
        g_hat = example_gradient_in(concrete_map(mapping))
        g = g_hat.applyfunc(gaussian_expectation)
        d = g_hat - g
        _MOMENTS_CACHE[key] = (g_hat, g, (d * d.T).applyfunc(gaussian_expectation))
    return _MOMENTS_CACHE[key]
