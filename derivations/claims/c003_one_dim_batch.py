"""003, "A One Dimensional Example": even at the optimum, a finite batch gives ghat != 0.

The slide: ghat = beta - E_{y~Batch} y, and "Even if beta is optimal, for a finite batch we
will have ghat != 0". At beta* = E_{Pop} y, ghat = E_Pop y - E_Batch y, which is 0 exactly
when the batch mean hits the population mean. Encoded as P(ghat = 0) = 0. Derivation: for a
population with a continuous law the batch mean has a density, so P(ghat = 0) = 0 for every
B; for a discrete population it can be positive: y = +-1, B = 2 gives ghat = 0 whenever the
two draws differ, P = 1/2 (a finite training set is such a population). Simulation: the
frequency of ghat == 0 (exactly, in floating point: the batch means are exact there).
"""

import sympy as sp

from derivations.experiments.batches import BatchSpec, MonteCarloBatch
from derivations.model import (Case, Claim, Derivation, Mutant, Relation, Source, Statement, Step,
                               Verdict)
from derivations.symbols import real

QUOTE = r"\hat{g} \neq 0"
P_ZERO = sp.Symbol("P_0", real=True)
CHAINS = {"quick": 4096, "full": 65536}


def derive_continuous() -> Derivation:
    return Derivation(sp.Integer(0), (
        Step(r"At \beta^* = E_{Pop} y: \hat g = E_{Pop} y - \bar y_B", sp.Symbol(r"\hat g")),
        Step(r"y continuous (here N(0.5, 1)): \bar y_B = N(0.5, 1/B) has a density, so "
             r"P(\hat g = 0) =", sp.Integer(0)),
    ))


def derive_discrete() -> Derivation:
    outcomes = [(x, z) for x in (-1, 1) for z in (-1, 1)]
    p = sp.Rational(sum(1 for x, z in outcomes if sp.Rational(x + z, 2) == 0), len(outcomes))
    return Derivation(p, (
        Step(r"y = \pm 1 with probability 1/2, E_{Pop} y = 0 = \beta^*; B = 2: \hat g = -(y_1 + y_2)/2",
             sp.Tuple(*[sp.Rational(-(x + z), 2) for x, z in outcomes])),
        Step(r"P(\hat g = 0) over the four equally likely batches", p),
    ), correction_latex=(r"\hat{g} \neq 0 \text{ almost surely when } y \text{ has a continuous "
                         r"distribution; for a discrete population (e.g. a finite training set) "
                         r"} P(\hat g = 0) \text{ can be positive}"))


def _shift(sign):
    return Mutant(f"P(ghat = 0) {'+' if sign > 0 else '-'} 1/4", lambda d, s=sign: d + s * sp.Rational(1, 4))


def _zero_fraction(ys, mean):
    return (ys.mean(axis=1) == mean).astype(float)


CLAIM = Claim(
    id="003-one-dim-batch",
    title="Even at the optimum a finite batch gives ghat != 0",
    source=Source("003_874bf7fcc03d5f2a.txt", "A One Dimensional Example", line=44),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(P_ZERO, 0), latex_names=None,
                        parse_note="the slide's sentence 'Even if beta is optimal, for a finite batch "
                                   "we will have ghat != 0', encoded as P(ghat = 0) = 0 at beta*"),
    setting=(real(P_ZERO, r"P(\hat g = 0)", "probability that the batch gradient vanishes at beta*"),),
    assumptions=(r"\beta = \beta^* = E_{Pop} y", "batches of B independent draws from Pop"),
    relation=Relation.IDENTITY,
    variables=(),
    cases=(
        Case("continuous population", derive_continuous, (MonteCarloBatch(BatchSpec(
            "batches of 2 from N(0.5, 1) at beta* = 0.5", "normal(0.5, 1)", 2, _zero_fraction,
            "P(ghat = 0)", {}, CHAINS)),), assumptions=("y has a continuous distribution",)),
        Case("discrete population", derive_discrete, (MonteCarloBatch(BatchSpec(
            "batches of 2 from y = +-1 at beta* = 0", "+-1", 2, _zero_fraction, "P(ghat = 0)", {},
            CHAINS)),), assumptions=("y takes finitely many values (a finite training set)",)),
    ),
    mutants=(_shift(1), _shift(-1)),
    expected=Verdict.CONDITIONAL,
    notes=("True almost surely for a continuous population; for a discrete one (every finite "
           "training set is) the batch gradient at the optimum vanishes with positive "
           "probability, 1/2 for y = +-1 and B = 2. The slide's point, that ghat is noisy at the "
           "optimum, stands: Var(ghat) = Var(y)/B > 0 in both cases."),
    tags=("convergence",),
)
