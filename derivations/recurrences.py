"""Running averages as sympy objects: recurrences, closed forms proved by induction, moments.

Every running average of deck 003 is a first-order linear recurrence

    a_0 = 0,   a_t = alpha(t) a_{t-1} + beta(t) x_t,   y_t = c(t) a_t      (t >= 1)

(the 1/N running average, the cumulative mean with 1/t, the 1/min(N, t) schedule, Kingma
and Ba's bias-corrected m_t / (1 - beta^t), momentum's velocity). Unrolling gives
``y_t = sum_{s<=t} w(t, s) x_s`` with ``w(t, s) = c(t) beta(s) prod_{j=s+1}^t alpha(j)``.
:func:`induction` proves a proposed closed form ``a_t = sum_s v(t, s) x_s`` for symbolic
``t`` and ``s`` by the two identities the induction needs (coefficient matching: the ``x_s``
are free), or reports the first that fails; :func:`weight_moments` gives the estimator's
mean for a constant input, its variance for iid inputs and its lag for a linear drift as
sums over the weights.

The recurrences reach the kernels as data: :meth:`LinearRecurrence.schedules` evaluates
``alpha, beta, c`` at ``t = 1..T`` (``numerics.running_average.run_filters``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

import numpy as np
import sympy as sp

from .model import Step

__all__ = ["t", "s", "n", "N", "mu", "sigma", "r", "beta1", "x", "LinearRecurrence", "ema",
           "cumulative_mean", "min_schedule", "kingma_ba", "momentum_velocity", "induction",
           "Induction", "WeightMoments", "weight_moments", "first_failure", "unroll",
           "linear_form_weight", "weight_values", "as_float", "numeric",
           "unrolled_weight", "window_weight", "min_schedule_weight"]

t = sp.Symbol("t", integer=True, positive=True)
s = sp.Symbol("s", integer=True, positive=True)
n = sp.Symbol("n", integer=True, nonnegative=True)
N = sp.Symbol("N", positive=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
r = sp.Symbol("r", positive=True)
beta1 = sp.Symbol("beta", positive=True)
x = sp.Function("x")


@dataclass(frozen=True)
class LinearRecurrence:
    """``a_t = alpha(t) a_{t-1} + beta(t) x_t``, ``y_t = scale(t) a_t``, ``a_0 = 0``."""

    name: str
    alpha: sp.Expr
    beta: sp.Expr
    scale: sp.Expr = sp.Integer(1)

    def step(self, previous: sp.Expr, value: sp.Expr, at: sp.Expr = t) -> sp.Expr:
        """``a_t`` from ``a_{t-1}`` and ``x_t`` (one application of the recurrence)."""
        return self.alpha.subs(t, at) * previous + self.beta.subs(t, at) * value

    def schedules(self, values: Mapping[sp.Symbol, float], n_steps: int):
        """``(alpha, beta, scale)`` as float arrays at ``t = 1..n_steps`` (for the kernel)."""
        out = []
        for e in (self.alpha, self.beta, self.scale):
            e = sp.sympify(e).subs(dict(values))
            extra = e.free_symbols - {t}
            if extra:
                raise ValueError(f"{self.name}: {e} still depends on {sorted(map(str, extra))}; "
                                 "give every parameter a value")
            f = sp.lambdify(t, e, modules="math")
            out.append(np.array([float(f(k)) for k in range(1, n_steps + 1)]))
        return tuple(out)


def ema(size=N) -> LinearRecurrence:
    """The slide's running average: weight ``1/N`` on the new value."""
    return LinearRecurrence("running average 1/N", 1 - 1 / size, 1 / size)


def cumulative_mean() -> LinearRecurrence:
    return LinearRecurrence("cumulative mean 1/t", 1 - 1 / t, 1 / t)


def min_schedule(size=N) -> LinearRecurrence:
    return LinearRecurrence("1/min(N, t) schedule", 1 - 1 / sp.Min(size, t), 1 / sp.Min(size, t))


def kingma_ba(decay=beta1) -> LinearRecurrence:
    """Adam's first moment, bias corrected: ``m_t = beta m_{t-1} + (1 - beta) x_t``, ``m_t / (1 - beta^t)``."""
    return LinearRecurrence("Kingma-Ba m_t/(1-beta^t)", decay, 1 - decay, 1 / (1 - decay**t))


def momentum_velocity(size=N, rate=sp.Symbol("eta", positive=True)) -> LinearRecurrence:
    """The slide's momentum: ``v_t = (1 - 1/N) v_{t-1} + eta g_t``."""
    return LinearRecurrence("momentum velocity", 1 - 1 / size, rate)


