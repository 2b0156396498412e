"""003, "A Progress Guarantee": the second line of the chain, an identity.

    loss(beta) - g (eta g_hat) + (1/2) L (eta g_hat)^2
      = loss(beta) - eta (g_hat - (g_hat - g)) g_hat + (1/2) L eta^2 g_hat^2

Derivation: ``g = g_hat - (g_hat - g)`` and ``(eta g_hat)^2 = eta^2 g_hat^2``; the cascade
proves the two sides equal by expansion. The simulation evaluates the first line (the
smoothness bound of the previous slide) on simulated batches and compares its mean with
each hypothesis's mean ``E[.]`` computed from ``E g_hat = g`` and ``E g_hat^2 = g^2 +
sigma^2/B`` (true for any noise law), so a mutant that changes the expression's mean (a
sign in ``(g_hat - g)``, a lost 1/2) is rejected.
"""

import sympy as sp

from derivations.batch_theory import BATCH_SETTING, LINE1_RHS, LINE2_RHS, Lsm, eta, g, ghat
from derivations.experiments.batch_events import BatchMeans, Mean, ell, beta
from derivations.model import Claim, Derivation, Mutant, Relation, Statement, Step, Verdict, single_case
from derivations.symbols import real
from numerics.batch_noise import GAUSSIAN, TWO_POINT

from ._deck003 import quadratic_setting, source

QUOTE = r"\begin{aligned}\text{loss}(\beta - \eta \hat{g}) &\leq \text{loss}(\beta) - g(\eta \hat{g}) + \frac{1}{2}L(\eta \hat{g})^2 \\ &= \text{loss}(\beta) - \eta(\hat{g} - (\hat{g} - g))\hat{g} + \frac{1}{2}L\eta^2\hat{g}^2 \\ &\leq \text{loss}(\beta) - \eta \left( \hat{g} - \frac{2\hat{\sigma}}{\sqrt{B}} \right) \hat{g} + \frac{1}{2}L\eta^2\hat{g}^2\end{aligned}"
loss_beta = sp.Symbol("loss_beta", real=True)
LOSS_BETA = real(loss_beta, r"\text{loss}(\beta)", "the loss at the current point")


def derive() -> Derivation:
    start = loss_beta + LINE1_RHS
    rewritten = start.subs(g, ghat - (ghat - g), evaluate=False)
    return Derivation(loss_beta + LINE1_RHS, (
        Step("Line 1: the smoothness bound at Delta beta = eta g_hat", start),
        Step("Write g = g_hat - (g_hat - g) (an identity) and (eta g_hat)^2 = eta^2 g_hat^2", rewritten),
        Step("Expanded, both lines are", sp.expand(start)),
    ))


def _settings():
    for kind, a in ((GAUSSIAN, 0.5), (TWO_POINT, -1.0)):
        st = quadratic_setting(f"g = {a:g} sigma", a=a, batch=4, kind=kind, eta=0.5, L=1.0)
        yield Mean(f"E[line 1] over batches, {st.label}", st, loss_beta + LINE1_RHS,
                   {loss_beta: ell(beta)})


CLAIM = Claim(
    id="003-progress-guarantee-line2",
    title="Progress guarantee, line 2: -g(eta g_hat) = -eta(g_hat - (g_hat - g)) g_hat",
    source=source("A Progress Guarantee"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=sp.Eq(loss_beta + LINE1_RHS, loss_beta + LINE2_RHS, evaluate=False),
        latex_names=None,
        parse_note="a line of an aligned chain (\\\\ &=) with \\text{loss}; encoded by hand"),
    setting=BATCH_SETTING + (LOSS_BETA,),
    assumptions=("g_hat and g are numbers (the batch and population gradients)",),
    relation=Relation.IDENTITY,
    variables=(),
    cases=single_case(derive, [BatchMeans(tuple(_settings()))]),
    mutants=(Mutant("sign of (g_hat - g) flipped", lambda d: d - 2 * eta * ghat * (ghat - g)),
             Mutant("1/2 lost in the quadratic term", lambda d: d + Lsm * eta**2 * ghat**2 / 2)),
    expected=Verdict.HOLDS,
    notes="An algebraic identity (g = g_hat - (g_hat - g)); the loss terms are the same number.",
)
