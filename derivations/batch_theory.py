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
import numpy as np
import sympy as sp

from numerics.batch_noise import GAUSSIAN, TWO_POINT, TWO_POINT_P

from .symbols import ETA, eta, positive, real

__all__ = [
    "g", "ghat", "sigmahat", "B", "Lsm", "m", "s", "G", "GHAT", "SIGMAHAT", "BATCH", "LSMOOTH",
    "ETA", "eta", "BATCH_SETTING", "LINE1_RHS", "LINE2_RHS", "LINE3_RHS", "PM_EVENT",
    "ETA_STAR_B", "LOWER_LIMIT", "LINE3_ABS_RHS",
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
#: "Appendix: Optimizing B and eta": the minimiser of line 3 over eta, and the lower
#: confidence limit u = g_hat - 2 sigma_hat / sqrt(B) it is proportional to (L eta* g_hat = u).
ETA_STAR_B = (1 - 2 * sigmahat / (ghat * sp.sqrt(B))) / Lsm
LOWER_LIMIT = ghat - 2 * sigmahat / sp.sqrt(B)
#: The guarantee with |g_hat| (valid on the +- event for either sign; see 003-progress-guarantee).
LINE3_ABS_RHS = -eta * (sp.Abs(ghat) - 2 * sigmahat / sp.sqrt(B)) * sp.Abs(ghat) + Lsm * eta**2 * ghat**2 / 2
#: "g = g_hat +- 2 sigma_hat / sqrt(B)": the two-sided event.
PM_EVENT = sp.And(ghat - g <= 2 * sigmahat / sp.sqrt(B), g - ghat <= 2 * sigmahat / sp.sqrt(B))


class TieError(ValueError):
    """A relation holds with equality with positive probability: rounding would decide it."""


def normal_cdf(x):
    return (1 + sp.erf(x / sp.sqrt(2))) / 2


def two_sided_normal(c) -> sp.Expr:
    """``P(|Z| <= c)`` for ``Z ~ N(0, 1)``: ``erf(c / sqrt 2)``."""
    return sp.erf(sp.sympify(c) / sp.sqrt(2))


def standardise(expr: sp.Basic, a, sigma=1) -> sp.Basic:
    """``expr`` with ``g = a sigma``, ``g_hat = sigma (a + m)``, ``sigma_hat = sigma s``.

    ``m`` and ``s`` are the mean and biased sd of the standardised draws; ``sigma`` the
    per-example sd (a relation with absolute constants, such as ``g_hat <= 4``, depends on it).
    """
    sg = sp.nsimplify(sigma)
    return sp.sympify(expr).subs({ghat: sg * (a + m), sigmahat: sg * s, g: sg * a}, simultaneous=True)


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
    """``rel`` as ``(c_m, c_s, c_0)`` with the relation ``c_m m + c_s s + c_0 <= 0`` (or < 0)."""
    diff = sp.expand(rel.lhs - rel.rhs) if isinstance(rel, (sp.LessThan, sp.StrictLessThan)) \
        else sp.expand(rel.rhs - rel.lhs)
    poly = sp.Poly(diff, m, s)
    if poly.total_degree() > 1 or poly.free_symbols - {m, s}:
        raise ValueError(f"relation {rel} must be linear in m and s with numeric coefficients")
    return (float(poly.coeff_monomial(m)), float(poly.coeff_monomial(s)), float(poly.coeff_monomial(1)))


_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(40)
_ERF = np.vectorize(math.erf, otypes=[float])


def _ncdf(x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        out = 0.5 * (1.0 + _ERF(x / math.sqrt(2.0)))
    out[np.isposinf(x)] = 1.0
    out[np.isneginf(x)] = 0.0
    return out


def _gaussian_probability(rels: list[sp.Rel], batch: int) -> float:
    """``E_s[P(lo(s) < Z <= hi(s))]`` with ``Z = sqrt(B) m ~ N(0,1)``, ``B s^2 ~ chi^2_{B-1}``.

    Each relation bounds ``Z`` by a function linear in ``s``, so the integrand is smooth
    between the points where two bounds cross; Gauss-Legendre on each smooth piece (cut
    further at the chi density's scale) integrates it to ~1e-13.
    """
    if batch < 2:
        raise ValueError(f"B={batch} must be >= 2: sigma_hat is 0 for one example")
    lin = [_linear(r) for r in rels]
    sq = math.sqrt(batch)
    # Bound on Z as a + b s, and whether it is an upper (c_m > 0) or lower bound.
    bounds = []
    for cm, cs, c0 in lin:
        if cm == 0:
            bounds.append(("const", cs, c0))
        else:
            bounds.append(("hi" if cm > 0 else "lo", -c0 / cm * sq, -cs / cm * sq))
    nu = batch - 1
    s_max = math.sqrt((nu + 14 * math.sqrt(2 * nu) + 60) / batch)
    cuts = {0.0, s_max}
    lines = [(a, b) for kind, a, b in bounds if kind != "const"]
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            (a1, b1), (a2, b2) = lines[i], lines[j]
            if b1 != b2:
                x = (a2 - a1) / (b1 - b2)
                if 0 < x < s_max:
                    cuts.add(x)
    for kind, cs, c0 in bounds:  # a relation in s alone switches where cs s + c0 = 0
        if kind == "const" and cs != 0 and 0 < -c0 / cs < s_max:
            cuts.add(-c0 / cs)
    cuts |= set(np.linspace(0.0, s_max, 81).tolist())
    edges = np.array(sorted(cuts))
    total = 0.0
    log_norm = (nu / 2) * math.log(2) + math.lgamma(nu / 2)
    for x0, x1 in zip(edges[:-1], edges[1:]):
        sv = 0.5 * (x1 - x0) * _NODES + 0.5 * (x1 + x0)
        w = 0.5 * (x1 - x0) * _WEIGHTS
        u = batch * sv**2
        with np.errstate(divide="ignore"):
            dens = np.exp((nu / 2 - 1) * np.log(u) - u / 2 - log_norm) * 2 * batch * sv
        lo = np.full_like(sv, -np.inf)
        hi = np.full_like(sv, np.inf)
        ok = np.ones_like(sv, dtype=bool)
        for kind, a, b in bounds:
            if kind == "hi":
                hi = np.minimum(hi, a + b * sv)
            elif kind == "lo":
                lo = np.maximum(lo, a + b * sv)
            else:
                ok &= a * sv + b <= 0
        p = np.where(ok & (hi > lo), _ncdf(hi) - _ncdf(lo), 0.0)
        total += float(np.sum(w * p * dens))
    return total


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


def event_probability(event: sp.Basic, *, a: float, batch: int, kind: int, sigma: float = 1.0) -> float:
    """Exact ``P(event)``; cached (several witnesses ask for the same numbers).

    See :func:`_event_probability`.
    """
    return _event_probability_cached(sp.sympify(event), float(a), int(batch), int(kind), float(sigma))


@lru_cache(maxsize=256)
def _event_probability_cached(event, a, batch, kind, sigma):
    return _event_probability(event, a=a, batch=batch, kind=kind, sigma=sigma)


def _event_probability(event: sp.Basic, *, a: float, batch: int, kind: int, sigma: float) -> float:
    """Exact ``P(event)`` for a batch of ``batch`` examples with ``g = a sigma``.

    ``event`` is a conjunction of inequalities in ``g_hat``, ``sigma_hat``, ``g`` (with
    every other symbol given a value), each linear in ``g_hat`` once standardised.
    """
    if not sigma > 0:
        raise ValueError(f"sigma={sigma!r} must be > 0")
    rels = _relations(standardise(event, sp.nsimplify(a), sigma))
    if kind == GAUSSIAN:
        return float(_gaussian_probability(rels, int(batch)))
    if kind == TWO_POINT:
        return float(_two_point_probability(rels, int(batch)))
    raise ValueError(f"kind={kind!r}: exact probabilities exist for Gaussian ({GAUSSIAN}) and "
                     f"two-point ({TWO_POINT}) noise only")


def conditional_probability(event: sp.Basic, given: sp.Basic, *, a: float, batch: int,
                            kind: int, sigma: float = 1.0) -> float:
    """``P(event | given)``, both conjunctions as in :func:`event_probability`."""
    den = event_probability(given, a=a, batch=batch, kind=kind, sigma=sigma)
    if not den > 0:
        raise ValueError(f"P({given}) = 0: cannot condition on it")
    return event_probability(sp.And(event, given), a=a, batch=batch, kind=kind, sigma=sigma) / den
