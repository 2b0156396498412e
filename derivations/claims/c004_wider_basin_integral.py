"""004, "Solving for End-States": a basin twice as wide has four times the integral of 2G/(eta V).

The post: "If we have two minima (with a maximum between them) around which the loss
landscapes are exactly the same, except one is twice as wide (in all W) then the G component
will be halved in the wider one, but the V part will be quartered. This means the integral of
[2G/(eta V)] from the centre of the wider one to the maximum will be four times that of the
narrower one." The derivation stretches every per-example loss twice in W (so the mean
gradient halves and the per-example gradients' variance quarters), substitutes W = 2u in the
wider integral and simplifies the ratio. The simulation reads both integrals off the SGD
chain's end state: within a basin V is constant, so the integral from the centre to the top
is ln[p(centre)/p(top)] whatever the convention.
"""

import sympy as sp

from derivations.blog_model import DECK, ETA, W, eta
from derivations.experiments.blog_basins import two_basins, wide_integral_observable
from derivations.experiments.blog_stationary import (EndStateBudget, EndStateSpec,
                                                     end_state_witnesses)
from derivations.blog_model import G, V, Z, zero_current_density, SGD_STEP
from derivations.model import (Claim, Confidence, Derivation, Reading, Reconstruction, Relation,
                               Source, Statement, Step, Verdict, single_case)
from derivations.mutants import scaled

QUOTE = ("This means the integral of  from the centre of the wider one to the maximum will be "
         "four times that of the narrower one.")
LATEX = (r"\int_{c_w}^{\mathrm{top}} \frac{2 G_w}{\eta V_w}\, dW = "
         r"4 \int_{c_n}^{\mathrm{top}} \frac{2 G_n}{\eta V_n}\, dW")
I_w, I_n = sp.symbols("I_w I_n", positive=True)
u = sp.Symbol("u", real=True)
a, b = sp.symbols("a b", real=True)


def derive() -> Derivation:
    Gn, Vn = G, V
    Gw = sp.Lambda(W, Gn(W / 2) / 2)  # L_w(W) = L_n(W/2): the chain rule halves the gradient
    Vw = sp.Lambda(W, Vn(W / 2) / 4)  # every per-example gradient halves: variance / 4
    narrow = sp.Integral(2 * Gn(W) / (eta * Vn(W)), (W, a, b))
    wide = sp.Integral(2 * Gw(W) / (eta * Vw(W)), (W, 2 * a, 2 * b))
    substituted = wide.transform(W, 2 * u).xreplace({u: W})
    ratio = sp.simplify(substituted / narrow)
    return Derivation(ratio, (
        Step("Wider basin: every per-example loss stretched twice, l_w(W) = l_n(W/2); mean "
             "gradient and per-example gradient variance become",
             sp.Tuple(sp.Eq(sp.Function("G_w")(W), Gw(W)), sp.Eq(sp.Function("V_w")(W), Vw(W)))),
        Step("Integrand of the wider basin, centre 2a to top 2b", wide),
        Step("Substitute W = 2u: twice the integrand over the narrower basin's range", substituted),
        Step("Ratio to the narrower basin's integral (centre a to top b)", sp.Eq(I_w / I_n, ratio)),
        Step("A mirror image (the wide basin on the other side of the maximum) changes the sign "
             "of dW and of G together: the integral is unchanged"),
    ))


def _number(label, h):
    h = sp.sympify(h)
    return float(h) if isinstance(h, sp.Expr) and not h.free_symbols else None


LANDSCAPE = two_basins(0.5)
SPEC = EndStateSpec(LANDSCAPE, (wide_integral_observable(LANDSCAPE, _number),), G, V, eta,
                    budgets={"quick": EndStateBudget(1000, 8), "full": EndStateBudget(8000, 16)},
                    extra_values={Z: 1}, reference=zero_current_density(SGD_STEP)[0])

CLAIM = Claim(
    id="004-wider-basin-integral",
    title="A basin twice as wide has four times the integral of 2G/(eta V) from centre to top",
    source=Source(DECK, "Solving for End-States"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.Eq(I_w / I_n, 4), result=sp.Integer(4),
        reconstruction=Reconstruction(
            note=("The integrand was stripped; it is the exponent of the end state just derived, "
                  "2G/(eta V) (any constant factor gives the same ratio)."),
            confidence=Confidence.HIGH,
            alternatives=(Reading("integral of G (the loss difference)",
                                  r"\int G_w\,dW = \int G_n\,dW", sp.Integer(1),
                                  "without the 1/V the ratio is 1: equal depths"),)),
        latex_names=None, parse_note="reconstructed (the integrand was stripped)"),
    setting=(ETA,),
    assumptions=("the wider basin is the narrower one stretched twice in W, per example",
                 "V > 0 throughout both basins"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=single_case(derive, end_state_witnesses(SPEC),
                      name="narrow basin's integral I = 1/2, wide basin mirrored and stretched"),
    mutants=(scaled(sp.Rational(1, 2), "x 1/2: integrand doubled, range not"),
             scaled(sp.Rational(1, 4), "x 1/4: V not quartered (equal depths)")),
    expected=Verdict.HOLDS,
    notes=("Halved G over quartered V doubles the integrand; the range doubles too: 2 x 2 = 4."),
)
