"""The blog post's model (deck 004), written once: symbols, the SGD step, its fluxes.

The post's formulas were stripped; its words fix the model. One weight ``W``; the mean
gradient over the data ``G(W)`` ("the descent force"), the variance of the per-example
gradients ``V(W)`` ("the spreading force"), learning rate ``eta``; time ``t`` counts steps.
"A point (dirac delta distribution) of probability at W ... changes to a distribution
centred at W - eta G with a variance of eta^2 V": one SGD step is

    W' = W - eta (G(W) + sqrt(V(W)) xi),   E[xi] = 0, Var[xi] = 1,

with the noise's size set where the step starts. Its probability current (Kramers-Moyal to
second order, per step) is Ito's, ``J = -eta G p - (eta^2/2) d(V p)/dW``; the two other
readings of "spreading at a rate proportional to V" are Stratonovich's
``-(eta^2/2) sqrt(V) d(sqrt(V) p)/dW`` and Fick's ``-(eta^2/2) V dp/dW``. They differ exactly
when V depends on W, which is what several claims turn on.
"""

from __future__ import annotations

import random

import sympy as sp

from .fokker_planck import XI, flux_1d, gaussian_moments
from .model import Parameter, Step
from .symbols import positive, real

__all__ = ["W", "t", "eta", "Z", "G", "V", "p", "STATE", "ETA", "NORMALISER", "GRAD", "VAR",
           "SGD_STEP", "positive_function", "CONVENTIONS", "flux", "master_rhs", "DECK",
           "zero_current_density"]

DECK = "004_211a2daec53ab305.txt"

W = sp.Symbol("W", real=True)
t = sp.Symbol("t", nonnegative=True)
eta = sp.Symbol("eta", positive=True)
Z = sp.Symbol("Z", positive=True)
G = sp.Function("G", real=True)
V = sp.Function("V", positive=True)
p = sp.Function("p")


def positive_function(fn: sp.FunctionClass, latex: str, meaning: str) -> Parameter:
    """A function symbol whose random instances are positive: ``1/10 + q(u)^2`` with ``q`` a
    random quadratic, so logarithms and square roots stay real at random points."""

    def sample(rng: random.Random) -> sp.Lambda:
        u = sp.Dummy("u")
        q = sum(sp.Rational(rng.randint(-30, 30), 10) * u**k for k in range(3))
        return sp.Lambda(u, sp.Rational(1, 10) + q**2)

    return Parameter(fn, latex, meaning, "smooth positive functions (random 1/10 + quadratic^2 "
                     "at random points)", sample)


def _any_function(fn: sp.FunctionClass, latex: str, meaning: str) -> Parameter:
    def sample(rng: random.Random) -> sp.Lambda:
        u = sp.Dummy("u")
        return sp.Lambda(u, sum(sp.Rational(rng.randint(-30, 30), 10) * u**k for k in range(4)))

    return Parameter(fn, latex, meaning, "smooth functions (random cubics at random points)", sample)


STATE = real(W, "W", "the weight (one parameter)")
ETA = positive(eta, r"\eta", "learning rate", (1e-3, 0.5))
NORMALISER = positive(Z, "Z", "normalising constant", (0.1, 10.0))
GRAD = _any_function(G, "G", "mean gradient over the data at W")
VAR = positive_function(V, "V", "variance of the per-example gradients at W")

#: One SGD step's displacement, W' - W.
SGD_STEP = -eta * (G(W) + sp.sqrt(V(W)) * XI)

#: Where the diffusion sits relative to the derivative: J_diff = -(eta^2/2) V^(1-a) d(V^a p)/dW.
CONVENTIONS = {"ito": sp.Integer(1), "stratonovich": sp.Rational(1, 2), "fickian": sp.Integer(0)}


def flux(convention: str, density: sp.Expr = None, drift_scale=1, diffusion_scale=1) -> sp.Expr:
    """The probability current per step under a convention, for ``density`` (default p(W))."""
    a = CONVENTIONS[convention]
    q = p(W) if density is None else density
    drift = -drift_scale * eta * G(W) * q
    diff = -diffusion_scale * eta**2 / 2 * V(W) ** (1 - a) * sp.diff(V(W) ** a * q, W)
    return drift + diff


def master_rhs(convention: str, drift_scale=1, diffusion_scale=1) -> sp.Expr:
    """``dp/dt = -dJ/dW`` for that current (t counts steps)."""
    return -sp.diff(flux(convention, None, drift_scale, diffusion_scale), W)


def zero_current_density(update: sp.Expr, x: sp.Symbol = W, normaliser: sp.Symbol = Z,
                         step_name: str = "SGD step") -> tuple[sp.Expr, tuple[Step, ...]]:
    """The density with no net current for the chain ``x' = x + update(x, xi)``, from first principles.

    Per-step mean ``m`` and variance ``v`` of the update give the Kramers-Moyal (Ito) current
    ``J = m p - (1/2) d(v p)/dx`` (a chain sets its noise where a step starts). ``J = 0`` is
    linear and first order in ``u = v p``: ``u' = (2 m / v) u``, so ``u = exp(int 2m/v dx)``
    by the integrating factor, and ``p = u / v``. The result is substituted back: the current
    must simplify to 0. (The same law as :func:`derivations.fokker_planck.zero_flux_density_1d`,
    without ``dsolve``, which takes seconds on function symbols.)
    """
    m, v = gaussian_moments(update, XI)
    rate = sp.simplify(2 * m / v)
    # Constants leave the integral and the prefactor (they belong to the normaliser), so the
    # law reads exp(c int f dx) / (Z v(x)) with f and v free of constant factors.
    c, f = rate.as_independent(x, as_Add=False)
    v_const, v_shape = v.as_independent(x, as_Add=False)
    density = sp.exp(c * sp.Integral(f, x)) / (normaliser * v_shape)
    residual = sp.simplify(flux_1d(m, v, density, x))
    if residual != 0:
        raise ArithmeticError(f"the density does not carry zero current: residual {residual}")
    u = sp.Function("u")
    steps = (
        Step(f"One {step_name}: x' = x + Delta with", sp.Eq(sp.Symbol(r"\Delta"), update)),
        Step(f"Mean and variance of Delta per {step_name}", sp.Tuple(m, v)),
        Step("Probability current per step (Kramers-Moyal to second order, noise set where the "
             "step starts: Ito)", sp.Eq(sp.Symbol("J"), flux_1d(m, v, p(x), x))),
        Step("J = 0 in u = v p: u' = (2m/v) u", sp.Eq(sp.Derivative(u(x), x), rate * u(x))),
        Step("Integrating factor, p = u / v, constants into 1/Z; substituted back, J = 0 exactly",
             sp.Eq(p(x), density)),
    )
    return density, steps
