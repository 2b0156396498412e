"""004, "Gradient Variance": with G = 0 and constant V the variance grows by eta^2 V each step (the heat equation).

The post: "Now consider a system with G = 0 everywhere ... With constant V we have the
following equation for p, borrowed from the heat equation ... Based on the fundamental
solution of the heat equation this will increase our variance by [eta^2 V] each step of
[t]. Which gives us: [dp/dt = (eta^2 V / 2) d^2p/dW^2]" (formulas stripped). The heat
equation's fundamental solution has variance 2 D t, so the diffusivity is D = eta^2 V / 2.
Derivation: the step's variance. Simulation: SGD with G = 0 and Gaussian gradient noise
(the post invokes the central limit theorem) from the post's initial law N(0.5, 0.175^2),
the variance of the displacement after 1 and after 50 steps, per step.
"""

import sympy as sp

from derivations.blog_model import DECK, ETA, STATE, VAR, V, W, eta
from derivations.experiments.blog_steps import DisplacementMoments, StepSetting
from derivations.fokker_planck import XI, gaussian_moments
from derivations.model import (Claim, Confidence, Derivation, Reading, Reconstruction, Relation,
                               Source, Statement, Step, Verdict, single_case)
from derivations.mutants import scaled

QUOTE = ("Based on the fundamental solution of the heat equation this will increase our variance "
         "by  each step of .")
LATEX = r"\mathrm{Var}[W_{t+1}] - \mathrm{Var}[W_t] = \eta^2 V"
STEP = -eta * sp.sqrt(V(W)) * XI
D = sp.Symbol("D", positive=True)
t = sp.Symbol("t", positive=True)


def derive() -> Derivation:
    _, v = gaussian_moments(STEP)
    heat = sp.exp(-W**2 / (4 * D * t)) / sp.sqrt(4 * sp.pi * D * t)
    var_heat = sp.simplify(sp.integrate(W**2 * heat, (W, -sp.oo, sp.oo)))
    return Derivation(v, (
        Step("One step with no mean gradient: W' = W + Delta", sp.Eq(sp.Symbol(r"\Delta"), STEP)),
        Step("Independent steps add their variances; per step", v),
        Step("Heat equation dp/dt = D p'': the fundamental solution's variance after time t",
             sp.Eq(sp.Symbol(r"\sigma^2(t)"), var_heat)),
        Step("Matching 2D = eta^2 V: the post's equation dp/dt = (eta^2 V/2) d^2p/dW^2",
             sp.Eq(D, v / 2)),
    ))


SETTING = StepSetting("SGD with G = 0, Gaussian gradient noise of constant variance V = 1",
                      W, sp.Integer(0), sp.Integer(1), eta=0.1)

CLAIM = Claim(
    id="004-heat-spreading",
    title="With G = 0 and constant V the variance increases by eta^2 V per step",
    source=Source(DECK, "Gradient Variance"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.Eq(sp.Symbol(r"\Delta\mathrm{Var}"), eta**2 * V(W)),
        reconstruction=Reconstruction(
            note=("Stripped: the increase is eta^2 V per step (the rule of a point mass's step), "
                  "which fixes the heat equation's diffusivity at eta^2 V / 2."),
            confidence=Confidence.HIGH,
            alternatives=(Reading("eta^2 V / 2 (the diffusivity taken as the variance rate)",
                                  r"\eta^2 V / 2", eta**2 * V(W) / 2,
                                  "the coefficient of the heat equation, not the variance per step"),)),
        latex_names=None, parse_note="reconstructed (formulas stripped)"),
    setting=(STATE, ETA, VAR),
    assumptions=("G = 0 everywhere", "V constant", "gradients normally distributed (the post's "
                 "central-limit assumption)"),
    relation=Relation.IDENTITY,
    variables=(W,),
    cases=single_case(derive, (DisplacementMoments(
        SETTING, sp.Function("G_unused"), V, eta, starts=(0.5,), steps=1, initial_sd=0.175,
        observables=("variance per step",), chains={"quick": 20000, "full": 200000},
        name="Monte Carlo: one step from N(0.5, 0.175^2)"),
        DisplacementMoments(
        SETTING, sp.Function("G_unused"), V, eta, starts=(0.5,), steps=50, initial_sd=0.175,
        observables=("variance per step",), chains={"quick": 20000, "full": 200000},
        name="Monte Carlo: 50 steps from N(0.5, 0.175^2)"))),
    mutants=(scaled(2), scaled(sp.Rational(1, 2))),
    expected=Verdict.HOLDS,
)
