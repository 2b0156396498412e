"""Deck 003's batch-size analysis: its symbols, its formulas, and exact event probabilities.

The setting (deck 003, "Calculating B* and eta* in One Dimension"): a batch of ``B``
per-example gradients ``g + sigma xi_b`` (``xi`` iid, mean 0, variance 1; ``g`` the
population gradient) gives ``g_hat`` (the batch mean) and ``sigma_hat`` (the batch's biased
sd). Writing ``g_hat = g + sigma m`` and ``sigma_hat = sigma s`` (``m``, ``s``: mean and sd of
the standardised draws) every statement the slides make about one batch update is an event
in ``(m, s)``.

:func:`event_probability` computes the exact probability of such an event (a conjunction
of relations, each linear in ``m``):

- Gaussian noise: ``Z = sqrt(B) m ~ N(0, 1)`` is independent of ``u = B s^2 ~ chi^2_{B-1}``;
  for fixed ``s`` each relation bounds ``Z`` on one side, so the probability is
  ``E_u[Phi(hi(s)) - Phi(lo(s))]^+``, integrated with mpmath;
- two-point noise: ``(m, s)`` is a function of the number ``k`` of high values, binomial;
  the probability is an exact finite sum with every relation decided in exact arithmetic
  (sympy, square roots included). A relation that holds with equality at some ``k``
  would be decided by rounding in a simulation; that raises, so that the experiment picks
  parameters without ties.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import mpmath
import sympy as sp

from numerics.batch_noise import GAUSSIAN, TWO_POINT, TWO_POINT_P

from .symbols import ETA, eta, positive, real

__all__ = [
    "g", "ghat", "sigmahat", "B", "Lsm", "m", "s", "G", "GHAT", "SIGMAHAT", "BATCH", "LSMOOTH",
    "ETA", "eta", "BATCH_SETTING", "LINE1_RHS", "LINE2_RHS", "LINE3_RHS", "PM_EVENT",
    "standardise", "event_probability", "conditional_probability", "normal_cdf",
    "two_sided_normal", "TieError",
]

g = sp.Symbol("g", real=True)
ghat = sp.Symbol("G", real=True)
sigmahat = sp.Symbol("S", positive=True)
B = sp.Symbol("B", positive=True)
Lsm = sp.Symbol("L", positive=True)
#: Standardised batch mean and sd: g_hat = g + sigma m, sigma_hat = sigma s (sigma = 1 below).
m = sp.Symbol("m", real=True)
s = sp.Symbol("s", nonnegative=True)

G = real(g, "g", "population (training-set) gradient")
GHAT = real(ghat, r"\hat{g}", "batch gradient (mean of B per-example gradients)")
SIGMAHAT = positive(sigmahat, r"\hat{\sigma}", "batch sd of per-example gradients (biased)", (0.1, 10.0))
BATCH = positive(B, "B", "batch size", (1.0, 1000.0))
LSMOOTH = positive(Lsm, "L", "bound on the second derivative of the loss", (0.1, 10.0))
BATCH_SETTING = (G, GHAT, SIGMAHAT, BATCH, LSMOOTH, ETA)

#: The right-hand sides of "A Progress Guarantee", less the common loss(beta).
LINE1_RHS = -g * (eta * ghat) + Lsm * (eta * ghat) ** 2 / 2
#: (built unevaluated: sympy would otherwise fold g_hat - (g_hat - g) into g at once)
LINE2_RHS = sp.Add(sp.Mul(-eta, sp.Add(ghat, sp.Mul(-1, sp.Add(ghat, -g), evaluate=False), evaluate=False),
                          ghat, evaluate=False), Lsm * eta**2 * ghat**2 / 2, evaluate=False)
LINE3_RHS = -eta * (ghat - 2 * sigmahat / sp.sqrt(B)) * ghat + Lsm * eta**2 * ghat**2 / 2
#: "g = g_hat +- 2 sigma_hat / sqrt(B)": the two-sided event.
PM_EVENT = sp.And(ghat - g <= 2 * sigmahat / sp.sqrt(B), g - ghat <= 2 * sigmahat / sp.sqrt(B))


class TieError(ValueError):
    """A relation holds with equality with positive probability: rounding would decide it."""


def normal_cdf(x):
    return (1 + sp.erf(x / sp.sqrt(2))) / 2


def two_sided_normal(c) -> sp.Expr:
    """``P(|Z| <= c)`` for ``Z ~ N(0, 1)``: ``erf(c / sqrt 2)``."""
    return sp.erf(sp.sympify(c) / sp.sqrt(2))


def standardise(expr: sp.Basic, a) -> sp.Basic:
    """``expr`` with ``g_hat = a + m``, ``sigma_hat = s``, ``g = a`` (units of sigma)."""
    return sp.sympify(expr).subs({ghat: a + m, sigmahat: s, g: a}, simultaneous=True)


def _relations(event: sp.Basic) -> list[sp.Rel]:
    event = sp.sympify(event)
    if event is sp.true:
        return []
    if isinstance(event, sp.And):
        return [r for a in event.args for r in _relations(a)]
    if isinstance(event, sp.core.relational.Relational) and not isinstance(event, (sp.Eq, sp.Ne)):
        return [event]
    raise ValueError(f"event {event} must be a conjunction of inequalities")


def _linear(rel: sp.Rel):
    """``rel`` as ``(coefficient of m, rest(s), strict, direction)``: c m + r(s) <= 0 or < 0."""
    diff = sp.expand(rel.lhs - rel.rhs) if isinstance(rel, (sp.LessThan, sp.StrictLessThan)) \
        else sp.expand(rel.rhs - rel.lhs)
    strict = isinstance(rel, (sp.StrictLessThan, sp.StrictGreaterThan))
    c = sp.diff(diff, m)
    if c.has(m) or c.free_symbols:
        raise ValueError(f"relation {rel} is not linear in m with a constant coefficient")
    return float(c), sp.lambdify(s, diff.subs(m, 0), "mpmath"), strict


def _gaussian_probability(rels: list[sp.Rel], batch: int) -> mpmath.mpf:
    if batch < 2:
        raise ValueError(f"B={batch} must be >= 2: sigma_hat is 0 for one example")
    lin = [_linear(r) for r in rels]
    sq = mpmath.sqrt(batch)

    def inner(u):
        sv = mpmath.sqrt(u / batch)
        lo, hi = -mpmath.inf, mpmath.inf
        for c, rest, _ in lin:
            bound = -rest(sv) / c * sq  # on Z = sqrt(B) m
            if c > 0:
                hi = min(hi, bound)
            elif c < 0:
                lo = max(lo, bound)
            elif rest(sv) > 0:
                return mpmath.mpf(0)
        if hi <= lo:
            return mpmath.mpf(0)
        return mpmath.ncdf(hi) - mpmath.ncdf(lo)

    nu = batch - 1
    k = mpmath.mpf(nu) / 2

    def density(u):
        return mpmath.exp((k - 1) * mpmath.log(u) - u / 2 - k * mpmath.log(2) - mpmath.loggamma(k))

    # Split the chi-square range at its quantile-ish points so quad sees each kink locally.
    pts = [0, max(nu - 4 * mpmath.sqrt(2 * nu), 0.5 * nu) / 2, nu / 2, nu, nu + 3 * mpmath.sqrt(2 * nu),
           nu + 8 * mpmath.sqrt(2 * nu) + 20, mpmath.inf]
    pts = sorted(set(pts))
    with mpmath.workdps(30):
        return mpmath.quad(lambda u: inner(u) * density(u), pts, maxdegree=10)


@lru_cache(maxsize=None)
def _two_point_lattice(batch: int):
    """``(P(k), m_k, s_k)`` for k = 0..B high values, exact binomial weights, 60-digit m, s."""
    p = Fraction(TWO_POINT_P).limit_denominator(1000)
    out = []
    with mpmath.workdps(_DPS):
        pm = mpmath.mpf(p.numerator) / p.denominator
        hi = mpmath.sqrt((1 - pm) / pm)
        lo = -mpmath.sqrt(pm / (1 - pm))
        for k in range(batch + 1):
            pk = Fraction(math.comb(batch, k)) * p**k * (1 - p) ** (batch - k)
            mean = (k * hi + (batch - k) * lo) / batch
            var = (k * hi**2 + (batch - k) * lo**2) / batch - mean**2
            out.append((pk, mean, mpmath.sqrt(max(var, mpmath.mpf(0)))))
    return out


#: Working precision of the two-point sums; a relation within 10^-(_DPS - 20) of equality
#: at a lattice point counts as a tie (rounding in double precision could decide it).
_DPS = 60


def _two_point_probability(rels: list[sp.Rel], batch: int) -> Fraction:
    tests = []
    for r in rels:
        f = sp.lambdify((m, s), r.lhs - r.rhs, "mpmath")
        sign = 1 if isinstance(r, (sp.GreaterThan, sp.StrictGreaterThan)) else -1
        tests.append((r, f, sign))
    total = Fraction(0)
    with mpmath.workdps(_DPS):
        for pk, mean, sd in _two_point_lattice(batch):
            ok = True
            for r, f, sign in tests:
                diff = f(mean, sd)
                if abs(diff) < mpmath.mpf(10) ** (20 - _DPS):
                    raise TieError(f"relation {r} holds with equality at the lattice point "
                                   f"m = {mpmath.nstr(mean, 12)}, s = {mpmath.nstr(sd, 12)} "
                                   f"(B = {batch}); choose parameters without ties")
                if sign * diff > 0:
                    continue
                ok = False
                break
            if ok:
                total += pk
    return total


def event_probability(event: sp.Basic, *, a: float, batch: int, kind: int) -> float:
    """Exact ``P(event)``; cached (several witnesses ask for the same numbers).

    See :func:`_event_probability`.
    """
    return _event_probability_cached(sp.sympify(event), float(a), int(batch), int(kind))


@lru_cache(maxsize=256)
def _event_probability_cached(event, a, batch, kind):
    return _event_probability(event, a=a, batch=batch, kind=kind)


def _event_probability(event: sp.Basic, *, a: float, batch: int, kind: int) -> float:
    """Exact ``P(event)`` for a batch of ``batch`` examples with ``g = a sigma``.

    ``event`` is a conjunction of inequalities in ``g_hat``, ``sigma_hat``, ``g`` (with
    every other symbol given a value), each linear in ``g_hat`` once standardised.
    """
    rels = _relations(standardise(event, sp.nsimplify(a)))
    if kind == GAUSSIAN:
        return float(_gaussian_probability(rels, int(batch)))
    if kind == TWO_POINT:
        return float(_two_point_probability(rels, int(batch)))
    raise ValueError(f"kind={kind!r}: exact probabilities exist for Gaussian ({GAUSSIAN}) and "
                     f"two-point ({TWO_POINT}) noise only")


def conditional_probability(event: sp.Basic, given: sp.Basic, *, a: float, batch: int,
                            kind: int) -> float:
    """``P(event | given)``, both conjunctions as in :func:`event_probability`."""
    den = event_probability(given, a=a, batch=batch, kind=kind)
    if not den > 0:
        raise ValueError(f"P({given}) = 0: cannot condition on it")
    return event_probability(sp.And(event, given), a=a, batch=batch, kind=kind) / den
