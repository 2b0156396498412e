"""004, "What's the point?": "Under this model, SGD is also biased towards regions of low variance".

Read with the post's model ("variance" is V, the variance of the per-example gradients; the
post's words "in loss function" are loose). The test that isolates the claim is a landscape
symmetric in the loss and asymmetric only in V: a double well G = W^3 - W (G odd) whose
right well is noisier. The derivation takes the end state (zero current, Ito) and compares
the density at mirror points -w, w:

    ln p(-w) - ln p(w) = ln[V(w)/V(-w)] + (2/eta) int_0^w G(u) [1/V(u) - 1/V(-u)] du,

both terms > 0 inside the basins (0 < w <= 1, where G < 0) when V(u) > V(-u): the end state
is denser on the low-variance side, by the 1/V prefactor ("slower spreading") and by the
exponent. The simulations measure the low-variance well's mass and the density ratio at the
well centres; the mutants are the mirror image of the derived law (bias towards high
variance) and the law with the variance symmetrised (no bias).
"""

import math

import numpy as np
import sympy as sp

from derivations.blog_model import (DECK, ETA, GRAD, NORMALISER, SGD_STEP, STATE, VAR, G, V, W,
                                    eta, zero_current_density)
from derivations.claims.c004_end_state_density import LANDSCAPE
from derivations.experiments.blog_stationary import (OMIT, EndStateBudget, EndStateObservable,
                                                     EndStateSpec, end_state_witnesses)
from derivations.model import (Claim, Comparison, Confidence, Derivation, Equivalence, Mutant,
                               Reconstruction, Relation, Source, Statement, Step, Verdict,
                               single_case)

QUOTE = "Under this model, SGD is also biased towards regions of low variance in loss function."
u, w = sp.Symbol("u", real=True), sp.Symbol("w", positive=True)
BIASED = sp.Symbol(r"\text{biased towards low } V")


def _proposition(label, h):
    return OMIT if label == "stated" else None


OBSERVABLES = (
    EndStateObservable("P(W < 0), the low-variance well", ((-6.0, 0.0),), lambda m: m[0],
                       predict=_proposition),
    EndStateObservable("ln[p(-1)/p(+1)] (intervals of width 0.1)", ((-1.05, -0.95), (0.95, 1.05)),
                       lambda m: math.log(m[0] / m[1]), predict=_proposition),
)
SPEC = EndStateSpec(LANDSCAPE, OBSERVABLES, G, V, eta,
                    budgets={"quick": EndStateBudget(1000, 8), "full": EndStateBudget(8000, 16)},
                    extra_values={sp.Symbol("Z", positive=True): 1})


def derive() -> Derivation:
    density, steps = zero_current_density(SGD_STEP)
    log_ratio = (sp.log(V(w) / V(-w))
                 + 2 / eta * sp.Integral(G(u) * (1 / V(u) - 1 / V(-u)), (u, 0, w)))
    # The concrete landscape: check the sign of the log-ratio on a grid inside the basin.
    g = sp.Lambda(u, LANDSCAPE.gradient.subs(LANDSCAPE.x, u))
    s2 = sp.Lambda(u, LANDSCAPE.amplitude.subs(LANDSCAPE.x, u) ** 2)
    ws = np.linspace(0.01, 1.0, 100)
    conc = sp.lambdify(u, g(u) * (1 / s2(u) - 1 / s2(-u)))
    pre = sp.lambdify(u, sp.log(s2(u) / s2(-u)))
    c = LANDSCAPE.temperature
    cum = np.array([np.trapezoid(conc(np.linspace(0, x, 400)), np.linspace(0, x, 400)) for x in ws])
    values = pre(ws) + 2 / c * cum
    positive = bool(np.all(values > 0) and np.all(pre(ws) > 0) and np.all(cum > 0))
    steps = steps + (
        Step("Mirror points -w, w of a landscape with G odd (the loss symmetric), from the law above",
             sp.Eq(sp.log(sp.Function("p")(-w)) - sp.log(sp.Function("p")(w)), log_ratio)),
        Step("Inside the basins (0 < u <= 1) G(u) < 0; where V(u) > V(-u) (the positive side is "
             "noisier) both terms are > 0: the low-variance side is denser"),
        Step(f"On the test landscape (G = W^3 - W, sqrt V ~ 1 + W/2 + W^2/4, eta V = "
             f"{c:g} S^2): the log-ratio is {'> 0' if positive else 'NOT > 0'} on (0, 1], from "
             f"{values.min():.3g} to {values.max():.3g}"),
    )
    status = Equivalence.PROVED if positive else Equivalence.REFUTED
    return Derivation(density, steps, Comparison(
        status, "sign of each term of ln p(-w) - ln p(w) (G odd, G < 0 inside the basin, "
                "V larger on the positive side); evaluated on the test landscape",
        f"prefactor ln V(w)/V(-w) and exponent term both > 0 for w in (0, 1]"))


def _mirror(d):
    return d.replace(G, sp.Lambda(u, -G(-u))).replace(V, sp.Lambda(u, V(-u)))


CLAIM = Claim(
    id="004-low-variance-bias",
    title="Under the model, SGD's end state favours regions of low gradient variance",
    source=Source(DECK, "What's the point?"),
    statement=Statement(quote=QUOTE, latex=r"\text{the end state favours regions of low } V",
                        encoding=BIASED, result=sp.true, latex_names=None,
                        parse_note="a proposition in words",
                        reconstruction=Reconstruction(
                            "A proposition in words; 'variance in loss function' read as V, the model's "
                            "per-example gradient variance ('under this model').", Confidence.MEDIUM)),
    setting=(STATE, ETA, NORMALISER, GRAD, VAR),
    assumptions=("the post's model: SGD step W' = W - eta (G + sqrt(V) xi)",
                 "'variance' read as V, the per-example gradient variance"),
    relation=Relation.CUSTOM,
    variables=(W,),
    cases=single_case(derive, end_state_witnesses(SPEC),
                      name="loss symmetric (G odd), gradient variance larger in the right well"),
    mutants=(Mutant("mirror image: favours high variance", _mirror),
             Mutant("symmetrised variance (V(W) + V(-W))/2: no preference",
                    lambda d: d.replace(V, sp.Lambda(u, (V(u) + V(-u)) / 2)))),
    expected=Verdict.HOLDS,
    notes=("Both effects favour low V inside the basins: the 1/V prefactor and the steeper "
           "exponent. Outside the wells' centres the noisier well has fatter outer tails "
           "(P(W > 1.5) in 004-end-state-density), so 'biased towards' is about where the "
           "mass concentrates, not about every point."),
)
