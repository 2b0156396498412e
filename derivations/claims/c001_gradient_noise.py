"""001, "Gradient Noise": N SGD steps over Delta t = N eta give Phi(t + Delta t) ~ Phi(t) - g Delta t + sqrt(eta) eps sqrt(Delta t), eps ~ N(0, Sigma).

The slides: Phi_{i+N} ~ Phi_i - eta N g(Phi) - eta sum_j (ghat_j - g(Phi)) ~ Phi_i - eta N g - eta
sqrt(N) eps with eps ~ N(0, Sigma) "for N large enough", then with Delta t = N eta:
Phi(t + Delta t) ~ Phi(t) - g Delta t + eta eps sqrt(Delta t / eta) = Phi(t) - g Delta t +
sqrt(eta) eps sqrt(Delta t). The condition is that the gradient's law does not change over
the N steps (the previous slide's "Phi_{i+N} ~ Phi_i").

The derivation adds the N steps' means and variances (sympy), substitutes N = Delta t / eta,
simplifies eta sqrt(Delta t / eta) = sqrt(eta) sqrt(Delta t), and takes the Gaussian limit
from the cumulants (the k-th standardised cumulant of the sum is N^(1 - k/2) times the
example's). The simulation (:mod:`derivations.experiments.noise_sums`) runs SGD on examples
with constant, strongly non-Gaussian gradients on a ladder of eta at Delta t = 0.2. The
mutants: noise eta eps sqrt(Delta t) (no square root on eta: spread ~ eta), noise ~ eta^(1/4),
variance off by 2. (The slide's sum is written over "ghat_i" in its first line and
"ghat_j" in the second: an index slip.)
"""

import sympy as sp

from derivations.experiments.noise_sums import (gradient_law, noise_quantity_parameters,
                                                noise_sum_witness)
from derivations.model import (Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict, single_case)
from derivations.symbols import DT, ETA, dt, eta
from derivations.tables import entry_scaled, table

QUOTE = (r"\Phi(t + \Delta t) &\approx \Phi(t) - g(\Phi)\Delta t + \eta\epsilon\sqrt{\Delta t/\eta}, "
         r"\quad \epsilon \sim \mathcal{N}(0, \Sigma) \\ &= \Phi(t) - g(\Phi)\Delta t + "
         r"\sqrt{\eta}\epsilon\sqrt{\Delta t}, \quad \epsilon \sim \mathcal{N}(0, \Sigma)")
DT_VALUE = 0.2
STEPS = (10, 20, 40, 80, 160)
BUDGETS = {"quick": 20000, "full": 200000}
KEYS = ("drift_ratio", "var_ratio", "b_eta", "kurt_limit")


def derive_noise_sum() -> Derivation:
    """Shared by the deck-000 claims that make the same argument."""
    N = sp.Symbol("N", positive=True)
    g, Sig, kappa = sp.symbols("g Sigma kappa", positive=True)
    mean_sum = -eta * N * g
    var_sum = eta**2 * N * Sig
    mean_dt = sp.simplify(mean_sum.subs(N, dt / eta))
    var_dt = sp.simplify(var_sum.subs(N, dt / eta))
    scale = sp.simplify(eta * sp.sqrt(dt / eta) - sp.sqrt(eta) * sp.sqrt(dt))
    kurt_sum = kappa / N  # fourth cumulant N k4 over (N Sigma)^2, divided by Sigma^2 of one step
    kurt_limit = sp.limit(kurt_sum.subs(N, dt / eta), eta, 0)
    law = gradient_law()
    steps = (
        Step("N steps with the gradient's law fixed: the increment is -eta sum_j ghat_j, with mean",
             sp.Eq(sp.Symbol("E"), mean_sum)),
        Step("and variance (independent examples)", sp.Eq(sp.Symbol("Var"), var_sum)),
        Step("With N = Delta t / eta: mean", sp.Eq(sp.Symbol("E"), mean_dt)),
        Step("variance (eta Sigma Delta t: noise scale sqrt(eta) sqrt(Delta t))", sp.Eq(sp.Symbol("Var"), var_dt)),
        Step("The slide's rewriting eta eps sqrt(Delta t/eta) - sqrt(eta) eps sqrt(Delta t)", sp.Eq(sp.Symbol("difference"), scale)),
        Step("Excess kurtosis of the sum (cumulants add): kappa / N = kappa eta / Delta t; limit eta -> 0",
             sp.Eq(sp.Symbol(r"\kappa_{sum}"), kurt_limit)),
        Step("Test setting: per-example gradient law", sp.Eq(sp.Symbol("(g, Sigma, kappa)"),
                                                             sp.Tuple(law["g"], law["Sigma"], law["kappa"]))),
    )
    ok = (mean_dt == -g * dt and sp.simplify(var_dt - eta * Sig * dt) == 0 and scale == 0
          and kurt_limit == 0)
    return Derivation(table(drift_ratio=1, var_ratio=1, b_eta=sp.Rational(1, 2), kurt_limit=0), steps,
                      Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                                 "moments of the sum and cumulants (sympy)",
                                 "mean -g Delta t and variance eta Sigma Delta t exactly; Gaussian as "
                                 "N = Delta t / eta -> oo"))


CLAIM = Claim(
    id="001-gradient-noise",
    title="N = Delta t/eta SGD steps: drift -g Delta t and Gaussian noise sqrt(eta) eps sqrt(Delta t), eps ~ N(0, Sigma)",
    source=Source("001_f7b24b47ec34203a.txt", "Gradient Noise"),
    statement=Statement(
        quote=QUOTE, latex=QUOTE,
        encoding=table(drift_ratio=1, var_ratio=1, b_eta=sp.Rational(1, 2), kurt_limit=0),
        latex_names=None,
        parse_note="an aligned chain of approximations in law; encoded as the increment's mean "
                   "-g Delta t, variance eta Sigma Delta t (spread ~ eta^(1/2)) and Gaussian limit"),
    setting=(ETA, DT, *noise_quantity_parameters(KEYS)),
    assumptions=("the gradient's law is the same over the N steps (the slides' Phi_{i+N} ~ Phi_i)",
                 "one training example per step; Delta t = N eta fixed, eta -> 0"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive_noise_sum, (noise_sum_witness(DT_VALUE, STEPS, BUDGETS, KEYS),)),
    mutants=(entry_scaled("b_eta", 2, "noise eta eps sqrt(Delta t): spread ~ eta"),
             entry_scaled("b_eta", sp.Rational(1, 2), "spread ~ eta^(1/4)"),
             entry_scaled("var_ratio", 2, "variance 2 eta Sigma Delta t")),
    expected=Verdict.HOLDS,
)
