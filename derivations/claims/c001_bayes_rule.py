"""001, "Sampling from a Bayesian Posterior: Langevin Dynamics": Bayes' rule for Train, the p(x_1..x_n) factors cancelling.

The slide: p(Phi | Train) = p(Phi) p(Train | Phi) / p(Train) = p(Phi) p(x_1..x_n) P_Phi(y_1..y_n | x_1..x_n)
/ (p(x_1..x_n) P(y_1..y_n | x_1..x_n)) = p(Phi) P_Phi(y_1..y_n | x_1..x_n) / P(y_1..y_n | x_1..x_n).
The last line is the statement (a density in Phi). It needs the inputs' law to be free of
Phi ("The parameters Phi determine P_Phi(y|x)"), which the derivation states: it builds the
joint p(Phi, Train) from the generative model and divides by p(Train), a number.

The witness samples the posterior by rejection from the generative model
(:mod:`derivations.experiments.bayes`), with no formula; mutants: a tempered posterior
(temperature 2 and 1/2) and the prior dropped.
"""

import sympy as sp

from derivations.experiments.bayes import BUDGETS, PosteriorRejection, joint_likelihood, prior_density
from derivations.model import (Claim, Derivation, Mutant, Relation, Source, Statement, Step, Verdict,
                               single_case)
from derivations.mutants import temperature_scaled
from derivations.symbols import PHI, Phi, function, positive

QUOTE = (r"&= \frac{p(\Phi)P_\Phi(y_1, \dots, y_n|x_1, \dots, x_n)}{P(y_1, \dots, y_n|x_1, \dots, x_n)}")
prior = sp.Function("p")
lik = sp.Function("P_Phi")  # P_Phi(y_1..y_n | x_1..x_n) as a function of Phi
P_y = sp.Symbol("P_y", positive=True)  # P(y_1..y_n | x_1..x_n), free of Phi
p_x = sp.Symbol("p_x", positive=True)  # p(x_1..x_n), free of Phi (the model)
p_train = sp.Symbol("p_Train", positive=True)
post = sp.Function("p_post")
STATED = prior(Phi) * lik(Phi) / P_y
SETTING = (PHI, function(prior, "p", "prior density of Phi"),
           function(lik, r"P_\Phi", "likelihood of the labels given the inputs, as a function of Phi"),
           positive(P_y, r"P(y_{1..n}|x_{1..n})", "marginal likelihood of the labels (free of Phi)"),
           positive(p_x, r"p(x_{1..n})", "law of the inputs (free of Phi)"),
           positive(p_train, r"p(\text{Train})", "evidence (free of Phi)"))


def derive() -> Derivation:
    joint = prior(Phi) * p_x * lik(Phi)  # generative model: Phi, then x (law free of Phi), then y | x, Phi
    posterior = joint / p_train
    steps = (
        Step("Generative model: Phi ~ p; x_1..x_n ~ p_x (free of Phi); y | x, Phi ~ P_Phi. Joint density",
             sp.Eq(sp.Symbol("p(Phi, Train)"), joint)),
        Step("Conditioning: divide by p(Train) = integral of the joint over Phi, a number", sp.Eq(post(Phi), posterior)),
        Step("As a density in Phi this is p(Phi) P_Phi(y|x) up to a factor free of Phi: the p_x factors "
             "and the denominator only normalise"),
    )
    return Derivation(posterior, steps)


MUTANTS = (temperature_scaled(2), temperature_scaled(sp.Rational(1, 2)),
           Mutant("prior dropped", lambda d: d.subs(prior(Phi), 1)))

CLAIM = Claim(
    id="001-bayes-rule",
    title="Bayes' rule for Train: p(Phi|Train) = p(Phi) P_Phi(y|x) / P(y|x) (the p(x) factors cancel)",
    source=Source("001_f7b24b47ec34203a.txt", "Sampling from a Bayesian Posterior: Langevin Dynamics"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=sp.Eq(post(Phi), STATED), latex_names=None,
                        parse_note="a line of an aligned chain (&=) with multi-letter subscripts; "
                                   "encoded by hand as a density in Phi"),
    setting=SETTING,
    assumptions=("the inputs' law does not depend on Phi (Phi determines P_Phi(y|x) only)",),
    relation=Relation.DENSITY,
    variables=(Phi,),
    cases=single_case(derive, (PosteriorRejection(Phi, {prior: prior_density(), lik: joint_likelihood()},
                                                  (P_y, p_x, p_train), BUDGETS),)),
    mutants=MUTANTS,
    expected=Verdict.HOLDS,
)