def unroll(rec: LinearRecurrence, steps: int) -> sp.Expr:
    """``a_steps`` as an explicit linear form in ``x(1), ..., x(steps)`` (by iteration)."""
    a = sp.Integer(0)
    for k in range(1, steps + 1):
        a = sp.expand(rec.step(a, x(k), k))
    return a


@dataclass(frozen=True)
class Induction:
    """Outcome of :func:`induction`: proved, or the identity that fails."""

    proved: bool
    steps: tuple[Step, ...]
    failure: str = ""


_M = sp.Symbol("M", positive=True)
_Q = sp.Symbol("q", positive=True)


def _zero(e: sp.Expr) -> bool:
    """Whether ``e`` is identically 0 for ``N > 1`` and integer ``t, s``.

    ``N = 1 + M`` with ``M > 0`` makes the base ``1 - 1/N`` positive, so that sympy may
    combine its powers with symbolic exponents (``powsimp``).
    """
    e = sp.powsimp(sp.sympify(e).subs(N, 1 + _M), force=True)
    if e == 0:
        return True
    return sp.simplify(e) == 0


def induction(rec: LinearRecurrence, v: sp.Expr) -> Induction:
    """Prove ``a_t = sum_{s=1}^t v(t, s) x_s`` for the recurrence, for symbolic ``t`` and ``s``.

    With ``a_0 = 0`` the claim holds at ``t = 1`` iff ``v(1, 1) = beta(1)``, and passes from
    ``t`` to ``t + 1`` iff ``alpha(t+1) v(t, s) = v(t+1, s)`` for ``s <= t`` and
    ``v(t+1, t+1) = beta(t+1)`` (the ``x_s`` are free, so coefficients must match).
    """
    base = v.subs({t: 1, s: 1}) - rec.beta.subs(t, 1)
    carry = rec.alpha.subs(t, t + 1) * v - v.subs(t, t + 1)
    new = v.subs({t: t + 1, s: t + 1}, simultaneous=True) - rec.beta.subs(t, t + 1)
    steps = [Step("Claimed closed form of a_t (weights v(t, s) on x_s)", v),
             Step("Base case t = 1: v(1, 1) - beta(1)", sp.simplify(base)),
             Step("Carried weights s <= t: alpha(t+1) v(t, s) - v(t+1, s)", sp.simplify(carry)),
             Step("New weight: v(t+1, t+1) - beta(t+1)", sp.simplify(new))]
    for label, e in (("base case", base), ("carried weights", carry), ("new weight", new)):
        if not _zero(e):
            return Induction(False, tuple(steps), f"the {label} identity fails: {sp.simplify(e)} != 0")
    return Induction(True, tuple(steps))


def first_failure(rec: LinearRecurrence, v: sp.Expr, values: Mapping, max_t: int = 6):
    """The smallest ``t`` at which ``sum_s v(t, s) x_s`` differs from the iterated recurrence.

    Returns ``(t, iterated, claimed)`` with the parameters in ``values`` substituted, or None.
    """
    rec_v = LinearRecurrence(rec.name, rec.alpha.subs(values), rec.beta.subs(values), rec.scale)
    for k in range(1, max_t + 1):
        iterated = unroll(rec_v, k)
        claimed = sp.expand(sum(v.subs(values).subs({t: k, s: j}) * x(j) for j in range(1, k + 1)))
        if sp.simplify(iterated - claimed) != 0:
            return k, iterated, claimed
    return None


@dataclass(frozen=True)
class WeightMoments:
    """Moments of ``y_t = sum_s w(t, s) x_s`` (symbolic in ``t`` and the parameters).

    ``gain``: ``sum_s w`` (``E y_t / mu`` for a constant mean ``mu``); ``power``: ``sum_s w^2``
    (``Var y_t / sigma^2`` for iid inputs of variance ``sigma^2``); ``age``: ``sum_s w (t - s)``
    (with ``gain = 1``, the lag behind a linear drift, in steps).
    """

    gain: sp.Expr
    power: sp.Expr
    age: sp.Expr

    @property
    def lag(self) -> sp.Expr:
        return sp.simplify(self.age / self.gain)


def _generic(e: sp.Expr) -> sp.Expr:
    """The generic branch of a sympy summation's Piecewise (ratio != 1: ``N`` finite, ``beta < 1``)."""
    return sp.sympify(e).replace(lambda a: isinstance(a, sp.Piecewise), lambda a: a.args[-1][0])


