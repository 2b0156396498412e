"""Parameters declared once: symbol with sympy assumptions, LaTeX, meaning, domain, sampler.

The samplers feed the equivalence cascade's random points: a positive parameter is drawn
log-uniformly over its typical range, a real one uniformly, a function symbol becomes a
random polynomial (a ``sympy.Lambda``), so that "equal at random points" exercises the
identity away from any special value.
"""

from __future__ import annotations

import math
import random

import mpmath
import sympy as sp

from .model import Parameter

__all__ = [
    "positive", "real", "integer", "function", "x", "y", "Phi", "t", "dt", "DT", "eta", "sigma",
    "sigma_x", "sigma_y", "Z", "L", "LOSS", "X", "PHI", "ETA", "SIGMA", "NORMALISER",
    "normalisers",
]


def _mpf(value: float) -> mpmath.mpf:
    # Round-trip through a decimal string so the random point is exact at any precision.
    return mpmath.mpf(repr(value))


def positive(symbol: sp.Symbol, latex: str, meaning: str,
             typical: tuple[float, float] = (0.1, 10.0)) -> Parameter:
    lo, hi = typical
    if not 0 < lo < hi:
        raise ValueError(f"typical={typical!r} for {symbol} must satisfy 0 < lo < hi")
    return Parameter(symbol, latex, meaning, f"(0, oo), typically [{lo:g}, {hi:g}]",
                     lambda rng: _mpf(math.exp(rng.uniform(math.log(lo), math.log(hi)))))


def real(symbol: sp.Symbol, latex: str, meaning: str,
         typical: tuple[float, float] = (-3.0, 3.0)) -> Parameter:
    lo, hi = typical
    return Parameter(symbol, latex, meaning, f"R, typically [{lo:g}, {hi:g}]",
                     lambda rng: _mpf(rng.uniform(lo, hi)))


def integer(symbol: sp.Symbol, latex: str, meaning: str, lo: int, hi: int) -> Parameter:
    return Parameter(symbol, latex, meaning, f"integers in [{lo}, {hi}]",
                     lambda rng: mpmath.mpf(rng.randint(lo, hi)))


def function(fn: sp.FunctionClass, latex: str, meaning: str, degree: int = 4) -> Parameter:
    """A function symbol of one variable; random instances are polynomials of ``degree``."""

    def sample(rng: random.Random) -> sp.Lambda:
        u = sp.Dummy("u")
        coeffs = [sp.Rational(rng.randint(-40, 40), 10) for _ in range(degree)]
        coeffs.append(sp.Rational(rng.randint(1, 40), 10))  # positive leading term
        return sp.Lambda(u, sum(c * u**k for k, c in enumerate(coeffs)))

    return Parameter(fn, latex, meaning, f"smooth functions R -> R (random degree-{degree} "
                     "polynomials at random points)", sample)


# --- the standard symbols of the SGD decks --------------------------------------------------
x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
Phi = sp.Symbol("Phi", real=True)
t = sp.Symbol("t", positive=True)
dt = sp.Symbol("Delta_t", positive=True)
eta = sp.Symbol("eta", positive=True)
sigma = sp.Symbol("sigma", positive=True)
sigma_x = sp.Symbol("sigma_x", positive=True)
sigma_y = sp.Symbol("sigma_y", positive=True)
Z = sp.Symbol("Z", positive=True)
L = sp.Function("L", real=True)

X = real(x, "x", "the parameter (one dimension)")
PHI = real(Phi, r"\Phi", "the parameter (one dimension)")
ETA = positive(eta, r"\eta", "learning rate", (1e-3, 1.0))
SIGMA = positive(sigma, r"\sigma", "standard deviation of the gradient noise", (0.1, 10.0))
DT = positive(dt, r"\Delta t", "time step of the Euler form of an SDE", (1e-3, 0.1))
NORMALISER = positive(Z, "Z", "normalising constant (free of the parameters)", (0.1, 10.0))
LOSS = function(L, r"\mathcal{L}", "the loss, a smooth function")


def normalisers() -> tuple[sp.Symbol, ...]:
    """Symbols that stand for normalising constants, set to 1 before a density is integrated."""
    return (Z,)
