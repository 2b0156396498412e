"""Learning-rate schedules eta_t and witnesses of what SGD does under them (deck 003).

A :class:`Schedule` is a sympy expression in the step ``t = 1, 2, ...``; its properties
(``sum eta_t``, ``sum eta_t^2``, ``eta_t log t``) are decided symbolically, and its values
reach the kernel as an array. The witnesses run finite-sum SGD (:mod:`numerics.finite_sum`)
on a one-dimensional quadratic training set whose examples share the curvature ``h`` and
differ in their gradients ``g_i`` (e.g. ``L_i = (Phi - a_i)^2 / 2``): then
``DeltaPhi' = (1 - eta h) DeltaPhi - eta g_i`` is linear, its mean and variance follow the
exact moment recursion (:func:`numerics.moments.moment_trajectory`), and the noise part
of ``DeltaPhi_t`` is a weighted sum of independent bounded terms, which gives rigorous
bounds on the probability of an excursion in a window of steps:

- upper (Hoeffding and a union over the window):
  ``P(|DeltaPhi_t| >= delta) <= 2 exp(-(delta - |m_t|)^2 / (2 A^2 v_t / sigma^2))``, with
  ``A = max |g_i - gbar|``, ``sigma^2 = Var g_i``, ``v_t`` the exact variance;
- lower, for two examples: a run of ``r`` steps on the same example pushes ``DeltaPhi``
  past ``delta`` from anywhere in the invariant interval, and the probability of such a
  run among ``W`` fair draws is exact (dynamic programming over the current run length);
  and deterministically, ``|m_t| - b_t >= delta`` with ``b_t`` the largest possible noise.
"""

from __future__ import annotations

import math
import time
from functools import lru_cache
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import sympy as sp

from numerics.finite_sum import run_finite_sum
from numerics.moments import moment_trajectory
from numerics.stats import mean_over_chains

from ..finite_sum import FiniteSumProblem
from ..model import ExperimentResult, Plot
from .finite_sum_sgd import hypothesis_values, plain_measurement as _measure

__all__ = ["STEP", "Schedule", "ExcursionSpec", "MonteCarloExcursion", "MotionSpec",
           "MonteCarloMotion", "AssignmentSpec", "MonteCarloAssignment", "run_probability",
           "excursion_bounds"]

#: The step index of a schedule, t = 1, 2, ...
STEP = sp.Symbol("t", positive=True, integer=True)


@dataclass(frozen=True)
class Schedule:
    """``eta_t`` as a sympy expression in :data:`STEP`."""

    label: str
    expr: sp.Expr

    def array(self, n: int) -> np.ndarray:
        f = sp.lambdify(STEP, self.expr, modules="numpy")
        out = np.asarray(f(np.arange(1, n + 1, dtype=float)), dtype=float)
        if out.shape != (n,) or not np.all(np.isfinite(out)) or np.any(out <= 0):
            raise ValueError(f"schedule {self.label}: eta_t must be finite and > 0 for t = 1..{n}")
        return out

    def properties(self) -> dict[str, sp.Basic]:
        """``lim eta_t``, ``sum eta_t``, ``sum eta_t^2`` and ``lim eta_t log t``, decided by sympy.

        A sum is decided by the limit comparison test against ``1/t`` (divergent) and
        ``1/t^2`` (convergent), and evaluated by sympy where it closes.
        """
        return dict(_properties(self.expr))


@lru_cache(maxsize=None)
def _properties(e: sp.Expr) -> tuple:
    return (("lim eta_t", sp.limit(e, STEP, sp.oo)), ("sum eta_t", _series_kind(e)),
            ("sum eta_t^2", _series_kind(e**2)),
            ("lim eta_t log t", sp.limit(e * sp.log(STEP), STEP, sp.oo)))


