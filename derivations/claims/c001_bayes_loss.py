"""001, "A Bayesian Interpretation of Langevin Dynamics": with L(Phi) = (1/n) sum_i -ln P_Phi(y_i|x_i) - (1/n) ln p(Phi), p(Phi|Train) = (1/Z) exp(-n L(Phi)).

The statement is the slide's last line with its definition of L substituted (the sum over
the training set written out for the test set's n = 3 examples). The derivation starts
from the posterior built from the generative model (prior times the product of the
examples' likelihoods, over the evidence), not from the slide's ln-form; the witness
samples the posterior by rejection (:mod:`derivations.experiments.bayes`). The mutants
are the tempered posteriors exp(-2nL) and exp(-nL/2), and the prior dropped.
"""

import sympy as sp

from derivations.claims.c001_bayes_product import PER_EXAMPLE
from derivations.claims.c001_bayes_rule import MUTANTS, p_train, p_x, post, prior
from derivations.experiments.bayes import (BUDGETS, N_EXAMPLES, PosteriorRejection, example_likelihood,
                                           prior_density)
from derivations.model import Claim, Derivation, Relation, Source, Statement, Step, Verdict, single_case
from derivations.symbols import NORMALISER, PHI, Phi, Z, function, positive

QUOTE = (r"\text{Define } \mathcal{L}(\Phi) &= \frac{1}{n} \sum_i -\ln P_{\Phi}(y_i|x_i) - \frac{1}{n} "
         r"\ln p(\Phi) \\ &= E_{(x,y) \sim \text{Train}} [-\ln P_{\Phi}(y|x)] - \frac{1}{n} \ln p(\Phi) "
         r"\end{aligned}$$ $$\text{This Gives } p(\Phi|\text{Train}) = \frac{1}{Z} \exp(-n\mathcal{L}(\Phi))$$")
n = N_EXAMPLES
LOSS_DEF = (sum(-sp.log(P(Phi)) for P in PER_EXAMPLE) / n - sp.log(prior(Phi)) / n)
STATED = sp.exp(-n * LOSS_DEF) / Z


def derive() -> Derivation:
    posterior = prior(Phi) * p_x * sp.Mul(*(P(Phi) for P in PER_EXAMPLE)) / p_train
    steps = (
        Step("Generative model with independent examples: posterior = p(Phi) p(x) prod_i P_Phi(y_i|x_i) / p(Train)",
             sp.Eq(post(Phi), posterior)),
        Step("The slide's L for this training set (n = 3)", sp.Eq(sp.Symbol(r"\mathcal{L}"), LOSS_DEF)),
        Step("exp(-n L) simplifies to", sp.powsimp(sp.expand_log(sp.exp(-n * LOSS_DEF), force=True))),
    )
    return Derivation(posterior, steps)


CLAIM = Claim(
    id="001-bayes-loss",
    title="With L = (1/n) sum -ln P_Phi(y_i|x_i) - (1/n) ln p(Phi), the posterior is (1/Z) exp(-n L)",
    source=Source("001_f7b24b47ec34203a.txt", "A Bayesian Interpretation of Langevin Dynamics"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(post(Phi), STATED), latex_names=None,
                        parse_note="a definition (aligned, with a sum over the training set) and a "
                                   "density; encoded by hand with the definition substituted, n = 3"),
    setting=(PHI, NORMALISER, function(prior, "p", "prior density of Phi"),
             *(function(P, f"P_{i + 1}", f"P_Phi(y_{i + 1} | x_{i + 1}) as a function of Phi")
               for i, P in enumerate(PER_EXAMPLE)),
             positive(p_x, r"p(x_{1..n})", "law of the inputs (free of Phi)"),
             positive(p_train, r"p(\text{Train})", "evidence (free of Phi)")),
    assumptions=("examples independent given Phi", "inputs' law free of Phi"),
    relation=Relation.DENSITY,
    variables=(Phi,),
    cases=single_case(derive, (PosteriorRejection(
        Phi, {prior: prior_density(), **{P: example_likelihood(i) for i, P in enumerate(PER_EXAMPLE)}},
        (Z, p_x, p_train), BUDGETS),)),
    mutants=MUTANTS,
    expected=Verdict.HOLDS,
)
