"""001, "Appendix: Diffusion Flow": in one dimension, diffusion flow = -(1/2) sigma^2 dp/dx.

The slide derives it by counting the mass a step x + sigma eps sqrt(dt) carries across a
point. The derivation here takes another route, the Kramers-Moyal flux of that step
(mean 0, variance sigma^2 dt per step, divided by dt), and repeats the slide's
mass-transfer integral with sympy as a second route. The simulation counts crossings.
"""

import sympy as sp

from derivations.experiments.diffusion_flux import APPENDIX_RUNGS, diffusion_flux_witnesses
from derivations.fokker_planck import XI, flux_1d, gaussian_moments
from derivations.model import (Claim, Derivation, Relation, Source, Statement, Step, Verdict,
                               single_case)
from derivations.mutants import scaled
from derivations.symbols import DT, SIGMA, X, dt, function, sigma, x

p = sp.Function("p")
P = function(p, "p_x", "density of x")
J = sp.Symbol("J")

QUOTE = r"\text{Diffusion flow} = -\frac{1}{2} \sigma^2 \frac{dp_x(x)}{dx}"
STEP = sigma * XI * sp.sqrt(dt)


def derive() -> Derivation:
    m, v = gaussian_moments(STEP)
    flow = sp.simplify(flux_1d(m, v, p(x), x) / dt)
    # Second route, the slide's own: net transfer = -int_0^oo [p(x+z) - p(x-z)] Phi(-z/s) dz
    # with p(x +- z) = p(x) +- z p'(x) to first order, s = sigma sqrt(dt).
    z = sp.Symbol("z", positive=True)
    s = sigma * sp.sqrt(dt)
    transfer = -2 * sp.diff(p(x), x) * sp.integrate(z * (1 + sp.erf(-z / (s * sp.sqrt(2)))) / 2,
                                                    (z, 0, sp.oo))
    second = sp.simplify(transfer / dt)
    if sp.simplify(second - flow) != 0:
        raise ArithmeticError(f"the two routes disagree: {flow} vs {second}")
    return Derivation(flow, (
        Step("One step of pure diffusion", sp.Eq(sp.Symbol(r"\Delta"), STEP)),
        Step("Mean and variance per step", sp.Tuple(m, v)),
        Step("Kramers-Moyal flux per unit time, J = (m p - (1/2) d(v p)/dx) / dt", sp.Eq(J, flow)),
        Step("The slide's mass-transfer integral, first order in the step, per unit time",
             sp.Eq(J, second)),
    ))


def alpha_of(h: sp.Basic) -> float:
    """The alpha a hypothesis ``J = -alpha sigma^2 p'(x)`` implies."""
    c = sp.simplify(h / (-sigma**2 * sp.diff(p(x), x)))
    if c.free_symbols:
        raise ValueError(f"hypothesis {h} is not of the form -alpha sigma^2 p'(x)")
    return float(c)


CLAIM = Claim(
    id="001-appendix-diffusion-flow",
    title="Diffusion flow in one dimension is -(1/2) sigma^2 dp/dx",
    source=Source("001_f7b24b47ec34203a.txt", "Appendix: Diffusion Flow"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=sp.Eq(J, -sp.Rational(1, 2) * sigma**2 * sp.Derivative(p(x), x)),
        latex_names={r"\text{Diffusion flow}": "J", "p_x": "p"}),
    setting=(X, SIGMA, DT, P),
    assumptions=(r"x(t+\Delta t) = x(t) + \sigma\epsilon\sqrt{\Delta t}, \epsilon \sim N(0,1)",
                 r"\Delta t \to 0; p_x smooth"),
    relation=Relation.IDENTITY,
    variables=(x,),
    cases=single_case(derive, diffusion_flux_witnesses(
        x, STEP, sigma**2 * dt, APPENDIX_RUNGS, coefficient=alpha_of,
        label="one step x + sigma eps sqrt(dt) of N(0,1) particles")),
    mutants=(scaled(2), scaled(sp.Rational(1, 2))),
    expected=Verdict.HOLDS,
)
