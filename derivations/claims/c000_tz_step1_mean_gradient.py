"""000, "Proof Step 1 (TZ)": at the optimum the per-example gradients average to zero, E_i g_i = 0.

The slide (OCR) lists, after the second-order expansion of each L_i at Phi*, "Eig =0":
E_i g_i = 0 with g_i = grad L_i(Phi*). Derivation: the training loss is L = E_i L_i, the
gradient is linear, so grad L(Phi*) = E_i g_i; Phi* is a local optimum of L, so grad L(Phi*)
= 0. Simulation: what E_i g_i = 0 means for SGD: on a quadratic training set the stationary
mean of the chain solves Hbar m = -E_i g_i exactly at every eta (the mean of one step is
(I - eta Hbar) m - eta E_i g_i), so the chain's long-run mean sits at Phi* exactly when
E_i g_i = 0 there. The mutants put the mean where a single example's gradient would.
"""

import sympy as sp

from derivations.experiments.finite_sum_sgd import (FiniteSumBudget, LadderSpec, Statistic,
                                                    ladder_witnesses)
from derivations.experiments.training_sets import PHI_1, PHI_2, quadratic_2d
from derivations.model import (Claim, Confidence, Derivation, Mutant, Reconstruction, Relation,
                               Source, Statement, Step, Verdict, single_case)
from derivations.symbols import real

QUOTE = "Eig =0"
LATEX = r"E_i g_i = 0"

GBAR_1, GBAR_2 = sp.symbols("gbar_1 gbar_2", real=True)
ENCODING = sp.Eq(sp.Tuple(GBAR_1, GBAR_2), sp.Tuple(0, 0))

PROBLEM = quadratic_2d()
BUDGETS = {"quick": FiniteSumBudget(64, 60), "full": FiniteSumBudget(256, 400)}


def derive() -> Derivation:
    n = 3
    Ls = [sp.Function(f"L_{i + 1}") for i in range(n)]
    x = sp.Symbol("Phi", real=True)
    mean_loss = sum(L(x) for L in Ls) / n
    linear = sp.simplify(sp.diff(mean_loss, x) - sum(sp.diff(L(x), x) for L in Ls) / n)
    if linear != 0:
        raise ArithmeticError("differentiation is not linear?")
    gbar = sum(PROBLEM.g, sp.zeros(2, 1)) / PROBLEM.n
    result = sp.Tuple(*[sp.Integer(0)] * 2)
    return Derivation(result, (
        Step(r"\nabla \mathcal{L} = \nabla E_i \mathcal{L}_i = E_i \nabla\mathcal{L}_i (linearity; "
             r"sympy, three symbolic examples): difference", linear),
        Step(r"\Phi^* a local optimum of \mathcal{L}: \nabla\mathcal{L}(\Phi^*) = 0, hence "
             r"E_i g_i = \nabla\mathcal{L}(\Phi^*) =", result),
        Step("For the training set simulated (optimum at 0): E_i g_i =", sp.Tuple(*gbar)),
    ))


def _stationary_mean(k: int):
    """The stationary mean's component k predicted from a hypothesis for E_i g_i: -Hbar^-1 E_i g_i."""
    inverse = PROBLEM.Hbar.inv()
    return lambda h: (-inverse * sp.Matrix(list(h)))[k]


def _spec(k, coordinate):
    return LadderSpec(
        label=f"SGD, B = 1, four quadratic examples: stationary mean of {coordinate}",
        problem=PROBLEM, statistic=Statistic(f"E[{coordinate}]", coordinate),
        etas=(0.1,), values={}, budgets=BUDGETS, limit=False, prediction_map=_stationary_mean(k))


def _one_example(i: int) -> Mutant:
    g = PROBLEM.g[i]
    return Mutant(f"E_i g_i = g_{i + 1} (one example's gradient)",
                  lambda d, g=g: sp.Tuple(*(a + b for a, b in zip(d, g))))


CLAIM = Claim(
    id="000-tz-step1-mean-gradient",
    title="At a local optimum the per-example gradients average to zero: E_i g_i = 0",
    source=Source("000_9b52c8c934a61faf.txt", "Proof Step 1 (TZ)", line=112),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=ENCODING,
        reconstruction=Reconstruction(
            note="OCR: 'Eig =0' is E_i g_i = 0 ('E;' is E_i throughout this deck).",
            confidence=Confidence.HIGH),
        latex_names=None,
        parse_note="a vector identity (E_i over examples) encoded componentwise as a Tuple"),
    setting=(real(GBAR_1, r"(E_i g_i)_1", "first component of E_i g_i"),
             real(GBAR_2, r"(E_i g_i)_2", "second component of E_i g_i")),
    assumptions=(r"\mathcal{L} = E_i \mathcal{L}_i (the slide's first line)",
                 r"\Phi^* a local optimum of \mathcal{L}, g_i = \nabla\mathcal{L}_i(\Phi^*)"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=single_case(derive, [*ladder_witnesses(_spec(0, PHI_1)), *ladder_witnesses(_spec(1, PHI_2))]),
    mutants=(_one_example(0), _one_example(2)),
    expected=Verdict.HOLDS,
    notes=("First-order optimality of the training loss, by linearity of the gradient. The "
           "simulation checks its consequence for SGD: the stationary mean is Phi* exactly."),
    tags=("tz",),
)
