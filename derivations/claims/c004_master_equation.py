"""004, "Gradient Variance": the master equation dp/dt = eta d(Gp)/dW + (eta^2/2) d^2(Vp)/dW^2.

The post builds it from its words: probability "flows down the gradient" (current -eta G p)
and spreads like heat with "heat capacity" 1/V and "temperature" pV, the spreading
"proportional to V" (current -(eta^2/2) d(Vp)/dW); the expanded, "rather unwieldy" form is
(eta^2/2)(V p'' + 2 V' p' + V'' p). "Finally giving our master equations:" (formulas
stripped). The derivation builds the equation from the SGD step's per-step moments
(Kramers-Moyal to second order). The simulations do what the post's own validation tried:
evolve an ensemble from N(0.5, 0.175^2) under SGD and compare mean and sd over time with
the equation, solved by the positivity-preserving finite-volume scheme the post lacked,
on a landscape with two minima (W = 1, 2) and a gradient variance that varies across it.
Readings: the Stratonovich and Fick forms of the spreading term.
"""

import sympy as sp

from derivations.blog_model import (DECK, ETA, GRAD, SGD_STEP, STATE, VAR, G, V, W, eta,
                                    master_rhs, p)
from derivations.experiments.blog_evolution import (EvolutionBudget, EvolutionSpec,
                                                    evolution_witnesses)
from derivations.experiments.blog_landscape import Landscape
from derivations.fokker_planck import gaussian_moments
from derivations.symbols import function
from derivations.model import (Claim, Confidence, Derivation, Mutant, Reading, Reconstruction,
                               Relation, Source, Statement, Step, Verdict, single_case)

QUOTE = "Finally giving our master equations:"
t = sp.Symbol("t", nonnegative=True)
STATED = eta * sp.diff(G(W) * p(W), W) + eta**2 / 2 * sp.diff(V(W) * p(W), W, 2)
LATEX = (r"\frac{\partial p}{\partial t} = \eta \frac{\partial (G p)}{\partial W} + "
         r"\frac{\eta^2}{2} \frac{\partial^2 (V p)}{\partial W^2}")

LANDSCAPE = Landscape(
    label="SGD from N(0.5, 0.175^2) on G = 4(W-1)(W-3/2)(W-2), gradient noise sd ~ 0.4 + 0.6 (W-2)^2",
    x=W, gradient=4 * (W - 1) * (W - sp.Rational(3, 2)) * (W - 2),
    amplitude=sp.Rational(2, 5) + sp.Rational(3, 5) * (W - 2) ** 2, temperature=0.1,
    etas=(0.01, 0.02, 0.03, 0.04), domain=(-1.0, 4.0), start=(0.0, 1.0), cells=400)

SPEC = EvolutionSpec(LANDSCAPE, p, G, V, eta, mean0=0.5, sd0=0.175, taus=(0.24, 0.48, 1.2, 2.4),
                     budgets={"quick": EvolutionBudget(20000), "full": EvolutionBudget(200000)})


def derive() -> Derivation:
    m, v = gaussian_moments(SGD_STEP)
    J = m * p(W) - sp.diff(v * p(W), W) / 2
    rhs = -sp.diff(J, W)
    return Derivation(rhs, (
        Step("One SGD step: W' = W + Delta", sp.Eq(sp.Symbol(r"\Delta"), SGD_STEP)),
        Step("Per-step mean and variance of Delta", sp.Tuple(m, v)),
        Step("Current per step (Kramers-Moyal to second order; the noise is set where the step "
             "starts)", sp.Eq(sp.Symbol("J"), J)),
        Step("Continuity, dp/dt = -dJ/dW (t in steps)", sp.Eq(sp.Derivative(p(W), t), rhs)),
        Step("Expanded (the post's 'rather unwieldy' form)", sp.expand(rhs.doit())),
    ))


CLAIM = Claim(
    id="004-master-equation",
    title="The blog's master equation, checked by evolving an ensemble under SGD",
    source=Source(DECK, "Gradient Variance"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.Eq(sp.Derivative(p(W), t), STATED), result=STATED,
        reconstruction=Reconstruction(
            note=("Formulas stripped. Drift term from 'the probability will just flow down the "
                  "gradient'; spreading term from the heat equation with variance eta^2 V per step, "
                  "heat capacity 1/V and temperature pV, i.e. (eta^2/2) d^2(Vp)/dW^2; the expanded "
                  "form the post calls unwieldy is (eta^2/2)(V p'' + 2V'p' + V''p)."),
            confidence=Confidence.MEDIUM,
            alternatives=(
                Reading("Stratonovich", r"\frac{\eta^2}{2} \partial_W(\sqrt{V}\,\partial_W(\sqrt{V} p))",
                        master_rhs("stratonovich"), "noise evaluated mid-step"),
                Reading("Fick", r"\frac{\eta^2}{2} \partial_W(V \partial_W p)", master_rhs("fickian"),
                        "Fick's law with a position-dependent diffusivity"),
            )),
        latex_names=None,
        parse_note="reconstructed (formulas stripped); a PDE in function symbols"),
    setting=(STATE, ETA, GRAD, VAR, function(p, "p", "density of W")),
    assumptions=("SGD step W' = W - eta (G + sqrt(V) xi), E xi = 0, Var xi = 1; t counts steps",
                 "the limit eta -> 0 at fixed eta V (the post's continuum model)"),
    relation=Relation.IDENTITY,
    variables=(W,),
    cases=single_case(derive, evolution_witnesses(SPEC),
                      name="two minima, V varying 9-fold, ensemble from N(0.5, 0.175^2)"),
    mutants=(Mutant("spreading x 2 (variance 2 eta^2 V per step)", lambda d: master_rhs("ito", 1, 2)),
             Mutant("descent x 1/2", lambda d: master_rhs("ito", sp.Rational(1, 2), 1))),
    expected=Verdict.HOLDS,
    notes=("The finite-volume solver (Scharfetter-Gummel fluxes, implicit Euler) is positive and "
           "stable for any time step; the post's instability came from an explicit scheme on the "
           "expanded form with large V' and V''."),
)
