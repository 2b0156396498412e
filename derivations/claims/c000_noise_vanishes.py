"""000, "Langevin Dynamics" (OCR): "for eta -> 0 the noise term vanishes. If we then take Delta t -> 0 (at a slower rate) we are back to gradient flow."

Reconstructed from the OCR ("n — 0" is eta -> 0, "At — 0" is Delta t -> 0). The noise term
of Phi(t + Delta t) ~ Phi(t) - g Delta t + eps sqrt(Delta t), eps ~ N(0, eta Sigma), has
variance eta Sigma Delta t: at fixed Delta t it vanishes like eta (spread ~ eta^(1/2)).
"Then Delta t -> 0 at a slower rate" keeps N = Delta t / eta -> oo, and SGD's path is Euler's
scheme for the flow plus vanishing noise: back to gradient flow (the limit 001-sgd-to-flow
measures with its rates).

Two witnesses: the N-step increment on a ladder of eta at fixed Delta t (variance -> 0,
spread exponent 1/2), and SGD on a non-quadratic training set at a fixed horizon
(mean -> the flow, variance -> 0, spread exponent 1/2). Mutants: the rates off by 2.
"""

import sympy as sp

from derivations.claims.c001_gradient_noise import DT_VALUE, STEPS
from derivations.experiments.noise_sums import noise_quantity_parameters, noise_sum_witness
from derivations.experiments.sgd_flow import QUARTIC, flow_limit_witnesses, flow_quantity_parameters
from derivations.flow_limits import derive_flow_limit
from derivations.model import (Claim, Comparison, Confidence, Derivation, Equivalence,
                               Reconstruction, Relation, Source, Statement, Step, Verdict,
                               single_case)
from derivations.symbols import DT, ETA, dt, eta
from derivations.tables import entries, entry_scaled, table

QUOTE = ("Note that for n — 0 the noise term vanishes. If we then take\n"
         "At — 0 (at a slower rate) we are back to gradient flow.")
LATEX = (r"\text{Note that for } \eta \to 0 \text{ the noise term vanishes. If we then take } "
         r"\Delta t \to 0 \text{ (at a slower rate) we are back to gradient flow.}")
PHI0, T = 0.3, 1.0
BUDGETS = {"quick": 20000, "full": 200000}
NOISE_KEYS = ("inc_var_limit", "b_eta")
FLOW_KEYS = ("gap_limit", "var_limit", "b_spread")


def derive() -> Derivation:
    Sig = sp.Symbol("Sigma", positive=True)
    noise_var = eta * Sig * dt
    flow = derive_flow_limit(QUARTIC, PHI0, T)
    found = entries(flow.result)
    steps = (
        Step("The noise term eps sqrt(Delta t), eps ~ N(0, eta Sigma), has variance", sp.Eq(sp.Symbol("Var"), noise_var)),
        Step("At fixed Delta t, as eta -> 0", sp.Eq(sp.Symbol(r"\lim Var"), sp.limit(noise_var, eta, 0))),
        Step("Its spread ~ eta^(1/2) at fixed Delta t"),
        *flow.steps,
    )
    result = table(inc_var_limit=0, b_eta=sp.Rational(1, 2), gap_limit=found["gap_limit"],
                   var_limit=found["var_limit"], b_spread=found["b_spread"])
    return Derivation(result, steps, Comparison(
        Equivalence.PROVED, "noise variance eta Sigma Delta t; flow limit by the one-step moments",
        "the noise vanishes as eta -> 0 and SGD with N = t/eta -> oo steps converges to the flow"))


CLAIM = Claim(
    id="000-noise-vanishes",
    title="For eta -> 0 the SGD noise term vanishes and (Delta t -> 0 more slowly) SGD returns to gradient flow (OCR)",
    source=Source("000_9b52c8c934a61faf.txt", "Langevin Dynamics"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=table(inc_var_limit=0, gap_limit=0, var_limit=0),
        reconstruction=Reconstruction(
            note="OCR: 'n — 0' is eta -> 0 and 'At — 0' is Delta t -> 0; the words are otherwise clean.",
            confidence=Confidence.HIGH),
        latex_names=None,
        parse_note="prose about two limits; encoded as the noise's variance -> 0 at fixed Delta t and "
                   "SGD's mean -> the flow, variance -> 0 at fixed horizon"),
    setting=(ETA, DT, *noise_quantity_parameters(NOISE_KEYS), *flow_quantity_parameters(FLOW_KEYS)),
    assumptions=("noise term eps sqrt(Delta t), eps ~ N(0, eta Sigma) (the previous line of the slide)",
                 "Delta t / eta -> oo"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (
        noise_sum_witness(DT_VALUE, STEPS, BUDGETS, NOISE_KEYS),
        *flow_limit_witnesses(QUARTIC, PHI0, T, STEPS, BUDGETS, FLOW_KEYS))),
    mutants=(entry_scaled("b_eta", 2, "noise ~ eta"), entry_scaled("b_spread", 2, "SGD spread ~ eta"),
             entry_scaled("b_spread", sp.Rational(1, 2), "SGD spread ~ eta^(1/4)")),
    expected=Verdict.HOLDS,
)