def _series_kind(term: sp.Expr) -> sp.Basic:
    """``oo`` if ``sum_t term`` diverges, else its value (or the symbol 'finite')."""
    s = sp.Symbol("s", positive=True)
    u = term.subs(STEP, s)
    # limit comparison with 1/s (divergent) and 1/s^2 (convergent)
    if sp.limit(u * s, s, sp.oo) not in (0,):
        return sp.oo
    if sp.limit(u * s**2, s, sp.oo).is_finite:
        total = sp.summation(term, (STEP, 1, sp.oo))
        return total if not isinstance(total, sp.Sum) else sp.Symbol("finite")
    total = sp.summation(term, (STEP, 1, sp.oo))
    if isinstance(total, sp.Sum):
        raise ValueError(f"cannot decide whether sum of {term} converges")
    return total


def _quadratic_1d(problem: FiniteSumProblem):
    """``(h, g array)`` for a 1-D quadratic set with a common curvature, else ValueError."""
    ex = problem.quadratic_examples()
    if problem.d != 1 or not problem.is_quadratic or np.ptp(ex.H[:, 0, 0]) != 0:
        raise ValueError(f"{problem.label}: the excursion bounds need a 1-D quadratic set with a "
                         "common curvature")
    return float(ex.H[0, 0, 0]), ex.g[:, 0]


def run_probability(window: int, r: int) -> float:
    """P(a run of >= r equal draws among ``window`` fair two-valued draws), exact."""
    if r <= 1:
        return 1.0 if window >= 1 else 0.0
    if window < r:
        return 0.0
    # state: length of the current run (1..r-1); absorbed once a run reaches r
    p = np.zeros(r)
    p[1] = 1.0  # after the first draw
    absorbed = 0.0
    for _ in range(window - 1):
        q = np.zeros(r)
        q[1] = 0.5 * p[1:].sum()       # the next draw differs: a new run of 1
        q[2:] = 0.5 * p[1:-1]          # the same: the run grows
        absorbed += 0.5 * p[-1]        # the run reaches r
        p = q
    return float(absorbed)


def excursion_bounds(problem: FiniteSumProblem, schedule: Schedule, delta0: float, T: int,
                     level: float) -> dict:
    """Rigorous bounds on P(max_{T < t <= 2T} L(Phi_t) - L(Phi*) >= level) (see the module doc)."""
    h, g = _quadratic_1d(problem)
    ex = problem.quadratic_examples()
    eta = schedule.array(2 * T)
    delta = math.sqrt(2 * level / h)
    cp = np.arange(T + 1, 2 * T + 1)
    m, S = moment_trajectory(ex, eta, np.array([delta0]), np.array([[delta0**2]]), cp)
    m, v = m[:, 0], S[:, 0, 0] - m[:, 0] ** 2
    gbar, sigma2 = g.mean(), g.var()
    A = float(np.max(np.abs(g - gbar)))
    gap = delta - np.abs(m)
    with np.errstate(divide="ignore", over="ignore"):
        terms = np.where(gap > 0, 2 * np.exp(-gap**2 / (2 * A**2 * np.maximum(v, 1e-300) / sigma2)), 1.0)
    upper = float(min(1.0, terms.sum()))
    # Deterministic: the noise part is at most b_t = sum_s |w_s| A in absolute value.
    b, lower = 0.0, 0.0
    mean = delta0
    for t in range(2 * T):
        b = (1 - eta[t] * h) * b + eta[t] * A
        mean = (1 - eta[t] * h) * mean - eta[t] * gbar
        if t + 1 > T and abs(mean) - b >= delta:
            lower = 1.0
            break
    # Runs (two examples, fair draws): from anywhere in the invariant interval
    # |DeltaPhi| <= A/h (needs eta h <= 1), r equal draws reach delta.
    r = None
    if lower < 1.0 and g.size == 2 and np.all(eta * h <= 1) and abs(delta0) <= A / h and delta < A / h:
        eta_min = float(eta[T:].min())
        r = math.ceil(math.log((2 * A / h) / (A / h - delta)) / -math.log1p(-eta_min * h))
        lower = run_probability(T, r)
    return {"upper": upper, "lower": lower, "run_length": r, "delta": delta,
            "bias": min(upper, 1.0 - lower)}


