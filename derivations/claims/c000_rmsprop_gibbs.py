"""000, "Langevin and RMSProp": rates eta_x = eta'/sigma_x^2, eta_y = eta'/sigma_y^2 give a Gibbs law.

The slides (OCR) read, reconstructed: "Suppose we use parameter-specific learning rates eta_x
and eta_y: p(x, y) = (1/Z) exp(-L(x)/(alpha eta_x sigma_x^2) - L(y)/(alpha eta_y sigma_y^2)).
Setting eta_x = eta'/sigma_x^2 and eta_y = eta'/sigma_y^2 gives p(x, y) = (1/Z) exp(-L(x, y) /
(alpha eta')). Gibbs!" As in 000-langevin-2d, alpha takes its derived value 1/2 (its erratum is
judged once, by 000-langevin-1d).

The derivation runs SGD with the diagonal preconditioner P = eta' diag(1/sigma_x^2,
1/sigma_y^2): drift -P grad L / eta', diffusion eta' P Sigma P / eta'^2 per unit time t = n eta'.
With independent noise (Sigma diagonal) P = eta' Sigma^{-1} and the zero-current law is
exp(-2 L / eta') for every L(x, y), separable or not. Settings:

- the slide's: separable loss (the double well in both coordinates), independent noise;
- a non-separable loss (the tilted quadratic), independent noise: still Gibbs (in scope: the
  slide's result is written for L(x, y));
- correlated noise (out of scope: the slides assume "completely independent" coordinates): the
  diagonal rates are not Sigma^{-1}, the law is a Gaussian with no zero-current form, not Gibbs.
"""

import math

import sympy as sp

from derivations.experiments.settings_nd import (BUDGETS_LADDER, BUDGETS_LINEAR, H_TILTED, L2,
                                                 LOSS2, SIGMA_X, SIGMA_Y, XI2, Y, double_well,
                                                 loss_2d)
from derivations.experiments.stationary_nd import (StationarySpecND, configurational_temperatures,
                                                   stationary_nd_witnesses)
from derivations.equivalence import compare
from derivations.fokker_planck_nd import lyapunov_symbolic, sde_coefficients, zero_current_density
from derivations.model import (Case, Claim, Comparison, Confidence, Derivation, Reconstruction,
                               Relation, Source, Statement, Step, Verdict)
from derivations.mutants import temperature_scaled
from derivations.symbols import NORMALISER, X, Z, positive, real, sigma_x, sigma_y, x, y

p = sp.Function("p")
eta_p = sp.Symbol("eta'", positive=True)
rho = sp.Symbol("rho", real=True)
h_rate = sp.Symbol("h", positive=True)  # eta_x = eta'/sigma_x^2, the ladder's variable
ETA_P = positive(eta_p, r"\eta'", "base learning rate of the per-parameter rates", (1e-2, 1.0))
RHO = real(rho, r"\rho", "correlation of the gradient noise", (-0.9, 0.9))

QUOTE = "Setting 1 = n'/o2 and ny =\"1'/ 05 gives\n\n1 _\nplr,y) = Eexp( ifj;; y)) Gibbs!"
LATEX = (r"\eta_x = \eta'/\sigma_x^2,\ \eta_y = \eta'/\sigma_y^2 \;\Rightarrow\; p(x,y) = "
         r"\frac{1}{Z}\exp\left(\frac{-\mathcal{L}(x,y)}{\alpha\eta'}\right)\ \text{(Gibbs)}")
alpha = sp.Symbol("alpha", positive=True)
LAW = sp.exp(-L2(x, y) / (alpha * eta_p)) / Z
CLAIMED = LAW.subs(alpha, sp.Rational(1, 2))

PHI = sp.Matrix([x, y])
GRAD = sp.Matrix([sp.diff(L2(x, y), x), sp.diff(L2(x, y), y)])
RATES = sp.diag(eta_p / sigma_x**2, eta_p / sigma_y**2)
NOISE_INDEPENDENT = sp.diag(sigma_x, sigma_y)
NOISE_CORRELATED = sp.Matrix([[sigma_x, 0], [rho * sigma_y, sigma_y * sp.sqrt(1 - rho**2)]])
UPDATE_INDEPENDENT = -RATES * (GRAD + NOISE_INDEPENDENT * sp.Matrix(XI2))
UPDATE_CORRELATED = -RATES * (GRAD + NOISE_CORRELATED * sp.Matrix(XI2))
TILTED = loss_2d((PHI.T * H_TILTED * PHI)[0] / 2, x, y)
SEPARABLE = loss_2d(double_well()(x) + double_well()(y), x, y)


def derive_independent() -> Derivation:
    b, D = sde_coefficients(UPDATE_INDEPENDENT, XI2, eta_p)
    density, _, _, steps = zero_current_density(b, D, (x, y), Z)
    return Derivation(density, (
        Step("Per-parameter rates eta'/sigma_i^2, independent noise: drift and diffusion per unit "
             "time t = n eta'", sp.Tuple(b, D)), *steps))


#: The counterexample's numbers (those of the simulations): sigma_x^2 = 10, sigma_y^2 = 5, rho = 0.85.
_CORRELATED_VALUES = {sigma_x: sp.sqrt(10), sigma_y: sp.sqrt(5), rho: sp.Rational(17, 20)}


