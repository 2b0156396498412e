"""004, "Solving for End-States": with zero current, p = exp(-(2/eta) int G/V dW) / (Z V).

The post: "For an end-state, [J = 0] everywhere. This means: [...]" (formulas stripped).
Its current is the master equation's: drift -eta G p and a spreading term in which "1/V acts
like a heat capacity" and "pV acts as the temperature", i.e. -(eta^2/2) d(V p)/dW (Ito). Zero
current then gives (V p)' = -(2 G/(eta V)) (V p), the reconstruction below. Two other
readings of a position-dependent spreading rate are checked beside it: Stratonovich
(prefactor V^-1/2) and Fick (no prefactor, "isothermal").

The derivation starts from the SGD step itself (per-step mean -eta G, variance eta^2 V, the
noise's size set where the step starts), builds the Kramers-Moyal current and solves J = 0.
The simulations run that step on a double well whose gradient variance differs between
the wells (V > 0 everywhere: the post notes its equations fail where V vanishes), at fixed
eta V, on a ladder of eta; the chain's own operator bounds the O(eta) bias.
"""

import math

import sympy as sp

from derivations.blog_model import (DECK, ETA, GRAD, NORMALISER, SGD_STEP, STATE, VAR, G, V, W, Z,
                                    eta, p, zero_current_density)
from derivations.experiments.blog_landscape import Landscape
from derivations.experiments.blog_stationary import (EndStateBudget, EndStateObservable,
                                                     EndStateSpec, end_state_witnesses)
from derivations.model import (Claim, Confidence, Derivation, Reading, Reconstruction, Relation,
                               Source, Statement, Verdict, single_case)
from derivations.mutants import temperature_scaled

QUOTE = "For an end-state,  everywhere. This means:"
EXPONENT = sp.exp(-2 * sp.Integral(G(W) / V(W), W) / eta)
ITO = EXPONENT / (Z * V(W))
LATEX = (r"J = -\eta G p - \frac{\eta^2}{2} \frac{\partial (V p)}{\partial W} = 0 "
         r"\;\Rightarrow\; p(W) = \frac{1}{Z\,V(W)} \exp\left(-\frac{2}{\eta} \int \frac{G(W)}{V(W)}\, dW\right)")

LANDSCAPE = Landscape(
    label="SGD on the double well G = W^3 - W, gradient noise sd proportional to 1 + W/2 + W^2/4",
    x=W, gradient=W**3 - W, amplitude=1 + W / 2 + W**2 / 4, temperature=0.4,
    etas=(0.01, 0.02, 0.03, 0.04), domain=(-6.0, 6.0), start=(-1.5, 1.5), cells=480)

OBSERVABLES = (
    EndStateObservable("P(W < 0), the low-variance well", ((-6.0, 0.0),), lambda m: m[0]),
    EndStateObservable("ln[p(-1)/p(+1)] (intervals of width 0.1)", ((-1.05, -0.95), (0.95, 1.05)),
                       lambda m: math.log(m[0] / m[1])),
    EndStateObservable("P(W > 1.5), the hot well's outer flank", ((1.5, 6.0),), lambda m: m[0]),
)

SPEC = EndStateSpec(LANDSCAPE, OBSERVABLES, G, V, eta,
                    budgets={"quick": EndStateBudget(1000, 8), "full": EndStateBudget(8000, 16)},
                    extra_values={Z: 1})


def derive() -> Derivation:
    density, steps = zero_current_density(SGD_STEP)
    return Derivation(density, steps)


CLAIM = Claim(
    id="004-end-state-density",
    title="End state of the blog's model with position-dependent gradient variance (Ito law)",
    source=Source(DECK, "Solving for End-States"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.Eq(p(W), ITO),
        reconstruction=Reconstruction(
            note=("Formulas stripped. The current is the post's master equation (drift -eta G p; "
                  "spreading with heat capacity 1/V and temperature pV, i.e. -(eta^2/2) d(Vp)/dW); "
                  "J = 0 everywhere integrates to the density above. The post's next sentence "
                  "('When V vanishes, our equations don't work terribly well') confirms a 1/V."),
            confidence=Confidence.MEDIUM,
            alternatives=(
                Reading("Stratonovich", r"p \propto V^{-1/2} \exp(-\frac{2}{\eta}\int G/V\,dW)",
                        sp.sqrt(V(W)) * ITO,
                        "spreading -(eta^2/2) sqrt(V) d(sqrt(V) p)/dW (noise set mid-step)"),
                Reading("Fick (isothermal)", r"p \propto \exp(-\frac{2}{\eta}\int G/V\,dW)",
                        V(W) * ITO, "spreading -(eta^2/2) V dp/dW (Fick's law)"),
            )),
        latex_names=None,
        parse_note="reconstructed from the post's words (its formulas were stripped); an "
                   "indefinite integral of function symbols, which the parser does not read"),
    setting=(STATE, ETA, NORMALISER, GRAD, VAR),
    assumptions=("one weight W; SGD step W' = W - eta (G + sqrt(V) xi), E xi = 0, Var xi = 1",
                 "V(W) > 0 everywhere", "end state: no net current anywhere"),
    relation=Relation.DENSITY,
    variables=(W,),
    cases=single_case(derive, end_state_witnesses(SPEC)),
    mutants=(temperature_scaled(sp.Rational(3, 2)), temperature_scaled(sp.Rational(1, 2))),
    expected=Verdict.HOLDS,
    notes=("The discrete SGD chain evaluates the noise where the step starts, so its end state "
           "is Ito's: the Stratonovich and Fick readings are rejected by the simulation (see the "
           "readings' z). Mass sits in the low-variance well."),
)
