"""003, "The Classical Convergence Theorem": the update as written, Phi <- eta_t grad loss(Phi, x_t, y_t).

The theorem's slide writes its update as an assignment of the scaled gradient, not as a
step from Phi (the deck's own "Vanilla SGD" slide writes Phi -= eta ghat). Read literally
and run under the slide's conditions (eta_t -> 0, sum eta_t = oo), the conclusion "Phi
converges to a local optimum of training loss" fails: |Phi_(t+1)| = eta_t |grad loss| -> 0,
so Phi_t -> 0 whatever the loss. The derivation shows it; the simulation runs the update as
written on a training set whose optimum is Phi* = 2, started at the optimum. The slide's
conclusion is encoded as lim Phi_t = Phi*; the correction is the SGD step.
"""

import sympy as sp

from derivations.experiments.schedules import (STEP, AssignmentSpec, MonteCarloAssignment,
                                               Schedule)
from derivations.experiments.training_sets import offset_quadratic_1d
from derivations.model import (Claim, Derivation, Mutant, Relation, Source, Statement, Step,
                               Verdict, single_case)
from derivations.symbols import positive, real

QUOTE = r"\Phi \leftarrow \eta_t \nabla_{\Phi} \text{loss}(\Phi, x_t, y_t)"
PHI_STAR = sp.Symbol("Phi_star", positive=True)
PHI_LIMIT = sp.Symbol("Phi_lim", real=True)
SCHEDULE = Schedule("eta_t = 0.5 / sqrt(t)", sp.Rational(1, 2) / sp.sqrt(STEP))
PROBLEM = offset_quadratic_1d()


def derive() -> Derivation:
    step = sp.Symbol("eta_t", positive=True) * sp.Symbol(r"\nabla loss")
    props = SCHEDULE.properties()
    return Derivation(sp.Integer(0), (
        Step("The update as written", sp.Eq(sp.Symbol(r"\Phi_{t+1}"), step)),
        Step(r"With |\nabla loss| \le G on the region visited (here G \le |\Phi| + 3), |\Phi_{t+1}| \le "
             r"\eta_t G, and \eta_t \to 0 (the slide's condition; here lim eta_t =",
             props["lim eta_t"]),
        Step(r"so \Phi_t \to 0 for any loss, a local optimum only by accident; for this set "
             r"\Phi^* =", PROBLEM.optimum[0]),
        Step(r"lim \Phi_t =", sp.Integer(0)),
    ), correction_latex=r"\Phi \leftarrow \Phi - \eta_t \nabla_{\Phi} \text{loss}(\Phi, x_t, y_t)")


def _example_optimum(a: int) -> Mutant:
    return Mutant(f"lim Phi_t = {a} (one example's optimum)", lambda d, a=a: d + a)


CLAIM = Claim(
    id="003-convergence-update",
    title="The convergence theorem's update, Phi <- eta_t grad loss, drives Phi to a local optimum",
    source=Source("003_874bf7fcc03d5f2a.txt", "The Classical Convergence Theorem", line=48),
    statement=Statement(
        quote=QUOTE, latex=QUOTE, encoding=sp.Eq(PHI_LIMIT, PHI_STAR), result=PHI_STAR,
        latex_names=None,
        parse_note="an assignment (\\leftarrow), which the parser does not read; the claim under "
                   "test is its consequence under the slide's conditions, lim Phi_t = Phi*"),
    setting=(positive(PHI_STAR, r"\Phi^*", "the local optimum (2 for the test set)", (0.5, 5.0)),
             real(PHI_LIMIT, r"\lim_t \Phi_t", "limit of the iterates")),
    assumptions=("the update exactly as written, one example (x_t, y_t) per step",
                 "eta_t > 0, eta_t -> 0, sum eta_t = oo (the slide's conditions)",
                 "test set: (Phi - 1)^2/2 and (Phi - 3)^2/2, optimum Phi* = 2, start at Phi*"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=single_case(derive, [MonteCarloAssignment(AssignmentSpec(
        "the update as written on (Phi - a_i)^2/2, a_i = 1, 3, eta_t = 0.5/sqrt(t)", PROBLEM,
        SCHEDULE, 4096, {PHI_STAR: 2.0}, {"quick": 256, "full": 2048}))]),
    mutants=(_example_optimum(1), _example_optimum(3)),
    expected=Verdict.ERRATUM,
    notes=("A typo for Phi <- Phi - eta_t grad loss (the deck's own vanilla SGD slide writes "
           "Phi -= eta ghat), but as written the iterates go to 0, not to an optimum; the "
           "training loss does converge, to L(0) (2.5 here, against L(Phi*) = 0.5). The "
           "theorem itself is checked with the SGD step in 003-convergence-theorem."),
    tags=("convergence",),
)