@dataclass(frozen=True)
class ExcursionSpec:
    label: str
    problem: FiniteSumProblem
    schedule: Schedule
    delta0: float  # start at Phi* + delta0
    T: int
    level: float
    values: Mapping[sp.Symbol, float]
    chains: Mapping[str, int]


@dataclass(frozen=True)
class MonteCarloExcursion:
    """The frequency of excursions ``L - L(Phi*) >= level`` in ``(T, 2T]``, and the mean excess at ``2T``."""

    spec: ExcursionSpec
    name: str = "Monte Carlo excursions"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        if budget not in spec.chains:
            raise ValueError(f"budget={budget!r} must be one of {sorted(spec.chains)}")
        start = time.perf_counter()
        n = spec.chains[budget]
        p = spec.problem
        x0 = p.start(n) + spec.delta0
        eta = spec.schedule.array(2 * spec.T)
        run = run_finite_sum(p.gradient_polynomials(), p.observable_polynomials([p.excess_loss]),
                             x0=x0, eta=eta, seed=seed, burn_in=spec.T, checkpoints=[2 * spec.T])
        hit = (run.maxima[:, 0] >= spec.level).astype(float)
        freq = mean_over_chains(hit)
        bounds = excursion_bounds(p, spec.schedule, spec.delta0, spec.T, spec.level)
        preds = hypothesis_values(hypotheses, spec.values)
        excess = mean_over_chains(run.snapshots[:, 0, 0])
        m, S = moment_trajectory(p.quadratic_examples(), eta, np.array([spec.delta0]),
                                 np.array([[spec.delta0**2]]), [2 * spec.T])
        exact_excess = 0.5 * float(p.Hbar[0, 0]) * float(S[0, 0, 0])
        measurements = (
            _measure(f"P(max over ({spec.T}, {2 * spec.T}] of L - L(Phi*) >= {spec.level:g}), "
                        "T -> oo", freq.value, freq.se, freq.method, preds, bounds["bias"],
                        f"distance to the T -> oo limit: min(Hoeffding union bound {bounds['upper']:.3g}, "
                        f"1 - lower bound {bounds['lower']:.6g} (runs of {bounds['run_length']} equal "
                        "examples, or a deterministic excursion))"),
            _measure(f"E[L(Phi_{2 * spec.T})] - L(Phi*)", excess.value, excess.se, excess.method,
                        {"derived": exact_excess}, 1e-9 * (1 + exact_excess),
                        "rounding; predicted by the exact moment recursion of the same chain"),
        )
        setup = {"process": spec.label, "schedule": sp.sstr(spec.schedule.expr),
                 "start": f"Phi* + {spec.delta0}", "window": [spec.T + 1, 2 * spec.T],
                 "level": spec.level, "chains": n, "bounds": bounds,
                 "eta at 2T": float(eta[-1]), "seed": seed,
                 "properties": {k: sp.sstr(v) for k, v in spec.schedule.properties().items()}}
        return ExperimentResult(measurements, setup, (), time.perf_counter() - start,
                                n * 2 * spec.T)


@dataclass(frozen=True)
class MotionSpec:
    label: str
    problem: FiniteSumProblem
    schedule: Schedule
    delta0: float
    T: int
    values: Mapping[sp.Symbol, float]
    chains: Mapping[str, int]


