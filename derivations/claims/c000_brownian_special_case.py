"""000, "Langevin Dynamics" (OCR): "If g(Phi) = 0 and Sigma = I we get Brownian motion."

The slide's SDE is dPhi = -g(Phi) dt + eps sqrt(dt), eps ~ N(0, eta Sigma). With g = 0 and
Sigma = I it is dPhi = eps sqrt(dt), eps ~ N(0, eta I): Brownian motion with variance eta per
unit time, i.e. sqrt(eta) B(t) (the 2023 deck's z(t + Delta t) = z(t) + sigma eps sqrt(Delta t)
with sigma^2 = eta), not the standard one unless eta = 1. The derivation reads that off
the SDE and checks the defining properties: independent, stationary, Gaussian increments
of variance eta (t - s).

The simulation is the process the SDE models: SGD whose per-example gradients are +-1
(mean gradient 0, variance 1), on a ladder of eta with t = 1: the variance of two successive
increments per unit time over eta, their correlation, and their excess kurtosis
(-2 eta / 0.5 exactly: Gaussian in the limit). The reading "standard Brownian motion"
(variance t, independent of eta) is shown and rejected.
"""

import numpy as np
import sympy as sp

from derivations.experiments.ladder import (LadderExperiment, LadderObservable, corr_stat, kurt_stat,
                                            sd_stat, var_stat)
from derivations.experiments.sgd_flow import TrainingSet
from derivations.model import (Claim, Comparison, Confidence, Derivation, Equivalence, Reading,
                               Reconstruction, Relation, Source, Statement, Step, Verdict, single_case)
from derivations.symbols import DT, ETA, Phi, dt, eta
from derivations.tables import declare, entry_scaled, table
from numerics.paths_1d import run_data_sgd

QUOTE = "If g(®) = 0 and X = I we get Brownian motion."
LATEX = r"\text{If } g(\Phi) = 0 \text{ and } \Sigma = I \text{ we get Brownian motion.}"
HALF = 0.5  # two increments, over [0, 1/2] and [1/2, 1]
STEPS = (10, 20, 40, 80, 160)
BUDGETS = {"quick": 20000, "full": 200000}
DATA = TrainingSet("per-example gradients +-1 (losses +-Phi)", tuple(s * Phi for s in (1, -1, 1, -1)), Phi)
EXACT = "exact: constant, or linear in eta (cumulants of independent steps add)"


def derive() -> Derivation:
    s_, t_ = sp.symbols("s t", positive=True)
    g, Sig = sp.Integer(0), sp.Integer(1)
    drift = -g * dt
    var = eta * Sig * dt
    steps = (
        Step("The slide's SDE step with g = 0 and Sigma = I: drift", sp.Eq(sp.Symbol("drift"), drift)),
        Step("noise eps sqrt(Delta t), eps ~ N(0, eta I): variance per step", sp.Eq(sp.Symbol("Var"), var)),
        Step("Independent Gaussian steps add: Phi(t) - Phi(s) ~ N(0, eta (t - s)), independent of the "
             "past; Brownian motion with variance eta per unit time (sqrt(eta) B(t))",
             sp.Eq(sp.Symbol("Var(Phi(t) - Phi(s))"), eta * (t_ - s_))),
        Step("SGD with mean gradient 0 and variance 1: per step -eta ghat, variance eta^2; over N = "
             "(t - s)/eta steps the variance is eta (t - s) exactly and the excess kurtosis -2/N -> 0"),
    )
    return Derivation(table(var_ratio=1, corr_limit=0, kurt_limit=0, b_eta=sp.Rational(1, 2)), steps,
                      Comparison(Equivalence.PROVED, "properties of the SDE's increments (sympy)",
                                 "a Brownian motion with variance eta per unit time"))


def _simulate(eta_, paths, seed):
    n = int(round(1.0 / eta_))
    x = run_data_sgd(DATA.coefficients, np.full(n, eta_), x0=np.zeros(paths),
                     checkpoints=[0, n // 2, n], seed=seed)
    return np.diff(x, axis=1)


OBSERVABLES = (
    LadderObservable("var_ratio", "Var of the increment over [1/2, 1] / (eta / 2)", "pooled",
                     var_stat(1, per=lambda h: h * HALF)),
    LadderObservable("corr_limit", "correlation of the two increments", "limit", corr_stat(0, 1),
                     curvature=0.0, correction_note=EXACT),
    LadderObservable("kurt_limit", "excess kurtosis of the increment", "limit", kurt_stat(1),
                     curvature=0.0, correction_note=EXACT),
    LadderObservable("b_eta", "sd of the increment over [1/2, 1]", "exponent", sd_stat(1),
                     correction=0.0, correction_note="exact: Var = eta / 2 at every eta"),
)

CLAIM = Claim(
    id="000-brownian-special-case",
    title="With g = 0 and Sigma = I the SGD SDE is Brownian motion (variance eta per unit time) (OCR)",
    source=Source("000_9b52c8c934a61faf.txt", "Langevin Dynamics"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=table(var_ratio=1, corr_limit=0, kurt_limit=0),
        reconstruction=Reconstruction(
            note=("OCR: 'g(®)' is g(Phi) and 'X' is Sigma (the covariance named on the previous slide). "
                  "'Brownian motion' is read as the deck's own (2023: z(t + Delta t) = z(t) + sigma "
                  "eps sqrt(Delta t)), here with sigma^2 = eta, since the slide's eps ~ N(0, eta Sigma)."),
            confidence=Confidence.HIGH,
            alternatives=(Reading("standard Brownian motion", r"\Phi(t) - \Phi(s) \sim \mathcal{N}(0, t - s)",
                                  table(b_eta=0), "variance t - s whatever eta (true only for eta = 1)"),)),
        latex_names=None, parse_note="prose; encoded as the increments' law"),
    setting=(ETA, DT, declare("var_ratio", r"\mathrm{Var}/(\eta\Delta t)", "variance per unit time over eta"),
             declare("corr_limit", r"\rho", "correlation of successive increments"),
             declare("kurt_limit", r"\kappa", "excess kurtosis as eta -> 0"),
             declare("b_eta", "b", "spread of an increment ~ eta^b")),
    assumptions=("the slide's SDE dPhi = -g dt + eps sqrt(dt), eps ~ N(0, eta Sigma)",
                 "modelled process: SGD with per-example gradients +-1 (g = 0, Sigma = 1)"),
    relation=Relation.CUSTOM,
    variables=(),
    cases=single_case(derive, (LadderExperiment(
        "Monte Carlo: SGD with gradients +-1 on [0, 1]", "eta", tuple(1.0 / n for n in STEPS), _simulate,
        OBSERVABLES, BUDGETS, {"process": f"SGD on {DATA.label}", "t": 1.0},
        steps_per_replicate=lambda e: int(round(1.0 / e))),)),
    mutants=(entry_scaled("var_ratio", 2, "variance 2 eta per unit time"),
             entry_scaled("b_eta", 2, "spread ~ eta")),
    expected=Verdict.HOLDS,
)
