"""004, "Solving for End-States": "If [G] is decreasing linearly then [p] decreases exponentially."

Around a minimum W* the mean gradient is linear, G = k (W - W*), and V is about constant;
the end state p = exp(-(2/eta) int G/V dW) / (Z V) is then exp(-k (W - W*)^2 / (eta V)):
p falls off exponentially in the *square* of the distance, a Gaussian of variance
eta V / (2k). That is the reading checked (the post's "exponentially" as "an exponential of
the integral", which is what its next paragraph uses). Read literally, "decreases
exponentially" would mean ln p linear in |W - W*| (a Laplace law); that reading is checked
beside it and fails. The simulation: SGD on the quadratic loss (G = W - 1, V constant), the
mass within one and beyond two (continuum) standard deviations, which tell a Gaussian from
a Laplace law of the same variance.
"""

import sympy as sp

from derivations.blog_model import DECK, ETA, NORMALISER, STATE, W, Z, eta, p, zero_current_density
from derivations.experiments.blog_landscape import Landscape
from derivations.experiments.blog_stationary import (EndStateBudget, EndStateObservable,
                                                     EndStateSpec, end_state_witnesses)
from derivations.fokker_planck import XI
from derivations.model import (Claim, Confidence, Derivation, Reading, Reconstruction, Relation,
                               Source, Statement, Verdict, single_case)
from derivations.mutants import temperature_scaled
from derivations.symbols import positive, real

QUOTE = "If  is decreasing linearly then  decreases exponentially."
k = sp.Symbol("k", positive=True)
w_star = sp.Symbol("W_*", real=True)
V0 = sp.Symbol("V_0", positive=True)
GAUSSIAN = sp.exp(-k * (W - w_star) ** 2 / (eta * V0)) / Z
LAPLACE = sp.exp(-2 * sp.sqrt(k / (eta * V0)) * sp.Abs(W - w_star)) / Z
LATEX = (r"G = k (W - W_*),\ V = V_0 \;\Rightarrow\; p(W) = \frac{1}{Z} "
         r"\exp\left(-\frac{k (W - W_*)^2}{\eta V_0}\right)")
STEP = -eta * (k * (W - w_star) + sp.sqrt(V0) * XI)

LANDSCAPE = Landscape(label="SGD on the quadratic loss: G = W - 1, constant gradient variance",
                      x=W, gradient=W - 1, amplitude=sp.Integer(1), temperature=0.5,
                      etas=(0.01, 0.02, 0.03, 0.04), domain=(-7.0, 9.0), start=(0.0, 2.0), cells=320)
# continuum sd: sqrt(c / (2k)) = 0.5
OBSERVABLES = (
    EndStateObservable("P(|W - 1| < 0.5), within one sd", ((0.5, 1.5),), lambda m: m[0]),
    EndStateObservable("P(|W - 1| > 1), beyond two sd", ((-7.0, 0.0), (2.0, 9.0)),
                       lambda m: m[0] + m[1]),
)
SPEC = EndStateSpec(LANDSCAPE, OBSERVABLES, sp.Function("G_unused"), sp.Function("V_unused"), eta,
                    budgets={"quick": EndStateBudget(1000, 8), "full": EndStateBudget(8000, 16)},
                    extra_values={Z: 1, k: 1, w_star: 1, V0: 50})  # V0 = c / eta at eta = 0.01


def derive():
    density, steps = zero_current_density(STEP, step_name="SGD step near a minimum")
    return Derivation(density, steps)


CLAIM = Claim(
    id="004-local-exponential",
    title="Near a minimum (G linear, V constant) the end state decays as exp(-k (W - W*)^2 / (eta V))",
    source=Source(DECK, "Solving for End-States"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.Eq(p(W), GAUSSIAN),
        reconstruction=Reconstruction(
            note=("Stripped. 'Around some minimum': G linear in W (the first blank; it decreases "
                  "linearly towards the minimum from the right), V about constant. 'p decreases "
                  "exponentially' read as the exponential of the integral of 2G/(eta V), which the "
                  "next paragraph uses: exp(-k (W - W*)^2/(eta V))."),
            confidence=Confidence.LOW,
            alternatives=(Reading("literally exponential (Laplace)",
                                  r"p \propto \exp(-2\sqrt{k/(\eta V_0)}\,|W - W_*|)", LAPLACE,
                                  "ln p linear in the distance, with the Gaussian's variance: "
                                  "not what a linear G gives"),)),
        latex_names=None, parse_note="reconstructed from words (formulas stripped)"),
    setting=(STATE, ETA, NORMALISER, positive(k, "k", "slope of G at the minimum"),
             real(w_star, "W_*", "the minimum"), positive(V0, "V_0", "gradient variance there")),
    assumptions=("G = k (W - W*) near the minimum, k > 0", "V = V_0 constant there"),
    relation=Relation.DENSITY,
    variables=(W,),
    cases=single_case(derive, end_state_witnesses(SPEC), name="quadratic loss, constant V"),
    mutants=(temperature_scaled(2), temperature_scaled(sp.Rational(1, 2))),
    expected=Verdict.HOLDS,
    notes=("Gaussian, not exponential, decay in the distance; 'exponentially' holds only in the "
           "loose sense of an exponential of the (quadratic) integral."),
)