@lru_cache(maxsize=None)
def weight_moments(w: sp.Expr) -> WeightMoments:
    """Closed forms of the three sums over ``s = 1..t`` (sympy summation).

    The sums run over the age ``n = t - s`` (0..t-1); a weight written with ``1 - 1/N`` is
    summed as a geometric series in ``q = 1 - 1/N`` (fast and exact), then ``q`` is put back.
    """
    e = sp.sympify(w).subs(s, t - n)
    in_q = N in e.free_symbols
    if in_q:
        e = sp.powsimp(e.subs(N, 1 / (1 - _Q)), force=True)

    def total(f):
        # Constant factors outside the sum: sympy sums a bare geometric term much faster.
        const, core = sp.powsimp(sp.expand_power_base(f, force=True), force=True).as_independent(n, as_Add=False)
        out = sp.factor(const * _generic(sp.summation(core, (n, 0, t - 1))))
        return out.subs(_Q, 1 - 1 / N) if in_q else out

    return WeightMoments(total(e), total(e**2), total(e * n))


def as_float(e: sp.Expr, values: Mapping) -> float:
    """``e`` at ``values`` as a float; raises naming ``e`` when it is not a finite number."""
    v = sp.sympify(e).subs(dict(values))
    if isinstance(v, sp.Sum):
        v = v.doit()
    v = sp.N(v, 30)
    if not v.is_number or v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise ValueError(f"{e} at {dict(values)} is not a finite number: {v}")
    f = float(v)
    if not math.isfinite(f):
        raise ValueError(f"{e} at {dict(values)} is not finite")
    return f


def linear_form_weight(expr: sp.Expr) -> sp.Expr:
    """``w(t, s)`` of a closed form ``c * Sum(w'(t, s) x(s), (s, 1, t))``: ``c w'(t, s)``.

    Raises naming the expression when it is not such a linear form in the ``x(s)``.
    """
    expr = sp.sympify(expr)
    sums = list(expr.atoms(sp.Sum))
    if len(sums) != 1:
        raise ValueError(f"{expr} is not c * Sum(w(t, s) x(s), (s, 1, t))")
    total = sums[0]
    outside = sp.simplify(expr / total)
    if outside.has(x) or outside.has(s):
        raise ValueError(f"{expr}: the factor outside the sum, {outside}, must be free of x and s")
    (index, lo, hi), = total.limits
    inner = total.function.subs(index, s)
    w = sp.diff(inner, x(s))
    if w == 0 or sp.diff(w, x(s)) != 0 or sp.simplify(inner.subs(x(s), 0)) != 0:
        raise ValueError(f"{expr}: the summand {inner} is not linear in x(s)")
    return outside * w


def weight_values(w: sp.Expr, values: Mapping, at_t: int) -> np.ndarray:
    """``w(at_t, s)`` for ``s = 1..at_t`` as floats (parameters from ``values``)."""
    f = numeric(sp.sympify(w).subs(dict(values)), t, s)
    return np.array([float(f(at_t, k)) for k in range(1, at_t + 1)])


@lru_cache(maxsize=256)
def numeric(expr: sp.Expr, *args: sp.Symbol):
    """``expr`` as a cached plain-Python function of ``args`` (lambdify, math module)."""
    return sp.lambdify(args, sp.sympify(expr), modules="math")


_j = sp.Symbol("j", integer=True, positive=True)


@lru_cache(maxsize=None)
def unrolled_weight(rec: LinearRecurrence) -> sp.Expr:
    """``w(t, s) = c(t) beta(s) prod_{j=s+1}^t alpha(j)``: the weight of ``x_s`` in ``y_t``."""
    prod = sp.Product(rec.alpha.subs(t, _j), (_j, s + 1, t)).doit()
    w = sp.powsimp(sp.factor(rec.scale * rec.beta.subs(t, s) * prod), force=True)
    if w.has(sp.RisingFactorial, sp.gamma, sp.factorial):  # telescoping products, e.g. 1/t
        w = sp.simplify(sp.gammasimp(w))
    return w


def window_weight(size=N) -> sp.Expr:
    """Weight of ``x_s`` in the mean of the ``size`` most recent values at step ``t >= size``."""
    return sp.Piecewise((1 / size, s > t - size), (0, True))


def min_schedule_weight(size=N) -> sp.Expr:
    """Weights of the 1/min(N, t) schedule: 1/t up to t = N, then the 1/N average from the
    mean of x_1..x_N (proved in two phases by 003-min-schedule)."""
    q = 1 - 1 / size
    return sp.Piecewise((1 / t, t <= size), (q ** (t - size) / size, s <= size), (q ** (t - s) / size, True))
