"""001, "A Bayesian Interpretation of Langevin Dynamics": "The denominator does not depend on Phi which implies p(Phi|Train) ∝ p(Phi) prod_i P_Phi(y_i|x_i)".

Two steps: dropping the denominator (a number) and replacing the joint likelihood
P_Phi(y_1..y_n | x_1..x_n) by the product over examples, which needs the labels to be
independent given the inputs and Phi (i.i.d. examples, left implicit). The derivation
builds the posterior from the generative model with independent examples; the witness
samples it by rejection (:mod:`derivations.experiments.bayes`, n = 3 examples).
"""

import sympy as sp

from derivations.claims.c001_bayes_rule import MUTANTS, P_y, p_train, p_x, post, prior
from derivations.experiments.bayes import (BUDGETS, N_EXAMPLES, PosteriorRejection, example_likelihood,
                                           prior_density)
from derivations.model import Claim, Derivation, Relation, Source, Statement, Step, Verdict, single_case
from derivations.symbols import PHI, Phi, function, positive

QUOTE = (r"The denominator does not depend on  $\Phi$  which implies $$p(\Phi|\text{Train}) \propto "
         r"p(\Phi) \prod_i P_{\Phi}(y_i|x_i)$$")
#: P_Phi(y_i | x_i) for each of the n = 3 examples, as functions of Phi.
PER_EXAMPLE = tuple(sp.Function(f"P_{i + 1}") for i in range(N_EXAMPLES))
STATED = prior(Phi) * sp.Mul(*(P(Phi) for P in PER_EXAMPLE))


def derive() -> Derivation:
    joint_labels = sp.Mul(*(P(Phi) for P in PER_EXAMPLE))  # independent examples given x and Phi
    posterior = prior(Phi) * p_x * joint_labels / p_train
    steps = (
        Step("Examples drawn independently given Phi: P_Phi(y_1..y_n | x_1..x_n) is the product",
             sp.Eq(sp.Symbol(r"P_\Phi(y|x)"), joint_labels)),
        Step("Posterior = joint / evidence (the evidence and p(x) are numbers)", sp.Eq(post(Phi), posterior)),
    )
    return Derivation(posterior, steps)


CLAIM = Claim(
    id="001-bayes-product",
    title="p(Phi|Train) ∝ p(Phi) prod_i P_Phi(y_i|x_i) (denominator free of Phi; i.i.d. examples)",
    source=Source("001_f7b24b47ec34203a.txt", "A Bayesian Interpretation of Langevin Dynamics"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(post(Phi), STATED), latex_names=None,
                        parse_note="prose and a proportionality with a product over the training set; "
                                   f"encoded by hand for the test set's n = {N_EXAMPLES} examples"),
    setting=(PHI, function(prior, "p", "prior density of Phi"),
             *(function(P, f"P_{i + 1}", f"P_Phi(y_{i + 1} | x_{i + 1}) as a function of Phi")
               for i, P in enumerate(PER_EXAMPLE)),
             positive(P_y, r"P(y|x)", "marginal likelihood (free of Phi)"),
             positive(p_x, r"p(x_{1..n})", "law of the inputs (free of Phi)"),
             positive(p_train, r"p(\text{Train})", "evidence (free of Phi)")),
    assumptions=("examples independent given Phi (i.i.d. training set)", "inputs' law free of Phi"),
    relation=Relation.DENSITY,
    variables=(Phi,),
    cases=single_case(derive, (PosteriorRejection(
        Phi, {prior: prior_density(), **{P: example_likelihood(i) for i, P in enumerate(PER_EXAMPLE)}},
        (P_y, p_x, p_train), BUDGETS),)),
    mutants=MUTANTS,
    expected=Verdict.HOLDS,
)
