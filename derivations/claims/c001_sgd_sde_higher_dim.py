"""001, "The SGD SDE in Higher Dimension": eta sets the noise level, but in general no Gibbs law.

The slide: "Here the learning rate eta controls the level of noise but we do not in
general have a Gibbs distribution." Two checkable parts, derived for SGD with a quadratic
loss L = Phi^T H Phi / 2 and constant correlated gradient noise of covariance sigma^2 Sigma_0:

- the SDE's stationary covariance S solves H S + S H = eta sigma^2 Sigma_0 (drift -H Phi,
  diffusion eta sigma^2 Sigma_0 per unit time), so S is proportional to eta: eta is the
  temperature scale;
- the law is Gibbs, S = T H^{-1}, only if 2 T I = eta sigma^2 Sigma_0, i.e. only for an
  isotropic Sigma_0 (shown for a fully symbolic symmetric Sigma). For the tilted H and the
  correlated Sigma_0 of the simulations (H Sigma_0 != Sigma_0 H) the law is not even a
  function of L, and its current does not vanish.

The simulations run SGD at two learning rates (sigma fixed): every Gibbs law predicts equal
configurational temperatures T_x = T_y; the derived law does not; a noise level that ignored
eta would keep the temperatures fixed. The circulation of the stationary current is measured
too: it does not vanish (no detailed balance).
"""

import sympy as sp

from derivations.experiments.settings_nd import (BUDGETS_LINEAR, H_TILTED, SIGMA_CORR, XI2, Y,
                                                 symmetric_matrix, SIGMA_ENTRIES)
from derivations.experiments.stationary_nd import (CIRCULATION, StationarySpecND,
                                                   configurational_temperatures,
                                                   stationary_nd_witnesses)
from derivations.fokker_planck_nd import lyapunov_symbolic, sde_coefficients, zero_current_density
from derivations.gibbs import gibbs_report
from derivations.model import (Claim, Comparison, Derivation, Equivalence, Relation, Source,
                               Statement, Step, Verdict, single_case)
from derivations.mutants_nd import fixed, substituted
from derivations.symbols import ETA, NORMALISER, SIGMA, X, Z, eta, sigma, x, y

QUOTE = ("Here the learning rate $\\eta$ controls the level of noise but we do not in general "
         "have a Gibbs distribution.")
PROPOSITION = sp.Symbol(r"\eta\ \mathrm{sets\ the\ noise\ level;\ not\ Gibbs\ in\ general}")

PHI = sp.Matrix([x, y])
LOSS_EXPR = (PHI.T * H_TILTED * PHI)[0] / 2
CHOL = SIGMA_CORR.cholesky(hermitian=False)
#: One SGD step with gradient noise sigma C xi, C C^T = Sigma_0.
UPDATE = -eta * (H_TILTED * PHI + sigma * CHOL * sp.Matrix(XI2))


def gaussian_density(S: sp.Matrix) -> sp.Expr:
    return sp.exp(-(PHI.T * S.inv() * PHI)[0] / 2) / Z


