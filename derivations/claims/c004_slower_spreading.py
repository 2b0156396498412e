"""004, "Gradient Variance": "The slower the spreading out, the higher the probability": 1/V is a heat capacity.

The post: "But the speed of 'spreading out' is proportional to [V] ... The slower the
'spreading out', the higher the probability of [W] being there. This makes [1/V] act like a
'heat capacity' of the location for [W] for which [p] is a conserved current ... In this
case [pV] acts as the 'temperature' of a region." With no descent force (G = 0) an end state
has a uniform temperature pV: p = 1/(Z V). That is the reconstruction checked; the readings
beside it are Stratonovich's p ~ V^(-1/2) (also "slower is likelier", but not a heat capacity
1/V) and Fick's p = const (spreading speed irrelevant: the claim would fail).

Setting: a circle (W mod 1) so that no wall and no drift interfere, with the gradient noise
sd proportional to S(W) = 1 + 8 W^2 (1 - W)^2 (smooth across the seam): the spreading is
2.25 times faster at W = 1/2 than at W = 0. The derivation builds the current from the SGD
step with G = 0 and solves J = 0.
"""

import math

import sympy as sp

from derivations.blog_model import (DECK, ETA, NORMALISER, STATE, VAR, V, W, Z, eta, p,
                                    zero_current_density)
from derivations.experiments.blog_landscape import Landscape
from derivations.experiments.blog_stationary import (EndStateBudget, EndStateObservable,
                                                     EndStateSpec, end_state_witnesses)
from derivations.fokker_planck import XI
from derivations.model import (Claim, Confidence, Derivation, Reading, Reconstruction, Relation,
                               Source, Statement, Verdict, single_case)
from derivations.mutants import temperature_scaled

QUOTE = ('The slower the "spreading out", the higher the probability of  being there. This makes  '
         'act like a "heat capacity" of the location for  for which  is a conserved current.')
LATEX = r"G \equiv 0:\quad p(W) = \frac{1}{Z\,V(W)} \quad(\text{heat capacity } 1/V,\ \text{temperature } pV \text{ uniform})"
DERIVED_FORM = 1 / (Z * V(W))

#: One SGD step with no mean gradient: only the spreading force.
STEP = -eta * sp.sqrt(V(W)) * XI

LANDSCAPE = Landscape(
    label="SGD on a circle W mod 1 with G = 0, gradient noise sd proportional to 1 + 8 W^2 (1-W)^2",
    x=W, gradient=sp.Integer(0), amplitude=1 + 8 * W**2 * (1 - W) ** 2, temperature=0.1,
    etas=(0.01, 0.02, 0.03, 0.04), domain=(0.0, 1.0), start=(0.0, 1.0), cells=250, periodic=True)

OBSERVABLES = (
    EndStateObservable("P(1/4 <= W < 3/4), the fast-spreading half", ((0.25, 0.75),), lambda m: m[0]),
    EndStateObservable("ln[p(0)/p(1/2)] (intervals of width 0.1)",
                       ((0.0, 0.05), (0.95, 1.0), (0.45, 0.55)),
                       lambda m: math.log((m[0] + m[1]) / m[2])),
)
SPEC = EndStateSpec(LANDSCAPE, OBSERVABLES, sp.Function("G_unused"), V, eta,
                    budgets={"quick": EndStateBudget(1000, 16), "full": EndStateBudget(8000, 32)},
                    extra_values={Z: 1})


def derive() -> Derivation:
    density, steps = zero_current_density(STEP, step_name="SGD step with G = 0")
    return Derivation(density, steps)


CLAIM = Claim(
    id="004-slower-spreading",
    title="With no descent force the end state is p = 1/(Z V): slower spreading, higher probability",
    source=Source(DECK, "Gradient Variance"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.Eq(p(W), DERIVED_FORM),
        reconstruction=Reconstruction(
            note=("Formulas stripped. 'Heat capacity' 1/V with p the conserved quantity makes pV "
                  "the temperature; with G = 0 an end state has uniform temperature, so p ~ 1/V."),
            confidence=Confidence.MEDIUM,
            alternatives=(
                Reading("Stratonovich", r"p \propto V^{-1/2}", 1 / (Z * sp.sqrt(V(W))),
                        "spreading -(eta^2/2) sqrt(V) d(sqrt(V) p)/dW: slower is likelier, but "
                        "1/sqrt(V), not 1/V, is the 'capacity'"),
                Reading("Fick (isothermal)", r"p = \text{const}", 1 / Z,
                        "spreading -(eta^2/2) V dp/dW: the speed of spreading would not matter"),
            )),
        latex_names=None,
        parse_note="reconstructed from the post's words (formulas stripped)"),
    setting=(STATE, ETA, NORMALISER, VAR),
    assumptions=("G = 0 everywhere (the post's 'system with G = 0')", "V(W) > 0",
                 "end state: no net current"),
    relation=Relation.DENSITY,
    variables=(W,),
    cases=single_case(derive, end_state_witnesses(SPEC), name="G = 0 on a circle, V varying 2.25-fold"),
    mutants=(temperature_scaled(sp.Rational(1, 2)), temperature_scaled(sp.Rational(3, 2))),
    expected=Verdict.HOLDS,
    notes=("The discrete chain sets the noise where a step starts, so its end state is 1/V "
           "(Ito): the post's heat-capacity picture is exactly right; the Stratonovich and "
           "Fick readings are rejected."),
)
