"""003, "A One Dimensional Example": for loss (1/2)(beta - y)^2 the population gradient is g = beta - E y.

The slide: loss(beta, y) = (1/2)(beta - y)^2, g = E_{y~Pop} grad_beta (1/2)(beta - y)^2 =
beta - E_{y~Pop} y (and ghat = beta - E_{y~Batch} y for a batch). Derivation: sympy
differentiates the loss and takes the expectation (linear). Simulation: the mean of the
per-example gradients beta - y over many draws at beta = 2 estimates g; the mutants forget
the 1/2 (a factor 2) or flip the sign.
"""

import sympy as sp

from derivations.experiments.batches import BatchSpec, MonteCarloBatch
from derivations.model import (Claim, Derivation, Mutant, Relation, Source, Statement, Step,
                               Verdict, single_case)
from derivations.symbols import real

QUOTE = r"= \beta - E_{y \sim \text{Pop}} y"
BETA, Y, EY, G = sp.symbols("beta y E_y g", real=True)
BETA_VALUE = 2.0


def derive() -> Derivation:
    per_example = sp.diff((BETA - Y) ** 2 / 2, BETA)
    # The expectation is linear: E[beta - y] = beta - E y.
    g = sp.expand(per_example).subs(Y, EY)
    return Derivation(g, (
        Step(r"\nabla_\beta \frac12(\beta - y)^2", per_example),
        Step(r"E_y is linear and \beta is not random: g = E[\beta - y] =", g),
    ))


CLAIM = Claim(
    id="003-one-dim-gradient",
    title="The population gradient of (1/2)(beta - y)^2 is beta - E y",
    source=Source("003_874bf7fcc03d5f2a.txt", "A One Dimensional Example", line=40),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(G, BETA - EY), result=BETA - EY,
                        latex_names=None,
                        parse_note="a continuation line ('= ...') whose left side is on the line above"),
    setting=(real(BETA, r"\beta", "the parameter"), real(EY, r"E_{y\sim Pop} y", "population mean"),
             real(G, "g", "population gradient")),
    assumptions=("loss(beta, y) = (1/2)(beta - y)^2, y a scalar with finite mean",),
    relation=Relation.IDENTITY,
    variables=(),
    cases=single_case(derive, [MonteCarloBatch(BatchSpec(
        "per-example gradients beta - y at beta = 2, y ~ N(0.5, 1)", "normal(0.5, 1)", 64,
        lambda ys, mean: (BETA_VALUE - ys).mean(axis=1), "mean of beta - y over draws",
        {BETA: BETA_VALUE, EY: 0.5}, {"quick": 4096, "full": 65536}))]),
    mutants=(Mutant("2 (beta - E y) (the 1/2 forgotten)", lambda d: 2 * d),
             Mutant("E y - beta (sign flipped)", lambda d: -d)),
    expected=Verdict.HOLDS,
)