def derive() -> Derivation:
    b, D = sde_coefficients(UPDATE, XI2, eta)
    density0, F, curls, zsteps = zero_current_density(b, D, (x, y), Z)
    S = sp.simplify(lyapunov_symbolic(H_TILTED, D))
    density = sp.simplify(gaussian_density(S))
    scales_with_eta = all(sp.simplify(sp.diff(e / eta, eta)) == 0 for e in S)
    gibbs_cmp, gsteps = gibbs_report(density, LOSS_EXPR, (x, y), claims_gibbs=False)
    # Fully symbolic Sigma: which Sigma give a Gibbs law S = T H^{-1}?
    T = sp.Symbol("T", positive=True)
    Sig = symmetric_matrix()
    residual = sp.simplify(H_TILTED * (T * H_TILTED.inv()) + (T * H_TILTED.inv()) * H_TILTED - eta * Sig)
    gibbs_sigma = sp.solve(list(residual), [Sig[0, 0], Sig[0, 1], Sig[1, 1]], dict=True)
    ok = scales_with_eta and gibbs_cmp.status is Equivalence.PROVED and density0 is None
    detail = (f"S = {sp.sstr(S)} is proportional to eta ({scales_with_eta}); {gibbs_cmp.detail}; "
              f"no zero-current law (curl {sp.sstr(curls[0])}); Gibbs only for Sigma = {gibbs_sigma}")
    return Derivation(density, (
        Step("SGD step with a quadratic loss and correlated noise", sp.Eq(sp.Symbol(r"\Delta"), UPDATE)),
        Step("Drift and diffusion per unit time", sp.Tuple(b, D)),
        *zsteps,
        Step("Stationary covariance: H S + S H = D (symbolic Lyapunov solve)", sp.Eq(sp.Symbol("S"), S)),
        Step("Stationary law (Gaussian)", sp.Eq(sp.Function("p")(x, y), density)),
        *gsteps,
        Step("Gibbs needs S = T H^{-1}: H S + S H - eta Sigma = 2 T I - eta Sigma, zero only for",
             sp.Tuple(*[sp.Eq(k, v) for k, v in gibbs_sigma[0].items()]) if gibbs_sigma else sp.false),
    ), comparison=Comparison(Equivalence.PROVED if ok else Equivalence.REFUTED,
                             "symbolic Lyapunov solve, Gibbs test, zero-current test", detail))


OBS, STATS = configurational_temperatures(LOSS_EXPR, (x, y))

SPEC = StationarySpecND(
    label="SGD, tilted quadratic, correlated noise, eta = 0.025 and 0.05 (sigma^2 = 10)",
    update=UPDATE, state=(x, y), draws=XI2, step_time=eta, functions={},
    rungs=({eta: 0.025, sigma: 10**0.5}, {eta: 0.05, sigma: 10**0.5}),
    observables=OBS, statistics=STATS + (CIRCULATION[1],), currents={"circulation": (-y, x)},
    budgets=BUDGETS_LINEAR, bias="exact-linear",
    domain=((-4.0, 4.0), (-4.0, 4.0)), start=((-1.0, 1.0), (-1.0, 1.0)))

T_BAR = eta * sigma**2 * sp.trace(SIGMA_CORR) / 4

CLAIM = Claim(
    id="001-sgd-sde-higher-dim",
    title="In several dimensions eta sets the noise level but the law is not Gibbs in general",
    source=Source("001_f7b24b47ec34203a.txt", "The SGD SDE in Higher Dimension"),
    statement=Statement(quote=QUOTE, latex=QUOTE, encoding=PROPOSITION, result=sp.true,
                        latex_names=None, parse_note="a proposition in words"),
    setting=(X, Y, ETA, SIGMA, NORMALISER, *SIGMA_ENTRIES),
    assumptions=(r"\Phi(t+\Delta t) = \Phi(t) - g\Delta t + \sqrt{\eta}\sigma(\Phi)\epsilon\sqrt{\Delta t}",
                 "a general case: quadratic loss with a tilted Hessian, constant correlated noise "
                 "that does not commute with it"),
    relation=Relation.CUSTOM,
    variables=(x, y),
    cases=single_case(derive, stationary_nd_witnesses(SPEC), name="tilted Hessian, correlated noise"),
    mutants=(fixed("Gibbs at eta sigma^2 tr(Sigma_0)/4", sp.exp(-LOSS_EXPR / T_BAR) / Z),
             fixed("Gibbs at eta sigma^2/2", sp.exp(-2 * LOSS_EXPR / (eta * sigma**2)) / Z),
             substituted("noise level independent of eta (eta frozen at 0.05)",
                         {eta: sp.Rational(1, 20)})),
    expected=Verdict.HOLDS,
)
