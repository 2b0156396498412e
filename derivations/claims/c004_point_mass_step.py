"""004, "Gradient Variance": one step moves a point of probability at W to a law centred at W - eta G with variance eta^2 V.

The post: 'A "point" (dirac delta distribution) of probability at W ... changes to a
distribution centred at [W - eta G] with a variance of [eta^2 V]' (formulas stripped). G is
the mean of the per-example gradients and V their variance; one SGD step subtracts eta
times one example's gradient. The derivation takes the step's mean and variance; the
simulation runs one step of SGD with Gaussian per-example gradients (mean G, variance V,
both varying with W) from several points, many chains each. The mutants are the continuous-time slip (variance eta V, as if a step lasted eta
with diffusion V) and a step that forgets the learning rate in the drift.
"""

import sympy as sp

from derivations.blog_model import DECK, ETA, GRAD, SGD_STEP, STATE, VAR, G, V, W, eta
from derivations.experiments.blog_steps import DisplacementMoments, StepSetting
from derivations.fokker_planck import gaussian_moments
from derivations.model import (Claim, Confidence, Derivation, Mutant, Reconstruction, Relation,
                               Source, Statement, Step, Verdict, single_case)

QUOTE = ('A "point" (dirac  distribution) of probability at , between  and , changes to a '
         'distribution centred at  with a variance of')
LATEX = r"\delta_W \;\longmapsto\; \text{a law with mean } W - \eta G(W) \text{ and variance } \eta^2 V(W)"
STATED = sp.Tuple(W - eta * G(W), eta**2 * V(W))

#: Gaussian per-example gradients (the post's central-limit assumption) with mean G and
#: variance V varying with W. (Two data points, a fair sign, give the same two moments, but
#: the sample variance of a two-point law has no usable delta-method error.)
SETTING = StepSetting("SGD with per-example gradients N(G, V), G = 1.5 W^2 - 1, sqrt(V) = 1 + W/2",
                      W, sp.Rational(3, 2) * W**2 - 1, 1 + W / 2, eta=0.1)


def derive() -> Derivation:
    m, v = gaussian_moments(SGD_STEP)
    return Derivation(sp.Tuple(W + m, v), (
        Step("One SGD step with a random example: W' = W + Delta", sp.Eq(sp.Symbol(r"\Delta"), SGD_STEP)),
        Step("xi: the example's deviation from the mean gradient, scaled: E xi = 0, Var xi = 1 "
             "(a fair sign for two data points)"),
        Step("Mean and variance of Delta", sp.Tuple(m, v)),
        Step("Law after one step from a point mass at W: (mean, variance)", sp.Tuple(W + m, v)),
    ))


CLAIM = Claim(
    id="004-point-mass-step",
    title="One SGD step takes a point mass at W to mean W - eta G, variance eta^2 V",
    source=Source(DECK, "Gradient Variance"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=STATED,
        reconstruction=Reconstruction(
            note=("Stripped: 'centred at W - eta G with a variance of eta^2 V' (the next paragraphs "
                  "use eta^2 V per step for the heat equation)."),
            confidence=Confidence.HIGH),
        latex_names=None, parse_note="reconstructed (formulas stripped); a pair (mean, variance)"),
    setting=(STATE, ETA, GRAD, VAR),
    assumptions=("one SGD step on one randomly drawn example", "G, V: mean and (population) "
                 "variance of the per-example gradients at W"),
    relation=Relation.IDENTITY,
    variables=(W,),
    cases=single_case(derive, (DisplacementMoments(
        SETTING, G, V, eta, starts=(-0.5, 0.4, 1.2), steps=1, observables=("centre", "variance"),
        chains={"quick": 20000, "full": 200000}, name="Monte Carlo: one SGD step from a point"),)),
    mutants=(Mutant("variance eta V (a step taken as time eta)", lambda d: sp.Tuple(d[0], eta * V(W))),
             Mutant("centre W - G (no learning rate)", lambda d: sp.Tuple(W - G(W), d[1]))),
    expected=Verdict.HOLDS,
)