def derive_correlated() -> Derivation:
    update = UPDATE_CORRELATED.subs(L2, TILTED).doit().subs(_CORRELATED_VALUES)
    b, D = sde_coefficients(update, XI2, eta_p)
    A = -b.jacobian(PHI)
    S = sp.simplify(lyapunov_symbolic(A, D))
    density = sp.exp(-sp.simplify((PHI.T * S.inv() * PHI)[0]) / 2) / Z
    stated = CLAIMED.subs(L2, TILTED).doit().subs(_CORRELATED_VALUES)
    cmp = compare(stated, density, relation=Relation.DENSITY, variables=(x, y), setting=SETTING)
    return Derivation(density, (
        Step("Correlated noise, the same diagonal rates; drift matrix A and diffusion D", sp.Tuple(A, D)),
        Step("Stationary covariance: A S + S A^T = D", sp.Eq(sp.Symbol("S"), S)),
        Step("Gaussian stationary law", sp.Eq(p(x, y), density))),
        comparison=Comparison(cmp.status, cmp.method + " (stated law with the tilted quadratic)",
                              cmp.detail, cmp.counterexample))


SETTING = (X, Y, ETA_P, SIGMA_X, SIGMA_Y, RHO, NORMALISER, LOSS2)
OBS_SEP, STATS_SEP = configurational_temperatures(SEPARABLE(x, y), (x, y), pooled=True)
OBS_TILT, STATS_TILT = configurational_temperatures(TILTED(x, y), (x, y), pooled=True)

#: eta' = 1/2 (Gibbs temperature 1/4); the ladder shrinks the effective rates eta_x = h,
#: eta_y = 2h by raising the noise (sigma_x^2 = eta'/h, sigma_y^2 = eta'/(2h)).
SPEC_SEPARABLE = StationarySpecND(
    label="per-parameter rates, separable double well, independent noise (eta' = 1/2)",
    update=UPDATE_INDEPENDENT, state=(x, y), draws=XI2, step_time=eta_p, functions={L2: SEPARABLE},
    rungs=tuple({eta_p: 0.5, h_rate: h, sigma_x: math.sqrt(0.5 / h), sigma_y: math.sqrt(0.25 / h)}
                for h in (0.01, 0.02, 0.03)), ladder=h_rate,
    observables=OBS_SEP, statistics=STATS_SEP, budgets=BUDGETS_LADDER, bias="separable",
    domain=((-3.0, 3.0), (-3.0, 3.0)), start=((-1.5, 1.5), (-1.5, 1.5)))

_LINEAR_RUNG = {eta_p: 0.5, sigma_x: math.sqrt(10.0), sigma_y: math.sqrt(5.0)}
SPEC_TILTED = StationarySpecND(
    label="per-parameter rates, tilted quadratic, independent noise (eta' = 1/2)",
    update=UPDATE_INDEPENDENT, state=(x, y), draws=XI2, step_time=eta_p, functions={L2: TILTED},
    rungs=(_LINEAR_RUNG,), observables=OBS_TILT, statistics=STATS_TILT, budgets=BUDGETS_LINEAR,
    bias="exact-linear", domain=((-4.5, 4.5), (-4.5, 4.5)), grid_cells=64)
SPEC_CORRELATED = StationarySpecND(
    label="per-parameter rates, tilted quadratic, correlated noise (rho = 0.85)",
    update=UPDATE_CORRELATED, state=(x, y), draws=XI2, step_time=eta_p, functions={L2: TILTED},
    rungs=({**_LINEAR_RUNG, rho: 0.85},), observables=OBS_TILT, statistics=STATS_TILT,
    budgets=BUDGETS_LINEAR, bias="exact-linear", domain=((-4.5, 4.5), (-4.5, 4.5)), grid_cells=64)

CLAIM = Claim(
    id="000-rmsprop-gibbs",
    title="Rates eta'/sigma_i^2 per parameter give the Gibbs law exp(-L/(alpha eta'))",
    source=Source("000_9b52c8c934a61faf.txt", "Langevin and RMSProp"),
    statement=Statement(
        quote=QUOTE, latex=LATEX, encoding=sp.Eq(p(x, y), LAW), result=CLAIMED,
        reconstruction=Reconstruction(
            note=("OCR: '1 = n'/o2 and ny =\"1'/ 05' is eta_x = eta'/sigma_x^2 and eta_y = "
                  "eta'/sigma_y^2; 'Eexp( ifj;; y))' is (1/Z) exp(-L(x, y)/(alpha eta')), which the "
                  "previous slide's cleaner 'exp (—L(a:, y)) ... an’' confirms. alpha takes its "
                  "derived value 1/2 (judged by 000-langevin-1d)."),
            confidence=Confidence.MEDIUM),
        latex_names=None, parse_note="reconstructed from OCR"),
    setting=SETTING,
    assumptions=("gradient noise independent across parameters (the slides' 'completely independent')",
                 "SGD with per-parameter rates, stationary law of the SDE limit"),
    relation=Relation.DENSITY,
    variables=(x, y),
    cases=(
        Case("separable loss, independent noise (the slide's setting)", derive_independent,
             stationary_nd_witnesses(SPEC_SEPARABLE), assumptions=("L separable", "Sigma diagonal")),
        Case("non-separable loss, independent noise", derive_independent,
             stationary_nd_witnesses(SPEC_TILTED), assumptions=("Sigma diagonal",)),
        Case("correlated noise (outside the slides' independence)", derive_correlated,
             stationary_nd_witnesses(SPEC_CORRELATED), assumptions=("Sigma not diagonal",),
             in_scope=False),
    ),
    mutants=(temperature_scaled(2), temperature_scaled(sp.Rational(1, 2))),
    expected=Verdict.HOLDS,
    notes=("With independent noise the rates eta'/sigma_i^2 are eta' Sigma^{-1}, the Langevin-adaptive "
           "preconditioner of deck 001, and the law is Gibbs for any loss. With correlated noise a "
           "diagonal preconditioner is not Sigma^{-1} and the law is not Gibbs (shown out of scope)."),
)
