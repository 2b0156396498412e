"""001, "Appendix: Diffusion Flow": alpha = 2 int_0^oo u Phi(-u) du = 1/2, by integration by parts.

Phi is the standard normal CDF and phi its density. The derivation integrates the
definition directly with sympy, and checks each line of the slide's chain on the way
(every line must equal the first). The simulation measures alpha where the slide defines
it: the mass a diffusion step carries across a point, per sigma^2 dt (-p').
"""

import sympy as sp

from derivations.experiments.diffusion_flux import APPENDIX_RUNGS, diffusion_flux_witnesses
from derivations.fokker_planck import XI
from derivations.model import (Claim, Derivation, Relation, Source, Statement, Step, Verdict,
                               single_case)
from derivations.mutants import scaled
from derivations.symbols import DT, SIGMA, X, dt, sigma, x

u = sp.Symbol("u", nonnegative=True)
alpha = sp.Symbol("alpha", positive=True)


def normal_cdf(z):
    return (1 + sp.erf(z / sp.sqrt(2))) / 2


def normal_pdf(z):
    return sp.exp(-z**2 / 2) / sp.sqrt(2 * sp.pi)


QUOTE = (r"\alpha &= 2 \int_0^{\infty} u\Phi(-u)du \\ &= \int_0^{\infty} \Phi(-u)du^2 \\ "
         r"&= u^2\Phi(-u)|_0^{\infty} + \int_0^{\infty} u^2\phi(-u)du \quad \text{where } \phi "
         r"\text{ is the Gaussian density} \\ &= \int_0^{\infty} u^2\phi(-u)du \\ &= \frac{1}{2}")

ALPHA_DEFINITION = 2 * sp.Integral(u * normal_cdf(-u), (u, 0, sp.oo))


def derive() -> Derivation:
    value = sp.simplify(ALPHA_DEFINITION.doit())
    lines = {
        r"\int_0^\infty \Phi(-u)\, d(u^2) = \int_0^\infty 2u\Phi(-u)\,du":
            sp.integrate(2 * u * normal_cdf(-u), (u, 0, sp.oo)),
        r"boundary term u^2 \Phi(-u) |_0^\infty":
            sp.limit(u**2 * normal_cdf(-u), u, sp.oo) - 0,
        r"\int_0^\infty u^2 \phi(-u)\,du": sp.integrate(u**2 * normal_pdf(-u), (u, 0, sp.oo)),
    }
    steps = [Step("Definition, with Phi(z) = (1 + erf(z/sqrt 2))/2", sp.Eq(alpha, ALPHA_DEFINITION)),
             Step("Direct integration (sympy)", sp.Eq(alpha, value))]
    for text, v in lines.items():
        steps.append(Step(f"The slide's line {text} evaluates to", sp.simplify(v)))
    return Derivation(value, tuple(steps))


CLAIM = Claim(
    id="001-appendix-alpha",
    title="alpha = 2 int_0^oo u Phi(-u) du equals 1/2",
    source=Source("001_f7b24b47ec34203a.txt", "Appendix: Diffusion Flow"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=sp.Eq(ALPHA_DEFINITION, sp.Rational(1, 2), evaluate=False),
        latex_names=None,
        parse_note="an aligned chain (&=, \\\\) with a boundary-evaluation bar: sympy's LaTeX "
                   "parser reads the integral wrongly, so the encoding is written by hand"),
    setting=(X, SIGMA, DT),
    assumptions=(r"\Phi is the standard normal CDF, \phi its density",),
    relation=Relation.IDENTITY,
    variables=(),
    cases=single_case(derive, diffusion_flux_witnesses(
        x, sigma * XI * sp.sqrt(dt), sigma**2 * dt, APPENDIX_RUNGS, coefficient=lambda h: float(h),
        label="one step x + sigma eps sqrt(dt) of N(0,1) particles")),
    mutants=(scaled(2), scaled(sp.Rational(1, 2))),
    expected=Verdict.HOLDS,
)