@dataclass(frozen=True)
class MonteCarloMotion:
    """The fraction of the initial distance to ``Phi*`` covered, ``1 - E[DeltaPhi_T] / DeltaPhi_0``, as T -> oo.

    Bias: the mean is exactly ``m_T = DeltaPhi_0 prod_{t <= T}(1 - eta_t h)`` (``gbar = 0``)
    and decreases to its limit, so ``|m_T - m_oo| <= |m_T| min(1, h sum_{t > T} eta_t)``.
    """

    spec: MotionSpec
    name: str = "Monte Carlo motion"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        n = spec.chains[budget]
        p = spec.problem
        h, _ = _quadratic_1d(p)
        eta = spec.schedule.array(spec.T)
        obs = p.observable_polynomials([p.delta[0]])
        run = run_finite_sum(p.gradient_polynomials(), obs, x0=p.start(n) + spec.delta0, eta=eta,
                             seed=seed, checkpoints=[spec.T])
        covered = mean_over_chains(1 - run.snapshots[:, 0, 0] / spec.delta0)
        mT = float(np.prod(1 - eta * h))
        tail = sp.summation(spec.schedule.expr, (STEP, spec.T + 1, sp.oo))
        tail = float(tail) if tail.is_finite else math.inf
        bias = abs(mT) * min(1.0, h * tail)
        m = _measure("fraction of the initial distance covered, T -> oo", covered.value,
                        covered.se, covered.method, hypothesis_values(hypotheses, spec.values), bias,
                        f"|m_T| min(1, h sum_(t>T) eta_t) with m_T / DeltaPhi_0 = {mT:.4g} (exact product), "
                        f"tail sum {tail:.4g}")
        setup = {"process": spec.label, "schedule": sp.sstr(spec.schedule.expr),
                 "start": f"Phi* + {spec.delta0}", "T": spec.T, "chains": n, "seed": seed,
                 "exact mean fraction remaining at T": mT,
                 "properties": {k: sp.sstr(v) for k, v in spec.schedule.properties().items()}}
        return ExperimentResult((m,), setup, (), time.perf_counter() - start, n * spec.T)


@dataclass(frozen=True)
class AssignmentSpec:
    label: str
    problem: FiniteSumProblem
    schedule: Schedule
    T: int
    values: Mapping[sp.Symbol, float]
    chains: Mapping[str, int]


@dataclass(frozen=True)
class MonteCarloAssignment:
    """The update ``Phi <- eta_t grad L_i(Phi)`` as written, started at ``Phi*``: ``E[Phi_T]``, T -> oo.

    Bias: ``|Phi_{t+1}| <= eta_t max_i |grad L_i(Phi_t)|``; for a 1-D polynomial gradient
    ``|grad L_i(x)| <= sum_k |c_ik| |x|^k``, so ``b_{t+1} = eta_t max_i sum_k |c_ik| b_t^k``
    bounds every path's ``|Phi_t|``, hence the distance of ``E[Phi_T]`` from 0.
    """

    spec: AssignmentSpec
    name: str = "Monte Carlo, the update as written"
    kind: str = "monte-carlo"

    def run(self, hypotheses, budget: str, seed: int) -> ExperimentResult:
        spec = self.spec
        start = time.perf_counter()
        n = spec.chains[budget]
        p = spec.problem
        if p.d != 1:
            raise ValueError(f"{p.label}: the assignment witness is one-dimensional")
        eta = spec.schedule.array(spec.T)
        grads = p.gradient_polynomials()
        run = run_finite_sum(grads, p.observable_polynomials([p.state[0]]), x0=p.start(n), eta=eta,
                             seed=seed, update="assign", checkpoints=[spec.T])
        est = mean_over_chains(run.snapshots[:, 0, 0])
        powers = grads.exps[:, 0]
        bound = float(abs(p.optimum_array[0]))
        for e in eta:
            bound = e * max(float(np.sum(np.abs(grads.coefs[i, 0]) * bound ** powers))
                            for i in range(p.n))
        m = _measure(f"E[Phi_T], T -> oo (T = {spec.T})", est.value, est.se, est.method,
                        hypothesis_values(hypotheses, spec.values), bound,
                        "every path has |Phi_T| <= b_T, b_(t+1) = eta_t max_i |grad L_i| at b_t "
                        f"(= {bound:.3g})")
        setup = {"process": spec.label, "update": "Phi <- eta_t grad L_i(Phi) (as written)",
                 "schedule": sp.sstr(spec.schedule.expr), "start": "Phi*", "T": spec.T,
                 "chains": n, "seed": seed, "final loss": float(np.mean(
                     [float(p.loss.subs(p.state[0], v)) for v in run.final[:16, 0]]))}
        return ExperimentResult((m,), setup, (), time.perf_counter() - start, n * spec.T)
